"""Placeholder tags: how a segment marks what an engine must carry over untouched.

A segment is an XML fragment: text with ``&``, ``<`` and ``>`` escaped, plus paired ``<g1>…</g1>``
(inline markup such as a link or emphasis; its content is translated) and empty ``<x2/>`` (a kept
item: a URL, an e-mail, a number, a glossary term, an image, a line break). This module is the one
definition of what those tags look like, for the segmenter, every engine and the review screen.
"""

from __future__ import annotations

import html
import re

#: A placeholder tag exactly as Babelpress writes it.
TAG = re.compile(r"<(/?)([gx])(\d+)(/?)>")
# Engines sometimes re-serialise our tags: "<x2></x2>" (HTML parsers), "<x2 />", "< /g1>", "<g 1>".
_LOOSE_TAG = re.compile(r"<\s*(/?)\s*([gx])\s*(\d+)\s*(/?)\s*>")
_EMPTY_PAIR = re.compile(r"<x(\d+)>\s*</x\1>")
#: Text that looks like a placeholder tag, however written ("<x1/>", "< X1 / >", "</g2>"): in a
#: translation's text (not its tags) it is an engine's leftover that readers must never see.
TAG_LOOKALIKE = re.compile(r"<\s*/?\s*[gx]\s*\d+\s*/?\s*>", re.IGNORECASE)


def placeholders_in(segment: str) -> list[str]:
    """The placeholder tags of a segment, in order, e.g. ['<g1>', '</g1>', '<x2/>']."""
    return [m.group(0) for m in TAG.finditer(segment)]


def split_on_placeholders(segment: str) -> list[tuple[str, str]]:
    """Split into ("tag", "<g1>") and ("text", "...") runs, in order."""
    runs, pos = [], 0
    for m in TAG.finditer(segment):
        if m.start() > pos:
            runs.append(("text", segment[pos:m.start()]))
        runs.append(("tag", m.group(0)))
        pos = m.end()
    if pos < len(segment):
        runs.append(("text", segment[pos:]))
    return runs


def tidy_tags(text: str) -> str:
    """An engine's output with its placeholder tags written as we write them ("<x2></x2>" is "<x2/>")."""
    text = _LOOSE_TAG.sub(lambda m: f"<{m[1]}{m[2]}{m[3]}{m[4]}>", text)
    return _EMPTY_PAIR.sub(r"<x\1/>", text)


def readable(segment: str) -> str:
    """A segment as a reviewer reads and types it: the text unescaped ("Fish & chips", "<b>"),
    the placeholder tags as they are. ``segment_from_readable`` is its inverse."""
    return "".join(run if kind == "tag" else html.unescape(run) for kind, run in split_on_placeholders(segment))


def segment_from_readable(text: str) -> str:
    """What a reviewer typed, as a segment: the text escaped, the placeholder tags kept."""
    return "".join(run if kind == "tag" else html.escape(run, quote=False) for kind, run in split_on_placeholders(text))
