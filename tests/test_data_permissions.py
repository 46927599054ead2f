"""The data folder holds password hashes, sessions and keys: only the account running Babelpress reads it.

Folder 0700, database (and SQLite's -wal/-shm files), secret key and demo password 0600, cache 0700,
whatever the umask; an existing folder named by BABELPRESS_DATA_DIR keeps the mode its operator gave it.
"""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest
from .commands import babelpress, run_env

from babelpress import datadir


@pytest.fixture(autouse=True)
def usual_umask():
    """The common 022 umask, under which files were created readable by everyone."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_fresh_set_up_is_private(tmp_path):
    env = run_env(tmp_path, BABELPRESS_SECRET_KEY="k" * 60)
    result = babelpress("migrate", env=env)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "data"
    assert mode(folder) == 0o700
    assert mode(folder / "babelpress.sqlite3") == 0o600


def test_the_demo_keeps_its_secrets_private(tmp_path):
    result = babelpress("demo", "--no-serve", "--no-collectstatic", env=run_env(tmp_path))
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "data"
    assert mode(folder) == 0o700
    for name in ("babelpress.sqlite3", "secret_key", "demo_password"):
        assert mode(folder / name) == 0o600, name


def test_sqlite_companion_files_take_the_private_mode_of_the_database(tmp_path):
    database = tmp_path / "db.sqlite3"
    datadir.secure_sqlite(database)
    connection = sqlite3.connect(database)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE t (x)")
        connection.execute("INSERT INTO t VALUES (1)")
        connection.commit()
        for suffix in ("", "-wal", "-shm"):
            assert mode(tmp_path / f"db.sqlite3{suffix}") == 0o600, suffix
    finally:
        connection.close()


def test_files_an_older_version_left_readable_are_tightened(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    (folder / "cache").mkdir(mode=0o755)
    for name in ("secret_key", "demo_password", "babelpress.sqlite3", "babelpress.sqlite3-wal"):
        (folder / name).write_text("x")
        (folder / name).chmod(0o644)
    datadir.secure_data_dir(folder, ours=False)
    datadir.secure_sqlite(folder / "babelpress.sqlite3")
    for name in ("secret_key", "demo_password", "babelpress.sqlite3", "babelpress.sqlite3-wal"):
        assert mode(folder / name) == 0o600, name
    assert mode(folder / "cache") == 0o700
    assert mode(folder) == 0o755  # named by the operator: its mode is theirs


def test_the_default_folder_is_babelpress_own_and_is_tightened(tmp_path, monkeypatch):
    monkeypatch.delenv("BABELPRESS_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    folder = tmp_path / "babelpress"
    folder.mkdir(mode=0o755)
    assert datadir.data_dir() == folder and datadir.is_default_location()
    datadir.secure_data_dir(folder, ours=datadir.is_default_location())
    assert mode(folder) == 0o700


def test_an_existing_operator_folder_keeps_its_mode_through_the_command(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir(mode=0o750)
    folder.chmod(0o750)
    result = babelpress("migrate", env=run_env(tmp_path, BABELPRESS_SECRET_KEY="k" * 60))
    assert result.returncode == 0, result.stderr
    assert mode(folder) == 0o750
    assert mode(folder / "babelpress.sqlite3") == 0o600


def test_a_private_file_is_never_readable_by_others_even_while_written(tmp_path):
    target = tmp_path / "secret"
    datadir.write_private_file(target, "hush")
    assert target.read_text() == "hush" and mode(target) == 0o600
    datadir.write_private_file(target, "hush again")  # rewriting keeps it private
    assert target.read_text() == "hush again" and mode(target) == 0o600


def test_a_folder_created_for_babelpress_is_0700(tmp_path):
    datadir.ensure_private_dir(tmp_path / "a" / "b")
    assert mode(tmp_path / "a" / "b") == 0o700
