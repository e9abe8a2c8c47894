# SPDX-License-Identifier: MIT
# virtio devices seen by a Linux guest: virtio-blk on mmio and pci (ext4
# written in the guest, checked on the host), read-only drives, virtio-rng,
# the virtio console as the shell's console; the same tests run against
# QEMU to prove them right.
import re
import subprocess

import pytest

from harness import SRC, program, require_tool
import mimic_images
import vm
from vm import BOOT_TIMEOUT, PROMPT, images

EMULATORS = ["mimic", "qemu"]


def emulator(name):
    if name == "mimic":
        return str(program("mimic-system-riscv64"))
    return require_tool("qemu-system-riscv64")


def make_ext4(path, size_mb, files=None, tmp=None, fs_mb=None):
    """An ext4 image made on the host; files: {name: text} put inside;
    fs_mb: a file system smaller than the disk (raw space after it)."""
    require_tool("mkfs.ext4")
    subprocess.run(["truncate", "-s", f"{size_mb}M", str(path)], check=True)
    cmd = ["mkfs.ext4", "-q", "-F"]
    if files:
        root = tmp / (path.name + ".d")
        root.mkdir()
        for name, text in files.items():
            (root / name).write_text(text)
        cmd += ["-d", str(root)]
    cmd.append(str(path))
    if fs_mb:
        cmd.append(f"{fs_mb}M")
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def debugfs_cat(image, path):
    require_tool("debugfs")
    done = subprocess.run(["debugfs", "-R", f"cat {path}", str(image)],
                          capture_output=True, text=True, check=True)
    return done.stdout


def run_guest(emu, command, extra, timeout=BOOT_TIMEOUT):
    """Boot, run command through /init, power off; (status, output)."""
    images()
    argv = mimic_images.qemu_argv(qemu=emulator(emu), command=command,
                                  smp=1, append="quiet", extra=extra)
    done = subprocess.run(argv, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          timeout=timeout)
    return done.returncode, done.stdout.decode(errors="replace")


GUEST_DISK_SCRIPT = """
set -e
mkdir -p /mnt /ro
mount -t ext4 /dev/vda /mnt
mkdir /mnt/dir
echo virtio-$TRANSPORT > /mnt/dir/hello.txt
dd if=/dev/urandom of=/mnt/big bs=4096 count=256 2>/dev/null
md5sum /mnt/big | cut -d' ' -f1 > /mnt/big.md5
sync
fstrim /mnt && echo FSTRIM ok
umount /mnt
dd if=/dev/urandom of=/dev/vda bs=1M seek=24 count=2 oflag=direct 2>/dev/null
blkdiscard -o 25165824 -l 1048576 /dev/vda && echo DISCARD ok
echo WZ-MAX $(cat /sys/block/vda/queue/write_zeroes_max_bytes)
echo BLK-SIZE $(cat /sys/block/vda/size)
echo SERIAL $(cat /sys/block/vda/serial 2>/dev/null || echo none)
echo RO-FLAG $(cat /sys/block/vdb/ro)
mount -t ext4 -o ro /dev/vdb /ro
echo RO-CONTENT $(cat /ro/fixed.txt)
if touch /ro/new 2>/dev/null; then echo RO-FS-WRITE ok; else echo RO-FS-WRITE refused; fi
umount /ro
if dd if=/dev/zero of=/dev/vdb bs=4096 count=1 oflag=direct 2>/dev/null; then echo RO-DEV-WRITE ok; else echo RO-DEV-WRITE refused; fi
echo RNG $(hexdump -v -e '1/1 "%02x"' -n 64 /dev/hwrng)
"""


@pytest.mark.parametrize("transport", ["mmio", "pci"])
@pytest.mark.parametrize("emu", EMULATORS)
def test_blk_ext4_readonly_and_rng(emu, transport, tmp_path):
    disk = tmp_path / "disk.img"
    rodisk = tmp_path / "ro.img"
    make_ext4(disk, 32, fs_mb=24)
    # The script travels on the read-only disk: the kernel command line
    # is too short for it.
    script = GUEST_DISK_SCRIPT.replace("$TRANSPORT", transport)
    make_ext4(rodisk, 8, {"fixed.txt": "from-the-host\n", "t.sh": script},
              tmp_path)
    before = rodisk.read_bytes()
    blk = "virtio-blk-device" if transport == "mmio" else "virtio-blk-pci"
    rng = "virtio-rng-pci" if transport == "mmio" else "virtio-rng-device"
    # O_DIRECT and raw on one transport; a flush per write and qcow2 on
    # the other.
    cache = "none" if transport == "mmio" else "writethrough"
    fmt = "raw" if transport == "mmio" else "qcow2"
    image = disk
    if fmt == "qcow2":
        image = tmp_path / "disk.qcow2"
        subprocess.run([require_tool("qemu-img"), "convert", "-O", "qcow2",
                        str(disk), str(image)], check=True)
    extra = [
        "-drive", f"file={image},format={fmt},if=none,id=d0,cache={cache}",
        "-device", f"{blk},drive=d0,serial=mimic-{transport}",
        "-drive", f"file={rodisk},format=raw,if=none,id=d1,readonly=on",
        "-device", f"{blk},drive=d1",
        "-device", rng,
    ]
    status, out = run_guest(emu, "mkdir -p /ro; mount -o ro /dev/vdb /ro; "
                            "cp /ro/t.sh /t.sh; umount /ro; sh /t.sh", extra)
    assert status == 0, out[-3000:]
    assert "BLK-SIZE 65536" in out, out[-3000:]
    assert f"SERIAL mimic-{transport}" in out, out[-3000:]
    assert "FSTRIM ok" in out and "DISCARD ok" in out, out[-3000:]
    if emu == "mimic":
        assert re.search(r"WZ-MAX [1-9]", out), out[-3000:]
    assert "RO-FLAG 1" in out
    assert "RO-CONTENT from-the-host" in out
    assert "RO-FS-WRITE refused" in out
    assert "RO-DEV-WRITE refused" in out
    if fmt == "qcow2":
        check = subprocess.run([require_tool("qemu-img"), "check", str(image)],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
        subprocess.run(["qemu-img", "convert", "-O", "raw", str(image),
                        str(disk)], check=True)
    rng_hex = re.search(r"RNG ([0-9a-f]*)", out).group(1)
    assert len(rng_hex) == 128 and len(set(rng_hex)) > 4, rng_hex
    # What the guest wrote reached the host file, and the file system is
    # clean; the read-only image did not change by a byte.
    assert debugfs_cat(disk, "/dir/hello.txt") == f"virtio-{transport}\n"
    big = debugfs_cat_bytes(disk, "/big")
    assert len(big) == 1 << 20
    import hashlib
    assert debugfs_cat(disk, "/big.md5").strip() == hashlib.md5(big).hexdigest()
    fsck = subprocess.run(["e2fsck", "-fn", str(disk)], capture_output=True,
                          text=True)
    assert fsck.returncode == 0, fsck.stdout + fsck.stderr
    assert rodisk.read_bytes() == before
    # Raw data written past the file system: the second MiB is the
    # guest's random bytes; the first was discarded, which punches a hole
    # in mimic (QEMU ignores discards by default).
    with open(disk, "rb") as f:
        f.seek(24 << 20)
        first, second = f.read(1 << 20), f.read(1 << 20)
    assert second.count(0) < len(second) // 100
    if emu == "mimic":
        assert first == bytes(len(first))


def debugfs_cat_bytes(image, path):
    done = subprocess.run(["debugfs", "-R", f"cat {path}", str(image)],
                          capture_output=True, check=True)
    return done.stdout


def virtio_hvc():
    """The guest's name for the virtio console port. With the SBI console
    driver in the kernel (CONFIG_HVC_RISCV_SBI), SBI takes hvc0 and the
    first virtio console port is hvc1; without it, the port is hvc0."""
    config = (SRC / "tests" / "images" / "kernel.config").read_text()
    return "hvc1" if "CONFIG_HVC_RISCV_SBI=y" in config else "hvc0"


@pytest.mark.parametrize("transport", ["pci", "mmio"])
@pytest.mark.parametrize("emu", EMULATORS)
def test_shell_on_virtio_console(emu, transport, console, tmp_path):
    """console=hvcN with the virtio console on stdio: a shell answers."""
    img = images()
    hvc = virtio_hvc()
    port_out = tmp_path / "port.txt"
    c = console([emulator(emu), "-M", "virt", "-display", "none",
                 "-monitor", "none", "-serial", "null", "-no-reboot",
                 "-m", "256M", "-bios", img / "fw_dynamic.bin",
                 "-kernel", img / "Image",
                 "-initrd", img / "initramfs-test.cpio.gz",
                 "-append", f"console={hvc} panic=-1",
                 "-chardev", "stdio,id=c0,signal=off",
                 "-device", f"virtio-serial-{'pci' if transport == 'pci' else 'device'}",
                 "-device", "virtconsole,chardev=c0",
                 "-chardev", f"file,id=p1,path={port_out}",
                 "-device", "virtserialport,chardev=p1,name=org.mimic.test"])
    c.expect(PROMPT, BOOT_TIMEOUT)
    c.sendline("echo $((6 * 7)); cat /sys/class/tty/console/active")
    c.expect(rf"42\s+{hvc}\s", 60)
    c.expect(PROMPT, 60)
    # Longer than any one receive buffer: input must wait for buffers, not
    # be dropped.
    long = "".join(chr(ord("a") + i % 26) for i in range(3000))
    c.sendline(f"echo {long} | wc -c")
    c.expect(r"\b3001\s", 60)
    c.expect(PROMPT, 60)
    # A named port (virtserialport) next to the console.
    c.sendline("for p in /sys/class/virtio-ports/*; do "
               "[ \"$(cat $p/name)\" = org.mimic.test ] && "
               "echo hello-port > /dev/${p##*/} && echo WROTE; done")
    c.expect("WROTE", 60)
    c.expect(PROMPT, 60)
    c.sendline("poweroff")
    assert c.wait(60) == 0
    assert port_out.read_text() == "hello-port\n"


@pytest.mark.parametrize("args, message", [
    (["-drive", "file=/nonexistent/disk.img,if=none,id=d0"],
     r"-drive file=/nonexistent/disk.img: .*No such file"),
    (["-drive", "file={disk},format=vmdk,if=none,id=d0"],
     r"-drive: unknown format 'vmdk'"),
    (["-drive", "file={disk},bogus=1"], r"-drive: unknown parameter 'bogus'"),
    (["-drive", "file={disk},cache=fast"], r"-drive: invalid cache mode 'fast'"),
    (["-drive", "file={disk},readonly=maybe"], r"-drive: .*'readonly'"),
    (["-drive", "file={disk},if=scsi"], r"if=scsi is not supported"),
    (["-drive", "file={disk},if=none"], r"if=none needs an id="),
    (["-device", "virtio-blk-pci,drive=nope"], r"no -drive with id 'nope'"),
    (["-device", "virtio-blk-pci"], r"drive= is required"),
    (["-device", "virtconsole,chardev=c0", "-chardev", "null,id=c0"],
     r"virtconsole: needs a virtio-serial"),
    (["-device", "virtio-rng-pci,bus=pci.1"], r"-device virtio-rng-pci: Bus 'pci.1' not found"),
    (["-device", "virtio-rng-device,addr=0x3"], r"addr=0x3 \(a -pci device's slot"),
    (["-device", "virtio-rng-pci,addr=0x20"], r"addr=0x20 \(a -pci device's slot 1..31"),
    (["-device", "virtio-rng-pci,addr=3.1"], r"addr=3.1 "),
    (["-device", "virtio-rng-pci,addr=3", "-device", "virtio-rng-pci,addr=3"],
     r"PCI: slot 3 function 0 not available for virtio-rng, in use by virtio-rng"),
    (["-device", "virtio-rng-pci,bootindex=first"], r"'first' is not a number"),
])
def test_bad_drive_and_device_options(args, message, tmp_path):
    """One clear line naming the problem, status 1, before any guest runs."""
    disk = tmp_path / "disk.img"
    disk.write_bytes(bytes(1 << 20))
    vm.assert_one_error_line([a.format(disk=disk) for a in args], message)


def test_device_help_lists_virtio_devices_and_properties():
    emu = str(program("mimic-system-riscv64"))
    out = subprocess.run([emu, "-device", "help"], capture_output=True,
                         text=True, timeout=30).stdout
    for name in ("virtio-blk-device", "virtio-blk-pci", "virtio-rng-device",
                 "virtio-rng-pci", "virtio-serial-pci", "virtconsole"):
        assert re.search(rf"^\s+{name}\s", out, re.M), (name, out)
    done = subprocess.run([emu, "-device", "virtio-blk-pci,help"],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0
    assert re.search(r"^\s+drive=", done.stdout, re.M), done.stdout
    assert re.search(r"^\s+serial=", done.stdout, re.M), done.stdout


def test_devices_work_again_after_guest_reboot(console, tmp_path):
    """A guest reboot resets every virtio device; the next boot finds and
    uses them again (in-flight state must not leak across)."""
    img = images()
    disk = tmp_path / "disk.img"
    make_ext4(disk, 16)
    other = tmp_path / "other.img"
    other.write_bytes(bytes(3 << 20))
    argv = mimic_images.qemu_argv(
        qemu=emulator("mimic"), smp=1, append="quiet",
        extra=["-drive", f"file={disk},format=raw,if=none,id=d0",
               "-device", "virtio-blk-pci,drive=d0",
               "-device", "virtio-rng-device",
               # if=virtio: a virtio-blk-device of its own (QEMU's default)
               "-drive", f"file={other},format=raw"])
    c = console([a for a in argv if a != "-no-reboot"])
    assert img
    for boot in range(2):
        c.expect(PROMPT, BOOT_TIMEOUT)
        c.sendline("cat /sys/block/vd*/size | sort -n | tr '\\n' ' '")
        c.expect(r"6144 32768 ", 60)
        c.expect(PROMPT, 60)
        c.sendline("for d in /sys/block/vd*; do grep -q 32768 $d/size && "
                   "ln -sf /dev/${d##*/} /dev/ext4disk; done")
        c.expect(PROMPT, 60)
        c.sendline(f"mkdir -p /mnt; mount /dev/ext4disk /mnt && echo boot{boot} "
                   f">> /mnt/log && sync && umount /mnt && "
                   f"hexdump -n 16 /dev/hwrng | wc -l")
        c.expect(r"\b2\s", 60)
        c.expect(PROMPT, 60)
        # The guest's sync has completed: its data is in the host file
        # while the emulator still runs.
        expected = "".join(f"boot{b}\n" for b in range(boot + 1))
        assert debugfs_cat(disk, "/log") == expected
        c.sendline("reboot" if boot == 0 else "poweroff")
    assert c.wait(60) == 0
    assert debugfs_cat(disk, "/log") == "boot0\nboot1\n"
