# SPDX-License-Identifier: MIT
# mimic-virtiofsd driven at the protocol level: a vhost-user frontend and FUSE client in Python.
"""No guest here: the test plays QEMU (vhost-user messages, guest memory in a
memfd, split virtqueues built by hand) and the guest kernel's FUSE client, so
every operation, escape attempt and malformed request is checked in seconds,
with the daemon's default sandbox and seccomp filter (kill) in force."""
import errno
import mmap
import os
import select
import socket
import stat
import struct
import subprocess
import time

import pytest

from harness import program

# vhost-user requests
GET_FEATURES, SET_FEATURES, SET_OWNER = 1, 2, 3
SET_MEM_TABLE = 5
SET_VRING_NUM, SET_VRING_ADDR, SET_VRING_BASE, GET_VRING_BASE = 8, 9, 10, 11
SET_VRING_KICK, SET_VRING_CALL = 12, 13
GET_PROTOCOL_FEATURES, SET_PROTOCOL_FEATURES = 15, 16
SET_VRING_ENABLE = 18
GET_CONFIG = 24
F_PROTOCOL_FEATURES = 1 << 30
F_VERSION_1 = 1 << 32
PF_REPLY_ACK = 1 << 3
PF_CONFIG = 1 << 9

# FUSE opcodes
LOOKUP, FORGET, GETATTR, SETATTR, READLINK, SYMLINK = 1, 2, 3, 4, 5, 6
MKNOD, MKDIR, UNLINK, RMDIR, RENAME, LINK, OPEN, READ, WRITE = 8, 9, 10, 11, 12, 13, 14, 15, 16
STATFS, RELEASE, FSYNC, SETXATTR, GETXATTR = 17, 18, 20, 21, 22
FLUSH, INIT, OPENDIR, READDIR, RELEASEDIR = 25, 26, 27, 28, 29
ACCESS, CREATE, DESTROY, BATCH_FORGET = 34, 35, 38, 42
FALLOCATE, READDIRPLUS, RENAME2, LSEEK, COPY_FILE_RANGE, SYNCFS = 43, 44, 45, 46, 47, 50
ROOT = 1
FATTR_MODE, FATTR_SIZE = 1 << 0, 1 << 3

MEM_SIZE = 8 << 20
GPA = 0x80000000
UVA = 0x7f1200000000  # the "frontend's" address of the memory; any value works
RING = 64
REQ_OFF, REP_OFF = 0x100000, 0x400000
DESC_F_NEXT, DESC_F_WRITE = 1, 2


class Frontend:
    """Just enough of a vhost-user frontend and virtio-fs driver."""

    def __init__(self, path, protocol_features=True):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        deadline = time.monotonic() + 10
        while True:
            try:
                self.sock.connect(str(path))
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.sock.settimeout(10)
        self.memfd = os.memfd_create("guest")
        os.ftruncate(self.memfd, MEM_SIZE)
        self.mem = mmap.mmap(self.memfd, MEM_SIZE)
        self.kick = [os.eventfd(0, os.EFD_NONBLOCK) for _ in range(2)]
        self.call = [os.eventfd(0, os.EFD_NONBLOCK) for _ in range(2)]
        self.avail_idx = [0, 0]
        self.used_seen = [0, 0]
        self.unique = 0
        self.setup(protocol_features)

    # ---- vhost-user ----------------------------------------------------
    def send(self, req, payload=b"", fds=(), flags=1):
        hdr = struct.pack("<III", req, flags, len(payload))
        socket.send_fds(self.sock, [hdr + payload], list(fds))

    def recv_reply(self, req):
        hdr = self._recv_exact(12)
        got, flags, size = struct.unpack("<III", hdr)
        assert got == req and flags == 5, (got, flags)
        return self._recv_exact(size)

    def _recv_exact(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("backend closed the connection")
            data += chunk
        return data

    def get_u64(self, req):
        self.send(req)
        return struct.unpack("<Q", self.recv_reply(req))[0]

    def setup(self, protocol_features):
        features = self.get_u64(GET_FEATURES)
        assert features & F_VERSION_1
        if protocol_features:
            pf = self.get_u64(GET_PROTOCOL_FEATURES)
            self.protocol_features = pf
            self.send(SET_PROTOCOL_FEATURES, struct.pack("<Q", pf & (PF_REPLY_ACK | PF_CONFIG)))
        else:
            features &= ~F_PROTOCOL_FEATURES
        self.send(SET_OWNER)
        self.send(SET_FEATURES, struct.pack("<Q", features & (F_VERSION_1 | F_PROTOCOL_FEATURES)))
        region = struct.pack("<QQQQ", GPA, MEM_SIZE, UVA, 0)
        self.send(SET_MEM_TABLE, struct.pack("<II", 1, 0) + region, [self.memfd])
        for q in range(2):
            base = q * 0x10000
            self.send(SET_VRING_NUM, struct.pack("<II", q, RING))
            self.send(SET_VRING_ADDR, struct.pack("<IIQQQQ", q, 0, UVA + base,
                                                  UVA + base + 0x2000, UVA + base + 0x1000, 0))
            self.send(SET_VRING_BASE, struct.pack("<II", q, 0))
            self.send(SET_VRING_CALL, struct.pack("<Q", q), [self.call[q]])
            self.send(SET_VRING_KICK, struct.pack("<Q", q), [self.kick[q]])
            if protocol_features:
                self.send(SET_VRING_ENABLE, struct.pack("<II", q, 1))

    # ---- the virtqueue -------------------------------------------------
    def submit(self, q, out, in_size):
        """Post one request (out readable, in_size writable) and wait for it."""
        base = q * 0x10000
        head = (self.avail_idx[q] * 2) % RING
        self.mem[REQ_OFF:REQ_OFF + len(out)] = out
        struct.pack_into("<QIHH", self.mem, base + head * 16, GPA + REQ_OFF, len(out),
                         DESC_F_NEXT if in_size else 0, head + 1)
        struct.pack_into("<QIHH", self.mem, base + (head + 1) * 16, GPA + REP_OFF, in_size,
                         DESC_F_WRITE, 0)
        struct.pack_into("<H", self.mem, base + 0x1000 + 4 + 2 * (self.avail_idx[q] % RING), head)
        self.avail_idx[q] = (self.avail_idx[q] + 1) & 0xffff
        struct.pack_into("<H", self.mem, base + 0x1000 + 2, self.avail_idx[q])
        os.eventfd_write(self.kick[q], 1)
        deadline = time.monotonic() + 10
        while True:
            used_idx = struct.unpack_from("<H", self.mem, base + 0x2000 + 2)[0]
            if used_idx != self.used_seen[q]:
                break
            if time.monotonic() > deadline:
                raise TimeoutError("the backend did not complete the request")
            select.select([self.call[q]], [], [], 0.1)
        slot = base + 0x2000 + 4 + 8 * (self.used_seen[q] % RING)
        got_head, length = struct.unpack_from("<II", self.mem, slot)
        assert got_head == head
        self.used_seen[q] = (self.used_seen[q] + 1) & 0xffff
        return bytes(self.mem[REP_OFF:REP_OFF + length])

    # ---- FUSE ----------------------------------------------------------
    def fuse(self, opcode, nodeid=0, args=b"", in_size=1 << 20 | 4096, q=1, raw=None):
        """Send a request; return (error, payload) or None when no reply came."""
        self.unique += 2
        msg = raw if raw is not None else struct.pack(
            "<IIQQIIIHH", 40 + len(args), opcode, self.unique, nodeid, 0, 0, 1, 0, 0) + args
        reply = self.submit(q, msg, in_size)
        if not reply:
            return None
        length, error, unique = struct.unpack_from("<IiQ", reply)
        assert length == len(reply)
        if raw is None:
            assert unique == self.unique
        return error, reply[16:]

    def init(self):
        err, out = self.fuse(INIT, args=struct.pack("<IIII", 7, 38, 131072, 0) + bytes(48))
        assert err == 0
        return struct.unpack_from("<IIII", out)

    def lookup(self, parent, name):
        err, out = self.fuse(LOOKUP, parent, name.encode() + b"\0")
        return err, (parse_entry(out) if err == 0 else None)

    def close(self):
        self.sock.close()
        self.mem.close()
        for fd in self.kick + self.call + [self.memfd]:
            os.close(fd)


def parse_attr(buf, off=0):
    f = struct.unpack_from("<QQQQQQIIIIIIIIII", buf, off)
    return {"ino": f[0], "size": f[1], "blocks": f[2], "mode": f[9], "nlink": f[10],
            "uid": f[11], "gid": f[12]}


def parse_entry(buf):
    nodeid = struct.unpack_from("<Q", buf)[0]
    return {"nodeid": nodeid, **parse_attr(buf, 40)}


def name_arg(*names):
    return b"".join(n.encode() + b"\0" for n in names)


def parse_dirents(buf, plus=False, nodeids=None):
    names, pos = [], 0
    base = 128 if plus else 0
    while pos + base + 24 <= len(buf):
        ino, off, namelen, typ = struct.unpack_from("<QQII", buf, pos + base)
        names.append(buf[pos + base + 24:pos + base + 24 + namelen].decode())
        if plus and nodeids is not None:
            nodeids.append(struct.unpack_from("<Q", buf, pos)[0])
        pos += (base + 24 + namelen + 7) & ~7
    return names, off if names else 0


class Daemon:
    def __init__(self, tmp_path, *extra, shared=None):
        self.shared = shared or tmp_path / "shared"
        self.shared.mkdir(exist_ok=True)
        self.sock = tmp_path / "vfs.sock"
        self.log = tmp_path / "virtiofsd.log"
        self.proc = subprocess.Popen(
            [str(program("mimic-virtiofsd")), "--socket-path", str(self.sock),
             "--shared-dir", str(self.shared), *extra],
            stdout=subprocess.DEVNULL, stderr=open(self.log, "w"))

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
        return self.proc.wait(timeout=10)

    def text(self):
        return self.log.read_text()


@pytest.fixture
def daemon(tmp_path):
    started = []

    def start(*extra, protocol_features=True, **kw):
        d = Daemon(tmp_path, *extra, **kw)
        started.append(d)
        fe = Frontend(d.sock, protocol_features)
        d.frontend = fe
        return d, fe

    yield start
    for d in started:
        d.frontend.close()
        d.stop()


def test_file_operations_reach_the_host(daemon):
    d, fe = daemon()
    major, minor, _, flags = fe.init()
    assert (major, minor) == (7, 38)
    # mkdir, create, write, read back
    err, out = fe.fuse(MKDIR, ROOT, struct.pack("<II", 0o755, 0) + name_arg("dir"))
    assert err == 0
    dir_id = parse_entry(out)["nodeid"]
    err, out = fe.fuse(CREATE, dir_id, struct.pack("<IIII", os.O_RDWR, 0o644, 0, 0) + name_arg("f"))
    assert err == 0
    file_id = parse_entry(out)["nodeid"]
    fh = struct.unpack_from("<Q", out, 128)[0]
    data = b"hello virtio-fs\n" * 1000
    err, out = fe.fuse(WRITE, file_id, struct.pack("<QQIIQII", fh, 0, len(data), 0, 0, 0, 0) + data)
    assert err == 0 and struct.unpack_from("<I", out)[0] == len(data)
    assert (d.shared / "dir" / "f").read_bytes() == data
    err, out = fe.fuse(READ, file_id, struct.pack("<QQIIQII", fh, 6, 9, 0, 0, 0, 0))
    assert (err, out) == (0, b"virtio-fs")
    # truncate and chmod through SETATTR
    setattr_in = struct.pack("<IIQQQQQQIIIIIIII", FATTR_SIZE | FATTR_MODE, 0, 0, 5, 0, 0, 0, 0,
                             0, 0, 0, 0o600, 0, 0, 0, 0)
    err, out = fe.fuse(SETATTR, file_id, setattr_in)
    assert err == 0 and parse_attr(out, 16)["size"] == 5
    st = os.stat(d.shared / "dir" / "f")
    assert st.st_size == 5 and stat.S_IMODE(st.st_mode) == 0o600
    assert fe.fuse(RELEASE, file_id, struct.pack("<QIIQ", fh, 0, 0, 0))[0] == 0
    # symlink, readlink, hard link, rename, unlink, rmdir
    assert fe.fuse(SYMLINK, dir_id, name_arg("ln", "f"))[0] == 0
    assert os.readlink(d.shared / "dir" / "ln") == "f"
    err, e = fe.lookup(dir_id, "ln")
    assert err == 0 and fe.fuse(READLINK, e["nodeid"]) == (0, b"f")
    err, out = fe.fuse(LINK, dir_id, struct.pack("<Q", file_id) + name_arg("hard"))
    assert err == 0 and parse_entry(out)["nlink"] == 2
    assert fe.fuse(RENAME, dir_id, struct.pack("<Q", ROOT) + name_arg("hard", "moved"))[0] == 0
    assert (d.shared / "moved").read_bytes() == b"hello"
    assert fe.fuse(UNLINK, ROOT, name_arg("moved"))[0] == 0
    assert not (d.shared / "moved").exists()
    assert fe.fuse(RMDIR, ROOT, name_arg("dir"))[0] == -errno.ENOTEMPTY
    # statfs and getattr of the root
    err, out = fe.fuse(STATFS, ROOT)
    assert err == 0 and struct.unpack_from("<Q", out)[0] > 0
    err, out = fe.fuse(GETATTR, ROOT, bytes(16))
    assert err == 0 and stat.S_ISDIR(parse_attr(out, 16)["mode"])
    assert d.alive()


def test_readdir_and_readdirplus_see_every_entry(daemon, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    for i in range(3000):
        (shared / f"entry-{i:05d}").write_bytes(b"")
    d, fe = daemon()
    fe.init()
    for opcode, plus in ((READDIR, False), (READDIRPLUS, True)):
        err, out = fe.fuse(OPENDIR, ROOT, struct.pack("<II", 0, 0))
        assert err == 0
        fh = struct.unpack_from("<Q", out)[0]
        seen, offset = [], 0
        while True:
            err, out = fe.fuse(opcode, ROOT, struct.pack("<QQIIQII", fh, offset, 4096, 0, 0, 0, 0))
            assert err == 0
            nodeids = []
            names, offset = parse_dirents(out, plus, nodeids)
            if not names:
                break
            seen += names
            # Drop the entries again, as a kernel short of memory would.
            forgets = [n for n in nodeids if n]
            if forgets:
                batch = struct.pack("<II", len(forgets), 0) + b"".join(
                    struct.pack("<QQ", n, 1) for n in forgets)
                assert fe.fuse(BATCH_FORGET, 0, batch, q=0) is None
        assert sorted(n for n in seen if not n.startswith(".")) == \
            [f"entry-{i:05d}" for i in range(3000)]
        assert fe.fuse(RELEASEDIR, ROOT, struct.pack("<QIIQ", fh, 0, 0, 0))[0] == 0


def test_escape_attempts_fail(daemon, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret").write_text("top secret")
    shared = tmp_path / "shared"
    shared.mkdir()
    os.symlink("../outside/secret", shared / "rel-out")
    os.symlink(str(outside / "secret"), shared / "abs-out")
    os.symlink(str(outside), shared / "dir-out")
    d, fe = daemon()
    fe.init()
    # Names with '..' or '/' never reach the host.
    for name in ("..", ".", "../outside", "a/../../outside", "/etc"):
        assert fe.lookup(ROOT, name)[0] == -errno.EINVAL, name
    # A symlink is looked up as itself; opening it never follows it.
    for link in ("rel-out", "abs-out"):
        err, e = fe.lookup(ROOT, link)
        assert err == 0 and stat.S_ISLNK(e["mode"])
        assert fe.fuse(OPEN, e["nodeid"], struct.pack("<II", os.O_RDONLY, 0))[0] == -errno.ELOOP
        assert fe.fuse(SETATTR, e["nodeid"], struct.pack(
            "<IIQQQQQQIIIIIIII", FATTR_SIZE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))[0] < 0
    # A symlink to a directory outside is not a directory to walk through.
    err, e = fe.lookup(ROOT, "dir-out")
    assert err == 0
    assert fe.lookup(e["nodeid"], "secret")[0] == -errno.ENOTDIR
    err, _ = fe.fuse(CREATE, e["nodeid"], struct.pack("<IIII", os.O_RDWR, 0o644, 0, 0)
                     + name_arg("planted"))
    assert err == -errno.ENOTDIR
    # Creating over a symlink does not write through it.
    err, _ = fe.fuse(CREATE, ROOT, struct.pack("<IIII", os.O_RDWR | os.O_TRUNC, 0o644, 0, 0)
                     + name_arg("abs-out"))
    assert err < 0
    # The guest renaming things cannot move anything out of the share.
    assert fe.fuse(RENAME, ROOT, struct.pack("<Q", ROOT) + name_arg("rel-out", "x"))[0] == 0
    assert (outside / "secret").read_text() == "top secret"
    assert sorted(os.listdir(outside)) == ["secret"]
    assert d.alive()


def server_pid(d):
    """The process serving requests: the namespace sandbox forks a child."""
    children = open(f"/proc/{d.proc.pid}/task/{d.proc.pid}/children").read().split()
    return int(children[0]) if children else d.proc.pid


def test_sandbox_and_seccomp_are_in_force(daemon):
    d, fe = daemon()
    fe.init()
    pid = server_pid(d)
    status = open(f"/proc/{pid}/status").read()
    assert "Seccomp:\t2" in status
    if os.geteuid() == 0:
        assert pid != d.proc.pid, "no PID namespace child"
        cap_eff = int(next(l for l in status.splitlines() if l.startswith("CapEff")).split()[1], 16)
        assert not cap_eff & (1 << 21), "CAP_SYS_ADMIN kept"
        root = os.stat(f"/proc/{pid}/root")
        shared = os.stat(d.shared)
        assert (root.st_dev, root.st_ino) == (shared.st_dev, shared.st_ino), \
            "the daemon's root is not the shared directory"
        for ns in ("mnt", "net", "pid", "ipc"):
            assert os.readlink(f"/proc/{pid}/ns/{ns}") != os.readlink(f"/proc/self/ns/{ns}"), ns
        # PID 1 of its own namespace: it sees no other process.
        assert "NSpid:" in status and status.split("NSpid:")[1].split("\n")[0].split()[-1] == "1"


def test_readonly_refuses_changes(daemon):
    d, fe = daemon("--readonly")
    fe.init()
    assert fe.fuse(MKDIR, ROOT, struct.pack("<II", 0o755, 0) + name_arg("x"))[0] == -errno.EROFS
    assert fe.fuse(CREATE, ROOT, struct.pack("<IIII", os.O_RDWR, 0o644, 0, 0)
                   + name_arg("x"))[0] == -errno.EROFS
    assert not (d.shared / "x").exists()


def test_malformed_fuse_requests_get_errors_not_crashes(daemon):
    d, fe = daemon()
    fe.init()
    hdr = lambda length, opcode, nodeid=ROOT: struct.pack("<IIQQIIIHH", length, opcode, 77, nodeid,
                                                           0, 0, 1, 0, 0)
    # A header shorter than fuse_in_header: nothing to address a reply to.
    assert fe.fuse(0, raw=b"\x01\x02\x03") is None
    # len claims more than the buffer holds.
    assert fe.fuse(0, raw=hdr(4000, GETATTR) + bytes(16))[0] == -errno.EINVAL
    # A name without its NUL, an empty name, a name with a slash.
    for arg in (b"abc", b"\0", b"a/b\0"):
        assert fe.fuse(0, raw=hdr(40 + len(arg), LOOKUP) + arg)[0] == -errno.EINVAL
    # Unknown and unimplemented opcodes.
    assert fe.fuse(0, raw=hdr(40, 9999))[0] == -errno.ENOSYS
    assert fe.fuse(0, raw=hdr(40, 31))[0] == -errno.ENOSYS  # GETLK
    # Truncated fixed-size arguments; WRITE sizes past the payload.
    assert fe.fuse(0, raw=hdr(44, SETATTR) + bytes(4))[0] == -errno.EINVAL
    write = struct.pack("<QQIIQII", 1, 0, 1 << 20, 0, 0, 0, 0)
    assert fe.fuse(0, raw=hdr(40 + len(write) + 8, WRITE) + write + bytes(8))[0] == -errno.EINVAL
    # BATCH_FORGET promising more entries than sent: dropped, no reply.
    assert fe.fuse(0, raw=hdr(48, BATCH_FORGET) + struct.pack("<II", 1 << 30, 0), q=0) is None
    # Unknown node ids and handles.
    assert fe.fuse(GETATTR, 123456, bytes(16))[0] == -errno.ENOENT
    assert fe.fuse(READ, ROOT, struct.pack("<QQIIQII", 999, 0, 10, 0, 0, 0, 0))[0] == -errno.EBADF
    # A reply buffer too small for the answer.
    assert fe.fuse(GETATTR, ROOT, bytes(16), in_size=8) is None
    # Still serving.
    assert fe.fuse(GETATTR, ROOT, bytes(16))[0] == 0
    assert d.alive()


def test_forget_releases_inodes(daemon):
    d, fe = daemon()
    fe.init()
    (d.shared / "a").write_text("x")
    err, e = fe.lookup(ROOT, "a")
    assert err == 0
    assert fe.fuse(FORGET, e["nodeid"], struct.pack("<Q", 1), q=0) is None
    assert fe.fuse(GETATTR, e["nodeid"], bytes(16))[0] == -errno.ENOENT
    err, e2 = fe.lookup(ROOT, "a")
    assert err == 0 and e2["ino"] == e["ino"]


def test_config_space_carries_the_tag(daemon):
    d, fe = daemon("--tag", "mytag")
    assert fe.protocol_features & PF_CONFIG
    fe.send(GET_CONFIG, struct.pack("<III", 0, 40, 0) + bytes(40))
    reply = fe.recv_reply(GET_CONFIG)
    assert reply[12:12 + 5] == b"mytag" and reply[12 + 5] == 0
    assert struct.unpack_from("<I", reply, 12 + 36)[0] == 1


def test_malformed_vhost_user_message_closes_and_exits(daemon):
    d, fe = daemon()
    fe.send(SET_FEATURES, b"\x01\x02")  # SET_FEATURES needs 8 bytes
    assert d.proc.wait(timeout=10) == 0
    assert "malformed message" in d.text()


def test_exits_when_the_frontend_disconnects(daemon):
    d, fe = daemon()
    fe.init()
    fe.sock.close()
    assert d.proc.wait(timeout=10) == 0


def test_sigterm_ends_it_promptly(daemon):
    d, fe = daemon()
    pid = server_pid(d)
    start = time.monotonic()
    d.proc.terminate()
    d.proc.wait(timeout=5)
    assert time.monotonic() - start < 5
    # The server in the PID namespace goes with it.
    deadline = time.monotonic() + 5
    while os.path.exists(f"/proc/{pid}") and time.monotonic() < deadline:
        if open(f"/proc/{pid}/stat").read().split()[2] == "Z":
            break
        time.sleep(0.05)
    assert not os.path.exists(f"/proc/{pid}") or \
        open(f"/proc/{pid}/stat").read().split()[2] == "Z"


def test_rings_without_protocol_features(daemon):
    d, fe = daemon(protocol_features=False)
    fe.init()
    assert fe.fuse(GETATTR, ROOT, bytes(16))[0] == 0


def test_thread_pool_serves_requests(daemon):
    d, fe = daemon("--thread-pool-size", "4")
    fe.init()
    for i in range(50):
        err, out = fe.fuse(MKDIR, ROOT, struct.pack("<II", 0o755, 0) + name_arg(f"d{i}"))
        assert err == 0
    assert len(os.listdir(d.shared)) == 50


def test_more_operations_under_the_seccomp_filter(daemon):
    """Each of these system calls must be on the allowlist (seccomp=kill)."""
    d, fe = daemon("--xattr")
    fe.init()
    err, out = fe.fuse(CREATE, ROOT, struct.pack("<IIII", os.O_RDWR, 0o644, 0, 0) + name_arg("a"))
    assert err == 0
    a_id, a_fh = parse_entry(out)["nodeid"], struct.unpack_from("<Q", out, 128)[0]
    err, out = fe.fuse(CREATE, ROOT, struct.pack("<IIII", os.O_RDWR, 0o644, 0, 0) + name_arg("b"))
    b_id, b_fh = parse_entry(out)["nodeid"], struct.unpack_from("<Q", out, 128)[0]
    data = b"0123456789" * 100
    assert fe.fuse(WRITE, a_id, struct.pack("<QQIIQII", a_fh, 0, len(data), 0, 0, 0, 0) + data)[0] == 0
    # fallocate beyond the end, lseek for data, copy_file_range
    assert fe.fuse(FALLOCATE, a_id, struct.pack("<QQQII", a_fh, 0, 1 << 20, 0, 0))[0] == 0
    assert os.path.getsize(d.shared / "a") == 1 << 20
    err, out = fe.fuse(LSEEK, a_id, struct.pack("<QQII", a_fh, 0, os.SEEK_DATA, 0))
    assert err == 0 and struct.unpack("<Q", out)[0] == 0
    err, out = fe.fuse(COPY_FILE_RANGE, a_id, struct.pack("<QQQQQQQ", a_fh, 0, b_id, b_fh, 0, 1000, 0))
    assert err == 0 and struct.unpack_from("<I", out)[0] == 1000
    assert (d.shared / "b").read_bytes() == data
    # fsync, fdatasync, flush, syncfs
    assert fe.fuse(FSYNC, a_id, struct.pack("<QII", a_fh, 0, 0))[0] == 0
    assert fe.fuse(FSYNC, a_id, struct.pack("<QII", a_fh, 1, 0))[0] == 0
    assert fe.fuse(FLUSH, a_id, struct.pack("<QIIQ", a_fh, 0, 0, 0))[0] == 0
    assert fe.fuse(SYNCFS, ROOT, struct.pack("<Q", 0))[0] == 0
    # access, mknod of a fifo, rename2 with EXCHANGE and NOREPLACE
    assert fe.fuse(ACCESS, a_id, struct.pack("<II", os.R_OK | os.W_OK, 0))[0] == 0
    err, out = fe.fuse(MKNOD, ROOT, struct.pack("<IIII", stat.S_IFIFO | 0o600, 0, 0, 0) + name_arg("fifo"))
    assert err == 0 and stat.S_ISFIFO(os.lstat(d.shared / "fifo").st_mode)
    err, e = fe.lookup(ROOT, "fifo")
    assert fe.fuse(OPEN, e["nodeid"], struct.pack("<II", os.O_RDONLY, 0))[0] == -errno.ENXIO
    assert fe.fuse(RENAME2, ROOT, struct.pack("<QII", ROOT, 2, 0) + name_arg("a", "b"))[0] == 0
    assert (d.shared / "a").read_bytes() == data
    assert fe.fuse(RENAME2, ROOT, struct.pack("<QII", ROOT, 1, 0)
                   + name_arg("a", "b"))[0] == -errno.EEXIST
    # extended attributes
    xerr, _ = fe.fuse(SETXATTR, a_id, struct.pack("<II", 5, 0) + name_arg("user.mimic") + b"value")
    if xerr != -errno.EOPNOTSUPP:
        assert xerr == 0
        err, out = fe.fuse(GETXATTR, a_id, struct.pack("<II", 0, 0) + name_arg("user.mimic"))
        assert err == 0 and struct.unpack_from("<I", out)[0] == 5
        assert fe.fuse(GETXATTR, a_id, struct.pack("<II", 64, 0) + name_arg("user.mimic")) == (0, b"value")
        err, out = fe.fuse(23, a_id, struct.pack("<II", 256, 0))  # LISTXATTR
        assert err == 0 and b"user.mimic\0" in out
        assert fe.fuse(24, a_id, name_arg("user.mimic"))[0] == 0  # REMOVEXATTR
    for fh, nid in ((a_fh, a_id), (b_fh, b_id)):
        assert fe.fuse(RELEASE, nid, struct.pack("<QIIQ", fh, 0, 0, 0))[0] == 0
    # DESTROY, then a new INIT works
    assert fe.fuse(DESTROY)[0] == 0
    fe.init()
    assert d.alive(), d.text()


def test_xattr_is_off_by_default(daemon):
    d, fe = daemon()
    fe.init()
    err, _ = fe.fuse(GETXATTR, ROOT, struct.pack("<II", 0, 0) + name_arg("user.x"))
    assert err == -errno.ENOSYS


def test_serves_an_inherited_socket_with_fd(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    proc = subprocess.Popen([str(program("mimic-virtiofsd")), "--fd", str(theirs.fileno()),
                             "--shared-dir", str(shared)], pass_fds=[theirs.fileno()],
                            stderr=subprocess.PIPE)
    theirs.close()
    try:
        fe = Frontend.__new__(Frontend)
        fe.sock = ours
        ours.settimeout(10)
        assert fe.get_u64(GET_FEATURES) & F_VERSION_1
        ours.close()
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def test_unprivileged_falls_back_with_one_line(tmp_path):
    """Without the rights for a sandbox the daemon says so once, then serves."""
    import shutil as _shutil
    import tempfile
    if os.geteuid() != 0 or not _shutil.which("setpriv"):
        pytest.skip("needs root and setpriv to run the daemon as nobody")
    top = tempfile.mkdtemp(prefix="mimic-vfs-nobody-")
    try:
        os.chmod(top, 0o777)
        shared = os.path.join(top, "shared")
        os.mkdir(shared)
        os.chmod(shared, 0o777)
        sock = os.path.join(top, "s")
        proc = subprocess.Popen(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                                 str(program("mimic-virtiofsd")), "--socket-path", sock,
                                 "--shared-dir", shared], stderr=subprocess.PIPE, text=True)
        try:
            fe = Frontend(sock)
            fe.init()
            assert fe.fuse(MKDIR, ROOT, struct.pack("<II", 0o755, 0) + name_arg("d"))[0] == 0
            fe.close()
            assert proc.wait(timeout=10) == 0
            warnings = [l for l in proc.stderr.read().splitlines() if "sandbox" in l]
            assert len(warnings) == 1 and "running without a sandbox" in warnings[0], warnings
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        assert os.path.isdir(os.path.join(shared, "d"))
    finally:
        _shutil.rmtree(top)


def test_legacy_o_options(tmp_path):
    """QEMU virtiofsd's -o source=...,xattr form, as management tools pass it."""
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "f").write_text("x")
    sock = tmp_path / "s"
    proc = subprocess.Popen([str(program("mimic-virtiofsd")), "--socket-path", str(sock),
                             "-o", f"source={shared},cache=always,xattr,no_flock"],
                            stderr=subprocess.PIPE)
    try:
        fe = Frontend(sock)
        fe.init()
        err, e = fe.lookup(ROOT, "f")
        assert err == 0
        err, _ = fe.fuse(GETXATTR, e["nodeid"], struct.pack("<II", 0, 0) + name_arg("user.none"))
        assert err != -errno.ENOSYS
        fe.close()
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


@pytest.mark.parametrize("sandbox", ["chroot", "none"])
def test_other_sandbox_modes(daemon, sandbox):
    d, fe = daemon("--sandbox", sandbox, "--seccomp", "log")
    fe.init()
    assert fe.fuse(MKDIR, ROOT, struct.pack("<II", 0o755, 0) + name_arg("d"))[0] == 0
    assert (d.shared / "d").is_dir()
    if os.geteuid() == 0:
        root = os.stat(f"/proc/{d.proc.pid}/root")
        want = os.stat(d.shared if sandbox == "chroot" else "/")
        assert (root.st_dev, root.st_ino) == (want.st_dev, want.st_ino)
    assert "sandbox:" not in d.text()
