#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Read one boot's logs and report, as TAP, what the checkers found:
# tools/check.sh [--planted <list>] <log dir>
#   CPUs online (at least MIN_CPUS, 2), KASAN reports, kmemleak leaks,
#   lockdep splats, WARN/BUG/Oops lines, ptstress and racewalk results and
#   one line per selftest, the failslab phase's results where the kernel
#   has CONFIG_FAILSLAB (or, for a dynptdesc.hotremove=1,
#   dynptdesc.hvorollback=1 or dynptdesc.workloads= boot, the results of
#   that instead).
# Without --planted every count must be 0 and every test pass. With
# --planted kasan,leak,warn,lockdep each named detector must have caught
# its planted fault (count >= 1), which is how the checks are proven.
# A detector the kernel was built without (<log dir>/config, kept by
# tools/boot.sh) is reported as "# SKIP"; a log dir without a config is
# held to all of them.
# The counts are also written to <log dir>/counts.
. "$(dirname "$0")/lib.sh"

planted=
if [ "${1:-}" = --planted ]; then planted=$2; shift 2; fi
[ $# -eq 1 ] || die "usage: check.sh [--planted <list>] <log dir>"
l=$(cd "$1" 2>/dev/null && pwd) || die "no log dir $1"
con=$l/console.log data=$l/data.log
[ -f "$con" ] && [ -f "$data" ] || die "$l: no console.log/data.log"
sec() { "$TOP/tools/section.sh" "$data" "$1"; }
# kernel log lines without the printk timestamp, read once into a file:
# "klog | grep -q" would fail under pipefail when grep stops reading early
kl=$(mktemp)
trap 'rm -f "$kl"' EXIT
sed -e 's/^\[ *[0-9.]*\] //' -e 's/\r$//' "$con" >"$kl"
klog() { cat "$kl"; }

kasan=$(klog | grep -c '^BUG: KASAN: ' || true)
leaks=$(sec kmemleak | grep -c '^unreferenced object' || true)
leaks_boot=$(sec kmemleak-boot | grep -c '^unreferenced object' || true)
lockdep=$(klog | grep -cE '^(WARNING: (possible circular locking dependency|possible recursive locking|inconsistent lock state|possible irq lock inversion|suspicious RCU usage|bad unlock balance|held lock freed|lock held when returning to user space|Nested lock was not taken)|BUG: (sleeping function called from invalid context|lock held when|MAX_LOCKDEP))' || true)
warn=$(klog | grep -cE '^(WARNING: CPU: [0-9]+ PID: |WARNING: .*CPU#[0-9]+: |------------\[ cut here \]|kernel BUG at |BUG: (unable to handle|Bad page|Bad rss|scheduling while atomic|soft lockup|workqueue lockup|kernel NULL pointer)|BUG [^ ]+ \(|Oops: |general protection fault|Kernel panic)' || true)
# (a WARN's first line: "WARNING: CPU: 1 PID: 467 at ..." up to 6.x,
# "WARNING: file.c:80 at func+0x52/0x1000, CPU#1: comm/467" in 7.x)
# a "cut here" line precedes each WARN and BUG: count the events once
cut=$(klog | grep -c '^------------\[ cut here \]' || true)
warn=$((warn - cut))
kmemleak_on=1
grep -qE 'kmemleak: (Kernel memory leak detector disabled|Early log buffer exceeded)' "$kl" && kmemleak_on=0
grep -q '^--- BEGIN kmemleak ---' "$data" || kmemleak_on=0
lockdep_on=0
grep -q '^Lock dependency validator' "$kl" && lockdep_on=1

cat >"$l/counts" <<EOT
kasan=$kasan
kmemleak=$leaks
kmemleak_boot=$leaks_boot
lockdep=$lockdep
warn=$warn
kmemleak_on=$kmemleak_on
lockdep_on=$lockdep_on
EOT

n=0 fail=0
tap() {	# tap <ok:0|1> <description>
	n=$((n + 1))
	if [ "$1" = 1 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail + 1)); fi
}
is_planted() { case ",$planted," in *",$1,"*) return 0 ;; esac; return 1; }
detector() {	# detector <name> <count> <what>
	if is_planted "$1"; then
		tap "$([ "$2" -ge 1 ] && echo 1 || echo 0)" "planted $1 caught: $2 $3"
	else
		tap "$([ "$2" -eq 0 ] && echo 1 || echo 0)" "$2 $3"
	fi
}

# built <option>: the booted kernel has CONFIG_<option>=y
built() { [ ! -f "$l/config" ] || grep -q "^CONFIG_$1=y\$" "$l/config"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP not built in (CONFIG_$2)"; }

name=${l#"$OUT/logs/"}
echo "# $name"
tap "$(grep -q '^--- END done ---' "$data" && echo 1 || echo 0)" "init completed"
# every guest runs on two CPUs or more (MIN_CPUS): RCU-deferred frees and
# the locks in the descriptors must meet a second CPU
cpus=$(sec info | sed -n 's/^cpus: \([0-9]*\) online.*/\1/p')
tap "$([ "${cpus:-0}" -ge "${MIN_CPUS:-2}" ] && echo 1 || echo 0)" \
	"${cpus:-no} CPUs online (at least ${MIN_CPUS:-2})"
# an x86_64 kernel built for 5-level paging (6.12: X86_5LEVEL; 7.x: five
# levels compiled in, chosen at boot unless no5lvl says otherwise) must
# have run with it (QEMU -cpu max has LA57), or its p4d tables were never
# used
if [ -f "$l/config" ] && grep -q '^CONFIG_X86_64=y$' "$l/config" &&
   { grep -q '^CONFIG_X86_5LEVEL=y$' "$l/config" ||
     { grep -q '^CONFIG_PGTABLE_LEVELS=5$' "$l/config" &&
       ! grep -qw no5lvl <<<"$(sec info; cat "$l/qemu.cmd" 2>/dev/null)"; }; }; then
	paging=$(sec info | sed -n 's/^paging: //p')
	tap "$([ "$paging" = 5-level ] && echo 1 || echo 0)" "paging: ${paging:-unknown} (built for 5-level)"
fi
if built KASAN || is_planted kasan; then
	detector kasan "$kasan" "KASAN reports"
else
	skip "KASAN reports" KASAN
fi
if built DEBUG_KMEMLEAK || is_planted leak; then
	tap "$kmemleak_on" "kmemleak active and scanned"
	detector leak "$leaks" "kmemleak leaks after the workload"
	tap "$([ "$leaks_boot" -eq 0 ] && echo 1 || echo 0)" "$leaks_boot kmemleak leaks at boot"
else
	skip "kmemleak" DEBUG_KMEMLEAK
fi
if [ "$lockdep_on" = 1 ] || is_planted lockdep; then
	tap "$lockdep_on" "lockdep active"
	detector lockdep "$lockdep" "lockdep splats"
fi
detector warn "$warn" "WARN/BUG/Oops"

# guest_tap <section>: one result for a guest program's TAP: all of its
# plan passed, its failures echoed as diagnostics
guest_tap() {
	local out total okc
	out=$(sec "$1")
	total=$(echo "$out" | sed -n 's/^1\.\.\([0-9]*\)$/\1/p')
	okc=$(echo "$out" | grep -c '^ok ' || true)
	tap "$([ -n "$total" ] && [ "$okc" = "$total" ] && echo 1 || echo 0)" "$1: $okc/${total:-?} passed"
	echo "$out" | grep '^not ok' | sed 's/^/#   /' || true
}

if [ -n "$planted" ]; then
	# the workload ran before the faults were planted (no selftests)
	guest_tap ptstress
	guest_tap racewalk
	[ -z "$(sec ptstress-pgste)" ] || guest_tap ptstress-pgste
elif sec info | grep -q 'dynptdesc\.hotremove=1'; then
	# the hot-remove boot (tools/hotremove.sh) runs that instead of the workload
	guest_tap hotremove
elif sec info | grep -q 'dynptdesc\.hvorollback=1'; then
	# the HVO rollback boot (tools/hvo-rollback.sh), instead of the workload
	guest_tap hvo-rollback
elif sec info | grep -q 'dynptdesc\.workloads='; then
	# real programs (tools/workloads.sh), instead of the workload
	for w in $(sec info | sed -n 's/.*dynptdesc\.workloads=\([^ ]*\).*/\1/p' | tr ',' ' '); do
		guest_tap "workload-$w"
	done
else
	guest_tap ptstress
	guest_tap racewalk
	# s390 with KVM: the workload again in mms with PGSTEs
	[ -z "$(sec ptstress-pgste)" ] || guest_tap ptstress-pgste
	while read -r line; do
		case "$line" in
		"ok "*) tap 1 "${line#ok * }" ;;
		"not ok "*) l2=${line#not ok }; tap 0 "${l2#* }" ;;
		esac
	done < <(sec selftests | grep -E '^(not )?ok ')
	# the failslab phase: in kernels with CONFIG_FAILSLAB and a ptdesc cache
	if built FAILSLAB; then
		fsl=$(sec failslab)
		if [ -z "$fsl" ]; then
			tap 0 "failslab: no failslab phase in the log"
		elif echo "$fsl" | grep -q '^1\.\.0 # SKIP'; then
			tap 1 "failslab # SKIP $(echo "$fsl" | sed -n 's/^1\.\.0 # SKIP //p')"
		else
			echo "$fsl" | grep '^# ' | sed 's/^# /# failslab: /' || true
			while read -r line; do
				case "$line" in
				"ok "*) tap 1 "failslab: ${line#ok * - }" ;;
				"not ok "*) tap 0 "failslab: ${line#not ok * - }" ;;
				esac
			done < <(echo "$fsl" | grep -E '^(not )?ok ')
			fwant=$(echo "$fsl" | sed -n 's/^1\.\.\([0-9]*\)$/\1/p')
			fgot=$(echo "$fsl" | grep -cE '^(not )?ok ' || true)
			tap "$([ "${fwant:-x}" = "$fgot" ] && echo 1 || echo 0)" "failslab: $fgot of ${fwant:-?} reported"
		fi
	fi
	want=$(sec selftests | sed -n 's/^1\.\.\([0-9]*\)$/\1/p')
	got=$(sec selftests | grep -cE '^(not )?ok ' || true)
	tap "$([ "${want:-x}" = "$got" ] && echo 1 || echo 0)" "selftests: $got of ${want:-?} reported"
fi
echo "1..$n"
echo "# $name: $((n - fail)) passed, $fail failed"
[ "$fail" = 0 ]
