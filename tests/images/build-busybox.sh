#!/bin/sh
# SPDX-License-Identifier: MIT
# build-busybox.sh: cross-build a static riscv64 busybox from Debian's busybox source package.
#
# Usage: build-busybox.sh OUTDIR VERSION  (run by ./build, which holds the cache lock)
# VERSION is the Debian source version to fetch with apt-get source; the
# fetched source is kept in the cache. OUTDIR receives busybox (stripped),
# busybox_unstripped, busybox.links (one applet path a line) and config.
set -eu
IMAGES=$(cd "$(dirname "$0")" && pwd)
. "$IMAGES/lib.sh"

[ $# -eq 2 ] || die "usage: build-busybox.sh OUTDIR VERSION"
out=$1
version=$2
fragment=$IMAGES/busybox.config

# What the guest init scripts, the tests and a person at the shell need.
applets="sh ash sed awk sort grep find tar gzip gunzip md5sum sha256sum date
seq xargs hexdump od mount umount poweroff reboot halt uname cat dd sync
mkdir ls cp mv rm ln chmod echo printf test sleep head tail wc cut tr tee
diff cmp stty setsid cttyhack devmem base64 dmesg hostname ps kill env
mknod ip ifconfig udhcpc wget mkfs.ext2 fdisk vi less"

for tool in "${CROSS}gcc" make apt-get dpkg-source; do
	command -v "$tool" >/dev/null || die "$tool not found (run scripts/install-deps)"
done

src=$CACHE/src/busybox_$(printf '%s' "$version" | tr ':' '_')
mkdir -p "$WORK/logs"
log=$WORK/logs/busybox.log
: >"$log"
tmp=$(make_tmp busybox)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP

if [ ! -d "$src" ]; then
	say "busybox: fetching Debian source busybox=$version"
	mkdir "$tmp/src"
	if ! (cd "$tmp/src" && apt-get source -q --only-source "busybox=$version") >>"$log" 2>&1; then
		tail -n 20 "$log" >&2
		die "apt-get source busybox=$version failed (needs the network and a deb-src entry; log: $log)"
	fi
	publish "$tmp/src" "$src"
fi
tree=$(find "$src" -mindepth 1 -maxdepth 1 -type d -name 'busybox-*' | head -n 1)
[ -n "$tree" ] || die "no unpacked busybox-* directory in $src (remove it and retry)"

obj=$tmp/obj
mkdir "$obj"
bmake() {
	make -C "$tree" O="$obj" "$@"
}

say "busybox: configuring (defconfig + busybox.config)"
run_logged "$log" "busybox defconfig" bmake defconfig
{
	config_drop_keys "$fragment" <"$obj/.config"
	config_settings "$fragment"
} >"$tmp/config"
mv "$tmp/config" "$obj/.config"
if ! yes '' | bmake oldconfig >>"$log" 2>&1; then
	die "busybox oldconfig failed (log: $log)"
fi
config_check "$fragment" "$obj/.config"

jobs=$(jobs_count)
say "busybox: compiling with $jobs jobs (log: $log)"
start=$(date +%s)
run_logged "$log" "busybox build" bmake -j"$jobs" busybox busybox.links
say "busybox: built in $(($(date +%s) - start)) s"

if "${CROSS}readelf" -l "$obj/busybox" | grep -q 'Requesting program interpreter'; then
	die "busybox is dynamically linked although CONFIG_STATIC=y"
fi
missing=""
for applet in $applets; do
	grep -q "/$applet\$" "$obj/busybox.links" || missing="$missing $applet"
done
[ -z "$missing" ] || die "busybox lacks applets:$missing (see busybox.config)"

mkdir "$tmp/out"
cp "$obj/busybox" "$obj/busybox_unstripped" "$obj/busybox.links" "$tmp/out/"
cp "$obj/.config" "$tmp/out/config"
publish "$tmp/out" "$out"
