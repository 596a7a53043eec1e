#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The test command (make test, .ci/run): builds and boots baseline and fork
# and reports every result as TAP, ending with "N passed, N failed".
#   1. bad input to the harness fails cleanly         (tools/test-inputs.sh);
#      kernel-doc has no new warnings in what the series touches
#   2. baseline and fork, KASAN config: workload and selftests pass, and
#      KASAN, kmemleak and the WARN/BUG checks are silent (tools/check.sh)
#   3. the fork passes exactly what the baseline passes, and its boot ran
#      the ptdesc KUnit suite, read by kunit.py parse (tools/kunit.sh);
#      every boot had 2 CPUs online, and a one-CPU boot fails the checks
#   4. the checks are proven on planted faults: a lockdep-config boot of
#      the fork with dynptdesc_plant.ko planting lockdep,warn,leak,kasan
#   5. the measurements are read and the report is written
. "$(dirname "$0")/lib.sh"

KASAN_CFG=${KASAN_CFG:-x86_64-kasan}
PLANT_CFG=${PLANT_CFG:-x86_64-lockdep}
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
step deps "$TOP/tools/deps.sh" x86_64 || true
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

booted=
for v in baseline fork; do
	say "$KASAN_CFG/$v: build, boot, check"
	boot_and_check "$KASAN_CFG" "$v" workload "" && booted="$booted $v"
done
say "inputs: bad input to the harness"
tap inputs "$TOP/tools/test-inputs.sh" "$KASAN_CFG"

if [ "$booted" = " baseline fork" ]; then
	passes() { grep '^ok ' "$(logname "$KASAN_CFG/$1/workload" tap)" | sed 's/^ok [0-9]* - //' | sort; }
	diff <(passes baseline) <(passes fork) >"$L/passdiff" 2>&1 &&
		result 1 "fork passes exactly what the baseline passes ($(passes fork | wc -l) checks)" ||
		result 0 "fork and baseline pass different checks (see $L/passdiff)"
	tap "kunit $KASAN_CFG/fork" "$TOP/tools/kunit.sh" "$OUT/logs/$KASAN_CFG/fork/workload" ptdesc
	# the CPU check fails a boot that came up with one CPU: the baseline's
	# logs with its info section saying so
	one=$L/one-cpu
	rm -rf "$one" && cp -r "$OUT/logs/$KASAN_CFG/baseline/workload" "$one"
	sed -i 's/^cpus: [0-9]* online.*/cpus: 1 online (0)/' "$one/data.log"
	if "$TOP/tools/check.sh" "$one" >"$one.tap" 2>&1; then
		result 0 "check.sh passed a boot with one CPU online"
	else
		result "$(grep -q '^not ok .* 1 CPUs online' "$one.tap" && echo 1 || echo 0)" \
			"check.sh fails a boot with one CPU online"
	fi
	step "measure $KASAN_CFG/baseline" "$TOP/tools/measure.sh" "$KASAN_CFG" baseline &&
	step "measure $KASAN_CFG/fork" "$TOP/tools/measure.sh" "$KASAN_CFG" fork &&
	step "report $KASAN_CFG" "$TOP/tools/report.sh" "$KASAN_CFG" &&
		sed 's/^/# /' "$(logname "report $KASAN_CFG" log)"
fi

say "$PLANT_CFG/fork: planted faults"
boot_and_check "$PLANT_CFG" fork plant "dynptdesc.plant=lockdep,warn,leak,kasan dynptdesc.selftests=0" \
	--planted lockdep,warn,leak,kasan

echo "1..$n"
echo "$((n - fail)) passed, $fail failed"
[ "$fail" = 0 ]
