"""Running the real ``babelpress`` command in a subprocess, as an operator does."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_env(tmp_path, **extra) -> dict:
    """The environment of the tests without their Babelpress settings, the data folder in ``tmp_path``."""
    # As an operator runs it: none of the test run's settings (DJANGO_SETTINGS_MODULE is pytest's test layer).
    skip = ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BABELPRESS_", "PYTEST_")) and k not in skip}
    env.update({"BABELPRESS_DATA_DIR": str(tmp_path / "data")}, **extra)
    return env


def babelpress(*args, env, timeout=120):
    return subprocess.run(
        [sys.executable, "-m", "babelpress", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout
    )
