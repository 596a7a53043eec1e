#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build a QEMU TCG plugin against the installed QEMU:
#   tools/tcg-plugin.sh [<name>]     (default: cache)
# <name> is one of QEMU's contrib/plugins (cache, hotblocks, ...) or one of
# ours in tools/qemu/plugins/ (tbprof). Prints the path of the plugin
# (lib<name>.so, in the cache directory). Debian ships no plugins and no
# qemu-plugin.h, so this takes the source of the installed qemu-system-x86
# with apt-get source (a deb-src entry for the same archive, added under
# /etc/apt/sources.list.d) and compiles the plugin with its header.
. "$(dirname "$0")/lib.sh"

name=${1:-cache}
case $name in *[!a-z0-9_]*|'') die "bad plugin name '$name'" ;; esac
ver=$(dpkg-query -W -f='${source:Version}' qemu-system-x86 2>/dev/null) ||
	die "qemu-system-x86 is not installed (tools/deps.sh x86_64)"
full=$ver ver=${ver#*:}
d=$CACHE/qemu-plugins/$ver
so=$d/lib$name.so
ours=$TOP/tools/qemu/plugins/$name.c
# ours are rebuilt when their source is newer than the plugin
if [ -f "$so" ] && { [ ! -f "$ours" ] || [ "$so" -nt "$ours" ]; }; then echo "$so"; exit 0; fi

src=$CACHE/qemu-src/$ver
if [ ! -f "$src/include/qemu/qemu-plugin.h" ]; then
	[ "$(id -u)" = 0 ] || die "no QEMU source in $src and not root to fetch it"
	export DEBIAN_FRONTEND=noninteractive
	list=/etc/apt/sources.list.d/dynptdesc-deb-src.sources
	if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
		[ -f /etc/apt/sources.list.d/debian.sources ] ||
			die "no /etc/apt/sources.list.d/debian.sources to copy a deb-src entry from"
		sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources >"$list"
	fi
	log=$(mktemp)
	apt-get update -q >"$log" 2>&1 || die "apt-get update failed: $(tail -n 1 "$log")"
	apt-get install -y -q --no-install-recommends dpkg-dev libglib2.0-dev pkg-config >>"$log" 2>&1 ||
		die "apt-get install dpkg-dev libglib2.0-dev pkg-config failed: $(tail -n 1 "$log")"
	tmp=$(mktemp -d "$CACHE/qemu-src.XXXXXX")
	say "apt-get source qemu=$full"
	(cd "$tmp" && apt-get source -q "qemu=$full" >>"$log" 2>&1) ||
		die "apt-get source qemu=$full failed: $(tail -n 1 "$log")"
	mkdir -p "$(dirname "$src")"
	rm -rf "$src"
	mv "$tmp"/qemu-*/ "$src" || die "apt-get source left no qemu-*/ directory"
	rm -rf "$tmp" "$log"
fi
c=$src/contrib/plugins/$name.c
[ ! -f "$ours" ] || c=$ours
[ -f "$c" ] || die "no plugin '$name': neither tools/qemu/plugins/$name.c nor QEMU $ver's contrib/plugins/$name.c"
command -v pkg-config >/dev/null && pkg-config --exists glib-2.0 ||
	die "glib-2.0 development files missing (libglib2.0-dev, pkg-config)"
mkdir -p "$d"
# shellcheck disable=SC2046
gcc -O2 -Wall -fPIC -shared -I"$src/include/qemu" $(pkg-config --cflags glib-2.0) \
	-o "$so.tmp" "$c" $(pkg-config --libs glib-2.0) ||
	die "cannot build $c"
mv "$so.tmp" "$so"
echo "$so"
