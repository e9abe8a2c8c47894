# SPDX-License-Identifier: MIT
# mimic-img against Debian's qemu-img and qemu-io: images flow both ways.
import json
import os
import random
import struct
import subprocess

import pytest

from harness import program, require_tool

MiB = 1 << 20


@pytest.fixture
def tools():
    return {
        "mimic": str(program("mimic-img")),
        "qemu": require_tool("qemu-img"),
        "qemu_io": require_tool("qemu-io"),
    }


def run(*argv, check=True, cwd=None):
    proc = subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=120, cwd=cwd)
    if check and proc.returncode != 0:
        raise AssertionError(f"{argv} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc


def make_raw(path, size, seed, extents=40):
    """A sparse raw file: random data extents over holes, odd sizes."""
    rng = random.Random(seed)
    with open(path, "wb") as f:
        f.truncate(size)
        for _ in range(extents):
            off = rng.randrange(0, size)
            n = min(rng.randrange(1, 300_000), size - off)
            f.seek(off)
            f.write(rng.randbytes(n))
        # A run of a repeated byte compresses; data at the very end.
        f.seek(size // 2)
        f.write(b"\x5a" * 200_000)
        f.seek(size - 700)
        f.write(rng.randbytes(700))
    return path


def qemu_info(t, path, fmt=None):
    args = [t["qemu"], "info", "--output=json"] + (["-f", fmt] if fmt else []) + [path]
    return json.loads(run(*args).stdout)


def mimic_info(t, path, fmt=None):
    args = [t["mimic"], "info", "--output=json"] + (["-f", fmt] if fmt else []) + [path]
    return json.loads(run(*args).stdout)


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


@pytest.mark.parametrize("cluster,compat", [("64k", "1.1"), ("512", "1.1"), ("4k", "0.10"), ("2M", "1.1")])
def test_create_passes_qemu_check_and_info_agrees(tools, tmp_path, cluster, compat):
    img = tmp_path / "new.qcow2"
    run(tools["mimic"], "create", "-f", "qcow2", "-o", f"cluster_size={cluster},compat={compat}", img, "3G")
    assert run(tools["qemu"], "check", img, check=False).returncode == 0
    q, m = qemu_info(tools, img), mimic_info(tools, img)
    assert m == q
    assert run(tools["mimic"], "info", img).stdout == run(tools["qemu"], "info", img).stdout
    # The JSON text too, byte for byte (member order, spacing, no "\/").
    assert (run(tools["mimic"], "info", "--output=json", img).stdout
            == run(tools["qemu"], "info", "--output=json", img).stdout)
    assert q["format"] == m["format"] == "qcow2"
    assert q["virtual-size"] == m["virtual-size"] == 3 << 30
    assert q["cluster-size"] == m["cluster-size"]
    assert q["format-specific"]["data"]["compat"] == m["format-specific"]["data"]["compat"] == compat
    assert q["dirty-flag"] == m["dirty-flag"] is False
    if compat == "1.1":
        assert m["format-specific"]["data"]["refcount-bits"] == q["format-specific"]["data"]["refcount-bits"] == 16


@pytest.mark.parametrize("cluster", ["64k", "512", "2M"])
def test_convert_raw_to_qcow2_reads_back_in_qemu(tools, tmp_path, cluster):
    size = 24 * MiB + 3 * 512
    src = make_raw(tmp_path / "src.raw", size, seed=len(cluster))
    out = tmp_path / "out.qcow2"
    run(tools["mimic"], "convert", "-O", "qcow2", "-o", f"cluster_size={cluster}", src, out)
    assert run(tools["qemu"], "check", out, check=False).returncode == 0
    assert run(tools["qemu"], "compare", src, out, check=False).returncode == 0
    back = tmp_path / "back.raw"
    run(tools["qemu"], "convert", "-O", "raw", out, back)
    assert read_bytes(back) == read_bytes(src)
    # Holes stay holes: no bigger than qemu-img's own conversion.
    ref = tmp_path / "ref.qcow2"
    run(tools["qemu"], "convert", "-O", "qcow2", "-o", f"cluster_size={cluster}", src, ref)
    assert os.path.getsize(out) <= os.path.getsize(ref)
    assert qemu_info(tools, out)["virtual-size"] == size


def test_convert_compressed_is_valid_for_qemu(tools, tmp_path):
    src = make_raw(tmp_path / "src.raw", 16 * MiB, seed=7)
    out = tmp_path / "c.qcow2"
    run(tools["mimic"], "convert", "-c", "-O", "qcow2", src, out)
    chk = run(tools["qemu"], "check", out, check=False)
    assert chk.returncode == 0, chk.stdout + chk.stderr
    compressed = float(chk.stdout.split("fragmented, ")[1].split("%")[0])
    assert compressed > 0
    assert run(tools["qemu"], "compare", src, out, check=False).returncode == 0


def test_qemu_written_image_reads_identically(tools, tmp_path):
    img = tmp_path / "q.qcow2"
    run(tools["qemu"], "create", "-q", "-f", "qcow2", img, "64M")
    run(tools["qemu_io"], "-c", "write -P 0xab 1M 64k", "-c", "write -P 0x11 3000 5000",
        "-c", "write -z 2M 128k", "-c", "write -P 0x22 63M 1M", "-c", "write -P 0x33 10000k 7k", img)
    qraw, mraw = tmp_path / "q.raw", tmp_path / "m.raw"
    run(tools["qemu"], "convert", "-O", "raw", img, qraw)
    run(tools["mimic"], "convert", "-O", "raw", img, mraw)
    assert read_bytes(mraw) == read_bytes(qraw)
    assert run(tools["mimic"], "compare", img, qraw, check=False).returncode == 0
    # One flipped byte is a difference, at the right offset.
    data = bytearray(read_bytes(qraw))
    data[1 * MiB + 100] ^= 1
    (tmp_path / "x.raw").write_bytes(bytes(data))
    diff = run(tools["mimic"], "compare", img, tmp_path / "x.raw", check=False)
    assert diff.returncode == 1
    assert str(1 * MiB + 100) in diff.stdout


def test_qemu_compressed_image_reads_identically(tools, tmp_path):
    src = make_raw(tmp_path / "src.raw", 12 * MiB, seed=3)
    img = tmp_path / "c.qcow2"
    run(tools["qemu"], "convert", "-c", "-O", "qcow2", "-o", "cluster_size=4k", src, img)
    out = tmp_path / "out.raw"
    run(tools["mimic"], "convert", "-O", "raw", img, out)
    assert read_bytes(out) == read_bytes(src)
    assert run(tools["mimic"], "compare", img, src, check=False).returncode == 0
    assert run(tools["mimic"], "check", img, check=False).returncode == 0
    qmap = run(tools["qemu"], "map", "--output=json", img).stdout
    assert json.loads(run(tools["mimic"], "map", "--output=json", img).stdout) == json.loads(qmap)
    # The human map has no offset to show for compressed data.
    human = run(tools["mimic"], "map", img, check=False)
    assert human.returncode == run(tools["qemu"], "map", img, check=False).returncode == 1
    assert "compressed clusters" in human.stderr


def test_backing_chain_made_by_qemu(tools, tmp_path):
    base = make_raw(tmp_path / "base.raw", 8 * MiB, seed=11)
    mid, top = tmp_path / "mid.qcow2", tmp_path / "top.qcow2"
    run(tools["qemu"], "create", "-q", "-f", "qcow2", "-b", "base.raw", "-F", "raw", mid)
    run(tools["qemu_io"], "-c", "write -P 0x44 1M 100k", "-c", "write -z 5M 64k", mid)
    # The top is larger than its backing: the tail reads as zeros.
    run(tools["qemu"], "create", "-q", "-f", "qcow2", "-b", "mid.qcow2", "-F", "qcow2", top, "10M")
    run(tools["qemu_io"], "-c", "write -P 0x55 1050k 8k", "-c", "write -P 0x66 9M 4k", top)
    qraw, mraw = tmp_path / "q.raw", tmp_path / "m.raw"
    run(tools["qemu"], "convert", "-O", "raw", top, qraw)
    run(tools["mimic"], "convert", "-O", "raw", top, mraw)
    assert read_bytes(mraw) == read_bytes(qraw)
    m = mimic_info(tools, top)
    assert m["backing-filename"] == "mid.qcow2"
    assert m["backing-filename-format"] == "qcow2"
    qmap = json.loads(run(tools["qemu"], "map", "--output=json", top).stdout)
    mmap = json.loads(run(tools["mimic"], "map", "--output=json", top).stdout)
    assert mmap == qmap
    # The human forms are the same text, run from the image's directory.
    for cmd in (["map"], ["info"], ["info", "--backing-chain"]):
        q = run(tools["qemu"], *cmd, "top.qcow2", cwd=tmp_path).stdout
        assert run(tools["mimic"], *cmd, "top.qcow2", cwd=tmp_path).stdout == q
    chain = ["info", "--backing-chain", "--output=json", "top.qcow2"]
    q = json.loads(run(tools["qemu"], *chain, cwd=tmp_path).stdout)
    m = json.loads(run(tools["mimic"], *chain, cwd=tmp_path).stdout)
    assert [i["filename"] for i in m] == ["top.qcow2", "mid.qcow2", "base.raw"]
    assert m == q


def test_convert_into_existing_image(tools, tmp_path):
    src = make_raw(tmp_path / "src.raw", 8 * MiB, seed=23)
    img = tmp_path / "old.qcow2"
    run(tools["qemu"], "create", "-q", "-f", "qcow2", img, "8M")
    run(tools["qemu_io"], "-c", "write -P 0x99 0 8M", img)
    # -n overwrites: the old data under the source's holes must go too.
    run(tools["mimic"], "convert", "-n", src, img)
    assert run(tools["qemu"], "compare", src, img, check=False).returncode == 0
    assert run(tools["qemu"], "check", img, check=False).returncode == 0


def test_overlay_made_by_mimic_works_in_qemu(tools, tmp_path):
    base = make_raw(tmp_path / "base.raw", 4 * MiB, seed=13)
    top = tmp_path / "top.qcow2"
    run(tools["mimic"], "create", "-f", "qcow2", "-b", "base.raw", "-F", "raw", top)
    assert run(tools["qemu"], "check", top, check=False).returncode == 0
    q = qemu_info(tools, top)
    assert q["backing-filename"] == "base.raw"
    assert q["backing-filename-format"] == "raw"
    assert q["virtual-size"] == 4 * MiB
    assert run(tools["qemu"], "compare", top, base, check=False).returncode == 0
    run(tools["qemu_io"], "-c", "write -P 0x77 2000 3000", top)
    expect = bytearray(read_bytes(base))
    expect[2000:5000] = b"\x77" * 3000
    out = tmp_path / "out.raw"
    run(tools["mimic"], "convert", "-O", "raw", top, out)
    assert read_bytes(out) == bytes(expect)


def refblock0(path):
    """Offset and cluster size of the first refcount block of an image."""
    with open(path, "rb") as f:
        hdr = f.read(104)
        cluster = 1 << struct.unpack(">I", hdr[20:24])[0]
        f.seek(struct.unpack(">Q", hdr[48:56])[0])
        return struct.unpack(">Q", f.read(8))[0], cluster


def leak_one_cluster(path):
    rb, cluster = refblock0(path)
    size = os.path.getsize(path)
    with open(path, "r+b") as f:
        f.truncate(size + cluster)
        f.seek(rb + 2 * (size // cluster))
        f.write(struct.pack(">H", 1))


def drop_l1_refcount(path):
    rb, cluster = refblock0(path)
    with open(path, "r+b") as f:
        l1 = struct.unpack(">Q", f.read(48)[40:48])[0]
        f.seek(rb + 2 * (l1 // cluster))
        f.write(struct.pack(">H", 0))


@pytest.mark.parametrize("damage,code", [(None, 0), (leak_one_cluster, 3), (drop_l1_refcount, 2)])
def test_check_agrees_with_qemu(tools, tmp_path, damage, code):
    src = make_raw(tmp_path / "src.raw", 8 * MiB, seed=17)
    img = tmp_path / "img.qcow2"
    run(tools["qemu"], "convert", "-O", "qcow2", src, img)
    if damage:
        damage(img)
    q = run(tools["qemu"], "check", img, check=False)
    m = run(tools["mimic"], "check", img, check=False)
    assert q.returncode == m.returncode == code
    assert m.stdout == q.stdout
    mtext = run(tools["mimic"], "check", "--output=json", img, check=False).stdout
    qtext = run(tools["qemu"], "check", "--output=json", img, check=False).stdout
    assert mtext == qtext


def test_check_repairs_leaks(tools, tmp_path):
    img = tmp_path / "img.qcow2"
    run(tools["mimic"], "create", "-q", "-f", "qcow2", img, "64M")
    leak_one_cluster(img)
    assert run(tools["qemu"], "check", img, check=False).returncode == 3
    fix = run(tools["mimic"], "check", "-r", "leaks", img, check=False)
    assert fix.returncode == 0, fix.stdout + fix.stderr
    assert "1 leaked clusters" in fix.stdout
    assert run(tools["qemu"], "check", img, check=False).returncode == 0


def test_dirty_lazy_refcount_image(tools, tmp_path):
    img = tmp_path / "lazy.qcow2"
    run(tools["qemu"], "create", "-q", "-f", "qcow2", "-o", "lazy_refcounts=on", img, "16M")
    # abort leaves the image dirty, refcounts not written back.
    run(tools["qemu_io"], "-c", "write -P 0x12 0 256k", "-c", "abort", img, check=False)
    assert qemu_info(tools, img)["dirty-flag"] is True
    assert mimic_info(tools, img)["dirty-flag"] is True
    assert run(tools["mimic"], "info", img).stdout == run(tools["qemu"], "info", img).stdout
    q = run(tools["qemu"], "check", img, check=False)
    m = run(tools["mimic"], "check", img, check=False)
    assert (m.returncode, m.stdout) == (q.returncode, q.stdout)
    before = tmp_path / "before.raw"
    run(tools["mimic"], "convert", "-O", "raw", img, before)
    assert read_bytes(before)[:256 << 10] == b"\x12" * (256 << 10)
    # Opening it for writing recounts the refcounts first.
    run(tools["mimic"], "resize", img, "+1M")
    assert mimic_info(tools, img)["dirty-flag"] is False
    assert run(tools["qemu"], "check", img, check=False).returncode == 0
    assert run(tools["qemu"], "compare", img, before, check=False).returncode == 0


def test_resize_grows_and_keeps_data(tools, tmp_path):
    src = make_raw(tmp_path / "src.raw", 4 * MiB, seed=19)
    img = tmp_path / "img.qcow2"
    run(tools["mimic"], "convert", "-O", "qcow2", "-o", "cluster_size=512", src, img)
    out = run(tools["mimic"], "resize", img, "+1G")
    assert "Image resized." in out.stdout
    assert run(tools["qemu"], "check", img, check=False).returncode == 0
    assert qemu_info(tools, img)["virtual-size"] == 4 * MiB + (1 << 30)
    assert run(tools["qemu"], "compare", src, img, check=False).returncode == 0
    raw = tmp_path / "r.raw"
    run(tools["mimic"], "create", "-q", "-f", "raw", raw, "1M")
    run(tools["mimic"], "resize", "-f", "raw", raw, "3M")
    assert os.path.getsize(raw) == 3 * MiB
    assert run(tools["mimic"], "resize", img, "1M", check=False).returncode == 1


def test_probe_and_raw_info(tools, tmp_path):
    raw = tmp_path / "disk.img"
    run(tools["mimic"], "create", raw, "10M")
    m, q = mimic_info(tools, raw), qemu_info(tools, raw)
    assert m["format"] == q["format"] == "raw"
    assert m["virtual-size"] == q["virtual-size"] == 10 * MiB
    human = run(tools["mimic"], "info", raw).stdout
    assert "file format: raw" in human
    assert "virtual size: 10 MiB (10485760 bytes)" in human
    assert run(tools["mimic"], "check", raw, check=False).returncode == 63


def one_line_error(proc):
    lines = proc.stderr.strip().splitlines()
    return proc.returncode == 1 and len(lines) == 1 and lines[0].startswith("mimic-img: ")


def test_bad_input_is_one_clear_line(tools, tmp_path):
    m = tools["mimic"]
    missing = run(m, "info", tmp_path / "nope.qcow2", check=False)
    assert one_line_error(missing) and "nope.qcow2" in missing.stderr
    assert one_line_error(run(m, "create", "-f", "vmdk", tmp_path / "a", "1M", check=False))
    bad_size = run(m, "create", "-f", "qcow2", tmp_path / "a", "12Q", check=False)
    assert one_line_error(bad_size) and "12Q" in bad_size.stderr
    assert one_line_error(run(m, "create", "-f", "qcow2", "-o", "cluster_size=3000", tmp_path / "a", "1M", check=False))
    assert one_line_error(run(m, "frobnicate", check=False))
    img = tmp_path / "img.qcow2"
    run(m, "create", "-q", "-f", "qcow2", img, "1M")
    with open(img, "r+b") as f:
        f.seek(72)
        f.write(struct.pack(">Q", 1 << 9))
    unknown = run(m, "info", img, check=False)
    assert one_line_error(unknown) and "feature" in unknown.stderr
    with open(img, "r+b") as f:
        f.seek(36)
        f.write(struct.pack(">I", 0x7FFFFFFF))
    assert one_line_error(run(m, "convert", "-O", "raw", img, tmp_path / "o.raw", check=False))
    garbage = tmp_path / "garbage.qcow2"
    garbage.write_bytes(b"QFI\xfb" + bytes(range(256)) * 4)
    assert one_line_error(run(m, "check", garbage, check=False))


def test_help_for_every_command(tools):
    cmds = ("create", "info", "convert", "check", "resize", "compare", "map",
            "rebase", "commit", "snapshot", "measure", "amend", "dd")
    for cmd in cmds:
        out = run(tools["mimic"], cmd, "--help")
        assert out.stdout.startswith(f"usage: mimic-img {cmd}")
    listed = run(tools["mimic"], "--help").stdout.split("commands:\n")[1].split("\n\n")[0]
    assert [line.split()[0] for line in listed.splitlines()] == list(cmds)


@pytest.mark.parametrize("bits", [1, 8, 64])
def test_other_refcount_widths_are_written_correctly(tools, tmp_path, bits):
    """Growing the L1 table allocates clusters and moves the old table:
    refcounts of every width must come out right for qemu-img check."""
    img = tmp_path / "w.qcow2"
    run(tools["qemu"], "create", "-q", "-f", "qcow2", "-o", f"refcount_bits={bits},cluster_size=512", img, "1M")
    run(tools["qemu_io"], "-c", "write -P 0x42 1000 3000", img)
    run(tools["mimic"], "resize", img, "+2G")
    chk = run(tools["qemu"], "check", img, check=False)
    assert chk.returncode == 0, chk.stdout + chk.stderr
    assert mimic_info(tools, img)["format-specific"]["data"]["refcount-bits"] == bits
    out = tmp_path / "o.raw"
    run(tools["mimic"], "convert", "-O", "raw", img, out)
    with open(out, "rb") as f:
        assert f.read(5000)[1000:4000] == b"\x42" * 3000
    assert os.path.getsize(out) == (1 << 20) + (2 << 30)


@pytest.mark.parametrize("args", [
    ["-f", "qcow2", "{img}", "1000"],
    ["-f", "raw", "{img}", "1000"],
    ["-f", "qcow2", "-o", "compat=0.10,cluster_size=4096", "{img}", "1M"],
    ["-f", "qcow2", "-b", "base.raw", "-F", "raw", "{img}"],
])
def test_create_prints_and_rounds_like_qemu(tools, tmp_path, args):
    (tmp_path / "base.raw").write_bytes(b"\x01" * 3000)
    out = {}
    for name in ("mimic", "qemu"):
        img = f"{name}.img"
        argv = [a.replace("{img}", img) for a in args]
        out[name] = run(tools[name], "create", *argv, cwd=tmp_path).stdout.replace(img, "IMG")
        out[name + "-size"] = qemu_info(tools, tmp_path / img)["virtual-size"]
    assert out["mimic"] == out["qemu"]
    assert out["mimic-size"] == out["qemu-size"]


@pytest.mark.parametrize("pointer", [0, 1 << 40])
def test_check_repairs_lost_refcount_block(tools, tmp_path, pointer):
    """A refcount table entry zeroed, or pointing past the end: every
    cluster looks free. check -r all builds the block anew."""
    src = make_raw(tmp_path / "src.raw", 8 * MiB, seed=29)
    img = tmp_path / "img.qcow2"
    run(tools["mimic"], "convert", "-O", "qcow2", src, img)
    with open(img, "r+b") as f:
        f.seek(struct.unpack(">Q", f.read(56)[48:56])[0])
        f.write(struct.pack(">Q", pointer))
    q = run(tools["qemu"], "check", img, check=False)
    m = run(tools["mimic"], "check", img, check=False)
    assert q.returncode == m.returncode == 2
    assert m.stdout == q.stdout
    fix = run(tools["mimic"], "check", "-r", "all", img, check=False)
    assert fix.returncode == 0, fix.stdout
    assert "Double checking the fixed image now..." in fix.stdout
    assert run(tools["qemu"], "check", img, check=False).returncode == 0
    assert run(tools["qemu"], "compare", src, img, check=False).returncode == 0


def test_image_with_internal_snapshot(tools, tmp_path):
    """Snapshots hold references too: check counts them; the active
    layer reads right; a write leaves the snapshot as it was."""
    img = tmp_path / "snap.qcow2"
    run(tools["qemu"], "create", "-q", "-f", "qcow2", img, "16M")
    run(tools["qemu_io"], "-c", "write -P 1 0 1M", img)
    run(tools["qemu"], "snapshot", "-c", "s1", img)
    run(tools["qemu_io"], "-c", "write -P 2 512k 1M", img)
    q = run(tools["qemu"], "check", img, check=False)
    m = run(tools["mimic"], "check", img, check=False)
    assert q.returncode == m.returncode == 0
    assert m.stdout == q.stdout
    qraw, mraw = tmp_path / "q.raw", tmp_path / "m.raw"
    run(tools["qemu"], "convert", "-O", "raw", img, qraw)
    run(tools["mimic"], "convert", "-O", "raw", img, mraw)
    assert read_bytes(mraw) == read_bytes(qraw)
    # Writable since snapshots are: the snapshot keeps what it had.
    run(tools["mimic"], "resize", img, "+1M")
    assert run(tools["qemu"], "check", img, check=False).returncode == 0
    run(tools["qemu"], "snapshot", "-a", "s1", img)
    run(tools["qemu_io"], "-c", "read -P 1 0 1M", img)


def test_locks_are_qemus(tools, tmp_path):
    """An image qemu-io has open for writing is refused (one line), -U
    reads it anyway; once qemu-io is gone everything works again."""
    img = tmp_path / "busy.qcow2"
    run(tools["qemu"], "create", "-q", "-f", "qcow2", img, "16M")
    holder = subprocess.Popen([tools["qemu_io"], "-c", "sleep 20000", str(img)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # Wait until qemu-io holds its locks on this file's inode.
        inode = f":{os.stat(img).st_ino} "
        for _ in range(100):
            if inode in open("/proc/locks").read():
                break
            subprocess.run(["sleep", "0.1"])
        for argv in (["info", img], ["resize", img, "+1M"], ["create", "-f", "qcow2", img, "1M"]):
            busy = run(tools["mimic"], *argv, check=False)
            assert one_line_error(busy) and "lock" in busy.stderr, argv
        assert run(tools["mimic"], "info", "-U", img).returncode == 0
    finally:
        holder.kill()
        holder.wait()
    run(tools["mimic"], "resize", img, "+1M")
    assert qemu_info(tools, img)["virtual-size"] == 17 * MiB


def qemu_io_ops(rng, size, cluster, ops, compressed=True):
    """Random qemu-io commands: patterns, zero writes, discards and
    (cluster-aligned) compressed writes."""
    argv = []
    for _ in range(ops):
        off = rng.randrange(0, size // 512) * 512
        n = min(rng.randrange(1, 64) * 512, size - off)
        op = rng.choice(["write -P %d" % rng.randrange(256), "write -z", "discard"]
                        + (["write -c -P 7"] if compressed else []))
        if op.startswith("write -c"):
            off = off // cluster * cluster
            n = min(cluster, size - off)
        argv += ["-c", f"{op} {off} {n}"]
    return argv


@pytest.mark.parametrize("seed", range(6))
def test_random_qemu_io_workloads(tools, tmp_path, seed):
    """Whatever qemu writes (zero clusters, discards, compressed clusters,
    an overlay), mimic reads, maps and checks the same."""
    rng = random.Random(seed)
    cluster = rng.choice([512, 4096, 65536])
    compat = rng.choice(["0.10", "1.1"])
    size = rng.choice([1, 3]) * MiB + rng.choice([0, 512, 4096])
    base, top = tmp_path / "b.qcow2", tmp_path / "t.qcow2"
    run(tools["qemu"], "create", "-q", "-f", "qcow2", "-o", f"cluster_size={cluster},compat={compat}", base, size)
    # qemu-io refuses some compressed writes (over allocated clusters):
    # whatever it did write is what both readers must agree on.
    run(tools["qemu_io"], *qemu_io_ops(rng, size, cluster, 15), base, check=False)
    img = base
    if seed % 2:
        run(tools["qemu"], "create", "-q", "-f", "qcow2", "-o", f"compat={compat}", "-b", "b.qcow2", "-F", "qcow2", top)
        run(tools["qemu_io"], *qemu_io_ops(rng, size, 65536, 10, compressed=False), top, check=False)
        img = top
    qraw, mraw = tmp_path / "q.raw", tmp_path / "m.raw"
    run(tools["qemu"], "convert", "-O", "raw", img, qraw)
    run(tools["mimic"], "convert", "-O", "raw", img, mraw)
    assert read_bytes(mraw) == read_bytes(qraw)
    q = json.loads(run(tools["qemu"], "map", "--output=json", img).stdout)
    assert json.loads(run(tools["mimic"], "map", "--output=json", img).stdout) == q
    assert run(tools["mimic"], "check", img, check=False).returncode == 0


@pytest.mark.parametrize("compat", ["1.1", "0.10"])
def test_grown_overlay_reads_zeros_not_backing(tools, tmp_path, compat):
    """Growing an overlay over a longer backing file: the new space reads
    as zeros (as after qemu-img resize), not as the backing file's data."""
    base = tmp_path / "base.raw"
    base.write_bytes(random.Random(31).randbytes(3 * MiB))
    img = tmp_path / "ov.qcow2"
    run(tools["qemu"], "create", "-q", "-f", "qcow2", "-o", f"compat={compat}", "-b", "base.raw", "-F", "raw", img, "1M")
    run(tools["mimic"], "resize", img, "4M")
    expect = tmp_path / "expect.raw"
    expect.write_bytes(read_bytes(base)[:MiB] + bytes(3 * MiB))
    assert run(tools["qemu"], "compare", img, expect, check=False).returncode == 0
    assert run(tools["qemu"], "check", img, check=False).returncode == 0
