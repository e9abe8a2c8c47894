# SPDX-License-Identifier: MIT
# The build as the C world expects it: configure's errors, out-of-tree builds, install.
import os
import pathlib
import subprocess

import pytest

from harness import SRC


def run(argv, cwd, env=None, timeout=600):
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_unknown_option_is_named(tmp_path):
    r = run([str(SRC / "configure"), "--enable-frobnication"], tmp_path)
    assert r.returncode != 0
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "--enable-frobnication" in lines[0]


def test_missing_dependency_is_named(tmp_path):
    # An empty pkg-config search path makes every pkg-config module missing.
    env = dict(os.environ, PKG_CONFIG_LIBDIR=str(tmp_path / "nothing"),
               PKG_CONFIG_PATH="")
    r = run([str(SRC / "configure")], tmp_path, env=env)
    assert r.returncode != 0
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "json-c" in lines[0] and "libjson-c-dev" in lines[0]


def test_missing_compiler_is_named(tmp_path):
    r = run([str(SRC / "configure"), "--cc=no-such-cc"], tmp_path)
    assert r.returncode != 0
    assert "no-such-cc" in r.stderr


def test_help_lists_options(tmp_path):
    r = run([str(SRC / "configure"), "--help"], tmp_path)
    assert r.returncode == 0
    for opt in ("--prefix", "--cc", "--enable-sanitizers", "--enable-debug",
                "--disable-werror"):
        assert opt in r.stdout


@pytest.mark.skipif(not os.path.exists("/usr/bin/clang"), reason="clang not installed")
def test_out_of_tree_clang_build_and_install(tmp_path):
    """Out of tree with clang at -Werror, then make install with DESTDIR."""
    build = tmp_path / "build"
    build.mkdir()
    r = run([str(SRC / "configure"), "--cc=clang", "--prefix=/opt/mimic"], build)
    assert r.returncode == 0, r.stderr
    r = run(["make", "-j2"], build, timeout=1800)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert "warning:" not in r.stderr
    r = run(["make", "install", f"DESTDIR={tmp_path}/stage"], build)
    assert r.returncode == 0, r.stderr
    r = run(["./tests/unit/run-unit"], build)
    assert r.returncode == 0, r.stdout
    # Nothing was written into the source tree's obj/ by this build.
    assert (build / "obj").is_dir()
    installed = list((tmp_path / "stage" / "opt" / "mimic" / "bin").glob("mimic*"))
    built = [p for p in ("mimic-system-riscv64", "mimic-riscv64", "mimic-img",
                         "mimic-virtiofsd") if (build / p).exists()]
    assert sorted(p.name for p in installed) == sorted(built)
