# SPDX-License-Identifier: MIT
# vhost-user-blk-pci: SET_CONFIG (the write cache mode) against qemu-storage-daemon; ADD_MEM_REG, SET/GET_STATUS and CONFIG_CHANGE_MSG against our backend library.
import subprocess

from harness import program, require_tool
import vm

MEMORY = "256M"
MiB = 1 << 20


def blk_args(sock):
    return ["-object", f"memory-backend-memfd,id=mem,size={MEMORY},share=on",
            "-machine", "memory-backend=mem",
            "-chardev", f"socket,id=blk,path={sock}",
            "-device", "vhost-user-blk-pci,chardev=blk"]


class StorageDaemon:
    """qemu-storage-daemon exporting a file as vhost-user-blk."""

    def __init__(self, tmp_path, size=64 * MiB):
        qsd = require_tool("qemu-storage-daemon")
        self.disk = tmp_path / "disk.img"
        with open(self.disk, "wb") as f:
            f.truncate(size)
        self.sock = tmp_path / "blk.sock"
        self.log = tmp_path / "qsd.log"
        self.proc = vm.spawn_backend(
            [qsd, "--blockdev", f"driver=file,node-name=file0,filename={self.disk}",
             "--export", "type=vhost-user-blk,id=exp0,node-name=file0,addr.type=unix,"
             f"addr.path={self.sock},writable=on"], self.sock, self.log)

    def args(self):
        return blk_args(self.sock)

    def close(self):
        self.proc.kill()
        self.proc.wait()


CACHE = "/sys/block/vda/cache_type"
FLIP = {"write back": "write through", "write through": "write back"}


def test_write_cache_mode_reaches_qemu_storage_daemon(console, tmp_path):
    """The guest flips the write cache mode: mimic sends SET_CONFIG of wce.
    QEMU 7.2's daemon keeps it in its config space, so the next frontend to
    connect (a second boot) reads the flipped mode with GET_CONFIG."""
    qsd = StorageDaemon(tmp_path)
    try:
        c = vm.boot(console, memory=MEMORY, extra=qsd.args())
        first = vm.run(c, f"cat {CACHE}")
        vm.run(c, f"echo '{FLIP[first]}' > {CACHE}")
        flipped = vm.run(c, f"cat {CACHE}")
        c.close()
        c = vm.boot(console, memory=MEMORY, extra=qsd.args())
        second = shell_lines(vm.run(c, f"cat {CACHE}"))
        c.close()
    finally:
        qsd.close()
    assert first in FLIP, first
    assert flipped == FLIP[first]
    assert second == [FLIP[first]], f"{first} -> {second}"


class BlkBackend:
    """tests/tools/vhost-user-test-blk: a RAM disk on lib/vhost-user-backend
    that logs every message; "resize N" on its stdin sends
    CONFIG_CHANGE_MSG."""

    def __init__(self, tmp_path, sectors=2048):
        self.sock = tmp_path / "test-blk.sock"
        self.log = tmp_path / "test-blk.log"
        self.proc = vm.spawn_backend(
            [program("tests/tools/vhost-user-test-blk"), f"--sectors={sectors}", self.sock],
            self.sock, self.log, stdin=subprocess.PIPE)

    def send(self, line):
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def lines(self):
        return [ln[len("test-blk: "):] for ln in self.log.read_text().splitlines()
                if ln.startswith("test-blk: ")]

    def close(self):
        self.proc.kill()
        self.proc.wait()


def shell_lines(out):
    """The command's output lines without kernel messages on the console."""
    return [ln for ln in out.split("\n") if not ln.startswith("[")]


def test_config_change_from_our_backend(console, tmp_path):
    """CONFIG_CHANGE_MSG on the SET_BACKEND_REQ_FD channel: mimic re-reads
    the config space (GET_CONFIG) and interrupts the guest, which sees the
    new capacity and writes past the old end. The write cache mode the
    guest sets reaches the backend with SET_CONFIG."""
    blk = BlkBackend(tmp_path, sectors=2048)
    try:
        c = vm.boot(console, memory=MEMORY, extra=blk_args(blk.sock))
        before = vm.run(c, f"cat /sys/block/vda/size; cat {CACHE}")
        vm.run(c, f"echo 'write through' > {CACHE}")
        blk.send("resize 4096")
        after = vm.run(c, "sleep 1; cat /sys/block/vda/size; dmesg | grep -c 'new size'; "
                       f"cat {CACHE}")
        io = vm.run(c, "echo PAST-THE-OLD-END | dd of=/dev/vda bs=512 seek=3000 "
                    "conv=sync,fsync 2>/dev/null && dd if=/dev/vda bs=512 skip=3000 "
                    "count=1 2>/dev/null | head -c 16")
        transcript = c.transcript.decode(errors="replace")
        c.close()
    finally:
        blk.close()
    log = blk.lines()
    assert before.split("\n") == ["2048", "write back"], before
    after = shell_lines(after)
    assert after == ["4096", "1", "write through"], f"{after}\n{log}"
    assert io == "PAST-THE-OLD-END", io
    assert "SET_CONFIG wce=0" in log, log
    assert "SET_BACKEND_REQ_FD" in log, log
    assert "resized to 4096 sectors, config change sent" in log, log
    assert log.count("GET_CONFIG") >= 2, log
    assert "vhost-user" not in transcript, transcript[-2000:]


def test_mem_slots_and_status_across_a_device_reset(console, tmp_path):
    """Our backend offers CONFIGURE_MEM_SLOTS and STATUS: guest RAM goes by
    one ADD_MEM_REG (never SET_MEM_TABLE), and a device reset (driver
    unbind/bind) restarts the rings without sending it again; the backend
    sees every status the driver writes, the features before FEATURES_OK,
    and 0 at the reset."""
    blk = BlkBackend(tmp_path)
    try:
        c = vm.boot(console, memory=MEMORY, extra=blk_args(blk.sock))
        out = vm.run(c, "D=/sys/bus/virtio/drivers/virtio_blk; V=$(cd $D && ls -d virtio*); "
                     "echo $V > $D/unbind; echo $V > $D/bind; sleep 1; "
                     "dd if=/dev/vda bs=512 count=1 2>/dev/null | wc -c")
        c.close()
    finally:
        blk.close()
    log = blk.lines()
    assert shell_lines(out) == ["512"], out
    assert log.count("GET_MAX_MEM_SLOTS") == 1, log
    assert log.count("ADD_MEM_REG") == 1, log
    assert "SET_MEM_TABLE" not in log and "REM_MEM_REG" not in log, log
    statuses = [ln.split()[1] for ln in log if ln.startswith("status ")]
    probe = ["0x1", "0x3", "0xb", "0xf"]
    assert statuses == probe + ["0x0"] + probe, statuses
    # FEATURES_OK and DRIVER_OK are each checked with GET_STATUS; the
    # features reach the backend before FEATURES_OK does.
    assert log.count("GET_STATUS") == 4, log
    first_features = next(i for i, ln in enumerate(log) if ln.startswith("features "))
    assert first_features < log.index("status 0xb"), log
    assert log.count("SET_VRING_KICK") == 2, log


def test_device_resets_against_qemu_storage_daemon(console, tmp_path):
    """libvhost-user keeps its memory regions over RESET_DEVICE: after three
    device resets (driver unbind/bind), each restarting the rings without a
    new ADD_MEM_REG, the guest still reads the host's data and writes its
    own."""
    qsd = StorageDaemon(tmp_path)
    with open(qsd.disk, "r+b") as f:
        f.seek(MiB)
        f.write(b"HOST-DATA-AT-1M\n")
    try:
        c = vm.boot(console, memory=MEMORY, extra=qsd.args())
        out = vm.run(c, "dmesg -n 1; D=/sys/bus/virtio/drivers/virtio_blk; "
                     "V=$(cd $D && ls -d virtio*); for i in 1 2 3; do "
                     "echo $V > $D/unbind; echo $V > $D/bind; done; sleep 1; "
                     "dd if=/dev/vda bs=1M skip=1 count=1 2>/dev/null | head -c 15; echo; "
                     "echo GUEST-AFTER-RESETS | dd of=/dev/vda bs=512 conv=sync,fsync "
                     "2>/dev/null; echo rc=$?")
        c.close()
    finally:
        qsd.close()
    assert shell_lines(out) == ["HOST-DATA-AT-1M", "rc=0"], out
    assert qsd.disk.read_bytes()[:19] == b"GUEST-AFTER-RESETS\n"
