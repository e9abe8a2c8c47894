# SPDX-License-Identifier: MIT
# Test harness: locate builds and tools, drive an emulator's console.
import os
import pathlib
import re
import select
import shutil
import signal
import subprocess
import time

import pytest

SRC = pathlib.Path(os.environ.get("MIMIC_SRC", pathlib.Path(__file__).resolve().parent.parent))
BUILD = pathlib.Path(os.environ.get("MIMIC_BUILD", SRC))


def program(name):
    """Path of one of mimic's programs in the build tree; skip if not built."""
    path = BUILD / name
    if not path.exists():
        pytest.skip(f"{name} is not built in {BUILD}")
    return path


def require_tool(name):
    """Path of a host tool, or skip the test naming what is missing."""
    path = shutil.which(name)
    if not path:
        pytest.skip(f"host tool {name} not found")
    return path


class Console:
    """A child process whose stdout+stderr we read and whose stdin we write.

    expect() waits for a regular expression with a timeout and keeps the
    transcript, so a failing test can show what the guest printed."""

    def __init__(self, argv, env=None, cwd=None):
        self.argv = [str(a) for a in argv]
        self.proc = subprocess.Popen(
            self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, env=env, cwd=cwd, start_new_session=True)
        self.transcript = b""
        self.pos = 0

    def _read_some(self, timeout):
        fd = self.proc.stdout.fileno()
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            return False
        chunk = os.read(fd, 65536)
        if not chunk:
            return None
        self.transcript += chunk
        return True

    def expect(self, pattern, timeout=60):
        """Wait until pattern appears after the previous match; return the match."""
        regex = re.compile(pattern.encode() if isinstance(pattern, str) else pattern)
        deadline = time.monotonic() + timeout
        while True:
            m = regex.search(self.transcript, self.pos)
            if m:
                self.pos = m.end()
                return m
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(
                    f"timed out after {timeout}s waiting for {pattern!r}; output tail:\n"
                    + self.tail())
            got = self._read_some(min(left, 0.5))
            if got is None and not regex.search(self.transcript, self.pos):
                raise AssertionError(
                    f"process exited ({self.proc.wait()}) before {pattern!r}; output tail:\n"
                    + self.tail())

    def send(self, text):
        self.proc.stdin.write(text.encode() if isinstance(text, str) else text)
        self.proc.stdin.flush()

    def sendline(self, line):
        self.send(line + "\n")

    def wait(self, timeout=60):
        """Wait for exit, draining output; return the exit status."""
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"process did not exit within {timeout}s; tail:\n" + self.tail())
            self._read_some(min(left, 0.2))
        while self._read_some(0):
            pass
        return self.proc.returncode

    def tail(self, n=3000):
        return self.transcript[-n:].decode(errors="replace")

    def close(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()
            except OSError:
                pass
