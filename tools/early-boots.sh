#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot one built kernel <n> times as far as init and count the boots whose
# kernel reported a KASAN fault, WARN or BUG on the way:
# tools/early-boots.sh <config> <variant> <n>
# Each boot is stopped once init has run (rdinit=/bin/true: the kernel
# panics when init exits, and panic=-1 with -no-reboot ends QEMU) or after
# EARLY_TIMEOUT seconds (default 90). Logs: out/logs/<config>/<variant>/early-<i>/.
# TAP output, one line per boot; the last line counts the reports. A boot
# that reached neither init nor a report fails.
. "$(dirname "$0")/lib.sh"

[ $# -eq 3 ] || die "usage: early-boots.sh <config> <variant> <n>"
cfg=$1 v=$2 runs=$3
case $runs in ''|*[!0-9]*|0) die "<n> must be a positive number, not '$runs'" ;; esac
load_arch "$cfg"
[ -f "$(builddir "$cfg" "$v")/$KIMAGE" ] || die "no kernel for $cfg/$v; build it first"
echo "TAP version 13"
echo "1..$runs"
bad=0 reported=0
for i in $(seq 1 "$runs"); do
	l=$OUT/logs/$cfg/$v/early-$i
	BOOT_TIMEOUT=${EARLY_TIMEOUT:-90} "$TOP/tools/boot.sh" "$cfg" "$v" "early-$i" \
		"rdinit=/bin/true" >/dev/null 2>&1 || true
	[ -f "$l/console.log" ] || die "boot $i left no console log in $l"
	r=$(grep -c '^\[ *[0-9.]*\] \(WARNING: \|BUG: \|kernel BUG\)' "$l/console.log" || true)
	first=$(grep -m1 '^\[ *[0-9.]*\] BUG: KASAN: ' "$l/console.log" | sed 's/^\[ *[0-9.]*\] //' || true)
	if grep -q 'Run /bin/true as init process' "$l/console.log"; then
		reached="reached init"
	else
		reached="did not reach init"
	fi
	if [ "$r" -gt 0 ]; then
		reported=$((reported + 1))
		echo "ok $i - boot $i: $r reports, $reached${first:+; first: $first}"
	elif [ "$reached" = "reached init" ]; then
		echo "ok $i - boot $i: no report, $reached"
	else
		bad=$((bad + 1))
		echo "not ok $i - boot $i: no report and $reached (see $l/console.log)"
	fi
done
echo "# $cfg/$v: $reported of $runs boots reported a KASAN fault, WARN or BUG before init"
[ "$bad" = 0 ]
