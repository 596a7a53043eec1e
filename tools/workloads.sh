#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Real programs' page-table memory, baseline against fork:
#   tools/workloads.sh [<config>...]
# <config> defaults to "s390x-workloads x86_64-workloads" (the plain
# configs with System V IPC and Unix sockets). For each config, both
# variants are built and booted once with dynptdesc.workloads=: init runs
# the programs of tools/guest/workloads/ (PostgreSQL, SQLite, Python, from
# Debian 12's packages that tools/deps.sh --workloads unpacked) one after
# the other instead of the usual workload, each with its page-table
# snapshots before it starts and while all its processes are alive.
# tools/check.sh reads each boot (every program's own checks, no
# WARN/BUG); tools/workload-report.sh prints the comparison.
#   WORKLOADS    the programs, in order (default: postgres sqlite python)
#   WL_RUN       the runs' name under the logs (default: workloads)
#   WL_MEM       the guest's memory (default: 4G)
#   BOOT_TIMEOUT a boot's limit in seconds (default here: 3600)
#   WL_POSTGRES  connections and shared_buffers in MB (default: 32 1024,
#                a quarter of the guest's memory, where PostgreSQL's
#                documentation starts a dedicated server)
#   WL_SQLITE    processes and database MB (default: 8 128)
#   WL_PYTHON    interpreters (default: 32)
# Logs: out/logs/<config>/<variant>/<WL_RUN>/
. "$(dirname "$0")/lib.sh"

[ $# -gt 0 ] || set -- s390x-workloads x86_64-workloads
run=${WL_RUN:-workloads}
case $run in ""|*/*|.*) die "WL_RUN must be a plain name: '$run'" ;; esac
workloads=${WORKLOADS:-postgres sqlite python}
for w in $workloads; do
	[ -f "$TOP/tools/guest/workloads/$w.sh" ] || die "no workload '$w' (tools/guest/workloads/$w.sh)"
done
args="dynptdesc.workloads=$(echo $workloads | tr ' ' ',')"
for w in $workloads; do
	case $w in
	postgres) a=${WL_POSTGRES:-32 1024} ;;
	sqlite) a=${WL_SQLITE:-8 128} ;;
	python) a=${WL_PYTHON:-32} ;;
	*) a= ;;
	esac
	case "$a" in *[!0-9\ ]*) die "arguments for $w must be numbers: '$a'" ;; esac
	[ -z "$a" ] || args="$args dynptdesc.wl_$w=$(echo $a | tr ' ' ',')"
done
for cfg in "$@"; do
	case $cfg in *-workloads) ;; *) die "$cfg: not a <arch>-workloads config (its initramfs would lack the programs)" ;; esac
	load_arch "$cfg"
done

rc=0
for cfg in "$@"; do
	load_arch "$cfg"
	"$TOP/tools/deps.sh" --workloads "$arch"
	for v in baseline fork; do
		"$TOP/tools/build.sh" "$cfg" "$v"
		"$TOP/tools/initramfs.sh" "$cfg" "$v"
		BOOT_TIMEOUT=${BOOT_TIMEOUT:-3600} QEMU_EXTRA="-m ${WL_MEM:-4G}" "$TOP/tools/boot.sh" "$cfg" "$v" "$run" "$args" ||
			{ rc=1; continue; }
		"$TOP/tools/check.sh" "$OUT/logs/$cfg/$v/$run" || rc=1
	done
done
"$TOP/tools/workload-report.sh" "$@" || rc=1
exit $rc
