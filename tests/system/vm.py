# SPDX-License-Identifier: MIT
# Helpers for the system tests: boot mimic-system-riscv64 on the guest images.
import datetime
import re
import subprocess
import time

import pytest

from harness import program
import mimic_images

PROMPT = mimic_images.TEST_PROMPT
# Under an interpreter on a shared host; the boot itself takes seconds.
BOOT_TIMEOUT = 180


def images():
    """The image directory, or skip naming why it is missing."""
    try:
        return mimic_images.image_dir()
    except mimic_images.ImageError as e:
        pytest.skip(f"guest images unavailable: {e}")


def argv(initrd="initramfs-test.cpio.gz", smp=1, memory="256M", append="",
         command=None, extra=()):
    """mimic argv booting the images: OpenSBI, Linux, busybox."""
    emu = program("mimic-system-riscv64")
    args = mimic_images.qemu_argv(qemu=str(emu), initrd=initrd,
                                  command=command, append=append, smp=smp,
                                  memory=memory, extra=extra)
    return args


def boot(console, **kw):
    """Start a guest and wait for the test shell's first prompt."""
    images()
    c = console(argv(**kw))
    c.expect(PROMPT, BOOT_TIMEOUT)
    return c


def run(c, command, timeout=60):
    """Type a command at the test shell; return its output (the shell does
    not echo, so it is exactly what lies between the two prompts)."""
    begin = c.pos
    c.sendline(command)
    m = c.expect(PROMPT, timeout)
    out = c.transcript[begin:m.start()].decode(errors="replace")
    return out.replace("\r\n", "\n").strip()


def host_year():
    return str(datetime.datetime.now(datetime.timezone.utc).year)


def assert_one_error_line(args, message):
    """mimic refuses the options args before any guest runs: exit status 1
    and one stderr line, prefixed with the program name, matching message."""
    argv_ = [str(program("mimic-system-riscv64")), "-M", "virt", "-display", "none",
             "-serial", "null", "-bios", "none", *args]
    done = subprocess.run(argv_, capture_output=True, text=True, timeout=30,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 1, done
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert re.search(message, lines[0]), lines[0]
    assert lines[0].startswith("mimic-system-riscv64: ")


def spawn_backend(argv, sock, log, stdin=subprocess.DEVNULL):
    """Start a vhost-user backend (stderr to log); wait until it listens on
    sock."""
    proc = subprocess.Popen([str(a) for a in argv], stdin=stdin, stdout=subprocess.DEVNULL,
                            stderr=open(log, "w"))
    deadline = time.monotonic() + 10
    while not sock.exists():
        assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
        time.sleep(0.05)
    return proc


def mimic_error(*args):
    """mimic refuses args: a non-zero status and one stderr line, returned."""
    done = subprocess.run([str(program("mimic-system-riscv64")), "-nographic", *args],
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=30)
    assert done.returncode != 0
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1, lines
    return lines[0]
