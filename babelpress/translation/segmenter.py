"""Cut an article into segments for a translation engine, and put the translations back.

A segment is an XML fragment (see ``engines.base``): escaped text plus placeholder tags.
``<gN>…</gN>`` stands for inline markup whose content is translated (a link, emphasis: the
attributes stay here, so an href is never sent); ``<xN/>`` stands for something kept as it is
(a URL, an e-mail address, a number, inline code, a line break, an image) or for a glossary term,
which comes back as the term's preferred target form.

Plain fields (headline …) give one segment each; the body gives one segment per text block
(h2, h3, p, li, blockquote, figcaption, and any loose text between blocks), each image's alt text
its own segment, and ``pre`` blocks none. ``SegmentedArticle.rebuild`` puts translated segments
back into the same block structure. Nothing here touches the database.
"""

from __future__ import annotations

import dataclasses as dc
import hashlib
import html
import json
import logging
import re
from collections.abc import Iterable, Sequence
from html.parser import HTMLParser

from babelpress.newsroom.sanitize import clean_body
from babelpress.translation.placeholders import TAG, split_on_placeholders, tidy_tags
from babelpress.translation.sentences import split_sentences

log = logging.getLogger(__name__)

PLAIN_FIELDS = ("headline", "alternative_headline", "standfirst", "summary")
HTML_FIELDS = ("body",)

# Inline elements become <gN> pairs, except br, img and code, which are kept whole as <xN/>.
INLINE_TAGS = {"a", "em", "strong", "b", "i", "u", "q", "cite", "abbr", "span", "sub", "sup", "code", "br", "img"}
VERBATIM_BLOCKS = {"pre"}  # code listings are not translated
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

# HTML's insignificant whitespace; NBSP and friends are text, so they are left alone.
_HTML_SPACE = " \t\n\r\f"
_HTML_SPACE_RUN = re.compile(r"[ \t\n\r\f]+")

# --- Protected text -------------------------------------------------------------------------------

_URL = re.compile(r"(?:\bhttps?://|(?<![\w.@/])www\.)[^\s<>\"«»“”„‹›]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?'’)]}"
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Digits with internal separators: "2026", "3,5", "15.03.2026", "1 200,50" (space/NBSP/narrow NBSP/
# thin space only before a group of exactly three digits). Numbers glued to letters ("A320", "1er",
# "5km") are left to the engine, which must translate "1er" → "1st"; QA still checks their digits.
_NUMBER = re.compile(
    r"(?<!\w)(?<!\w[.,])\d+(?:[.,]\d+|[ \u00a0\u202f\u2009]\d{3}(?!\d))*(?!\w)(?![.,]\w)"
)


def _trim_url(url: str) -> str:
    # Sentence punctuation after a URL is not part of it; a closing bracket is if the URL opened one.
    while url and url[-1] in _URL_TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


class Glossary:
    """Source forms (preferred + aliases) → the preferred target form, found as whole words."""

    def __init__(self, forms: dict[str, tuple[str, str]], pattern: re.Pattern | None):
        self._forms = forms  # normalised source form → (source form as given, target form)
        self._pattern = pattern

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[Sequence[str], str]]) -> Glossary:
        forms: dict[str, tuple[str, str]] = {}
        for sources, target in pairs:
            target = (target or "").strip()
            if not target:
                continue
            if isinstance(sources, str):
                sources = [sources]
            for form in sources:
                key = _norm_form(form)
                if key and key not in forms:  # the first term claiming a form keeps it
                    forms[key] = (" ".join(form.split()), target)
        if not forms:
            return cls({}, None)
        # Longest first: the regex alternation takes the first alternative that matches. The
        # pattern uses the forms as given (re's case folding, not str.lower(), decides matches).
        alternatives = [
            _form_pattern(form) for form, _ in sorted(forms.values(), key=lambda f: len(f[0]), reverse=True)
        ]
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)
        return cls(forms, pattern)

    @classmethod
    def empty(cls) -> Glossary:
        return cls({}, None)

    def __len__(self) -> int:
        return len(self._forms)

    def __bool__(self) -> bool:
        return bool(self._forms)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, target form) of each occurrence, left to right, longest match first."""
        if self._pattern is None:
            return []
        found = []
        for m in self._pattern.finditer(text):
            entry = self._forms.get(_norm_form(m.group(0)))
            if entry is None:  # re and str.lower() fold some letters differently ("İ")
                entry = next(
                    (e for e in self._forms.values() if re.fullmatch(_form_pattern(e[0]), m.group(0), re.IGNORECASE)), None
                )
            if entry is not None:
                found.append((m.start(), m.end(), entry[1]))
        return found


def _form_pattern(form: str) -> str:
    # Any run of spaces matches a space; Armenian "և" and "եվ" are the same letters (see below).
    words = [re.escape(word) for word in _armenian_ev(form).split(" ")]
    return r"\s+".join(words).replace("եվ", "(?:եվ|և)").replace("ԵՎ", "(?:ԵՎ|և)").replace("Եվ", "(?:Եվ|և)")


def _armenian_ev(text: str) -> str:
    return text.replace("և", "եվ")


def _norm_form(form: str) -> str:
    # Armenian "և" has no capital of its own: "Երևան" is written "ԵՐԵՎԱՆ", so և counts as եվ.
    return _armenian_ev(" ".join(form.split()).lower())


# --- Items behind the placeholders ----------------------------------------------------------------


class _Pair:
    """Inline markup kept here while its content is translated: ``<gN>…</gN>``."""

    __slots__ = ("tag", "attrs")

    def __init__(self, tag: str, attrs: list[tuple[str, str | None]]):
        self.tag, self.attrs = tag, attrs

    def open_html(self) -> str:
        return _start_tag(self.tag, self.attrs)

    def close_html(self) -> str:
        return f"</{self.tag}>"

    def describe(self) -> str:
        if self.tag == "a":
            href = dict(self.attrs).get("href")
            return f"the link to {href}" if href else "a link"
        return "the " + _PAIR_NAMES.get(self.tag, "formatting")


_PAIR_NAMES = {
    "em": "emphasis", "i": "italics", "strong": "bold text", "b": "bold text", "u": "underlined text",
    "q": "quotation", "cite": "citation", "abbr": "abbreviation", "span": "marked text",
    "sub": "subscript", "sup": "superscript",
}


class _Kept:
    """Something behind an ``<xN/>``: put back as it was (or, for a glossary term, as the target form).

    ``parts`` is HTML (strings and images, whose alt text is translated elsewhere); ``text`` is
    the plain-text form; ``source`` the original text, used when restoring the source.
    """

    __slots__ = ("kind", "parts", "text", "source")

    def __init__(self, kind: str, *, text: str, source: str | None = None, parts: list | None = None):
        self.kind, self.text = kind, text
        self.source = text if source is None else source
        self.parts = [html.escape(text, quote=False)] if parts is None else parts

    def html(self, alts: dict, original: bool) -> str:
        if original and self.kind == "glossary":
            return html.escape(self.source, quote=False)
        return _render_parts(self.parts, alts)

    def plain(self, original: bool) -> str:
        return self.source if original else self.text

    def describe(self) -> str:
        return {
            "number": f"the number {self.source}",
            "url": f"the web address {self.source}",
            "email": f"the e-mail address {self.source}",
            "glossary": f"the glossary term “{self.text}”",
            "code": "the code",
            "br": "a line break",
            "image": "an image",
        }.get(self.kind, "some markup")


class _Image:
    """An <img> in the body; its alt text is the segment(s) of ``alt`` (a _Unit), if any."""

    __slots__ = ("attrs", "alt")

    def __init__(self, attrs, alt: _Unit | None):
        self.attrs, self.alt = attrs, alt

    def render(self, alts: dict) -> str:
        if self.alt is None or self.alt not in alts:
            return _start_tag("img", self.attrs)
        attrs = [(k, alts[self.alt] if k == "alt" else v) for k, v in self.attrs]
        return _start_tag("img", attrs)


def _start_tag(tag: str, attrs) -> str:
    out = [f"<{tag}"]
    for name, value in attrs:
        out.append(f" {name}" if value is None else f' {name}="{html.escape(value, quote=True)}"')
    out.append(">")
    return "".join(out)


def _render_parts(parts: list, alts: dict) -> str:
    return "".join(p if isinstance(p, str) else p.render(alts) for p in parts)


# --- Parsing the body -----------------------------------------------------------------------------


class _Element:
    __slots__ = ("tag", "attrs", "children")

    def __init__(self, tag: str, attrs, children=None):
        self.tag, self.attrs, self.children = tag, attrs, children if children is not None else []


class _TreeBuilder(HTMLParser):
    # The stdlib parser: tolerant of any character (lxml refuses control characters), and the body
    # has already been through clean_body, so the markup is simple and well formed.
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Element("#root", [])
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = _Element(tag, attrs)
        self.stack[-1].children.append(element)
        if tag not in VOID_TAGS:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(_Element(tag, attrs))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        children = self.stack[-1].children
        if children and isinstance(children[-1], str):
            children[-1] += data
        else:
            children.append(data)


def _parse(body: str) -> _Element:
    builder = _TreeBuilder()
    builder.feed(body)
    builder.close()
    return builder.root


def _has_block(el: _Element) -> bool:
    return any(isinstance(c, _Element) and (c.tag not in INLINE_TAGS or _has_block(c)) for c in el.children)


def _is_inline(node) -> bool:
    return isinstance(node, str) or (node.tag in INLINE_TAGS and not _has_block(node))


def _has_text(nodes) -> bool:
    """Is there anything to translate: non-blank text outside code?"""
    for node in nodes:
        if isinstance(node, str):
            if node.strip(_HTML_SPACE):
                return True
        elif node.tag != "code" and _has_text(node.children):
            return True
    return False


def _text_content(node) -> str:
    if isinstance(node, str):
        return node
    return "".join(_text_content(c) for c in node.children)


# --- Segments -------------------------------------------------------------------------------------


@dc.dataclass
class Segment:
    key: str
    field: str
    text: str
    #: (source text as found, preferred target form) of each glossary term in this segment.
    glossary_terms: list[tuple[str, str]] = dc.field(default_factory=list)
    #: Restore data: the item behind placeholder number N is ``_items[N - 1]``.
    _items: list = dc.field(default_factory=list, repr=False, compare=False)


class _Unit:
    """One translatable run of text (a plain field, a body block, an alt text): one segment, or
    several when it was split by sentence. Restored, its segments are joined with ``joiners``."""

    __slots__ = ("field", "is_html", "prefix", "suffix", "segments", "joiners")

    def __init__(self, field: str, is_html: bool, prefix: str = "", suffix: str = ""):
        self.field, self.is_html, self.prefix, self.suffix = field, is_html, prefix, suffix
        self.segments: list[Segment] = []
        self.joiners: list[str] = []


def _render_tokens(tokens: list) -> tuple[str, list, list[tuple[str, str]]]:
    """Tokens → (segment text, items by placeholder number - 1, glossary terms)."""
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
                terms.append((value.source, value.text))
    return "".join(out), items, terms


class _Builder:
    """Walks the fields and collects segments, units and the body templates."""

    def __init__(self, language: str, glossary: Glossary, max_chars: int | None):
        self.language = language
        self.glossary = glossary
        self.max_chars = max_chars
        self.segments: list[Segment] = []
        self.units: list[_Unit] = []
        self.block_count: dict[str, int] = {}
        self.alt_count: dict[str, int] = {}

    # Text → tokens, protecting URLs, e-mail addresses, glossary terms and numbers (in that order
    # of precedence: a URL containing a number or a term stays one URL).
    def protect(self, text: str) -> list:
        spans: list[tuple[int, int, _Kept]] = []

        def free(start, end):
            return all(end <= s or start >= e for s, e, _ in spans)

        for m in _URL.finditer(text):
            url = _trim_url(m.group(0))
            if url and free(m.start(), m.start() + len(url)):
                spans.append((m.start(), m.start() + len(url), _Kept("url", text=url)))
        for m in _EMAIL.finditer(text):
            if free(m.start(), m.end()):
                spans.append((m.start(), m.end(), _Kept("email", text=m.group(0))))
        for start, end, target in self.glossary.find(text):
            if free(start, end):
                spans.append((start, end, _Kept("glossary", text=target, source=text[start:end])))
        for m in _NUMBER.finditer(text):
            if free(m.start(), m.end()):
                spans.append((m.start(), m.end(), _Kept("number", text=m.group(0))))
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

    def inline_tokens(self, nodes, images: list) -> list:
        tokens = []
        for node in nodes:
            if isinstance(node, str):
                tokens.extend(self.protect(_HTML_SPACE_RUN.sub(" ", node)))
            elif node.tag == "img":
                image = _Image(node.attrs, None)
                images.append(image)
                tokens.append(("x", _Kept("image", text="", parts=[image])))
            elif node.tag == "br":
                tokens.append(("x", _Kept("br", text="\n", parts=["<br>"])))
            elif node.tag == "code":
                tokens.append(("x", _Kept("code", text=_text_content(node), parts=self.verbatim([node], images))))
            elif not _has_text(node.children):
                # Nothing to translate inside (an empty span, a link around an image): keep it whole.
                tokens.append(("x", _Kept("markup", text=_text_content(node), parts=self.verbatim([node], images))))
            else:
                pair = _Pair(node.tag, node.attrs)
                tokens.append(("open", pair))
                tokens.extend(self.inline_tokens(node.children, images))
                tokens.append(("close", pair))
        return tokens

    def verbatim(self, nodes, images: list) -> list:
        """Nodes serialised as they are; images become _Image parts (their alt is translated)."""
        parts: list = []

        def walk(node, in_code):
            if isinstance(node, str):
                parts.append(html.escape(node, quote=False))
            elif node.tag == "img" and not in_code:
                image = _Image(node.attrs, None)
                images.append(image)
                parts.append(image)
            else:
                parts.append(_start_tag(node.tag, node.attrs))
                if node.tag not in VOID_TAGS:
                    for child in node.children:
                        walk(child, in_code or node.tag in ("code", "pre"))
                    parts.append(f"</{node.tag}>")

        for node in nodes:
            walk(node, False)
        return parts

    def add_unit(self, field: str, base_key: str, tokens: list, *, is_html: bool, prefix="", suffix="") -> _Unit:
        unit = _Unit(field, is_html, prefix, suffix)
        chunks = self.split(tokens)
        for number, (joiner, chunk) in enumerate(chunks, start=1):
            text, items, terms = _render_tokens(chunk)
            key = base_key if len(chunks) == 1 else f"{base_key}.{number}"
            segment = Segment(key=key, field=field, text=text, glossary_terms=terms, _items=items)
            unit.segments.append(segment)
            if number > 1:
                unit.joiners.append(joiner)
            self.segments.append(segment)
        self.units.append(unit)
        return unit

    def add_alts(self, name: str, images: list) -> None:
        for image in images:
            alt = dict(image.attrs).get("alt")
            if not alt or not alt.strip():
                continue
            text = _HTML_SPACE_RUN.sub(" ", alt)
            core = text.strip(_HTML_SPACE)
            prefix, suffix = text[: len(text) - len(text.lstrip(_HTML_SPACE))], text[len(text.rstrip(_HTML_SPACE)):]
            self.alt_count[name] = self.alt_count.get(name, 0) + 1
            image.alt = self.add_unit(
                "alt", f"{name}:alt:{self.alt_count[name]}", self.protect(core), is_html=False, prefix=prefix, suffix=suffix
            )

    def plain_field(self, name: str, value: str) -> _Unit | None:
        core = value.strip()
        if not core:
            return None
        prefix, suffix = value[: len(value) - len(value.lstrip())], value[len(value.rstrip()):]
        return self.add_unit(name, name, self.protect(core), is_html=False, prefix=prefix, suffix=suffix)

    def html_field(self, name: str, value: str) -> list:
        """The body → template parts: strings, _Image parts and _Unit slots, in document order."""
        parts: list = []
        self.container(name, _parse(clean_body(value)).children, parts)
        return parts

    def container(self, name: str, children, parts: list) -> None:
        run: list = []
        for child in children:
            if _is_inline(child):
                run.append(child)
                continue
            self.flush(name, run, parts)
            run = []
            if child.tag in VERBATIM_BLOCKS or child.tag in VOID_TAGS:
                parts.extend(self.verbatim([child], []))
            else:
                parts.append(_start_tag(child.tag, child.attrs))
                self.container(name, child.children, parts)
                parts.append(f"</{child.tag}>")
        self.flush(name, run, parts)

    def flush(self, name: str, run: list, parts: list) -> None:
        """A run of inline content: one text block (unit), or kept as it is when it has no text."""
        if not run:
            return
        images: list = []
        if not _has_text(run):
            parts.extend(self.verbatim(run, images))
            self.add_alts(name, images)
            return
        run = list(run)
        prefix = suffix = ""
        # Whitespace around the block stays in the template, so the layout survives exactly.
        if isinstance(run[0], str):
            stripped = run[0].lstrip(_HTML_SPACE)
            prefix, run[0] = run[0][: len(run[0]) - len(stripped)], stripped
        if isinstance(run[-1], str):
            stripped = run[-1].rstrip(_HTML_SPACE)
            suffix, run[-1] = run[-1][len(stripped):], stripped
        tokens = self.inline_tokens(run, images)
        self.block_count[name] = self.block_count.get(name, 0) + 1
        parts.append(prefix)
        parts.append(self.add_unit(name, f"{name}:{self.block_count[name]}", tokens, is_html=True))
        parts.append(suffix)
        self.add_alts(name, images)

    # --- sentence splitting ---

    def split(self, tokens: list) -> list[tuple[str, list]]:
        """[(joiner before, tokens)]: one chunk, or chunks of whole sentences of at most max_chars."""
        if not self.max_chars or len(_render_tokens(tokens)[0]) <= self.max_chars:
            return [("", tokens)]
        pieces = _sentence_pieces(tokens, self.language)
        if len(pieces) < 2:
            return [("", tokens)]
        chunks: list[tuple[str, list]] = []
        joiner, current = pieces[0]
        for piece_joiner, piece in pieces[1:]:
            candidate = current + [("text", piece_joiner)] + piece
            if len(_render_tokens(candidate)[0]) <= self.max_chars:
                current = candidate
            else:
                chunks.append((joiner, current))
                joiner, current = piece_joiner, piece
        chunks.append((joiner, current))
        return chunks


def _sentence_pieces(tokens: list, language: str) -> list[tuple[str, list]]:
    """Split tokens at sentence boundaries outside any <gN> pair and outside kept items.

    Returns [(joiner, tokens)]: the joiner is " " when whitespace separated the sentence from the
    previous one (it is trimmed off both pieces), "" otherwise (scripts without spaces). Only HTML
    whitespace is trimmed: a no-break space is text and stays with its sentence.
    """
    # The text pysbd sees: kept items by their source text, so "1 200,50" or a URL read naturally.
    display, starts, depths = [], [], []
    pos = depth = 0
    for kind, value in tokens:
        shown = value if kind == "text" else (value.source if kind == "x" and value.kind != "br" else "")
        if kind == "x" and value.kind == "br":
            shown = " "
        starts.append(pos)
        if kind == "close":
            depth -= 1
        depths.append(depth)
        if kind == "open":
            depth += 1
        display.append(shown)
        pos += len(shown)
    text = "".join(display)

    boundaries, pos, first = [], 0, True
    for sentence in split_sentences(text, language):
        sentence = sentence.strip()
        if not sentence:
            continue
        found = text.find(sentence, pos)
        if found < 0:
            continue  # pysbd altered this sentence: no boundary before it
        if not first:
            boundaries.append(found)
        first = False
        pos = found + len(sentence)

    # Boundary offsets → cut points (token index, offset in that token's text).
    cuts = []
    for b in boundaries:
        for i, (kind, value) in enumerate(tokens):
            end = starts[i] + len(display[i])
            if kind == "text" and starts[i] <= b < end and depths[i] == 0:
                cuts.append((i, b - starts[i]))
                break
            if starts[i] == b and kind in ("x", "open") and depths[i] == 0:
                cuts.append((i, 0))
                break
            if starts[i] > b:
                break  # inside a pair or a kept item: these sentences stay together
    if not cuts:
        return [("", tokens)]

    pieces: list[list] = [[]]
    cut_set = {}
    for i, offset in cuts:
        cut_set.setdefault(i, []).append(offset)
    for i, token in enumerate(tokens):
        kind, value = token
        offsets = sorted(set(cut_set.get(i, [])))
        if kind != "text" or not offsets:
            if offsets:  # cut before a non-text token
                pieces.append([])
            pieces[-1].append(token)
            continue
        last = 0
        for offset in offsets:
            if offset > last:
                pieces[-1].append(("text", value[last:offset]))
            pieces.append([])
            last = offset
        if last < len(value):
            pieces[-1].append(("text", value[last:]))

    out: list[tuple[str, list]] = []
    pending_space = False
    for piece in pieces:
        lead, piece = _strip_tokens(piece)
        if not piece:
            pending_space = pending_space or lead
            continue
        trail = _strip_trailing(piece)
        out.append((" " if (pending_space or lead) else "", piece))
        pending_space = trail
    if out:
        out[0] = ("", out[0][1])
    return out


def _strip_tokens(piece: list) -> tuple[bool, list]:
    """Drop leading whitespace of a piece; True if there was some."""
    piece = list(piece)
    stripped = False
    while piece and piece[0][0] == "text":
        value = piece[0][1].lstrip(_HTML_SPACE)
        stripped = stripped or value != piece[0][1]
        if value:
            piece[0] = ("text", value)
            break
        piece.pop(0)
    return stripped, piece


def _strip_trailing(piece: list) -> bool:
    """Drop trailing whitespace of a piece in place; True if there was some."""
    stripped = False
    while piece and piece[-1][0] == "text":
        value = piece[-1][1].rstrip(_HTML_SPACE)
        stripped = stripped or value != piece[-1][1]
        if value:
            piece[-1] = ("text", value)
            break
        piece.pop()
    return stripped


# --- Restoring ------------------------------------------------------------------------------------


def _first_upper(text: str) -> str:
    # Not str.capitalize(), which lowercases the rest: names, terms and web addresses keep their case.
    return text[:1].upper() + text[1:]


def _restore(segment: Segment, fragment: str, *, is_html: bool, alts: dict, original: bool = False) -> tuple[str, list[str]]:
    """Put the items back into a translated fragment. Never raises on bad markup: stray tags are
    dropped, unclosed pairs closed, missing kept items appended; each repair is described."""
    items = segment._items
    out: list[str] = []
    problems: list[str] = []
    stack: list[int] = []
    used: set[int] = set()
    overlapped: set[int] = set()
    dropped: list[int] = []

    def emit_text(text: str):
        out.append(html.escape(text, quote=False) if is_html else text)

    def close(n: int):
        if is_html:
            out.append(items[n - 1].close_html())

    for kind, run in split_on_placeholders(tidy_tags(fragment)):
        if kind == "text":
            emit_text(html.unescape(run))
            continue
        m = TAG.fullmatch(run)
        closing, letter, n = m[1] == "/", m[2], int(m[3])
        item = items[n - 1] if 0 < n <= len(items) else None
        expected = _Pair if letter == "g" else _Kept
        # "</x1>" and "<g1/>" are not forms we send: treat them as stray.
        malformed = (letter == "x" and closing) or (letter == "g" and m[4] == "/")
        if not isinstance(item, expected) or malformed:
            problems.append(f"The tag {run} does not belong to this text; it was removed.")
            continue
        if letter == "x":
            if n in used:
                problems.append(f"{_first_upper(item.describe())} appeared twice; the extra copy was removed.")
                continue
            used.add(n)
            out.append(item.html(alts, original) if is_html else item.plain(original))
        elif not closing:
            if n in used:
                problems.append(f"{_first_upper(item.describe())} appeared twice; the extra copy was removed.")
                dropped.append(n)  # its end tag goes too, without a second report
                continue
            used.add(n)
            stack.append(n)
            if is_html:
                out.append(item.open_html())
        elif n in stack:
            while stack:
                top = stack.pop()
                close(top)
                if top == n:
                    break
                overlapped.add(top)
                problems.append(f"{_first_upper(items[top - 1].describe())} overlapped other markup; it was closed early.")
        elif n in overlapped:
            overlapped.discard(n)  # already closed (and reported) above
        elif n in dropped:
            dropped.remove(n)
        elif n in used:
            problems.append(f"{_first_upper(item.describe())} was closed twice; the extra end was removed.")
        else:
            problems.append(f"{_first_upper(item.describe())} ended before it began; the stray end was removed.")
    while stack:
        n = stack.pop()
        close(n)
        problems.append(f"{_first_upper(items[n - 1].describe())} was not closed; it now runs to the end of the segment.")
    for n, item in enumerate(items, start=1):
        if n in used:
            continue
        if isinstance(item, _Pair):
            problems.append(f"{_first_upper(item.describe())} was lost in the translation.")
        else:
            problems.append(f"{_first_upper(item.describe())} was missing; it was added at the end.")
            restored = item.html(alts, original) if is_html else item.plain(original)
            if out and restored and not "".join(out[-1:]).endswith((" ", "\n")):
                out.append(" ")
            out.append(restored)
    return "".join(out), problems


class SegmentedArticle:
    """The segments of an article, and what is needed to put their translations back."""

    def __init__(self, segments: list[Segment], units: list[_Unit], fields: dict[str, object]):
        self.segments = segments
        self._units = units
        self._fields = fields  # name → None (empty), _Unit (plain) or list of parts (html)
        self._by_key = {s.key: s for s in segments}
        self._unit_of = {s.key: u for u in units for s in u.segments}
        self._problems: dict[str, list[str]] = {}

    def __iter__(self):
        return iter(self.segments)

    def __len__(self) -> int:
        return len(self.segments)

    def segment(self, key: str) -> Segment:
        return self._by_key[key]

    def problems(self, key: str) -> list[str]:
        """What went wrong with the markup of segment ``key`` in the last rebuild/restore."""
        return list(self._problems.get(key, []))

    @property
    def all_problems(self) -> dict[str, list[str]]:
        return {k: list(v) for k, v in self._problems.items() if v}

    def restore(self, key: str, fragment: str | None = None) -> str:
        """One segment's translation with its placeholders restored (HTML for body blocks, plain
        text otherwise). ``None`` restores the source segment as sent, glossary terms as targets.
        Records markup problems for ``problems(key)``."""
        segment = self._by_key[key]
        if fragment is None:
            fragment = segment.text
        text, problems = _restore(segment, fragment, is_html=self._unit_of[key].is_html, alts={})
        self._problems[key] = problems
        return text

    def restore_source(self, key: str) -> str:
        """The source of one segment as written (glossary terms in their source form): what QA
        compares the translation with."""
        segment = self._by_key[key]
        return _restore(segment, segment.text, is_html=self._unit_of[key].is_html, alts={}, original=True)[0]

    def rebuild(self, translations: dict[str, str]) -> dict[str, str]:
        """The translated fields, from one translated fragment per segment key.

        A missing key keeps the source text of that segment. Markup problems are recorded (see
        ``problems``). Plain fields come back as plain text, the body as clean HTML."""
        self._problems = {}
        restored: dict[_Unit, str] = {}
        # Alt texts first: images inside text blocks need them.
        for unit in sorted(self._units, key=lambda u: u.field != "alt"):
            texts = []
            for segment in unit.segments:
                fragment = translations.get(segment.key)
                if not isinstance(fragment, str):
                    fragment = segment.text
                text, problems = _restore(segment, fragment, is_html=unit.is_html, alts=restored)
                if problems:
                    self._problems[segment.key] = problems
                # Engines like to add a newline or a space; the template owns the outer whitespace.
                texts.append(text.strip(_HTML_SPACE))
            joined = texts[0]
            for joiner, text in zip(unit.joiners, texts[1:]):
                joined += joiner + text
            restored[unit] = unit.prefix + joined + unit.suffix
        out = {}
        for name, spec in self._fields.items():
            if spec is None:
                out[name] = ""
            elif isinstance(spec, _Unit):
                out[name] = restored[spec]
            else:
                out[name] = clean_body("".join(
                    p if isinstance(p, str) else p.render(restored) if isinstance(p, _Image) else restored[p]
                    for p in spec
                ))
        return out


def segment_article(
    fields: dict[str, str], source_language: str, *, glossary: Glossary | None = None, max_chars: int | None = None
) -> SegmentedArticle:
    """Segments of ``fields`` in document order: the plain fields, then the body block by block.

    Fields other than the body are plain text (unknown names too). ``max_chars`` splits longer
    blocks between sentences (never inside inline markup)."""
    builder = _Builder(source_language, glossary or Glossary.empty(), max_chars)
    specs: dict[str, object] = {}
    for name in _field_order(fields):
        value = fields.get(name) or ""
        if name in HTML_FIELDS:
            parts = builder.html_field(name, value) if value.strip() else None
            specs[name] = parts or None
        else:
            specs[name] = builder.plain_field(name, value)
    # Keep the caller's field names and order in the result.
    return SegmentedArticle(builder.segments, builder.units, {name: specs[name] for name in fields})


def _field_order(fields: dict[str, str]) -> list[str]:
    known = [f for f in PLAIN_FIELDS if f in fields]
    others = [f for f in fields if f not in PLAIN_FIELDS and f not in HTML_FIELDS]
    bodies = [f for f in HTML_FIELDS if f in fields]
    return known + others + bodies


def source_digest(fields: dict[str, str]) -> str:
    """sha256 of the translatable content. Stable under changes that do not alter it: empty fields,
    whitespace runs, markup that clean_body normalises away."""
    canonical = []
    for name in sorted(fields):
        value = fields.get(name) or ""
        if name in HTML_FIELDS:
            value = clean_body(value)
        value = " ".join(value.split())
        if value:
            canonical.append([name, value])
    payload = json.dumps(["babelpress-source-v1", canonical], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def plain_text(fragment: str) -> str:
    """The text of a segment: placeholder tags removed, entities unescaped."""
    return "".join(html.unescape(run) for kind, run in split_on_placeholders(fragment) if kind == "text")
