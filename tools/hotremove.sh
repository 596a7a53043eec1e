#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Memory hot-remove of HVO-split vmemmap, baseline and fork:
#   tools/hotremove.sh [<config>]        (default x86_64-kasan)
# Each variant boots with a DIMM (QEMU_HOTPLUG_ARGS in tools/qemu/<arch>.conf)
# and dynptdesc.hotremove=1: init onlines the DIMM's memory, takes huge
# pages from it with HVO on, gives them back, offlines the memory and
# ejects the DIMM (tools/guest/init). tools/check.sh then holds the boot
# to its hot-remove TAP and to 0 KASAN reports, kmemleak leaks and
# WARN/BUG: a split vmemmap table freed without its ptdesc is a leak,
# and under DEBUG_VM a warning. Prints each boot's checks as TAP.
# VARIANTS="fork" boots one variant only.
. "$(dirname "$0")/lib.sh"

[ $# -le 1 ] || die "usage: hotremove.sh [<config>]"
cfg=${1:-x86_64-kasan}
load_arch "$cfg"
[ -n "${QEMU_HOTPLUG_ARGS:-}" ] || die "tools/qemu/$arch.conf gives no QEMU_HOTPLUG_ARGS"
rc=0
for v in ${VARIANTS:-baseline fork}; do
	"$TOP/tools/build.sh" "$cfg" "$v"
	"$TOP/tools/initramfs.sh" "$cfg" "$v"
	QEMU_EXTRA="$QEMU_HOTPLUG_ARGS" "$TOP/tools/boot.sh" "$cfg" "$v" hotremove "dynptdesc.hotremove=1"
	l=$OUT/logs/$cfg/$v/hotremove
	"$TOP/tools/check.sh" "$l" >"$l/check.tap" || rc=1
	sed "s/^\(\(not \)\{0,1\}ok [0-9]* - \)/\1$v: /" "$l/check.tap"
done
exit $rc
