#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the harness's kernel-side pieces against one built kernel:
# tools/kmod.sh <config> <variant>
#   dynptdesc_plant.ko  planted faults (tools/check.sh proofs only)
#   sizes.txt           sizeof(struct page), sizeof(struct ptdesc), ... from
#                       that kernel's headers and config (asm-offsets style)
. "$(dirname "$0")/lib.sh"

[ $# -eq 2 ] || die "usage: kmod.sh <config> <variant>"
cfg=$1 variant=$2
load_arch "$cfg"
src=$(srctree "$variant")
b=$(builddir "$cfg" "$variant")
[ -f "$b/$KIMAGE" ] || die "$cfg/$variant is not built; run tools/build.sh $cfg $variant"

d=$OUT/kmod/$cfg/$variant
mkdir -p "$d"
cp "$TOP"/tools/kmod/Kbuild "$TOP"/tools/kmod/*.c "$d/"
mk=(make -s -C "$src" O="$b" M="$d" ARCH="$KARCH" ${CROSS_COMPILE:+CROSS_COMPILE=$CROSS_COMPILE})
"${mk[@]}" modules >"$d/build.log" 2>&1 || die "module build against $cfg/$variant failed (see $d/build.log)"
"${mk[@]}" ptsizes.s >>"$d/build.log" 2>&1 || die "ptsizes.s against $cfg/$variant failed (see $d/build.log)"
sed -n 's/.*\.ascii "->\([A-Z_0-9]*\) \$\{0,1\}\([0-9]*\) .*/\1 \2/p' "$d/ptsizes.s" >"$d/sizes.txt"
grep -q '^SIZEOF_STRUCT_PTDESC [0-9]' "$d/sizes.txt" || die "no sizes in $d/ptsizes.s"
cp "$d/sizes.txt" "$b/ptsizes.txt"
