# SPDX-License-Identifier: MIT
# mimic-virtiofsd under a real frontend: Debian's qemu-system-riscv64 boots our guest and mounts the share.
"""The guest mounts the share with `mount -t virtiofs myfs /mnt` and runs a
file-system script; the host then checks the tree it left. The same script
runs once against QEMU's own virtiofsd, to show the test itself is right."""
import os
import pathlib
import shutil
import stat
import subprocess
import time

import pytest

from harness import BUILD, program

try:
    import mimic_images
except ImportError:  # the images are another engineer's work in progress
    mimic_images = None

QEMU = "qemu-system-riscv64"
QEMU_VIRTIOFSD = "/usr/lib/qemu/virtiofsd"
MEMORY = "512M"
MANY = 10000

GUEST_FS_TEST = r"""
set -e
cd /mnt/work
step() { echo "step: $*"; }
step create-write-read
echo hello > a.txt
test "$(cat a.txt)" = hello
step append
echo world >> a.txt
test "$(wc -l < a.txt)" = 2
step truncate
printf 0123456789 > t.txt
truncate -s 4 t.txt
test "$(cat t.txt)" = 0123
truncate -s 100 t.txt
test "$(stat -c %s t.txt)" = 100
truncate -s 4 t.txt
step rename
mv a.txt b.txt
test ! -e a.txt
test "$(head -n 1 b.txt)" = hello
step links
ln b.txt hard.txt
test "$(stat -c %h b.txt)" = 2
ln -s b.txt sym.txt
test "$(readlink sym.txt)" = b.txt
test "$(head -n 1 sym.txt)" = hello
step chmod
chmod 640 b.txt
test "$(stat -c %a hard.txt)" = 640
step mkdir-p
mkdir -p deep/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16/17/18/19/20/21/22/23/24/25
echo bottom > deep/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16/17/18/19/20/21/22/23/24/25/leaf
test "$(cat deep/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16/17/18/19/20/21/22/23/24/25/leaf)" = bottom
step sparse
dd if=/dev/zero of=sparse bs=1M seek=2048 count=1 2>/dev/null
test "$(stat -c %s sparse)" = 2148532224
step data
dd if=/dev/urandom of=rand bs=64k count=32 2>/dev/null
cp rand rand2
cmp rand rand2
md5sum rand > rand.md5
step rmdir-unlink
mkdir gone
touch gone/x
rm gone/x
rmdir gone
test ! -e gone
step readdir
test "$(ls /mnt/many | wc -l)" = __MANY__
test "$(ls -l /mnt/many | grep -c '^-')" = __MANY__
test "$(find /mnt/many -name 'f9999')" = /mnt/many/f9999
step sync
sync
echo FSTEST-OK
"""

GUEST_ESCAPE_TEST = r"""
cd /mnt
for p in /mnt/../outside/secret /mnt/../../outside/secret /mnt/rel-out /mnt/abs-out \
         /mnt/dir-out/secret /mnt/dir-out/../outside/secret; do
    cat "$p" 2>/dev/null && echo "LEAK via $p"
done
# Racing renames: a directory moves back and forth while paths through it are used.
mkdir -p race/a/sub
( i=0; while [ $i -lt 100 ]; do mv race/a race/b 2>/dev/null; mv race/b race/a 2>/dev/null; i=$((i+1)); done ) &
i=0
while [ $i -lt 100 ]; do
    cat race/a/sub/../../../outside/secret 2>/dev/null && echo LEAK-race
    cat race/b/sub/../../../../outside/secret 2>/dev/null && echo LEAK-race
    i=$((i+1))
done
wait
# Symlinks the guest makes point into the guest's own namespace.
ln -s /etc/guest-only evil
echo pwned > evil
test -f /etc/guest-only && echo guest-side-write
echo ESCAPE-DONE
"""


def images():
    if mimic_images is None:
        pytest.skip("tests/mimic_images.py does not exist yet")
    try:
        return mimic_images.image_dir()
    except Exception as e:  # noqa: BLE001 - any build failure is a skip reason here
        pytest.skip(f"guest images are not available: {e}")


def require(path):
    if not shutil.which(path) and not os.path.exists(path):
        pytest.skip(f"{path} is not installed")
    return path


def populate(shared):
    (shared / "work").mkdir()
    many = shared / "many"
    many.mkdir()
    for i in range(MANY):
        (many / f"f{i}").write_bytes(b"")


def start_backend(kind, shared, sock, log, extra=()):
    if kind == "mimic":
        argv = [str(program("mimic-virtiofsd")), "--socket-path", str(sock),
                "--shared-dir", str(shared), *extra]
    else:
        argv = [require(QEMU_VIRTIOFSD), f"--socket-path={sock}", "-o", f"source={shared}",
                "-o", "cache=auto"]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=open(log, "w"))
    deadline = time.monotonic() + 10
    while not sock.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"{argv[0]} did not create {sock}:\n{log.read_text()}")
        time.sleep(0.05)
    return proc


def vhost_user_fs_args(sock, device_opts=""):
    return ["-object", f"memory-backend-memfd,id=mem,size={MEMORY},share=on",
            "-machine", "memory-backend=mem",
            "-chardev", f"socket,id=char0,path={sock}",
            "-device", f"vhost-user-fs-pci,chardev=char0,tag=myfs{device_opts}"]


def run_guest(tmp_path, shared, script, backend="mimic", frontend=QEMU, extra=(),
              timeout=300, device_opts=""):
    """Boot the guest with the share mounted, run script; return (status, output)."""
    images()
    if frontend == QEMU:
        require(QEMU)
    (shared / "guest-test.sh").write_text(script)
    sock = tmp_path / "vfs.sock"
    log = tmp_path / f"{backend}-backend.log"
    proc = start_backend(backend, shared, sock, log, extra)
    argv = mimic_images.qemu_argv(
        qemu=frontend, memory=MEMORY, append="quiet",
        command="mount -t virtiofs myfs /mnt && sh /mnt/guest-test.sh",
        extra=vhost_user_fs_args(sock, device_opts))
    try:
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=timeout)
        output = done.stdout.decode(errors="replace")
        backend_status = proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    (shared / "guest-test.sh").unlink()
    return done.returncode, output, backend_status, log.read_text()


def check_tree(shared):
    work = shared / "work"
    assert (work / "b.txt").read_text() == "hello\nworld\n"
    assert not (work / "a.txt").exists()
    assert (work / "t.txt").read_bytes() == b"0123"
    b, hard = os.stat(work / "b.txt"), os.stat(work / "hard.txt")
    assert b.st_ino == hard.st_ino and b.st_nlink == 2
    assert stat.S_IMODE(b.st_mode) == 0o640
    assert os.readlink(work / "sym.txt") == "b.txt"
    leaf = work / "deep" / "/".join(str(i) for i in range(1, 26)) / "leaf"
    assert leaf.read_text() == "bottom\n"
    sparse = os.stat(work / "sparse")
    assert sparse.st_size == 2048 * 2**20 + 2**20
    assert sparse.st_blocks * 512 < 64 * 2**20, "the sparse file was written out in full"
    assert (work / "rand").read_bytes() == (work / "rand2").read_bytes()
    assert len((work / "rand").read_bytes()) == 2 * 2**20
    assert not (work / "gone").exists()
    assert len(os.listdir(shared / "many")) == MANY


@pytest.mark.parametrize("backend", ["mimic", "mimic-threads-cache-always", "mimic-packed-ring",
                                     "qemu-virtiofsd"])
def test_guest_file_system(tmp_path, backend):
    shared = tmp_path / "shared"
    shared.mkdir()
    populate(shared)
    extra = ["--thread-pool-size", "4", "--cache", "always"] if "threads" in backend else []
    status, out, bstatus, blog = run_guest(tmp_path, shared,
                                           GUEST_FS_TEST.replace("__MANY__", str(MANY)),
                                           backend="qemu" if backend.startswith("qemu") else "mimic",
                                           extra=extra,
                                           device_opts=",packed=on" if "packed" in backend else "")
    assert "FSTEST-OK" in out and status == 0, f"guest output:\n{out[-4000:]}\nbackend:\n{blog}"
    check_tree(shared)
    if backend.startswith("mimic"):
        assert bstatus == 0, f"mimic-virtiofsd exited with {bstatus}:\n{blog}"


def test_guest_escape_attempts_fail(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret").write_text("HOST-SECRET\n")
    shared = tmp_path / "shared"
    shared.mkdir()
    os.symlink("../outside/secret", shared / "rel-out")
    os.symlink(str(outside / "secret"), shared / "abs-out")
    os.symlink(str(outside), shared / "dir-out")
    status, out, _, blog = run_guest(tmp_path, shared, GUEST_ESCAPE_TEST)
    assert "ESCAPE-DONE" in out, f"guest output:\n{out[-4000:]}\nbackend:\n{blog}"
    assert "HOST-SECRET" not in out and "LEAK" not in out
    # The guest wrote through its own symlink into its own /etc, not the host's.
    assert "guest-side-write" in out
    assert not os.path.exists("/etc/guest-only")
    assert os.readlink(shared / "evil") == "/etc/guest-only"
    assert (outside / "secret").read_text() == "HOST-SECRET\n"
    assert sorted(os.listdir(outside)) == ["secret"]


@pytest.mark.parametrize("backend", ["mimic", "qemu"])
def test_guest_through_mimic_frontend(tmp_path, backend):
    """The same file-system test with mimic-system-riscv64 as the frontend,
    against mimic-virtiofsd and QEMU's C virtiofsd."""
    mimic = BUILD / "mimic-system-riscv64"
    if not mimic.exists():
        pytest.skip("mimic-system-riscv64 is not built")
    try:
        probe = subprocess.run([str(mimic), "-device", "help"], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as e:
        pytest.skip(f"cannot run mimic-system-riscv64 -device help: {e}")
    if b"vhost-user-fs" not in probe.stdout:
        pytest.skip("mimic-system-riscv64 has no vhost-user-fs-pci device yet")
    shared = tmp_path / "shared"
    shared.mkdir()
    populate(shared)
    status, out, _, blog = run_guest(tmp_path, shared,
                                     GUEST_FS_TEST.replace("__MANY__", str(MANY)),
                                     backend=backend, frontend=str(mimic), timeout=600)
    assert "FSTEST-OK" in out and status == 0, f"guest output:\n{out[-4000:]}\nbackend:\n{blog}"
    check_tree(shared)


def test_print_capabilities():
    out = subprocess.run([str(program("mimic-virtiofsd")), "--print-capabilities"],
                         stdout=subprocess.PIPE, check=True, text=True).stdout
    import json
    assert json.loads(out) == {"type": "fs"}


@pytest.mark.parametrize("argv, message", [
    ([], "--shared-dir is required"),
    (["--socket-path", "/tmp/x.sock"], "--shared-dir is required"),
    (["--socket-path", "/tmp/x.sock", "--shared-dir", "/nonexistent-dir"],
     "shared directory '/nonexistent-dir': No such file or directory"),
    (["--socket-path", "/tmp/x.sock", "--shared-dir", "/etc/hostname"],
     "Not a directory"),
    (["--shared-dir", "/tmp"], "exactly one of --socket-path and --fd"),
    (["--cache", "sometimes"], "invalid value 'sometimes' for --cache"),
    (["--bogus"], "unknown option '--bogus'"),
    (["-o", "source=/tmp,frobnicate"], "unknown -o option 'frobnicate'"),
])
def test_bad_command_lines(argv, message):
    done = subprocess.run([str(program("mimic-virtiofsd")), *argv], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=10)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], done.stderr
    assert lines[0].startswith("mimic-virtiofsd: ")


def test_help_and_version():
    exe = str(program("mimic-virtiofsd"))
    out = subprocess.run([exe, "--help"], stdout=subprocess.PIPE, text=True, check=True).stdout
    for opt in ("--socket-path", "--fd", "--shared-dir", "--tag", "--cache", "--sandbox",
                "--seccomp", "--thread-pool-size", "--readonly", "--xattr", "--log-level",
                "--print-capabilities", "-o source="):
        assert opt in out
    out = subprocess.run([exe, "--version"], stdout=subprocess.PIPE, text=True, check=True).stdout
    assert out.startswith("mimic-virtiofsd ")
