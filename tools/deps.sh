#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what the harness needs from Debian's archive, idempotently:
# tools/deps.sh [<arch>...]   (the kernel base itself is tools/base.sh's)
. "$(dirname "$0")/lib.sh"

pkgs="git perl gcc make bc bison flex libelf-dev libssl-dev dwarves ccache cpio gzip xz-utils
      file python3 python3-ply python3-git gnuplot-nox busybox-static"
for arch in "${@:-x86_64}"; do
	check_arch "$arch"
	pkgs="$pkgs $(. "$TOP/tools/qemu/$arch.conf"; echo "$DEBIAN_PACKAGES")"
done
missing=$(for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || echo "$p"
done | sort -u | tr '\n' ' ')
[ -z "$missing" ] && exit 0
[ "$(id -u)" = 0 ] || die "missing packages ($missing) and not root to install them"
say "installing: $missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null 2>&1 || die "apt-get update failed"
# shellcheck disable=SC2086
apt-get install -y -q $missing >/dev/null 2>&1 || die "apt-get install $missing failed"
