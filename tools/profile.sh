#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Where the fork's extra instructions per page table go:
#   tools/profile.sh [<config> [<tables>]]
# Boots baseline and fork of <config> (default x86_64-bench; tools/bench.sh
# builds them) in ptbench's bench mode under QEMU -icount with our tbprof
# TCG plugin (tools/qemu/plugins/tbprof.c), twice each, with the rounds in
# PROFILE_ROUNDS (default "1 4"). Every executed block of kernel code is
# charged to the function its first instruction is in (System.map), and
# the difference between the two boots, over the 6 x <tables> tables each
# round allocates and frees (the first three cases, in a memcg and in the
# root; ptbench runs only these here), is
# what each function runs per page table. Prints the functions whose
# count differs most between baseline and fork, and the totals.
# Logs: out/logs/<config>/<variant>/prof-<rounds>/tb.txt
. "$(dirname "$0")/lib.sh"

[ $# -le 2 ] || die "usage: profile.sh [<config> [<tables>]]"
cfg=${1:-x86_64-bench} tables=${2:-256}
load_arch "$cfg"
case "$tables" in ''|*[!0-9]*) die "tables must be a number" ;; esac
read -r r1 r2 <<<"${PROFILE_ROUNDS:-1 4}"
case "$r1$r2" in ''|*[!0-9]*) die "PROFILE_ROUNDS must be two numbers" ;; esac
[ "$r2" -gt "$r1" ] || die "PROFILE_ROUNDS: the second must be larger"
plugin=$("$TOP/tools/tcg-plugin.sh" tbprof) || exit 1

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

for v in baseline fork; do
	b=$(builddir "$cfg" "$v")
	[ -f "$b/System.map" ] || die "no $b/System.map; run tools/bench.sh $cfg first"
	[ -f "$OUT/initramfs/$cfg/$v.cpio.gz" ] || "$TOP/tools/initramfs.sh" "$cfg" "$v"
	for r in "$r1" "$r2"; do
		l=$OUT/logs/$cfg/$v/prof-$r
		QEMU_EXTRA="-icount shift=0,sleep=off -plugin $plugin,out=$l/tb.txt" \
			"$TOP/tools/boot.sh" "$cfg" "$v" "prof-$r" \
			"dynptdesc.bench=1 dynptdesc.bench_tables=$tables dynptdesc.bench_rounds=$r dynptdesc.bench_cases=fault+munmap,sparse,fork+exit"
		[ -s "$l/tb.txt" ] || die "$cfg/$v: the plugin wrote no $l/tb.txt"
		per_function "$l" "$b/System.map" >"$l/functions"
	done
	# per table: the extra rounds' instructions over their tables
	join -a1 -a2 -e 0 -o 0,1.2,2.2 "$OUT/logs/$cfg/$v/prof-$r1/functions" \
		"$OUT/logs/$cfg/$v/prof-$r2/functions" |
		awk -v n=$((6 * tables * (r2 - r1))) '{ printf "%s %.1f\n", $1, ($3 - $2) / n }' \
		>"$OUT/logs/$cfg/$v/prof.per-table"
done

echo "$cfg: kernel instructions per page table, by function (tbprof, -icount;"
echo "  boots with $r1 and $r2 rounds, $((6 * tables)) tables allocated and freed per round)"
printf '  %-36s %10s %10s %10s\n' function baseline fork delta
join -a1 -a2 -e 0 -o 0,1.2,2.2 "$OUT/logs/$cfg/baseline/prof.per-table" "$OUT/logs/$cfg/fork/prof.per-table" |
	awk '{ d = $3 - $2; print (d < 0 ? -d : d), $1, $2, $3, d }' | sort -rn |
	awk -v top="${PROFILE_TOP:-25}" '
	{ tb += $3; tf += $4 }
	NR <= top && $1 >= 1 { printf "  %-36s %10.1f %10.1f %+10.1f\n", $2, $3, $4, $5 }
	END { printf "  %-36s %10.1f %10.1f %+10.1f\n", "(all kernel code)", tb, tf, tf - tb }'
