# SPDX-License-Identifier: MIT
# HMP, the human monitor: on a unix socket, on stdio with Ctrl-A c, and
# through QMP's human-monitor-command, against the bare-metal guest.
import re
import socket
import time

from monitor_guest import A0, MAGIC, MAGIC_ADDR, argv, drain, quiet_for, sock_path

PROMPT = b"(qemu) "


class HMPClient:
    def __init__(self, path, timeout=10):
        deadline = time.monotonic() + timeout
        while True:
            self.sock = socket.socket(socket.AF_UNIX)
            try:
                self.sock.connect(path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                self.sock.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.sock.settimeout(timeout)
        self.buf = b""
        self.banner = self._until_prompt()

    def _until_prompt(self):
        while PROMPT not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError(self.buf)
            self.buf += chunk
        out, self.buf = self.buf.split(PROMPT, 1)
        return out.decode()

    def run(self, line):
        """Output of one command, without the echoed line."""
        self.sock.sendall(line.encode() + b"\r\n")
        out = self._until_prompt().replace("\r\n", "\n")
        echoed, _, rest = out.partition("\n")
        assert echoed == line, out
        return rest


def test_hmp_on_a_unix_socket(console, tmp_path):
    path = sock_path(tmp_path, "hmp.sock")
    c = console(argv("-monitor", f"unix:{path},server=on,wait=off"))
    c.expect("tick", 30)
    h = HMPClient(path)
    assert "monitor" in h.banner and "help" in h.banner

    assert h.run("info status") == "VM status: running\n"
    assert re.fullmatch(r"7\.2\.0 \(mimic-\d+\.\d+\.\d+\)\n", h.run("info version"))
    regs = h.run("info registers")
    pc = int(re.search(r"^ pc +([0-9a-f]{16})$", regs, re.M).group(1), 16)
    assert 0x80000000 <= pc < 0x80001000
    assert re.search(r"x10/a0 +%016x" % A0, regs)

    assert h.run(f"xp /1wx {MAGIC_ADDR:#x}") == f"{MAGIC_ADDR:016x}: {MAGIC:#010x}\n"
    dump = h.run(f"xp /4bx {MAGIC_ADDR:#x}")
    assert dump == f"{MAGIC_ADDR:016x}: 0x63 0x6d 0x69 0x6d\n"
    assert h.run(f"xp/2c {MAGIC_ADDR:#x}") == f"{MAGIC_ADDR:016x}: 'c' 'm'\n"
    # M-mode: x reads through no translation.
    assert h.run(f"x /1wx {MAGIC_ADDR:#x}") == f"{MAGIC_ADDR:016x}: {MAGIC:#010x}\n"
    assert "Cannot access memory" in h.run("xp /1wx 0x10")
    # The first instructions of monitor-guest.S: li a0, 0x1234abcd.
    assert h.run("x /2i 0x80000000") == (
        "0x0000000080000000:  1234b537  lui\ta0,0x1234b\n"
        "0x0000000080000004:  bcd5051b  addiw\ta0,a0,-1075\n")

    assert h.run("p $a0") == f"{A0}\n"  # decimal, as QEMU's print
    assert h.run("p/x $a0 + 4") == f"{A0 + 4:#x}\n"
    assert h.run("print/d (2 + 3) * -4") == "-20\n"
    assert h.run("p 0x10 << 4 | 1") == "257\n"
    assert int(h.run("p $pc")) >> 12 == 0x80000
    assert "unknown register" in h.run("p $nosuch")
    assert "division by zero" in h.run("p 1 / 0")

    mtree = h.run("info mtree")
    assert re.search(r"0000000000102000-0000000000102fff .*: power-button", mtree)
    assert "riscv_virt_board.ram" in mtree
    assert "dev: serial" in h.run("info qtree")
    assert "serial0: filename=stdio" in h.run("info chardev")
    assert h.run("info cpus").startswith("* CPU #0: thread_id=")
    assert h.run("info block") == ""
    helptext = h.run("help")
    for cmd in ("info", "stop", "cont", "system_reset", "system_powerdown",
                "quit", "xp", "print"):
        assert re.search(r"^%s\b" % cmd, helptext, re.M), cmd
    assert h.run("frobnicate") == "unknown command: 'frobnicate'\n"
    assert h.run("help xp") == "xp /fmt addr -- physical memory dump starting at 'addr'\n"
    assert "info registers" in h.run("help info")

    assert h.run("stop") == ""
    assert h.run("info status") == "VM status: paused\n"
    drain(c)
    assert quiet_for(c, 0.8)
    assert h.run("cont") == ""
    c.expect("tick", 5)
    assert h.run("info status") == "VM status: running\n"

    assert h.run("system_reset") == ""
    c.expect("boot", 10)
    h.sock.sendall(b"quit\r\n")
    assert c.wait(10) == 0


def test_ctrl_a_c_switches_the_stdio_serial_to_the_monitor(console):
    c = console(argv())
    c.expect("tick", 30)
    c.send(b"\x01c")
    c.expect(r"\(qemu\) ", 10)
    c.send(b"info status\r")
    c.expect("VM status: running", 10)
    c.send(b"stop\r")
    c.expect(r"\(qemu\) ", 10)
    drain(c)
    assert quiet_for(c, 0.8)
    c.send(b"cont\r")
    c.expect("tick", 5)
    # Back to the console: the guest's output continues, then Ctrl-A c
    # brings the prompt back and quit ends mimic.
    c.send(b"\x01c")
    drain(c, 0.3)
    c.expect("tick", 5)
    c.send(b"\x01c")
    c.expect(r"\(qemu\) ", 10)
    c.send(b"quit\r")
    assert c.wait(10) == 0


def test_monitor_stdio_and_mon_readline(console, tmp_path):
    path = sock_path(tmp_path, "hmp2.sock")
    serial = str(tmp_path / "serial.txt")
    c = console(argv("-monitor", "stdio",
                     "-chardev", f"socket,id=h,path={path},server=on,wait=off",
                     "-mon", "chardev=h,mode=readline", serial=f"file:{serial}"))
    c.expect(r"\(qemu\) ", 30)
    h = HMPClient(path)
    assert h.run("info status") == "VM status: running\n"
    c.sendline("info chardev")
    c.expect("h: filename=socket", 10)
    c.sendline("quit")
    assert c.wait(10) == 0
