#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Put interrupts where the early 5-level KASAN report says one arrived,
# on one built kernel: tools/la57-window.sh <config> <variant> <in|after|size>
# identify_cpu() clears boot_cpu_data.x86_capability and then detects the
# features again. Until get_cpu_cap() has run, pgtable_l5_enabled(), which
# before alternatives tests X86_FEATURE_LA57 in boot_cpu_data, says 4-level,
# and so does KASAN's shadow start; an interrupt there would see every
# 5-level direct-map address as wild. This boots the kernel under QEMU's
# gdb stub, stops it in arch_cpu_finalize_init() and then at
#   in:    cpu_detect(), the first call after the clearing, or
#   after: get_cpu_address_sizes(), the first call after get_cpu_cap(),
# and single-steps WINDOW_STEPS instructions (default 3000) with interrupts
# and timers left on (qqemu.sstep=0x1), so that pending interrupts are taken
# at that point; then lets it run. Expected: "in" gives the report, "after"
# gives none and reaches init. "size" measures the window instead: it steps
# from cpu_detect() to get_cpu_address_sizes() with interrupts masked
# (QEMU's default). One TAP line; logs in
# out/logs/<config>/<variant>/window-<where>/ (gdb.log beside the console).
. "$(dirname "$0")/lib.sh"

[ $# -eq 3 ] || die "usage: la57-window.sh <config> <variant> <in|after|size>"
cfg=$1 v=$2 where=$3
load_arch "$cfg"
[ "$KARCH" = x86_64 ] || die "$cfg: the window is x86_64's identify_cpu(); not for $KARCH"
case $where in
in|size) stop=cpu_detect ;;
after) stop=get_cpu_address_sizes ;;
*) die "where must be 'in', 'after' or 'size', not '$where'" ;;
esac
command -v gdb >/dev/null || die "gdb not installed (tools/deps.sh)"
b=$(builddir "$cfg" "$v")
[ -f "$b/System.map" ] || die "no kernel for $cfg/$v; build it first"
# 5-level paging: X86_5LEVEL on 6.12; compiled into every x86_64 kernel
# on 7.x (PGTABLE_LEVELS=5), chosen at boot (the config asks for no no5lvl)
grep -q '^CONFIG_KASAN=y' "$b/.config" || die "$cfg/$v: CONFIG_KASAN is not set; the window needs KASAN"
grep -Eq '^CONFIG_(X86_5LEVEL=y|PGTABLE_LEVELS=5)$' "$b/.config" &&
	! config_cmdline "$cfg" | grep -qw no5lvl ||
	die "$cfg/$v: not built or booted for 5-level paging; the window needs it"
addr() {
	local a
	a=$(awk -v s="$1" '$3 == s { print $1; exit }' "$b/System.map")
	[ -n "$a" ] || die "$cfg/$v: no symbol $1 in System.map"
	echo "0x$a"
}
finalize=$(addr arch_cpu_finalize_init)
at=$(addr "$stop")
end=$(addr get_cpu_address_sizes)
irq=$(addr asm_common_interrupt)
timer=$(addr asm_sysvec_apic_timer_interrupt)
steps=${WINDOW_STEPS:-3000} wait=${WINDOW_TIMEOUT:-120}
case $steps$wait in ''|*[!0-9]*) die "WINDOW_STEPS and WINDOW_TIMEOUT must be numbers" ;; esac
run=window-$where
l=$OUT/logs/$cfg/$v/$run
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=$((20000 + $$ % 10000))
while port_open $port; do port=$((port + 1)); done

# QEMU waits for gdb (-S); boot.sh fails when init never completes, which
# is what the report does to the boot: its status is not the result.
# nokaslr: the breakpoints are System.map's addresses.
mkdir -p "$(dirname "$l")"
QEMU_EXTRA="-gdb tcp:127.0.0.1:$port -S" BOOT_TIMEOUT=$wait \
	"$TOP/tools/boot.sh" "$cfg" "$v" "$run" "rdinit=/bin/true nokaslr" >"$l.boot.log" 2>&1 &
qemu=$!
trap 'pkill -f "tcp:127.0.0.1:$port " 2>/dev/null || true' EXIT
for _ in $(seq 60); do
	sleep 1
	port_open $port && break
	kill -0 $qemu 2>/dev/null || die "$cfg/$v: the boot ended before gdb could attach: $(tail -n 1 "$l.boot.log")"
done
port_open $port || die "$cfg/$v: QEMU's gdb stub never listened on port $port"
cat >"$l.gdb" <<EOF
set pagination off
set confirm off
target remote 127.0.0.1:$port
break *$finalize
continue
delete
break *$at
continue
delete
printf "stopped at $stop\n"
EOF
if [ "$where" = size ]; then
	cat >>"$l.gdb" <<EOF
set \$n = 0
while \$pc != $end && \$n < 1000000
  stepi
  set \$n = \$n + 1
end
printf "instructions from cpu_detect to get_cpu_address_sizes: %d\n", \$n
EOF
else
	cat >>"$l.gdb" <<EOF
maint packet qqemu.sstep=0x1
set \$irqs = 0
set \$i = 0
while \$i < $steps
  stepi
  if \$pc == $irq || \$pc == $timer
    set \$irqs = \$irqs + 1
  end
  set \$i = \$i + 1
end
printf "interrupts entered while stepping: %d\n", \$irqs
EOF
fi
echo continue >>"$l.gdb"
timeout -k 5 $((wait + 60)) gdb -batch -x "$l.gdb" "$b/vmlinux" >"$l.gdb.log" 2>&1 || true
wait "$qemu" || true
mv "$l.gdb" "$l/gdb.cmd"
mv "$l.gdb.log" "$l/gdb.log"
mv "$l.boot.log" "$l/boot.log"

c=$l/console.log
[ -f "$c" ] || die "$cfg/$v: no console log in $l"
grep -q "^stopped at $stop" "$l/gdb.log" || die "$cfg/$v: gdb never stopped at $stop (see $l/gdb.log)"
irqs=$(sed -n 's/^interrupts entered while stepping: //p' "$l/gdb.log")
reports=$(grep -c 'BUG: KASAN: ' "$c" || true)
first=$(grep -m1 'BUG: KASAN: ' "$c" | sed 's/^\[ *[0-9.]*\] //' || true)
rip=$(grep -m1 'RIP: 0010:' "$c" | sed 's/^\[ *[0-9.]*\] //' || true)
grep -q 'Run /bin/true as init process' "$c" && init="reached init" || init="did not reach init"
echo "TAP version 13"
echo "1..1"
if [ "$where" = size ]; then
	n=$(sed -n 's/^instructions from cpu_detect to get_cpu_address_sizes: //p' "$l/gdb.log")
	if [ -n "$n" ] && [ "$n" -lt 1000000 ] && [ "$reports" = 0 ]; then
		echo "ok 1 - $cfg/$v: the window is $n instructions (cpu_detect() to get_cpu_address_sizes(), interrupts masked), 0 KASAN reports, $init"
		exit 0
	fi
	echo "not ok 1 - $cfg/$v: window not measured (${n:-no count}; $reports KASAN reports; see $l/gdb.log)"
	exit 1
fi
# "in": the early report itself, from an interrupt taken in the window
# (identify_cpu() on the first report's stack), not just any KASAN report
early=no
if [ -n "$first" ] && echo "$first" | grep -q 'wild-memory-access' &&
   awk '/BUG: KASAN: /{n++} n == 1 {print} /^\[ *[0-9.]*\] =+$/ && n == 1 && ++e == 2 {exit}' "$c" |
	grep -q 'identify_cpu'; then
	early=yes
fi
msg="$cfg/$v, interrupts $where the window: ${irqs:-?} entered while stepping, $reports KASAN reports, $init${first:+; first: $first, interrupted $rip}"
if { [ "$where" = in ] && [ "$early" = yes ] && [ "${irqs:-0}" -gt 0 ]; } ||
   { [ "$where" = after ] && [ "$reports" = 0 ] && [ "$init" = "reached init" ] && [ "${irqs:-0}" -gt 0 ]; }; then
	echo "ok 1 - $msg"
else
	echo "not ok 1 - $msg"
	exit 1
fi
