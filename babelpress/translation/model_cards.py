"""What a model's own papers say: the Hugging Face model card (README.md) that comes with a
converted model, and the name it was published under ("opus-mt-en-hy").

From the card's front matter Babelpress reads ``license:`` and ``language:``; from OPUS-MT cards
also the "source languages: en" / "target languages: hy" lines and the "opus-mt-en-hy" title.
Licences are shown the way their authors spell them (SPDX), and one licence family matters
above all: Creative Commons *NonCommercial* (NLLB-200 is CC-BY-NC-4.0).
"""

from __future__ import annotations

import re
from pathlib import Path

from babelpress.translation.language_tokens import known_language

_SPDX = {name.lower(): name for name in (
    "Apache-2.0", "MIT", "BSD-3-Clause", "CC0-1.0", "CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0",
    "CC-BY-NC-SA-4.0", "CC-BY-NC-ND-4.0", "GPL-3.0", "LGPL-3.0", "OpenRAIL",
)}
_OPUS_NAME = re.compile(r"(?:^|[^a-z])opus-mt-(?:tc-[a-z]+-)?([a-z]{2,3})-([a-z]{2,3})(?![a-z])", re.IGNORECASE)
_CARD_LINE = re.compile(r"^\W*(source|target) languages?\s*:\s*([a-z_,\s]+?)\s*$", re.IGNORECASE | re.MULTILINE)


def licence_name(text: str) -> str:
    """"apache-2.0" → "Apache-2.0"; unknown spellings are kept as given."""
    text = text.strip().strip("'\"")
    return _SPDX.get(text.lower(), text)


def non_commercial(licence: str) -> bool:
    """True for licences that forbid commercial use (Creative Commons NonCommercial)."""
    lowered = licence.lower()
    return bool(re.search(r"(^|[-_ ])nc([-_ ]|$)", lowered)) or "noncommercial" in lowered.replace("-", "")


def front_matter(readme: Path) -> dict[str, object]:
    """The YAML front matter of a model card, for the simple keys Babelpress reads: a scalar
    (``license: mit``) or a list (``language:\\n- en\\n- hy``). Empty when there is none."""
    try:
        text = readme.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    match = re.match(r"\s*---\s*\n(.*?)\n---\s*(\n|$)", text, re.DOTALL)
    if not match:
        return {}
    found: dict[str, object] = {}
    key = None
    for line in match.group(1).splitlines():
        item = re.match(r"^\s*-\s*(.+?)\s*$", line)
        if item and key and isinstance(found.get(key), list):
            found[key].append(item.group(1).strip("'\""))
            continue
        pair = re.match(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$", line)
        if pair:
            key, value = pair.group(1).lower(), pair.group(2)
            found[key] = value.strip("'\"") if value else []
    return found


def card_licence(readme: Path) -> str:
    value = front_matter(readme).get("license", "")
    if isinstance(value, list):
        value = value[0] if value else ""
    return licence_name(value) if value else ""


def opus_pair(*names: str, readme: Path | None = None) -> tuple[str, str] | None:
    """The (source, target) of a bilingual OPUS-MT model from its names ("opus-mt-en-hy",
    "ct2-opus-mt-en-hy.tar.gz") or its card; None when they do not say."""
    for name in names:
        match = _OPUS_NAME.search(name)
        if match:
            pair = known_language(match.group(1)), known_language(match.group(2))
            if all(pair):
                return pair
    if readme is None:
        return None
    try:
        text = readme.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    sides = {side.lower(): value.replace(",", " ").split() for side, value in _CARD_LINE.findall(text)}
    if len(sides.get("source", [])) == 1 and len(sides.get("target", [])) == 1:
        pair = known_language(sides["source"][0]), known_language(sides["target"][0])
        if all(pair):
            return pair
    title = _OPUS_NAME.search(text)
    return opus_pair(title.group(0).strip(" #-_")) if title else None
