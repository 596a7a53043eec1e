#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# KUnit results of a boot, read by the kernel's own parser:
#   tools/kunit.sh <log dir> <suite>
# Runs tools/testing/kunit/kunit.py parse on <log dir>/console.log and
# prints one TAP line per test case of <suite>. Fails when the suite did
# not run, or any case did not pass.
. "$(dirname "$0")/lib.sh"

[ $# -eq 2 ] || die "usage: kunit.sh <log dir> <suite>"
log=$(cd "$1" 2>/dev/null && pwd)/console.log
suite=$2
[ -f "$log" ] || die "no console.log in $1"
kunit=$(srctree fork)/tools/testing/kunit/kunit.py
[ -f "$kunit" ] || die "no $kunit; run tools/tree.sh"

parsed=$(python3 "$kunit" parse "$log" 2>&1) && rc=0 || rc=$?
echo "$parsed" | sed 's/^/# /'
# "[hh:mm:ss] =+ <suite> (<n> subtests) =+" opens the suite; its cases
# follow as "[hh:mm:ss] [PASSED] <case>" until "[PASSED|FAILED] <suite>".
echo "$parsed" | awk -v s="$suite" '
	$0 ~ "= " s " \\([0-9]+ subtests\\) =" { in_suite = 1; found = 1; next }
	in_suite && $0 ~ "\\[[A-Z ]+\\] " s " =" { in_suite = 0; next }
	in_suite && match($0, /\[(PASSED|FAILED|SKIPPED|CRASHED|TIMED OUT)\] /) {
		st = substr($0, RSTART + 1, RLENGTH - 3)
		name = substr($0, RSTART + RLENGTH)
		n++
		if (st == "PASSED") print "ok " n " - kunit: " s ": " name
		else if (st == "SKIPPED") print "ok " n " - kunit: " s ": " name " # SKIP"
		else { print "not ok " n " - kunit: " s ": " name " (" st ")"; bad = 1 }
	}
	END {
		if (!found) { print "not ok " n + 1 " - kunit: suite " s " did not run"; bad = 1 }
		else if (!n) { print "not ok 1 - kunit: suite " s " has no results"; bad = 1 }
		exit bad
	}' || rc=1
[ $rc = 0 ] || die "KUnit suite $suite did not pass in $log"
