# SPDX-License-Identifier: GPL-2.0
# Common helpers for the dynamic ptdesc harness. Sourced, not run.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# The pinned base, by kernel: KERNEL=7.3 (the default; linux-source-7.3
# from trixie-backports, fetched by tools/base.sh with a private apt sources
# list, the host's left alone) or KERNEL=6.12 (Debian 12's own package, the
# series before its move to 7.3, kept to compare against): the package, its
# version and the sha256 of its tarball. Each kernel has its own series,
# config fragments, selftest list and output directory.
KERNEL=${KERNEL:-7.3}
case $KERNEL in
7.3)
	BASE_PKG=linux-source-7.3
	BASE_VERSION=${BASE_VERSION:-7.3.4-1~bpo13+1}
	BASE_SHA256=${BASE_SHA256:-76df1affb19f24926949369be1d74b60071c963c598ce8780bddd4bbf0fc3bc4}
	BASE_SUITE=trixie-backports
	PATCHES=${PATCHES:-$TOP/patches}
	CONFIGS_DIR=$TOP/configs
	SELFTESTS_LIST=$TOP/tools/guest/selftests.list
	OUT=${OUT:-$TOP/out}
	;;
6.12)
	BASE_PKG=linux-source-6.12
	BASE_VERSION=${BASE_VERSION:-6.12.117-1~deb12u1}
	BASE_SHA256=${BASE_SHA256:-585a4a074597aefa2b1a68ada83a3184ba351c127544dea80618bbcceaa3961f}
	BASE_SUITE=
	PATCHES=${PATCHES:-$TOP/patches-6.12}
	CONFIGS_DIR=$TOP/configs-6.12
	SELFTESTS_LIST=$TOP/tools/guest/selftests-6.12.list
	OUT=${OUT:-$TOP/out/6.12}
	;;
*)
	printf '%s: error: unknown KERNEL=%s (7.3 or 6.12)\n' "${0##*/}" "$KERNEL" >&2
	exit 1
	;;
esac
BASE_TARBALL=/usr/src/$BASE_PKG.tar.xz
BASE_MIRROR=${BASE_MIRROR:-http://deb.debian.org/debian}

# QEMU's arguments for timing and profiling boots (tools/bench.sh,
# tools/profile.sh): -icount makes the guest clock count instructions, one
# nanosecond each, and skips idle time. One CPU: with a second, idle vCPU
# under TCG the grace periods fell behind while ptbench kept CPU 0 busy
# (about 6 rounds' tables waiting at a case's end), and the RCU callbacks
# that free the page tables (tlb_remove_table_rcu()) ran in bursts that
# the median round left out; on one CPU they run a round or so after the
# tables were unlinked, inside the timed rounds. tools/bench.sh and
# tools/profile.sh check that the guest brought up one CPU.
BENCH_QEMU="-icount shift=0,sleep=off -smp 1"

CACHE=${DYNPTDESC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dynptdesc}
BASE_REPO=$CACHE/linux-$BASE_VERSION

# fd 9: this script's stderr as it started, for progress lines that must
# not end up in a step's redirected log.
exec 9>&2

die() { printf '%s: error: %s\n' "${0##*/}" "$*" >&2; exit 1; }
say() { printf '[%s %4ds] %s\n' "${0##*/}" "$SECONDS" "$*" >&2; }

# Source tree of a variant: baseline and fork build the same work tree
# (base + series), with the fork's option off and on (configs/variants/).
# Each variant's builds sit in out/<variant>/build/<config>.
srctree() {
	case "$1" in
	baseline|fork) echo "$OUT/fork/linux" ;;
	series-on|series-off) echo "$OUT/series/linux" ;;	# tools/check-series.sh
	*) die "unknown variant '$1' (baseline or fork)" ;;
	esac
}

# Architectures the harness knows are those with a QEMU settings file.
check_arch() {
	[ -f "$TOP/tools/qemu/$1.conf" ] ||
		die "unsupported arch '$1' (have: $(cd "$TOP/tools/qemu" && ls *.conf | sed 's/\.conf$//' | tr '\n' ' '))"
}

# Config name -> arch: configs/<arch>-<name>.config (configs-6.12/ for 6.12)
config_file() {
	local f=$CONFIGS_DIR/$1.config
	[ -f "$f" ] || die "no config fragment ${CONFIGS_DIR#$TOP/}/$1.config"
	echo "$f"
}
config_arch() { echo "${1%%-*}"; }
# config_chain <config>: its fragments as tools/build.sh merges them,
# the parents first (the variant's fragment not included)
config_chain() {
	local f parent
	f=$(config_file "$1")
	parent=$(sed -n 's/^# include: *//p' "$f")
	[ -z "$parent" ] || config_chain "$parent"
	cat "$f"
}

# config_cmdline <config>: the kernel arguments its fragments ask for, for
# tools/boot.sh: the "# cmdline: ..." line of the fragment nearest the
# config (a child's line replaces its parents'; "# cmdline:" alone asks
# for none)
config_cmdline() {
	config_chain "$1" | sed -n 's/^# cmdline: *//p' | tail -n 1 |
		sed 's/$/ /; s/^ $//'
}

builddir() {	# <config> <variant>
	case "$2" in
	series-on|series-off) echo "$OUT/series/build/$1-${2#series-}" ;;
	*) srctree "$2" >/dev/null; echo "$OUT/$2/build/$1" ;;
	esac
}

# The fork's Kconfig option; tools/check-series.sh builds each patch with
# it on and off once the tree has it.
OPTION=PTDESC_DYNAMIC

# with_progress <what> <command...>: run a long step, saying every minute
# that it is still running and for how long. Returns the command's status.
with_progress() {
	local what=$1 start=$SECONDS ticker rc=0
	shift
	(while sleep 60; do say "$what: $((SECONDS - start))s" 2>&9; done) &
	ticker=$!
	"$@" || rc=$?
	kill "$ticker" 2>/dev/null
	wait "$ticker" 2>/dev/null || true
	return $rc
}

# The selftests/mm lines of the kernel's list (tools/guest/selftests.list,
# selftests-6.12.list), without those the
# arch's settings exclude (SELFTESTS_EXCLUDE: programs whose feature the
# arch's QEMU guest cannot have).
selftests_for_arch() {
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$SELFTESTS_LIST" |
		awk -v ex=" ${SELFTESTS_EXCLUDE:-} " 'index(ex, " " $1 " ") == 0'
}

# load_arch <config>: set $arch from the config's name, check it, and load
# the arch's QEMU and kbuild settings (tools/qemu/<arch>.conf).
load_arch() {
	config_file "$1" >/dev/null
	arch=$(config_arch "$1")
	check_arch "$arch"
	. "$TOP/tools/qemu/$arch.conf"
}

# tap_result <1|0> <description>: one numbered TAP line, counted in the
# caller's n (lines) and fail (failures), for the tools that print TAP
tap_result() {
	n=$((n + 1))
	if [ "$1" = 1 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail + 1)); fi
}

# bar_chart <dat> <svg> <width> <title> <ylabel> <label 2> <label 3>
#           [<gnuplot line>]: a clustered bar chart (gnuplot) of <dat>'s
# "name value value" lines, the figure on each bar; noenhanced, so that
# names keep their underscores (tools/report.sh, tools/workload-report.sh)
bar_chart() {
	gnuplot <<EOT || die "gnuplot failed"
set terminal svg size $3,480 dynamic font "sans,13" noenhanced
set output "$2"
set title "$4"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set key outside bottom center horizontal maxrows 1
set ylabel "$5"
set yrange [0:*]
set offsets 0, 0, graph 0.12, 0
set grid ytics
${8:-}
plot "$1" using 2:xtic(1) title "$6" lc rgb "#4477aa", \
     "" using 3 title "$7" lc rgb "#ee6677", \
     "" using (\$0 - 1.0/6):2:2 with labels offset 0,0.8 notitle, \
     "" using (\$0 + 1.0/6):3:3 with labels offset 0,0.8 notitle
EOT
}
