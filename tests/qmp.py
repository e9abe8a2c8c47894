# SPDX-License-Identifier: MIT
# A small QMP client for the tests: socket + json, replies and events apart.
import json
import os
import socket
import time


class QMPError(Exception):
    pass


class QMPClient:
    """Speaks QMP over a unix or TCP socket. Replies and events are read
    from the same stream and kept apart: cmd() returns the reply to its own
    id, events wait in self.events for get_event()."""

    def __init__(self, address, timeout=10.0, negotiate=True):
        self.events = []
        self._buf = b""
        family = socket.AF_UNIX if isinstance(address, (str, os.PathLike)) else socket.AF_INET
        deadline = time.monotonic() + timeout
        while True:
            self.sock = socket.socket(family, socket.SOCK_STREAM)
            self.sock.settimeout(timeout)
            try:
                self.sock.connect(str(address) if family == socket.AF_UNIX else address)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                self.sock.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.greeting = self.read_message()
        self._id = 0
        if negotiate:
            self.cmd("qmp_capabilities")

    def close(self):
        self.sock.close()

    def send_raw(self, data):
        self.sock.sendall(data if isinstance(data, bytes) else data.encode())

    def read_message(self, timeout=10.0):
        """The next JSON message (reply or event); None on EOF."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no QMP message within %ss" % timeout)
            self.sock.settimeout(left)
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        if not line.strip():
            return self.read_message(timeout)
        self.last_text = line.decode().rstrip("\r")
        return json.loads(line)

    def read_reply(self, timeout=10.0):
        """The next message that is not an event (events are kept)."""
        while True:
            msg = self.read_message(timeout)
            if msg is None or "event" not in msg:
                return msg
            self.events.append(msg)

    def execute(self, name, arguments=None, timeout=10.0):
        """The full reply (with "return" or "error") to one command."""
        self._id += 1
        req = {"execute": name, "id": self._id}
        if arguments is not None:
            req["arguments"] = arguments
        self.send_raw(json.dumps(req) + "\n")
        reply = self.read_reply(timeout)
        if reply is None:
            raise EOFError("connection closed before the reply to " + name)
        assert reply.get("id") == self._id, reply
        return reply

    def cmd(self, name, arguments=None, timeout=10.0):
        """The "return" value, or QMPError with the error's class and desc."""
        reply = self.execute(name, arguments, timeout)
        if "error" in reply:
            raise QMPError(reply["error"]["class"], reply["error"]["desc"])
        return reply["return"]

    def hmp(self, command_line):
        return self.cmd("human-monitor-command", {"command-line": command_line})

    def get_event(self, name, timeout=10.0):
        """Wait for an event by name (earlier ones of other names stay)."""
        deadline = time.monotonic() + timeout
        while True:
            for i, ev in enumerate(self.events):
                if ev["event"] == name:
                    return self.events.pop(i)
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no %s event within %ss" % (name, timeout))
            msg = self.read_message(left)
            if msg is None:
                raise EOFError("connection closed while waiting for " + name)
            if "event" in msg:
                self.events.append(msg)
