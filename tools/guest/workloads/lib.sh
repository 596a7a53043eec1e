# SPDX-License-Identifier: GPL-2.0
# Sourced by the workload scripts (tools/guest/workloads/*.sh) in the
# guest: TAP lines and the page-table snapshots that init reports.
# $WL_OUT: the workload's directory for its snapshots (init sets it).
n=0 fail=0
t() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail + 1)); fi
}
# snap <name>: /proc/meminfo and /proc/slabinfo, every cache shrunk first
# (as init's snapshots), into $WL_OUT/<name>.meminfo and .slabinfo
snap() {
	for f in /sys/kernel/slab/*/shrink; do echo 1 >"$f"; done 2>/dev/null
	cat /proc/meminfo >"$WL_OUT/$1.meminfo"
	cat /proc/slabinfo >"$WL_OUT/$1.slabinfo"
	echo "# snapshot $1: $(grep '^PageTables:' /proc/meminfo | tr -s ' ')"
}
# wait_files <pattern> <count> <seconds> <rc pattern>: until <count> files
# match <pattern>; fails on timeout or as soon as a file matching <rc
# pattern> (a client that already exited) appears
wait_files() {
	i=0
	while [ "$(ls $1 2>/dev/null | wc -l)" -lt "$2" ]; do
		if ls $4 >/dev/null 2>&1; then
			echo "# a client exited early: $(ls $4 | head -n 3 | tr '\n' ' ')"
			return 1
		fi
		i=$((i + 1))
		[ "$i" -le "$3" ] || { echo "# timed out after $3 s: $(ls $1 2>/dev/null | wc -l) of $2"; return 1; }
		sleep 1
	done
}
# status_kb <pid> <field>: a /proc/<pid>/status field in kB
status_kb() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }
# pids_of <cmdline prefix>: the processes whose command line starts so
pids_of() {
	for p in /proc/[0-9]*; do
		c=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
		case $c in "$1"*) echo "${p#/proc/}" ;; esac
	done
}
# rss_range <field> <pids>: "min max" of a status field over the pids
rss_range() {
	f=$1
	shift
	for p in "$@"; do status_kb "$p" "$f"; done | sort -n | sed -n '1p;$p' | paste -sd' '
}
# pte_note <what> <pids>: a diagnostic line with their page tables as
# /proc/<pid>/status counts them (VmPTE: PTE, PMD and PUD tables)
pte_note() {
	w=$1
	shift
	echo "# $w: $# processes, VmPTE $(for p in "$@"; do status_kb "$p" VmPTE; done |
		sort -n | awk '{ s += $1; v[NR] = $1 } END { printf "%d kB in all, %d to %d kB each", s, v[1], v[NR] }')"
}
