# SPDX-License-Identifier: MIT
# Bare-metal ISA tests: each tests/isa/*.S runs under isa-run (the
# interpreter and the translator), under mimic-system-riscv64 (both
# engines) and under Debian's QEMU.
import os
import pathlib
import shutil
import subprocess

import pytest

from harness import BUILD, SRC, program, require_tool

ISA_DIR = SRC / "tests" / "isa"
SOURCES = sorted(p.name for p in ISA_DIR.glob("*.S") if not p.name.startswith("_"))
MARCH = "rv64gc_zba_zbb_zbc_zbs_zicbom_zicboz_zicbop_zihintpause"
# mimic's execution engines: the interpreter and the translator.
ENGINES = ["interp", "jit"]
# Extensions Debian's QEMU 7.2 does not implement.
QEMU_LACKS = {
    "zicond.S": "QEMU 7.2 does not implement Zicond",
    "zicbo.S": "QEMU 7.2 does not implement Zicbom/Zicboz",
}


def build_elf(name, outdir):
    """Assemble tests/isa/NAME into an ELF linked at 0x80000000."""
    cc = require_tool("riscv64-linux-gnu-gcc")
    out = outdir / (name[:-2].replace("/", "-") + ".elf")
    subprocess.run(
        [cc, f"-march={MARCH}", "-mabi=lp64d", "-nostdlib", "-static",
         "-no-pie", "-fno-pic", "-Wl,--build-id=none",
         "-T", str(ISA_DIR / "link.ld"), "-I", str(ISA_DIR),
         str(ISA_DIR / name), "-o", str(out)],
        check=True, capture_output=True, text=True)
    return out


@pytest.fixture(scope="module")
def elf_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("isa")


def run(argv, timeout=60):
    proc = subprocess.run([str(a) for a in argv], capture_output=True,
                          text=True, timeout=timeout)
    return proc.returncode, proc.stdout + proc.stderr


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", SOURCES)
def test_isa_run(name, engine, elf_dir):
    runner = program("tests/tools/isa-run")
    elf = build_elf(name, elf_dir)
    rc, out = run([runner, "--accel", engine, elf])
    assert rc == 0, f"{name} under isa-run --accel {engine}: exit {rc}\n{out}"


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", SOURCES)
def test_isa_mimic_system(name, engine, elf_dir):
    mimic = program("mimic-system-riscv64")
    elf = build_elf(name, elf_dir)
    rc, out = run([mimic, "-M", "virt", "-bios", "none", "-nographic",
                   "-accel", f"tcg,engine={engine}", "-kernel", elf])
    assert rc == 0, f"{name} under mimic-system-riscv64 ({engine}): " \
        f"exit {rc}\n{out}"


@pytest.mark.parametrize("name", SOURCES)
def test_isa_qemu(name, elf_dir):
    """The tests themselves are right: Debian's QEMU passes them too."""
    if name in QEMU_LACKS:
        pytest.skip(QEMU_LACKS[name])
    qemu = require_tool("qemu-system-riscv64")
    elf = build_elf(name, elf_dir)
    rc, out = run([qemu, "-M", "virt", "-bios", "none", "-nographic",
                   "-kernel", elf])
    assert rc == 0, f"{name} under qemu-system-riscv64: exit {rc}\n{out}"


@pytest.mark.parametrize("runner,accel", [
    ("mimic-system-riscv64", "tcg"),
    ("mimic-system-riscv64", "tcg,thread=multi"),
    ("mimic-system-riscv64", "tcg,thread=multi,engine=jit"),
    ("qemu-system-riscv64", "tcg,thread=multi"),
])
def test_isa_smp_atomics(runner, accel, elf_dir):
    """Four harts (one host thread each with thread=multi): amoadd and
    LR/SC counters add up."""
    if runner.startswith("mimic"):
        binary = program(runner)
    else:
        binary = require_tool(runner)
    elf = build_elf("smp/atomics.S", elf_dir)
    rc, out = run([binary, "-M", "virt", "-smp", "4", "-accel", accel,
                   "-bios", "none", "-nographic", "-kernel", elf])
    assert rc == 0, f"smp/atomics.S under {runner}: exit {rc}\n{out}"


@pytest.mark.parametrize("accel,jit", [(None, True), ("interp", False),
                                       ("tcg,engine=interp", False),
                                       ("jit", True)])
def test_system_engine_choice(accel, jit, elf_dir, tmp_path):
    """The translator is mimic-system-riscv64's default; -accel picks."""
    mimic = program("mimic-system-riscv64")
    elf = build_elf("rv64i.S", elf_dir)
    log = tmp_path / "in_asm.log"
    argv = [mimic, "-M", "virt", "-bios", "none", "-nographic",
            "-d", "in_asm", "-D", log, "-kernel", elf]
    if accel:
        argv += ["-accel", accel]
    env = {k: v for k, v in os.environ.items() if k != "MIMIC_ACCEL"}
    proc = subprocess.run([str(a) for a in argv], capture_output=True,
                          text=True, timeout=60, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert ("IN: (jit)" in log.read_text()) == jit
