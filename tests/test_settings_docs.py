"""Every BABELPRESS_* setting is documented in docs/settings.md (as Datasette tests its docs)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAME = re.compile(r"\bBABELPRESS_[A-Z0-9_]*[A-Z0-9]\b")


def used_in_code() -> set[str]:
    names = set()
    for path in (ROOT / "babelpress").rglob("*.py"):
        names |= set(NAME.findall(path.read_text(encoding="utf-8")))
    return names


def documented() -> set[str]:
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    return set(re.findall(r"^### (BABELPRESS_[A-Z0-9_]+)\s*$", text, re.MULTILINE))


def test_every_setting_used_in_the_code_is_documented():
    missing = used_in_code() - documented()
    assert not missing, f"Document these in docs/settings.md (a '### NAME' heading each): {sorted(missing)}"


def test_every_documented_setting_is_still_used():
    stale = documented() - used_in_code()
    assert not stale, f"docs/settings.md documents settings the code no longer reads: {sorted(stale)}"
