#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the guest initramfs: tools/initramfs.sh <config> <variant>
# busybox-static, our init, ptstress, racewalk, ptbench and failrun, the selftests/mm
# programs, and the planted-fault module built for that kernel. For a
# <arch>-workloads config (make workloads) also the real programs of
# tools/guest/workloads/files.list, from Debian's packages for the arch,
# and their scripts.
. "$(dirname "$0")/lib.sh"

[ $# -eq 2 ] || die "usage: initramfs.sh <config> <variant>"
cfg=$1 variant=$2
load_arch "$cfg"

# the host's busybox-static, or the arch's from Debian, unpacked into the
# cache by tools/deps.sh; the host's lists the applets (same package)
host_bb=/bin/busybox
bb=${BUSYBOX:-$host_bb}
[ -z "${BUSYBOX_DEB:-}" ] || bb=${BUSYBOX:-$CACHE/busybox-${BUSYBOX_DEB#*:}/bin/busybox}
[ -x "$bb" ] && file -L "$bb" | grep -q 'statically linked' ||
	die "no static busybox at $bb (tools/deps.sh $arch)"

g=$OUT/guest/$arch
mkdir -p "$g"
"$GUEST_CC" -static -O2 -Wall -Werror -o "$g/ptstress" "$TOP/tools/guest/ptstress.c" ||
	die "ptstress does not build for $arch"
"$GUEST_CC" -static -O2 -Wall -Werror -o "$g/ptbench" "$TOP/tools/guest/ptbench.c" ||
	die "ptbench does not build for $arch"
"$GUEST_CC" -static -O2 -Wall -Werror -pthread -o "$g/racewalk" "$TOP/tools/guest/racewalk.c" ||
	die "racewalk does not build for $arch"
"$GUEST_CC" -static -O2 -Wall -Werror -o "$g/failrun" "$TOP/tools/guest/failrun.c" ||
	die "failrun does not build for $arch"
"$GUEST_CC" -static -O2 -Wall -Werror -o "$g/hugeflags" "$TOP/tools/guest/hugeflags.c" ||
	die "hugeflags does not build for $arch"
"$TOP/tools/selftests.sh" "$arch"
"$TOP/tools/kmod.sh" "$cfg" "$variant"

r=$OUT/initramfs/$cfg/$variant
rm -rf "$r"
mkdir -p "$r"/{bin,sbin,etc,lib,proc,sys,dev,tmp}
cp "$bb" "$r/bin/busybox"
for app in $("$host_bb" --list); do
	[ -e "$r/bin/$app" ] || ln -s busybox "$r/bin/$app"
done
install -m 755 "$TOP/tools/guest/init" "$r/init"
cp "$g/ptstress" "$g/ptbench" "$g/racewalk" "$g/failrun" "$g/hugeflags" "$r/bin/"
selftests_for_arch >"$r/etc/selftests"
while read -r t _; do cp "$g/mm/$t" "$r/bin/"; done <"$r/etc/selftests"
cp "$OUT/kmod/$cfg/$variant/dynptdesc_plant.ko" "$r/lib/"
case $cfg in
*-workloads)
	"$TOP/tools/workload-files.sh" "$arch" "$r"
	mkdir -p "$r/lib/workloads"
	cp "$TOP"/tools/guest/workloads/*.sh "$r/lib/workloads/"
	;;
esac
(cd "$r" && find . | sort | cpio -o -H newc --quiet -R 0:0 | gzip -1) >"$r.cpio.gz"
