#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the pinned base (Debian's linux-source-6.12), check its sha256,
# and turn it into a git repository with a single base commit tagged
# "base". The extracted repository is cached and reused.
. "$(dirname "$0")/lib.sh"

if [ -f "$BASE_REPO/.git/dynptdesc-base-ok" ]; then
	exit 0
fi

mkdir -p "$(dirname "$CACHE")"
have=$(dpkg-query -W -f='${Version}' "$BASE_PKG" 2>/dev/null || true)
if [ "$have" != "$BASE_VERSION" ]; then
	[ "$(id -u)" = 0 ] || die "$BASE_PKG $BASE_VERSION is not installed and installing it needs root"
	say "installing $BASE_PKG=$BASE_VERSION"
	apt-get update -q >"$CACHE.apt.log" 2>&1 || die "apt-get update failed (see $CACHE.apt.log)"
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		"$BASE_PKG=$BASE_VERSION" >>"$CACHE.apt.log" 2>&1; then
		offered=$(apt-cache madison "$BASE_PKG" 2>/dev/null | awk -F'|' '{gsub(/ /,"",$2); print $2}' | tr '\n' ' ')
		die "$BASE_PKG $BASE_VERSION cannot be had; apt offers: ${offered:-nothing (run apt-get update?)}"
	fi
fi

[ -f "$BASE_TARBALL" ] || die "$BASE_TARBALL missing although $BASE_PKG is installed"
say "checking sha256 of $BASE_TARBALL"
sum=$(sha256sum "$BASE_TARBALL" | cut -d' ' -f1)
[ "$sum" = "$BASE_SHA256" ] || die "$BASE_TARBALL: sha256 $sum, expected $BASE_SHA256"

mkdir -p "$CACHE"
tmp=$BASE_REPO.tmp
rm -rf "$tmp"
mkdir -p "$tmp"
say "extracting into $BASE_REPO"
tar -C "$tmp" --strip-components=1 -xf "$BASE_TARBALL"
say "creating the base commit"
export GIT_AUTHOR_NAME="Debian kernel source" GIT_AUTHOR_EMAIL="debian-kernel@lists.debian.org"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
export GIT_AUTHOR_DATE="2025-11-14T12:56:00Z" GIT_COMMITTER_DATE="2025-11-14T12:56:00Z"
git -C "$tmp" init -q -b pristine
git -C "$tmp" add -A -f
git -C "$tmp" commit -q -m "Linux 6.12 base: Debian $BASE_PKG $BASE_VERSION"
git -C "$tmp" tag base
touch "$tmp/.git/dynptdesc-base-ok"
rm -rf "$BASE_REPO"
mv "$tmp" "$BASE_REPO"
say "base ready: $(git -C "$BASE_REPO" rev-parse --short base)"
