# SPDX-License-Identifier: MIT
# The bare-metal guest of the monitor tests, and mimic started around it.
import os
import pathlib
import subprocess
import tempfile
import time

import pytest

from harness import SRC, program, require_tool

GUEST_SRC = SRC / "tests/system/guest/monitor-guest.S"
LINK_LD = SRC / "tests/isa/link.ld"
# monitor-guest.S: the word at MAGIC_ADDR and the value of a0.
MAGIC_ADDR = 0x80001000
MAGIC = 0x6d696d63
A0 = 0x1234abcd

_built = {}


def guest_elf(reboot=False, button=True):
    """Cross-compile monitor-guest.S once per variant; skip naming why not.
    reboot: reboot when the power button is pressed; button=False: never
    look at it (for QEMU, whose virt board has none)."""
    key = (reboot, button)
    if key not in _built:
        cc = require_tool("riscv64-linux-gnu-gcc")
        out = pathlib.Path(tempfile.mkdtemp(prefix="mimic-monitor-guest-")) / "guest.elf"
        subprocess.run([cc, "-march=rv64gc", "-mabi=lp64", "-nostdlib", "-static",
                        "-Wl,--build-id=none", "-T", str(LINK_LD), "-o", str(out)]
                       + (["-DREBOOT_ON_BUTTON"] if reboot else [])
                       + ([] if button else ["-DNO_BUTTON"])
                       + [str(GUEST_SRC)], check=True)
        _built[key] = out
    return _built[key]


def argv(*extra, serial=None, reboot=False, button=True):
    """mimic running the guest; the serial port on stdio unless told."""
    args = [program("mimic-system-riscv64"), "-M", "virt", "-bios", "none",
            "-kernel", guest_elf(reboot, button), "-nographic"]
    if serial:
        args += ["-serial", serial]
    return args + list(extra)


def sock_path(tmp_path, name="qmp.sock"):
    # unix socket paths must be short: tmp_path can be long.
    d = tempfile.mkdtemp(prefix="mq-")
    return os.path.join(d, name)


def quiet_for(console, seconds, pattern=b"tick"):
    """Read the console for `seconds`; True if pattern did not appear."""
    start = len(console.transcript)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        console._read_some(0.05)
    return pattern not in console.transcript[start:]


def drain(console, seconds=0.2):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        console._read_some(0.05)
    console.pos = len(console.transcript)
