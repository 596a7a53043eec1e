#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what the harness needs from Debian's archive, idempotently:
#   tools/deps.sh [<arch>...]           install the packages (root)
#   tools/deps.sh --check [<arch>...]   fail unless every command the harness
#                                       and the kernel build call resolves
#   tools/deps.sh [--check] --docs      only what tools/htmldocs.sh needs
#                                       (make htmldocs): Sphinx
#   tools/deps.sh [--check] --workloads <arch>...
#                                       only the guest's Debian 12 packages
#                                       for make workloads
#                                       (tools/guest/workloads/files.list),
#                                       downloaded for <arch> and unpacked
#                                       into the cache, not installed
# The kernel base itself is tools/base.sh's. Starting point: Debian 12,
# root, Debian's archive reachable; nothing else is assumed installed.
. "$(dirname "$0")/lib.sh"

check=0 docs=0 workloads=0
while [ $# -gt 0 ]; do
	case $1 in
	--check) check=1 ;;
	--docs) docs=1 ;;
	--workloads) workloads=1 ;;
	-*) die "unknown option $1 (--check, --docs, --workloads)" ;;
	*) break ;;
	esac
	shift
done

# Packages for the kernel build (kbuild, objtool, pahole, headers_install
# uses rsync), the guest (static busybox, static libc), the harness
# (ccache, cpio, gnuplot, python3 for kunit.py and checkpatch's helpers,
# debootstrap for tools/check-fresh.sh, gdb for tools/la57-window.sh).
pkgs="git perl gcc make binutils bc bison flex libelf-dev libssl-dev dwarves
      ccache rsync cpio gzip xz-utils tar coreutils findutils diffutils sed
      gawk grep file libc6-dev python3 python3-ply python3-git
      gnuplot-nox busybox-static debootstrap gdb"
# Every command the harness and the kernel build call, by name. The fresh
# root check (tools/check-fresh.sh) runs --check in a new Debian root.
cmds="git perl gcc cc ld as ar make bc bison flex pahole ccache rsync cpio gzip
      xz tar sha256sum timeout install mktemp sort cmp diff find sed awk grep
      file python3 gnuplot busybox dpkg-query dpkg-deb apt-get apt-cache gdb"
debs=
# the kernel's Sphinx build (Documentation/sphinx/requirements.txt), alone
if [ "$docs" = 1 ]; then
	[ $# = 0 ] || die "--docs takes no arch"
	pkgs="python3-sphinx python3-yaml" cmds="sphinx-build"
else
	for arch in "${@:-x86_64}"; do
		check_arch "$arch"
		pkgs="$pkgs $(. "$TOP/tools/qemu/$arch.conf"; echo "$DEBIAN_PACKAGES")"
		cmds="$cmds $(. "$TOP/tools/qemu/$arch.conf"; echo "$QEMU ${CROSS_COMPILE:+${CROSS_COMPILE}gcc ${CROSS_COMPILE}ld} $GUEST_CC")"
		debs="$debs $(. "$TOP/tools/qemu/$arch.conf"; echo "${BUSYBOX_DEB:-}")"
	done
fi

# A foreign arch's busybox-static cannot be co-installed with the host's:
# apt-get download it and unpack it into the cache (guest_busybox).
unpack_busybox() {
	local deb=$1 a=${1#*:} d tmp
	d=$CACHE/busybox-$a
	[ ! -x "$d/bin/busybox" ] || return 0
	if [ "$check" = 1 ]; then die "no $deb unpacked in $d (run tools/deps.sh)"; fi
	dpkg --print-foreign-architectures | grep -qx "$a" || {
		[ "$(id -u)" = 0 ] || die "dpkg has no $a architecture and not root to add it"
		dpkg --add-architecture "$a"
		apt-get update -q >/dev/null 2>&1 || die "apt-get update (for $a) failed"
	}
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download -q "$deb" >/dev/null 2>&1) ||
		{ apt-get update -q >/dev/null 2>&1 && (cd "$tmp" && apt-get download -q "$deb" >/dev/null 2>&1); } ||
		die "apt-get download $deb failed"
	mkdir -p "$d"
	dpkg-deb -x "$tmp"/*.deb "$d" || die "cannot unpack $deb"
	rm -rf "$tmp"
	[ -x "$d/bin/busybox" ] || die "$deb has no bin/busybox"
}

# The workloads' packages for a guest arch (tools/guest/workloads/files.list:
# its "package" lines and their Depends closure), from Debian 12's archive
# through a private apt setup for that arch alone (its own sources list,
# lists and archives; the host's apt and dpkg are left alone), unpacked
# with dpkg-deb -x into $CACHE/workloads-<Debian arch>/root, whose
# .packages names what it holds and .versions each package's version.
fetch_workloads() {
	local a=$1 debarch d list pkgs closure deb n
	debarch=$(. "$TOP/tools/qemu/$a.conf"; echo "${DEBIAN_ARCH:-}")
	[ -n "$debarch" ] || die "tools/qemu/$a.conf names no DEBIAN_ARCH"
	d=$CACHE/workloads-$debarch
	list=$TOP/tools/guest/workloads/files.list
	pkgs=$(sed -n 's/^package  *//p' "$list" | tr '\n' ' ')
	[ -n "$pkgs" ] || die "$list names no package"
	if [ -f "$d/root/.packages" ] && [ "$(cat "$d/root/.packages")" = "$pkgs" ]; then
		return 0
	fi
	[ "$check" = 0 ] || die "the workloads' packages for $a are not unpacked in $d (run tools/deps.sh --workloads $a)"
	local -a o=(-o "Dir::Etc::sourcelist=$d/apt/sources.list"
		-o Dir::Etc::sourceparts=/nonexistent -o "Dir::State::Lists=$d/apt/lists"
		-o "Dir::Cache=$d/apt/cache" -o Debug::NoLocking=1
		-o APT::Sandbox::User=root
		-o "APT::Architecture=$debarch" -o "APT::Architectures=$debarch")
	rm -rf "$d/debs" "$d/root.tmp"
	mkdir -p "$d/apt/lists/partial" "$d/apt/cache/archives/partial" "$d/debs" "$d/root.tmp"
	{ echo "deb $BASE_MIRROR bookworm main"
	  echo "deb $BASE_MIRROR bookworm-updates main"
	  echo "deb ${BASE_MIRROR%/debian}/debian-security bookworm-security main"
	} >"$d/apt/sources.list"
	say "fetching the workloads' packages for $debarch: $pkgs"
	apt-get "${o[@]}" update -q >"$d/apt.log" 2>&1 ||
		die "apt-get update for $debarch failed (see $d/apt.log)"
	# shellcheck disable=SC2086
	closure=$(apt-cache "${o[@]}" depends --recurse --no-recommends --no-suggests \
		--no-conflicts --no-breaks --no-replaces --no-enhances $pkgs 2>>"$d/apt.log" |
		grep -v '^[ <]' | sort -u | tr '\n' ' ') ||
		die "apt-cache depends for $debarch failed (see $d/apt.log)"
	for p in $pkgs; do
		case " $closure " in *" $p "*) ;; *) die "apt for $debarch does not know $p (see $d/apt.log)" ;; esac
	done
	# shellcheck disable=SC2086
	(cd "$d/debs" && apt-get "${o[@]}" download -q $closure) >>"$d/apt.log" 2>&1 ||
		die "apt-get download for $debarch failed (see $d/apt.log)"
	n=0
	for deb in "$d/debs"/*.deb; do
		dpkg-deb -x "$deb" "$d/root.tmp" || die "cannot unpack $deb"
		dpkg-deb -f "$deb" Package Version | sed 's/^[^:]*: //' | paste -sd' ' >>"$d/root.tmp/.versions"
		n=$((n + 1))
	done
	echo "$pkgs" >"$d/root.tmp/.packages"
	rm -rf "$d/root" "$d/debs"
	mv "$d/root.tmp" "$d/root"
	say "$n packages for $debarch unpacked in $d/root"
}

if [ "$workloads" = 1 ]; then
	[ "$docs" = 0 ] || die "--workloads and --docs are separate steps"
	[ $# -gt 0 ] || die "--workloads needs an arch (x86_64, s390x)"
	for arch in "$@"; do check_arch "$arch"; fetch_workloads "$arch"; done
	[ "$check" = 0 ] || say "the workloads' packages are unpacked for: $*"
	exit 0
fi

if [ "$check" = 1 ]; then
	missing=$(for c in $cmds; do command -v "$c" >/dev/null || echo "$c"; done | sort -u | tr '\n' ' ')
	[ -z "$missing" ] || die "commands not found: $missing"
	[ "$docs" = 1 ] || /usr/bin/python3 -c 'import ply, git' 2>/dev/null || die "Debian's python3 cannot import ply and git (python3-ply, python3-git)"
	for deb in $debs; do unpack_busybox "$deb"; done
	say "all $(echo $cmds | wc -w) commands found"
	exit 0
fi

missing=$(for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || echo "$p"
done | sort -u | tr '\n' ' ')
if [ -z "$missing" ]; then
	for deb in $debs; do unpack_busybox "$deb"; done
	exit 0
fi
[ "$(id -u)" = 0 ] || die "missing packages ($missing) and not root to install them"
say "installing: $missing"
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
apt-get update -q >"$log" 2>&1 || die "apt-get update failed: $(tail -n 1 "$log")"
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >>"$log" 2>&1 ||
	die "apt-get install $missing failed: $(tail -n 1 "$log")"
rm -f "$log"
for deb in $debs; do unpack_busybox "$deb"; done
