#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The main job: build and boot baseline and fork for each config, check
# the logs, measure and print the comparison: tools/run.sh <config>...
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] || die "usage: run.sh <config>..."
"$TOP/tools/deps.sh" x86_64
"$TOP/tools/tree.sh"
for cfg in "$@"; do
	for v in baseline fork; do
		"$TOP/tools/build.sh" "$cfg" "$v"
		"$TOP/tools/initramfs.sh" "$cfg" "$v"
		"$TOP/tools/boot.sh" "$cfg" "$v"
		"$TOP/tools/check.sh" "$OUT/logs/$cfg/$v/workload" >"$OUT/logs/$cfg/$v/workload/check.tap" ||
			say "$cfg/$v: checks failed: $(grep '^not ok' "$OUT/logs/$cfg/$v/workload/check.tap" | tr '\n' ';')"
		"$TOP/tools/measure.sh" "$cfg" "$v"
	done
done
"$TOP/tools/report.sh" "$@"
