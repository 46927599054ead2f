"""Text an engine must not translate: web addresses, e-mail addresses, numbers and glossary terms
become ``<xN/>`` placeholders (``items.Kept``; glossary terms ``glossary.ProtectedTerm``).

``URL``, ``EMAIL`` and ``trim_url`` are also what QA calls a web or e-mail address: one definition.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from babelpress.translation.segmenter.items import Kept

if TYPE_CHECKING:
    from babelpress.translation.glossary import Glossary

URL = re.compile(r"(?:\bhttps?://|(?<![\w.@/])www\.)[^\s<>\"«»“”„‹›]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?'’)]}"
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Digits with internal separators: "2026", "3,5", "15.03.2026", "1 200,50" (space/NBSP/narrow NBSP/
# thin space only before a group of exactly three digits). Numbers glued to letters ("A320", "1er",
# "5km") are left to the engine, which must translate "1er" → "1st"; QA still checks their digits.
_NUMBER = re.compile(
    r"(?<!\w)(?<!\w[.,])\d+(?:[.,]\d+|[ \u00a0\u202f\u2009]\d{3}(?!\d))*(?!\w)(?![.,]\w)"
)


def trim_url(url: str) -> str:
    # Sentence punctuation after a URL is not part of it; a closing bracket is if the URL opened one.
    while url and url[-1] in _URL_TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def protect(text: str, glossary: Glossary | None) -> list:
    """Text → tokens, protecting URLs, e-mail addresses, glossary terms and numbers (in that order
    of precedence: a URL containing a number or a term stays one URL)."""
    spans: list[tuple[int, int, Kept]] = []

    def free(start, end):
        return all(end <= s or start >= e for s, e, _ in spans)

    for m in URL.finditer(text):
        url = trim_url(m.group(0))
        if url and free(m.start(), m.start() + len(url)):
            spans.append((m.start(), m.start() + len(url), Kept("url", text=url)))
    for m in EMAIL.finditer(text):
        if free(m.start(), m.end()):
            spans.append((m.start(), m.end(), Kept("email", text=m.group(0))))
    for start, end, term in glossary.protect(text) if glossary else ():
        if free(start, end):
            spans.append((start, end, term))
    for m in _NUMBER.finditer(text):
        if free(m.start(), m.end()):
            spans.append((m.start(), m.end(), Kept("number", text=m.group(0))))
    spans.sort(key=lambda s: s[0])
    tokens, pos = [], 0
    for start, end, item in spans:
        if start > pos:
            tokens.append(("text", text[pos:start]))
        tokens.append(("x", item))
        pos = end
    if pos < len(text):
        tokens.append(("text", text[pos:]))
    return tokens
