# SPDX-License-Identifier: MIT
# mimic_images: find (building on first use) the guest images, and their conventions.
"""The riscv64 guest images built by tests/images/build, for the test layers.

image_dir() runs `tests/images/build --print-dir` once per process and
returns the directory; MIMIC_IMAGES=DIR skips the build and uses DIR. The
constants and helpers below spell out the conventions of the initramfs
(tests/images/README.md explains them)."""
import base64
import functools
import os
import pathlib
import subprocess

SRC = pathlib.Path(__file__).resolve().parent.parent
BUILD_SCRIPT = SRC / "tests" / "images" / "build"

FILES = ("Image", "initramfs.cpio.gz", "initramfs-test.cpio.gz", "busybox", "fw_dynamic.bin")

# Prompt of the shell of initramfs-test.cpio.gz; that shell does not echo
# what it reads, so the text between two prompts is exactly the output.
TEST_PROMPT = "mimic-test# "
# Prompt of the shell of initramfs.cpio.gz (hostname:cwd#).
INTERACTIVE_PROMPT = "mimic:/# "
# Printed by /init when the command given with mimic_cmd has finished.
EXIT_STATUS_RE = r"mimic: exit status (\d+)"

# Kernel command line for the 16550 UART of the virt board.
CONSOLE_APPEND = "console=ttyS0 earlycon=sbi panic=-1"

# A build from scratch takes minutes; this only bounds a stuck one.
BUILD_TIMEOUT = 3 * 3600
# TCG boots take 2 to 60 s on a loaded 2-core machine.
BOOT_TIMEOUT = 240
# Debian's QEMU 7.2 under TCG now and then hangs while Linux brings up the
# second hart: both harts end up looping on page faults and the boot stops
# after "smp: Bringing up secondary CPUs ...". One to three boots in 100 do
# it on this machine.
SMP_TIMEOUT = 90


class ImageError(RuntimeError):
    """The images could not be built or found."""


@functools.lru_cache(maxsize=None)
def image_dir():
    """Directory holding the guest images; builds them if they are missing."""
    override = os.environ.get("MIMIC_IMAGES")
    if override:
        path = pathlib.Path(override)
    else:
        try:
            done = subprocess.run([str(BUILD_SCRIPT), "--print-dir"], stdout=subprocess.PIPE,
                                  stdin=subprocess.DEVNULL, text=True, timeout=BUILD_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise ImageError(f"{BUILD_SCRIPT} did not finish within {BUILD_TIMEOUT} s") from None
        if done.returncode != 0:
            raise ImageError(f"{BUILD_SCRIPT} failed with status {done.returncode} "
                             "(its error is on stderr)")
        lines = done.stdout.strip().splitlines()
        if not lines:
            raise ImageError(f"{BUILD_SCRIPT} --print-dir printed nothing")
        path = pathlib.Path(lines[-1])
    missing = [name for name in FILES if not (path / name).is_file()]
    if missing:
        raise ImageError(f"{path} lacks {', '.join(missing)}")
    return path


def cmd_append(command):
    """Kernel command-line word that makes /init run `command` and power off.

    The command travels base64-encoded (mimic_cmd64=), so it may hold any
    character; the kernel command line is at most 1024 bytes on riscv."""
    encoded = base64.b64encode(command.encode()).decode()
    return f"mimic_cmd64={encoded}"


def qemu_argv(qemu="qemu-system-riscv64", initrd="initramfs-test.cpio.gz", command=None,
              append="", smp=2, memory="256M", extra=()):
    """argv booting the images on a `virt` machine, console on stdio.

    With command, /init runs it and powers off: QEMU's exit status is then
    the command's (through the board's test finisher)."""
    images = image_dir()
    words = [CONSOLE_APPEND]
    if append:
        words.append(append)
    if command is not None:
        words.append(cmd_append(command))
    return [qemu, "-M", "virt", "-nographic", "-no-reboot",
            "-smp", str(smp), "-m", memory,
            "-bios", str(images / "fw_dynamic.bin"),
            "-kernel", str(images / "Image"),
            "-initrd", str(images / initrd),
            "-append", " ".join(words), *extra]


def boot_qemu(console, argv, expect, timeout=BOOT_TIMEOUT):
    """Start Debian's QEMU with argv through the console fixture and wait for
    the regular expression expect; return the console.

    A boot that QEMU 7.2 hangs in the bring-up of the second hart (see
    SMP_TIMEOUT) is retried once; any other failure raises. Not for mimic's
    own emulator, where such a hang is a bug to see."""
    for attempt in (1, 2):
        vm = console(argv)
        try:
            vm.expect(r"smp: Brought up \d+ node", timeout=SMP_TIMEOUT)
        except AssertionError:
            stuck = b"smp: Bringing up secondary CPUs" in vm.transcript
            if attempt == 2 or not stuck or vm.proc.poll() is not None:
                raise
            print(f"QEMU hung bringing up the second hart; retrying:\n{vm.tail(400)}")
            vm.close()
            continue
        vm.expect(expect, timeout=timeout)
        return vm
