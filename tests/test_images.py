# SPDX-License-Identifier: MIT
# test_images: the guest images boot under Debian's qemu-system-riscv64: their recipe is right.
import re
import subprocess

import pytest

import mimic_images
from harness import require_tool

STEP_TIMEOUT = 60
PROMPT = re.escape(mimic_images.TEST_PROMPT)


@pytest.fixture(scope="module")
def images():
    try:
        return mimic_images.image_dir()
    except mimic_images.ImageError as err:
        pytest.fail(str(err))


@pytest.fixture
def qemu_system():
    return require_tool("qemu-system-riscv64")


def test_image_files(images):
    for name in mimic_images.FILES:
        assert (images / name).stat().st_size > 0, name
    assert (images / "Image").read_bytes()[0x30:0x38] == b"RISCV\0\0\0"


def test_busybox_is_static_riscv64(images):
    qemu_user = require_tool("qemu-riscv64")
    done = subprocess.run([qemu_user, str(images / "busybox"), "uname", "-m"],
                          capture_output=True, text=True, timeout=STEP_TIMEOUT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "riscv64"


def test_test_image_shell_then_poweroff(images, qemu_system, console):
    vm = mimic_images.boot_qemu(console, mimic_images.qemu_argv(qemu_system), PROMPT)
    # The test shell does not echo: what comes before the next prompt is
    # the command's output.
    vm.sendline("uname -m")
    out = vm.expect(r"(?s)(.*?)" + PROMPT, timeout=STEP_TIMEOUT)
    assert out.group(1).strip() == b"riscv64"
    vm.sendline("grep -c ^processor /proc/cpuinfo")
    out = vm.expect(r"(?s)(.*?)" + PROMPT, timeout=STEP_TIMEOUT)
    assert out.group(1).strip() == b"2"
    vm.sendline("poweroff")
    vm.expect(r"reboot: Power down", timeout=STEP_TIMEOUT)
    assert vm.wait(timeout=STEP_TIMEOUT) == 0


def test_one_shot_command(images, qemu_system, console):
    command = "uname -m; grep -q ' /proc proc ' /proc/mounts && echo 'proc \"mounted\"'"
    argv = mimic_images.qemu_argv(qemu_system, command=command)
    vm = mimic_images.boot_qemu(console, argv, r"riscv64\r?\n")
    vm.expect(r'proc "mounted"', timeout=STEP_TIMEOUT)
    assert vm.expect(mimic_images.EXIT_STATUS_RE, timeout=STEP_TIMEOUT).group(1) == b"0"
    assert vm.wait(timeout=STEP_TIMEOUT) == 0


def test_one_shot_status_reaches_qemu(images, qemu_system, console):
    argv = mimic_images.qemu_argv(qemu_system, command="exit 7")
    vm = mimic_images.boot_qemu(console, argv, mimic_images.EXIT_STATUS_RE)
    assert re.search(mimic_images.EXIT_STATUS_RE.encode(), vm.transcript).group(1) == b"7"
    assert vm.wait(timeout=STEP_TIMEOUT) == 7


def test_interactive_image_prompt_then_reboot(images, qemu_system, console):
    argv = mimic_images.qemu_argv(qemu_system, initrd="initramfs.cpio.gz")
    vm = mimic_images.boot_qemu(console, argv, re.escape(mimic_images.INTERACTIVE_PROMPT))
    vm.sendline("reboot")
    vm.expect(r"reboot: Restarting system", timeout=STEP_TIMEOUT)
    # -no-reboot turns the guest's reboot into QEMU's exit.
    assert vm.wait(timeout=STEP_TIMEOUT) == 0
