#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Does the harness install everything it uses? tools/check-fresh.sh [<arch>...]
# In a minimal Debian 12 root made by debootstrap from Debian's archive,
# with this repository's files copied in (what git tracks, as a clone
# would have them), as TAP:
#   1. before tools/deps.sh, its --check finds commands missing (the check
#      can fail: a new root lacks rsync, gcc, qemu, ...)
#   2. tools/deps.sh installs the packages
#   3. tools/deps.sh --check: every command the harness calls resolves
#   4. tools/tree.sh: the pinned base (apt, sha256) and the patch series
#   5. tools/selftests.sh: headers_install and the selftests/mm build
#   6. the guest programs build, static
#   7. kbuild: tinyconfig and "make prepare" (objtool, libelf, bc, flex,
#      bison)
# Needs root and debootstrap (tools/deps.sh installs it). Takes about
# 15 minutes, most of it downloads; the root is removed afterwards
# (FRESH_KEEP=1 keeps it in out/fresh).
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot)"
[ $# -gt 0 ] || set -- x86_64 s390x
archs=("$@")
for a in "${archs[@]}"; do check_arch "$a"; done
command -v debootstrap >/dev/null || die "debootstrap not installed (tools/deps.sh)"
mirror=${FRESH_MIRROR:-$(sed -n 's/^URIs: *\(http[^ ]*\/debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)}
mirror=${mirror:-http://deb.debian.org/debian}

root=$OUT/fresh/root
L=$OUT/fresh
mkdir -p "$L"
cleanup() {
	for m in dev/pts dev sys proc; do umount -l "$root/$m" 2>/dev/null || true; done
	[ "${FRESH_KEEP:-0}" = 1 ] || rm -rf "$root"
}
trap cleanup EXIT
cleanup

n=0 fail=0
result() {
	n=$((n + 1))
	if [ "$1" = 1 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail + 1)); fi
}
# in_root <log> <command>: run a shell command in the root, in /src
in_root() {
	local log=$L/$1.log
	shift
	chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		/bin/bash -c "cd /src && $*" >"$log" 2>&1
}
last_error() { grep 'error' "$L/$1.log" | tail -n 1; }

echo "TAP version 13"
say "debootstrap bookworm (minbase) from $mirror"
if ! with_progress debootstrap debootstrap --variant=minbase bookworm "$root" "$mirror" \
	>"$L/debootstrap.log" 2>&1; then
	echo "not ok 1 - debootstrap: $(tail -n 1 "$L/debootstrap.log")"
	echo "1..1"
	echo "0 passed, 1 failed"
	exit 1
fi
# the same archive as this machine, deb-src entries included
rm -f "$root/etc/apt/sources.list"
cp /etc/apt/sources.list.d/debian.sources "$root/etc/apt/sources.list.d/" 2>/dev/null ||
	echo "deb $mirror bookworm main" >"$root/etc/apt/sources.list"
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --rbind /dev "$root/dev"
mkdir -p "$root/src"
git -C "$TOP" ls-files -z | tar -C "$TOP" --null -T - -cf - | tar -C "$root/src" -xf -

# 1: the check must see what a new root lacks
if in_root check-before "tools/deps.sh --check ${archs[*]}"; then
	result 0 "deps.sh --check passes before deps.sh ran: it checks nothing"
else
	result 1 "before deps.sh: $(last_error check-before | sed 's/.*error: //')"
fi
say "deps.sh ${archs[*]}"
in_root deps "tools/deps.sh ${archs[*]}" &&
	result 1 "deps.sh installs the packages" ||
	result 0 "deps.sh: $(last_error deps)"
in_root check-after "tools/deps.sh --check ${archs[*]}" &&
	result 1 "every command the harness calls resolves ($(grep -o 'all [0-9]* commands' "$L/check-after.log"))" ||
	result 0 "$(last_error check-after)"
say "tree.sh: base and series"
in_root tree "tools/tree.sh" &&
	result 1 "tree.sh: pinned base and patch series" ||
	result 0 "tree.sh: $(last_error tree)"
for a in "${archs[@]}"; do
	say "$a: headers_install, selftests, guest programs, kbuild prepare"
	in_root "selftests-$a" "tools/selftests.sh $a" &&
		result 1 "$a: headers_install and selftests/mm build" ||
		result 0 "$a: selftests.sh: $(last_error "selftests-$a")"
	in_root "guest-$a" ". tools/qemu/$a.conf; for p in ptstress ptbench racewalk failrun; do
		\$GUEST_CC -static -O2 -Wall -Werror -pthread -o /tmp/\$p tools/guest/\$p.c || exit 1
		file /tmp/\$p | grep -q 'statically linked' || exit 1; done" &&
		result 1 "$a: guest programs build static" ||
		result 0 "$a: guest programs do not build (see $L/guest-$a.log)"
	in_root "prepare-$a" ". tools/qemu/$a.conf; make -s -C out/fork/linux O=/tmp/k-$a ARCH=\$KARCH \
		\${CROSS_COMPILE:+CROSS_COMPILE=\$CROSS_COMPILE} -j$(nproc) tinyconfig prepare" &&
		result 1 "$a: kbuild tinyconfig and prepare" ||
		result 0 "$a: kbuild prepare fails (see $L/prepare-$a.log)"
done
echo "1..$n"
echo "$((n - fail)) passed, $fail failed"
[ "$fail" = 0 ]
