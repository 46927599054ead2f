"""How `babelpress serve` (and `babelpress demo` with it) runs gunicorn: a request timeout chosen on purpose,
the application loaded once before the workers are forked, the job worker forked too, and no Django-loaded
parent left beside them (tests/core/test_cli.py watches the real processes)."""

from __future__ import annotations

import pytest
from django.core.management.base import CommandError

from babelpress.core.management.commands import demo, serve


def gunicorn_args(command_class, *argv) -> list[str]:
    command = command_class()
    options = vars(command.create_parser("babelpress", "serve").parse_args(list(argv)))
    return command.gunicorn_command(options)


def value_of(args: list[str], flag: str) -> str:
    return args[args.index(flag) + 1]


def test_gunicorn_gets_an_explicit_timeout_not_its_default_30_seconds():
    # Imports of URLs run in the worker (tests/ingest/test_import_jobs.py), so no request waits for
    # BABELPRESS_IMPORT_FETCH_BUDGET; the slowest request left, a 10 MB upload, takes seconds.
    assert value_of(gunicorn_args(serve.Command), "--timeout") == "60" == str(serve.DEFAULT_TIMEOUT)
    assert value_of(gunicorn_args(demo.Command), "--timeout") == "60"
    assert value_of(gunicorn_args(serve.Command, "--timeout", "120"), "--timeout") == "120"


def test_a_timeout_below_one_second_is_refused_with_the_fix():
    command = serve.Command()
    options = vars(command.create_parser("babelpress", "serve").parse_args(["--timeout", "0"]))
    with pytest.raises(CommandError, match="--timeout 0 is too short: give seconds, at least 1"):
        command.handle(**options)


def test_gunicorn_loads_the_application_once_before_forking_its_workers():
    args = gunicorn_args(serve.Command)
    assert "--preload" in args  # workers share the master's memory (copy-on-write)
    assert "--no-control-socket" in args  # no gunicornc socket shared in $HOME, no thread in the master
    assert "--config" not in args  # no job worker asked for


def test_the_job_worker_is_forked_from_gunicorns_master():
    # babelpress/core/gunicorn_worker.py: started once the application is loaded, stopped with the master.
    assert value_of(gunicorn_args(serve.Command, "--with-worker"), "--config") == "python:babelpress.core.gunicorn_worker"
    assert value_of(gunicorn_args(demo.Command), "--config") == "python:babelpress.core.gunicorn_worker"
    assert "--config" not in gunicorn_args(demo.Command, "--no-worker")


def test_serve_becomes_gunicorn_instead_of_waiting_beside_it(monkeypatch):
    # The process that loaded Django for its checks does not stay resident: it is replaced (exec).
    replaced, steps = [], []
    monkeypatch.setattr(serve.os, "execv", lambda path, argv: (replaced.append((path, argv)), steps.append("exec")))
    monkeypatch.setattr(serve.connections, "close_all", lambda: steps.append("close connections"))
    monkeypatch.setenv("BABELPRESS_ALLOWED_HOSTS", "localhost")  # serve adds its host for gunicorn: undone after
    command = serve.Command()
    options = vars(command.create_parser("babelpress", "serve").parse_args(["--port", "8123", "--with-worker"]))
    command.serve(options)
    [(path, argv)] = replaced
    assert path == argv[0] and argv[1:4] == ["-m", "gunicorn", "babelpress.wsgi:application"]
    assert value_of(argv, "--bind") == "127.0.0.1:8123"
    assert steps == ["close connections", "exec"]  # none left open for the new program to inherit
