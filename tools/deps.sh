#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what the harness needs from Debian's archive, idempotently:
#   tools/deps.sh [<arch>...]           install the packages (root)
#   tools/deps.sh --check [<arch>...]   fail unless every command the harness
#                                       and the kernel build call resolves
#   tools/deps.sh [--check] --docs      only what tools/htmldocs.sh needs
#                                       (make htmldocs): Sphinx
# The kernel base itself is tools/base.sh's. Starting point: Debian 12,
# root, Debian's archive reachable; nothing else is assumed installed.
. "$(dirname "$0")/lib.sh"

check=0 docs=0
while [ $# -gt 0 ]; do
	case $1 in
	--check) check=1 ;;
	--docs) docs=1 ;;
	-*) die "unknown option $1 (--check, --docs)" ;;
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
