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
# kdoc <name> <file>: the warnings, without line numbers
kdoc() {
	(cd "$fork" && PATH=/usr/bin:$PATH ./scripts/kernel-doc -none "$2" 2>&1) |
		sed -e "s|^[^ ]*:[0-9]*: |$1: |" || true
}
n=0 fail=0
echo "TAP version 13"
for f in $files; do
	n=$((n + 1))
	out=$(kdoc "$f" <(git -C "$fork" show "HEAD:$f"))
	had=
	if git -C "$fork" cat-file -e "base:$f" 2>/dev/null; then
		had=$(kdoc "$f" <(git -C "$fork" show "base:$f"))
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
