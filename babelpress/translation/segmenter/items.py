"""What stands behind each placeholder of a segment, and how a run of tokens becomes a segment.

``<gN>…</gN>`` is a ``Pair`` (inline markup kept here while its content is translated: the
attributes never leave, so an href is never sent); ``<xN/>`` is a ``Kept`` item (a URL, an e-mail
address, a number, inline code, a line break, an image, markup without text) put back as it was,
or a glossary term (``glossary.ProtectedTerm``) put back as its preferred target form. The tag
syntax itself is ``translation/placeholders.py``.

A text block is first a list of tokens: ``("text", str)``, ``("open", Pair)``, ``("close", Pair)``
and ``("x", Kept)``; ``render_tokens`` writes them as a segment.
"""

from __future__ import annotations

import html


class Pair:
    """Inline markup kept here while its content is translated: ``<gN>…</gN>``."""

    __slots__ = ("tag", "attrs")

    def __init__(self, tag: str, attrs: list[tuple[str, str | None]]):
        self.tag, self.attrs = tag, attrs

    def open_html(self) -> str:
        return start_tag(self.tag, self.attrs)

    def close_html(self) -> str:
        return f"</{self.tag}>"

    def identity(self) -> dict:
        """What it is, for messages (``qa_messages.describe_item``) and the review screen."""
        if self.tag == "a":
            return {"kind": "link", "value": dict(self.attrs).get("href") or ""}
        return {"kind": self.tag if self.tag in PAIR_KINDS else "formatting", "value": ""}


#: Inline markup the messages name ("the emphasis"); any other is "the formatting".
PAIR_KINDS = ("em", "i", "strong", "b", "u", "q", "cite", "abbr", "span", "sub", "sup")


class Kept:
    """Something behind an ``<xN/>``, put back as it was.

    ``parts`` is HTML (strings and images, whose alt text is translated elsewhere); ``text`` is
    the plain-text form; ``source`` the original text, used when restoring the source.
    """

    __slots__ = ("kind", "parts", "text", "source")

    def __init__(self, kind: str, *, text: str, source: str | None = None, parts: list | None = None):
        self.kind, self.text = kind, text
        self.source = text if source is None else source
        self.parts = [html.escape(text, quote=False)] if parts is None else parts

    def html(self, alts: dict, original: bool) -> str:
        return render_parts(self.parts, alts)

    def plain(self, original: bool) -> str:
        return self.source if original else self.text

    def identity(self) -> dict:
        """What it is, for messages (``qa_messages.describe_item``) and the review screen."""
        kind = self.kind if self.kind in ("number", "url", "email", "code", "br", "image") else "markup"
        return {"kind": kind, "value": self.source if kind in ("number", "url", "email") else ""}


class Image:
    """An <img> in the body; its alt text is the segment(s) of ``alt`` (a builder.Unit), if any."""

    __slots__ = ("attrs", "alt")

    def __init__(self, attrs, alt):
        self.attrs, self.alt = attrs, alt

    def render(self, alts: dict) -> str:
        if self.alt is None or self.alt not in alts:
            return start_tag("img", self.attrs)
        attrs = [(k, alts[self.alt] if k == "alt" else v) for k, v in self.attrs]
        return start_tag("img", attrs)


def start_tag(tag: str, attrs) -> str:
    out = [f"<{tag}"]
    for name, value in attrs:
        out.append(f" {name}" if value is None else f' {name}="{html.escape(value, quote=True)}"')
    out.append(">")
    return "".join(out)


def render_parts(parts: list, alts: dict) -> str:
    return "".join(p if isinstance(p, str) else p.render(alts) for p in parts)


def render_tokens(tokens: list) -> tuple[str, list, list[tuple[str, object]]]:
    """Tokens → (segment text, items by placeholder number - 1, glossary terms behind placeholders
    as (source form, ``glossary.TermForms``))."""
    out, items, terms, numbers = [], [], [], {}
    for kind, value in tokens:
        if kind == "text":
            out.append(html.escape(value, quote=False))
        elif kind == "open":
            items.append(value)
            numbers[id(value)] = len(items)
            out.append(f"<g{len(items)}>")
        elif kind == "close":
            out.append(f"</g{numbers[id(value)]}>")
        else:
            items.append(value)
            out.append(f"<x{len(items)}/>")
            if value.kind == "glossary":
                terms.append((value.source, value.term))
    return "".join(out), items, terms
