#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the chosen tools/testing/selftests/mm programs statically, from the
# baseline tree, with its own Makefile: tools/selftests.sh <arch>
# Both variants run the very same binaries.
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: selftests.sh <arch>"
arch=$1
check_arch "$arch"
. "$TOP/tools/qemu/$arch.conf"
src=$(srctree baseline)
[ -f "$src/Makefile" ] || die "no baseline tree; run tools/tree.sh"

# The selftests run in the guest, in this order (see PROTOTYPE.md).
SELFTESTS=$(selftests_for_arch | awk '!seen[$1]++ { print $1 }')

d=$OUT/guest/$arch
mkdir -p "$d/hdr" "$d/mm"
if [ ! -f "$d/hdr/include/linux/mman.h" ]; then
	say "installing $arch uapi headers"
	make -s -C "$src" O="$d/hdrbuild" ARCH="$KARCH" \
		${CROSS_COMPILE:+CROSS_COMPILE=$CROSS_COMPILE} \
		INSTALL_HDR_PATH="$d/hdr" headers_install >"$d/hdr.log" 2>&1 ||
		die "headers_install for $arch failed (see $d/hdr.log)"
fi

# 6.12.117's khugepaged.c returns KSFT_SKIP without including kselftest.h
# (a stable backport slip); the header has include guards, so force it in.
fixup="-include $src/tools/testing/selftests/kselftest.h"

targets=()
for t in $SELFTESTS; do targets+=("$d/mm/$t"); done
say "building selftests/mm for $arch: $(echo $SELFTESTS)"
make -s -C "$src/tools/testing/selftests/mm" ARCH="$KARCH" CC="${GUEST_CC}" \
	OUTPUT="$d/mm" KHDR_INCLUDES="-isystem $d/hdr/include" \
	EXTRA_CFLAGS="-static $fixup" LDFLAGS="-static" "${targets[@]}" >"$d/mm.log" 2>&1 ||
	die "selftests/mm build for $arch failed (see $d/mm.log)"
for t in "${targets[@]}"; do
	[ -x "$t" ] || die "selftest $(basename "$t") was not built (see $d/mm.log)"
	file "$t" | grep -q 'statically linked' || die "selftest $(basename "$t") is not static"
done
