"""The `babelpress` command: Django's management commands plus demo, serve and worker.

Before Django loads, this fills in what a local set-up should not have to think about: the data
folder (private to this account), and a secret key kept in it (created once) when none is given in
the environment. Around every command, a set-up mistake (a malformed DATABASE_URL, a database that
cannot be reached, a missing secret key) is told in one line on stderr instead of a traceback.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

from babelpress import datadir


class SetupError(Exception):
    """A problem the operator fixes in the set-up; its message says how."""


def ensure_secret_key(folder: Path, create: bool) -> None:
    """Use BABELPRESS_SECRET_KEY, else the key saved in the data folder (made by the demo)."""
    if os.environ.get("BABELPRESS_SECRET_KEY"):
        return
    key_file = folder / "secret_key"
    if not key_file.exists():
        if not create:
            return
        datadir.ensure_private_dir(folder)
        datadir.write_private_file(key_file, secrets.token_urlsafe(50))
    os.environ["BABELPRESS_SECRET_KEY"] = key_file.read_text().strip()


def prepare_data_dir(folder: Path, command: str) -> None:
    """Create the data folder 0700 where it is needed, and tighten the secrets an older version left open."""
    needed = not os.environ.get("DATABASE_URL") or command == "demo"  # SQLite will not create folders
    try:
        if needed:
            datadir.ensure_private_dir(folder)
    except OSError as exc:
        raise SetupError(
            f"Cannot create the data folder {folder} ({exc.strerror}): set BABELPRESS_DATA_DIR to a folder "
            "this account may write to."
        ) from None
    datadir.secure_data_dir(folder, ours=datadir.is_default_location())


def load_settings() -> None:
    """Load Django's settings now, so that a bad one is reported before any command runs."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018  (importing the settings module is the point)
    except ImproperlyConfigured:
        raise
    except Exception as exc:
        raise SetupError(
            f"The settings could not be read ({type(exc).__name__}: {exc}): check the BABELPRESS_* variables "
            "and DATABASE_URL against docs/settings.md (add --traceback for details)."
        ) from exc
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and str(database["NAME"]) not in ("", ":memory:"):
        datadir.secure_sqlite(Path(database["NAME"]))


def run(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "babelpress.settings.base")
    folder = datadir.data_dir()
    command = argv[1] if len(argv) > 1 else ""
    if command == "demo":
        # The demo is plain HTTP on this machine: no TLS redirect, no secure-only cookies.
        os.environ.setdefault("BABELPRESS_HTTPS", "0")
    prepare_data_dir(folder, command)
    ensure_secret_key(folder, create=command == "demo")
    load_settings()
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    try:
        run(argv)
    except SetupError as exc:
        if "--traceback" in argv:
            raise
        fail(str(exc))
    except Exception as exc:
        from babelpress.startup_errors import explain

        message = None if "--traceback" in argv else explain(exc)
        if message is None:
            raise
        fail(message)


def fail(message: str) -> None:
    sys.stderr.write(f"Error: {message}\n")
    sys.exit(1)


if __name__ == "__main__":
    main()
