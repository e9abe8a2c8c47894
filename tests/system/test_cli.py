# SPDX-License-Identifier: MIT
# mimic-system-riscv64's command line: the device tree dump, bad input,
# bare-metal boot with -bios none and the serial backends.
import os
import re
import shutil
import socket
import subprocess
import time

import pytest

from harness import program, require_tool

DEVICE_NODES = ("serial@10000000", "plic@c000000", "clint@2000000",
                "rtc@101000", "test@100000", "poweroff", "reboot",
                "memory@80000000", "cpu@0", "cpu@1", "cpu-map", "chosen")


def emu():
    return str(program("mimic-system-riscv64"))


def run_emu(*args, timeout=60):
    return subprocess.run([emu(), *args], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout)


def test_dumpdtb_round_trips_through_dtc(tmp_path):
    dtc = require_tool("dtc")
    dtb = tmp_path / "virt.dtb"
    spin = tmp_path / "spin.bin"
    spin.write_bytes(b"\x6f\x00\x00\x00")  # j .
    r = run_emu("-M", f"virt,dumpdtb={dtb}", "-smp", "2", "-m", "512M",
                "-bios", "none", "-kernel", str(spin),
                "-append", "console=ttyS0 quiet")
    assert r.returncode == 0, r.stderr
    dts = subprocess.run([dtc, "-I", "dtb", "-O", "dts", str(dtb)],
                         capture_output=True, text=True, check=True).stdout
    for node in DEVICE_NODES:
        assert re.search(rf"\b{re.escape(node)} {{", dts), node
    assert 'compatible = "ns16550a"' in dts
    assert re.search(r'"sifive,plic-1\.0\.0(\\0|", ")riscv,plic0"', dts)
    assert 'compatible = "google,goldfish-rtc"' in dts
    assert 'bootargs = "console=ttyS0 quiet"' in dts
    assert 'stdout-path = "/soc/serial@10000000"' in dts
    assert "reg = <0x00 0x80000000 0x00 0x20000000>" in dts
    assert "timebase-frequency = <0x989680>" in dts
    # and dtc can compile its own output back to a tree
    back = tmp_path / "back.dtb"
    subprocess.run([dtc, "-I", "dts", "-O", "dtb", "-o", str(back), "-"],
                   input=dts, text=True, capture_output=True, check=True)
    assert back.stat().st_size > 0
    # -dtb: that tree instead of ours, /chosen filled in from the options
    again = tmp_path / "again.dtb"
    r = run_emu("-M", f"virt,dumpdtb={again}", "-dtb", str(back),
                "-bios", "none", "-kernel", str(spin), "-append", "other")
    assert r.returncode == 0, r.stderr
    dts = subprocess.run([dtc, "-I", "dtb", "-O", "dts", str(again)],
                         capture_output=True, text=True, check=True).stdout
    assert "cpu@1 {" in dts and 'bootargs = "other"' in dts


def test_bad_dtb_and_append_without_kernel(tmp_path):
    junk = tmp_path / "junk.dtb"
    junk.write_bytes(b"not a tree" * 10)
    line = one_line_failure(run_emu("-nographic", "-dtb", str(junk)))
    assert "junk.dtb" in line and "device tree" in line
    line = one_line_failure(run_emu("-nographic", "-append", "x"))
    assert "-append needs -kernel" in line


def one_line_failure(r):
    assert r.returncode == 1, (r.returncode, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    return lines[0]


def test_missing_kernel(tmp_path):
    line = one_line_failure(run_emu("-nographic", "-kernel",
                                    str(tmp_path / "nope")))
    assert "nope" in line and "No such file" in line


def test_corrupt_kernels(tmp_path):
    junk = tmp_path / "junk"
    junk.write_bytes(os.urandom(4096))
    line = one_line_failure(run_emu("-nographic", "-kernel", str(junk)))
    assert "junk" in line
    elf = tmp_path / "bad.elf"
    elf.write_bytes(b"\x7fELF\x02\x01\x01" + b"\0" * 9 + b"\x02\0\xf3\0" +
                    b"\xff" * 100)
    line = one_line_failure(run_emu("-nographic", "-kernel", str(elf)))
    assert "bad.elf" in line and "corrupt" in line


def test_initrd_larger_than_ram(tmp_path):
    kernel = tmp_path / "k.bin"
    kernel.write_bytes(b"\x6f\x00\x00\x00")  # j .
    big = tmp_path / "big.cpio"
    with open(big, "wb") as f:
        f.truncate(40 << 20)
    line = one_line_failure(run_emu("-nographic", "-m", "32M", "-bios",
                                    "none", "-kernel", str(kernel),
                                    "-initrd", str(big)))
    assert "initrd" in line and "does not fit" in line


@pytest.mark.parametrize("args,words", [
    (["-frobnicate"], ["unknown option", "-frobnicate"]),
    (["-device", "no-such-device"], ["unknown device", "no-such-device"]),
    (["-m", "0"], ["-m", "greater than 0"]),
    (["-m", "12Q"], ["-m", "12Q"]),
    (["-m", "100000G"], ["-m"]),
    (["-smp", "9"], ["-smp", "out of range"]),
    (["-M", "pc"], ["unsupported machine", "pc"]),
    (["-M", "virt,bogus=1"], ["unknown parameter", "bogus"]),
    (["-gdb", "chardev:dbg"], ["-gdb", "chardev: is not supported"]),
    (["-gdb", "serial0"], ["gdb address", "serial0"]),
    (["-icount", "1"], ["-icount", "not supported yet"]),
    (["-drive", "file=/nonexistent/x.img"], ["x.img"]),
    (["-serial", "tcp:nohostport"], ["-serial", "HOST:PORT"]),
    (["-serial", "vc:80x24"], ["-serial", "unknown"]),
    (["-chardev", "socket,id=c"], ["path= or port="]),
    (["-kernel"], ["needs an argument"]),
])
def test_bad_input_gives_one_line_and_status_1(args, words):
    line = one_line_failure(run_emu("-nographic", *args))
    assert line.startswith("mimic-system-riscv64: "), line
    for w in words:
        assert w in line, (w, line)


def test_version_and_help():
    r = run_emu("--version")
    assert r.returncode == 0 and "mimic-system-riscv64 version" in r.stdout
    r = run_emu("-help")
    assert r.returncode == 0
    for opt in ("-machine", "-kernel", "-serial", "-chardev", "-no-reboot"):
        assert opt in r.stdout


BARE_METAL = r"""
    .globl _start
_start:
    li t0, 0x10000000       /* UART THR */
    la t1, msg
1:  lbu t2, 0(t1)
    beqz t2, 2f
    sb t2, 0(t0)
    addi t1, t1, 1
    j 1b
2:  li t0, 0x100000         /* SiFive test finisher */
    li t1, (42 << 16) | 0x3333
    sw t1, 0(t0)
3:  j 3b
msg: .asciz "hello from M-mode\n"
"""


ECHO = r"""
    .globl _start
_start:
    li t0, 0x10000000
1:  lbu t1, 5(t0)           /* LSR */
    andi t1, t1, 1          /* data ready */
    beqz t1, 1b
    lbu t2, 0(t0)           /* RBR */
    li t3, '.'
    beq t2, t3, 2f
    addi t2, t2, -32        /* to upper case */
    sb t2, 0(t0)
    j 1b
2:  li t0, 0x100000
    li t1, 0x5555
    sw t1, 0(t0)
3:  j 3b
"""


def build_bare_metal(tmp_path, name, source):
    gcc = shutil.which("riscv64-linux-gnu-gcc")
    if not gcc:
        pytest.skip("riscv64-linux-gnu-gcc not found")
    src = tmp_path / f"{name}.S"
    src.write_text(source)
    elf = tmp_path / f"{name}.elf"
    subprocess.run([gcc, "-nostdlib", "-static", "-Wl,-Ttext=0x80000000",
                    "-Wl,--no-relax", "-Wl,-N", "-Wl,--build-id=none",
                    "-Wl,--no-warn-rwx-segments", "-o", str(elf), str(src)],
                   check=True)
    return elf


def test_serial_input_and_output_over_a_socket(tmp_path):
    elf = build_bare_metal(tmp_path, "echo", ECHO)
    path = tmp_path / "s.sock"
    p = subprocess.Popen([emu(), "-bios", "none", "-kernel", str(elf),
                          "-display", "none", "-chardev",
                          f"socket,id=ser,path={path},server=on,wait=off",
                          "-serial", "chardev:ser"],
                         stdin=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while not path.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        s = socket.socket(socket.AF_UNIX)
        s.connect(str(path))
        s.settimeout(20)
        text = b"abcdefghijklmnopqrstuvwxyz" * 40  # > FIFO and buffers
        s.sendall(text)
        got = b""
        while len(got) < len(text):
            chunk = s.recv(4096)
            assert chunk, got
            got += chunk
        assert got == text.upper()
        s.sendall(b".")
        assert p.wait(20) == 0
        s.close()
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


@pytest.fixture
def bare_metal_elf(tmp_path):
    gcc = shutil.which("riscv64-linux-gnu-gcc")
    if not gcc:
        pytest.skip("riscv64-linux-gnu-gcc not found")
    src = tmp_path / "hello.S"
    src.write_text(BARE_METAL)
    elf = tmp_path / "hello.elf"
    subprocess.run([gcc, "-nostdlib", "-static", "-Wl,-Ttext=0x80000000",
                    "-Wl,--no-relax", "-Wl,-N", "-Wl,--build-id=none",
                    "-Wl,--no-warn-rwx-segments", "-o", str(elf), str(src)], check=True)
    return elf


def test_bios_none_runs_elf_in_m_mode_serial_to_file(tmp_path, bare_metal_elf):
    out = tmp_path / "serial.txt"
    r = run_emu("-M", "virt", "-display", "none", "-bios", "none",
                "-kernel", str(bare_metal_elf), "-serial", f"file:{out}")
    assert r.returncode == 42, r.stderr
    assert out.read_text() == "hello from M-mode\n"


def test_serial_on_unix_socket_server(tmp_path, bare_metal_elf):
    path = tmp_path / "serial.sock"
    p = subprocess.Popen([emu(), "-bios", "none", "-kernel",
                          str(bare_metal_elf), "-S", "-nographic",
                          "-serial", f"unix:{path},server=on,wait=on"],
                         stdin=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while not path.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        s = socket.socket(socket.AF_UNIX)
        s.connect(str(path))
        # -S: nothing runs without a monitor to continue, and the guest
        # clock stays put; the connection itself must not end mimic.
        time.sleep(0.5)
        assert p.poll() is None, p.stderr.read()
        s.close()
    finally:
        p.kill()
        p.wait()


def test_pidfile(tmp_path, bare_metal_elf):
    pidfile = tmp_path / "pid"
    r = run_emu("-bios", "none", "-kernel", str(bare_metal_elf),
                "-serial", "null", "-pidfile", str(pidfile))
    assert r.returncode == 42
    assert not pidfile.exists()  # removed at exit


def spawn_on_pty(args):
    """Run mimic with a pseudo-terminal as stdin/stdout; return (proc,
    master fd, slave fd, the terminal settings before it started)."""
    import pty
    import termios
    master, slave = pty.openpty()
    before = termios.tcgetattr(slave)
    proc = subprocess.Popen([emu(), *args], stdin=slave, stdout=slave,
                            stderr=slave, start_new_session=True)
    return proc, master, slave, before


def read_until(fd, pattern, timeout=10):
    import select
    data, deadline = b"", time.monotonic() + timeout
    while pattern not in data and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                data += os.read(fd, 4096)
            except OSError:
                break
    return data


@pytest.mark.parametrize("how", ["ctrl-a-x", "sigterm", "guest-exit"])
def test_terminal_restored_on_exit(tmp_path, how, bare_metal_elf):
    import signal
    import termios
    spin = tmp_path / "spin.bin"
    spin.write_bytes(b"\x6f\x00\x00\x00")  # j .
    kernel = bare_metal_elf if how == "guest-exit" else spin
    proc, master, slave, before = spawn_on_pty(
        ["-nographic", "-bios", "none", "-kernel", str(kernel)])
    try:
        if how == "guest-exit":
            assert b"hello from M-mode" in read_until(master, b"M-mode")
        else:
            deadline = time.monotonic() + 10
            # wait for raw mode: echo goes off
            while termios.tcgetattr(slave)[3] & termios.ECHO:
                assert time.monotonic() < deadline, "never entered raw mode"
                time.sleep(0.05)
            if how == "ctrl-a-x":
                os.write(master, b"\x01x")
            else:
                proc.send_signal(signal.SIGTERM)
        proc.wait(20)
        assert termios.tcgetattr(slave) == before
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
        os.close(slave)


def test_serial_on_a_pty(tmp_path):
    import termios
    import tty
    elf = build_bare_metal(tmp_path, "echo", ECHO)
    p = subprocess.Popen([emu(), "-bios", "none", "-kernel", str(elf),
                          "-display", "none", "-serial", "pty"],
                         stdin=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        line = p.stderr.readline().decode()
        m = re.match(r"char device redirected to (/dev/pts/\d+) \(label (\S+)\)",
                     line)
        assert m, line
        fd = os.open(m.group(1), os.O_RDWR | os.O_NOCTTY)
        tty.setraw(fd)
        termios.tcflush(fd, termios.TCIOFLUSH)
        os.write(fd, b"pty")
        got = read_until(fd, b"PTY")
        assert b"PTY" in got
        os.write(fd, b".")
        assert p.wait(20) == 0
        os.close(fd)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


def test_sigterm_ends_cleanly(tmp_path):
    import signal
    spin = tmp_path / "spin.bin"
    spin.write_bytes(b"\x6f\x00\x00\x00")  # j .
    pidfile = tmp_path / "pid"
    p = subprocess.Popen([emu(), "-bios", "none", "-kernel", str(spin),
                          "-display", "none", "-serial", "null",
                          "-pidfile", str(pidfile)],
                         stdin=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         text=True)
    deadline = time.monotonic() + 10
    while not pidfile.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    p.send_signal(signal.SIGTERM)
    assert p.wait(20) == 0
    assert "terminating on signal 15" in p.stderr.read()
    assert not pidfile.exists()


def test_serial_on_tcp(tmp_path):
    elf = build_bare_metal(tmp_path, "echo", ECHO)
    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    p = subprocess.Popen([emu(), "-bios", "none", "-kernel", str(elf),
                          "-display", "none", "-serial",
                          f"tcp:127.0.0.1:{port},server=on,wait=off"],
                         stdin=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                s = socket.create_connection(("127.0.0.1", port))
                break
            except ConnectionRefusedError:
                assert time.monotonic() < deadline and p.poll() is None
                time.sleep(0.05)
        s.settimeout(20)
        s.sendall(b"tcp")
        got = b""
        while len(got) < 3:
            got += s.recv(16)
        assert got == b"TCP"
        s.sendall(b".")
        assert p.wait(20) == 0
        s.close()
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


def test_daemonize_as_a_management_tool_runs_it(tmp_path):
    """-daemonize with the options libvirt passes: the command returns 0
    once the machine runs; the daemon answers QMP (query-uuid gives -uuid),
    writes the serial log, and ends on quit, removing its pidfile."""
    from qmp import QMPClient
    import vm
    vm.images()
    sock, pidfile, log = tmp_path / "qmp.sock", tmp_path / "pid", tmp_path / "serial.log"
    uuid = "6A2F1C8E-0B7D-4E5F-9A1B-2C3D4E5F6A7B"
    argv = [a for a in vm.argv(extra=[
        "-daemonize", "-pidfile", str(pidfile), "-uuid", uuid, "-nodefaults",
        "-no-user-config", "-boot", "strict=on", "-msg", "timestamp=on",
        "-overcommit", "mem-lock=off", "-display", "none", "-serial", f"file:{log}",
        "-qmp", f"unix:{sock},server=on,wait=off"]) if a != "-nographic"]
    start = time.monotonic()
    r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    assert time.monotonic() - start < 30
    pid = int(pidfile.read_text())
    try:
        q = QMPClient(sock)
        assert q.cmd("query-status")["status"] == "running"
        assert q.cmd("query-uuid") == {"UUID": uuid.lower()}
        deadline = time.monotonic() + vm.BOOT_TIMEOUT
        while "Linux version" not in log.read_text(errors="replace"):
            assert time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.2)
        q.cmd("quit")
        deadline = time.monotonic() + 30
        while os.path.exists(f"/proc/{pid}") and "zombie" not in open(
                f"/proc/{pid}/status").read().lower():
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert not pidfile.exists()
    finally:
        if os.path.exists(f"/proc/{pid}"):
            os.kill(pid, 9)


@pytest.mark.parametrize("args, message", [
    (["-daemonize", "-nographic"], r"-nographic cannot be used with -daemonize"),
    (["-daemonize", "-serial", "stdio"], r"-daemonize cannot be used with a stdio"),
    (["-uuid", "1234"], r"-uuid: '1234' is not a UUID"),
    (["-overcommit", "mem-lock=maybe"], r"-overcommit: invalid mem-lock 'maybe'"),
    (["-boot", "order=c,bogus=1"], r"-boot: unknown parameter 'bogus'"),
])
def test_management_options_refused(args, message, tmp_path):
    r = run_emu("-M", "virt", "-display", "none", "-bios", "none", *args)
    assert r.returncode == 1, r
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and re.search(message, lines[0]), r.stderr


def test_msg_timestamp_prefixes_errors():
    r = run_emu("-msg", "timestamp=on", "-kernel", "/nonexistent/Image", "-display", "none")
    assert r.returncode == 1
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z mimic-system-riscv64: ",
                    r.stderr), r.stderr
