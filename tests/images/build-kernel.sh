#!/bin/sh
# SPDX-License-Identifier: MIT
# build-kernel.sh: cross-build the riscv64 guest kernel from Debian's linux-source-6.1.
#
# Usage: build-kernel.sh OUTDIR  (run by ./build, which holds the cache lock)
# OUTDIR receives Image, vmlinux, System.map and config. The configuration
# is tinyconfig with kernel.config on top, applied through KCONFIG_ALLCONFIG
# so that every option the fragment does not name stays off. The unpacked
# source and the object tree are kept in the cache, so a change to the
# fragment rebuilds only what it touches.
set -eu
IMAGES=$(cd "$(dirname "$0")" && pwd)
. "$IMAGES/lib.sh"

[ $# -eq 1 ] || die "usage: build-kernel.sh OUTDIR"
out=$1
tarball=/usr/src/linux-source-6.1.tar.xz
fragment=$IMAGES/kernel.config

[ -f "$tarball" ] || die "$tarball is missing (install Debian package linux-source-6.1)"
for tool in "${CROSS}gcc" make bc flex bison perl; do
	command -v "$tool" >/dev/null || die "$tool not found (run scripts/install-deps)"
done

srcver=$(pkg_version linux-source-6.1)
src=$CACHE/src/linux-source-6.1_$srcver
obj=$WORK/linux-obj
mkdir -p "$WORK/logs"
log=$WORK/logs/kernel.log
: >"$log"
tmp=$(make_tmp kernel)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP

if [ ! -d "$src" ]; then
	say "kernel: unpacking $tarball"
	run_logged "$log" "unpacking $tarball" tar -C "$tmp" -xf "$tarball"
	publish "$tmp/linux-source-6.1" "$src"
fi

# The object tree is reused only if the last build using it finished and
# used the same source and toolchain; an interrupted one may have left
# truncated objects behind.
ident="linux-source-6.1 $srcver / $("${CROSS}gcc" --version | head -n 1) / $("${CROSS}ld" --version | head -n 1)"
if [ -e "$obj/.mimic-building" ] || [ "$(cat "$obj/.mimic-ident" 2>/dev/null)" != "$ident" ]; then
	rm -rf "$obj"
fi
mkdir -p "$obj"
printf '%s\n' "$ident" >"$obj/.mimic-ident"
: >"$obj/.mimic-building"

kmake() {
	make -C "$src" O="$obj" ARCH=riscv CROSS_COMPILE="$CROSS" \
		KBUILD_BUILD_USER=mimic KBUILD_BUILD_HOST=mimic "$@"
}

say "kernel: configuring (tinyconfig + kernel.config)"
{
	cat "$src/kernel/configs/tiny-base.config" "$src/kernel/configs/tiny.config" |
		config_drop_keys "$fragment"
	config_settings "$fragment"
} >"$tmp/allconfig"
run_logged "$log" "kernel allnoconfig" kmake KCONFIG_ALLCONFIG="$tmp/allconfig" allnoconfig
run_logged "$log" "kernel olddefconfig" kmake olddefconfig
config_check "$fragment" "$obj/.config"

jobs=$(jobs_count)
say "kernel: compiling with $jobs jobs (log: $log)"
start=$(date +%s)
run_logged "$log" "kernel build" kmake -j"$jobs" Image
say "kernel: built in $(($(date +%s) - start)) s"

mkdir "$tmp/out"
cp "$obj/arch/riscv/boot/Image" "$obj/vmlinux" "$obj/System.map" "$tmp/out/"
cp "$obj/.config" "$tmp/out/config"
rm -f "$obj/.mimic-building"
publish "$tmp/out" "$out"
