#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build one kernel out of tree: tools/build.sh <config> <variant>
#   <config>  configs/<config>.config, named <arch>-<what>; a fragment may
#             name a parent with "# include: <config>" and gets it first
#   <variant> baseline or fork: the same tree (base + series), with the
#             fragment configs/variants/<variant>.config (the option off or
#             on) after the parents and before <config>'s own lines, so a
#             config can override what a variant asks for (x86_64-bench:
#             no KUnit). As in merge_config.sh, the last setting wins.
# Output: out/<variant>/build/<config>/ with .config and the kernel image.
. "$(dirname "$0")/lib.sh"

[ $# -eq 2 ] || die "usage: build.sh <config> <variant>"
cfg=$1 variant=$2
frag=$(config_file "$cfg")
load_arch "$cfg"
src=$(srctree "$variant")
[ -f "$src/Makefile" ] || die "no $variant tree at $src; run tools/tree.sh"
b=$(builddir "$cfg" "$variant")
mkdir -p "$b"

# Fragments: the parents first, then this one.
frags=()
add_frag() {
	local f=$1 parent
	parent=$(sed -n 's/^# include: *//p' "$f")
	[ -z "$parent" ] || add_frag "$(config_file "$parent")"
	frags+=("$f")
}
parent=$(sed -n 's/^# include: *//p' "$frag")
[ -z "$parent" ] || add_frag "$(config_file "$parent")"
case $variant in
baseline|fork) frags+=("$CONFIGS_DIR/variants/$variant.config") ;;
esac
frags+=("$frag")
[ -z "${EXTRA_FRAGMENT:-}" ] || frags+=("$EXTRA_FRAGMENT")

export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
export CCACHE_BASEDIR=$OUT CCACHE_COMPILERCHECK=content CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-20G}
mk=(make -s -C "$src" O="$b" ARCH="$KARCH" CC="ccache ${CROSS_COMPILE:-}gcc" \
	${CROSS_COMPILE:+CROSS_COMPILE=$CROSS_COMPILE} -j"$(nproc)")

# check_options: every option the fragments ask for is set so in .config
# (like kunit_config.py), the last request for an option being the one that
# counts; prints the ones that are not
check_options() {
	grep -E '^(CONFIG_[A-Z0-9_]+=.*|# CONFIG_[A-Z0-9_]+ is not set)$' "$b/fragment.config" |
		awk '{ o = $0; sub(/^# /, "", o); sub(/[= ].*/, "", o); if (!(o in last)) n[++k] = o; last[o] = $0 }
		     END { for (i = 1; i <= k; i++) print last[n[i]] }' |
		while read -r line; do
			case "$line" in
			"# "*) opt=${line#\# }; opt=${opt%% *}
			       if grep -q "^$opt=" "$b/.config"; then echo "$opt"; fi ;;
			*)     if ! grep -qxF "$line" "$b/.config"; then echo "${line%%=*}"; fi ;;
			esac
		done | tr '\n' ' '
}
cat "${frags[@]}" >"$b/fragment.config"
# The tree's Kconfig may have changed since .config was made: a new
# symbol then takes its default (an arch that starts to offer the option
# would turn it on in a baseline). Resolve it as the build would, and
# configure again when a requested option is no longer as asked.
stale=
if [ -f "$b/.config" ] && cmp -s "$b/fragment.config" "$b/.fragment.applied"; then
	"${mk[@]}" olddefconfig >/dev/null
	stale=$(check_options)
fi
if [ ! -f "$b/.config" ] || ! cmp -s "$b/fragment.config" "$b/.fragment.applied" || [ -n "$stale" ]; then
	say "configuring $cfg/$variant${stale:+ (no longer as asked: $stale)}"
	"${mk[@]}" tinyconfig >/dev/null
	"$src/scripts/kconfig/merge_config.sh" -m -O "$b" "$b/.config" "$b/fragment.config" >"$b/merge.log" 2>&1
	"${mk[@]}" olddefconfig >/dev/null
	bad=$(check_options)
	[ -z "$bad" ] || die "$cfg: options not set as requested (missing dependencies?): $bad"
	cp "$b/fragment.config" "$b/.fragment.applied"
fi

say "building $cfg/$variant ($KARCH, $(nproc) jobs)"
start=$SECONDS
if ! with_progress "building $cfg/$variant" "${mk[@]}" $KIMAGE_TARGET modules >"$b/build.log" 2>&1; then
	grep -E 'error|Error' "$b/build.log" | head -20 >&2
	die "build of $cfg/$variant failed (see $b/build.log)"
fi
[ -f "$b/$KIMAGE" ] || die "build of $cfg/$variant produced no $KIMAGE"
say "built $cfg/$variant in $((SECONDS - start))s"
