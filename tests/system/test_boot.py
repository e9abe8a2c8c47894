# SPDX-License-Identifier: MIT
# The virt board boots OpenSBI and Linux to busybox, and powers off/reboots.
import os
import re
import time

import pytest

from vm import BOOT_TIMEOUT, PROMPT, argv, boot, host_year, images, run


def test_opensbi_linux_shell_and_poweroff(console):
    images()
    c = console(argv())
    c.expect(r"OpenSBI v\d+\.\d+", 60)
    c.expect(r"Platform Name\s+: riscv-virtio,qemu", 30)
    c.expect(r"Platform Console Device\s+: uart8250", 30)
    c.expect(PROMPT, BOOT_TIMEOUT)
    assert run(c, "uname -m") == "riscv64"
    cpuinfo = run(c, "cat /proc/cpuinfo")
    isa = re.search(r"^isa\s*:\s*(\S+)", cpuinfo, re.M)
    assert isa, cpuinfo
    # Linux prints the extensions it knows of our riscv,isa string.
    ours = open_isa_string()
    assert isa.group(1).startswith("rv64imafdc"), isa.group(1)
    for ext in isa.group(1).split("_")[1:]:
        assert ext in ours.split("_"), (ext, ours)
    assert run(c, "date +%Y") == host_year()
    # Far longer than the UART FIFO: flow control must
    # hold the rest back rather than drop it.
    long = "".join(chr(ord("a") + i % 26) for i in range(1000))
    assert run(c, f"echo {long} | wc -c") == str(len(long) + 1)
    assert "ttyS0" in run(c, "cat /proc/tty/driver/serial 2>/dev/null; "
                              "ls /sys/class/tty")
    c.sendline("poweroff")
    assert c.wait(60) == 0


def open_isa_string():
    """Our riscv,isa string, as the generated device tree carries it."""
    import subprocess
    import tempfile

    from harness import program
    with tempfile.TemporaryDirectory() as d:
        dtb = os.path.join(d, "virt.dtb")
        subprocess.run([str(program("mimic-system-riscv64")), "-M",
                        f"virt,dumpdtb={dtb}"], check=True)
        data = open(dtb, "rb").read()
    m = re.search(rb"(rv64[a-z0-9_]+)\0", data)
    assert m
    return m.group(1).decode()


def test_smp2_both_harts_online(console):
    c = boot(console, smp=2)
    assert run(c, "cat /sys/devices/system/cpu/online") == "0-1"
    assert run(c, "grep -c ^processor /proc/cpuinfo") == "2"
    c.sendline("poweroff")
    assert c.wait(60) == 0


@pytest.mark.parametrize("smp", [1, 2])
def test_reboot_boots_again(console, smp):
    images()
    c = console([a for a in argv(smp=smp) if a != "-no-reboot"])
    c.expect(PROMPT, BOOT_TIMEOUT)
    c.sendline("reboot")
    c.expect(r"OpenSBI v\d", 60)
    c.expect(r"Linux version", 60)
    c.expect(PROMPT, BOOT_TIMEOUT)
    assert run(c, "cat /sys/devices/system/cpu/online") == \
        ("0" if smp == 1 else "0-1")
    c.sendline("poweroff")
    assert c.wait(60) == 0


def test_no_reboot_turns_reboot_into_exit(console):
    c = boot(console)
    c.sendline("reboot")
    assert c.wait(60) == 0
    assert b"OpenSBI" not in c.transcript[c.pos:]


def test_guest_exit_status_through_the_finisher(console):
    images()
    c = console(argv(command="exit 7"))
    c.expect(r"mimic: exit status 7", BOOT_TIMEOUT)
    assert c.wait(60) == 7


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime + stime
    return ticks / os.sysconf("SC_CLK_TCK")


def test_idle_guest_uses_under_5_percent_of_a_core(console):
    c = boot(console, append="quiet")
    time.sleep(2)  # let boot-time work settle
    before, t0 = cpu_seconds(c.proc.pid), time.monotonic()
    time.sleep(10)
    used, wall = cpu_seconds(c.proc.pid) - before, time.monotonic() - t0
    assert used / wall < 0.05, f"idle guest used {100 * used / wall:.1f}% of a core"
    assert run(c, "echo alive") == "alive"
    c.sendline("poweroff")
    assert c.wait(60) == 0


def test_ctrl_a_escapes(console):
    c = boot(console)
    c.send(b"\x01h")
    c.expect(r"C-a x\s+exit emulator", 10)
    # C-a c reaches the monitor and comes back
    c.send(b"\x01c")
    c.expect(r"\(qemu\) ", 10)
    c.send(b"\x01c")
    # C-a C-a sends one C-a to the guest; the shell survives it.
    c.send(b"\x01\x01\n")
    c.expect(PROMPT, 30)
    c.send(b"\x01x")
    assert c.wait(30) == 0


def test_smp2_thread_per_hart_boots_and_reboots(console):
    images()
    args = [a for a in argv(smp=2, extra=["-accel", "tcg,thread=multi"])
            if a != "-no-reboot"]
    c = console(args)
    c.expect(PROMPT, BOOT_TIMEOUT)
    assert run(c, "cat /sys/devices/system/cpu/online") == "0-1"
    c.sendline("reboot")
    c.expect(r"OpenSBI v\d", 60)
    c.expect(PROMPT, BOOT_TIMEOUT)
    assert run(c, "cat /sys/devices/system/cpu/online") == "0-1"
    c.sendline("poweroff")
    assert c.wait(60) == 0


@pytest.mark.parametrize("accel", ["jit", "tcg,thread=multi,engine=jit"])
def test_jit_boots_linux_to_a_shell(console, accel):
    """The translator runs OpenSBI, Linux and busybox: one hart, and two
    harts on their own threads."""
    smp = 1 if accel == "jit" else 2
    c = boot(console, smp=smp, extra=("-accel", accel))
    assert run(c, "uname -m") == "riscv64"
    assert run(c, "cat /sys/devices/system/cpu/online") == \
        ("0" if smp == 1 else "0-1")
    assert run(c, "echo $((6 * 7))") == "42"
    total = run(c, "seq 1 2000 | awk '{ s += $1 } END { print s }'")
    assert total == "2001000"
    assert run(c, "date +%Y") == host_year()
    c.sendline("poweroff")
    assert c.wait(60) == 0
