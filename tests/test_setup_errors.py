"""A set-up mistake gets one line on stderr saying what is wrong and how to fix it, never a traceback.

Each case runs the real `babelpress` command in a subprocess, as an operator would.
"""

from __future__ import annotations

import socket

import pytest

from .commands import babelpress, free_port, run_env

KEY = "k" * 60


def postgres_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
        return True
    except OSError:
        return False


needs_postgres = pytest.mark.skipif(not postgres_answers(), reason="no PostgreSQL server at 127.0.0.1:5432")


def assert_one_clear_line(result, *expected: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    for text in expected:
        assert text in lines[0]


@pytest.mark.parametrize("command", [["migrate"], ["worker", "--batch"], ["translation", "status"], ["serve"]])
def test_a_url_that_is_not_a_database_url(tmp_path, command):
    env = run_env(tmp_path, DATABASE_URL="notaurl", BABELPRESS_SECRET_KEY=KEY)
    assert_one_clear_line(babelpress(*command, env=env), "DATABASE_URL='notaurl' is not a database URL",
                          "postgres://USER:PASSWORD@HOST:5432/NAME")


def test_a_malformed_url_is_shown_without_its_password(tmp_path):
    env = run_env(tmp_path, DATABASE_URL="postgress://news:s3cret@db.example/news", BABELPRESS_SECRET_KEY=KEY)
    result = babelpress("migrate", env=env)
    assert_one_clear_line(result, "postgress://news:***@db.example/news")
    assert "s3cret" not in result.stderr


@pytest.mark.parametrize("command", [["migrate"], ["worker", "--batch"], ["translation", "status"],
                                     ["serve", "--port", "8999"], ["demo", "--no-serve"]])
def test_a_closed_port(tmp_path, command):
    port = free_port()
    env = run_env(tmp_path, DATABASE_URL=f"postgres://news@127.0.0.1:{port}/news", BABELPRESS_SECRET_KEY=KEY)
    result = babelpress(*command, env=env)
    assert_one_clear_line(result, f"Cannot reach the database server at 127.0.0.1:{port} (Connection refused)",
                          "fix the host and port in DATABASE_URL")


@needs_postgres
def test_a_database_that_does_not_exist(tmp_path):
    env = run_env(tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:5432/bp_no_such_db", BABELPRESS_SECRET_KEY=KEY)
    assert_one_clear_line(babelpress("migrate", env=env), "The database 'bp_no_such_db' does not exist",
                          "createdb -h 127.0.0.1 -p 5432 -U postgres bp_no_such_db")


@needs_postgres
def test_a_database_user_that_does_not_exist(tmp_path):
    env = run_env(tmp_path, DATABASE_URL="postgres://bp_nobody@127.0.0.1:5432/postgres", BABELPRESS_SECRET_KEY=KEY)
    assert_one_clear_line(babelpress("worker", "--batch", env=env), "The database user 'bp_nobody' does not exist",
                          "fix the user in DATABASE_URL")


@pytest.mark.parametrize("command", [["migrate"], ["worker", "--batch"], ["serve"]])
def test_a_missing_secret_key(tmp_path, command):
    assert_one_clear_line(babelpress(*command, env=run_env(tmp_path)), "BABELPRESS_SECRET_KEY is not set",
                          "secrets.token_urlsafe(50)")


def test_a_database_without_tables_says_to_migrate(tmp_path):
    result = babelpress("translation", "status", env=run_env(tmp_path, BABELPRESS_SECRET_KEY=KEY))
    assert_one_clear_line(result, "no Babelpress tables", "run `babelpress migrate`")


def test_a_data_folder_that_cannot_be_created(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    env = run_env(tmp_path, BABELPRESS_SECRET_KEY=KEY, BABELPRESS_DATA_DIR=str(blocker / "data"))
    assert_one_clear_line(babelpress("migrate", env=env), f"Cannot create the data folder {blocker / 'data'}",
                          "set BABELPRESS_DATA_DIR")


def test_a_setting_that_cannot_be_read_is_one_line_too(tmp_path):
    env = run_env(tmp_path, BABELPRESS_SECRET_KEY=KEY, BABELPRESS_DEBUG="maybe")
    assert_one_clear_line(babelpress("migrate", env=env), "BABELPRESS_DEBUG='maybe' is not a boolean")


def test_traceback_still_shows_the_details_when_asked(tmp_path):
    env = run_env(tmp_path, DATABASE_URL="notaurl", BABELPRESS_SECRET_KEY=KEY)
    result = babelpress("migrate", "--traceback", env=env)
    assert result.returncode != 0 and "Traceback" in result.stderr
