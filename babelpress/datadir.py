"""The data folder: where it is, and that what it holds stays private to the account running Babelpress.

It holds password hashes and sessions (the SQLite database), the secret key and the demo editor's
password, so the folder is created 0700 and those files 0600. Rules (see docs/settings.md):

* a folder Babelpress creates is made 0700;
* the default folder (``~/.local/share/babelpress``) is Babelpress's own: an older version left it
  0755, so it is tightened to 0700;
* a folder the operator named with BABELPRESS_DATA_DIR that already exists keeps its mode (it may be
  shared on purpose, e.g. with a backup group); the secrets inside it are made private all the same.

No Django here: the `babelpress` command uses it before settings are loaded.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

SECRET_FILES = ("secret_key", "demo_password")
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")  # SQLite's own files beside a database


def data_dir() -> Path:
    raw = os.environ.get("BABELPRESS_DATA_DIR")
    if raw:
        return Path(raw).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "babelpress"


def is_default_location() -> bool:
    return not os.environ.get("BABELPRESS_DATA_DIR")


def ensure_private_dir(folder: Path) -> None:
    """Create ``folder`` (and missing parents) with the folder itself 0700; leave an existing one be."""
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        folder.chmod(0o700)  # mkdir's mode is filtered by the umask; say it exactly


def make_private(path: Path, mode: int) -> None:
    """Remove group and other access from ``path`` if it exists; warn (not fail) when we may not."""
    try:
        current = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return
    if current & 0o077:
        try:
            path.chmod(mode)
        except PermissionError:
            sys.stderr.write(
                f"Warning: {path} is readable by other accounts (mode {current:o}) and this account may not "
                f"change it: run `chmod {mode:o} {path}` as its owner.\n"
            )


def create_private_file(path: Path) -> None:
    """Create an empty file readable by its owner only, unless it exists (then only tighten it)."""
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        make_private(path, 0o600)


def write_private_file(path: Path, text: str) -> None:
    """Write ``text`` to a file that is never readable by others, not even for a moment."""
    create_private_file(path)
    with open(path, "w", encoding="utf-8") as file:
        file.write(text)


def secure_sqlite(database: Path) -> None:
    """Make a SQLite database 0600 before SQLite opens it: its -wal and -shm files take its mode."""
    if not database.parent.is_dir():
        return  # SQLite will say it cannot open the file; that message is the useful one
    create_private_file(database)
    for suffix in SQLITE_COMPANIONS[1:]:
        make_private(database.with_name(database.name + suffix), 0o600)


def secure_data_dir(folder: Path, *, ours: bool) -> None:
    """Tighten what an older Babelpress (or a careless copy) left readable by others."""
    if not folder.is_dir():
        return
    if ours:
        make_private(folder, 0o700)
    for name in SECRET_FILES:
        make_private(folder / name, 0o600)
    make_private(folder / "cache", 0o700)  # Django's file cache makes it 0700 itself when it creates it
