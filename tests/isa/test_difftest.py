# SPDX-License-Identifier: MIT
# The differential test: random straight-line sequences run under both of
# our engines (isa-run --user --accel interp|jit) and Debian's qemu-riscv64
# must leave the same registers, bit for bit. MIMIC_DIFFTEST_SEED /
# MIMIC_DIFFTEST_COUNT override the seed and the number of sequences.
import concurrent.futures
import os
import random
import subprocess
import sys
import time

import pytest

from harness import SRC, program, require_tool

sys.path.insert(0, str(SRC / "tests" / "isa"))
import difftest  # noqa: E402

PER_ELF = 2000
LENGTH = 20


def build_and_run(index, seed, count, workdir, isa_run, qemu, cc, engine):
    rng = random.Random(f"{seed}-{index}")
    source, bodies = difftest.build_source(rng, count, LENGTH)
    src = workdir / f"chunk{index}.S"
    elf = workdir / f"chunk{index}.elf"
    src.write_text(source)
    subprocess.run([cc, f"-march={difftest.MARCH}", "-mabi=lp64d",
                    "-nostdlib", "-static", "-no-pie", "-fno-pic",
                    "-Wl,--build-id=none", str(src), "-o", str(elf)],
                   check=True, capture_output=True)
    ours = subprocess.run([str(isa_run), "--user", "--accel", engine,
                           str(elf)],
                          capture_output=True, timeout=120)
    theirs = subprocess.run([qemu, str(elf)], capture_output=True,
                            timeout=120)
    src.unlink()
    elf.unlink()
    problems = []
    if ours.returncode != 0 or theirs.returncode != 0:
        problems.append(f"chunk {index}: isa-run exit {ours.returncode} "
                        f"({ours.stderr.decode()[-300:]}), qemu exit "
                        f"{theirs.returncode}")
    size = difftest.RESULT_BYTES
    for n in range(count):
        a = ours.stdout[n * size:(n + 1) * size]
        b = theirs.stdout[n * size:(n + 1) * size]
        if a != b:
            if len(a) != size or len(b) != size:
                problems.append(f"chunk {index} sequence {n}: output cut short")
                break
            problems.append(f"chunk {index} " + difftest.describe(a, b, n, bodies[n]))
            if len(problems) >= 5:
                break
    return problems


@pytest.mark.parametrize("engine", ["interp", "jit"])
def test_difftest_against_qemu(tmp_path, engine):
    isa_run = program("tests/tools/isa-run")
    qemu = require_tool("qemu-riscv64")
    cc = require_tool("riscv64-linux-gnu-gcc")
    seed = int(os.environ.get("MIMIC_DIFFTEST_SEED", random.randrange(1 << 32)))
    total = int(os.environ.get("MIMIC_DIFFTEST_COUNT", 100000))
    print(f"difftest: seed {seed}, {total} sequences of {LENGTH} instructions "
          f"(MIMIC_DIFFTEST_SEED={seed} reproduces)")
    chunks = [(i, min(PER_ELF, total - i * PER_ELF))
              for i in range((total + PER_ELF - 1) // PER_ELF)]
    start = time.monotonic()
    problems = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(build_and_run, i, seed, n, tmp_path, isa_run,
                               qemu, cc, engine) for i, n in chunks]
        for f in futures:
            problems += f.result()
    print(f"difftest: {total} sequences compared in "
          f"{time.monotonic() - start:.1f}s")
    assert not problems, f"seed {seed}: mimic and qemu differ:\n" + \
        "\n\n".join(problems[:10])
