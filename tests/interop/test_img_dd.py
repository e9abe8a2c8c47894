# SPDX-License-Identifier: MIT
# mimic-img dd against Debian's qemu-img: the same output image, operand for operand.
import json
import random

import pytest

from test_img import run, tools  # noqa: F401 (a fixture)


@pytest.fixture
def source(tools, tmp_path):
    raw = tmp_path / "in.raw"
    rng = random.Random(7)
    raw.write_bytes(rng.randbytes(70_000) + bytes(60_000) + rng.randbytes(3_001))
    qcow = tmp_path / "in.qcow2"
    run(tools["qemu"], "convert", "-O", "qcow2", "-o", "cluster_size=4096", raw, qcow)
    return tmp_path


@pytest.mark.parametrize("args", [
    "bs=512 count=4 skip=1",
    "-O qcow2 bs=1k",
    "bs=1k count=1k",
    "bs=4k skip=3",
    "bs=64k",
    "bs=3 count=7 skip=2",
    "-f qcow2 bs=8k skip=2 count=12",
    "-O qcow2 -f qcow2 bs=1M",
])
def test_dd_output_matches_qemu(tools, source, args):
    src = "in.qcow2" if "-f qcow2" in args else "in.raw"
    argv = args.split() + [f"if={src}"]
    run(tools["qemu"], "dd", *argv, "of=q.out", cwd=source)
    m = run(tools["mimic"], "dd", *argv, "of=m.out", cwd=source)
    assert m.stdout == m.stderr == ""
    fmt = "qcow2" if "-O qcow2" in args else "raw"
    infos = [json.loads(run(tools["qemu"], "info", "--output=json", source / name).stdout)
             for name in ("q.out", "m.out")]
    assert infos[0]["format"] == infos[1]["format"] == fmt
    assert infos[0]["virtual-size"] == infos[1]["virtual-size"]
    # Same content; mimic-img leaves blocks of zeros unwritten.
    assert run(tools["qemu"], "compare", source / "q.out", source / "m.out").returncode == 0
    if fmt == "qcow2":
        run(tools["qemu"], "check", source / "m.out")


def test_skip_past_the_end_is_a_warning(tools, source):
    m = run(tools["mimic"], "dd", "skip=1000", "if=in.raw", "of=m.out", cwd=source)
    assert m.stderr == "mimic-img: in.raw: cannot skip to specified offset\n"
    assert (source / "m.out").stat().st_size == 0


@pytest.mark.parametrize("args", [
    ["if=in.raw"],
    ["of=x.raw"],
    ["if=in.raw", "of=x.raw", "bs=0"],
    ["if=in.raw", "of=x.raw", "foo=1"],
    ["if=in.raw", "of=x.raw", "count=x"],
    ["if=missing.raw", "of=x.raw"],
])
def test_bad_dd_requests_fail_in_one_line(tools, source, args):
    m = run(tools["mimic"], "dd", *args, check=False, cwd=source)
    q = run(tools["qemu"], "dd", *args, check=False, cwd=source)
    assert m.returncode == q.returncode == 1
    assert len(m.stderr.splitlines()) == 1 and m.stderr.startswith("mimic-img: ")
    if len(q.stderr.splitlines()) == 1 and "Could not open" not in q.stderr:
        assert m.stderr.split(": ", 1)[1] == q.stderr.split(": ", 1)[1]
