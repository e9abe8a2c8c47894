# SPDX-License-Identifier: MIT
# The gdb stub, driven by Debian's gdb-multiarch in batch mode: user mode
# (-g), a bare-metal program under -S -gdb, attaching to a running Linux,
# a peer sending garbage; the same scripts against Debian's QEMU.
import pathlib
import re
import socket
import subprocess
import time

import pytest

from harness import SRC, program, require_tool
import mimic_images
from qmp import QMPClient

HERE = pathlib.Path(__file__).resolve().parent
ISA_DIR = SRC / "tests" / "isa"
TIMEOUT = 120
PROMPT = mimic_images.TEST_PROMPT


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gdb(port, commands, elf=None, timeout=TIMEOUT):
    """Run gdb-multiarch in batch mode against :port; its output."""
    argv = [require_tool("gdb-multiarch"), "-nx", "-batch",
            "-ex", "set architecture riscv:rv64",
            "-ex", "set confirm off"]
    if elf:
        argv += ["-ex", f"file {elf}"]
    argv += ["-ex", f"target remote 127.0.0.1:{port}"]
    for c in commands:
        argv += ["-ex", c]
    proc = subprocess.run([str(a) for a in argv], capture_output=True,
                          text=True, timeout=timeout)
    return proc.stdout + proc.stderr


def build_user(tmp_path_factory, name):
    cc = require_tool("riscv64-linux-gnu-gcc")
    out = tmp_path_factory.mktemp("gdb") / name
    subprocess.run([cc, "-g", "-O0", "-static", "-o", str(out),
                    str(HERE / f"{name}.c")], check=True, timeout=TIMEOUT)
    return out


@pytest.fixture(scope="module")
def debuggee(tmp_path_factory):
    return build_user(tmp_path_factory, "debuggee")


@pytest.fixture(scope="module")
def segv(tmp_path_factory):
    return build_user(tmp_path_factory, "segv")


def build_baremetal(tmp_path_factory, name):
    cc = require_tool("riscv64-linux-gnu-gcc")
    out = tmp_path_factory.mktemp("gdb") / f"{name}.elf"
    subprocess.run([cc, "-g", "-march=rv64gc", "-mabi=lp64d", "-nostdlib",
                    "-static", "-no-pie", "-fno-pic", "-Wl,--build-id=none",
                    "-T", str(ISA_DIR / "link.ld"), "-I", str(ISA_DIR),
                    str(HERE / f"{name}.S"), "-o", str(out)],
                   check=True, timeout=TIMEOUT)
    return out


@pytest.fixture(scope="module")
def baremetal(tmp_path_factory):
    return build_baremetal(tmp_path_factory, "baremetal")


@pytest.fixture(scope="module")
def spin(tmp_path_factory):
    return build_baremetal(tmp_path_factory, "spin")


def start(argv):
    return subprocess.Popen([str(a) for a in argv], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def finish(proc, timeout=60):
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
        raise AssertionError(f"emulator still running: {out!r}")
    return proc.returncode, out.decode(errors="replace")


# Breakpoint, registers, a variable, memory, step and finish: the part
# Debian's qemu-riscv64 can do too (its 7.2 stub has no watchpoints).
USER_COMMON = [
    "break add",
    "continue",
    "info registers a0 a1",
    "print a + b",
    "print table",
    "x/4gx &table",
    "step",
    "finish",
    "print counter",
]
USER_WATCH = [
    "delete 1",
    "watch counter",
    "continue",
    "delete",
    "continue",
]


def user_session(emulator, debuggee, commands):
    port = free_port()
    proc = start([emulator, "-g", port, debuggee])
    out = gdb(port, commands, elf=debuggee)
    rc, stdout = finish(proc)
    return out, rc, stdout


def test_user_mode_break_step_finish_watch_exit(debuggee):
    out, rc, stdout = user_session(program("mimic-riscv64"), debuggee,
                                   USER_COMMON + USER_WATCH)
    assert "Breakpoint 1, add (a=10, b=0) at" in out, out
    assert re.search(r"^a0\s+0xa\s+10$", out, re.M), out
    assert re.search(r"^a1\s+0x0\s+0$", out, re.M), out
    assert "$1 = 10" in out
    assert "$2 = {10, 20, 30, 40}" in out
    assert re.search(r"<table>:\s+0x000000000000000a\s+0x0000000000000014", out)
    assert re.search(r"^\d+\s+counter\+\+;$", out, re.M), out
    assert "Value returned is $3 = 20" in out, out
    assert "$4 = 1" in out
    assert "Hardware watchpoint 2: counter" in out
    assert "Old value = 1\nNew value = 2" in out, out
    assert "exited with code 024]" in out, out
    assert rc == 20
    assert stdout == "total 212 counter 4\n"


def comparable(out):
    """gdb's output without what differs by design between the stubs: how
    the inferior is named at exit."""
    return [line for line in out.splitlines() if not line.startswith("[Inferior")]


def test_user_mode_matches_qemu(debuggee):
    qemu = require_tool("qemu-riscv64")
    ours, rc, _ = user_session(program("mimic-riscv64"), debuggee,
                               USER_COMMON + ["delete", "continue"])
    theirs, qrc, _ = user_session(qemu, debuggee,
                                  USER_COMMON + ["delete", "continue"])
    assert rc == qrc == 20
    assert comparable(ours) == comparable(theirs), (ours, theirs)


SEGV_SCRIPT = ["continue", "bt", "print ptr", "continue"]


def test_user_mode_threads(tmp_path):
    cc = require_tool("riscv64-linux-gnu-gcc")
    exe = tmp_path / "threads"
    subprocess.run([cc, "-g", "-O0", "-static", "-pthread", "-o", str(exe),
                    str(SRC / "tests/user/progs/threads.c")], check=True,
                   timeout=TIMEOUT)
    out, rc, stdout = user_session(program("mimic-riscv64"), exe, [
        "break worker", "continue", "info threads", "delete", "continue"])
    # whichever worker gets there first
    assert re.search(r"Thread \d+ hit Breakpoint 1, worker \(arg=0x[0-9a-f]+\)",
                     out), out
    # main and the first worker at least, the worker selected
    rows = re.findall(r"^\*?\s+\d+\s+Thread (\d+)", out, re.M)
    assert len(rows) >= 2, out
    assert re.search(r"^\*\s+\d+\s+Thread \d+\s+worker", out, re.M), out
    assert rc == 0 and "joined sum 1200" in stdout, (out, stdout)


def test_user_mode_fault_stops_in_gdb(segv):
    out, rc, stdout = user_session(program("mimic-riscv64"), segv, SEGV_SCRIPT)
    assert "Program received signal SIGSEGV, Segmentation fault." in out, out
    assert re.search(r"#0 .* in main \(\) at .*segv.c:11", out), out
    assert "$1 = (int * volatile) 0x0" in out
    # continue passes the signal on: the program dies of it
    assert "Program terminated with signal SIGSEGV" in out, out
    assert rc == -11 and stdout == "before\n"


def test_user_mode_fault_matches_qemu(segv):
    qemu = require_tool("qemu-riscv64")
    ours, rc, _ = user_session(program("mimic-riscv64"), segv, SEGV_SCRIPT)
    theirs, qrc, _ = user_session(qemu, segv, SEGV_SCRIPT)
    assert rc == qrc == -11
    assert comparable(ours) == comparable(theirs), (ours, theirs)


SYSTEM_SCRIPT = [
    "info registers pc",
    "break triple",
    "continue",
    "info registers a2",
    "set $a2 = 3",
    "stepi",
    "info registers pc a0",
    "x/gx &value",
    "set var *(long *)&value = 0x5678",
    "x/gx &value",
    "info registers mstatus priv",
    "delete",
    "continue",
]


def system_session(emulator, elf):
    port = free_port()
    proc = start([emulator, "-M", "virt", "-bios", "none", "-nographic",
                  "-kernel", elf, "-S", "-gdb", f"tcp:127.0.0.1:{port}"])
    out = gdb(port, SYSTEM_SCRIPT, elf=elf)
    rc, _ = finish(proc)
    return out, rc


def test_system_bare_metal_break_step_write(baremetal):
    out, rc = system_session(program("mimic-system-riscv64"), baremetal)
    # -S: nothing ran before gdb came
    assert re.search(r"^pc\s+0x1000\s", out, re.M), out
    assert "Breakpoint 1, triple () at" in out, out
    assert re.search(r"^a2\s+0x5\s+5$", out, re.M), out
    assert re.search(r"^pc\s+0x[0-9a-f]+\s+0x[0-9a-f]+ <triple\+4>$", out, re.M)
    assert re.search(r"^a0\s+0x6\s+6$", out, re.M), out  # 3 * 2 after slli
    assert re.search(r"^0x[0-9a-f]+.*:\s+0x0000000000001234$", out, re.M), out
    assert re.search(r"^0x[0-9a-f]+.*:\s+0x0000000000005678$", out, re.M), out
    assert re.search(r"^priv\s+0x3\s+prv:3 \[Machine\]", out, re.M), out
    # The program passes only with both writes: the finisher says so.
    assert "exited normally" in out, out
    assert rc == 0


def test_system_bare_metal_matches_qemu(baremetal):
    qemu = require_tool("qemu-system-riscv64")
    ours, rc = system_session(program("mimic-system-riscv64"), baremetal)
    theirs, qrc = system_session(qemu, baremetal)
    assert rc == qrc == 0
    # QEMU 7.2 closes the connection at exit without a W packet.
    ours = [l for l in comparable(ours) if "exited normally" not in l]
    theirs = [l for l in comparable(theirs) if "connection closed" not in l]
    assert ours == theirs, (ours, theirs)


def test_system_no_shutdown_poweroff_is_sigquit(baremetal):
    port = free_port()
    proc = start([program("mimic-system-riscv64"), "-M", "virt", "-bios",
                  "none", "-nographic", "-kernel", baremetal, "-S",
                  "-no-shutdown", "-gdb", f"tcp:127.0.0.1:{port}"])
    out = gdb(port, ["break triple", "continue", "set $a2 = 3",
                     "set var *(long *)&value = 0x5678", "delete",
                     "continue", "monitor info status", "kill"],
              elf=baremetal)
    # The guest's poweroff stops the machine: gdb hears of it, as QEMU says.
    assert "Program received signal SIGQUIT" in out, out
    assert re.search(r"in pass \(\)", out), out
    assert "VM status: shutdown" in out
    rc, _ = finish(proc)
    assert rc == 0


def test_system_unix_socket(baremetal, tmp_path):
    path = tmp_path / "gdb.sock"
    proc = start([program("mimic-system-riscv64"), "-M", "virt", "-bios",
                  "none", "-nographic", "-kernel", baremetal, "-S",
                  "-gdb", f"unix:{path},server=on,wait=off"])
    deadline = time.monotonic() + 20
    while not path.exists():
        assert time.monotonic() < deadline, "no socket"
        time.sleep(0.05)
    argv = [require_tool("gdb-multiarch"), "-nx", "-batch",
            "-ex", "set architecture riscv:rv64",
            "-ex", f"target remote {path}",
            "-ex", "info registers pc", "-ex", "kill"]
    out = subprocess.run(argv, capture_output=True, text=True,
                         timeout=TIMEOUT).stdout
    assert re.search(r"^pc\s+0x1000\s", out, re.M), out
    rc, _ = finish(proc)
    assert rc == 0  # gdb's kill ends mimic


def test_gdb_option_errors(debuggee):
    emu = program("mimic-system-riscv64")
    for spec, msg in (("chardev:foo", "chardev: is not supported"),
                      ("bogus", "expected PORT, tcp::PORT")):
        proc = subprocess.run([str(emu), "-gdb", spec, "-bios", "none"],
                              capture_output=True, text=True, timeout=30)
        assert proc.returncode == 1
        assert msg in proc.stderr, proc.stderr
        assert len(proc.stderr.splitlines()) == 1
    user = program("mimic-riscv64")
    proc = subprocess.run([str(user), "-g", "nowhere", str(debuggee)],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 1 and "gdb address 'nowhere'" in proc.stderr


def connect(port, timeout=20):
    deadline = time.monotonic() + timeout
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=10)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def read_until(sock, pattern, timeout=10):
    data = b""
    deadline = time.monotonic() + timeout
    while not re.search(pattern, data):
        sock.settimeout(max(0.1, deadline - time.monotonic()))
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def test_malformed_packets_do_not_hurt(debuggee):
    port = free_port()
    proc = start([program("mimic-riscv64"), "-g", port, debuggee])
    sock = connect(port)
    sock.sendall(b"garbage\x00\xff$?#00")  # noise, then a bad checksum
    assert read_until(sock, rb"-") == b"-"
    sock.sendall(b"$" + b"a" * 20000 + b"#00")  # longer than PacketSize
    assert read_until(sock, rb"-") == b"-"
    sock.sendall(b"$?#3f")
    assert re.search(rb"\+\$T05thread:[0-9a-f]+;#", read_until(sock, rb"#.."))
    sock.sendall(b"$m0,10#" + b"%02x" % (sum(b"m0,10") & 0xff))
    assert b"$E14#" in read_until(sock, rb"#..")
    # One debugger at a time: a second one is turned away.
    other = connect(port)
    other.settimeout(10)
    assert other.recv(16) == b""
    other.close()
    sock.sendall(b"$qXfer:features:rea")  # and hang up mid-packet
    sock.close()
    # Without its debugger the program runs to the end.
    rc, out = finish(proc)
    assert rc == 20 and out == "total 212 counter 4\n"


def test_attach_to_linux_interrupt_and_continue(console):
    try:
        mimic_images.image_dir()
    except mimic_images.ImageError as e:
        pytest.skip(f"guest images unavailable: {e}")
    port = free_port()
    c = console(mimic_images.qemu_argv(
        qemu=str(program("mimic-system-riscv64")), smp=2,
        extra=["-gdb", f"tcp::{port}"]))
    c.expect(PROMPT, 180)
    # Interactive: batch mode would not see the stop after "interrupt".
    g = console([require_tool("gdb-multiarch"), "-nx", "-q"])
    g.sendline("set architecture riscv:rv64")
    g.sendline(f"target remote 127.0.0.1:{port}")
    g.expect(r"0x[0-9a-f]+ in \?\? \(\)", 60)
    g.sendline("info registers")
    g.expect(r"\nsp\s+0x[0-9a-f]+", 30)
    g.expect(r"\npc\s+0x[0-9a-f]+", 30)
    g.sendline("continue &")
    g.expect("Continuing", 30)
    time.sleep(1)
    g.sendline("interrupt")
    g.expect(r"received signal SIGINT, Interrupt", 30)
    g.sendline("info registers pc priv")
    g.expect(r"\npc\s+0x[0-9a-f]+", 30)
    g.expect(r"\npriv\s+0x[013]\s+prv:[013]", 30)
    g.sendline("info threads")
    g.expect(r"\* 1\s+Thread 1 \(hart 0\)", 30)
    g.expect(r"\n  2\s+Thread 2 \(hart 1\)", 30)
    # The other hart has registers of its own: another idle stack. (No
    # step there: gdb steps riscv with a breakpoint on the next
    # instruction, and an idle hart sleeps in wfi until an interrupt.)
    g.sendline("print/x $sp")
    sp1 = g.expect(r"\$\d+ = (0x[0-9a-f]+)", 30).group(1)
    g.sendline("thread 2")
    g.expect(r"Switching to thread 2", 30)
    g.sendline("print/x $sp")
    sp2 = g.expect(r"\$\d+ = (0x[0-9a-f]+)", 30).group(1)
    assert sp1 != sp2
    g.sendline("detach")
    g.expect("Detaching", 30)
    g.sendline("quit")
    assert g.wait(30) == 0
    # The guest goes on.
    c.sendline("echo ali''ve")
    c.expect("alive", 60)
    c.expect(PROMPT, 60)


def test_monitor_and_gdb_share_the_run_state(console, spin, tmp_path):
    port = free_port()
    sock = tmp_path / "qmp.sock"
    console([program("mimic-system-riscv64"), "-M", "virt", "-bios", "none",
             "-nographic", "-kernel", spin, "-S",
             "-gdb", f"tcp:127.0.0.1:{port}",
             "-qmp", f"unix:{sock},server=on,wait=off"])
    qmp = QMPClient(sock)
    assert qmp.cmd("query-status")["status"] == "prelaunch"
    g = console([require_tool("gdb-multiarch"), "-nx", "-q", spin])
    g.sendline(f"target remote 127.0.0.1:{port}")
    g.expect(r"0x0*1000 in \?\? \(\)", 60)
    g.sendline("continue &")
    g.expect("Continuing", 30)
    deadline = time.monotonic() + 10
    while not qmp.cmd("query-status")["running"]:
        assert time.monotonic() < deadline, "gdb's continue did not run it"
        time.sleep(0.1)
    # The monitor's stop is gdb's stop too.
    qmp.cmd("stop")
    g.expect(r"received signal SIGINT, Interrupt", 30)
    g.expect(r"spin \(\) at", 30)
    assert qmp.cmd("query-status")["status"] == "paused"
    g.sendline("print $a0 > 0")
    g.expect(r"\$1 = 1", 30)
    # gdb's own stop (Ctrl-C) pauses what the monitor sees.
    g.sendline("continue &")
    g.expect("Continuing", 30)
    time.sleep(0.5)
    assert qmp.cmd("query-status")["running"] is True
    g.sendline("interrupt")
    g.expect(r"received signal SIGINT, Interrupt", 30)
    assert qmp.cmd("query-status") == {"running": False, "singlestep": False,
                                       "status": "debug"}
    # Events as QEMU sends them: gdb's two continues and its interrupt,
    # besides the monitor's own stop.
    for name in ("RESUME", "RESUME", "STOP", "STOP"):
        qmp.get_event(name)
    # gdb's monitor command reaches HMP.
    g.sendline("monitor info status")
    g.expect(r"VM status: debug", 30)
    g.sendline("kill")
    g.expect(r"killed", 30)
    g.sendline("quit")
