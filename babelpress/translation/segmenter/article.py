"""An article's segments and what puts their translations back: ``segment_article`` and
``SegmentedArticle``; ``source_digest`` says whether the translatable text changed."""

from __future__ import annotations

import hashlib
import html
import json
from typing import TYPE_CHECKING

from babelpress.newsroom.sanitize import clean_body
from babelpress.translation.placeholders import split_on_placeholders
from babelpress.translation.segmenter.builder import Builder, Segment, Unit
from babelpress.translation.segmenter.html_tree import HTML_SPACE
from babelpress.translation.segmenter.items import Image
from babelpress.translation.segmenter.restore import Problem, restore

if TYPE_CHECKING:
    from babelpress.translation.glossary import Glossary

PLAIN_FIELDS = ("headline", "alternative_headline", "standfirst", "summary")
HTML_FIELDS = ("body",)


class SegmentedArticle:
    """The segments of an article, and what is needed to put their translations back."""

    def __init__(self, segments: list[Segment], units: list[Unit], fields: dict[str, object]):
        self.segments = segments
        self._units = units
        self._fields = fields  # name → None (empty), Unit (plain) or list of parts (html)
        self._by_key = {s.key: s for s in segments}
        self._unit_of = {s.key: u for u in units for s in u.segments}
        self._problems: dict[str, list[Problem]] = {}

    def __iter__(self):
        return iter(self.segments)

    def __len__(self) -> int:
        return len(self.segments)

    def segment(self, key: str) -> Segment:
        return self._by_key[key]

    def problems(self, key: str) -> list[Problem]:
        """What went wrong with the markup of segment ``key`` in the last rebuild/restore."""
        return list(self._problems.get(key, []))

    @property
    def all_problems(self) -> dict[str, list[Problem]]:
        return {k: list(v) for k, v in self._problems.items() if v}

    def restore(self, key: str, fragment: str | None = None) -> str:
        """One segment's translation with its placeholders restored (HTML for body blocks, plain
        text otherwise). ``None`` restores the source segment as sent, glossary terms as targets.
        Records markup problems for ``problems(key)``."""
        segment = self._by_key[key]
        if fragment is None:
            fragment = segment.text
        text, problems = restore(segment, fragment, is_html=self._unit_of[key].is_html, alts={})
        self._problems[key] = problems
        return text

    def restore_source(self, key: str) -> str:
        """The source of one segment as written (glossary terms in their source form): what QA
        compares the translation with."""
        segment = self._by_key[key]
        return restore(segment, segment.text, is_html=self._unit_of[key].is_html, alts={}, original=True)[0]

    def rebuild(self, translations: dict[str, str]) -> dict[str, str]:
        """The translated fields, from one translated fragment per segment key.

        A missing key keeps the source text of that segment. Markup problems are recorded (see
        ``problems``). Plain fields come back as plain text, the body as clean HTML."""
        self._problems = {}
        restored: dict[Unit, str] = {}
        # Alt texts first: images inside text blocks need them.
        for unit in sorted(self._units, key=lambda u: u.field != "alt"):
            texts = []
            for segment in unit.segments:
                fragment = translations.get(segment.key)
                if not isinstance(fragment, str):
                    fragment = segment.text
                text, problems = restore(segment, fragment, is_html=unit.is_html, alts=restored)
                if problems:
                    self._problems[segment.key] = problems
                # Engines like to add a newline or a space; the template owns the outer whitespace.
                texts.append(text.strip(HTML_SPACE))
            joined = texts[0]
            for joiner, text in zip(unit.joiners, texts[1:]):
                joined += joiner + text
            restored[unit] = unit.prefix + joined + unit.suffix
        out = {}
        for name, spec in self._fields.items():
            if spec is None:
                out[name] = ""
            elif isinstance(spec, Unit):
                out[name] = restored[spec]
            else:
                out[name] = clean_body("".join(
                    p if isinstance(p, str) else p.render(restored) if isinstance(p, Image) else restored[p]
                    for p in spec
                ))
        return out


def segment_article(
    fields: dict[str, str], source_language: str, *, glossary: Glossary | None = None, max_chars: int | None = None
) -> SegmentedArticle:
    """Segments of ``fields`` in document order: the plain fields, then the body block by block.

    Fields other than the body are plain text (unknown names too). Glossary terms become
    placeholders (``translation/glossary.py``). ``max_chars`` splits longer blocks between
    sentences (never inside inline markup)."""
    builder = Builder(source_language, glossary, max_chars)
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
