#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Copy the workloads' programs into a guest root:
#   tools/workload-files.sh <arch> <dest>
# Every "file" of tools/guest/workloads/files.list, from the Debian
# packages tools/deps.sh --workloads unpacked for <arch>, to the same path
# under <dest> (a directory with all it holds, a symlink with its target);
# every ELF file among them brings its program interpreter and the shared
# libraries it needs (DT_NEEDED, looked up in the arch's multiarch
# library directories of the unpacked packages, as ld.so would). A
# library that none of the packages has stops the copy.
. "$(dirname "$0")/lib.sh"

[ $# -eq 2 ] || die "usage: workload-files.sh <arch> <dest>"
arch=$1 dest=$2
check_arch "$arch"
. "$TOP/tools/qemu/$arch.conf"
[ -n "${DEBIAN_ARCH:-}" ] || die "tools/qemu/$arch.conf names no DEBIAN_ARCH"
root=$CACHE/workloads-$DEBIAN_ARCH/root
list=$TOP/tools/guest/workloads/files.list
[ -f "$root/.packages" ] || die "no workload packages for $arch in $root (tools/deps.sh --workloads $arch)"
[ -d "$dest" ] || die "no directory $dest"
libdirs="/lib/$DEBIAN_MULTIARCH /usr/lib/$DEBIAN_MULTIARCH /lib /usr/lib"

is_elf() { [ -f "$1" ] && [ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = '177ELF' ]; }

# copy <path>: one path of the unpacked packages, then, for a symlink, its
# target, for an ELF file, what it needs
copy() {
	local p=$1 t
	# copied already (a directory made for an earlier path is not)
	if [ -L "$dest$p" ] || { [ -e "$dest$p" ] && [ ! -d "$dest$p" ]; }; then return 0; fi
	[ -e "$root$p" ] || [ -L "$root$p" ] || die "$p is in none of the workloads' packages for $arch"
	mkdir -p "$dest$(dirname "$p")"
	if [ -d "$root$p" ] && [ ! -L "$root$p" ]; then
		mkdir -p "$dest$p"
		cp -a "$root$p/." "$dest$p/"
	else
		cp -a "$root$p" "$dest$p"
	fi
	if [ -L "$root$p" ]; then
		t=$(readlink "$root$p")
		case $t in /*) ;; *) t=$(dirname "$p")/$t ;; esac
		copy "$(realpath -ms "$t")"
	elif [ -d "$root$p" ]; then
		find "$root$p" -mindepth 1 -type f | while read -r f; do
			! is_elf "$f" || elf_deps "${f#"$root"}"
		done
	elif is_elf "$root$p"; then
		elf_deps "$p"
	fi
}

# elf_deps <path>: its interpreter and DT_NEEDED libraries
elf_deps() {
	local f=$root$1 lib d found
	lib=$(readelf -l "$f" 2>/dev/null | sed -n 's/.*Requesting program interpreter: \(.*\)]$/\1/p')
	[ -z "$lib" ] || copy "$lib"
	for lib in $(readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'); do
		found=
		for d in $libdirs; do
			if [ -e "$root$d/$lib" ] || [ -L "$root$d/$lib" ]; then found=$d/$lib; break; fi
		done
		[ -n "$found" ] || die "$1 needs $lib, which none of the workloads' packages for $arch has"
		copy "$found"
	done
}

n=0
while read -r kind p; do
	[ "$kind" = file ] || continue
	copy "$p"
	n=$((n + 1))
done < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$list")
[ "$n" -gt 0 ] || die "$list names no file"
cp "$root/.versions" "$dest/etc/workload-packages"
