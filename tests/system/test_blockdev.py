# SPDX-License-Identifier: MIT
# -blockdev as management tools write it (dotted keys, libvirt's JSON with a
# protocol node under a format node, a raw file node used directly): the
# guest reads what qemu-io wrote and writes what qemu-img reads back; the
# same guest run against Debian's QEMU proves the test right.
import hashlib
import json
import subprocess

import pytest

from harness import require_tool
from test_virtio import EMULATORS, run_guest
import vm

KiB = 1024
PATTERN = bytes(range(256)) * 256  # 64 KiB

GUEST = """
set -e
echo VDA $(dd if=/dev/vda bs=65536 skip=3 count=1 2>/dev/null | md5sum | cut -c1-32)
echo VDB $(dd if=/dev/vdb bs=65536 skip=1 count=1 2>/dev/null | md5sum | cut -c1-32)
echo VDC $(dd if=/dev/vdc bs=65536 count=1 2>/dev/null | md5sum | cut -c1-32)
yes mimic-blockdev | head -c 65536 | dd of=/dev/vda bs=65536 seek=5 iflag=fullblock oflag=direct conv=fsync 2>/dev/null
yes mimic-raw-node | head -c 65536 | dd of=/dev/vdc bs=65536 seek=2 iflag=fullblock oflag=direct conv=fsync 2>/dev/null
echo RO $(cat /sys/block/vdb/ro)
echo SLOTS $(ls /sys/bus/pci/devices)
if dd if=/dev/zero of=/dev/vdb bs=4096 count=1 oflag=direct 2>/dev/null; then echo VDB-WRITE ok; else echo VDB-WRITE refused; fi
"""


def qemu_io(img, fmt, command):
    subprocess.run([require_tool("qemu-io"), "-f", fmt, "-c", command, str(img)],
                   check=True, capture_output=True)


def images(tmp_path):
    qimg = require_tool("qemu-img")
    a, b, c = tmp_path / "a.qcow2", tmp_path / "b.qcow2", tmp_path / "c.raw"
    for img in (a, b):
        subprocess.run([qimg, "create", "-q", "-f", "qcow2", str(img), "8M"], check=True)
    subprocess.run([qimg, "create", "-q", "-f", "raw", str(c), "8M"], check=True)
    qemu_io(a, "qcow2", f"write -P 0x5a {3 * 64 * KiB} 64k")
    qemu_io(b, "qcow2", f"write -P 0xc3 {64 * KiB} 64k")
    c.write_bytes(PATTERN + bytes(8 * 1024 * KiB - len(PATTERN)))
    return a, b, c


def blockdev_args(a, b, c):
    # Every -device as JSON, as libvirt writes them (QEMU 7.2 creates JSON
    # devices after key=value ones, which would reorder a mix).
    libvirt_storage = {"driver": "file", "filename": str(b), "node-name": "libvirt-2-storage",
                       "auto-read-only": True, "discard": "unmap"}
    libvirt_format = {"node-name": "libvirt-2-format", "read-only": True, "driver": "qcow2",
                      "file": "libvirt-2-storage"}
    return ["-blockdev", f"driver=qcow2,node-name=disk0,file.driver=file,file.filename={a},"
                         "file.cache.direct=on,cache.direct=off",
            "-device", json.dumps({"driver": "virtio-blk-pci", "bus": "pcie.0",
                                   "drive": "disk0", "bootindex": 1}),
            "-blockdev", json.dumps(libvirt_storage),
            "-blockdev", json.dumps(libvirt_format),
            "-device", json.dumps({"driver": "virtio-blk-pci", "drive": "libvirt-2-format",
                                   "id": "virtio-disk1", "addr": "0x5"}),
            "-blockdev", f"driver=file,node-name=rawnode,filename={c}",
            "-device", json.dumps({"driver": "virtio-blk-pci", "drive": "rawnode",
                                   "addr": "0x7.0"})]


def md5(data):
    return hashlib.md5(data).hexdigest()


def raw_bytes(img, fmt, tmp_path, offset, length):
    out = tmp_path / "out.raw"
    subprocess.run([require_tool("qemu-img"), "convert", "-f", fmt, "-O", "raw",
                    str(img), str(out)], check=True)
    return out.read_bytes()[offset:offset + length]


@pytest.mark.parametrize("emu", EMULATORS)
def test_blockdev_nodes_in_the_guest(emu, tmp_path):
    a, b, c = images(tmp_path)
    args = blockdev_args(a, b, c)
    if emu == "qemu":
        # QEMU rejects cache.direct on a node without O_DIRECT support
        # only on some file systems; the same spelling works on both here.
        pass
    status, out = run_guest(emu, GUEST, args)
    assert status == 0, out
    assert f"VDA {md5(bytes([0x5a]) * 64 * KiB)}" in out, out
    assert f"VDB {md5(bytes([0xc3]) * 64 * KiB)}" in out, out
    assert f"VDC {md5(PATTERN)}" in out, out
    assert "RO 1" in out and "VDB-WRITE refused" in out, out
    # The first took the first free slot, addr= placed the other two.
    assert "SLOTS 0000:00:00.0 0000:00:01.0 0000:00:05.0 0000:00:07.0" in out, out
    want_a = (b"mimic-blockdev\n" * 5000)[:64 * KiB]
    assert raw_bytes(a, "qcow2", tmp_path, 5 * 64 * KiB, 64 * KiB) == want_a
    want_c = (b"mimic-raw-node\n" * 5000)[:64 * KiB]
    assert c.read_bytes()[2 * 64 * KiB:3 * 64 * KiB] == want_c
    subprocess.run([require_tool("qemu-img"), "check", "-q", str(a)], check=True)


@pytest.mark.parametrize("args, message", [
    (["-blockdev", "driver=qcow2,file.driver=file,file.filename={a}"],
     r"-blockdev: node-name= is required"),
    (["-blockdev", "driver=vmdk,node-name=n0,file.driver=file,file.filename={a}"],
     r"-blockdev: driver=vmdk is not supported"),
    (["-blockdev", "driver=qcow2,node-name=n0,file=nope"],
     r"-blockdev: file=nope: no protocol node"),
    (["-blockdev", "driver=qcow2,node-name=n0,file.driver=file,file.filename={a},bogus=1"],
     r"-blockdev: unknown parameter 'bogus'"),
    (["-blockdev", "driver=qcow2,node-name=n0,file.driver=file"],
     r"-blockdev: file.filename= is required"),
    (["-blockdev", '{"driver": "file", "node-name": '],
     r"-blockdev: not a JSON object"),
    (["-blockdev", "driver=file,node-name=n0,filename={a}",
      "-blockdev", "driver=file,node-name=n0,filename={a}"],
     r"-blockdev: duplicate node-name 'n0'"),
    (["-blockdev", "driver=file,node-name=f0,filename={a}",
      "-blockdev", "driver=qcow2,node-name=q0,file=f0",
      "-device", "virtio-blk-pci,drive=f0"],
     r"drive 'f0' is already in use"),
    (["-blockdev", "driver=file,node-name=f0,filename=/nonexistent/x",
      "-device", "virtio-blk-pci,drive=f0"],
     r"-blockdev node-name=f0: .*No such file"),
    (["-blockdev", "driver=file,node-name=f0,filename={a},read-only=perhaps"],
     r"-blockdev: .*'read-only'"),
])
def test_bad_blockdev_options(args, message, tmp_path):
    """One clear line naming the problem, status 1, before any guest runs."""
    a = tmp_path / "a.qcow2"
    subprocess.run([require_tool("qemu-img"), "create", "-q", "-f", "qcow2", str(a), "1M"],
                   check=True)
    vm.assert_one_error_line([x.replace("{a}", str(a)) for x in args], message)


SNAPSHOT_GUEST = """
set -e
yes guest-write | head -c 65536 | dd of=/dev/vda bs=65536 seek=1 iflag=fullblock oflag=direct conv=fsync 2>/dev/null
yes guest-write | head -c 65536 | dd of=/dev/vdb bs=65536 seek=1 iflag=fullblock oflag=direct conv=fsync 2>/dev/null
echo VDA $(dd if=/dev/vda bs=65536 skip=1 count=1 iflag=direct 2>/dev/null | md5sum | cut -c1-32)
echo VDB $(dd if=/dev/vdb bs=65536 skip=1 count=1 iflag=direct 2>/dev/null | md5sum | cut -c1-32)
"""


@pytest.mark.parametrize("emu", EMULATORS)
@pytest.mark.parametrize("how", ["-snapshot", "snapshot=on"])
def test_snapshot_leaves_the_images_unchanged(emu, how, tmp_path, monkeypatch):
    a, _, c = images(tmp_path)
    before = {p: p.read_bytes() for p in (a, c)}
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmpdir))
    per_drive = ",snapshot=on" if how == "snapshot=on" else ""
    args = ["-drive", f"file={a},format=qcow2,if=none,id=d0{per_drive}",
            "-device", "virtio-blk-pci,drive=d0",
            "-drive", f"file={c},format=raw,if=none,id=d1{per_drive}",
            "-device", "virtio-blk-pci,drive=d1"]
    if how == "-snapshot":
        args.append("-snapshot")
    status, out = run_guest(emu, SNAPSHOT_GUEST, args)
    assert status == 0, out
    # The guest sees its own writes during the run...
    written = md5((b"guest-write\n" * 6000)[:64 * KiB])
    assert f"VDA {written}" in out and f"VDB {written}" in out, out
    # ...and nothing of them reaches the images or stays behind.
    for p, data in before.items():
        assert p.read_bytes() == data, p
    assert list(tmpdir.iterdir()) == []
