# SPDX-License-Identifier: MIT
# The same QMP session against Debian's qemu-system-riscv64 and mimic, on
# the same bare-metal guest: the replies must be the same (error classes
# and texts, HMP output through human-monitor-command, command results),
# apart from what names the emulator itself.
import json

import pytest

from harness import require_tool
from monitor_guest import MAGIC_ADDR, argv, guest_elf, sock_path
from qmp import QMPClient

SAME = [
    ("qmp_capabilities", None),
    ("no-such-command", None),
    ("stop", {"x": 1}),
    ("human-monitor-command", {"command-line": 5}),
    ("human-monitor-command", {}),
    ("human-monitor-command", {"command-line": f"xp /4wx {MAGIC_ADDR:#x}"}),
    ("human-monitor-command", {"command-line": f"xp /4bx {MAGIC_ADDR:#x}"}),
    ("human-monitor-command", {"command-line": f"xp /2c {MAGIC_ADDR:#x}"}),
    ("human-monitor-command", {"command-line": f"xp /1gx {MAGIC_ADDR:#x}"}),
    ("human-monitor-command", {"command-line": "p/d (2 + 3) * -4"}),
    ("human-monitor-command", {"command-line": "p 0x10 * 4 + 1"}),
    ("human-monitor-command", {"command-line": "info status"}),
    ("query-status", None),
    ("query-target", None),
    ("query-kvm", None),
    ("query-uuid", None),
    ("query-name", None),
    ("stop", None),
    ("query-status", None),
    ("human-monitor-command", {"command-line": "info status"}),
    ("cont", None),
]
RAW_SAME = [b"[1]\n", b'{"execute": 42}\n', b'{"exec": "x"}\n',
            b'{"execute": "query-kvm", "arguments": [1]}\n']


def session(address, c):
    q = QMPClient(address, negotiate=False)
    out = {"greeting": q.greeting}
    out["early"] = q.execute("query-status")
    out["replies"], out["texts"] = [], []
    for name, args in SAME:
        out["replies"].append(q.execute(name, args))
        out["texts"].append(q.last_text)
    raw = []
    for data in RAW_SAME:
        q.send_raw(data)
        raw.append(q.read_reply())
        out["texts"].append(q.last_text)
    out["raw"] = raw
    q.send_raw(b'{"execute": }\n')
    out["parse_error"] = q.read_reply()
    out["cpus"] = q.cmd("query-cpus-fast")
    out["events"] = [e["event"] for e in q.events]
    q.cmd("quit")
    q.get_event("SHUTDOWN")
    assert c.wait(10) == 0
    return out


def test_same_session_as_qemu(console, tmp_path):
    qemu = require_tool("qemu-system-riscv64")
    qpath = sock_path(tmp_path, "qemu.sock")
    qc = console([qemu, "-M", "virt", "-bios", "none", "-kernel", guest_elf(button=False),
                  "-nographic", "-monitor", "none",
                  "-qmp", f"unix:{qpath},server=on,wait=off"])
    qc.expect("tick", 30)
    theirs = session(qpath, qc)

    mpath = sock_path(tmp_path, "mimic.sock")
    mc = console(argv("-qmp", f"unix:{mpath},server=on,wait=off", button=False))
    mc.expect("tick", 30)
    ours = session(mpath, mc)

    for key in ("early", "raw"):
        assert ours[key] == theirs[key], key
    for (name, args), a, b in zip(SAME, ours["replies"], theirs["replies"]):
        assert a == b, (name, args)
    # Byte for byte, as a script reading the socket with grep sees it.
    for a, b in zip(ours["texts"], theirs["texts"]):
        assert a == b
    assert ours["parse_error"]["error"]["class"] == theirs["parse_error"]["error"]["class"]
    assert ours["parse_error"]["error"]["desc"].startswith("JSON parse error, ")
    assert ours["events"] == theirs["events"] == ["STOP", "RESUME"]
    strip = [{k: v for k, v in c.items() if k != "thread-id"} for c in ours["cpus"]]
    assert strip == [{k: v for k, v in c.items() if k != "thread-id"}
                     for c in theirs["cpus"]]
    g_ours, g_theirs = ours["greeting"]["QMP"], theirs["greeting"]["QMP"]
    assert g_ours.keys() == g_theirs.keys()
    assert g_ours["version"].keys() == g_theirs["version"].keys()
    assert g_ours["version"]["qemu"].keys() == g_theirs["version"]["qemu"].keys()
