#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Generate the kernel work tree from the cached base repository:
#   out/fork/linux      the base commit plus one commit per patch (git am)
# Baseline and fork are both built from it, with the option off and on.
# Edit and commit in out/fork/linux, then run tools/export.sh.
#
# The fork tree is regenerated only when patches/ changed since it was
# made; commits made in it that are not exported yet are never thrown away.
. "$(dirname "$0")/lib.sh"

"$TOP/tools/base.sh"

series_list() {
	[ -f "$PATCHES/series" ] || die "no patches/series"
	grep -v -e '^#' -e '^[[:space:]]*$' "$PATCHES/series" || true
}

series_hash() {
	(cd "$PATCHES" && cat series $(series_list)) | sha256sum | cut -d' ' -f1
}

git -C "$BASE_REPO" worktree prune

fork=$(srctree fork)
state=$fork.state
for p in $(series_list); do
	[ -f "$PATCHES/$p" ] || die "patches/series lists $p, which does not exist"
done
want=$(series_hash)

if [ -e "$fork/.git" ] && [ -f "$state" ]; then
	read -r had head <"$state"
	cur=$(git -C "$fork" rev-parse HEAD)
	if [ "$had" = "$want" ]; then
		[ "$cur" = "$head" ] ||
			say "note: out/fork/linux has commits not exported to patches/ (tools/export.sh)"
		exit 0
	fi
	[ "$cur" = "$head" ] && git -C "$fork" diff --quiet HEAD ||
		die "both patches/ and out/fork/linux changed; export or reset the tree first"
	say "patches/ changed: regenerating the fork tree"
else
	rm -rf "$fork"
	mkdir -p "$(dirname "$fork")"
	say "checking out the fork tree"
	# one branch per fork tree
	git -C "$BASE_REPO" worktree add -q -B "fork-$(echo "$fork" | sha1sum | cut -c1-8)" "$fork" base
fi

git -C "$fork" am --abort >/dev/null 2>&1 || true
git -C "$fork" reset -q --hard base
n=0
for p in $(series_list); do
	n=$((n + 1))
	if ! git -C "$fork" -c user.name=dynptdesc -c user.email=dynptdesc@localhost \
		am -q --keep-cr "$PATCHES/$p" >"$OUT/fork/am.log" 2>&1; then
		git -C "$fork" am --abort >/dev/null 2>&1 || true
		rm -f "$state"
		die "patch $p does not apply on the base (see $OUT/fork/am.log)"
	fi
done
echo "$want $(git -C "$fork" rev-parse HEAD)" >"$state"
say "fork tree: base + $n patches"
