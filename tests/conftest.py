# SPDX-License-Identifier: MIT
# Shared pytest fixtures: consoles that are always reaped.
import pytest

from harness import Console


@pytest.fixture
def console():
    """Factory: console(argv) starts a process; every one is killed at teardown."""
    started = []

    def start(argv, **kw):
        c = Console(argv, **kw)
        started.append(c)
        return c

    yield start
    for c in started:
        c.close()
