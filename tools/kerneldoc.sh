#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernel-doc over what the series touches: tools/kerneldoc.sh
# Runs scripts/kernel-doc -none on every .c and .h file that base..HEAD of
# the fork tree changes or adds, and prints TAP: one result per file, which
# fails on any warning that the file at base does not already have (line
# numbers aside).
. "$(dirname "$0")/lib.sh"

fork=$(srctree fork)
[ -e "$fork/.git" ] || die "no fork tree; run tools/tree.sh"
files=$(git -C "$fork" diff --name-only --diff-filter=AM base..HEAD -- '*.c' '*.h')
[ -n "$files" ] || die "the series touches no .c or .h file"
# kdoc <name> <rev>: the warnings of the file at <rev>, without line
# numbers. The file is written out first: 7.x's kernel-doc (Python) reads
# only regular files, not a /dev/fd pipe.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
kdoc() {
	local copy=$tmp/$2/$1
	mkdir -p "$(dirname "$copy")"
	git -C "$fork" show "$2:$1" >"$copy"
	(cd "$fork" && PATH=/usr/bin:$PATH ./scripts/kernel-doc -none "$copy" 2>&1) |
		sed -e "s|$copy|$1|g" -e "s|^[^ ]*:[0-9]*: |$1: |" -e "s|$1:[0-9]*|$1|g" || true
}
n=0 fail=0
echo "TAP version 13"
for f in $files; do
	n=$((n + 1))
	out=$(kdoc "$f" HEAD)
	had=
	if git -C "$fork" cat-file -e "base:$f" 2>/dev/null; then
		had=$(kdoc "$f" base)
	fi
	out=$(comm -23 <(echo "$out" | sort) <(echo "$had" | sort) | sed '/^$/d')
	if [ -z "$out" ]; then
		echo "ok $n - kernel-doc -none $f${had:+ (no new warnings; $(echo "$had" | wc -l) in the base)}"
	else
		echo "not ok $n - kernel-doc -none $f: $(echo "$out" | wc -l) warnings"
		echo "$out" | sed 's/^/#   /'
		fail=$((fail + 1))
	fi
done
echo "1..$n"
[ "$fail" = 0 ]
