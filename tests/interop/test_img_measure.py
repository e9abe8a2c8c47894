# SPDX-License-Identifier: MIT
# mimic-img measure against Debian's qemu-img: the same numbers, the same text.
import pytest

from test_img import run, tools  # noqa: F401 (a fixture)


@pytest.fixture
def inputs(tools, tmp_path):
    """A sparse raw file, a qcow2 image (data, zeros, compressed) and an
    overlay over it that is larger than its backing file."""
    q, io = tools["qemu"], tools["qemu_io"]
    raw = tmp_path / "r.raw"
    with open(raw, "wb") as f:
        f.write(bytes(range(256)) * 4000)
        f.seek(7 << 20)
        f.write(b"\x01" * 5000)
        f.truncate(20 << 20)
    run(q, "create", "-q", "-f", "qcow2", "-o", "cluster_size=4096", tmp_path / "b.qcow2", "12M")
    run(io, "-c", "write 0 100k", "-c", "write -z 1M 1M", "-c", "write -c 4M 4k", tmp_path / "b.qcow2")
    run(q, "create", "-q", "-f", "qcow2", "-b", "b.qcow2", "-F", "qcow2", tmp_path / "t.qcow2", "16M")
    run(io, "-c", "write 8M 1M", "-c", "write 3000 1000", tmp_path / "t.qcow2")
    return tmp_path


CASES = [
    "--size 1G -O qcow2",
    "--size 1G",
    "--size 1000000 -O qcow2 -o cluster_size=4k",
    "--size 1G -O qcow2 --output=json",
    "--size 100T -O qcow2 -o cluster_size=2M",
    "--size 0 -O qcow2",
    "--size 5G -O qcow2 -o compat=0.10,cluster_size=512",
    "-O qcow2 b.qcow2",
    "-O qcow2 --output=json b.qcow2",
    "-O qcow2 -o compat=0.10 b.qcow2",
    "-O qcow2 -f raw b.qcow2",
    "b.qcow2",
    "-O qcow2 r.raw",
    "-O qcow2 -o cluster_size=512 r.raw",
    "--output=json -O qcow2 r.raw",
    "-O qcow2 t.qcow2",
    "-O qcow2 -o cluster_size=2M t.qcow2",
    "-O qcow2 -o backing_file=b.qcow2 t.qcow2",
    "-O raw t.qcow2",
]


@pytest.mark.parametrize("args", CASES)
def test_measure_prints_what_qemu_prints(tools, inputs, args):
    q = run(tools["qemu"], "measure", *args.split(), cwd=inputs)
    m = run(tools["mimic"], "measure", *args.split(), cwd=inputs)
    assert m.stdout == q.stdout


def test_measured_size_holds_a_converted_image(tools, inputs):
    """What measure calls required is enough for convert's output."""
    m = run(tools["mimic"], "measure", "-O", "qcow2", "t.qcow2", cwd=inputs)
    required = int(m.stdout.splitlines()[0].split(": ")[1])
    run(tools["mimic"], "convert", "-O", "qcow2", "t.qcow2", "out.qcow2", cwd=inputs)
    assert (inputs / "out.qcow2").stat().st_size <= required


@pytest.mark.parametrize("args", [
    "-O qcow2",
    "-O qcow2 --size 1M b.qcow2",
    "-O vmdk --size 1M",
    "-O qcow2 missing.qcow2",
    "--size 3T -O qcow2 -o cluster_size=512",
    "--size 1M -O qcow2 -o cluster_size=3000",
    "--size 1M -O qcow2 -o nosuch=1",
])
def test_bad_measure_requests_fail_in_one_line(tools, inputs, args):
    m = run(tools["mimic"], "measure", *args.split(), check=False, cwd=inputs)
    q = run(tools["qemu"], "measure", *args.split(), check=False, cwd=inputs)
    assert m.returncode == q.returncode == 1
    assert m.stdout == ""
    assert len(m.stderr.splitlines()) == 1 and m.stderr.startswith("mimic-img: ")
    if len(q.stderr.splitlines()) == 1 and "Could not open" not in q.stderr:
        assert m.stderr.split(": ", 1)[1] == q.stderr.split(": ", 1)[1]
