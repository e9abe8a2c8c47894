# SPDX-License-Identifier: MIT
# vhost-user-fs: the ring-enable race (a backend that applies SET_VRING_ENABLE late and drops early requests), shared guest RAM options.

import pytest

from harness import program, require_tool
import vm

MEMORY = "256M"
DRIVERS = "/sys/bus/virtio/drivers/virtiofs"


def start_race_backend(tmp_path, *flags):
    sock = tmp_path / "race.sock"
    log = tmp_path / "race-backend.log"
    proc = vm.spawn_backend([program("tests/tools/vhost-user-race-backend"), *flags, sock],
                            sock, log)
    return proc, sock, log


def fs_args(sock, device_opts=""):
    return ["-object", f"memory-backend-memfd,id=mem,size={MEMORY},share=on",
            "-machine", "memory-backend=mem",
            "-chardev", f"socket,id=vfs,path={sock}",
            "-device", f"vhost-user-fs-pci,chardev=vfs,tag=race{device_opts}"]


def race_loop(n):
    """Shell line: n times, reset the device (unbind/bind), mount, and see
    whether the first requests after DRIVER_OK are answered within 3 s."""
    return (f"D={DRIVERS}; V=$(cd $D && ls -d virtio*); mkdir -p /mnt; ok=0; i=0; "
            f"while [ $i -lt {n} ]; do i=$((i+1)); "
            "echo $V > $D/unbind; echo $V > $D/bind; rm -f /tmp/done; "
            "mount -t virtiofs race /mnt || break; "
            "(ls /mnt >/dev/null 2>&1; echo > /tmp/done) & t=0; "
            "while [ ! -e /tmp/done ] && [ $t -lt 30 ]; do sleep 0.1; t=$((t+1)); done; "
            "if [ ! -e /tmp/done ]; then echo RACE-HANG at $i; break; fi; "
            "umount /mnt; ok=$((ok+1)); done; echo RACE-DONE ok=$ok of $i")


def run_race(console, tmp_path, n, backend_flags=(), device_opts=""):
    proc, sock, log = start_race_backend(tmp_path, *backend_flags)
    try:
        c = vm.boot(console, memory=MEMORY, extra=fs_args(sock, device_opts))
        out = vm.run(c, race_loop(n), timeout=30 + 6 * n)
        c.close()
    finally:
        proc.kill()
        proc.wait()
    return out, log.read_text()


@pytest.mark.parametrize("flags", [(), ("--no-reply-ack",)], ids=["reply-ack", "get-features"])
def test_sync_enable_wins_the_race(console, tmp_path, flags):
    """With the enable synchronous inside the DRIVER_OK write, the first
    request after every one of 100 device resets is answered."""
    out, blog = run_race(console, tmp_path, 100, ("--delay-ms=100", *flags))
    assert "RACE-DONE ok=100 of 100" in out, f"guest:\n{out}\nbackend:\n{blog}"
    assert "dropped a request" not in blog


@pytest.mark.parametrize("flags", [(), ("--no-reply-ack",)], ids=["reply-ack", "get-features"])
def test_async_enable_loses_the_race(console, tmp_path, flags):
    """x-sync-enable=off sends the enable without waiting: the same test
    fails, which shows that the test can fail."""
    out, blog = run_race(console, tmp_path, 20, ("--delay-ms=100", *flags),
                         ",x-sync-enable=off")
    assert "RACE-HANG" in out, f"guest:\n{out}\nbackend:\n{blog}"
    assert "dropped a request" in blog


FS_STATUS = ("for d in /sys/bus/virtio/devices/*; do "
             "[ $(cat $d/device) = 0x001a ] && echo STATUS=$(cat $d/status); done")


@pytest.mark.parametrize("fault, why", [
    ("silent", "no reply to SET_VRING_ENABLE within 5000 ms"),
    ("garbage", "reply to SET_VRING_ENABLE has size 3 (expected 8)"),
    ("wrong-id", "reply to SET_VRING_ENABLE has request id 1"),
    ("die", "the backend closed the connection"),
])
def test_broken_backend(console, tmp_path, fault, why):
    """A backend that never answers, answers garbage or for another
    request, or dies mid-I/O: mimic logs one line, the device goes
    NEEDS_RESET, the guest and mimic keep running."""
    proc, sock, log = start_race_backend(tmp_path, "--delay-ms=0", f"--fault={fault}")
    try:
        c = vm.boot(console, memory=MEMORY, extra=fs_args(sock))
        if fault == "die":
            vm.run(c, "mkdir -p /mnt; mount -t virtiofs race /mnt; (ls /mnt &) ; sleep 1")
        out = vm.run(c, FS_STATUS)
        assert "ALIVE" in vm.run(c, "echo ALIVE")
        transcript = c.transcript.decode(errors="replace")
        assert c.proc.poll() is None
        c.close()
    finally:
        proc.kill()
        proc.wait()
    status = int(out.split("STATUS=")[1].split()[0], 16)
    assert status & 0x40, f"status {status:#x} lacks NEEDS_RESET:\n{out}"
    lines = [ln for ln in transcript.splitlines() if "vhost-user backend broken" in ln]
    assert len(lines) == 1, transcript[-3000:]
    assert why in lines[0], lines[0]


def test_mmio_device(console, tmp_path):
    """vhost-user-fs-device (virtio-mmio) passes the same race test."""
    proc, sock, log = start_race_backend(tmp_path, "--delay-ms=50")
    try:
        args = fs_args(sock)
        args[-1] = args[-1].replace("vhost-user-fs-pci", "vhost-user-fs-device")
        c = vm.boot(console, memory=MEMORY, extra=args)
        out = vm.run(c, race_loop(10), timeout=120)
        c.close()
    finally:
        proc.kill()
        proc.wait()
    assert "RACE-DONE ok=10 of 10" in out, f"guest:\n{out}\nbackend:\n{log.read_text()}"


def test_memory_backend_errors(tmp_path):
    assert "differs from the size of memory backend 'mem'" in vm.mimic_error(
        "-m", "512M", "-object", "memory-backend-memfd,id=mem,size=256M",
        "-machine", "memory-backend=mem")
    assert "id= is required" in vm.mimic_error(
        "-object", "memory-backend-memfd,size=256M")
    assert "no -object with id 'nope'" in vm.mimic_error("-machine", "memory-backend=nope")
    assert "mem-path= is required" in vm.mimic_error(
        "-object", "memory-backend-file,id=mem,size=256M")
    assert "unsupported type 'rng-random'" in vm.mimic_error("-object", "rng-random,id=r")


def test_vhost_user_needs_shared_ram(tmp_path):
    proc, sock, log = start_race_backend(tmp_path)
    try:
        line = vm.mimic_error("-chardev", f"socket,id=vfs,path={sock}",
                           "-device", "vhost-user-fs-pci,chardev=vfs,tag=x")
        assert "guest RAM must be shared with the backend" in line
        line = vm.mimic_error("-object", f"memory-backend-file,id=mem,size={MEMORY},"
                           f"mem-path={tmp_path / 'ram'},share=on",
                           "-machine", "memory-backend=mem", "-m", MEMORY,
                           "-device", "vhost-user-fs-pci,chardev=nope,tag=x")
        assert "no -chardev with id 'nope'" in line
    finally:
        proc.kill()
        proc.wait()


def test_memory_backend_file_boots(console, tmp_path):
    """Guest RAM in a file: the guest boots and the file has the RAM size."""
    ram = tmp_path / "ram"
    c = vm.boot(console, memory=MEMORY,
                extra=["-object", f"memory-backend-file,id=mem,size={MEMORY},"
                       f"mem-path={ram},share=on", "-machine", "memory-backend=mem"])
    assert "ALIVE" in vm.run(c, "echo ALIVE")
    c.close()
    assert ram.stat().st_size == 256 << 20


def test_guest_reboot_restarts_the_backend(console, tmp_path):
    """A machine reset stops the rings (GET_VRING_BASE) and the next boot's
    DRIVER_OK sets them up again."""
    proc, sock, log = start_race_backend(tmp_path, "--delay-ms=20")
    try:
        c = console([a for a in vm.argv(memory=MEMORY, extra=fs_args(sock))
                     if a != "-no-reboot"])
        c.expect(vm.PROMPT, vm.BOOT_TIMEOUT)
        first = vm.run(c, race_loop(3), timeout=60)
        c.sendline("reboot")
        c.expect(r"Linux version", 60)
        c.expect(vm.PROMPT, vm.BOOT_TIMEOUT)
        second = vm.run(c, race_loop(3), timeout=60)
        c.close()
    finally:
        proc.kill()
        proc.wait()
    assert "RACE-DONE ok=3 of 3" in first, first
    assert "RACE-DONE ok=3 of 3" in second, f"{second}\n{log.read_text()}"


def test_vhost_user_blk_with_qemu_storage_daemon(console, tmp_path):
    """vhost-user-blk-pci against QEMU's qemu-storage-daemon: size from the
    backend's config space, guest writes land in the host file, host data
    reaches the guest."""
    qsd = require_tool("qemu-storage-daemon")
    disk = tmp_path / "disk.img"
    with open(disk, "wb") as f:
        f.truncate(64 << 20)
        f.seek(1 << 20)
        f.write(b"HOST-DATA-AT-1M\n")
    sock = tmp_path / "blk.sock"
    log = tmp_path / "qsd.log"
    proc = vm.spawn_backend(
        [qsd, "--blockdev", f"driver=file,node-name=file0,filename={disk}",
         "--export", "type=vhost-user-blk,id=exp0,node-name=file0,addr.type=unix,"
         f"addr.path={sock},writable=on"], sock, log)
    try:
        c = vm.boot(console, memory=MEMORY, extra=[
            "-object", f"memory-backend-memfd,id=mem,size={MEMORY},share=on",
            "-machine", "memory-backend=mem",
            "-chardev", f"socket,id=blk,path={sock}",
            "-device", "vhost-user-blk-pci,chardev=blk"])
        size = vm.run(c, "cat /sys/block/vda/size")
        vm.run(c, "echo GUEST-WROTE-THIS | dd of=/dev/vda bs=512 conv=sync,fsync 2>/dev/null")
        host = vm.run(c, "dd if=/dev/vda bs=1M skip=1 count=1 2>/dev/null | head -c 15")
        c.close()
    finally:
        proc.kill()
        proc.wait()
    assert size == str(64 << 11), size
    assert disk.read_bytes()[:17] == b"GUEST-WROTE-THIS\n"
    assert host == "HOST-DATA-AT-1M"


@pytest.mark.parametrize("packed", [False, True], ids=["split", "packed"])
def test_packed_rings_through_mimic_virtiofsd(console, tmp_path, packed):
    """packed=on offers VIRTIO_F_RING_PACKED (mimic-virtiofsd has it): the
    guest negotiates it (feature bit 34), mounts, writes and reads back
    through the packed rings, and a device reset restarts them."""
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "host.txt").write_text("FROM-THE-HOST\n")
    sock = tmp_path / "vfs.sock"
    log = tmp_path / "virtiofsd.log"
    proc = vm.spawn_backend([program("mimic-virtiofsd"), "--socket-path", sock,
                             "--shared-dir", shared, "--sandbox", "none",
                             "--seccomp", "none", "--log-level", "debug"], sock, log)
    try:
        args = fs_args(sock, ",packed=on" if packed else "")
        args[-1] = args[-1].replace("tag=race", "tag=myfs")
        c = vm.boot(console, memory=MEMORY, extra=args)
        out = vm.run(c, "dmesg -n 1; for d in /sys/bus/virtio/devices/*; do "
                     "[ $(cat $d/device) = 0x001a ] && cut -c35 $d/features; done; "
                     "D=/sys/bus/virtio/drivers/virtiofs; V=$(cd $D && ls -d virtio*); "
                     "echo $V > $D/unbind; echo $V > $D/bind; mkdir -p /mnt; "
                     "mount -t virtiofs myfs /mnt && cat /mnt/host.txt && "
                     "echo FROM-THE-GUEST > /mnt/guest.txt && umount /mnt && echo DONE", 120)
        c.close()
    finally:
        proc.kill()
        proc.wait()
    assert out.split("\n") == ["1" if packed else "0", "FROM-THE-HOST", "DONE"], out
    assert (shared / "guest.txt").read_text() == "FROM-THE-GUEST\n"
    assert ("(packed rings)" in log.read_text()) == packed


def race_session(console, tmp_path, flags, commands):
    """Boot against the race backend with flags and run each (command,
    timeout) at the guest's shell: (outputs, mimic's console, backend log)."""
    proc, sock, log = start_race_backend(tmp_path, *flags)
    try:
        c = vm.boot(console, memory=MEMORY, extra=fs_args(sock))
        outs = [vm.run(c, cmd, timeout=t) for cmd, t in commands]
        transcript = c.transcript.decode(errors="replace")
        c.close()
    finally:
        proc.kill()
        proc.wait()
    return outs, transcript, log.read_text()


def fs_status(out):
    return int(out.split("STATUS=")[1].split()[0], 16)


def test_backend_channel_bad_request(console, tmp_path):
    """On the backend channel, a good CONFIG_CHANGE_MSG with NEED_REPLY is
    answered (ack 0; virtio-fs has no config of the backend's to re-read),
    a malformed one (a payload) closes the channel with one log line, and
    the device goes on serving the guest."""
    (out, status), transcript, blog = race_session(
        console, tmp_path, ("--delay-ms=0", "--backend-req"),
        [(race_loop(3), 60), (FS_STATUS, 60)])
    assert "RACE-DONE ok=3 of 3" in out, f"{out}\n{blog}"
    assert "CONFIG_CHANGE_MSG answered: request 2 flags 0x5 size 8 ack 0" in blog, blog
    assert "sent a bad request" in blog, blog
    lines = [ln for ln in transcript.splitlines() if "vhost-user backend" in ln]
    assert len(lines) == 1, lines
    assert "request channel closed: CONFIG_CHANGE_MSG has size 8 (expected 0)" in lines[0]
    assert not fs_status(status) & 0x40, status


def test_backend_refuses_features(console, tmp_path):
    """A backend with STATUS that never shows FEATURES_OK refuses the
    driver's features as a device does: the guest's driver sees FEATURES_OK
    clear and gives up (FAILED), no ring is started, mimic logs nothing."""
    (status, refused), transcript, blog = race_session(
        console, tmp_path, ("--delay-ms=0", "--refuse-features"),
        [(FS_STATUS, 60), ("dmesg | grep -c 'refuses features'", 60)])
    # FAILED, neither FEATURES_OK nor DRIVER_OK
    assert fs_status(status) & 0x80 and not fs_status(status) & 0x0c, status
    assert int(refused) >= 1, refused
    assert "status 0xb" in blog and "status 0xf" not in blog, blog
    assert "vhost-user backend" not in transcript, transcript[-2000:]
