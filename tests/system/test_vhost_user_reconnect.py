# SPDX-License-Identifier: MIT
# vhost-user backends killed mid-I/O: with reconnect=N the guest's I/O resumes on a restarted backend (inflight requests resubmitted); without, the device goes NEEDS_RESET and mimic keeps running; reconnect=N for a monitor.
import hashlib
import os
import pathlib
import re
import signal
import socket
import subprocess
import time

import pytest

from harness import program, require_tool
import monitor_guest
from monitor_guest import sock_path
from qmp import QMPClient
import vm

MEMORY = "256M"
BLOCK = 1 << 20
BLOCKS = 6


def ram_args():
    return ["-object", f"memory-backend-memfd,id=mem,size={MEMORY},share=on",
            "-machine", "memory-backend=mem"]


def wait_for_socket(proc, sock, log):
    deadline = time.monotonic() + 10
    while not sock.exists():
        assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
        time.sleep(0.05)


class StorageDaemon:
    """qemu-storage-daemon exporting disk as vhost-user-blk on sock, at 20
    requests a second so that a kill lands while a request is in flight;
    the socket file is removed before each start so that a restart is
    seen."""

    def __init__(self, tmp_path, disk):
        self.qsd = require_tool("qemu-storage-daemon")
        self.disk, self.sock = disk, tmp_path / "blk.sock"
        self.log = tmp_path / "qsd.log"
        self.proc = None

    def start(self):
        if self.sock.exists():
            self.sock.unlink()
        self.proc = subprocess.Popen(
            [self.qsd, "--object", "throttle-group,id=tg0,x-iops-total=20",
             "--blockdev", f"driver=file,node-name=file0,filename={self.disk}",
             "--blockdev", "driver=throttle,node-name=thr0,throttle-group=tg0,file=file0",
             "--export", "type=vhost-user-blk,id=exp0,node-name=thr0,addr.type=unix,"
             f"addr.path={self.sock},writable=on"],
            stdout=subprocess.DEVNULL, stderr=open(self.log, "a"))
        wait_for_socket(self.proc, self.sock, self.log)

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()


def io_loop(background=False):
    """Shell line: BLOCKS times write a 1 MiB block (64 KiB of random data
    taken 16 times after the block number) to /dev/vda with O_DIRECT in
    64 KiB requests, read it back with O_DIRECT and compare checksums.
    "WRITING i" comes just before the write, which takes seconds."""
    line = ("dd if=/dev/urandom of=/tmp/r bs=64k count=1 2>/dev/null; "
            f"ok=0; i=0; while [ $i -lt {BLOCKS} ]; do i=$((i+1)); "
            "{ echo block $i; for k in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do "
            "cat /tmp/r; done; } | head -c 1048576 > /tmp/w; a=$(md5sum < /tmp/w); "
            "echo WRITING $i; "
            "dd if=/tmp/w of=/dev/vda bs=64k seek=$((i*16)) oflag=direct conv=notrunc "
            "2>/dev/null || echo WRITE-ERROR $i; "
            "b=$(dd if=/dev/vda bs=64k skip=$((i*16)) count=16 iflag=direct 2>/dev/null "
            "| md5sum); "
            "[ \"$a\" = \"$b\" ] && ok=$((ok+1)); echo ITER $i; done; "
            f"echo LOOP-DONE ok=$ok of {BLOCKS}")
    return f"( {line} ) &" if background else line


BLK_STATUS = ("for d in /sys/bus/virtio/devices/*; do "
              "[ $(cat $d/device) = 0x0002 ] && echo STATUS=$(cat $d/status); done")


def boot_blk(console, sock, reconnect, qmp=None):
    chardev = f"socket,id=blk,path={sock}" + (f",reconnect={reconnect}" if reconnect else "")
    extra = ram_args() + ["-chardev", chardev, "-device", "vhost-user-blk-pci,chardev=blk"]
    if qmp:
        extra += ["-qmp", f"unix:{qmp},server=on,wait=off"]
    return vm.boot(console, memory=MEMORY, extra=extra)


def make_disk(tmp_path):
    disk = tmp_path / "disk.img"
    with open(disk, "wb") as f:
        f.truncate(16 << 20)
    return disk


def test_blk_reconnect_resumes_io(console, tmp_path):
    """SIGKILL qemu-storage-daemon mid-I/O, restart it on the same socket
    and image: mimic reconnects and replays the rings, the guest's
    write/read-back loop completes with every checksum right and no I/O
    error, and the image holds what the guest read back. The image grew
    while the daemon was down: the guest sees the new size."""
    qsd = StorageDaemon(tmp_path, make_disk(tmp_path))
    qsd.start()
    try:
        c = boot_blk(console, qsd.sock, 1)
        c.sendline(io_loop())
        c.expect(r"WRITING 3\b", 60)
        time.sleep(0.5)
        qsd.kill()
        time.sleep(1.5)
        os.truncate(qsd.disk, 32 << 20)  # the new backend serves a bigger image
        qsd.start()
        m = c.expect(r"LOOP-DONE ok=(\d+) of (\d+)\r?\n", 120)
        c.expect(vm.PROMPT, 10)
        sums = vm.run(c, f"dd if=/dev/vda bs=1M skip=1 count={BLOCKS} iflag=direct "
                      "2>/dev/null | md5sum; dmesg | grep -ci 'i/o error'")
        size = vm.run(c, "cat /sys/block/vda/size")
        transcript = c.transcript.decode(errors="replace")
        assert c.proc.poll() is None
        c.close()
    finally:
        qsd.kill()
    assert m.group(1) == m.group(2), transcript[-3000:]
    assert size == str(32 << 11), size  # the capacity was read again
    assert "WRITE-ERROR" not in transcript
    guest_md5, io_errors = sums.split()[0], sums.split()[-1]
    assert io_errors == "0", sums
    host = qsd.disk.read_bytes()[BLOCK:BLOCK * (BLOCKS + 1)]
    assert hashlib.md5(host).hexdigest() == guest_md5
    lines = [ln for ln in transcript.splitlines() if "vhost-user backend" in ln]
    # Killed mid-I/O: a request was in flight.
    assert any(re.search(r"disconnected \([1-9]\d* requests in flight\), "
                         "reconnecting every 1 s", ln) for ln in lines), lines
    assert any("vhost-user backend reconnected" in ln for ln in lines), lines


def test_blk_kill_without_reconnect(console, tmp_path):
    """The same kill without reconnect=: one log line, the device goes
    NEEDS_RESET, the guest and mimic keep running and QMP answers."""
    qsd = StorageDaemon(tmp_path, make_disk(tmp_path))
    qsd.start()
    qmp = sock_path(tmp_path)
    try:
        c = boot_blk(console, qsd.sock, 0, qmp=qmp)
        c.sendline(io_loop(background=True))
        c.expect(r"WRITING 2\b", 60)
        time.sleep(0.5)
        qsd.kill()
        c.expect("vhost-user backend broken", 30)
        time.sleep(0.5)
        out = vm.run(c, BLK_STATUS)
        assert "ALIVE" in vm.run(c, "echo ALIVE")
        q = QMPClient(qmp)
        assert q.cmd("query-status")["status"] == "running"
        q.close()
        transcript = c.transcript.decode(errors="replace")
        assert c.proc.poll() is None
        c.close()
    finally:
        if qsd.proc.poll() is None:
            qsd.kill()
    status = int(out.split("STATUS=")[1].split()[0], 16)
    assert status & 0x40, f"status {status:#x} lacks NEEDS_RESET:\n{out}"
    lines = [ln for ln in transcript.splitlines() if "vhost-user backend" in ln]
    assert len(lines) == 1, lines
    assert "vhost-user-blk-pci: vhost-user backend broken: the backend closed the connection" \
        in lines[0], lines


def test_reconnect_option_errors(tmp_path):
    sock = tmp_path / "none.sock"
    assert "reconnect" in vm.mimic_error("-chardev", f"socket,id=c,path={sock},reconnect=x")
    assert "reconnect=100000: at most 86400 seconds" in vm.mimic_error(
        "-chardev", f"socket,id=c,path={sock},reconnect=100000")
    assert "reconnect= is for clients, not with server=on" in vm.mimic_error(
        "-chardev", f"socket,id=c,path={sock},server=on,wait=off,reconnect=1")


QEMU_VIRTIOFSD = "/usr/lib/qemu/virtiofsd"


def start_virtiofsd(kind, shared, sock, log):
    if sock.exists():
        sock.unlink()
    if kind == "mimic":
        argv = [str(program("mimic-virtiofsd")), "--socket-path", str(sock),
                "--shared-dir", str(shared)]
    else:
        if not pathlib.Path(QEMU_VIRTIOFSD).exists():
            pytest.skip(f"{QEMU_VIRTIOFSD} is not installed")
        argv = [QEMU_VIRTIOFSD, f"--socket-path={sock}", "-o", f"source={shared}"]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=open(log, "a"))
    wait_for_socket(proc, sock, log)
    return proc


@pytest.mark.parametrize("kind", ["mimic", "qemu"])
def test_fs_backend_killed_with_reconnect(console, tmp_path, kind):
    """A virtio-fs backend killed while the guest reads: mimic reconnects
    to the restarted daemon; the FUSE session died with the old one, so
    the mounted share answers EIO, and a new mount works again. Neither
    the guest nor mimic hangs or dies."""
    shared = tmp_path / "share"
    shared.mkdir()
    (shared / "hello.txt").write_text("hello from the host\n")
    sock, log = tmp_path / "vfs.sock", tmp_path / "virtiofsd.log"
    proc = start_virtiofsd(kind, shared, sock, log)
    try:
        c = vm.boot(console, memory=MEMORY, extra=ram_args() + [
            "-chardev", f"socket,id=vfs,path={sock},reconnect=1",
            "-device", "vhost-user-fs-pci,chardev=vfs,tag=myfs"])
        assert vm.run(c, "mkdir -p /mnt; mount -t virtiofs myfs /mnt && cat /mnt/hello.txt") \
            == "hello from the host"
        # A foreground loop (killing a background job races busybox's
        # job control in the guest) that reads for 8 s however fast the
        # guest runs, so the backend dies and comes back while it reads.
        c.sendline("end=$(($(date +%s) + 8)); while [ $(date +%s) -lt $end ]; do "
                   "cat /mnt/hello.txt >/dev/null 2>&1; done; echo READ-DONE")
        time.sleep(1)
        proc.kill()
        proc.wait()
        c.expect("vhost-user backend disconnected", 30)
        time.sleep(1)
        proc = start_virtiofsd(kind, shared, sock, log)
        c.expect("vhost-user backend reconnected", 30)
        c.expect("READ-DONE", 60)
        c.expect(vm.PROMPT, 10)
        old = vm.run(c, "cat /mnt/hello.txt; echo RC=$?", timeout=30)
        again = vm.run(c, "umount -l /mnt; mount -t virtiofs myfs /mnt && cat /mnt/hello.txt; "
                       "echo RC=$?", timeout=30)
        assert "ALIVE" in vm.run(c, "echo ALIVE")
        transcript = c.transcript.decode(errors="replace")
        assert c.proc.poll() is None
        c.close()
    finally:
        proc.kill()
        proc.wait()
    # The new daemon never saw this mount's FUSE_INIT.
    assert "Input/output error" in old and "RC=1" in old, f"{old}\n{log.read_text()}"
    assert "hello from the host" in again and "RC=0" in again, f"{again}\n{log.read_text()}"
    assert "Oops" not in transcript and "BUG" not in transcript, transcript[-3000:]


def test_blk_inflight_request_resubmitted(console, tmp_path):
    """Inflight tracking: tests/tools/vhost-user-test-blk (our backend
    library, which offers INFLIGHT_SHMFD) on a file keeps the guest's first
    write in flight, completes a second one and dies. Restarted on the same
    socket and file, it gets the inflight region from mimic (SET_INFLIGHT_FD)
    and resubmits the held write: both writes complete with the right data.
    (Resuming from the used index alone would redo the second write and
    lose the first.)"""
    tool = program("tests/tools/vhost-user-test-blk")
    disk = make_disk(tmp_path)
    sock, log = tmp_path / "tb.sock", tmp_path / "test-blk.log"

    def start():
        if sock.exists():
            sock.unlink()
        p = subprocess.Popen([str(tool), f"--disk={disk}", str(sock)], stdin=subprocess.PIPE,
                             stdout=subprocess.DEVNULL, stderr=open(log, "a"))
        wait_for_socket(p, sock, log)
        return p

    def wait_log(text, timeout=30):
        deadline = time.monotonic() + timeout
        while text not in log.read_text():
            assert time.monotonic() < deadline, f"no {text!r} in:\n{log.read_text()[-3000:]}"
            time.sleep(0.1)

    proc = start()
    try:
        c = vm.boot(console, memory=MEMORY, extra=ram_args() + [
            "-chardev", f"socket,id=blk,path={sock},reconnect=1",
            "-device", "vhost-user-blk-pci,chardev=blk"])
        vm.run(c, "dd if=/dev/urandom of=/tmp/a bs=64k count=1 2>/dev/null; "
               "dd if=/dev/urandom of=/tmp/b bs=64k count=1 2>/dev/null")
        proc.stdin.write(b"hold\n")
        proc.stdin.flush()
        wait_log("holding the next request")
        c.sendline("dd if=/tmp/a of=/dev/vda bs=64k seek=1 oflag=direct conv=notrunc 2>/dev/null "
                   "& A=$!; sleep 1; "
                   "dd if=/tmp/b of=/dev/vda bs=64k seek=3 oflag=direct conv=notrunc 2>/dev/null; "
                   "wait $A; echo BOTH-DONE")
        wait_log("dying with one in flight")
        assert proc.wait(10) == 3
        c.expect(r"vhost-user backend disconnected \([1-9]\d* requests in flight\)", 30)
        proc = start()
        c.expect("vhost-user backend reconnected", 30)
        c.expect("BOTH-DONE", 30)
        c.expect(vm.PROMPT, 10)
        out = vm.run(c, "for x in a:1 b:3; do f=${x%:*}; n=${x#*:}; "
                     "[ \"$(md5sum < /tmp/$f)\" = \"$(dd if=/dev/vda bs=64k skip=$n count=1 "
                     "iflag=direct 2>/dev/null | md5sum)\" ] && echo SAME-$f; done; "
                     "dmesg | grep -ci 'i/o error'")
        transcript = c.transcript.decode(errors="replace")
        assert c.proc.poll() is None
        c.close()
    finally:
        proc.kill()
        proc.wait()
    assert "SAME-a" in out and "SAME-b" in out, f"{out}\n{log.read_text()[-3000:]}"
    assert out.split()[-1] == "0", out
    assert "not a head" not in transcript and "Oops" not in transcript


@pytest.mark.parametrize("family", ["unix", "tcp"])
def test_monitor_on_a_reconnecting_client_socket(console, tmp_path, family):
    """reconnect=N is the chardev's: a QMP monitor on a client socket whose
    peer is not there yet starts unconnected (one line), connects when the
    peer listens, and connects again after the peer hangs up."""
    if family == "unix":
        path = sock_path(tmp_path, "peer.sock")
        where, address = f"path={path}", path
        srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    else:
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        where, address = f"host=127.0.0.1,port={port}", ("127.0.0.1", port)
        srv = socket.socket()
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    c = console(monitor_guest.argv("-chardev", f"socket,id=m,{where},reconnect=1",
                                   "-mon", "chardev=m,mode=control"))
    c.expect(r"could not connect to .*\(retrying every 1 s\)", 10)
    srv.bind(address)
    srv.listen(1)
    srv.settimeout(10)
    try:
        for _ in range(2):
            conn, _ = srv.accept()
            conn.settimeout(10)
            greeting = conn.recv(4096)
            assert b'"QMP"' in greeting, greeting
            conn.sendall(b'{"execute": "qmp_capabilities"}\n'
                         b'{"execute": "query-status"}\n')
            got = b""
            while b'"status"' not in got:
                chunk = conn.recv(4096)
                assert chunk, got
                got += chunk
            assert b'"running"' in got, got
            conn.close()
    finally:
        srv.close()
    assert c.proc.poll() is None
    lines = [ln for ln in c.transcript.decode(errors="replace").splitlines()
             if "could not connect" in ln]
    assert len(lines) == 1, lines


def test_blk_waits_for_its_first_backend(console, tmp_path):
    """reconnect=1 and no backend yet: mimic says so once and waits (as
    QEMU's vhost-user-blk does); the guest boots once qemu-storage-daemon
    listens. SIGTERM ends such a wait with one line and status 1."""
    qsd = StorageDaemon(tmp_path, make_disk(tmp_path))
    extra = ram_args() + ["-chardev", f"socket,id=blk,path={qsd.sock},reconnect=1",
                          "-device", "vhost-user-blk-pci,chardev=blk"]
    vm.images()
    c = console(vm.argv(memory=MEMORY, extra=extra))
    c.expect(r"could not connect to .*blk\.sock.*\(retrying every 1 s\)", 10)
    c.proc.send_signal(signal.SIGTERM)
    assert c.proc.wait(10) == 1
    c.expect("interrupted while waiting for the peer", 5)
    c = console(vm.argv(memory=MEMORY, extra=extra))
    c.expect(r"could not connect to .*blk\.sock", 10)
    time.sleep(2)
    qsd.start()
    try:
        c.expect(vm.PROMPT, vm.BOOT_TIMEOUT)
        size = vm.run(c, "cat /sys/block/vda/size")
        c.close()
    finally:
        qsd.kill()
    assert size == str(16 << 11), size
