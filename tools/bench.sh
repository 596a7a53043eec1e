#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What page-table allocation and free cost in baseline and fork, timed by
# the guest clock under QEMU -icount (one nanosecond per guest
# instruction with shift=0, idle time skipped with sleep=off) of a
# one-CPU guest (BENCH_QEMU in tools/lib.sh: there the tables' RCU frees
# run inside the timed rounds), so the figures are close to deterministic
# and free of host noise:
#   tools/bench.sh [<config> [<boots> [<tables per round> [<rounds>]]]]
# <config> defaults to x86_64-bench (x86_64-plain without KUnit). Builds
# both variants and boots each <boots> times (default 5) with
# dynptdesc.bench=1: init runs tools/guest/ptbench.c in a child memory
# cgroup and then in the root cgroup, and nothing else. Prints the median
# ns per table of each case (BENCH_CASES, default all five: fault+munmap,
# sparse, fork+exit, exec, reclaim; exec per exec), in the memcg and in
# the root, with
# the spread over boots, and the bytes per table in both (in the memcg
# what memory.max holds: memory.stat's "kernel", which ptbench also checks
# goes back down once the tables are freed). ptbench runs on CPU 0 only,
# with one untimed round before each case, in the order BENCH_CASES names
# them (see tools/guest/ptbench.c). Then, unless
# BENCH_CACHE=0, cache misses per table: QEMU's cache plugin
# (tools/tcg-plugin.sh; L1d and L1i 32 KiB 8-way, L2 2 MiB 16-way, 64-byte
# lines, LRU, per vCPU) counts a whole boot, so two boots per variant that
# differ only in the rounds (BENCH_CACHE_ROUNDS, default "2 6") give the
# misses of the extra rounds, over the 6 x <tables> tables each round of
# the first three cases allocates and frees (in the memcg and in the
# root; those boots run only these three).
# BENCH_REPORT=1 builds and boots nothing: the tables again from the kept
# logs (timings and bytes; not the cache misses).
# Logs: out/logs/<config>/<variant>/bench-<n>/
. "$(dirname "$0")/lib.sh"

[ $# -le 4 ] || die "usage: bench.sh [<config> [<boots> [<tables> [<rounds>]]]]"
cfg=${1:-x86_64-bench} boots=${2:-5} tables=${3:-256} rounds=${4:-20}
load_arch "$cfg"
case "$boots$tables$rounds" in *[!0-9]*) die "boots, tables and rounds must be numbers" ;; esac
[ "$boots" -ge 1 ] && [ "$rounds" -ge 1 ] || die "boots and rounds must be at least 1"
cases=${BENCH_CASES:-fault+munmap sparse fork+exit exec reclaim}
for c in $cases; do
	case $c in fault+munmap|sparse|fork+exit|exec|reclaim) ;; *) die "unknown case '$c' (fault+munmap sparse fork+exit exec reclaim)" ;; esac
done
ncases=$(echo $cases | wc -w)

# cases <prefix> <tap>: "<prefix>:<case> <ns>" per case, per table; the
# exec case per exec (ns per table x page-table pages per exec: a new mm
# has fewer pages where tables come in halves, s390's fork)
cases_of() {
	awk -v p="$1" '/^# exec: [0-9]+ page-table pages per exec$/ { pages = $3 }
		/^# bench [^ ]*: [0-9]+ ns per table$/ {
			c = $3; sub(":$", "", c); v = $4
			if (c == "exec") v *= pages
			print p ":" c, v }' "$2"
}
# parse <variant> <boot>: the timings and bytes of one boot's logs, added
# to <variant>/bench.all and bytes.all
parse() {
	local l=$OUT/logs/$cfg/$1/bench-$2 s
	grep -q 'smp: Brought up .* 1 CPU[^s]*$' "$l/console.log" ||
		die "$cfg/$1: bench-$2 did not run on one CPU (BENCH_QEMU in tools/lib.sh)"
	for s in bench bench-root; do
		"$TOP/tools/section.sh" "$l/data.log" $s >"$l/$s.tap"
		grep -q '^ok ' "$l/$s.tap" && ! grep -q '^not ok' "$l/$s.tap" ||
			die "$cfg/$1: ptbench failed ($s): $(grep -m1 '^not ok' "$l/$s.tap" || echo "no result; see $l/$s.tap")"
	done
	# the cases timed in the child memcg, then in the root cgroup
	{ cases_of memcg "$l/bench.tap"; cases_of root "$l/bench-root.tap"; } >"$l/bench"
	[ "$(wc -l <"$l/bench")" = $((2 * ncases)) ] || die "$cfg/$1: ptbench did not time every case (see $l/bench*.tap)"
	cat "$l/bench" >>"$OUT/logs/$cfg/$1/bench.all"
	# "memcg" from the child, "root" from the root cgroup
	grep -q '^# bytes /[^ ]' "$l/bench.tap" ||
		die "$cfg/$1: ptbench did not run in a child cgroup (see $l/bench.tap)"
	sed -n 's|^# bytes /[^ :]*: \(-\{0,1\}[0-9]*\) bytes per table.*|memcg \1|p' "$l/bench.tap" >"$l/bytes"
	sed -n 's|^# bytes /: \(-\{0,1\}[0-9]*\) bytes per table.*|root \1|p' "$l/bench-root.tap" >>"$l/bytes"
	[ "$(wc -l <"$l/bytes")" = 2 ] || die "$cfg/$1: ptbench reported no bytes per table (see $l/bench*.tap)"
	cat "$l/bytes" >>"$OUT/logs/$cfg/$1/bytes.all"
}

for v in baseline fork; do
	if [ "${BENCH_REPORT:-0}" != 1 ]; then
		"$TOP/tools/build.sh" "$cfg" "$v"
		"$TOP/tools/initramfs.sh" "$cfg" "$v"
	fi
	mkdir -p "$OUT/logs/$cfg/$v"
	: >"$OUT/logs/$cfg/$v/bench.all"
	: >"$OUT/logs/$cfg/$v/bytes.all"
	for i in $(seq "$boots"); do
		[ "${BENCH_REPORT:-0}" = 1 ] ||
			QEMU_EXTRA="$BENCH_QEMU" "$TOP/tools/boot.sh" "$cfg" "$v" "bench-$i" \
				"dynptdesc.bench=1 dynptdesc.bench_tables=$tables dynptdesc.bench_rounds=$rounds dynptdesc.bench_cases=$(echo $cases | tr ' ' ,)"
		[ -f "$OUT/logs/$cfg/$v/bench-$i/data.log" ] || die "no $cfg/$v/bench-$i logs (BENCH_REPORT=1 reads kept logs)"
		parse "$v" "$i"
	done
done

# <case> <median> <min> <max> per variant, from <variant>/<file>
summary() {
	sort -k1,1 -k2,2n "$OUT/logs/$cfg/$1/${2:-bench.all}" | awk '
	function flush() { if (n) print c, v[int((n + 1) / 2)], v[1], v[n] }
	$1 != c { flush(); c = $1; n = 0 }
	{ v[++n] = $2 }
	END { flush() }'
}
echo "$cfg: ns per page table under -icount (1 ns = 1 guest instruction; exec: per exec)"
echo "  median of $boots boots [min-max], $tables tables x $rounds rounds each"
printf '  %-20s %22s %22s %18s\n' "" baseline fork delta
join <(summary baseline) <(summary fork) |
	awk '{ printf "  %-20s %8d [%5d-%5d] %8d [%5d-%5d] %+8d (%+.1f%%)\n",
		$1, $2, $3, $4, $5, $6, $7, $5 - $2, 100 * ($5 - $2) / $2 }'
echo
echo "$cfg: bytes per PTE table held, median of $boots boots"
echo "  memcg: a child cgroup's memory.stat kernel; root: /proc/meminfo PageTables + SUnreclaim"
printf '  %-14s %22s %22s %18s\n' "" baseline fork delta
join <(summary baseline bytes.all) <(summary fork bytes.all) |
	awk '{ printf "  %-14s %8d [%5d-%5d] %8d [%5d-%5d] %+8d (%+.1f%%)\n",
		$1, $2, $3, $4, $5, $6, $7, $5 - $2, 100 * ($5 - $2) / $2 }'

[ "${BENCH_CACHE:-1}" = 1 ] && [ "${BENCH_REPORT:-0}" != 1 ] || exit 0
read -r r1 r2 <<<"${BENCH_CACHE_ROUNDS:-2 6}"
case "$r1$r2" in ''|*[!0-9]*) die "BENCH_CACHE_ROUNDS must be two numbers" ;; esac
[ "$r2" -gt "$r1" ] || die "BENCH_CACHE_ROUNDS: the second must be larger"
plugin=$("$TOP/tools/tcg-plugin.sh" cache) || exit 1
# the plugin's report: a line per vCPU, then with more than one a "sum"
# line; each: core, data accesses, data misses, dmiss rate, insn accesses,
# insn misses, imiss rate, l2 accesses, l2 misses, l2 rate. The last line
# before the first empty one is the whole guest's.
for v in baseline fork; do
	for r in "$r1" "$r2"; do
		l=$OUT/logs/$cfg/$v/cache-$r
		QEMU_EXTRA="$BENCH_QEMU -d plugin -plugin $plugin,dcachesize=32768,icachesize=32768,l2=on" \
			"$TOP/tools/boot.sh" "$cfg" "$v" "cache-$r" \
			"dynptdesc.bench=1 dynptdesc.bench_tables=$tables dynptdesc.bench_rounds=$r dynptdesc.bench_cases=fault+munmap,sparse,fork+exit"
		awk '/^core #/ { on = 1; next } on && /^$/ { exit }
			on { d = $3; l2 = $9; i = $6 } END { if (on) print d, l2, i }' "$l/qemu.log" >"$l/misses"
		[ "$(wc -w <"$l/misses")" = 3 ] || die "$cfg/$v: no cache plugin report in $l/qemu.log"
	done
done
echo
echo "$cfg: cache misses per page table (QEMU cache plugin, L1d 32 KiB, L2 2 MiB;"
echo "  boots with $r1 and $r2 rounds, $((6 * tables)) tables allocated and freed per round)"
printf '  %-14s %12s %12s %18s\n' "" baseline fork delta
for i in 1 2 3; do
	name=$(echo "L1d L2 L1i" | cut -d' ' -f$i)
	per=()
	for v in baseline fork; do
		a=$(cut -d' ' -f$i "$OUT/logs/$cfg/$v/cache-$r1/misses")
		b=$(cut -d' ' -f$i "$OUT/logs/$cfg/$v/cache-$r2/misses")
		per+=("$(awk -v a="$a" -v b="$b" -v n=$((6 * tables * (r2 - r1))) 'BEGIN { printf "%.1f", (b - a) / n }')")
	done
	awk -v n="$name" -v x="${per[0]}" -v y="${per[1]}" 'BEGIN {
		printf "  %-14s %12.1f %12.1f %+9.1f (%+.1f%%)\n", n " misses", x, y, y - x, x ? 100 * (y - x) / x : 0 }'
done
