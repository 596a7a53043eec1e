#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad input to the harness must stop with a one-line error and a non-zero
# exit. TAP output: tools/test-inputs.sh <config>  (a built config, for the
# boot case)
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: test-inputs.sh <config>"
cfg=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; git -C "$BASE_REPO" worktree prune' EXIT
n=0 fail=0

# expect_error <description> <pattern> <command...>
expect_error() {
	local what=$1 pat=$2 rc=0
	shift 2
	"$@" >"$tmp/stdout" 2>"$tmp/err" || rc=$?
	n=$((n + 1))
	local msg
	msg=$(grep -E 'error: ' "$tmp/err" | tail -n 1 || true)
	if [ "$rc" -ne 0 ] && [ -n "$msg" ] && echo "$msg" | grep -qE "$pat"; then
		echo "ok $n - $what: $msg"
	else
		echo "not ok $n - $what (exit $rc, got: $(tail -n 1 "$tmp/err"))"
		fail=$((fail + 1))
	fi
}

echo "TAP version 13"
expect_error "unknown arch" "unsupported arch 'sparc64'" "$TOP/tools/selftests.sh" sparc64
expect_error "unknown config" "no config fragment" "$TOP/tools/build.sh" x86_64-nosuch fork
expect_error "unknown variant" "unknown variant" "$TOP/tools/build.sh" "$cfg" nosuch
expect_error "benchmark sizes that are not numbers" "must be numbers" "$TOP/tools/bench.sh" "$cfg" 3 many
expect_error "base version apt cannot offer" "cannot be had.*apt offers: .*${KERNEL//./\\.}.*BASE_VERSION=" \
	env DYNPTDESC_CACHE="$tmp/cache" BASE_VERSION="$KERNEL.0-0~nosuch" "$TOP/tools/base.sh"
expect_error "base tarball with the wrong sha256" "sha256" \
	env DYNPTDESC_CACHE="$tmp/cache" BASE_SHA256=0000 "$TOP/tools/base.sh"

mkdir -p "$tmp/patches"
printf 'From: nobody <nobody@example.org>\nSubject: [PATCH] mm: does not apply\n\n---\n--- a/mm/nosuch.c\n+++ b/mm/nosuch.c\n@@ -1,1 +1,1 @@\n-a\n+b\n' \
	>"$tmp/patches/0001-broken.patch"
echo 0001-broken.patch >"$tmp/patches/series"
expect_error "patch that does not apply" "0001-broken.patch does not apply" \
	env OUT="$tmp/out" PATCHES="$tmp/patches" "$TOP/tools/tree.sh"
echo missing.patch >"$tmp/patches/series"
expect_error "series naming a missing patch" "lists missing.patch, which does not exist" \
	env OUT="$tmp/out" PATCHES="$tmp/patches" "$TOP/tools/tree.sh"

# The KUnit reader on a log whose suite failed one case, or never ran.
mkdir -p "$tmp/kunit"
printf '%s\n' 'KTAP version 1' '1..1' '    KTAP version 1' '    # Subtest: ptdesc' '    1..2' \
	'    ok 1 ptdesc_test_tag' '    not ok 2 ptdesc_test_rcu_lifetime' 'not ok 1 ptdesc' >"$tmp/kunit/console.log"
expect_error "failed KUnit case" "KUnit suite ptdesc did not pass" "$TOP/tools/kunit.sh" "$tmp/kunit" ptdesc
expect_error "KUnit suite that never ran" "KUnit suite nosuch did not pass" "$TOP/tools/kunit.sh" "$tmp/kunit" nosuch

# make workloads: a config without the programs, a program with no
# script, no arch for the packages, no packages unpacked, and a fork whose
# PostgreSQL page tables exceed the limit (two boots' logs made up here:
# PageTables +10000 kB in the baseline, +6000 kB in the fork)
expect_error "workloads on a config without the programs" "not a <arch>-workloads config" \
	"$TOP/tools/workloads.sh" "$cfg"
expect_error "a workload with no script" "no workload 'nosuch'" \
	env WORKLOADS=nosuch "$TOP/tools/workloads.sh"
expect_error "workload packages without an arch" "needs an arch" "$TOP/tools/deps.sh" --workloads
expect_error "workload files before their packages" "no workload packages for s390x" \
	env DYNPTDESC_CACHE="$tmp/cache" "$TOP/tools/workload-files.sh" s390x "$tmp"
# wl_log <variant> <peak PageTables kB> [<slabinfo row>]: a made-up log
wl_log() {
	local d=$tmp/wl/logs/s390x-workloads/$1/workloads
	mkdir -p "$d"
	{ printf '%s\n' '--- BEGIN info ---' 'console=ttyS0 dynptdesc.workloads=postgres' '--- END info ---' \
		'--- BEGIN meminfo-postgres-idle ---' 'PageTables:      400 kB' '--- END meminfo-postgres-idle ---' \
		'--- BEGIN meminfo-postgres-peak ---' "PageTables:    $2 kB" '--- END meminfo-postgres-peak ---'
	  for s in idle peak; do
		printf '%s\n' "--- BEGIN slabinfo-postgres-$s ---" 'slabinfo - version: 2.1' ${3:+"$3"} \
			"--- END slabinfo-postgres-$s ---"
	  done
	} >"$d/data.log"
}
wl_log baseline 10400
wl_log fork 6400 'ptdesc 0 0 64 64 1 : tunables 0 0 0 : slabdata 0 0 0'
expect_error "a fork over the PostgreSQL limit" "are 60.0% of the baseline's \\(limit 55%\\)" \
	env OUT="$tmp/wl" WL_PG_LIMIT=55 "$TOP/tools/workload-report.sh" s390x-workloads
wl_log fork 6400
expect_error "a fork whose descriptors cannot be counted" "no ptdesc cache" \
	env OUT="$tmp/wl" "$TOP/tools/workload-report.sh" s390x-workloads

# and the boot check on a workloads boot whose program failed one of its
# own checks (a log made up here) must fail it
mkdir -p "$tmp/wlcheck"
: >"$tmp/wlcheck/console.log"
echo CONFIG_X86_64=y >"$tmp/wlcheck/config"
printf '%s\n' '--- BEGIN info ---' 'console=ttyS0 dynptdesc.workloads=postgres' 'cpus: 2 online (0-1)' \
	'--- END info ---' '--- BEGIN workload-postgres ---' 'TAP version 13' '1..2' 'ok 1 - initdb' \
	'not ok 2 - server started' '--- END workload-postgres ---' '--- BEGIN done ---' 'ok' '--- END done ---' \
	>"$tmp/wlcheck/data.log"
n=$((n + 1))
if ! "$TOP/tools/check.sh" "$tmp/wlcheck" >"$tmp/stdout" 2>&1 &&
   [ "$(grep -c '^not ok' "$tmp/stdout")" = 1 ] && grep -q '^not ok .* workload-postgres: 1/2' "$tmp/stdout"; then
	echo "ok $n - a workload that failed a check of its own fails tools/check.sh: $(grep '^not ok' "$tmp/stdout")"
else
	echo "not ok $n - a workload that failed a check of its own: $(grep -c '^not ok' "$tmp/stdout") failures in tools/check.sh"
	fail=$((fail + 1))
fi

expect_error "kernel that never reaches init" "never completed init" \
	env BOOT_TIMEOUT=600 "$TOP/tools/boot.sh" "$cfg" fork noinit "rdinit=/nonexistent init=/nonexistent"
echo "1..$n"
[ "$fail" = 0 ]
