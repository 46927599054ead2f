"""The shared test corpus: naughty strings, feeds and article pages kept outside the repository.

It is the project's ``shared/corpus``, laid beside the repository (``<repo>/../shared/corpus``, as
in CI and the main checkout); a checkout elsewhere names it with BABELPRESS_TEST_CORPUS. A test
that needs it fails, never skips, when it is missing.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

import pytest

BESIDE = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


@functools.cache
def corpus_dir() -> Path:
    for candidate in (BESIDE, os.environ.get("BABELPRESS_TEST_CORPUS"), "/work/shared/corpus"):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    pytest.fail(f"The shared test corpus is missing: put it at {BESIDE} or set BABELPRESS_TEST_CORPUS to its folder.",
                pytrace=False)


@functools.cache
def naughty_strings() -> tuple[str, ...]:
    """The Big List of Naughty Strings (corpus/naughty/blns.json)."""
    return tuple(json.loads((corpus_dir() / "naughty" / "blns.json").read_text(encoding="utf-8")))
