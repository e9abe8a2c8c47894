# SPDX-License-Identifier: MIT
# QMP with the Linux guest (one boot): status, registers and virtual memory
# through HMP, system_reset (the guest boots again), and system_powerdown
# (the guest's power-button watcher powers it off).
import re

from harness import SRC

from monitor_guest import sock_path
from qmp import QMPClient
import vm


def button_watcher():
    """The power-button watcher line docs/monitor.md gives guests."""
    doc = (SRC / "docs/monitor.md").read_text()
    return re.search(r"```sh\n(.*?)\n```", doc, re.S).group(1)


def test_linux_reset_and_powerdown(console, tmp_path):
    path = sock_path(tmp_path)
    vm.images()
    # Without -no-reboot, which turns system_reset into a shutdown.
    args = [a for a in vm.argv(extra=["-qmp", f"unix:{path},server=on,wait=off"])
            if a != "-no-reboot"]
    c = console(args)
    c.expect(vm.PROMPT, vm.BOOT_TIMEOUT)
    q = QMPClient(path)
    assert q.cmd("query-status")["status"] == "running"

    # Stopped in the kernel: x through the page tables reads what xp
    # reads at the kernel's physical load address.
    q.cmd("stop")
    q.get_event("STOP")
    priv = int(q.hmp("p $priv"))
    pc = int(re.search(r"^ pc +([0-9a-f]+)\r$", q.hmp("info registers"), re.M).group(1), 16)
    if priv == 1:
        assert pc >= 0xffffffff00000000, hex(pc)
        virt = q.hmp("x /4wx 0xffffffff80000000").split(":", 1)[1]
        phys = q.hmp("xp /4wx 0x80200000").split(":", 1)[1]
        assert virt == phys and virt.strip() != "", (virt, phys)
    q.cmd("cont")
    q.get_event("RESUME")
    assert vm.run(c, "echo alive") == "alive"

    # system_reset: RESET, and Linux boots to the prompt again.
    q.cmd("system_reset")
    assert q.get_event("RESET")["data"] == {"guest": False, "reason": "host-qmp-system-reset"}
    c.expect("Linux version", 60)
    c.expect(vm.PROMPT, vm.BOOT_TIMEOUT)

    # system_powerdown: the watcher sees the button and powers off.
    c.sendline(button_watcher())
    c.expect(vm.PROMPT, 30)
    q.cmd("system_powerdown")
    q.get_event("POWERDOWN")
    c.expect("power button pressed", 30)
    ev = q.get_event("SHUTDOWN", 60)
    assert ev["data"] == {"guest": True, "reason": "guest-shutdown"}
    assert c.wait(30) == 0


def test_no_shutdown_stops_and_system_reset_revives(console, tmp_path):
    """-no-shutdown, as libvirt runs QEMU: a guest poweroff gives SHUTDOWN
    and STOP, mimic stays with status "shutdown"; cont is refused until
    system_reset, after which the guest boots again."""
    path = sock_path(tmp_path)
    vm.images()
    args = [a for a in vm.argv(extra=["-no-shutdown",
                                      "-qmp", f"unix:{path},server=on,wait=off"])
            if a != "-no-reboot"]
    c = console(args)
    c.expect(vm.PROMPT, vm.BOOT_TIMEOUT)
    q = QMPClient(path)
    c.sendline("poweroff -f")
    assert q.get_event("SHUTDOWN", 60)["data"] == {"guest": True, "reason": "guest-shutdown"}
    q.get_event("STOP", 10)
    assert q.cmd("query-status") == {"running": False, "singlestep": False,
                                     "status": "shutdown"}
    err = q.execute("cont")["error"]
    assert err == {"class": "GenericError", "desc": "Resetting the Virtual Machine is required"}
    assert c.proc.poll() is None
    q.cmd("system_reset")
    q.get_event("RESET")
    assert q.cmd("query-status")["status"] == "prelaunch"
    q.cmd("cont")
    q.get_event("RESUME")
    c.expect("Linux version", 60)
    c.expect(vm.PROMPT, vm.BOOT_TIMEOUT)
    assert vm.run(c, "echo again") == "again"
    q.cmd("quit")
    assert c.wait(30) == 0
