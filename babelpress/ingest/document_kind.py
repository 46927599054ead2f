"""What a document is — a feed or a web page — told by its root element, as a feed reader tells it.

Neither the media type nor the first bytes can be trusted: servers send feeds as ``text/html`` and
pages as ``text/xml``, and templates and scripts put junk before a feed's root element — a
byte-order mark, blank lines, comments, an XML declaration that is no longer first, a stray
``<!DOCTYPE html>``, a PHP notice. ``sniff`` skips that prologue (byte-order marks, whitespace,
XML declarations, comments, processing instructions, any DOCTYPE; text, when an XML declaration or
a feed's root element follows it) and names the root element:

* ``rss``, ``rdf:RDF`` (RSS 1.0), ``feed`` (Atom) and ``channel`` (CDF) are feeds, with or without
  a namespace prefix;
* JSON whose ``version`` is a jsonfeed.org address is a JSON Feed;
* anything else is a page — above all an ``html`` root, whatever the media type said.

The media type decides only when there is no root element to read (empty, binary or plain text):
a feed type then sends the document to the feed parser, whose refusal says what is wrong.

Every place that decides what a document is asks here: the registry choosing the source for an
upload, a pasted URL, `babelpress import` and a followed feed (``FeedSource.recognises``), a feed
entry whose "page" is another feed, and the feed parser's own message for an HTML page.
``without_prologue_junk`` gives the feed parser the same document with that junk removed, so that a
feed with a stray DOCTYPE is read as the well-formed XML it otherwise is.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

FEED, JSON_FEED, PAGE = "feed", "json feed", "page"

#: Media types that say "feed" (only believed when the document has no root element to read).
FEED_MEDIA_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml",
    "application/x-rss+xml", "application/x-atom+xml", "application/rss", "text/rss+xml",
})
#: Local names of the root elements of feeds (rdf:RDF, atom:feed … are named without their prefix).
FEED_ROOTS = frozenset({"rss", "rdf", "feed", "channel"})
HTML_ROOTS = frozenset({"html", "head", "body"})
#: How much of a document is read to find its root: prologues longer than this are not feeds.
HEAD_BYTES = 64 * 1024

_UTF8_BOM_AS_LATIN1 = codecs.BOM_UTF8.decode("latin-1")
_PROLOGUE_ITEM = re.compile(
    r"""(?P<space>[\ \t\r\n\ufeff]+|""" + _UTF8_BOM_AS_LATIN1 + r""")
      | (?P<declaration><\?xml\s[^>]*?\?>)
      | <\?.*?\?>                                           # a processing instruction (xml-stylesheet …)
      | <!--.*?-->
      | <!doctype\s+(?P<doctype>[^\s>\[]*)[^>\[]*(?:\[.*?\])?\s*>   # with its internal subset, if any
    """, re.IGNORECASE | re.DOTALL | re.VERBOSE)
_ROOT = re.compile(r"<([A-Za-z_][\w.:-]*)")
_LATER_DECLARATION = re.compile(r"<\?xml\s+version", re.IGNORECASE)
_JSON_FEED_VERSION = re.compile(r'"version"\s*:\s*"https?://jsonfeed\.org/version/', re.IGNORECASE)
_WIDE_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
              (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_WIDE_STARTS = ((b"<\x00\x00\x00", "utf-32-le"), (b"\x00\x00\x00<", "utf-32-be"),
                (b"<\x00", "utf-16-le"), (b"\x00<", "utf-16-be"))


@dataclass(frozen=True)
class Sniffed:
    """What ``sniff`` found: the kind, the root element and the prologue before it."""

    kind: str  # FEED, JSON_FEED or PAGE
    root: str = ""  # the root element's name, lower case ("rss", "rdf:rdf", "feed", "html"); "" if none
    doctype: str = ""  # the name a <!DOCTYPE …> gives, lower case ("html"); "" if none
    json: bool = False  # the document is JSON (a JSON Feed or not)
    # Byte offset of the root element, when the document is in an ASCII-compatible encoding (else -1),
    # the XML declaration and a DOCTYPE naming the root as written, and whether anything before the
    # root makes the XML ill-formed.
    start: int = -1
    declaration: bytes = b""
    root_doctype: bytes = b""
    junk: bool = False

    @property
    def is_feed(self) -> bool:
        return self.kind in (FEED, JSON_FEED)

    @property
    def is_html(self) -> bool:
        """An HTML page (an html, head or body root, or a DOCTYPE html before anything but a feed)."""
        return self.root in HTML_ROOTS or (self.doctype == "html" and not self.is_feed)


def local_name(name: str) -> str:
    return name.rpartition(":")[2].lower()


def sniff(content: bytes | str, content_type: str = "") -> Sniffed:
    """What ``content`` (a document's bytes, or its text) is; ``content_type`` is the server's word."""
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    text, ascii_compatible = _head_text(content)
    first = text.lstrip(" \t\r\n\ufeff" + _UTF8_BOM_AS_LATIN1)[:1]
    if first in ("{", "["):
        is_feed = bool(_JSON_FEED_VERSION.search(text)) or media_type == "application/feed+json"
        return Sniffed(JSON_FEED if is_feed else PAGE, json=True)
    found = _scan(text, 0)
    if local_name(found.root) not in FEED_ROOTS:
        found = _after_stray_text(text, found) or found
    if found.root:
        kind = FEED if local_name(found.root) in FEED_ROOTS else PAGE
    else:
        kind = FEED if media_type in FEED_MEDIA_TYPES else PAGE
    return Sniffed(kind, root=found.root.lower(), doctype=found.doctype, json=False,
                   start=found.root_at if ascii_compatible and found.root else -1,
                   declaration=found.declaration.encode("latin-1") if ascii_compatible else b"",
                   root_doctype=found.root_doctype.encode("latin-1") if ascii_compatible else b"", junk=found.junk)


def without_prologue_junk(content: bytes, sniffed: Sniffed | None = None) -> bytes:
    """A feed's bytes without what makes its prologue ill-formed XML (a stray DOCTYPE, a declaration
    that is not first, text or comments before it); the same bytes when there is nothing to remove
    or the encoding is not ASCII-compatible. The XML declaration (the feed's word on its charset),
    a byte-order mark and a DOCTYPE naming the root element (RSS 0.91's entities) are kept.
    ``sniffed``: what ``sniff(content)`` found, when already known."""
    found = sniffed or sniff(content)
    if found.kind != FEED or not found.junk or found.start < 0:
        return content
    bom = codecs.BOM_UTF8 if content.startswith(codecs.BOM_UTF8) else b""
    return bom + found.declaration + found.root_doctype + content[found.start:]


@dataclass(frozen=True)
class _Scan:
    root: str
    doctype: str
    root_at: int
    stopped_at: int
    declaration: str
    junk: bool
    root_doctype: str = ""


def _scan(text: str, position: int) -> _Scan:
    """Skip the prologue from ``position``; the root element found after it (or ""). ``junk``: the
    prologue is not well-formed XML (something before the declaration, a second declaration or
    DOCTYPE, a DOCTYPE naming another element than the root, a byte-order mark not first)."""
    doctype, doctype_markup, declaration = "", "", ""
    document_start = position + len(_bom_at(text, position))
    junk = position > 0
    while (item := _PROLOGUE_ITEM.match(text, position)) is not None and item.end() > position:
        if item.group("declaration"):
            junk = junk or bool(declaration) or position != document_start
            declaration = declaration or item.group("declaration")
        elif item.group("space") is not None:
            space = item.group("space")[len(_bom_at(text, 0)):] if item.start() == 0 else item.group("space")
            junk = junk or _bom_in(space)
        elif item.group("doctype") is not None:
            junk = junk or bool(doctype)
            doctype, doctype_markup = item.group("doctype").lower(), item.group(0)
        position = item.end()
    root = _ROOT.match(text, position)
    name = root.group(1) if root else ""
    names_root = bool(name) and doctype == name.lower()
    junk = junk or bool(doctype and name and not names_root)
    return _Scan(name, doctype, position if root else -1, position, declaration, junk,
                 doctype_markup if names_root else "")


def _after_stray_text(text: str, found: _Scan) -> _Scan | None:
    """A feed behind text stuck before it (a PHP notice, a stray line of a template): the document
    proper starts at a later XML declaration, which XML allows nowhere else, or — when the prologue
    ends in plain text — at the first element, if that is a feed's root. None when there is none."""
    later = _LATER_DECLARATION.search(text, found.stopped_at)
    first = None if later or found.root else _ROOT.search(text, found.stopped_at)
    start = later or first
    if start is None:
        return None
    after = _scan(text, start.start())
    return after if local_name(after.root) in FEED_ROOTS else None


def _bom_at(text: str, position: int) -> str:
    for bom in ("\ufeff", _UTF8_BOM_AS_LATIN1):
        if text.startswith(bom, position):
            return bom
    return ""


def _bom_in(space: str) -> bool:
    return "\ufeff" in space or _UTF8_BOM_AS_LATIN1 in space


def _head_text(content: bytes | str) -> tuple[str, bool]:
    """The first HEAD_BYTES of ``content`` as text, and whether its characters are its bytes (an
    ASCII-compatible encoding read as Latin-1, so that offsets in the text are offsets in the bytes)."""
    if isinstance(content, str):
        return content[:HEAD_BYTES], False
    head = bytes(content[:HEAD_BYTES])
    for bom, codec in _WIDE_BOMS:
        if head.startswith(bom):
            return head[len(bom):].decode(codec, "ignore"), False
    for start, codec in _WIDE_STARTS:
        if head.startswith(start):
            return head.decode(codec, "ignore"), False
    return head.decode("latin-1"), True
