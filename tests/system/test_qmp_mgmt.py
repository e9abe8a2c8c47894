# SPDX-License-Identifier: MIT
# The QMP commands management tools call (block nodes and stats,
# block_resize, eject, memory backends, migration, balloon, NMI, display,
# fds passed with getfd): the same session against Debian's
# qemu-system-riscv64 and mimic, on the same bare-metal guest and the same
# disks, must give the same bytes, apart from the random part of the names
# QEMU gives implicit block nodes.
import array
import json
import re
import socket
import subprocess
import time

import pytest

from harness import program, require_tool
from monitor_guest import argv, guest_elf, sock_path
from qmp import QMPClient
import mimic_images
import vm

SESSION = [
    ("query-iothreads", None),
    ("query-memdev", None),
    ("query-memory-size-summary", None),
    ("query-migrate", None),
    ("query-balloon", None),
    ("inject-nmi", None),
    ("query-display-options", None),
    ("query-acpi-ospm-status", None),
    ("query-current-machine", None),
    ("query-hotpluggable-cpus", None),
    ("query-events", None),
    ("change", {"device": "vd0", "target": "/nonexistent"}),
    ("query-block", None),
    ("query-named-block-nodes", None),
    ("query-named-block-nodes", {"flat": True}),
    ("query-blockstats", None),
    ("query-blockstats", {"query-nodes": True}),
    ("eject", {"device": "vd0"}),
    ("eject", {"id": "blk1"}),
    ("eject", {"device": "nothere"}),
    ("eject", {"id": "vd0"}),
    ("eject", {}),
    ("eject", {"device": "vd0", "id": "blk1"}),
    ("blockdev-open-tray", {"device": "vd0"}),
    ("blockdev-close-tray", {"id": "blk1"}),
    ("blockdev-remove-medium", {"id": "blk1"}),
    ("blockdev-remove-medium", {"id": "nothere"}),
    ("blockdev-change-medium", {"device": "vd0", "filename": "/nonexistent"}),
    ("blockdev-change-medium", {"device": "vd0", "filename": "/dev/null", "format": "raw"}),
    ("blockdev-change-medium", {"id": "virtio-disk1", "filename": "/dev/null"}),
    ("blockdev-change-medium", {"device": "nothere", "filename": "/dev/null"}),
    ("blockdev-change-medium", {"filename": "/dev/null"}),
    ("block_resize", {"device": "nothere", "size": 1 << 20}),
    ("block_resize", {"size": 1 << 20}),
    ("block_resize", {"device": "vd0", "size": -1}),
    ("block_resize", {"device": "vd0"}),
    ("block_resize", {"device": "vd0", "size": "big"}),
    ("block_resize", {"device": "vd0", "size": 16 << 20}),
    ("block_resize", {"node-name": "node1", "size": 32 << 20}),
    ("block_resize", {"node-name": "rawnode", "size": 12 << 20}),
    ("block_resize", {"node-name": "libvirt-1-format", "size": 24 << 20}),
    ("block_resize", {"node-name": "libvirt-1-storage", "size": 24 << 20}),
    ("eject", {"id": "virtio-disk1"}),
    ("query-block", None),
    ("getfd", {"fdname": "x"}),
    ("closefd", {"fdname": "x"}),
    ("human-monitor-command", {"command-line": "info block"}),
    ("human-monitor-command", {"command-line": "info block vd0"}),
    ("human-monitor-command", {"command-line": "info blockstats"}),
    ("human-monitor-command", {"command-line": "block_resize vd0 20M"}),
    ("human-monitor-command", {"command-line": "eject vd0"}),
    ("human-monitor-command", {"command-line": "info memdev"}),
    ("human-monitor-command", {"command-line": "info memory_size_summary"}),
    ("human-monitor-command", {"command-line": "info balloon"}),
    ("human-monitor-command", {"command-line": "info iothreads"}),
    ("human-monitor-command", {"command-line": "info hotpluggable-cpus"}),
    ("human-monitor-command", {"command-line": "nmi"}),
    ("query-block", None),
]


def disks(tmp_path, who):
    d = tmp_path / who
    d.mkdir()
    qimg = require_tool("qemu-img")
    raw, qcow, node, lv = d / "a.raw", d / "b.qcow2", d / "c.raw", d / "d.qcow2"
    subprocess.run(["truncate", "-s", "8M", str(raw), str(node)], check=True)
    for img in (qcow, lv):
        subprocess.run([qimg, "create", "-q", "-f", "qcow2", str(img), "16M"], check=True)
    return raw, qcow, node, lv


def machine_args(raw, qcow, node, lv):
    # The last pair as libvirt writes it: a named protocol node under a
    # format node, the device with an id and an address.
    storage = {"driver": "file", "filename": str(lv), "node-name": "libvirt-1-storage",
               "auto-read-only": True, "discard": "unmap"}
    fmt = {"node-name": "libvirt-1-format", "read-only": False, "driver": "qcow2",
           "file": "libvirt-1-storage"}
    return ["-nodefaults", "-monitor", "none", "-serial", "stdio",
            "-drive", f"file={raw},format=raw,if=virtio,id=vd0",
            "-blockdev", f"driver=qcow2,node-name=node1,file.driver=file,"
                         f"file.filename={qcow}",
            "-device", "virtio-blk-pci,drive=node1,id=blk1",
            "-blockdev", f"driver=file,node-name=rawnode,filename={node}",
            "-device", "virtio-blk-pci,drive=rawnode",
            "-object", "memory-backend-memfd,id=mem0,size=64M",
            "-blockdev", json.dumps(storage), "-blockdev", json.dumps(fmt),
            "-device", json.dumps({"driver": "virtio-blk-pci", "drive": "libvirt-1-format",
                                   "id": "virtio-disk1", "addr": "0x6"})]


def getfd_session(q):
    """getfd with a descriptor passed alongside (SCM_RIGHTS), closefd."""
    out = []
    r, w = socket.socketpair()
    fds = array.array("i", [r.fileno()])
    q.sock.sendmsg([b'{"execute": "getfd", "arguments": {"fdname": "pipe"}}\n'],
                   [(socket.SOL_SOCKET, socket.SCM_RIGHTS, fds)])
    q.read_reply()
    out.append(q.last_text)
    for name, args in [("closefd", {"fdname": "pipe"}), ("closefd", {"fdname": "pipe"})]:
        q.execute(name, args)
        out.append(q.last_text)
    r.close()
    w.close()
    return out


def session(address, c):
    q = QMPClient(address)
    texts = []
    for name, args in SESSION:
        q.execute(name, args)
        texts.append(re.sub(r'"id": \d+', '"id": N',
                            re.sub(r"#block\d+", "#block", q.last_text)))
    texts += getfd_session(q)
    q.cmd("quit")
    assert c.wait(10) == 0
    return texts


def test_management_commands_as_qemu(console, tmp_path):
    qemu = require_tool("qemu-system-riscv64")
    qpath = sock_path(tmp_path, "qemu.sock")
    qc = console([qemu, "-M", "virt", "-bios", "none", "-kernel", guest_elf(button=False),
                  "-nographic", "-qmp", f"unix:{qpath},server=on,wait=off"]
                 + machine_args(*disks(tmp_path, "qemu")))
    qc.expect("tick", 30)
    theirs = session(qpath, qc)

    mpath = sock_path(tmp_path, "mimic.sock")
    mc = console(argv("-qmp", f"unix:{mpath},server=on,wait=off",
                      *machine_args(*disks(tmp_path, "mimic")), button=False))
    mc.expect("tick", 30)
    ours = session(mpath, mc)

    for (name, args), a, b in zip(SESSION + [("getfd", None)] * 3, ours, theirs):
        a = a.replace(str(tmp_path / "mimic"), "DIR")
        b = b.replace(str(tmp_path / "qemu"), "DIR")
        assert a == b, (name, args)
    assert len(ours) == len(theirs)


@pytest.mark.parametrize("emu", ["mimic", "qemu"])
def test_linux_blockstats_and_resize(emu, console, tmp_path):
    """In a Linux guest: query-blockstats counts the guest's direct reads,
    writes and flushes exactly; block_resize grows the disk and the guest
    sees the new capacity (config-change interrupt). QEMU proves the test."""
    vm.images()
    disk = tmp_path / "disk.raw"
    subprocess.run(["truncate", "-s", "8M", str(disk)], check=True)
    path = sock_path(tmp_path, emu + ".sock")
    prog = str(program("mimic-system-riscv64")) if emu == "mimic" \
        else require_tool("qemu-system-riscv64")
    c = console(mimic_images.qemu_argv(
        qemu=prog, smp=1, extra=[
            "-drive", f"file={disk},format=raw,if=none,id=vd0",
            "-device", "virtio-blk-pci,drive=vd0,id=disk0",
            "-qmp", f"unix:{path},server=on,wait=off"]))
    c.expect(vm.PROMPT, vm.BOOT_TIMEOUT)
    q = QMPClient(path)
    assert vm.run(c, "cat /sys/block/vda/size") == "16384"

    def stats():
        # QEMU without -nodefaults has empty floppy0, sd0... as well.
        (s,) = [s for s in q.cmd("query-blockstats") if s["device"] == "vd0"]
        assert s["qdev"] == "/machine/peripheral/disk0/virtio-backend"
        return s["stats"]

    before = stats()
    vm.run(c, "dd if=/dev/vda of=/dev/null bs=4096 count=16 skip=100 iflag=direct 2>/dev/null")
    vm.run(c, "dd if=/dev/zero of=/dev/vda bs=4096 count=4 seek=10 oflag=direct 2>/dev/null")
    vm.run(c, "sync /dev/vda; blockdev --flushbufs /dev/vda")
    after = stats()
    assert after["rd_bytes"] - before["rd_bytes"] == 16 * 4096
    assert after["rd_operations"] - before["rd_operations"] == 16
    assert after["wr_bytes"] - before["wr_bytes"] == 4 * 4096
    assert after["wr_operations"] - before["wr_operations"] == 4
    assert after["flush_operations"] > before["flush_operations"]
    assert after["wr_highest_offset"] >= 14 * 4096
    assert "idle_time_ns" in after and after["account_invalid"] is True
    assert "rd_bytes=%d" % after["rd_bytes"] in q.hmp("info blockstats")

    assert q.cmd("block_resize", {"device": "vd0", "size": 16 << 20}) == {}
    assert disk.stat().st_size == 16 << 20
    out = ""
    for _ in range(50):
        out = vm.run(c, "cat /sys/block/vda/size")
        if out == "32768":
            break
        time.sleep(0.1)
    assert out == "32768"
    assert "capacity change" in vm.run(c, "dmesg | grep vda")
    # The new space is usable at once.
    vm.run(c, "dd if=/dev/zero of=/dev/vda bs=4096 count=1 seek=3000 oflag=direct 2>/dev/null")
    assert stats()["wr_highest_offset"] == 3001 * 4096
    (b,) = [b for b in q.cmd("query-block") if b["device"] == "vd0"]
    assert b["inserted"]["image"]["virtual-size"] == 16 << 20
    q.close()


def introspection(address, c, types):
    q = QMPClient(address)
    out = {"types": q.cmd("qom-list-types", {"abstract": True}),
           "opts": q.cmd("query-command-line-options"),
           "props": {t: q.cmd("device-list-properties", {"typename": t}) for t in types},
           "errors": [q.execute(name, args)["error"] for name, args in [
               ("device-list-properties", {"typename": "nothing"}),
               ("device-list-properties", {"typename": "virtio-device"}),
               ("query-command-line-options", {"option": "nothing"}),
               ("query-cpu-definitions", None)]],
           "none": q.cmd("qom-list-types", {"implements": "nothing"})}
    q.cmd("quit")
    assert c.wait(10) == 0
    return out


def test_introspection_as_qemu(console, tmp_path):
    """qom-list-types, device-list-properties and query-command-line-options
    say of mimic's devices and options what QEMU says of the same ones."""
    help_text = subprocess.run([program("mimic-system-riscv64"), "-device", "help"],
                               capture_output=True, text=True).stdout
    types = re.findall(r"^  (\S+)", help_text, re.M)
    assert "virtio-blk-pci" in types and "vhost-user-fs-pci" in types

    qemu = require_tool("qemu-system-riscv64")
    qpath = sock_path(tmp_path, "qemu.sock")
    qc = console([qemu, "-M", "virt", "-bios", "none", "-kernel", guest_elf(button=False),
                  "-nographic", "-monitor", "none", "-qmp", f"unix:{qpath},server=on,wait=off"])
    qc.expect("tick", 30)
    theirs = introspection(qpath, qc, types)
    mpath = sock_path(tmp_path, "mimic.sock")
    mc = console(argv("-qmp", f"unix:{mpath},server=on,wait=off", button=False))
    mc.expect("tick", 30)
    ours = introspection(mpath, mc, types)

    assert ours["errors"] == theirs["errors"] and ours["none"] == theirs["none"] == []
    for t in ours["types"]:
        assert t in theirs["types"], t
    assert {t["name"] for t in ours["types"] if not t.get("abstract")} == set(types)
    for t in types:
        names = {p["name"] for p in ours["props"][t]}
        assert ours["props"][t] == [p for p in theirs["props"][t] if p["name"] in names], t
    qemu_opts = {o["option"]: o["parameters"] for o in theirs["opts"]}
    for o in ours["opts"]:
        names = {p["name"] for p in o["parameters"]}
        want = []
        for p in qemu_opts[o["option"]]:
            if p["name"] in names and p not in want:
                want.append(p)
        assert o["parameters"] == want, o["option"]
    assert {"drive", "chardev", "machine", "device", "netdev", "rtc"} <= {
        o["option"] for o in ours["opts"]}
