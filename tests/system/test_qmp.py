# SPDX-License-Identifier: MIT
# QMP against a running bare-metal guest: the protocol, every command, the
# events, run control, and input that must not hurt the emulator.
import json
import os
import re
import socket
import subprocess
import time

import pytest

from harness import require_tool
from monitor_guest import argv, drain, quiet_for, sock_path
from qmp import QMPClient, QMPError

REQUIRED_COMMANDS = {
    "qmp_capabilities", "query-version", "query-commands", "query-status",
    "query-name", "query-uuid", "query-target", "query-machines",
    "query-cpus-fast", "query-block", "query-chardev", "query-kvm",
    "query-pci", "stop", "cont", "system_reset", "system_powerdown", "quit",
    "human-monitor-command",
}


def start(console, tmp_path, *extra):
    path = sock_path(tmp_path)
    c = console(argv("-qmp", f"unix:{path},server=on,wait=off", *extra))
    c.expect("tick", 30)
    return c, path


def error_of(reply):
    assert "error" in reply, reply
    return reply["error"]["class"], reply["error"]["desc"]


def test_greeting_negotiation_and_queries(console, tmp_path):
    c, path = start(console, tmp_path, "-name", "qmptest", "-smp", "2")
    q = QMPClient(path, negotiate=False)
    greet = q.greeting["QMP"]
    assert set(greet["version"]["qemu"]) == {"major", "minor", "micro"}
    assert greet["version"]["package"].startswith("mimic-")
    assert greet["capabilities"] == []

    # Nothing but qmp_capabilities before negotiation.
    assert error_of(q.execute("query-status")) == (
        "CommandNotFound", "Expecting capabilities negotiation with 'qmp_capabilities'")
    assert q.execute("qmp_capabilities") == {"return": {}, "id": q._id}
    assert error_of(q.execute("qmp_capabilities")) == (
        "CommandNotFound", "Capabilities negotiation is already complete, command ignored")

    assert q.cmd("query-status") == {"running": True, "singlestep": False, "status": "running"}
    assert q.cmd("query-version")["qemu"] == greet["version"]["qemu"]
    names = {c["name"] for c in q.cmd("query-commands")}
    assert REQUIRED_COMMANDS <= names
    assert q.cmd("query-name") == {"name": "qmptest"}
    assert q.cmd("query-uuid") == {"UUID": "00000000-0000-0000-0000-000000000000"}
    assert q.cmd("query-target") == {"arch": "riscv64"}
    assert [m["name"] for m in q.cmd("query-machines")] == ["virt"]
    cpus = q.cmd("query-cpus-fast")
    assert [c["cpu-index"] for c in cpus] == [0, 1]
    assert all(c["target"] == "riscv64" for c in cpus)
    assert q.cmd("query-block") == []
    chardevs = {c["label"]: c for c in q.cmd("query-chardev")}
    assert chardevs["serial0"]["filename"] == "stdio"
    assert chardevs["serial0"]["frontend-open"] is True
    assert q.cmd("query-kvm") == {"enabled": False, "present": False}
    assert q.cmd("query-pci") == []
    assert "VM status: running" in q.hmp("info status")
    assert q.hmp("info name") == "qmptest\r\n"
    assert q.hmp("info uuid") == "00000000-0000-0000-0000-000000000000\r\n"
    assert q.hmp("info kvm") == "kvm support: not compiled\r\n"
    # HMP on another hart.
    assert q.hmp("p $mhartid") == "0\r\n"  # CR LF, as QEMU's HMP
    assert q.cmd("human-monitor-command",
                 {"command-line": "p $mhartid", "cpu-index": 1}) == "1\r\n"
    assert error_of(q.execute("human-monitor-command",
                              {"command-line": "p 1", "cpu-index": 9})) == (
        "GenericError", "Invalid CPU index")

    # The id comes back whatever its JSON type.
    for ident in ("abc", 17, {"nested": [1, 2]}):
        q.send_raw(json.dumps({"execute": "query-kvm", "id": ident}) + "\n")
        assert q.read_reply()["id"] == ident
    q.close()


def test_run_control_reset_and_powerdown(console, tmp_path):
    c, path = start(console, tmp_path)
    q = QMPClient(path)

    # stop: the STOP event, paused, and the guest's clock stands still.
    assert q.cmd("stop") == {}
    assert "timestamp" in q.get_event("STOP")
    assert q.cmd("query-status") == {"running": False, "singlestep": False, "status": "paused"}
    drain(c)
    assert quiet_for(c, 1.0), "the guest printed while stopped"
    assert "VM status: paused" in q.hmp("info status")

    # cont: RESUME and output again.
    assert q.cmd("cont") == {}
    q.get_event("RESUME")
    c.expect("tick", 5)
    assert q.cmd("query-status")["running"] is True

    # system_reset: RESET (host) and the guest boots again.
    drain(c)
    assert q.cmd("system_reset") == {}
    ev = q.get_event("RESET")
    assert ev["data"] == {"guest": False, "reason": "host-qmp-system-reset"}
    c.expect("boot\r?\ntick 00000000", 10)

    # system_powerdown: POWERDOWN, the guest sees the button and powers
    # off, SHUTDOWN (guest) and mimic exits 0.
    assert q.cmd("system_powerdown") == {}
    q.get_event("POWERDOWN")
    c.expect("powering down", 10)
    ev = q.get_event("SHUTDOWN")
    assert ev["data"] == {"guest": True, "reason": "guest-shutdown"}
    assert set(ev["timestamp"]) == {"seconds", "microseconds"}
    assert abs(ev["timestamp"]["seconds"] - time.time()) < 60
    assert c.wait(10) == 0


def test_quit(console, tmp_path):
    c, path = start(console, tmp_path)
    q = QMPClient(path)
    assert q.cmd("quit") == {}
    ev = q.get_event("SHUTDOWN")
    assert ev["data"] == {"guest": False, "reason": "host-qmp-quit"}
    assert c.wait(10) == 0


def test_bad_requests_get_documented_errors(console, tmp_path):
    c, path = start(console, tmp_path)
    q = QMPClient(path)
    assert error_of(q.execute("no-such-command")) == (
        "CommandNotFound", "The command no-such-command has not been found")
    assert error_of(q.execute("human-monitor-command", {"command-line": 5})) == (
        "GenericError", "Invalid parameter type for 'command-line', expected: string")
    assert error_of(q.execute("human-monitor-command", {})) == (
        "GenericError", "Parameter 'command-line' is missing")
    assert error_of(q.execute("stop", {"force": True})) == (
        "GenericError", "Parameter 'force' is unexpected")

    def raw(data):
        q.send_raw(data)
        return q.read_reply()

    assert raw(b'{"execute": "query-status", "arguments": [1]}\n')["error"]["desc"] == \
        "QMP input member 'arguments' must be an object"
    assert raw(b'{"execute": 42}\n')["error"]["desc"] == \
        "QMP input member 'execute' must be a string"
    assert raw(b'{"exec": "stop"}\n')["error"]["desc"] == \
        "QMP input member 'exec' is unexpected"
    assert raw(b'[1, 2]\n')["error"]["desc"] == "QMP input must be a JSON object"
    err = raw(b'{"execute": }\n')["error"]
    assert err["class"] == "GenericError" and err["desc"].startswith("JSON parse error, ")
    err = raw(b'{"execute": "\xff\xfe"}\n')["error"]
    assert err["desc"].startswith("JSON parse error, "), err
    # A message past 64 KiB is refused; the session goes on afterwards.
    big = b'{"execute": "query-status", "id": "' + b"a" * (100 * 1024) + b'"}\n'
    err = raw(big)["error"]
    assert err["desc"] == "JSON parse error, message too large"
    assert q.cmd("query-status")["running"] is True
    q.close()
    c.expect("tick", 5)


def test_hostile_clients_do_not_hurt_the_guest(console, tmp_path):
    c, path = start(console, tmp_path)
    good = QMPClient(path)

    # 1 MiB of garbage: error replies, then the connection is closed.
    bad = QMPClient(path, negotiate=False)
    garbage = bytes((i * 131 + 7) % 251 for i in range(1 << 20))
    try:
        bad.send_raw(garbage)
    except (BrokenPipeError, ConnectionResetError):
        pass
    replies = []
    while True:
        try:
            msg = bad.read_message(10)
        except (ConnectionResetError, json.JSONDecodeError):
            break
        if msg is None:
            break
        replies.append(msg)
    assert replies and all(r["error"]["desc"].startswith("JSON parse error")
                           for r in replies), replies[:3]
    bad.close()

    # A client that disconnects in the middle of a command.
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    s.sendall(b'{"execute": "qmp_capabilities"}\n{"execute": "query-sta')
    s.close()

    # A client that sends commands and never reads: dropped at 1 MiB of
    # unread output, without stalling anyone.
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.sendall(b'{"execute": "qmp_capabilities"}\n')
    flood = b'{"execute": "query-commands"}\n' * 200
    sent_until_drop = 0
    try:
        for _ in range(100):
            s.sendall(flood)
            sent_until_drop += 1
    except (BrokenPipeError, ConnectionResetError):
        pass
    s.close()
    assert sent_until_drop < 100, "a client that never reads was not dropped"

    # Two clients at once: both answered, both get events.
    other = QMPClient(path)
    assert good.cmd("query-status")["running"] is True
    assert other.cmd("query-status")["running"] is True
    good.cmd("stop")
    good.get_event("STOP")
    other.get_event("STOP")
    other.cmd("cont")
    good.get_event("RESUME")
    other.get_event("RESUME")
    drain(c)
    c.expect("tick", 5)
    good.close()
    other.close()
    assert c.proc.poll() is None


def test_tcp_and_mon_chardev(console, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    mon_path = sock_path(tmp_path, "mon.sock")
    c = console(argv("-qmp", f"tcp:127.0.0.1:{port},server=on,wait=off",
                     "-chardev", f"socket,id=qmp1,path={mon_path},server=on,wait=off",
                     "-mon", "chardev=qmp1,mode=control"))
    c.expect("tick", 30)
    t = QMPClient(("127.0.0.1", port))
    m = QMPClient(mon_path)
    assert t.cmd("query-target") == {"arch": "riscv64"}
    assert m.cmd("query-target") == {"arch": "riscv64"}
    labels = [x["label"] for x in m.cmd("query-chardev")]
    assert "qmp1" in labels and "serial0" in labels
    m.close()
    # The chardev monitor takes a new client after the first went away,
    # greeting it again.
    m = QMPClient(mon_path)
    assert m.cmd("query-status")["running"] is True
    t.cmd("quit")
    assert c.wait(10) == 0


def test_socat_scripts_the_raw_protocol(console, tmp_path):
    socat = require_tool("socat")
    c, path = start(console, tmp_path)
    script = (b'{"execute": "qmp_capabilities"}\n'
              b'{"execute": "query-status", "id": 1}\n'
              b'{"execute": "stop", "id": 2}\n'
              b'{"execute": "cont", "id": 3}\n'
              b'{"execute": "quit", "id": 4}\n')
    # socat keeps reading for -t seconds after its input ends.
    out = subprocess.run([socat, "-t", "5", "-", f"UNIX-CONNECT:{path}"],
                         input=script, capture_output=True, timeout=30).stdout
    msgs = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert "QMP" in msgs[0]
    replies = {m["id"]: m for m in msgs if "id" in m}
    assert replies[1]["return"]["status"] == "running"
    assert replies[2] == {"return": {}, "id": 2}
    assert replies[4] == {"return": {}, "id": 4}
    events = [m["event"] for m in msgs if "event" in m]
    assert events == ["STOP", "RESUME", "SHUTDOWN"]
    assert c.wait(10) == 0


def test_block_and_pci(console, tmp_path):
    disk = tmp_path / "disk.img"
    disk.write_bytes(b"\0" * (1 << 20))
    c, path = start(console, tmp_path,
                    "-drive", f"file={disk},format=raw,if=none,id=d0,readonly=on",
                    "-device", "virtio-blk-pci,drive=d0",
                    "-device", "virtio-rng-pci")
    q = QMPClient(path)
    (blk,) = q.cmd("query-block")
    assert blk["device"] == "d0"
    assert blk["inserted"]["file"] == str(disk)
    assert blk["inserted"]["ro"] is True and blk["inserted"]["drv"] == "raw"
    assert blk["inserted"]["image"]["virtual-size"] == 1 << 20
    # QEMU's layout (test_qmp_mgmt compares it with QEMU's own).
    assert re.fullmatch(
        rf"d0 \(#block\d+\): {re.escape(str(disk))} \(raw, read-only\)\r\n"
        r"    Attached to:      /machine/peripheral-anon/device\[0\]/virtio-backend\r\n"
        r"    Cache mode:       writeback\r\n", q.hmp("info block"))
    (bus,) = q.cmd("query-pci")
    ids = {(d["id"]["vendor"], d["id"]["device"]) for d in bus["devices"]}
    # virtio-blk and virtio-rng, modern (0x1040 + device type).
    assert {(0x1af4, 0x1042), (0x1af4, 0x1044)} <= ids, ids
    assert "PCI device 1af4:1044" in q.hmp("info pci")
    q.close()


def test_no_pci_devices_no_pci_bus(console, tmp_path):
    c, path = start(console, tmp_path)
    q = QMPClient(path)
    assert q.cmd("query-pci") == []
    assert q.cmd("query-block") == []
    q.close()


def test_start_paused_is_prelaunch(console, tmp_path):
    path = sock_path(tmp_path)
    c = console(argv("-S", "-qmp", f"unix:{path},server=on,wait=off"))
    q = QMPClient(path)
    assert q.cmd("query-status") == {"running": False, "singlestep": False,
                                     "status": "prelaunch"}
    assert quiet_for(c, 0.5, b"boot"), "the guest ran under -S"
    q.cmd("cont")
    q.get_event("RESUME")
    c.expect("boot", 10)
    assert q.cmd("query-status")["status"] == "running"
    q.cmd("stop")
    assert q.cmd("query-status")["status"] == "paused"
    q.cmd("quit")
    assert c.wait(10) == 0


def test_guest_reboot_events(console, tmp_path):
    # The guest reboots through the test finisher: RESET (guest) and it
    # boots again; under -no-reboot the same is SHUTDOWN (guest-reset).
    path = sock_path(tmp_path)
    c = console(argv("-qmp", f"unix:{path},server=on,wait=off", reboot=True))
    c.expect("tick", 30)
    q = QMPClient(path)
    q.cmd("system_powerdown")
    assert q.get_event("RESET")["data"] == {"guest": True, "reason": "guest-reset"}
    c.expect("boot", 10)
    c.expect("tick", 10)
    q.cmd("quit")
    assert c.wait(10) == 0

    path = sock_path(tmp_path)
    c = console(argv("-no-reboot", "-qmp", f"unix:{path},server=on,wait=off",
                     reboot=True))
    c.expect("tick", 30)
    q = QMPClient(path)
    q.cmd("system_powerdown")
    assert q.get_event("SHUTDOWN")["data"] == {"guest": True, "reason": "guest-reset"}
    assert c.wait(10) == 0


def test_mimic_connects_to_a_listening_client(console, tmp_path):
    path = sock_path(tmp_path)
    server = socket.socket(socket.AF_UNIX)
    server.bind(path)
    server.listen(1)
    server.settimeout(30)
    c = console(argv("-qmp", f"unix:{path}"))
    conn, _ = server.accept()
    f = conn.makefile("rwb")
    assert "QMP" in json.loads(f.readline())
    for cmd in ("qmp_capabilities", "query-status"):
        f.write(json.dumps({"execute": cmd}).encode() + b"\n")
        f.flush()
        reply = json.loads(f.readline())
    assert reply["return"]["running"] is True
    f.write(b'{"execute": "quit"}\n')
    f.flush()
    assert c.wait(10) == 0
    conn.close()
    server.close()


def test_system_reset_under_no_reboot_shuts_down(console, tmp_path):
    # As QEMU: the reply, SHUTDOWN (host-qmp-system-reset), exit 0.
    c, path = start(console, tmp_path, "-no-reboot")
    q = QMPClient(path)
    assert q.cmd("system_reset") == {}
    ev = q.get_event("SHUTDOWN")
    assert ev["data"] == {"guest": False, "reason": "host-qmp-system-reset"}
    assert c.wait(10) == 0


def test_many_clients_at_once(console, tmp_path):
    # 64 sessions at a time; one more is turned away with a closed
    # connection, and a place frees up when a client leaves.
    c, path = start(console, tmp_path)
    clients = [QMPClient(path) for _ in range(64)]
    extra = socket.socket(socket.AF_UNIX)
    extra.connect(path)
    extra.settimeout(10)
    assert extra.recv(100) == b""
    extra.close()
    clients[0].cmd("stop")
    for q in clients:
        assert q.get_event("STOP")
    clients[-1].cmd("cont")
    for q in clients:
        q.close()
    c.expect("tick", 10)
    deadline = time.monotonic() + 5
    while True:  # the 64 hang-ups are seen asynchronously
        try:
            late = QMPClient(path)
            break
        except (EOFError, BrokenPipeError, ConnectionResetError):
            assert time.monotonic() < deadline
            time.sleep(0.1)
    assert late.cmd("query-status")["running"] is True
    late.close()


def test_chardev_monitor_client_that_never_reads(console, tmp_path):
    # A -mon chardev client that stops reading is cut off at 1 MiB of
    # unread output; meanwhile the main loop answers others at once.
    qmp_path = sock_path(tmp_path)
    mon_path = sock_path(tmp_path, "mon.sock")
    c = console(argv("-qmp", f"unix:{qmp_path},server=on,wait=off",
                     "-chardev", f"socket,id=m,path={mon_path},server=on,wait=off",
                     "-mon", "chardev=m,mode=control"))
    c.expect("tick", 30)
    other = QMPClient(qmp_path)
    s = socket.socket(socket.AF_UNIX)
    s.connect(mon_path)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.sendall(b'{"execute": "qmp_capabilities"}\n')
    flood = b'{"execute": "query-commands"}\n' * 100
    s.settimeout(0.5)
    worst = 0.0
    try:
        for _ in range(200):
            s.sendall(flood)
            t = time.monotonic()
            other.cmd("query-status")
            worst = max(worst, time.monotonic() - t)
    except (BrokenPipeError, ConnectionResetError, socket.timeout):
        pass
    s.close()
    assert worst < 0.5, f"a QMP reply took {worst:.2f}s while a client did not read"
    # The chardev takes a new client, greeted afresh.
    m = QMPClient(mon_path)
    assert m.cmd("query-status")["running"] is True
    c.expect("tick", 5)
