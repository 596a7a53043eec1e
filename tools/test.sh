#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The test command (make test, .ci/run): builds and boots baseline and fork
# and reports every result as TAP, ending with "N passed, N failed".
#   1. bad input to the harness fails cleanly         (tools/test-inputs.sh);
#      kernel-doc has no new warnings in what the series touches
#   2. baseline and fork, the KASAN config of each arch (x86_64, s390x):
#      workload and selftests pass, and KASAN, kmemleak and the WARN/BUG
#      checks are silent (tools/check.sh)
#   3. the fork passes exactly what the baseline passes, and its boot ran
#      the ptdesc KUnit suite, read by kunit.py parse (tools/kunit.sh);
#      every boot had 2 CPUs online, and a one-CPU boot fails the checks
#   4. the checks are proven on planted faults: a second boot of the
#      s390x KASAN fork with dynptdesc_plant.ko planting warn,leak,kasan
#      (no new build: the test command stays within an hour cold)
#   5. the measurements are read and the report is written
# make test-lockdep runs the same script for the lockdep configs only:
# their pairs through the workload, then each fork with lockdep,warn,
# leak,kasan planted, each fault only where its detector is built
# (KASAN_CFGS and PLANT_CFGS both "x86_64-lockdep s390x-lockdep");
# make test-la57 the 5-level paging pair (KASAN_CFGS=x86_64-la57
# PLANT_CFGS=), where the KUnit p4d case must run.
. "$(dirname "$0")/lib.sh"

KASAN_CFGS=${KASAN_CFGS-x86_64-kasan s390x-kasan}
KASAN_CFG=${KASAN_CFGS%% *}
PLANT_CFGS=${PLANT_CFGS-s390x-kasan}
PLANTS=${PLANTS:-warn,leak,kasan}
L=$OUT/test
mkdir -p "$L"
n=0 fail=0

# a log file name for a step or check name
logname() { echo "$L/$(echo "$1" | tr '/ ()' '___-' | tr -s _).$2"; }

result() {	# result <0|1> <description>
	n=$((n + 1))
	if [ "$1" = 1 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail + 1)); fi
}
# step <name> <command...>: one result for a command, its output in a log
step() {
	local name=$1 rc=0 log
	shift
	log=$(logname "$name" log)
	say "$name"
	with_progress "$name" "$@" >"$log" 2>&1 || rc=$?
	if [ $rc = 0 ]; then
		result 1 "$name"
	else
		result 0 "$name: $(grep 'error: ' "$log" | tail -n 1)"
	fi
	return $rc
}
# tap <prefix> <command...>: fold a TAP-printing command's results in
tap() {
	local prefix=$1 line tapf errf
	shift
	tapf=$(logname "$prefix" tap) errf=$(logname "$prefix" err)
	say "$prefix"
	"$@" >"$tapf" 2>"$errf" || true
	while IFS= read -r line; do
		case "$line" in
		"ok "*) result 1 "$prefix: $(echo "$line" | sed 's/^ok [0-9]* - //')" ;;
		"not ok "*) result 0 "$prefix: $(echo "$line" | sed 's/^not ok [0-9]* - //')" ;;
		esac
	done <"$tapf"
	grep -q '^\(not \)\?ok ' "$tapf" ||
		result 0 "$prefix: no results ($(grep 'error: ' "$errf" | tail -n 1))"
}

echo "TAP version 13"
say "test logs in $L"
step deps "$TOP/tools/deps.sh" $(for c in $KASAN_CFGS $PLANT_CFGS; do config_arch "$c"; done | sort -u) || true
step tree "$TOP/tools/tree.sh" || { echo "1..$n"; echo "$((n - fail)) passed, $fail failed"; exit 1; }
tap kernel-doc "$TOP/tools/kerneldoc.sh"

boot_and_check() {	# <config> <variant> <run> <kernel args> [--planted list]
	local cfg=$1 v=$2 run=$3 args=$4
	shift 4
	step "build $cfg/$v" "$TOP/tools/build.sh" "$cfg" "$v" &&
	step "initramfs $cfg/$v" "$TOP/tools/initramfs.sh" "$cfg" "$v" &&
	step "boot $cfg/$v ($run)" "$TOP/tools/boot.sh" "$cfg" "$v" "$run" "$args" ||
		return 1
	tap "$cfg/$v/$run" "$TOP/tools/check.sh" "$@" "$OUT/logs/$cfg/$v/$run"
}

# PT_RECLAIM: MADV_DONTNEED over whole PTE-table ranges (ptstress) frees as
# large a share of the emptied tables' pages in the fork as in the
# baseline, s390's halves included, within RECLAIM_SLACK percentage points
# (default 2: a few pages of other processes' tables move PageTables by
# about 1% of the 8 MiB that s390's halves free)
reclaim_pct() {	# <metrics file>
	awk '$1 == "derived.reclaim_freed_pct" { print $2 }' "$1" 2>/dev/null
}
# reclaim_cmp <baseline metrics> <fork metrics>: one line, status 0 when
# the fork freed as large a share as the baseline (within the slack)
reclaim_cmp() {
	local b f
	b=$(reclaim_pct "$1") f=$(reclaim_pct "$2")
	echo "PT_RECLAIM freed ${f:-?}% of the emptied tables in the fork, ${b:-?}% in the baseline"
	[ -n "$b" ] && [ -n "$f" ] &&
		awk -v b="$b" -v f="$f" -v s="${RECLAIM_SLACK:-2}" 'BEGIN { exit !(f >= b - s && b >= 90) }'
}
reclaim_check() {	# <config>
	local m=$OUT/logs/$1 d msg t
	if ! grep -q '^CONFIG_PT_RECLAIM=y$' "$m/baseline/workload/config"; then
		result 1 "$1: PT_RECLAIM # SKIP not in this kernel"
		return 0
	fi
	msg=$(reclaim_cmp "$m/baseline/workload/metrics" "$m/fork/workload/metrics") &&
		result 1 "$1: $msg" || result 0 "$1: $msg"
	# and the comparison fails a fork that freed nothing: a copy of its
	# log whose reclaim section reads the peak again after MADV_DONTNEED,
	# measured by tools/measure.sh as the real one was
	d=$m/fork/reclaim-none
	t=
	rm -rf "$d" && cp -r "$m/fork/workload" "$d" &&
		t=$(awk '/^--- BEGIN reclaim ---/ { r = 1 } r && $1 == "touched_kb" { sub(/\r$/, "", $2); print $2; exit }' "$d/data.log") || true
	if [ -z "$t" ] ||
	   ! sed -i "/^--- BEGIN reclaim ---/,/^--- END reclaim ---/s/^after_kb .*/after_kb $t/" "$d/data.log" ||
	   ! "$TOP/tools/measure.sh" "$1" fork reclaim-none >"$d.measure" 2>&1; then
		result 0 "$1: could not make a fork log that freed nothing (see $d)"
	elif msg=$(reclaim_cmp "$m/baseline/workload/metrics" "$d/metrics"); then
		result 0 "$1: the PT_RECLAIM check passed a fork log that freed nothing ($msg)"
	else
		result 1 "$1: the PT_RECLAIM check fails a fork log that freed nothing ($msg)"
	fi
	return 0
}

pair() {	# <config>: baseline and fork, compared, KUnit, measured, reported
	local cfg=$1 v booted=
	for v in baseline fork; do
		say "$cfg/$v: build, boot, check"
		boot_and_check "$cfg" "$v" workload "" && booted="$booted $v"
	done
	[ "$booted" = " baseline fork" ] || return 0
	# the failslab phase runs in the fork only (the baseline has no ptdesc
	# cache and skips it): compare everything else
	passes() { grep '^ok ' "$(logname "$cfg/$1/workload" tap)" | sed 's/^ok [0-9]* - //' |
		grep -v '^failslab' | sort; }
	diff <(passes baseline) <(passes fork) >"$L/passdiff.$cfg" 2>&1 &&
		result 1 "$cfg: fork passes exactly what the baseline passes ($(passes fork | wc -l) checks)" ||
		result 0 "$cfg: fork and baseline pass different checks (see $L/passdiff.$cfg)"
	tap "kunit $cfg/fork" "$TOP/tools/kunit.sh" "$OUT/logs/$cfg/fork/workload" ptdesc
	# with 5-level paging the p4d case must have run, not skipped (6.12:
	# X86_5LEVEL; 7.x chooses at boot, and the guest says which it had)
	if grep -q '^CONFIG_X86_5LEVEL=y$' "$OUT/logs/$cfg/fork/workload/config" ||
	   "$TOP/tools/section.sh" "$OUT/logs/$cfg/fork/workload/data.log" info |
		grep '^paging: 5-level$' >/dev/null; then
		grep -q '^ok [0-9]* - kunit: ptdesc: ptdesc_test_p4d$' "$(logname "kunit $cfg/fork" tap)" &&
			result 1 "$cfg: the KUnit p4d case ran (5-level paging)" ||
			result 0 "$cfg: the KUnit p4d case did not run"
	fi
	step "measure $cfg/baseline" "$TOP/tools/measure.sh" "$cfg" baseline &&
	step "measure $cfg/fork" "$TOP/tools/measure.sh" "$cfg" fork &&
	reclaim_check "$cfg" &&
	step "report $cfg" "$TOP/tools/report.sh" "$cfg" &&
		sed 's/^/# /' "$(logname "report $cfg" log)" &&
		reported="$reported $cfg"
}

reported=
for cfg in $KASAN_CFGS; do
	pair "$cfg" || true	# its steps have recorded their own results
done
# out/report/ compares every pair this run measured, not the last alone
[ "$(echo $reported | wc -w)" -lt 2 ] ||
	step "report:$reported" "$TOP/tools/report.sh" $reported
if [ -n "$KASAN_CFG" ]; then
	say "inputs: bad input to the harness"
	tap inputs "$TOP/tools/test-inputs.sh" "$KASAN_CFG"
fi

# must_fail <name> <variant> <sed script> <expected not-ok line> <what>:
# a copy of the first config's <variant> workload logs, its data.log edited
# by <sed script>, must fail tools/check.sh with <expected not-ok line>
must_fail() {
	local d=$L/$1 src=$OUT/logs/$KASAN_CFG/$2/workload
	rm -rf "$d" && cp -r "$src" "$d"
	sed -i "$3" "$d/data.log"
	if "$TOP/tools/check.sh" "$d" >"$d.tap" 2>&1; then
		result 0 "check.sh passed $5"
	else
		result "$(grep -q "^not ok .* $4" "$d.tap" && echo 1 || echo 0)" "check.sh fails $5"
	fi
}
# the CPU check fails a boot that came up with one CPU
[ ! -f "$OUT/logs/$KASAN_CFG/baseline/workload/data.log" ] ||
	must_fail one-cpu baseline 's/^cpus: [0-9]* online.*/cpus: 1 online (0)/' \
		'1 CPUs online' "a boot with one CPU online"
# the paging check fails a boot meant for 5-level paging that ran with
# four levels (make test-la57)
if "$TOP/tools/section.sh" "$OUT/logs/$KASAN_CFG/fork/workload/data.log" info 2>/dev/null |
	grep '^paging: 5-level$' >/dev/null; then
	must_fail four-level fork 's/^paging: 5-level/paging: 4-level/' \
		'paging: 4-level (built for 5-level)' "a 5-level boot that ran with four levels"
elif [ -f "$OUT/logs/$KASAN_CFG/fork/workload/data.log" ]; then
	result 1 "check.sh fails a 5-level boot that ran with four levels # SKIP $KASAN_CFG did not boot with 5-level paging"
fi
# the failslab check fails a fork boot whose kernel has CONFIG_FAILSLAB
# but whose log has no failslab phase
! grep -q '^--- BEGIN failslab ---' "$OUT/logs/$KASAN_CFG/fork/workload/data.log" 2>/dev/null ||
! grep -q '^CONFIG_FAILSLAB=y$' "$OUT/logs/$KASAN_CFG/fork/workload/config" ||
	must_fail no-failslab fork '/^--- BEGIN failslab ---/,/^--- END failslab ---/d' \
		'failslab: no failslab phase' "a fork boot without its failslab phase"

# planted faults, after the workload (without the selftests), in a fork
# built for the pairs above where it is one of them
for cfg in $PLANT_CFGS; do
	kcfg=$(builddir "$cfg" fork)/.config
	[ -f "$kcfg" ] || step "build $cfg/fork" "$TOP/tools/build.sh" "$cfg" fork || continue
	# a fault is planted only where its detector is built: a KASAN fault
	# in a kernel without KASAN would corrupt memory unseen
	plants=$(for p in ${PLANTS//,/ }; do
		case $p in
		kasan) opt=KASAN ;;
		leak) opt=DEBUG_KMEMLEAK ;;
		lockdep) opt=PROVE_LOCKING ;;
		*) opt= ;;
		esac
		if [ -z "$opt" ] || grep -q "^CONFIG_$opt=y\$" "$kcfg"; then echo "$p"; fi
	done | paste -sd, -)
	say "$cfg/fork: planted faults ($plants)"
	boot_and_check "$cfg" fork plant "dynptdesc.plant=$plants dynptdesc.selftests=0 dynptdesc.failslab=0" \
		--planted "$plants"
done

echo "1..$n"
echo "$((n - fail)) passed, $fail failed"
[ "$fail" = 0 ]
