#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Check every patch of the series on its own: tools/check-series.sh [<config>]
# (CHECK_FROM=<n>: from patch n on, the earlier ones as checked before)
#   - scripts/checkpatch.pl --strict reports no errors;
#   - the tree at that patch builds, with CONFIG_PTDESC_DYNAMIC on and off
#     once the tree offers the option on this arch, off before (incremental
#     builds in out/series/build/).
# TAP output.
. "$(dirname "$0")/lib.sh"

cfg=${1:-x86_64-kasan}
case ${CHECK_FROM:-1} in
''|*[!0-9]*) die "CHECK_FROM must be a patch number, not '$CHECK_FROM'" ;;
esac
load_arch "$cfg"
"$TOP/tools/tree.sh" >&2
fork=$(srctree fork)
s=$(srctree series-on)
git -C "$BASE_REPO" worktree prune
[ -e "$s/.git" ] || { mkdir -p "$(dirname "$s")"; git -C "$BASE_REPO" worktree add -q --detach "$s" base; }
commits=$(git -C "$fork" rev-list --reverse base..HEAD)
[ -n "$commits" ] || die "the series is empty"

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
	if grep -q "^config $OPTION\$" "$s/mm/Kconfig" &&
	   grep -q "select ARCH_SUPPORTS_$OPTION\b" "$s/arch/$KSRCARCH/Kconfig"; then
		states="on off"
	else
		states="off"
	fi
	for st in $states; do
		frag=$OUT/series/series-$st.config
		if [ $st = on ]; then echo "CONFIG_$OPTION=y" >"$frag"; else echo "# CONFIG_$OPTION is not set" >"$frag"; fi
		[ "$states" = off ] && : >"$frag"
		if EXTRA_FRAGMENT=$frag "$TOP/tools/build.sh" "$cfg" "series-$st" >"$OUT/series/series-$i-$st.log" 2>&1; then
			tap_result 1 "patch $i builds ($cfg, $OPTION $st): $subj"
		else
			tap_result 0 "patch $i builds ($cfg, $OPTION $st): $(grep 'error' "$OUT/series/series-$i-$st.log" | head -n 1)"
		fi
	done
done
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
