#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What page-table allocation and free cost in baseline and fork, timed by
# the guest clock under QEMU -icount (one nanosecond per guest
# instruction with shift=0, idle time skipped with sleep=off), so the
# figures are close to deterministic and free of host noise:
#   tools/bench.sh <config> [<boots> [<tables per round> [<rounds>]]]
# Builds both variants and boots each <boots> times (default 3) with
# dynptdesc.bench=1: init runs tools/guest/ptbench.c and nothing else.
# Prints the median ns per table of each case, and the spread over boots.
# Logs: out/logs/<config>/<variant>/bench-<n>/
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] && [ $# -le 4 ] || die "usage: bench.sh <config> [<boots> [<tables> [<rounds>]]]"
cfg=$1 boots=${2:-3} tables=${3:-256} rounds=${4:-20}
load_arch "$cfg"
case "$boots$tables$rounds" in *[!0-9]*) die "boots, tables and rounds must be numbers" ;; esac
[ "$boots" -ge 1 ] || die "boots must be at least 1"

for v in baseline fork; do
	"$TOP/tools/build.sh" "$cfg" "$v"
	"$TOP/tools/initramfs.sh" "$cfg" "$v"
	: >"$OUT/logs/$cfg/$v/bench.all"
	for i in $(seq "$boots"); do
		QEMU_EXTRA="-icount shift=0,sleep=off" "$TOP/tools/boot.sh" "$cfg" "$v" "bench-$i" \
			"dynptdesc.bench=1 dynptdesc.bench_tables=$tables dynptdesc.bench_rounds=$rounds"
		l=$OUT/logs/$cfg/$v/bench-$i
		"$TOP/tools/section.sh" "$l/data.log" bench >"$l/bench.tap"
		! grep -q '^not ok' "$l/bench.tap" ||
			die "$cfg/$v: ptbench failed: $(grep -m1 '^not ok' "$l/bench.tap")"
		sed -n 's/^# bench \(.*\): \([0-9]*\) ns per table$/\1 \2/p' "$l/bench.tap" >"$l/bench"
		[ "$(wc -l <"$l/bench")" = 2 ] || die "$cfg/$v: ptbench reported no timings (see $l/bench.tap)"
		cat "$l/bench" >>"$OUT/logs/$cfg/$v/bench.all"
	done
done

# <case> <median> <min> <max> per variant
summary() {
	sort -k1,1 -k2,2n "$OUT/logs/$cfg/$1/bench.all" | awk '
	function flush() { if (n) print c, v[int((n + 1) / 2)], v[1], v[n] }
	$1 != c { flush(); c = $1; n = 0 }
	{ v[++n] = $2 }
	END { flush() }'
}
echo "$cfg: ns per page table under -icount (1 ns = 1 guest instruction)"
echo "  median of $boots boots [min-max], $tables tables x $rounds rounds each"
printf '  %-14s %22s %22s %18s\n' "" baseline fork delta
join <(summary baseline) <(summary fork) |
	awk '{ printf "  %-14s %8d [%5d-%5d] %8d [%5d-%5d] %+8d (%+.1f%%)\n",
		$1, $2, $3, $4, $5, $6, $7, $5 - $2, 100 * ($5 - $2) / $2 }'
