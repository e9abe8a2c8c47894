# SPDX-License-Identifier: MIT
# docs/monitor.md is what tests/tools/monitor-docs generates from the
# monitor's command tables, and names every command the monitor has.
import re
import subprocess

from harness import BUILD, SRC, program


def test_reference_matches_the_command_tables():
    gen = BUILD / "tests/tools/monitor-docs"
    if not gen.exists():
        program("tests/tools/monitor-docs")
    out = subprocess.run([gen], capture_output=True, text=True, check=True).stdout
    doc = (SRC / "docs/monitor.md").read_text()
    assert doc == out, ("docs/monitor.md is stale: run "
                        "`tests/tools/monitor-docs > docs/monitor.md`")
    for name in ("qmp_capabilities", "query-status", "system_powerdown",
                 "human-monitor-command", "info registers", "xp"):
        assert re.search(r"^\| `%s" % re.escape(name), doc, re.M), name
