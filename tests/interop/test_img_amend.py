# SPDX-License-Identifier: MIT
# mimic-img amend against Debian's qemu-img: compat and lazy_refcounts in place.
import json

import pytest

from test_img import run, tools  # noqa: F401 (a fixture)


def qemu_info(t, path):
    return json.loads(run(t["qemu"], "info", "--output=json", path).stdout)["format-specific"]["data"]


def guest(t, path, out):
    run(t["qemu"], "convert", "-O", "raw", path, out)
    return out.read_bytes()


def image(t, d, compat, backing=False):
    q, io = t["qemu"], t["qemu_io"]
    extra = []
    if backing:
        run(q, "create", "-q", "-f", "qcow2", d / "b.qcow2", "4M")
        run(io, "-c", "write -P 8 0 4M", d / "b.qcow2")
        extra = ["-b", "b.qcow2", "-F", "qcow2"]
    img = d / "a.qcow2"
    run(q, "create", "-q", "-f", "qcow2", "-o", f"compat={compat}", *extra, img, "4M")
    ops = ["write -P 1 0 1M", "write -c -P 2 2M 64k"]
    if compat == "1.1":
        ops += ["write -z 3M 128k", "write -z 1M 64k"]
    args = []
    for op in ops:
        args += ["-c", op]
    run(io, *args, img)
    return img


@pytest.mark.parametrize("backing", [False, True])
def test_upgrade_and_downgrade_keep_the_data(tools, tmp_path, backing):
    img = image(tools, tmp_path, "0.10", backing)
    run(tools["qemu"], "snapshot", "-c", "snap", img)
    before = guest(tools, img, tmp_path / "before.raw")
    run(tools["mimic"], "amend", "-o", "compat=1.1,lazy_refcounts=on", img)
    run(tools["qemu"], "check", img)
    info = qemu_info(tools, img)
    assert info["compat"] == "1.1" and info["lazy-refcounts"] is True
    assert guest(tools, img, tmp_path / "after.raw") == before
    run(tools["qemu"], "snapshot", "-a", "snap", img)
    run(tools["qemu"], "snapshot", "-d", "snap", img)
    run(tools["qemu_io"], "-c", "write -z 3M 128k", img)
    zeroed = guest(tools, img, tmp_path / "zeroed.raw")
    run(tools["mimic"], "amend", "-o", "compat=0.10", img)
    run(tools["qemu"], "check", img)
    assert qemu_info(tools, img)["compat"] == "0.10"
    assert guest(tools, img, tmp_path / "down.raw") == zeroed


def test_lazy_refcounts_toggle(tools, tmp_path):
    img = image(tools, tmp_path, "1.1")
    for value, expect in (("on", True), ("off", False)):
        run(tools["mimic"], "amend", "-o", f"lazy_refcounts={value}", img)
        assert qemu_info(tools, img)["lazy-refcounts"] is expect
        m = json.loads(run(tools["mimic"], "info", "--output=json", img).stdout)
        assert m["format-specific"]["data"]["lazy-refcounts"] is expect
        run(tools["qemu"], "check", img)


def test_image_amended_by_qemu_reads_in_mimic(tools, tmp_path):
    img = image(tools, tmp_path, "1.1")
    before = guest(tools, img, tmp_path / "before.raw")
    run(tools["qemu"], "amend", "-o", "compat=0.10", img)
    out = tmp_path / "m.raw"
    run(tools["mimic"], "convert", "-O", "raw", img, out)
    assert out.read_bytes() == before
    assert run(tools["mimic"], "check", img).returncode == 0


@pytest.mark.parametrize("args", [
    ["-o", "lazy_refcounts=on", "v2.qcow2"],
    ["-o", "compat=2.0", "v2.qcow2"],
    ["-o", "lazy_refcounts=maybe", "v2.qcow2"],
    ["v2.qcow2"],
    ["-f", "raw", "-o", "compat=1.1", "plain.raw"],
    ["-o", "compat=1.1", "missing.qcow2"],
])
def test_bad_amend_requests_fail_in_one_line(tools, tmp_path, args):
    run(tools["qemu"], "create", "-q", "-f", "qcow2", "-o", "compat=0.10", tmp_path / "v2.qcow2", "1M")
    (tmp_path / "plain.raw").write_bytes(bytes(65536))
    before = (tmp_path / "v2.qcow2").read_bytes()
    m = run(tools["mimic"], "amend", *args, check=False, cwd=tmp_path)
    q = run(tools["qemu"], "amend", *args, check=False, cwd=tmp_path)
    assert m.returncode == q.returncode == 1
    assert len(m.stderr.splitlines()) == 1 and m.stderr.startswith("mimic-img: ")
    if "Could not open" not in q.stderr:
        assert m.stderr.split(": ", 1)[1] == q.stderr.splitlines()[0].split(": ", 1)[1] + "\n"
    assert (tmp_path / "v2.qcow2").read_bytes() == before
