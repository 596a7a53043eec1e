#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Compare baseline and fork: tools/report.sh [<config>...]
# Reads out/logs/<config>/{baseline,fork}/workload/metrics (tools/measure.sh)
# and writes:
#   terminal        a side-by-side table per config
#   out/report/report.json      every metric, per config and variant
#   out/report/bytes-per-table.svg   descriptor bytes per page-table page,
#                                    baseline and fork, per config
# Without a config: every config with both variants measured (make report).
. "$(dirname "$0")/lib.sh"

# Without arguments (make report): every config with metrics for both
# variants, measured again from the kept logs alone.
r=$OUT/report
if [ $# = 0 ]; then
	set -- $(for m in "$OUT"/logs/*/baseline/workload/metrics; do
		c=${m#"$OUT/logs/"}; c=${c%%/*}
		[ -f "$OUT/logs/$c/fork/workload/metrics" ] && echo "$c"
	done)
	[ $# -ge 1 ] || die "no measured boots in $OUT/logs; run make run first"
	for cfg in "$@"; do
		for v in baseline fork; do "$TOP/tools/measure.sh" "$cfg" "$v"; done
	done
fi
for cfg in "$@"; do
	config_file "$cfg" >/dev/null
	for v in baseline fork; do
		[ -f "$OUT/logs/$cfg/$v/workload/metrics" ] ||
			die "no metrics for $cfg/$v; boot and measure it first"
	done
	# the boot log says which layout ran: the fork prints its descriptor
	# size, the baseline (the overlay) does not
	grep -q '^kernel.ptdesc_bytes_dmesg ' "$OUT/logs/$cfg/baseline/workload/metrics" &&
		die "$cfg: the baseline booted with dynamic ptdescs (see its console.log)"
	grep -q '^kernel.ptdesc_bytes_dmesg ' "$OUT/logs/$cfg/fork/workload/metrics" ||
		die "$cfg: the fork booted without dynamic ptdescs (see its console.log)"
done
mkdir -p "$r"

metrics() { cat "$OUT/logs/$1/$2/workload/metrics"; }
get() {	# get <config> <variant> <key>: one metric, 0 if absent
	metrics "$1" "$2" | awk -v k="$3" '$1 == k { s = $2 } END { print s + 0 }'
}

table() {	# table <config>
	awk -v cfg="$1" '
	FNR == 1 { v++ }
	{ val[v, $1] = $2 }
	function row(label, key,   b, f, d) {
		b = ((1, key) in val) ? val[1, key] : "-"
		f = ((2, key) in val) ? val[2, key] : "-"
		d = (b != "-" && f != "-") ? sprintf("%+d", f - b) : ""
		printf "  %-44s %12s %12s %12s\n", label, b, f, d
	}
	END {
		printf "%s\n  %-44s %12s %12s %12s\n", cfg, "", "baseline", "fork", "delta"
		row("CPUs online", "cpus_online")
		row("sizeof(struct page)", "kernel.sizeof_struct_page")
		row("sizeof(struct ptdesc)", "kernel.sizeof_struct_ptdesc")
		row("sizeof(spinlock_t)", "kernel.sizeof_spinlock_t")
		row("ALLOC_SPLIT_PTLOCKS", "kernel.alloc_split_ptlocks")
		row("ptdesc slab object size (with debug)", "slab.ptdesc.objsize")
		row("page->ptl slab object size (with debug)", "slab.ptl.objsize")
		row("memmap pages (nr_memmap_pages)", "vmstat.nr_memmap_pages.before")
		row("memmap boot pages (nr_memmap_boot_pages)", "vmstat.nr_memmap_boot_pages.before")
		row("memmap bytes (both counters x PAGE_SIZE)", "derived.memmap_bytes")
		row("MemTotal kB", "meminfo.MemTotal_kb.before")
		split("before peak after", ph, " ")
		for (p = 1; p <= 3; p++) {
			printf "  -- %s\n", ph[p]
			row("PageTables kB", "meminfo.PageTables_kb." ph[p])
			row("page-table pages (PageTables / 4 KiB)", "vmstat.nr_page_table_pages." ph[p])
			row("ptdesc objects (active; + kernel tables)", "slab.ptdesc.active_objs." ph[p])
			row("ptdesc slab bytes", "slab.ptdesc.bytes." ph[p])
			row("page->ptl objects (active)", "slab.ptl.active_objs." ph[p])
			row("page->ptl slab bytes", "slab.ptl.bytes." ph[p])
			row("descriptor object bytes per page-table page", "derived.obj_bytes_per_pt." ph[p])
			row("descriptor slab bytes per page-table page", "derived.slab_bytes_per_pt." ph[p])
			row("kmemleak_object objects (debug metadata)", "slab.kmemleak.active_objs." ph[p])
			row("Slab kB", "meminfo.Slab_kb." ph[p])
			row("MemFree kB", "meminfo.MemFree_kb." ph[p])
		}
		printf "  -- end (after the selftests and the last kmemleak scan)\n"
		row("PageTables kB", "meminfo.PageTables_kb.end")
		row("ptdesc objects (active; + kernel tables)", "slab.ptdesc.active_objs.end")
		printf "  -- page-table memory at the peak: PageTables + descriptor slabs\n"
		row("PageTables + ptdesc + page->ptl slabs, bytes", "derived.pt_memory_bytes.peak")
		pct("PageTables, fork / baseline", "meminfo.PageTables_kb.peak", "meminfo.PageTables_kb.peak")
		pct("PageTables + slabs, fork / baseline PageTables", "derived.pt_memory_bytes.peak", "meminfo.PageTables_kb.peak", 1024)
		if ((1, "meminfo.PageTables_kb.peak-pgste") in val) {
			printf "  -- vm.allocate_pgste=1 run (whole 4K tables), at its peak\n"
			row("PageTables kB", "meminfo.PageTables_kb.peak-pgste")
			row("PageTables + ptdesc + page->ptl slabs, bytes", "derived.pt_memory_bytes.peak-pgste")
			pct("PageTables, fork / baseline", "meminfo.PageTables_kb.peak-pgste", "meminfo.PageTables_kb.peak-pgste")
		}
		if ((2, "failslab.injected") in val) {
			printf "  -- failslab phase: the ptdesc cache fails some allocations, the workload again\n"
			row("ptdesc allocations failed", "failslab.injected")
			row("ptdesc objects before the phase", "failslab.ptdesc_objs.before")
			row("ptdesc objects after it", "failslab.ptdesc_objs.after")
			row("PageTables kB before the phase", "failslab.PageTables_kb.before")
			row("PageTables kB after it", "failslab.PageTables_kb.after")
		}
		row("boot + workload + selftests, seconds", "boot_seconds")
	}
	# pct <label> <fork key> <baseline key> [<baseline unit>]: the fork value
	# as a percentage of the baseline value
	function pct(label, fkey, bkey, unit,   b, f) {
		if (!((2, fkey) in val) || !((1, bkey) in val) || val[1, bkey] == 0)
			return
		b = val[1, bkey] * (unit ? unit : 1)
		printf "  %-44s %12s %12s %11.1f%%\n", label, "", "", 100 * val[2, fkey] / b
	}' <(metrics "$1" baseline) <(metrics "$1" fork)
}

for cfg in "$@"; do table "$cfg"; echo; done

# JSON: { "<config>": { "<variant>": { "<metric>": number, ... } } }
{
	echo "{"
	c=0
	for cfg in "$@"; do
		[ $c -gt 0 ] && echo ","
		c=$((c + 1))
		printf '  "%s": {\n' "$cfg"
		for v in baseline fork; do
			printf '    "%s": {' "$v"
			metrics "$cfg" "$v" | awk 'BEGIN { ORS = "" } { printf "%s\n      \"%s\": %s", (NR > 1 ? "," : ""), $1, $2 } END { print "\n    }" }'
			[ $v = baseline ] && echo "," || echo
		done
		printf '  }'
	done
	echo
	echo "}"
} >"$r/report.json"
python3 -m json.tool "$r/report.json" >/dev/null 2>&1 || die "wrote invalid JSON to $r/report.json"

# Plot: what the reader came for, the descriptor bytes that each
# page-table page costs (ptdesc and page->ptl objects x their object size,
# at the workload's peak), baseline against fork, every config side by
# side, with the figure on each bar. noenhanced: config names keep their
# underscores.
rm -f "$r"/bytes-per-table.* "$r"/memory-per-table.*
# bars <name> <title> <ylabel> <baseline label> <fork label>: a clustered
# bar chart of $r/<name>.dat ("config baseline fork" lines), every config
# side by side, into $r/<name>.svg
bars() { bar_chart "$r/$1.dat" "$r/$1.svg" $((560 + 160 * ncfg)) "$2" "$3" "$4" "$5"; }
ncfg=$#
if command -v gnuplot >/dev/null; then
	for cfg in "$@"; do
		echo "$cfg $(get "$cfg" baseline derived.obj_bytes_per_pt.peak) $(get "$cfg" fork derived.obj_bytes_per_pt.peak)"
	done >"$r/bytes-per-table.dat"
	bars bytes-per-table \
		"Descriptor bytes per page-table page, at the workload's peak\n(objects x object size in /proc/slabinfo, over nr_page_table_pages;\nthe table's own 4096-byte page is not included)" \
		"bytes per page-table page" "baseline (page->ptl objects)" "fork (ptdesc objects)"
	# and what the tables cost in all: the pages and the descriptors,
	# over the baseline's page-table pages (one table each, except
	# s390's 16K crst tables), so 4096 is the baseline's own cost
	for cfg in "$@"; do
		n=$(get "$cfg" baseline vmstat.nr_page_table_pages.peak)
		echo "$cfg $(get "$cfg" baseline derived.pt_memory_bytes.peak) $(get "$cfg" fork derived.pt_memory_bytes.peak) $n"
	done | awk '$4 > 0 { printf "%s %d %d\n", $1, $2 / $4 + 0.5, $3 / $4 + 0.5 }' >"$r/memory-per-table.dat"
	bars memory-per-table \
		"Page-table memory per page-table page, at the workload's peak\n(PageTables + ptdesc and page->ptl slabs, over the baseline's\nnr_page_table_pages: 4096 is a whole page per table)" \
		"bytes per baseline page-table page" baseline fork
fi
say "wrote $r/report.json and $(cd "$r" && ls *.svg 2>/dev/null | tr '\n' ' ')"
