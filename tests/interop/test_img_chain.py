# SPDX-License-Identifier: MIT
# mimic-img rebase and commit against Debian's qemu-img: chains change hands.
import json
import subprocess

import pytest

from test_img import run, tools  # noqa: F401 (a fixture)


def qemu_io(t, path, *cmds):
    args = [t["qemu_io"]]
    for c in cmds:
        args += ["-c", c]
    run(*args, path)


def make_chain(t, d, compat="1.1"):
    """base (4 MiB) <- mid <- top (6 MiB), each with its own writes."""
    q = t["qemu"]
    o = f"compat={compat},cluster_size=65536"
    run(q, "create", "-f", "qcow2", "-o", o, d / "base.qcow2", "4M")
    qemu_io(t, d / "base.qcow2", "write -P 1 0 1M", "write -P 2 3M 200k")
    run(q, "create", "-f", "qcow2", "-o", o, "-b", "base.qcow2", "-F", "qcow2", d / "mid.qcow2")
    qemu_io(t, d / "mid.qcow2", "write -P 5 1M 100k", "write -P 6 3100k 10k")
    run(q, "create", "-f", "qcow2", "-o", o, "-b", "mid.qcow2", "-F", "qcow2", d / "top.qcow2", "6M")
    zero = ["write -z 512k 64k"] if compat == "1.1" else []
    qemu_io(t, d / "top.qcow2", "write -P 9 100k 8k", "write -P 7 5M 64k", *zero)
    return d / "top.qcow2"


def guest_view(t, path, out):
    run(t["qemu"], "convert", "-O", "raw", path, out)
    return out


def same(t, a, b):
    return run(t["qemu"], "compare", a, b, check=False).returncode == 0


def info(t, path):
    return json.loads(run(t["qemu"], "info", "--output=json", path).stdout)


def qemu_check(t, path):
    run(t["qemu"], "check", path)


@pytest.mark.parametrize("compat", ["1.1", "0.10"])
def test_rebase_onto_other_backing_keeps_guest_view(tools, tmp_path, compat):
    top = make_chain(tools, tmp_path, compat)
    before = guest_view(tools, top, tmp_path / "before.raw")
    other = tmp_path / "other.qcow2"
    run(tools["qemu"], "create", "-f", "qcow2", other, "4M")
    qemu_io(tools, other, "write -P 1 0 512k", "write -P 3 2M 64k")
    run(tools["mimic"], "rebase", "-b", "other.qcow2", "-F", "qcow2", top)
    qemu_check(tools, top)
    i = info(tools, top)
    assert i["backing-filename"] == "other.qcow2"
    assert i["backing-filename-format"] == "qcow2"
    assert same(tools, before, top)
    # The unchanged part of the old backing file was not copied.
    allocated = json.loads(run(tools["qemu"], "map", "--output=json", top).stdout)
    assert not any(e["depth"] == 0 and e["data"] and e["start"] < 512 * 1024 and
                   e["start"] + e["length"] > 200 * 1024 for e in allocated)


def test_rebase_to_nothing_makes_image_standalone(tools, tmp_path):
    top = make_chain(tools, tmp_path)
    before = guest_view(tools, top, tmp_path / "before.raw")
    run(tools["mimic"], "rebase", "-b", "", top)
    qemu_check(tools, top)
    assert "backing-filename" not in info(tools, top)
    (tmp_path / "mid.qcow2").unlink()
    (tmp_path / "base.qcow2").unlink()
    assert same(tools, before, top)


def test_rebase_unsafe_rewrites_only_the_header(tools, tmp_path):
    top = make_chain(tools, tmp_path)
    map_before = run(tools["qemu"], "map", "--output=json", "-f", "qcow2", top).stdout
    run(tools["mimic"], "rebase", "-u", "-b", "base.qcow2", "-F", "qcow2", top)
    qemu_check(tools, top)
    assert info(tools, top)["backing-filename"] == "base.qcow2"
    # mid's data no longer shows; top's own clusters stay where they were.
    run(tools["qemu"], "rebase", "-u", "-b", "mid.qcow2", "-F", "qcow2", top)
    assert run(tools["qemu"], "map", "--output=json", "-f", "qcow2", top).stdout == map_before
    # A missing new backing file is fine with -u (as qemu-img).
    run(tools["mimic"], "rebase", "-u", "-b", "gone.qcow2", "-F", "qcow2", top)
    assert info(tools, top)["backing-filename"] == "gone.qcow2"


def test_image_rebased_by_qemu_reads_in_mimic(tools, tmp_path):
    top = make_chain(tools, tmp_path)
    run(tools["qemu"], "rebase", "-b", "base.qcow2", "-F", "qcow2", top)
    out = tmp_path / "mimic.raw"
    run(tools["mimic"], "convert", "-O", "raw", top, out)
    assert same(tools, top, out)
    mi = json.loads(run(tools["mimic"], "info", "--output=json", top).stdout)
    assert mi["backing-filename"] == "base.qcow2"
    assert run(tools["mimic"], "check", top).returncode == 0


def test_rebase_by_both_tools_agrees(tools, tmp_path):
    """qemu-img and mimic-img rebase copies of one chain: same guest view."""
    top = make_chain(tools, tmp_path)
    twin = tmp_path / "twin.qcow2"
    run("cp", top, twin)
    run(tools["qemu"], "rebase", "-b", "base.qcow2", "-F", "qcow2", top)
    run(tools["mimic"], "rebase", "-b", "base.qcow2", "-F", "qcow2", twin)
    assert same(tools, top, twin)


@pytest.mark.parametrize("drop", [False, True])
def test_commit_into_backing_file(tools, tmp_path, drop):
    top = make_chain(tools, tmp_path)
    before = guest_view(tools, top, tmp_path / "before.raw")
    mid = tmp_path / "mid.qcow2"
    proc = run(tools["mimic"], "commit", *(["-d"] if drop else []), top)
    assert proc.stdout == "Image committed.\n"
    qemu_check(tools, mid)
    qemu_check(tools, top)
    assert same(tools, before, mid)
    assert same(tools, before, top)
    assert info(tools, mid)["virtual-size"] == 6 << 20
    top_map = json.loads(run(tools["qemu"], "map", "--output=json", top).stdout)
    own = [e for e in top_map if e["depth"] == 0 and e["present"]]
    assert bool(own) == drop


def test_commit_into_base_further_down(tools, tmp_path):
    top = make_chain(tools, tmp_path)
    before = guest_view(tools, top, tmp_path / "before.raw")
    base = tmp_path / "base.qcow2"
    run(tools["mimic"], "commit", "-b", base, top)
    qemu_check(tools, base)
    assert same(tools, before, base)
    assert same(tools, before, top)


def test_commit_by_both_tools_agrees(tools, tmp_path):
    top = make_chain(tools, tmp_path)
    q = tmp_path / "q"
    q.mkdir()
    for name in ("base.qcow2", "mid.qcow2", "top.qcow2"):
        run("cp", tmp_path / name, q / name)
    run(tools["qemu"], "commit", q / "top.qcow2")
    run(tools["mimic"], "commit", top)
    assert same(tools, q / "mid.qcow2", tmp_path / "mid.qcow2")
    # What qemu-img committed reads the same through mimic-img.
    out = tmp_path / "q-mid.raw"
    run(tools["mimic"], "convert", "-O", "raw", q / "mid.qcow2", out)
    assert same(tools, out, tmp_path / "mid.qcow2")


@pytest.mark.parametrize("args", [
    ["rebase", "-b", "base.qcow2", "-F", "qcow2", "missing.qcow2"],
    ["rebase", "-b", "nothere.qcow2", "-F", "qcow2", "top.qcow2"],
    ["rebase", "-b", "base.qcow2", "top.qcow2"],
    ["rebase", "top.qcow2"],
    ["rebase", "-b", "base.qcow2", "-F", "qcow2", "plain.raw"],
    ["commit", "plain.raw"],
    ["commit", "-b", "nothere.qcow2", "top.qcow2"],
    ["commit", "missing.qcow2"],
])
def test_bad_chain_requests_fail_in_one_line(tools, tmp_path, args):
    make_chain(tools, tmp_path)
    run(tools["qemu"], "create", "-f", "raw", tmp_path / "plain.raw", "1M")
    before = (tmp_path / "top.qcow2").read_bytes()
    proc = run(tools["mimic"], *args, check=False, cwd=tmp_path)
    assert proc.returncode == 1
    assert len(proc.stderr.strip().splitlines()) == 1
    assert proc.stderr.startswith("mimic-img: ")
    # mimic-img refuses before writing (qemu-img may copy, then fail).
    assert (tmp_path / "top.qcow2").read_bytes() == before
    assert run(tools["qemu"], *args, check=False, cwd=tmp_path).returncode == 1
