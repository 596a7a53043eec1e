#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The main job: build and boot baseline and fork for each config, check
# the logs, measure and print the comparison: tools/run.sh <config>...
# Each step says where it is: "[step n/N, elapsed] what". Exits non-zero
# when a boot's checks failed, after printing the comparison.
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] || die "usage: run.sh <config>..."
archs=$(for cfg in "$@"; do config_file "$cfg" >/dev/null; config_arch "$cfg"; done | sort -u)
total=$((3 + 4 * 2 * $#)) i=0 bad=
step() {	# step <what>: announce the next step
	i=$((i + 1))
	printf '[step %d/%d, %dm%02ds] %s\n' "$i" "$total" $((SECONDS / 60)) $((SECONDS % 60)) "$1" >&2
}
step "dependencies (tools/deps.sh $(echo $archs))"
"$TOP/tools/deps.sh" $archs
step "work tree: base and patch series (tools/tree.sh)"
"$TOP/tools/tree.sh"
for cfg in "$@"; do
	for v in baseline fork; do
		l=$OUT/logs/$cfg/$v/workload
		step "build $cfg/$v"
		"$TOP/tools/build.sh" "$cfg" "$v"
		step "initramfs $cfg/$v"
		"$TOP/tools/initramfs.sh" "$cfg" "$v"
		step "boot $cfg/$v through the workload"
		"$TOP/tools/boot.sh" "$cfg" "$v"
		step "check and measure $cfg/$v"
		if ! "$TOP/tools/check.sh" "$l" >"$l/check.tap"; then
			say "$cfg/$v: checks failed: $(grep '^not ok' "$l/check.tap" | tr '\n' ';')"
			bad="$bad $cfg/$v"
		fi
		"$TOP/tools/measure.sh" "$cfg" "$v"
	done
done
step "report"
"$TOP/tools/report.sh" "$@"
[ -z "$bad" ] || die "checks failed for$bad (see out/logs/<config>/<variant>/workload/check.tap)"
say "done in $((SECONDS / 60))m$((SECONDS % 60))s"
