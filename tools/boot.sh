#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot one built kernel with its initramfs in QEMU (TCG) and keep the logs:
# tools/boot.sh <config> <variant> [<run name> [<extra kernel args>]]
#   out/logs/<config>/<variant>/<run>/console.log  kernel log (ttyS0)
#   out/logs/<config>/<variant>/<run>/data.log     init's sections (ttyS1)
#   out/logs/<config>/<variant>/<run>/config       the kernel's .config
#   out/logs/<config>/<variant>/<run>/ptsizes.txt  its struct sizes
# Fails, with the tail of the console, when the guest never completes init.
# QEMU_EXTRA: more QEMU arguments (tools/bench.sh: -icount).
# The QEMU command line is kept in out/logs/<config>/<variant>/<run>/qemu.cmd.
. "$(dirname "$0")/lib.sh"

[ $# -ge 2 ] || die "usage: boot.sh <config> <variant> [<run> [<kernel args>]]"
cfg=$1 variant=$2 run=${3:-workload} extra=${4:-}
load_arch "$cfg"
extra="$(config_cmdline "$cfg")$extra"
command -v "$QEMU" >/dev/null || die "$QEMU not installed"
b=$(builddir "$cfg" "$variant")
kernel=$b/$KIMAGE
initrd=$OUT/initramfs/$cfg/$variant.cpio.gz
[ -f "$kernel" ] || die "no kernel $kernel; build $cfg/$variant first"
[ -f "$initrd" ] || die "no initramfs $initrd; run tools/initramfs.sh $cfg $variant"

l=$OUT/logs/$cfg/$variant/$run
rm -rf "$l"
mkdir -p "$l"
# the kernel's .config beside its logs: tools/check.sh reads which
# detectors were built in
cp "$b/.config" "$l/config"
# and its struct sizes (tools/kmod.sh), which tools/measure.sh reports
[ ! -f "$b/ptsizes.txt" ] || cp "$b/ptsizes.txt" "$l/ptsizes.txt"
timeout=${BOOT_TIMEOUT:-1800}
say "booting $cfg/$variant ($run), timeout ${timeout}s"
start=$SECONDS
# the console and init's data channel: two serial ports, or the arch's own
# devices (QEMU_SERIAL_ARGS, with @CONSOLE@ and @DATA@ for the files)
serial="-serial file:$l/console.log -serial file:$l/data.log"
[ -z "${QEMU_SERIAL_ARGS:-}" ] ||
	serial=$(echo "$QEMU_SERIAL_ARGS" | sed -e "s|@CONSOLE@|$l/console.log|" -e "s|@DATA@|$l/data.log|")
# shellcheck disable=SC2086
echo "$QEMU" $QEMU_ARGS ${QEMU_EXTRA:-} -kernel "$kernel" -initrd "$initrd" \
	-append "'$KCMDLINE $extra'" $serial >"$l/qemu.cmd"
# shellcheck disable=SC2086
with_progress "booting $cfg/$variant ($run)" \
	timeout --foreground -k 10 "$timeout" "$QEMU" $QEMU_ARGS ${QEMU_EXTRA:-} \
	-kernel "$kernel" -initrd "$initrd" -append "$KCMDLINE $extra" $serial \
	</dev/null >"$l/qemu.log" 2>&1 && rc=0 || rc=$?
echo "$((SECONDS - start))" >"$l/seconds"

if ! grep -q -- '^--- END done ---' "$l/data.log" 2>/dev/null; then
	tail -n 25 "$l/console.log" >&2 2>/dev/null || true
	[ "$rc" = 124 ] && why="timed out after ${timeout}s" || why="QEMU exit $rc"
	die "$cfg/$variant ($run) never completed init ($why); logs in $l"
fi
say "$cfg/$variant ($run) done in $((SECONDS - start))s"
