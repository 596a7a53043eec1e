#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The rollback of a failed HVO of a 1 GiB folio: tools/hvo-rollback.sh [<config>]
# (default x86_64-kasan). Boots the fork with dynptdesc.hvorollback=1 and
# more memory (QEMU_GIGANTIC_ARGS in tools/qemu/<arch>.conf): init fails
# the second PTE table of the folio's vmemmap split through the ptdesc
# cache's failslab, so that vmemmap_remap_free() maps the first 2 MiB
# block's vmemmap pages back, then checks the folio's struct pages, the
# memmap counters and the free (tools/guest/init). tools/check.sh holds
# the boot to that TAP and to 0 KASAN reports, kmemleak leaks and
# WARN/BUG. The baseline has no ptdesc cache to fail: VARIANTS=baseline
# is refused. Prints the boot's checks as TAP.
. "$(dirname "$0")/lib.sh"

[ $# -le 1 ] || die "usage: hvo-rollback.sh [<config>]"
cfg=${1:-x86_64-kasan}
load_arch "$cfg"
[ -n "${QEMU_GIGANTIC_ARGS:-}" ] || die "tools/qemu/$arch.conf gives no QEMU_GIGANTIC_ARGS"
for v in ${VARIANTS:-fork}; do
	[ "$v" = fork ] || die "$v: only the fork has a ptdesc cache whose failures reach HVO"
done
# what the test needs, asked for by the config (tools/build.sh then
# checks that it landed)
for o in FAILSLAB FAULT_INJECTION_DEBUG_FS HUGETLB_PAGE_OPTIMIZE_VMEMMAP PROC_PAGE_MONITOR; do
	config_chain "$cfg" | grep -x "CONFIG_$o=y" >/dev/null ||
		die "$cfg does not ask for CONFIG_$o, which the rollback test needs"
done
rc=0
for v in ${VARIANTS:-fork}; do
	"$TOP/tools/build.sh" "$cfg" "$v"
	"$TOP/tools/initramfs.sh" "$cfg" "$v"
	QEMU_EXTRA="$QEMU_GIGANTIC_ARGS" "$TOP/tools/boot.sh" "$cfg" "$v" hvo-rollback "dynptdesc.hvorollback=1"
	l=$OUT/logs/$cfg/$v/hvo-rollback
	"$TOP/tools/check.sh" "$l" >"$l/check.tap" || rc=1
	sed "s/^\(\(not \)\{0,1\}ok [0-9]* - \)/\1$v: /" "$l/check.tap"
done
exit $rc
