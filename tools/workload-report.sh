#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Page-table memory of the real programs, baseline against fork, from the
# kept logs of tools/workloads.sh: tools/workload-report.sh <config>...
# (the runs named WL_RUN, default workloads)
# For each program, what it added between its snapshots "idle" (before
# it started) and "peak" (all its processes alive): PageTables, and the
# descriptors (ptdesc, page->ptl: objects in use x object size, after
# every cache was shrunk; whole slabs would hide the objects that went
# into slabs an earlier program left partly empty). The fork's ratio is its PageTables
# plus slabs over the baseline's. Writes out/report/<run>.txt and
# out/report/<run>.svg (gnuplot); with WL_PG_LIMIT=<percent> (make
# workloads: 55), s390x's PostgreSQL ratio must be at most that.
. "$(dirname "$0")/lib.sh"

[ $# -gt 0 ] || die "usage: workload-report.sh <config>..."
r=$OUT/report
run=${WL_RUN:-workloads}
mkdir -p "$r"
sec() { "$TOP/tools/section.sh" "$1" "$2"; }
# kb <data.log> <workload> <snapshot> <variant>: "PageTables_kB slab_kB",
# slab being the descriptor objects in use (active objects x object size
# in the ptdesc and page->ptl rows; the caches were shrunk first). A
# snapshot without /proc/slabinfo, or a fork's without a ptdesc row (a
# merged cache), cannot be counted.
kb() {
	local pt slab si
	pt=$(sec "$1" "meminfo-$2-$3" | awk '$1 == "PageTables:" { print $2 }')
	[ -n "$pt" ] || die "$1: no PageTables in section meminfo-$2-$3"
	# read whole, not piped into grep -q (pipefail)
	si=$(sec "$1" "slabinfo-$2-$3")
	[[ $si == "slabinfo - version"* ]] || die "$1: no /proc/slabinfo in section slabinfo-$2-$3"
	[ "$4" = baseline ] || [[ $si == *$'\n'"ptdesc "* ]] ||
		die "$1: no ptdesc cache in section slabinfo-$2-$3"
	slab=$(awk '$1 == "ptdesc" || $1 == "page->ptl" { b += $2 * $4 }
		END { printf "%d", (b + 512) / 1024 }' <<<"$si")
	echo "$pt $slab"
}
# the workloads and their arguments, as a boot's command line gave them
wl_args() { sec "$1" info | tr ' ' '\n' | { grep '^dynptdesc\.\(workloads\|wl_\)' || true; } | sort | tr '\n' ' '; }
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
for cfg in "$@"; do
	for v in baseline fork; do
		d=$OUT/logs/$cfg/$v/$run/data.log
		[ -f "$d" ] || die "no $d; run tools/workloads.sh $cfg"
	done
	b=$OUT/logs/$cfg/baseline/$run/data.log f=$OUT/logs/$cfg/fork/$run/data.log
	[ "$(wl_args "$b")" = "$(wl_args "$f")" ] ||
		die "$cfg: baseline and fork ran different workloads ($(wl_args "$b")/ $(wl_args "$f"))"
	for w in $(sec "$b" info | sed -n 's/.*dynptdesc\.workloads=\([^ ]*\).*/\1/p' | tr ',' ' '); do
		x=$(kb "$b" "$w" idle baseline); read -r bi bis <<<"$x"
		x=$(kb "$b" "$w" peak baseline); read -r bp bps <<<"$x"
		x=$(kb "$f" "$w" idle fork); read -r fk fks <<<"$x"
		x=$(kb "$f" "$w" peak fork); read -r fp fps <<<"$x"
		echo "${cfg%-workloads} $w $((bp - bi)) $((bps - bis)) $((fp - fk)) $((fps - fks)) $bp $fp"
	done
done >"$rows"

{
	echo "Page-table memory a program added while all its processes were alive"
	echo "(snapshot peak minus idle, kB; slab: ptdesc and page->ptl objects in use)"
	printf '%-8s %-9s %10s %8s %10s %8s %9s %12s\n' arch program "base PT" "slab" "fork PT" "slab" "fork PT" "fork PT+slab"
	printf '%-8s %-9s %10s %8s %10s %8s %9s %12s\n' "" "" "" "" "" "" "/ base" "/ base"
	awk '{ b = $3 + $4
	       printf "%-8s %-9s %10d %8d %10d %8d %8.1f%% %11.1f%%\n", $1, $2, $3, $4, $5, $6,
		b ? 100 * $5 / b : 0, b ? 100 * ($5 + $6) / b : 0 }' "$rows"
	echo
	echo "(at the peak, whole guest: PageTables kB baseline -> fork)"
	awk '{ printf "  %-8s %-9s %8d -> %8d\n", $1, $2, $7, $8 }' "$rows"
} | tee "$r/$run.txt"

if command -v gnuplot >/dev/null; then
	awk '{ b = $3 + $4; if (b) printf "%s:%s %.1f %.1f\n", $1, $2, 100 * $5 / b, 100 * ($5 + $6) / b }' \
		"$rows" >"$r/$run.dat"
	bar_chart "$r/$run.dat" "$r/$run.svg" $((400 + 110 * $(wc -l <"$rows"))) \
		"Real programs: the fork's page-table memory, % of the baseline's\n(PageTables added while every process was alive; +slab: the ptdesc slab too)" \
		"% of the baseline's PageTables" "fork PageTables" "fork PageTables + ptdesc slab" \
		"set xtics rotate by -30"
fi

if [ -n "${WL_PG_LIMIT:-}" ]; then
	[[ $WL_PG_LIMIT =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "WL_PG_LIMIT must be a percentage: '$WL_PG_LIMIT'"
	# the unrounded share is held to the limit
	pct=$(awk '$1 == "s390x" && $2 == "postgres" { b = $3 + $4; if (b) printf "%.6f", 100 * ($5 + $6) / b }' "$rows")
	[ -n "$pct" ] || die "no s390x postgres row to hold to ${WL_PG_LIMIT}%"
	shown=$(printf '%.1f' "$pct")
	awk -v p="$pct" -v l="$WL_PG_LIMIT" 'BEGIN { exit !(p <= l) }' ||
		die "s390x postgres: the fork's PageTables + ptdesc slab are $shown% of the baseline's (limit $WL_PG_LIMIT%)"
	say "s390x postgres: the fork's PageTables + ptdesc slab are $shown% of the baseline's (limit $WL_PG_LIMIT%)"
fi
