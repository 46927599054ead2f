"""Invisible characters normalised once, on the way in: every candidate story passes here
(``pipeline._store``) whatever source read it — a page, an upload, a feed.

Pages carry characters nobody sees but every machine reads: soft hyphens placed by a CMS's
hyphenation ("réac\u00adtion"), zero-width spaces and word joiners, byte-order marks pasted in the
middle of a text, control characters, line and paragraph separators. Left in, they split words for
search, translation memory, QA and dedup ("réaction" ≠ "réac\u00adtion"), and engines mistranslate them.
Here:

* the text is put in Unicode NFC (one code point for "é", not "e" + combining accent);
* soft hyphens, zero-width spaces, word joiners, BOMs, invisible operators and interlinear
  annotation marks go;
* zero-width joiners and non-joiners go except where they carry meaning: between two letters (or
  marks) of a script that uses them — Arabic and Persian ("می‌خواهم"), Syriac, N'Ko, Mongolian and
  the Indic and South-East Asian scripts — and, for the joiner, inside emoji sequences (👩‍🔬);
* C1 control characters (U+0080–U+009F) are what windows-1252 bytes become when read as
  ISO-8859-1 or written as "&#150;": they become the character meant ("–", "’", "…"), the others go;
  other control characters go (tabs stay: white space, and a code listing's indentation);
* line and paragraph separators, carriage returns, vertical tabs and form feeds become line breaks
  in plain text (a paragraph separator a paragraph break) and spaces in headlines, names and HTML;
* in the body, line breaks (<br>) that open or close a block go, and a run of them inside a
  paragraph splits it into paragraphs.

Direction marks (LRM, RLM, ALM) and bidi embeddings are kept: right-to-left text needs them.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from lxml import etree
from lxml import html as lxml_html

from babelpress.newsroom.sanitize import clean_body

if TYPE_CHECKING:
    from .sources.base import Candidate

SOFT_HYPHEN, ZWSP, ZWNJ, ZWJ, WORD_JOINER, BOM = "\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"
MONGOLIAN_VOWEL_SEPARATOR = "\u180e"

#: Always removed: they mean nothing in a news text.
_DROPPED = {SOFT_HYPHEN, ZWSP, WORD_JOINER, BOM, "\u2061", "\u2062", "\u2063", "\u2064", "\ufff9", "\ufffa",
            "\ufffb"}
#: Line breaks other than "\n".
_LINE_BREAKS = {"\r": "\n", "\x0b": "\n", "\x0c": "\n", "\u2028": "\n", "\u2029": "\n\n"}

#: Scripts in which ZWNJ/ZWJ shape or separate letters (code point ranges).
_JOINING_SCRIPTS = (
    (0x0600, 0x08FF),  # Arabic (Persian, Urdu …), Syriac, Thaana, N'Ko, Arabic supplements
    (0x0900, 0x0DFF),  # Devanagari … Malayalam, Sinhala
    (0x0F00, 0x109F),  # Tibetan, Myanmar
    (0x1780, 0x18AF),  # Khmer, Mongolian
    (0xA8E0, 0xA8FF),  # Devanagari extended
    (0xFB50, 0xFDFF),  # Arabic presentation forms A
    (0xFE70, 0xFEFE),  # Arabic presentation forms B
    (0x10D00, 0x10D3F),  # Hanifi Rohingya
    (0x11000, 0x111FF),  # Brahmi, Kaithi, Sharada …
)


def _c1(code: int) -> str:
    try:
        return bytes([code]).decode("cp1252")
    except UnicodeDecodeError:
        return ""  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: undefined in windows-1252 too


#: C0 and C1 controls → what they become ("" to drop). Tab and newline are kept for now.
_CONTROLS = {chr(c): "" for c in range(0x20) if chr(c) not in "\t\n"}
_CONTROLS.update({chr(c): _c1(c) for c in range(0x80, 0xA0)})
_CONTROLS["\x7f"] = ""
_CONTROLS.update(_LINE_BREAKS)
_TABLE = str.maketrans({**_CONTROLS, **{ch: "" for ch in _DROPPED}})

_SUSPECTS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u180e\u200b-\u200d\u2028\u2029\u2060-\u2064\ufeff"
                       "\ufff9-\ufffb\r]")
_CONTEXTUAL = re.compile("[\u200c\u200d\u180e]")
_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")
_INLINE = {"a", "em", "strong", "b", "i", "u", "span", "abbr", "cite", "q", "sub", "sup", "code"}


def _in_joining_script(ch: str) -> bool:
    code = ord(ch)
    return any(low <= code <= high for low, high in _JOINING_SCRIPTS) and unicodedata.category(ch)[0] in "LM"


def _emoji_side(ch: str) -> bool:
    code = ord(ch)
    return (unicodedata.category(ch) == "So" or 0x1F3FB <= code <= 0x1F3FF  # skin tones
            or ch == "\ufe0f" or 0x1F000 <= code <= 0x1FAFF)


def _keeps(joiner: str, before: str, after: str) -> bool:
    """Whether a ZWNJ/ZWJ/MVS between ``before`` and ``after`` carries meaning."""
    if not before or not after:
        return False
    if joiner == MONGOLIAN_VOWEL_SEPARATOR:
        return 0x1800 <= ord(before) <= 0x18AF and 0x1800 <= ord(after) <= 0x18AF
    if _in_joining_script(before) and _in_joining_script(after):
        return True
    return joiner == ZWJ and _emoji_side(before) and _emoji_side(after)


def _joiners(pieces: list[str]) -> list[str]:
    """``pieces`` (text runs; markup runs start with "<" and are skipped) with ZWNJ/ZWJ/MVS kept
    only where they carry meaning; the neighbours of a joiner are looked for across markup."""
    out = list(pieces)
    for index, piece in enumerate(pieces):
        if piece.startswith("<") or not _CONTEXTUAL.search(piece):
            continue
        chars = list(piece)
        for position, ch in enumerate(chars):
            if ch not in (ZWNJ, ZWJ, MONGOLIAN_VOWEL_SEPARATOR):
                continue
            before = _neighbour(pieces, index, chars, position, -1)
            after = _neighbour(pieces, index, chars, position, +1)
            if not _keeps(ch, before, after):
                chars[position] = ""
        out[index] = "".join(chars)
    return out


def _neighbour(pieces: list[str], index: int, chars: list[str], position: int, step: int) -> str:
    """The nearest visible character before (step -1) or after (+1) a position, across markup."""
    j = position + step
    while 0 <= j < len(chars):
        if chars[j] and chars[j] not in (ZWNJ, ZWJ):
            return chars[j]
        j += step
    k = index + step
    while 0 <= k < len(pieces):
        piece = pieces[k]
        if not piece.startswith("<") and piece:
            return piece[-1] if step < 0 else piece[0]
        name = _TAG_NAME.match(piece) if piece.startswith("<") else None
        if name and name.group(1).lower() not in _INLINE:
            return ""  # a block, an image or a line break in between: not neighbours
        k += step
    return ""


def _normalise(value: str, *, html: bool) -> str:
    if not value:
        return value or ""
    value = value.replace("\r\n", "\n")
    pieces = _TAG.split(value) if html else [value]
    pieces = _joiners(pieces)
    text = "".join(pieces)
    if _SUSPECTS.search(text):
        text = text.translate(_TABLE)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def normalise_text(value: str | None) -> str:
    """A plain text with its line structure (a body's text: paragraphs split by a blank line)."""
    text = _normalise(value or "", html=False)
    return re.sub(r"[ \u3000]*\n[ \u3000]*", "\n", text) if "\n" in text else text


def normalise_line(value: str | None) -> str:
    """A one-line text (a headline, a standfirst, a name): line breaks become spaces."""
    return " ".join(_normalise(value or "", html=False).split()) if value else ""


def normalise_html(body: str | None) -> str:
    """An article body (any HTML: cleaned by ``clean_body``) with its invisible characters and
    stray line breaks normalised."""
    body = clean_body(body or "")
    if not body:
        return ""
    body = _normalise(body, html=True)
    if "<br" in body:
        body = _line_breaks(body)
    return clean_body(body)


_BLOCKS_WITH_TEXT = ("p", "h2", "h3", "li", "blockquote", "figcaption", "caption", "td", "th")


def _line_breaks(body: str) -> str:
    """<br> opening or closing a block dropped; a run of them in a paragraph splits it."""
    root = lxml_html.fragment_fromstring(body, create_parent="div")
    for block in list(root.iter(*_BLOCKS_WITH_TEXT)):
        _trim_breaks(block)
    for paragraph in list(root.iter("p")):
        _split_on_break_runs(paragraph)
    return "".join(etree.tostring(child, encoding="unicode", method="html") for child in root) if len(root) \
        else root.text or ""


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


def _trim_breaks(block) -> None:
    while len(block) and block[0].tag == "br" and _blank(block.text):
        _remove_keeping_tail(block[0])
    while len(block) and block[-1].tag == "br" and _blank(block[-1].tail):
        _remove_keeping_tail(block[-1])


def _remove_keeping_tail(element) -> None:
    parent, tail = element.getparent(), element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def _split_on_break_runs(paragraph) -> None:
    """<p>a<br><br>b</p> → <p>a</p><p>b</p> (only breaks directly inside the paragraph)."""
    children = list(paragraph)

    def run_at(i: int) -> bool:
        return (children[i].tag == "br" and i + 1 < len(children) and children[i + 1].tag == "br"
                and _blank(children[i].tail))

    if not any(run_at(i) for i in range(len(children))):
        return
    parts = [etree.Element("p")]
    parts[0].text = paragraph.text
    i = 0
    while i < len(children):
        if run_at(i):
            while run_at(i):
                i += 1  # to the run's last <br>: its tail opens the next paragraph
            parts.append(etree.Element("p"))
            parts[-1].text = children[i].tail
        else:
            parts[-1].append(children[i])  # moves it with its tail
        i += 1
    parts[-1].tail = paragraph.tail
    parent = paragraph.getparent()
    position = parent.index(paragraph)
    parent.remove(paragraph)
    for offset, part in enumerate(parts):
        parent.insert(position + offset, part)
        _trim_breaks(part)


def normalise_candidate(candidate: Candidate) -> Candidate:
    """Every text of a candidate story normalised in place (and returned)."""
    candidate.headline = normalise_line(candidate.headline)
    candidate.standfirst = normalise_line(candidate.standfirst)
    candidate.author = normalise_line(candidate.author) or None
    candidate.sitename = normalise_line(candidate.sitename)
    candidate.text = normalise_text(candidate.text)
    candidate.body_html = normalise_html(candidate.body_html)
    return candidate
