#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Compare baseline and fork: tools/report.sh <config>...
# Reads out/logs/<config>/{baseline,fork}/workload/metrics (tools/measure.sh)
# and writes:
#   terminal        a side-by-side table per config
#   out/report/report.json      every metric, per config and variant
#   out/report/<config>.svg     PageTables and descriptor slab bytes by phase
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] || die "usage: report.sh <config>..."
r=$OUT/report
mkdir -p "$r"
for cfg in "$@"; do
	for v in baseline fork; do
		[ -f "$OUT/logs/$cfg/$v/workload/metrics" ] ||
			die "no metrics for $cfg/$v; boot and measure it first"
	done
done

metrics() { cat "$OUT/logs/$1/$2/workload/metrics"; }

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
	function perpt(label, ph,   i, n, s) {
		# bytes of descriptors (slab) per page-table page, by phase
		for (i = 1; i <= 2; i++) {
			n = val[i, "vmstat.nr_page_table_pages." ph]
			s = val[i, "slab.ptdesc.bytes." ph] + val[i, "slab.ptl.bytes." ph]
			val[i, "derived.slab_bytes_per_pt." ph] = n ? int(s / n + 0.5) : 0
		}
		row(label, "derived.slab_bytes_per_pt." ph)
	}
	function objpt(label, ph,   i, n, o) {
		# descriptor objects x their slab object size, per page-table page
		for (i = 1; i <= 2; i++) {
			n = val[i, "vmstat.nr_page_table_pages." ph]
			o = val[i, "slab.ptdesc.active_objs." ph] * val[i, "slab.ptdesc.objsize"] + \
			    val[i, "slab.ptl.active_objs." ph] * val[i, "slab.ptl.objsize"]
			val[i, "derived.obj_bytes_per_pt." ph] = n ? int(o / n + 0.5) : 0
		}
		row(label, "derived.obj_bytes_per_pt." ph)
	}
	END {
		printf "%s\n  %-44s %12s %12s %12s\n", cfg, "", "baseline", "fork", "delta"
		row("sizeof(struct page)", "kernel.sizeof_struct_page")
		row("sizeof(struct ptdesc)", "kernel.sizeof_struct_ptdesc")
		row("sizeof(spinlock_t)", "kernel.sizeof_spinlock_t")
		row("ALLOC_SPLIT_PTLOCKS", "kernel.alloc_split_ptlocks")
		row("ptdesc slab object size (with debug)", "slab.ptdesc.objsize")
		row("ptdescs from the pre-slab pool (dmesg)", "kernel.ptdesc_early")
		row("page->ptl slab object size (with debug)", "slab.ptl.objsize")
		row("memmap pages (nr_memmap_pages)", "vmstat.nr_memmap_pages.before")
		row("memmap boot pages (nr_memmap_boot_pages)", "vmstat.nr_memmap_boot_pages.before")
		for (i = 1; i <= 2; i++)
			if ((i, "vmstat.nr_memmap_pages.before") in val)
				val[i, "derived.memmap_bytes"] = (val[i, "vmstat.nr_memmap_pages.before"] + \
					val[i, "vmstat.nr_memmap_boot_pages.before"]) * val[i, "kernel.page_size"]
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
			objpt("descriptor object bytes per page-table page", ph[p])
			perpt("descriptor slab bytes per page-table page", ph[p])
			row("kmemleak_object objects (debug metadata)", "slab.kmemleak.active_objs." ph[p])
			row("Slab kB", "meminfo.Slab_kb." ph[p])
			row("MemFree kB", "meminfo.MemFree_kb." ph[p])
		}
		row("boot + workload + selftests, seconds", "boot_seconds")
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

# Plot: per phase, PageTables and descriptor slab kB for both variants.
if command -v gnuplot >/dev/null; then
	for cfg in "$@"; do
		dat=$r/$cfg.dat
		for ph in before peak after; do
			get() { metrics "$cfg" "$1" | awk -v k="$2" '$1 == k { s += $2 } END { print s + 0 }'; }
			bs=$(( $(get baseline "slab.ptdesc.bytes.$ph") + $(get baseline "slab.ptl.bytes.$ph") ))
			fs=$(( $(get fork "slab.ptdesc.bytes.$ph") + $(get fork "slab.ptl.bytes.$ph") ))
			echo "$ph $(get baseline "meminfo.PageTables_kb.$ph") $(get fork "meminfo.PageTables_kb.$ph") $((bs / 1024)) $((fs / 1024))"
		done >"$dat"
		gnuplot <<EOT || die "gnuplot failed for $cfg"
set terminal svg size 800,480 dynamic font "sans,12"
set output "$r/$cfg.svg"
set title "$cfg: page tables and their descriptors (kB, from /proc)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set key top left
set ylabel "kB"
set grid ytics
plot "$dat" using 2:xtic(1) title "PageTables, baseline", \
     "" using 3 title "PageTables, fork", \
     "" using 4 title "ptdesc + page->ptl slab, baseline", \
     "" using 5 title "ptdesc + page->ptl slab, fork"
EOT
	done
fi
say "wrote $r/report.json and $(cd "$r" && ls *.svg 2>/dev/null | tr '\n' ' ')"
