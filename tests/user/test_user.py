# SPDX-License-Identifier: MIT
# mimic-riscv64 against Debian's qemu-riscv64: our own C programs (static
# and dynamic), busybox, signals, bad input and the command line.
import os
import pathlib
import shutil
import subprocess

import pytest

from harness import program, require_tool

HERE = pathlib.Path(__file__).resolve().parent
PROGS = HERE / "progs"
SYSROOT = "/usr/riscv64-linux-gnu"
# Programs whose output and status must match qemu-riscv64's exactly.
COMPARED = ["fileio", "dirs", "procs", "signals", "threads", "threadsig", "sockets",
            "timers", "mmapfile", "sigbus", "smc", "divide"]
TIMEOUT = 120
# Both execution engines run the programs (MIMIC_ACCEL, inherited by the
# riscv64 programs a guest executes).
ENGINES = ["interp", "jit"]


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Cross-compile every tests/user/progs/*.c, static and dynamic."""
    cc = shutil.which("riscv64-linux-gnu-gcc")
    if not cc:
        pytest.skip("riscv64-linux-gnu-gcc not installed")
    out = tmp_path_factory.mktemp("user-progs")
    for src in sorted(PROGS.glob("*.c")):
        for kind, flags in (("static", ["-static"]), ("dyn", [])):
            exe = out / f"{src.stem}-{kind}"
            subprocess.run([cc, "-O2", "-pthread", *flags, "-o", str(exe), str(src)],
                           check=True, timeout=TIMEOUT)
    return out


def run(argv, **kw):
    return subprocess.run([str(a) for a in argv], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=TIMEOUT, **kw)


def mimic(*args, engine=None, **kw):
    if engine:
        kw["env"] = dict(kw.get("env", os.environ), MIMIC_ACCEL=engine)
    return run([program("mimic-riscv64"), *args], **kw)


def qemu(*args, **kw):
    return run([require_tool("qemu-riscv64"), *args], **kw)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("kind", ["static", "dyn"])
@pytest.mark.parametrize("name", COMPARED)
def test_program_matches_qemu(built, name, kind, engine):
    exe = built / f"{name}-{kind}"
    expected = qemu("-L", SYSROOT, exe)
    got = mimic("-L", SYSROOT, exe, engine=engine)
    assert got.stdout.decode() == expected.stdout.decode(), got.stderr.decode()
    assert got.returncode == expected.returncode, got.stderr.decode()


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("kind", ["static", "dyn"])
def test_illegal_instruction_dies_of_sigill(built, kind, engine):
    exe = built / f"sigill-{kind}"
    expected = qemu("-L", SYSROOT, exe)
    got = mimic("-L", SYSROOT, exe, engine=engine)
    assert expected.returncode == -4
    assert got.returncode == -4
    assert got.stdout == b"before\n"
    # and from a shell: 128 + 4
    mim = program("mimic-riscv64")
    sh = run(["sh", "-c", f"{mim} -L {SYSROOT} {exe} >/dev/null 2>&1; echo $?"])
    assert sh.stdout.strip() == b"132"


def test_default_sysroot_is_used_without_L(built):
    if not os.path.isdir(SYSROOT):
        pytest.skip(f"{SYSROOT} is not installed")
    got = mimic(built / "threads-dyn")
    assert got.returncode == 0, got.stderr.decode()
    assert b"joined sum 1200" in got.stdout


def one_line_error(result, *needles):
    lines = result.stderr.decode().splitlines()
    assert result.returncode == 1
    assert len(lines) == 1, lines
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def test_missing_program(tmp_path):
    path = tmp_path / "nothing-here"
    line = one_line_error(mimic(path), str(path), "No such file")
    assert line.startswith("mimic-riscv64: ")


def test_not_an_elf(tmp_path):
    path = tmp_path / "script.sh"
    path.write_text("#!/bin/sh\necho hi\n")
    one_line_error(mimic(path), str(path), "not an ELF file")


def test_elf_for_another_machine():
    one_line_error(mimic("/bin/true"), "/bin/true", "x86-64, not riscv64")


def test_truncated_elf(built, tmp_path):
    path = tmp_path / "truncated"
    data = (built / "fileio-static").read_bytes()
    path.write_bytes(data[:200])
    one_line_error(mimic(path), str(path), "truncated ELF")
    path.write_bytes(data[:40])
    one_line_error(mimic(path), str(path), "truncated ELF")


def test_truncated_elf_segment(built, tmp_path):
    path = tmp_path / "cut"
    data = (built / "fileio-static").read_bytes()
    path.write_bytes(data[:len(data) // 2])
    one_line_error(mimic(path), str(path), "truncated ELF")


def test_accel_option_picks_the_engine(busybox):
    env = {k: v for k, v in os.environ.items() if k != "MIMIC_ACCEL"}
    got = mimic("-d", "in_asm", busybox, "true", env=env)
    assert got.returncode == 0
    assert b"IN: (jit)" in got.stderr, "the jit is the default"
    got = mimic("-accel", "jit", "-d", "in_asm", busybox, "true")
    assert got.returncode == 0
    assert b"IN: (jit)" in got.stderr
    got = mimic("-d", "in_asm", busybox, "true", engine="interp")
    assert got.returncode == 0
    assert b"IN: (jit)" not in got.stderr
    bad = mimic("-accel", "turbo", busybox, "true")
    one_line_error(bad, "turbo")
    bad = mimic(busybox, "true", engine="turbo")
    one_line_error(bad, "turbo")


def test_no_program_and_bad_option():
    one_line_error(mimic(), "no program")
    one_line_error(mimic("-bogus", "x"), "-bogus")
    one_line_error(mimic("-cpu", "pentium", "x"), "pentium")


def test_version_help_and_cpu_help():
    v = mimic("-version")
    assert v.returncode == 0 and v.stdout.startswith(b"mimic-riscv64 version ")
    h = mimic("-help")
    assert h.returncode == 0
    for opt in (b"-L path", b"-E var=value", b"-U var", b"-0 argv0", b"-strace",
                b"MIMIC_LD_PREFIX"):
        assert opt in h.stdout
    c = mimic("-cpu", "help")
    assert c.returncode == 0 and b"rv64" in c.stdout


@pytest.fixture(scope="session")
def busybox():
    try:
        from mimic_images import image_dir
        path = image_dir() / "busybox"
    except Exception as err:  # noqa: BLE001 - any failure means no images
        pytest.skip(f"guest images not available: {err}")
    if not path.exists():
        pytest.skip(f"{path} not built")
    return path


def test_argv0_env_and_strace(busybox, tmp_path):
    env = dict(os.environ, KEEP="kept", DROP="dropped")
    got = mimic("-E", "ADDED=yes", "-U", "DROP", busybox,
                "sh", "-c", 'echo "$0|$ADDED|$KEEP|${DROP-unset}"', env=env)
    assert got.stdout == b"sh|yes|kept|unset\n", got.stderr
    # -0 sets argv[0]: busybox picks the applet from it
    got = mimic("-0", "echo", busybox, "via", "argv0")
    assert got.stdout == b"via argv0\n"
    got = mimic("-strace", busybox, "echo", "traced")
    assert got.stdout == b"traced\n"
    err = got.stderr.decode()
    assert 'write(1,0x' in err and "= 7" in err
    assert "exit_group(0)" in err
    env = dict(os.environ, MIMIC_STRACE="1")
    got = mimic(busybox, "true", env=env)
    assert b"exit_group(0)" in got.stderr
    logfile = tmp_path / "log"
    got = mimic("-D", logfile, "-strace", busybox, "true")
    assert got.stderr == b""
    assert "exit_group(0)" in logfile.read_text()


def test_guest_view_of_proc_and_uname(busybox):
    assert mimic(busybox, "uname", "-m").stdout == b"riscv64\n"
    cpuinfo = mimic(busybox, "cat", "/proc/cpuinfo").stdout.decode()
    assert "isa\t\t: rv64" in cpuinfo
    maps = mimic(busybox, "cat", "/proc/self/maps").stdout.decode()
    assert "[stack]" in maps and str(busybox) in maps
    exe = mimic(busybox, "readlink", "/proc/self/exe").stdout.decode().strip()
    assert exe == str(busybox.resolve())
    auxv = mimic(busybox, "od", "-An", "-tx8", "-w16", "/proc/self/auxv").stdout.decode()
    pairs = [line.split() for line in auxv.splitlines() if line.strip()]
    types = {int(p[0], 16): int(p[1], 16) for p in pairs}
    assert types[6] == 4096  # AT_PAGESZ
    imafdc = sum(1 << (ord(c) - ord("a")) for c in "imafdc")
    assert types[16] & imafdc == imafdc  # AT_HWCAP: one bit per letter


def test_exec_of_riscv_program_runs_under_mimic(busybox, tmp_path):
    bindir = tmp_path / "bin"
    bindir.mkdir()
    for applet in ("sh", "echo", "cat", "wc"):
        (bindir / applet).symlink_to(busybox)
    env = dict(os.environ, PATH=str(bindir))
    got = mimic(bindir / "sh", "-c", "echo one two | wc -w; exec cat /proc/self/exe",
                env=env)
    assert got.returncode == 0, got.stderr
    assert got.stdout.split(b"\n")[0].strip() == b"2"
    # the exec'd cat reads /proc/self/exe: the riscv64 busybox itself
    assert got.stdout.endswith(busybox.read_bytes())


@pytest.mark.parametrize("engine", ENGINES)
def test_busybox_suite_matches_host_busybox(busybox, tmp_path, engine):
    host_bb = require_tool("busybox")
    script = HERE / "busybox-suite.sh"
    results = []
    for side in ("host", "guest"):
        bindir = tmp_path / f"{side}-bin"
        work = tmp_path / f"{side}-work"
        bindir.mkdir()
        work.mkdir()
        target = host_bb if side == "host" else busybox
        applets = run([host_bb, "--list"]).stdout.decode().split()
        for applet in applets:
            (bindir / applet).symlink_to(target)
        env = dict(os.environ, PATH=str(bindir), LC_ALL="C", TZ="UTC",
                   MIMIC_ACCEL=engine)
        if side == "host":
            argv = [host_bb, "sh", script]
        else:
            argv = [program("mimic-riscv64"), busybox, "sh", script]
        results.append(run(argv, cwd=work, env=env))
    host, guest = results
    assert host.returncode == 0, host.stdout.decode() + host.stderr.decode()
    assert guest.stdout.decode() == host.stdout.decode(), guest.stderr.decode()
    assert guest.returncode == 0
    assert b"done\n" in guest.stdout


def test_binfmt_register_and_remove(built, tmp_path):
    """Opt-in (MIMIC_TEST_BINFMT=1): it changes the whole host's binfmt_misc
    table for a moment."""
    if os.environ.get("MIMIC_TEST_BINFMT") != "1":
        pytest.skip("set MIMIC_TEST_BINFMT=1 to register binfmt_misc on this host")
    if os.geteuid() != 0:
        pytest.skip("binfmt_misc registration needs root")
    script = HERE.parent.parent / "scripts" / "binfmt-register"
    name = f"mimic-test-{os.getpid()}"
    reg = run([script, "--name", name, program("mimic-riscv64")])
    if reg.returncode != 0:
        pytest.skip(f"binfmt_misc unavailable: {reg.stderr.decode().strip()}")
    try:
        entry = pathlib.Path(f"/proc/sys/fs/binfmt_misc/{name}").read_text()
        assert "flags: PF" in entry
        exe = built / "threads-static"
        got = run([exe])
        assert b"joined sum 1200" in got.stdout
    finally:
        run([script, "--remove", "--name", name])
    assert not pathlib.Path(f"/proc/sys/fs/binfmt_misc/{name}").exists()


@pytest.fixture(scope="session")
def speedtest1():
    """sqlite's speedtest1 for riscv64, built from Debian's sqlite3 source
    by tests/user/build-speedtest1 (cached outside the checkout)."""
    script = HERE / "build-speedtest1"
    try:
        done = subprocess.run([str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=1800)
    except subprocess.TimeoutExpired:
        pytest.skip("building speedtest1 took more than 30 minutes")
    if done.returncode != 0:
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-1:]
        pytest.skip(f"speedtest1 could not be built: {tail}")
    return pathlib.Path(done.stdout.decode().strip().splitlines()[-1])


def strip_times(text):
    """speedtest1 prints a time after each step; everything else must match."""
    import re
    return re.sub(r" +[0-9.]+s$", "", text, flags=re.M)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("db", [":memory:", "file"])
def test_sqlite_speedtest1_matches_qemu(speedtest1, tmp_path, db, engine):
    outputs = []
    for name, runner in (("qemu", qemu), ("mimic", mimic)):
        target = db if db == ":memory:" else str(tmp_path / f"{name}.db")
        extra = {"engine": engine} if name == "mimic" else {}
        got = runner(speedtest1, "--size", "3", target, **extra)
        assert got.returncode == 0, got.stderr.decode()
        outputs.append(strip_times(got.stdout.decode()))
    assert "TOTAL" in outputs[0]
    assert outputs[1] == outputs[0]


def pty_session(emulator, busybox, steps):
    """Run busybox sh -i on a pseudo-terminal. steps: (bytes to type, text
    to wait for afterwards); returns the whole transcript and the status."""
    import pty
    import select
    import time
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(emulator, [emulator, str(busybox), "sh", "-i"])
    out = b""

    def wait_for(marker, seconds=60):
        nonlocal out
        start = len(out)
        end = time.monotonic() + seconds
        while marker.encode() not in out[start:] and time.monotonic() < end:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                try:
                    data = os.read(fd, 4096)
                except OSError:
                    return
                if not data:
                    return
                out += data
    try:
        wait_for("# ")
        for data, marker in steps:
            os.write(fd, data)
            wait_for(marker)
        _, status = os.waitpid(pid, 0)
        wait_for("\0", 0.5)
    finally:
        os.close(fd)
    return out.decode(errors="replace"), os.waitstatus_to_exitcode(status)


def test_interactive_shell_on_a_terminal(busybox):
    """Terminal ioctls, job control and ^C to a foreground child."""
    # The foreground child announces itself, so ^C cannot come too early.
    steps = [(b"stty size; tty >/dev/null && echo is-a-tty; echo $((6*7)); "
              b"sh -c 'echo child-$((1+1)); exec sleep 30'\n", "child-2"),
             (b"\x03", "# "),
             (b"echo after-int; exit 5\n", "after-int\r\n")]
    expected = pty_session(require_tool("qemu-riscv64"), busybox, steps)
    got = pty_session(str(program("mimic-riscv64")), busybox, steps)
    for marker in ("is-a-tty", "42", "^C", "after-int"):
        assert marker in expected[0]
        assert marker in got[0], got[0]
    assert got[1] == expected[1] == 5


@pytest.mark.parametrize("kind", ["static", "dyn"])
def test_clone3(built, kind):
    """qemu-riscv64 7.2 has no clone3, so this one checks fixed output."""
    got = mimic("-L", SYSROOT, built / f"clone3-{kind}")
    assert got.stdout == b"clone3 child exited 21\nsmall size -1\n", got.stderr
    assert got.returncode == 0


def test_unknown_syscalls_enosys_logged_once(built):
    exe = built / "unimp-static"
    expected = qemu(exe)
    got = mimic("-d", "unimp", exe)
    assert got.stdout == expected.stdout
    assert got.stdout.count(b"enosys 1") == 4
    log = got.stderr.decode().splitlines()
    assert log.count("unsupported syscall 1000") == 1, log
    assert log.count("unsupported syscall 0 (io_setup)") == 1, log
    # without -d unimp nothing is logged
    assert mimic(exe).stderr == b""
