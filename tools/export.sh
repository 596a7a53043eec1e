#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Export the commits of out/fork/linux (base..HEAD) back to patches/ and
# rewrite patches/series. The output depends only on the commits, so an
# export without changes leaves git status clean.
. "$(dirname "$0")/lib.sh"

fork=$(srctree fork)
[ -e "$fork/.git" ] || die "no fork tree; run tools/tree.sh first"
git -C "$fork" diff --quiet HEAD || die "out/fork/linux has uncommitted changes"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -C "$fork" -c core.abbrev=12 -c diff.noprefix=false -c diff.mnemonicPrefix=false \
	format-patch -q -N --zero-commit --no-signature --no-renames --abbrev=12 \
	-o "$tmp" base..HEAD
rm -f "$PATCHES"/*.patch
{
	echo "# Applied in order on the base by tools/tree.sh; written by tools/export.sh."
	for f in "$tmp"/*.patch; do
		[ -e "$f" ] || continue
		cp "$f" "$PATCHES/"
		basename "$f"
	done
} >"$PATCHES/series"
n=$(grep -vc '^#' "$PATCHES/series" || true)
(cd "$PATCHES" && cat series $(grep -v '^#' series)) | sha256sum | cut -d' ' -f1 >"$tmp/h"
echo "$(cat "$tmp/h") $(git -C "$fork" rev-parse HEAD)" >"$fork.state"
say "exported $n patches to patches/"
