# SPDX-License-Identifier: MIT
# mimic-img snapshot against Debian's qemu-img: internal snapshots both ways.
import random
import subprocess

import pytest

from test_img import run, tools  # noqa: F401 (a fixture)


def qemu_io(t, path, *cmds):
    args = [t["qemu_io"]]
    for c in cmds:
        args += ["-c", c]
    run(*args, path)


def raw_of(t, path, out):
    run(t["qemu"], "convert", "-O", "raw", path, out)
    return out.read_bytes()


def guest(t, path):
    out = path.with_suffix(".view")
    data = raw_of(t, path, out)
    out.unlink()
    return data


def checked(t, path):
    """qemu-img check and mimic-img check both find nothing."""
    q = run(t["qemu"], "check", path, check=False)
    assert q.returncode == 0, q.stdout + q.stderr
    m = run(t["mimic"], "check", path, check=False)
    assert m.returncode == 0, m.stdout + m.stderr
    assert m.stdout == q.stdout


def listing(t, tool, path):
    return run(t[tool], "snapshot", "-l", path).stdout


def new_image(t, path, size="4M", compat="1.1", cluster="65536"):
    run(t["qemu"], "create", "-q", "-f", "qcow2", "-o", f"compat={compat},cluster_size={cluster}", path, size)
    return path


def test_list_matches_qemu_byte_for_byte(tools, tmp_path):
    img = new_image(tools, tmp_path / "s.qcow2")
    assert listing(tools, "mimic", img) == "" == listing(tools, "qemu", img)
    qemu_io(tools, img, "write -P 1 0 1M")
    run(tools["qemu"], "snapshot", "-c", "first", img)
    run(tools["qemu"], "snapshot", "-c", "a name longer than the column", img)
    run(tools["qemu"], "snapshot", "-c", "first", img)
    out = listing(tools, "mimic", img)
    assert out == listing(tools, "qemu", img)
    assert out.startswith("Snapshot list:\nID        TAG               VM SIZE")
    assert len(out.splitlines()) == 5


@pytest.mark.parametrize("compat,cluster", [("1.1", "65536"), ("0.10", "65536"), ("1.1", "4096")])
def test_snapshots_made_by_mimic_work_in_qemu(tools, tmp_path, compat, cluster):
    img = new_image(tools, tmp_path / "s.qcow2", compat=compat, cluster=cluster)
    views = {}
    qemu_io(tools, img, "write -P 1 0 1M", "write -c -P 3 2M 64k")
    views["one"] = guest(tools, img)
    run(tools["mimic"], "snapshot", "-c", "one", img)
    checked(tools, img)
    qemu_io(tools, img, "write -P 2 512k 1M", "discard 2M 64k", "write -P 4 3M 4k")
    views["two"] = guest(tools, img)
    run(tools["mimic"], "snapshot", "-c", "two", img)
    checked(tools, img)
    qemu_io(tools, img, "write -P 5 0 4M")
    latest = guest(tools, img)
    assert listing(tools, "mimic", img) == listing(tools, "qemu", img)
    assert "one" in listing(tools, "qemu", img)
    # qemu-img applies what mimic-img made, and the other way round.
    run(tools["qemu"], "snapshot", "-a", "one", img)
    checked(tools, img)
    assert guest(tools, img) == views["one"]
    run(tools["mimic"], "snapshot", "-a", "2", img)
    checked(tools, img)
    assert guest(tools, img) == views["two"]
    assert guest(tools, img) != latest
    run(tools["mimic"], "snapshot", "-d", "one", img)
    checked(tools, img)
    run(tools["qemu"], "snapshot", "-d", "two", img)
    checked(tools, img)
    assert listing(tools, "mimic", img) == ""
    assert guest(tools, img) == views["two"]


def test_snapshots_made_by_qemu_apply_and_delete_in_mimic(tools, tmp_path):
    img = new_image(tools, tmp_path / "s.qcow2", size="8M")
    qemu_io(tools, img, "write -P 1 0 2M")
    run(tools["qemu"], "snapshot", "-c", "base", img)
    base = guest(tools, img)
    qemu_io(tools, img, "write -P 2 1M 3M", "write -z 6M 1M")
    run(tools["qemu"], "snapshot", "-c", "later", img)
    later = guest(tools, img)
    qemu_io(tools, img, "write -P 3 0 8M")
    run(tools["mimic"], "snapshot", "-a", "base", img)
    checked(tools, img)
    assert guest(tools, img) == base
    run(tools["mimic"], "snapshot", "-d", "base", img)
    checked(tools, img)
    run(tools["mimic"], "snapshot", "-a", "later", img)
    assert guest(tools, img) == later
    run(tools["mimic"], "snapshot", "-d", "later", img)
    checked(tools, img)
    assert listing(tools, "qemu", img) == ""
    assert guest(tools, img) == later


def test_mimic_writes_beside_a_snapshot(tools, tmp_path):
    """Writes copy the tables and clusters a snapshot shares first."""
    img = new_image(tools, tmp_path / "s.qcow2")
    qemu_io(tools, img, "write -P 1 0 1M", "write -c -P 3 2M 64k")
    run(tools["qemu"], "snapshot", "-c", "keep", img)
    kept = guest(tools, img)
    src = tmp_path / "new.raw"
    src.write_bytes(bytes(range(256)) * (3 * 4096) + bytes(1 << 20))
    run(tools["mimic"], "convert", "-n", "-f", "raw", "-O", "qcow2", src, img)
    checked(tools, img)
    assert guest(tools, img) == src.read_bytes()
    run(tools["mimic"], "resize", img, "+1M")
    checked(tools, img)
    run(tools["qemu"], "snapshot", "-a", "keep", img)
    assert guest(tools, img) == kept


@pytest.mark.parametrize("seed", [1, 2])
def test_random_snapshot_workload(tools, tmp_path, seed):
    rng = random.Random(seed)
    img = new_image(tools, tmp_path / "s.qcow2", size="2M", cluster=rng.choice(["4096", "65536"]))
    views = {}
    for step in range(8):
        ops = []
        for _ in range(4):
            off = rng.randrange(0, 2 << 20, 512)
            n = min(rng.randrange(512, 300_000, 512), (2 << 20) - off)
            kind = rng.choice(["write -P %d" % rng.randrange(1, 255), "write -z", "discard",
                               "write -c -P 9" if off % 65536 == 0 and n >= 65536 else "write -P 7"])
            if kind.startswith("write -c"):
                n = 65536
            ops.append(f"{kind} {off} {n}")
        qemu_io(tools, img, *ops)
        tool = rng.choice(["mimic", "qemu"])
        action = rng.choice(["c", "c", "a", "d"]) if views else "c"
        if action == "c":
            name = f"s{step}"
            run(tools[tool], "snapshot", "-c", name, img)
            views[name] = guest(tools, img)
        else:
            name = rng.choice(sorted(views))
            run(tools[tool], "snapshot", "-" + action, name, img)
            if action == "a":
                assert guest(tools, img) == views[name], (tool, name)
            else:
                del views[name]
        checked(tools, img)
    assert listing(tools, "mimic", img) == listing(tools, "qemu", img)


@pytest.mark.parametrize("args,message", [
    (["-a", "nope", "s.qcow2"], "Could not apply snapshot 'nope': Failed to load snapshot: No such file or directory"),
    (["-d", "nope", "s.qcow2"], "Could not delete snapshot 'nope': snapshot not found"),
    (["-l", "-c", "x", "s.qcow2"], "Cannot mix '-l', '-a', '-c', '-d'"),
    (["-l", "missing.qcow2"], None),
    (["-c", "x", "plain.raw"], None),
    (["-l", "-f", "qcow2", "plain.raw"], None),
])
def test_bad_snapshot_requests_fail_in_one_line(tools, tmp_path, args, message):
    img = new_image(tools, tmp_path / "s.qcow2")
    run(tools["qemu"], "snapshot", "-c", "there", img)
    (tmp_path / "plain.raw").write_bytes(bytes(65536))
    before = img.read_bytes()
    proc = run(tools["mimic"], "snapshot", *args, check=False, cwd=tmp_path)
    assert proc.returncode == 1
    assert len(proc.stderr.splitlines()) == 1 and proc.stderr.startswith("mimic-img: ")
    if message:
        assert proc.stderr == f"mimic-img: {message}\n"
    assert img.read_bytes() == before
    assert run(tools["qemu"], "snapshot", *args, check=False, cwd=tmp_path).returncode == 1


def test_info_lists_snapshots_as_qemu(tools, tmp_path):
    img = new_image(tools, tmp_path / "s.qcow2")
    run(tools["mimic"], "snapshot", "-c", "one", img)
    run(tools["qemu"], "snapshot", "-c", "two words", img)
    top = tmp_path / "t.qcow2"
    run(tools["qemu"], "create", "-q", "-f", "qcow2", "-b", "s.qcow2", "-F", "qcow2", top)
    for args in ([img], ["--output=json", img], ["--backing-chain", top],
                 ["--backing-chain", "--output=json", top]):
        q = run(tools["qemu"], "info", *args)
        m = run(tools["mimic"], "info", *args)
        assert m.stdout == q.stdout
    assert "Snapshot list:" in m.stdout or '"snapshots"' in m.stdout
