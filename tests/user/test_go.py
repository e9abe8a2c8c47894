# SPDX-License-Identifier: MIT
# Go programs (static, their own runtime: many threads, async preemption by
# signal, clone(CLONE_VFORK|CLONE_VM), epoll netpoller) under mimic-riscv64,
# compared with Debian's qemu-riscv64.
import os
import pathlib
import shutil
import subprocess

import pytest

from harness import program, require_tool

HERE = pathlib.Path(__file__).resolve().parent
TIMEOUT = 120


@pytest.fixture(scope="module")
def gotest(tmp_path_factory):
    go = shutil.which("go")
    if not go:
        pytest.skip("go (golang-go) not installed")
    out = tmp_path_factory.mktemp("go") / "gotest"
    env = dict(os.environ, GOOS="linux", GOARCH="riscv64", CGO_ENABLED="0",
               GOCACHE=str(out.parent / "cache"), GOPATH=str(out.parent / "gopath"))
    subprocess.run([go, "build", "-o", str(out), str(HERE / "go" / "gotest.go")],
                   check=True, env=env, timeout=600, capture_output=True)
    return out


def run(argv):
    return subprocess.run([str(a) for a in argv], capture_output=True, text=True,
                          timeout=TIMEOUT)


def test_go_runtime_matches_qemu(gotest):
    expected = run([require_tool("qemu-riscv64"), gotest, "noexec"])
    got = run([program("mimic-riscv64"), gotest, "noexec"])
    assert expected.returncode == 3, expected.stderr
    assert got.stdout == expected.stdout, got.stderr
    assert got.returncode == expected.returncode, got.stderr
    assert "preempt ok" in got.stdout and "netpoll [100000 100000 100000 100000]" in got.stdout


def test_go_fork_exec_runs_the_child_under_mimic(gotest):
    got = run([program("mimic-riscv64"), gotest])
    assert got.returncode == 3, got.stderr
    assert ('forkexec "child args [\\"a b\\" \\"c\\"] stdin \\"from parent\\\\n\\"" status 7'
            in got.stdout), got.stdout + got.stderr
