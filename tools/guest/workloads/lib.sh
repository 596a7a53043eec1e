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
# (as init's snapshots), into $WL_OUT/<name>.meminfo and .slabinfo. First
# 2 s for the grace periods of tables freed by processes that just ended
# (page tables freed after RCU leave PageTables then).
snap() {
	sleep 2
	for f in /sys/kernel/slab/*/shrink; do echo 1 >"$f"; done 2>/dev/null
	cat /proc/meminfo >"$WL_OUT/$1.meminfo"
	cat /proc/slabinfo >"$WL_OUT/$1.slabinfo"
	echo "# snapshot $1: $(grep '^PageTables:' "$WL_OUT/$1.meminfo" | tr -s ' ')"
}
# wait_ready <pattern> <count> <seconds> <pid>...: until <count> files
# match <pattern>; fails on timeout, or as soon as one of the programs
# (<pid>...) has exited
wait_ready() {
	pat=$1 want=$2 secs=$3 i=0
	shift 3
	while [ "$(ls $pat 2>/dev/null | wc -l)" -lt "$want" ]; do
		for p in "$@"; do
			kill -0 "$p" 2>/dev/null || { echo "# process $p exited early"; return 1; }
		done
		i=$((i + 1))
		[ "$i" -le "$secs" ] || { echo "# timed out after $secs s: $(ls $pat 2>/dev/null | wc -l) of $want"; return 1; }
		sleep 1
	done
}
# hold <fifo> <fd>: open <fifo>'s write end on <fd> (20 and up: ash keeps
# its own below; the program reading it as its stdin is already started):
# it reads what is written there and ends at EOF, when release closes
# <fd>; no process of ours waits with it
hold() { eval "exec $2>$1"; }
release() { eval "exec $1>&-"; }
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
# reap <what> <outputs> <first|last|all> <want> <release> <pid>...: for
# the i-th program, close its FIFO (fd 20 + i) when <release> is 1, wait
# for it, and hold its exit status to 0 and the first, last or whole
# output in <outputs>.<i> to <want>; a diagnostic for each that fails,
# their count in $bad
reap() {
	what=$1 out=$2 line=$3 want=$4 rel=$5 i=0 bad=0
	shift 5
	for p in "$@"; do
		i=$((i + 1))
		[ "$rel" = 0 ] || release $((20 + i))
		wait "$p"
		rc=$?
		case $line in
		first) got=$(head -n 1 "$out.$i") ;;
		last) got=$(tail -n 1 "$out.$i") ;;
		*) got=$(cat "$out.$i") ;;
		esac
		[ "$rc" = 0 ] && [ "$got" = "$want" ] || {
			bad=$((bad + 1))
			echo "# $what $i: exit $rc: $(head -n 2 "$out.$i" | tr '\n' ' ')"
		}
	done
}
