"""The importer keeps the project's shape: no module over 400 lines, no function over 60 without
a one-line reason at its top (tests/code_shape.py; its own rules are tested in tests/test_code_shape.py)."""

from __future__ import annotations

from ..code_shape import PACKAGE, describe, shape_problems


def test_no_importer_module_or_function_is_too_long():
    problems = shape_problems(PACKAGE / "ingest")
    assert not problems, describe(problems)
