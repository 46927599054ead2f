"""Whole numbers read from what people and other sites send: URLs, form fields, uploaded files."""

from __future__ import annotations


def ascii_number(text: str) -> int | None:
    """The whole number ``text`` spells in ASCII digits only, else None.

    str.isdigit() also accepts '⁰⁴⁵', which int() refuses (a server error), and int() accepts
    '١٢' and ' 12 ', which no page or file of ours writes.
    """
    return int(text) if text.isascii() and text.isdigit() else None
