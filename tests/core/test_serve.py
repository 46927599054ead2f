"""`babelpress serve` sets gunicorn's request timeout deliberately (and `babelpress demo` with it)."""

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
