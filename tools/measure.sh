#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Extract the numbers of one boot from its logs, as "key value" lines:
# tools/measure.sh <config> <variant> [<run>]  ->  <log dir>/metrics
# Every value is read from the guest's /proc output (data.log) or from
# the built kernel's sizes kept beside the logs (ptsizes.txt); nothing is
# typed in.
. "$(dirname "$0")/lib.sh"

[ $# -ge 2 ] || die "usage: measure.sh <config> <variant> [<run>]"
cfg=$1 variant=$2 run=${3:-workload}
l=$OUT/logs/$cfg/$variant/$run
data=$l/data.log
sizes=$l/ptsizes.txt	# kept beside the logs by tools/boot.sh
[ -f "$data" ] || die "no $data; boot $cfg/$variant first"
[ -f "$sizes" ] || die "no $sizes; boot $cfg/$variant (tools/kmod.sh writes the sizes)"
sec() { "$TOP/tools/section.sh" "$data" "$1"; }

{
	awk '{ print "kernel." tolower($1), $2 }' "$sizes"
	echo "boot_seconds $(cat "$l/seconds")"
	sec info | sed -n 's/^cpus: \([0-9]*\) online.*/cpus_online \1/p'
	# "ptdesc: 40-byte descriptors" (mm/ptdesc.c, fork only)
	sed -n 's/.*ptdesc: \([0-9]*\)-byte descriptors.*/kernel.ptdesc_bytes_dmesg \1/p' \
		"$l/console.log" | head -n 1
	# the failslab phase (tools/guest/init): failures injected, and the
	# descriptors and PageTables before and after it
	sec failslab | sed -n \
		-e 's/^\(not \)\{0,1\}ok [0-9]* - \([0-9]*\) ptdesc allocations failed.*/failslab.injected \2/p' \
		-e 's/^\(not \)\{0,1\}ok [0-9]* - ptdesc objects back to idle: \([0-9]*\) -> \([0-9]*\).*/failslab.ptdesc_objs.before \2\nfailslab.ptdesc_objs.after \3/p' \
		-e 's/^\(not \)\{0,1\}ok [0-9]* - PageTables back to idle: \([0-9]*\) kB -> \([0-9]*\) kB.*/failslab.PageTables_kb.before \2\nfailslab.PageTables_kb.after \3/p'
	# PT_RECLAIM (ptstress): PageTables before the tables were touched,
	# with them, and after MADV_DONTNEED over their whole ranges
	sec reclaim | awk 'NF == 2 { print "reclaim." $1, $2 }'
	for phase in before peak after end peak-pgste; do
		sec "meminfo-$phase" | awk -v p="$phase" '
			/^(PageTables|MemFree|MemTotal|Slab|SUnreclaim):/ {
				k = $1; sub(":", "", k); print "meminfo." k "_kb." p, $2 }'
		sec "vmstat-$phase" | awk -v p="$phase" '
			$1 ~ /^(nr_page_table_pages|nr_memmap_pages|nr_memmap_boot_pages)$/ {
				print "vmstat." $1 "." p, $2 }'
		# slabinfo: name active num objsize perslab pagesperslab : ... : slabdata active_slabs num_slabs
		sec "slabinfo-$phase" | awk -v p="$phase" '
			$1 == "ptdesc" || $1 == "page->ptl" || $1 == "kmemleak_object" {
				k = ($1 == "ptdesc") ? "ptdesc" : ($1 == "page->ptl") ? "ptl" : "kmemleak"
				print "slab." k ".active_objs." p, $2
				print "slab." k ".num_objs." p, $3
				print "slab." k ".objsize", $4
				print "slab." k ".bytes." p, $(NF - 1) * $6 * 4096
			}'
	done
} >"$l/metrics"
# Derived, per phase: descriptor bytes per page-table page, as objects x
# object size and as whole slabs (ptdesc and page->ptl caches together),
# and the memmap in bytes
awk '{ v[$1] = $2 }
END {
	split("before peak after", ph, " ")
	for (p = 1; p <= 3; p++) {
		n = v["vmstat.nr_page_table_pages." ph[p]]
		o = v["slab.ptdesc.active_objs." ph[p]] * v["slab.ptdesc.objsize"] + \
		    v["slab.ptl.active_objs." ph[p]] * v["slab.ptl.objsize"]
		s = v["slab.ptdesc.bytes." ph[p]] + v["slab.ptl.bytes." ph[p]]
		if (n) {
			printf "derived.obj_bytes_per_pt.%s %d\n", ph[p], int(o / n + 0.5)
			printf "derived.slab_bytes_per_pt.%s %d\n", ph[p], int(s / n + 0.5)
		}
	}
	# page-table memory: the pages (PageTables) and the descriptor
	# slabs, for the peak snapshots
	split("peak peak-pgste", pk, " ")
	for (p = 1; p <= 2; p++)
		if (("meminfo.PageTables_kb." pk[p]) in v)
			printf "derived.pt_memory_bytes.%s %d\n", pk[p], v["meminfo.PageTables_kb." pk[p]] * 1024 + \
				v["slab.ptdesc.bytes." pk[p]] + v["slab.ptl.bytes." pk[p]]
	# the share of the emptied table pages that MADV_DONTNEED freed
	t = v["reclaim.touched_kb"] - v["reclaim.before_kb"]
	if (("reclaim.touched_kb" in v) && t > 0)
		printf "derived.reclaim_freed_pct %.1f\n", 100 * (v["reclaim.touched_kb"] - v["reclaim.after_kb"]) / t
	if ("vmstat.nr_memmap_pages.before" in v)
		printf "derived.memmap_bytes %d\n", (v["vmstat.nr_memmap_pages.before"] + \
			v["vmstat.nr_memmap_boot_pages.before"]) * v["kernel.page_size"]
}' "$l/metrics" >>"$l/metrics"
grep -q '^meminfo.PageTables_kb.peak ' "$l/metrics" || die "$data has no peak snapshot"
