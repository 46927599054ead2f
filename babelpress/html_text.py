"""Plain text from an HTML fragment: one home for the importer (dedup, standfirsts, feed titles,
bylines) and the admin's previews.

Tags go (scripts and styles with their content, as nh3 strips them), entities are decoded once and
runs of white space collapsed. Block ends (paragraphs, headings, list items, quotes, line breaks …)
separate words, so "<p>One.</p><p>Two.</p>" is "One. Two.", never "One.Two.". The result is text,
not markup: escape it again before putting it in a page, and pass it through
``newsroom.sanitize.clean_text`` before storing it as a headline or a name (as feeds and bylines do).
A shared module: it imports no app.
"""

from __future__ import annotations

import html
import re

import nh3

_BLOCK_END = re.compile(
    r"<(?:/(?:p|h[1-6]|li|dt|dd|blockquote|figcaption|pre|div|tr|td|th)|br\s*/?)\s*>", re.IGNORECASE
)


def html_to_text(fragment: str | None, *, paragraphs: bool = False) -> str:
    """The text of ``fragment`` on one line; with ``paragraphs``, one block per paragraph, separated
    by a blank line ("\\n\\n")."""
    if not fragment:
        return ""
    spaced = _BLOCK_END.sub("\n", fragment)
    text = html.unescape(nh3.clean(spaced, tags=set(), attributes={}))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return ("\n\n" if paragraphs else " ").join(line for line in lines if line)
