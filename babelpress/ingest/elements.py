"""Small lxml helpers shared by the body writer (body.py), tables (tables.py) and captions (captions.py)."""

from __future__ import annotations


def append_text(element, text: str | None) -> None:
    """Add ``text`` at the end of ``element``'s content: after its last child, else to its own text."""
    if not text:
        return
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text
