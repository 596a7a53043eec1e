#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the pinned base (Debian's linux-source-$KERNEL: 6.12 with the
# host's apt, 7.3 from trixie-backports through a private apt setup), check its sha256,
# and turn it into a git repository with a single base commit tagged
# "base". The extracted repository is cached and reused.
. "$(dirname "$0")/lib.sh"

if [ -f "$BASE_REPO/.git/dynptdesc-base-ok" ]; then
	exit 0
fi

mkdir -p "$CACHE"

# fetch_suite: download the package from $BASE_SUITE through a private apt
# setup under the cache (its own sources list, lists and archives), so the
# host's sources keep naming Debian 12 alone, and unpack its tarball there.
fetch_suite() {
	local apt=$CACHE/apt-$BASE_SUITE deb offered
	local -a o=(-o "Dir::Etc::sourcelist=$apt/sources.list"
		-o Dir::Etc::sourceparts=/nonexistent -o "Dir::State::Lists=$apt/lists"
		-o "Dir::Cache=$apt/cache" -o Debug::NoLocking=1
		-o APT::Sandbox::User=root)
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/deb"
	echo "deb $BASE_MIRROR $BASE_SUITE main" >"$apt/sources.list"
	say "fetching $BASE_PKG=$BASE_VERSION from $BASE_SUITE (private apt lists in $apt)"
	apt-get "${o[@]}" update -q >"$apt/apt.log" 2>&1 ||
		die "apt-get update of $BASE_SUITE failed (see $apt/apt.log)"
	rm -f "$apt/deb"/*.deb
	if ! (cd "$apt/deb" && apt-get "${o[@]}" download -q "$BASE_PKG=$BASE_VERSION") >>"$apt/apt.log" 2>&1; then
		offered=$(apt-cache "${o[@]}" madison "$BASE_PKG" 2>/dev/null | awk -F'|' '{gsub(/ /,"",$2); print $2}' | sort -u | tr '\n' ' ')
		die "$BASE_PKG $BASE_VERSION cannot be had from $BASE_SUITE; apt offers: ${offered:-nothing}; choose one with BASE_VERSION=... BASE_SHA256=..."
	fi
	deb=$(ls "$apt/deb"/*.deb)
	dpkg-deb --fsys-tarfile "$deb" | tar -xO ".$BASE_TARBALL" >"$apt/$BASE_PKG.tar.xz" ||
		die "$deb has no $BASE_TARBALL"
	BASE_TARBALL=$apt/$BASE_PKG.tar.xz
}

# install_host: Debian 12's own package, with the host's apt
install_host() {
	local have offered
	have=$(dpkg-query -W -f='${Version}' "$BASE_PKG" 2>/dev/null || true)
	[ "$have" != "$BASE_VERSION" ] || return 0
	[ "$(id -u)" = 0 ] || die "$BASE_PKG $BASE_VERSION is not installed and installing it needs root"
	say "installing $BASE_PKG=$BASE_VERSION"
	apt-get update -q >"$CACHE.apt.log" 2>&1 || die "apt-get update failed (see $CACHE.apt.log)"
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		"$BASE_PKG=$BASE_VERSION" >>"$CACHE.apt.log" 2>&1; then
		offered=$(apt-cache madison "$BASE_PKG" 2>/dev/null | awk -F'|' '{gsub(/ /,"",$2); print $2}' | tr '\n' ' ')
		die "$BASE_PKG $BASE_VERSION cannot be had; apt offers: ${offered:-nothing (run apt-get update?)}; choose one with BASE_VERSION=... BASE_SHA256=..."
	fi
}

if [ -n "$BASE_SUITE" ]; then
	fetch_suite
else
	install_host
fi

[ -f "$BASE_TARBALL" ] || die "$BASE_TARBALL missing although $BASE_PKG is installed"
say "checking sha256 of $BASE_TARBALL"
sum=$(sha256sum "$BASE_TARBALL" | cut -d' ' -f1)
[ "$sum" = "$BASE_SHA256" ] || die "$BASE_TARBALL: sha256 $sum, expected $BASE_SHA256"

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
git -C "$tmp" commit -q -m "Linux $KERNEL base: Debian $BASE_PKG $BASE_VERSION"
git -C "$tmp" tag base
touch "$tmp/.git/dynptdesc-base-ok"
rm -rf "$BASE_REPO"
mv "$tmp" "$BASE_REPO"
[ -z "$BASE_SUITE" ] || rm -f "$BASE_TARBALL"
say "base ready: $(git -C "$BASE_REPO" rev-parse --short base)"
