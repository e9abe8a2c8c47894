#!/bin/sh
# SPDX-License-Identifier: MIT
# build-initramfs.sh: pack the guest initramfs images from busybox and rootfs/.
#
# Usage: build-initramfs.sh OUTDIR BUSYBOXDIR  (run by ./build)
# OUTDIR receives initramfs.cpio.gz (interactive shell) and
# initramfs-test.cpio.gz (the variant for automated tests); the two differ
# only in /etc/mimic-variant. No root needed: cpio sets the owners and
# fakeroot lets us create /dev/console.
set -eu
IMAGES=$(cd "$(dirname "$0")" && pwd)
. "$IMAGES/lib.sh"

[ $# -eq 2 ] || die "usage: build-initramfs.sh OUTDIR BUSYBOXDIR"
out=$1
bb=$2
for tool in cpio gzip; do
	command -v "$tool" >/dev/null || die "$tool not found (run scripts/install-deps)"
done
if [ "$(id -u)" != 0 ]; then
	command -v fakeroot >/dev/null || die "fakeroot not found (run scripts/install-deps)"
	asroot=fakeroot
else
	asroot=""
fi

tmp=$(make_tmp initramfs)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP

stage() {
	root=$tmp/$1
	mkdir -p "$root"
	(cd "$root" && mkdir -p bin sbin usr/bin usr/sbin dev proc sys tmp root etc mnt run var)
	chmod 1777 "$root/tmp"
	cp "$bb/busybox" "$root/bin/busybox"
	chmod 755 "$root/bin/busybox"
	while IFS= read -r link; do
		[ "$link" = /bin/busybox ] && continue
		ln -sf /bin/busybox "$root$link"
	done <"$bb/busybox.links"
	cp -R --remove-destination "$IMAGES/rootfs/." "$root/"
	chmod 755 "$root/init" "$root/sbin/poweroff"
	ln -sf poweroff "$root/sbin/reboot"
	ln -sf poweroff "$root/sbin/halt"
	echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
	printf 'root:x:0:\ntty:x:5:\n' >"$root/etc/group"
	echo "$1" >"$root/etc/mimic-variant"
}

# newc archive, owned by root, files in a stable order.
pack() {
	(cd "$tmp/$1" && $asroot sh -c '
		mknod -m 600 dev/console c 5 1 &&
		find . -print0 | LC_ALL=C sort -z |
			cpio --null -o -H newc --owner=0:0 --reproducible --quiet') \
		>"$tmp/$1.cpio" || die "packing $2 failed"
	gzip -9n <"$tmp/$1.cpio" >"$tmp/out/$2" || die "compressing $2 failed"
}

say "initramfs: packing"
mkdir "$tmp/out"
stage interactive
stage test
pack interactive initramfs.cpio.gz
pack test initramfs-test.cpio.gz
publish "$tmp/out" "$out"
