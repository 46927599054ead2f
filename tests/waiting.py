"""Waiting for something another thread or process does, without fixed sleeps."""

from __future__ import annotations

import time


def wait_until(predicate, timeout: float = 5.0, what: str = "the condition"):
    """Poll ``predicate`` until it is true (returns its value); fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not met within {timeout} s")
        time.sleep(0.01)
