#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Where the fork's extra instructions per page table go, row by row of
# make bench:
#   tools/profile.sh [<config> [<tables>]]
# Boots baseline and fork of <config> (default x86_64-bench; tools/bench.sh
# builds them) in ptbench's bench mode under QEMU -icount with our tbprof
# TCG plugin (tools/qemu/plugins/tbprof.c). Every executed block of kernel
# code is charged to the function its first instruction is in
# (System.map). For each row of PROFILE_ROWS (<cgroup>:<case>, cgroup
# memcg or root; default the four table cases in both), each variant
# boots twice running that case alone in that cgroup alone, with the
# rounds in PROFILE_ROUNDS (default "1 31"); the difference between the
# two boots, over the <tables> tables each extra round allocates and
# frees, is what each function runs per page table. Prints, per row, the
# functions whose count differs most between baseline and fork
# (PROFILE_TOP, default 12) and the totals; then the totals of all rows,
# split by what the functions do (slab, wrap, memcg: together "own", what
# runs for the descriptor; decode; the rest: see slab_re and the others
# below).
# PROFILE_REPORT=1 boots nothing: the tables again from the kept logs.
# The profile counts every round, where make bench reports the median
# round: a round that a periodic worker joins is in it.
# Logs: out/logs/<config>/<variant>/prof-<cgroup>-<case>-<rounds>/tb.txt,
# the per-table counts in .../prof-<cgroup>-<case>.per-table and the
# printed tables in out/logs/<config>/profile.log.
. "$(dirname "$0")/lib.sh"

[ $# -le 2 ] || die "usage: profile.sh [<config> [<tables>]]"
cfg=${1:-x86_64-bench} tables=${2:-256}
load_arch "$cfg"
case "$tables" in ''|*[!0-9]*) die "tables must be a number" ;; esac
# sparse allocates two tables per touch
[ "$tables" -ge 2 ] && [ $((tables % 2)) = 0 ] || die "tables must be even and at least 2"
read -r r1 r2 rest <<<"${PROFILE_ROUNDS:-1 31}"
for r in "$r1" "${r2:-}"; do
	case $r in ''|*[!0-9]*) die "PROFILE_ROUNDS must be two numbers" ;; esac
done
[ -z "$rest" ] || die "PROFILE_ROUNDS must be two numbers"
[ "$r1" -ge 1 ] || die "PROFILE_ROUNDS: at least 1 round (0 runs no case)"
[ "$r2" -gt "$r1" ] || die "PROFILE_ROUNDS: the second must be larger"
rows=${PROFILE_ROWS-memcg:fault+munmap memcg:sparse memcg:fork+exit memcg:reclaim root:fault+munmap root:sparse root:fork+exit root:reclaim}
[ -n "${rows// /}" ] || die "PROFILE_ROWS names no row"
for row in $rows; do
	case $row in
	memcg:fault+munmap|memcg:sparse|memcg:fork+exit|memcg:reclaim) ;;
	root:fault+munmap|root:sparse|root:fork+exit|root:reclaim) ;;
	*) die "unknown row '$row' (<memcg|root>:<fault+munmap|sparse|fork+exit|reclaim>)" ;;
	esac
done
# The functions a row's delta is summed over, by what they do for the
# descriptor; "own" is the first three, what runs for the descriptor.
# slab: its allocation and free, with SLUB's helpers (out of line at -Os)
slab_re='^(kmem_cache_alloc|kmem_cache_free|__kmem_cache_free_bulk|refill_objects$|build_slab_freelist$|alloc_from_new_slab$|__pcs_|barn_|page_slab$|virt_to_slab$|kmem_cache_debug_flags$|slab_want_init_on_)'
# wrap: pagetable_alloc() and __pagetable_free(), out of line with the option
wrap_re='^(pagetable_alloc_noprof$|__pagetable_free$|ptdesc_(desc_alloc|desc_free|page_alloc)$)'
# memcg: the descriptor's byte charge and uncharge
memcg_re='^(ptdesc_(charge|uncharge)$|obj_cgroup_(charge|uncharge)$|trylock_stock$|unlock_stock$|__refill_obj_stock$|refill_obj_stock$|drain_obj_stock$)'
# decode: the tag's decode and the lock lookups, in code both variants run
decode_re='^(page_ptdesc$|pte_lockptr|pte_offset_map_lock$|pte_offset_map_rw_nolock$|___pte_free_tlb$|___pmd_free_tlb$|pmd_install$|__pte_alloc$|pagetable_dtor|pagetable_pte_ctor)'
params=$OUT/logs/$cfg/profile.params
if [ "${PROFILE_REPORT:-0}" = 1 ]; then
	# the rounds and tables the kept counts were made with
	[ -s "$params" ] || die "no $params; run tools/profile.sh $cfg without PROFILE_REPORT"
	read -r r1 r2 tables <"$params"
else
	plugin=$("$TOP/tools/tcg-plugin.sh" tbprof) || exit 1
	for v in baseline fork; do
		b=$(builddir "$cfg" "$v")
		[ -f "$b/System.map" ] || die "no $b/System.map; run tools/bench.sh $cfg first"
		[ -f "$OUT/initramfs/$cfg/$v.cpio.gz" ] || "$TOP/tools/initramfs.sh" "$cfg" "$v"
	done
fi

# instructions per function: <log dir> <System.map> -> "<function> <n>"
per_function() {
	sort "$1/tb.txt" | awk -v map="$2" '
	BEGIN {
		while ((getline l < map) > 0) {
			split(l, f, " ")
			if (f[2] ~ /^[tTwW]$/) { n++; a[n] = f[1]; s[n] = f[3] }
		}
		i = 1
	}
	{
		while (i < n && a[i + 1] <= $1) i++
		if (n && a[i] <= $1) tot[s[i]] += $2 * $3
	}
	END { for (k in tot) print k, tot[k] }' | sort
}

# profile <variant> <cgroup> <case> <rounds>: one boot, its functions file
profile() {
	local run=prof-$2-$3-$4 l sec=bench
	l=$OUT/logs/$cfg/$1/$run
	[ "$2" = memcg ] || sec=bench-root
	QEMU_EXTRA="$BENCH_QEMU -plugin $plugin,out=$l/tb.txt" \
		"$TOP/tools/boot.sh" "$cfg" "$1" "$run" \
		"dynptdesc.bench=1 dynptdesc.bench_tables=$tables dynptdesc.bench_rounds=$4 dynptdesc.bench_cases=$3 dynptdesc.bench_sides=$2" ||
		return 1
	"$TOP/tools/section.sh" "$l/data.log" $sec >"$l/$sec.tap"
	grep -q "^ok .* $3: $4 rounds" "$l/$sec.tap" && ! grep -q '^not ok' "$l/$sec.tap" ||
		{ echo "profile.sh: error: $cfg/$1 $run: ptbench did not pass ($l/$sec.tap)" >&2; return 1; }
	[ -s "$l/tb.txt" ] || { echo "profile.sh: error: $cfg/$1: the plugin wrote no $l/tb.txt" >&2; return 1; }
	grep -q 'smp: Brought up .* 1 CPU[^s]*$' "$l/console.log" ||
		{ echo "profile.sh: error: $cfg/$1 $run: not one CPU (BENCH_QEMU)" >&2; return 1; }
	per_function "$l" "$(builddir "$cfg" "$1")/System.map" >"$l/functions"
}

# the boots of each row and its per-table counts, unless PROFILE_REPORT=1
if [ "${PROFILE_REPORT:-0}" != 1 ]; then
	mkdir -p "$OUT/logs/$cfg"
	rm -f "$params"
	for row in $rows; do
		side=${row%%:*} case=${row#*:}
		for r in "$r1" "$r2"; do
			# the two variants at once: -icount counts are the guest's own
			profile baseline "$side" "$case" "$r" &
			profile fork "$side" "$case" "$r" || { wait; exit 1; }
			wait $! || exit 1
		done
		for v in baseline fork; do
			d=$OUT/logs/$cfg/$v
			join -a1 -a2 -e 0 -o 0,1.2,2.2 "$d/prof-$side-$case-$r1/functions" \
				"$d/prof-$side-$case-$r2/functions" |
				awk -v n=$((tables * (r2 - r1))) '{ printf "%s %.1f\n", $1, ($3 - $2) / n }' \
				>"$d/prof-$side-$case.per-table"
		done
	done
	echo "$r1 $r2 $tables" >"$params"
fi

# <row>: its table; the last line "<row> <baseline> <fork> <delta> <own>
# <slab> <wrap> <memcg> <decode>" for the summary
report_row() {
	local side=${1%%:*} case=${1#*:} f
	for f in baseline fork; do
		f=$OUT/logs/$cfg/$f/prof-$side-$case.per-table
		[ -s "$f" ] || die "no $f; run tools/profile.sh $cfg without PROFILE_REPORT"
	done
	printf '\n%s\n' "$1"
	printf '  %-36s %10s %10s %10s\n' function baseline fork delta
	join -a1 -a2 -e 0 -o 0,1.2,2.2 "$OUT/logs/$cfg/baseline/prof-$side-$case.per-table" \
		"$OUT/logs/$cfg/fork/prof-$side-$case.per-table" |
		awk '{ d = $3 - $2; print (d < 0 ? -d : d), $1, $2, $3, d }' | sort -rn |
		awk -v top="${PROFILE_TOP:-12}" -v row="$1" -v slab_re="$slab_re" \
			-v wrap_re="$wrap_re" -v memcg_re="$memcg_re" -v decode_re="$decode_re" '
		{
			tb += $3; tf += $4
			if ($2 ~ slab_re) slab += $5
			else if ($2 ~ wrap_re) wrap += $5
			else if ($2 ~ memcg_re) memcg += $5
			else if ($2 ~ decode_re) decode += $5
		}
		NR <= top && $1 >= 1 { printf "  %-36s %10.1f %10.1f %+10.1f\n", $2, $3, $4, $5 }
		END {
			printf "  %-36s %10.1f %10.1f %+10.1f (%+.1f%%)\n", "(all kernel code)", tb, tf, tf - tb, 100 * (tf - tb) / tb
			own = slab + wrap + memcg
			printf "  %-36s %32+.1f\n", "(own: slab, wrap, memcg)", own
			printf "  %-36s %32+.1f\n", "(decode)", decode
			printf "  %-36s %32+.1f\n", "(the rest)", tf - tb - own - decode
			printf "%s %.1f %.1f %+.1f %+.1f %+.1f %+.1f %+.1f %+.1f\n", row, tb, tf, tf - tb, own, slab, wrap, memcg, decode
		}'
}

log=$OUT/logs/$cfg/profile.log
trap 'rm -f "$log.sum" "$log.row" "$log.new"' EXIT
: >"$log.sum"
{
echo "$cfg: kernel instructions per page table, by function (tbprof, -icount;"
echo "  per row, boots with $r1 and $r2 rounds of that case alone, $tables tables a round)"
for row in $rows; do
	report_row "$row" >"$log.row"
	sed '$d' "$log.row"
	tail -n1 "$log.row" >>"$log.sum"
done
printf '\n%s: per table, by row; own = slab + wrap + memcg (what runs for\n' "$cfg"
printf '  the descriptor), decode, rest = delta - own - decode\n'
printf '  %-20s %9s %9s %8s %8s %7s %6s %6s %6s %7s %6s\n' row baseline fork delta "" own slab wrap memcg decode rest
awk '{ printf "  %-20s %9.1f %9.1f %+8.1f %8s %+7.1f %+6.1f %+6.1f %+6.1f %+7.1f %+6.1f\n",
	$1, $2, $3, $4, sprintf("(%+.1f%%)", 100 * $4 / $2), $5, $6, $7, $8, $9, $4 - $5 - $9 }' "$log.sum"
} >"$log.new"
[ "$(grep -c '^  (all kernel code)' "$log.new")" = "$(echo $rows | wc -w)" ] ||
	die "$cfg: a row's profile is missing (see $log.new)"
mv "$log.new" "$log"
cat "$log"
