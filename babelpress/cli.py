"""The `babelpress` command: Django's management commands plus demo, serve and worker.

Before Django loads, this fills in what a local set-up should not have to think about: the data
folder, and a secret key kept in it (created once) when none is given in the environment.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path


def data_dir() -> Path:
    raw = os.environ.get("BABELPRESS_DATA_DIR")
    if raw:
        return Path(raw).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "babelpress"


def ensure_secret_key(folder: Path, create: bool) -> None:
    """Use BABELPRESS_SECRET_KEY, else the key saved in the data folder (made by the demo)."""
    if os.environ.get("BABELPRESS_SECRET_KEY"):
        return
    key_file = folder / "secret_key"
    if not key_file.exists():
        if not create:
            return
        folder.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    os.environ["BABELPRESS_SECRET_KEY"] = key_file.read_text().strip()


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "babelpress.settings")
    folder = data_dir()
    command = argv[1] if len(argv) > 1 else ""
    if command == "demo":
        # The demo is plain HTTP on this machine: no TLS redirect, no secure-only cookies.
        os.environ.setdefault("BABELPRESS_HTTPS", "0")
    if not os.environ.get("DATABASE_URL"):
        # The default SQLite database lives in the data folder; SQLite will not create folders.
        folder.mkdir(parents=True, exist_ok=True)
    ensure_secret_key(folder, create=command == "demo")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
