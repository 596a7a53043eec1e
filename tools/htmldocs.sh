#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's Sphinx build of the books the series touches, at the base
# and at the fork's last patch: tools/htmldocs.sh
# Runs make SPHINXDIRS="$DOC_DIRS" htmldocs (default "mm core-api": the
# new Documentation/mm page, split_page_table_lock.rst, and mm-api.rst,
# which pulls the kernel-doc of include/linux/mm_types.h and mm.h) on a
# worktree at base and on the fork tree, and prints TAP: one result per
# book built, and one that fails on any WARNING or ERROR line of the fork's
# build that the base's build does not have (paths and line numbers aside).
# Output: out/docs/{base,fork}/ and their logs out/docs/{base,fork}.log.
. "$(dirname "$0")/lib.sh"

[ $# -eq 0 ] || die "usage: htmldocs.sh (SPHINXDIRS in DOC_DIRS)"
command -v sphinx-build >/dev/null || die "sphinx-build not installed (tools/deps.sh --docs)"
fork=$(srctree fork)
[ -e "$fork/.git" ] || die "no fork tree; run tools/tree.sh"
dirs=${DOC_DIRS:-mm core-api}
for d in $dirs; do
	[ -d "$fork/Documentation/$d" ] || die "no Documentation/$d in the fork tree"
done
base=$OUT/docs/base-src
[ -d "$BASE_REPO/.git" ] || die "no base repository $BASE_REPO; run tools/tree.sh"
git -C "$BASE_REPO" worktree prune
[ -e "$base/.git" ] || { mkdir -p "$OUT/docs"; git -C "$BASE_REPO" worktree add -q --detach "$base" base; }
git -C "$base" checkout -q --detach base

n=0 fail=0
# warnings <log> <tree>: Sphinx's and kernel-doc's warning and error lines,
# tree paths and line numbers gone; repeated lines kept, so that one more
# copy of a warning the base has counts as new
warnings() {
	grep -iE 'warning:|error:' "$1" | sed -e "s|$2/||g" -e 's/:[0-9][0-9]*:/:/g' -e 's/ at \([^ ]*\):[0-9][0-9]*/ at \1/' | sort
}
echo "TAP version 13"
for v in base fork; do
	[ $v = base ] && src=$base || src=$fork
	rm -rf "$OUT/docs/$v"
	say "make htmldocs SPHINXDIRS=\"$dirs\" ($v)"
	if with_progress "htmldocs ($v)" make -C "$src" O="$OUT/docs/$v" SPHINXDIRS="$dirs" htmldocs \
		>"$OUT/docs/$v.log" 2>&1; then
		tap_result 1 "htmldocs $v: $dirs built ($(warnings "$OUT/docs/$v.log" "$src" | wc -l) warnings)"
	else
		tap_result 0 "htmldocs $v: make htmldocs failed (see $OUT/docs/$v.log)"
	fi
done
new=$(comm -13 <(warnings "$OUT/docs/base.log" "$base") <(warnings "$OUT/docs/fork.log" "$fork"))
if [ -z "$new" ]; then
	tap_result 1 "htmldocs: no warning in the fork's build that the base's build does not have"
else
	tap_result 0 "htmldocs: $(echo "$new" | wc -l) new warnings: $(echo "$new" | head -n 3 | tr '\n' ' ')"
fi
echo "1..$n"
echo "$((n - fail)) passed, $fail failed"
[ "$fail" = 0 ]
