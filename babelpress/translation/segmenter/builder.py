"""Fields → units and segments: plain fields give one unit each; the body gives one per text block
(h2, h3, p, li, blockquote, figcaption, a table's caption and each cell, and any loose text between
blocks), each image's alt text its own, and ``pre`` blocks and blocks without words (numbers,
addresses) none. The body becomes a template of HTML strings, images and
unit slots, which ``SegmentedArticle.rebuild`` fills with the translations.
"""

from __future__ import annotations

import dataclasses as dc
import html
from typing import TYPE_CHECKING

from babelpress.newsroom.sanitize import clean_body
from babelpress.translation.segmenter import html_tree
from babelpress.translation.segmenter.html_tree import HTML_SPACE, HTML_SPACE_RUN, VERBATIM_BLOCKS, VOID_TAGS
from babelpress.translation.segmenter.items import Image, Kept, Pair, render_tokens, start_tag
from babelpress.translation.segmenter.protect import protect
from babelpress.translation.segmenter.sentence_cuts import chunks

if TYPE_CHECKING:
    from babelpress.translation.glossary import Glossary


@dc.dataclass
class Segment:
    key: str
    field: str
    text: str
    #: (source text as found, ``glossary.TermForms``) of each glossary term in this segment: those
    #: behind a placeholder, then those left in the text for the engine to translate.
    glossary_terms: list[tuple[str, object]] = dc.field(default_factory=list)
    #: Restore data: the item behind placeholder number N is ``_items[N - 1]``.
    _items: list = dc.field(default_factory=list, repr=False, compare=False)

    @property
    def terms_in_text(self) -> list[tuple[str, object]]:
        """The glossary terms left in the text for the engine to translate (not behind a placeholder)."""
        frozen = sum(1 for item in self._items if getattr(item, "kind", "") == "glossary")
        return self.glossary_terms[frozen:]


class Unit:
    """One translatable run of text (a plain field, a body block, an alt text): one segment, or
    several when it was split by sentence. Restored, its segments are joined with ``joiners``."""

    __slots__ = ("field", "is_html", "prefix", "suffix", "segments", "joiners")

    def __init__(self, field: str, is_html: bool, prefix: str = "", suffix: str = ""):
        self.field, self.is_html, self.prefix, self.suffix = field, is_html, prefix, suffix
        self.segments: list[Segment] = []
        self.joiners: list[str] = []


class Builder:
    """Walks the fields and collects segments, units and the body templates."""

    def __init__(self, language: str, glossary: Glossary | None, max_chars: int | None):
        self.language = language
        self.glossary = glossary
        self.max_chars = max_chars
        self.segments: list[Segment] = []
        self.units: list[Unit] = []
        self.block_count: dict[str, int] = {}
        self.alt_count: dict[str, int] = {}

    def protect(self, text: str) -> list:
        return protect(text, self.glossary)

    def inline_tokens(self, nodes, images: list) -> list:
        tokens = []
        for node in nodes:
            if isinstance(node, str):
                tokens.extend(self.protect(HTML_SPACE_RUN.sub(" ", node)))
            elif node.tag == "img":
                image = Image(node.attrs, None)
                images.append(image)
                tokens.append(("x", Kept("image", text="", parts=[image])))
            elif node.tag == "br":
                tokens.append(("x", Kept("br", text="\n", parts=["<br>"])))
            elif node.tag == "code":
                tokens.append(("x", Kept("code", text=html_tree.text_content(node), parts=self.verbatim([node], images))))
            elif not html_tree.has_text(node.children):
                # Nothing to translate inside (an empty span, a link around an image): keep it whole.
                tokens.append(("x", Kept("markup", text=html_tree.text_content(node),
                                         parts=self.verbatim([node], images))))
            else:
                pair = Pair(node.tag, node.attrs)
                tokens.append(("open", pair))
                tokens.extend(self.inline_tokens(node.children, images))
                tokens.append(("close", pair))
        return tokens

    def verbatim(self, nodes, images: list) -> list:
        """Nodes serialised as they are; images become Image parts (their alt is translated)."""
        parts: list = []

        def walk(node, in_code):
            if isinstance(node, str):
                parts.append(html.escape(node, quote=False))
            elif node.tag == "img" and not in_code:
                image = Image(node.attrs, None)
                images.append(image)
                parts.append(image)
            else:
                parts.append(start_tag(node.tag, node.attrs))
                if node.tag not in VOID_TAGS:
                    for child in node.children:
                        walk(child, in_code or node.tag in ("code", "pre"))
                    parts.append(f"</{node.tag}>")

        for node in nodes:
            walk(node, False)
        return parts

    def add_unit(self, field: str, base_key: str, tokens: list, *, is_html: bool, prefix="", suffix="") -> Unit:
        unit = Unit(field, is_html, prefix, suffix)
        pieces = chunks(tokens, self.language, self.max_chars)
        for number, (joiner, chunk) in enumerate(pieces, start=1):
            text, items, terms = render_tokens(chunk)
            if self.glossary:
                # The words between the tags, as the engine reads them: terms not frozen are there.
                terms += self.glossary.left_in_text("".join(v for kind, v in chunk if kind == "text"))
            key = base_key if len(pieces) == 1 else f"{base_key}.{number}"
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
            text = HTML_SPACE_RUN.sub(" ", alt)
            core = text.strip(HTML_SPACE)
            prefix, suffix = text[: len(text) - len(text.lstrip(HTML_SPACE))], text[len(text.rstrip(HTML_SPACE)):]
            self.alt_count[name] = self.alt_count.get(name, 0) + 1
            image.alt = self.add_unit(
                "alt", f"{name}:alt:{self.alt_count[name]}", self.protect(core), is_html=False, prefix=prefix, suffix=suffix
            )

    def plain_field(self, name: str, value: str) -> Unit | None:
        core = value.strip()
        if not core:
            return None
        prefix, suffix = value[: len(value) - len(value.lstrip())], value[len(value.rstrip()):]
        return self.add_unit(name, name, self.protect(core), is_html=False, prefix=prefix, suffix=suffix)

    def html_field(self, name: str, value: str) -> list:
        """The body → template parts: strings, Image parts and Unit slots, in document order."""
        parts: list = []
        self.container(name, html_tree.parse(clean_body(value)).children, parts)
        return parts

    def container(self, name: str, children, parts: list) -> None:
        run: list = []
        for child in children:
            if html_tree.is_inline(child):
                run.append(child)
                continue
            self.flush(name, run, parts)
            run = []
            if child.tag in VERBATIM_BLOCKS or child.tag in VOID_TAGS:
                parts.extend(self.verbatim([child], []))
            else:
                parts.append(start_tag(child.tag, child.attrs))
                self.container(name, child.children, parts)
                parts.append(f"</{child.tag}>")
        self.flush(name, run, parts)

    def flush(self, name: str, run: list, parts: list) -> None:
        """A run of inline content: one text block (unit), or kept as it is when it has no text."""
        if not run:
            return
        images: list = []
        if not html_tree.has_text(run):
            parts.extend(self.verbatim(run, images))
            self.add_alts(name, images)
            return
        run = list(run)
        prefix = suffix = ""
        # Whitespace around the block stays in the template, so the layout survives exactly.
        if isinstance(run[0], str):
            stripped = run[0].lstrip(HTML_SPACE)
            prefix, run[0] = run[0][: len(run[0]) - len(stripped)], stripped
        if isinstance(run[-1], str):
            stripped = run[-1].rstrip(HTML_SPACE)
            suffix, run[-1] = run[-1][len(stripped):], stripped
        tokens = self.inline_tokens(run, images)
        if not _words_in(tokens):
            # Nothing an engine could translate (a table cell of figures, an address): kept as it is.
            kept_images: list = []
            parts.extend([prefix, *self.verbatim(run, kept_images), suffix])
            self.add_alts(name, kept_images)
            return
        self.block_count[name] = self.block_count.get(name, 0) + 1
        parts.append(prefix)
        parts.append(self.add_unit(name, f"{name}:{self.block_count[name]}", tokens, is_html=True))
        parts.append(suffix)
        self.add_alts(name, images)


def _words_in(tokens: list) -> bool:
    """Whether a block's tokens hold anything to translate: a letter in its text, or a glossary
    term (put back in its target form). Numbers, addresses, line breaks and images alone do not."""
    return any((kind == "text" and any(ch.isalpha() for ch in value)) or (kind == "x" and value.kind == "glossary")
               for kind, value in tokens)
