#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Check every patch of the series on its own:
#   tools/check-series.sh [<config>...]   (default x86_64-series)
# (CHECK_FROM=<n>: from patch n on, the earlier ones as checked before;
# END_CONFIGS="<config>...": built at the last patch only, default
# x86_64-xen s390x-series x86_64-nomemcg)
#   - scripts/checkpatch.pl --strict reports no errors;
#   - the tree at that patch builds with each config, with
#     CONFIG_PTDESC_DYNAMIC (and its KUnit suite, once the tree has it) on
#     and off once the tree offers the option on the config's arch, off
#     before (incremental builds in out/series/build/). A config that says
#     "# check-series: not offered" builds off only, and at the last patch
#     Kconfig must refuse the option there;
#   - the same at the last patch for each of END_CONFIGS;
#   - every .c file the series changes was compiled by one of those
#     builds, for each arch the configs build;
#   - kernel-doc reports nothing new in the files the series touches.
# TAP output.
. "$(dirname "$0")/lib.sh"

cfgs=("$@")
[ $# -gt 0 ] || cfgs=(x86_64-series)
read -r -a ends <<<"${END_CONFIGS-x86_64-xen s390x-series x86_64-nomemcg}"
case ${CHECK_FROM:-1} in
''|*[!0-9]*) die "CHECK_FROM must be a patch number, not '$CHECK_FROM'" ;;
esac
for cfg in "${cfgs[@]}" "${ends[@]}"; do load_arch "$cfg"; done
"$TOP/tools/tree.sh" >&2
fork=$(srctree fork)
s=$(srctree series-on)
git -C "$BASE_REPO" worktree prune
[ -e "$s/.git" ] || { mkdir -p "$(dirname "$s")"; git -C "$BASE_REPO" worktree add -q --detach "$s" base; }
commits=$(git -C "$fork" rev-list --reverse base..HEAD)
[ -n "$commits" ] || die "the series is empty"

not_offered() { grep -q '^# check-series: not offered$' "$(config_file "$1")"; }
# wants_kunit <cfg>: the config's fragments leave KUnit on
wants_kunit() {
	config_chain "$1" | grep -E '^(CONFIG_KUNIT=|# CONFIG_KUNIT is not set)' |
		tail -n 1 | grep -qx 'CONFIG_KUNIT=y'
}

# build <cfg> <state> <patch> <subject>: one TAP line for the build
build() {
	local cfg=$1 st=$2 i=$3 subj=$4 frag=$OUT/series/series-$1-$2.config
	local log=$OUT/series/series-$i-$cfg-$st.log
	: >"$frag"
	if [ "$st" = on ]; then
		echo "CONFIG_$OPTION=y" >>"$frag"
		if grep -q "^config ${OPTION%_*}_KUNIT_TEST\$" "$s/mm/Kconfig" && wants_kunit "$cfg"; then
			echo "CONFIG_${OPTION%_*}_KUNIT_TEST=y" >>"$frag"
		fi
	elif grep -q "^config $OPTION\$" "$s/mm/Kconfig"; then
		echo "# CONFIG_$OPTION is not set" >>"$frag"
	fi
	if EXTRA_FRAGMENT=$frag "$TOP/tools/build.sh" "$cfg" "series-$st" >"$log" 2>&1; then
		tap_result 1 "patch $i builds ($cfg, $OPTION $st): $subj"
	else
		tap_result 0 "patch $i builds ($cfg, $OPTION $st): $(grep -m1 -i 'error' "$log")"
	fi
}

# build_states <cfg> <patch> <subject>: on and off where the tree at that
# patch offers the option on the config's arch and the config does not
# say otherwise, off alone before
build_states() {
	local states=off
	load_arch "$1"
	if ! not_offered "$1" && grep -q "^config $OPTION\$" "$s/mm/Kconfig" &&
	   grep -q "select ARCH_SUPPORTS_$OPTION\b" "$s/arch/$KSRCARCH/Kconfig"; then
		states="on off"
	fi
	for st in $states; do build "$1" "$st" "$2" "$3"; done
}

n=0 fail=0
echo "TAP version 13"
i=0
for c in $commits; do
	i=$((i + 1))
	[ "$i" -ge "${CHECK_FROM:-1}" ] || continue
	subj=$(git -C "$fork" log -1 --format=%s "$c")
	git -C "$fork" format-patch -q --stdout -1 "$c" >"$OUT/series/series-$i.patch"
	# Debian's python3 for scripts/spdxcheck.py (python3-ply, python3-git),
	# not whatever python3 comes first in PATH; checkpatch ignores the
	# helper's exit status, so look for its traceback
	rc=0
	(cd "$fork" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict --quiet \
		"$OUT/series/series-$i.patch") >"$OUT/series/series-$i.checkpatch" 2>&1 || rc=$?
	if grep -q '^Traceback' "$OUT/series/series-$i.checkpatch"; then
		tap_result 0 "patch $i checkpatch --strict: a helper script failed (see $OUT/series/series-$i.checkpatch)"
	elif [ $rc = 0 ]; then
		tap_result 1 "patch $i checkpatch --strict: $subj"
	else
		errs=$(grep -c '^ERROR' "$OUT/series/series-$i.checkpatch" || true)
		warns=$(grep -c '^\(WARNING\|CHECK\)' "$OUT/series/series-$i.checkpatch" || true)
		tap_result "$([ "$errs" = 0 ] && echo 1 || echo 0)" \
			"patch $i checkpatch --strict: $errs errors, $warns warnings/checks: $subj"
	fi
	git -C "$s" checkout -q --detach "$c"
	for cfg in "${cfgs[@]}"; do build_states "$cfg" "$i" "$subj"; done
done
git -C "$s" checkout -q --detach "$c"
subj=$(git -C "$fork" log -1 --format=%s "$c")
for cfg in "${ends[@]}"; do build_states "$cfg" "$i" "$subj"; done

# Where a config says the option is not offered, Kconfig must say so too:
# asked for, it is not set (tools/build.sh refuses the config).
for cfg in "${cfgs[@]}" "${ends[@]}"; do
	not_offered "$cfg" || continue
	frag=$OUT/series/series-$cfg-offered.config
	echo "CONFIG_$OPTION=y" >"$frag"
	log=$OUT/series/series-$cfg-offered.log
	if EXTRA_FRAGMENT=$frag "$TOP/tools/build.sh" "$cfg" series-on >"$log" 2>&1; then
		tap_result 0 "$OPTION is offered with $cfg, whose fragment says it is not"
	else
		refused=0
		grep -q "options not set as requested.*CONFIG_$OPTION\b" "$log" && refused=1
		tap_result $refused "$OPTION is not offered with $cfg: $(tail -n 1 "$log")"
	fi
done

# Every .c file of the series compiled into some kernel above (in a member
# of its vmlinux.a: objects left from older builds do not count), on each
# arch those configs build; an arch none of them builds is named only
arches=$(for cfg in "${cfgs[@]}" "${ends[@]}"; do load_arch "$cfg"; echo "$KSRCARCH"; done | sort -u)
while read -r f; do
	case $f in
	arch/*) a=${f#arch/}; a=${a%%/*}
		echo "$arches" | grep -qx "$a" || { echo "# $f: no $a config here"; continue; } ;;
	esac
	found=
	for cfg in "${cfgs[@]}" "${ends[@]}"; do
		load_arch "$cfg"
		case $f in arch/*) [ "${f#arch/$KSRCARCH/}" != "$f" ] || continue ;; esac
		for st in on off; do
			b=$(builddir "$cfg" "series-$st")
			[ -f "$b/vmlinux.a" ] || continue
			# its own object, or one that #includes it (kbuild's .cmd
			# lists every source an object was built from)
			for o in $(ar t "$b/vmlinux.a" | grep "^$b/${f%/*}/[^/]*\.o\$"); do
				c=${o%/*}/.${o##*/}.cmd
				if [ "$o" = "$b/${f%.c}.o" ] || grep -qs "/$f\b" "$c"; then
					found="$found $cfg-$st"
					break
				fi
			done
		done
	done
	tap_result "$([ -n "$found" ] && echo 1 || echo 0)" \
		"$f compiled by${found:- no build here}"
done < <(git -C "$fork" diff --name-only --diff-filter=d base..HEAD -- '*.c')

# kernel-doc over the files the series touches, at its last patch
while IFS= read -r line; do
	case "$line" in
	"ok "*) tap_result 1 "${line#ok * - }" ;;
	"not ok "*) tap_result 0 "${line#not ok * - }" ;;
	esac
done < <("$TOP/tools/kerneldoc.sh" 2>&1)
echo "1..$n"
echo "$((n - fail)) passed, $fail failed"
[ "$fail" = 0 ]
