"""What changed between two revisions of an article, for people to read.

The text fields (headline, alternative headline, standfirst, body, summary) are compared as text:
the body's HTML is read as its blocks (subheadings, paragraphs, list items, quotes, captions, the
alt text of images), matched block to block, and each changed block word by word, so an editor
sees "the second paragraph: <del>Monday</del><ins>Tuesday</ins>", never a tag. The other fields
read "before → after" in words (the section's name, the status's label, a local date).

Everything returned is plain text in small structures; the templates escape it
(``admin/newsroom/revision_diff.html``), so nothing in an article can become markup on these pages.
Both sides may be revisions (``HistoricalArticle``) or articles: only their field values are read.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext

from babelpress import languages
from babelpress.newsroom.models import Article, Author, Section, Source

TEXT_FIELDS = ("headline", "alternative_headline", "standfirst", "body", "summary")
OTHER_FIELDS = ("language", "slug", "section", "tags", "author", "source", "original_url", "originally_published_at",
                "status", "published_at", "translated_from", "translation_method", "translation_engine", "reviewed_by",
                "reviewed_at")
FIELDS = TEXT_FIELDS + OTHER_FIELDS
DATE_FIELDS = ("originally_published_at", "published_at", "reviewed_at")
HTML_FIELDS = ("standfirst", "body", "summary")  # may hold markup (the rich-text editor's)

# Unchanged blocks shown around a change; longer runs fold into one "…" row.
CONTEXT = 1
# Below this likeness a changed block reads better as "all of this" → "all of that".
WORD_DIFF_MIN_RATIO = 0.4
# Words and signs, each with the spaces after it: a change of two words reads as one change.
_WORDS = re.compile(r"\w+\s*|[^\w\s]\s*|\s+")


@dataclass
class Block:
    kind: str  # heading, paragraph, item, quote, caption, code, image; "gap" for folded unchanged blocks
    state: str  # same, changed, added, removed, gap
    parts: list[tuple[str, str]] = field(default_factory=list)  # (same | ins | del, text)


@dataclass
class Change:
    name: str
    label: str
    blocks: list[Block] | None = None  # text fields
    before: str = ""  # the other fields
    after: str = ""
    only_formatting: bool = False  # the text is the same; only its markup changed

    @property
    def is_text(self) -> bool:
        return self.blocks is not None


def label(name: str) -> str:
    return capfirst(Article._meta.get_field(name).verbose_name)


def changed_fields(old, new) -> list[str]:
    """The names of the fields (of ``FIELDS``) whose values differ; every filled one when ``old`` is None."""
    return [name for name in FIELDS if _raw(old, name) != _raw(new, name)]


def compare(old, new, fields=FIELDS) -> list[Change]:
    """The changes from ``old`` (None: nothing before) to ``new``, in the order of ``fields``."""
    names = [name for name in fields if _raw(old, name) != _raw(new, name)]
    shown = _Lookups([old, new], names)
    changes = []
    for name in names:
        if name in TEXT_FIELDS:
            before, after = text_blocks(_raw(old, name), name), text_blocks(_raw(new, name), name)
            blocks = diff_blocks(before, after)
            changes.append(Change(name, label(name), blocks=blocks, only_formatting=before == after))
        else:
            changes.append(Change(name, label(name), before=shown.display(old, name), after=shown.display(new, name)))
    return changes


def _raw(revision, name):
    if revision is None:
        return [] if name == "tags" else None if name not in TEXT_FIELDS else ""
    if name == "tags":
        snapshot = getattr(revision, "tags_snapshot", None)
        if snapshot is None:  # an article, not a revision
            return sorted(revision.tags.values_list("pk", flat=True))
        return sorted(pk for pk, _name in snapshot)
    if name in ("section", "author", "source", "translated_from", "reviewed_by"):
        return getattr(revision, f"{name}_id")
    value = getattr(revision, name)
    if name in DATE_FIELDS and value is not None:
        return value.replace(microsecond=0)  # the admin's date fields keep whole seconds: no change to show
    return value or "" if name in TEXT_FIELDS else value


# --- text ---------------------------------------------------------------------------------------

class _BlockReader(HTMLParser):
    KINDS = {"p": "paragraph", "h2": "heading", "h3": "heading", "li": "item", "blockquote": "quote",
             "figcaption": "caption", "pre": "code", "div": "paragraph"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []
        self.open: list[str] = []
        self.text: list[str] = []

    def flush(self) -> None:
        text = " ".join("".join(self.text).split())
        self.text = []
        if text:
            kind = "quote" if "quote" in self.open else (self.open[-1] if self.open else "paragraph")
            self.blocks.append((kind, text))

    def handle_starttag(self, tag, attrs):
        if tag in self.KINDS:
            self.flush()
            self.open.append(self.KINDS[tag])
        elif tag == "img":
            self.flush()
            alt = " ".join((dict(attrs).get("alt") or "").split())
            self.blocks.append(("image", alt or gettext("(no alt text)")))
        elif tag == "br":
            self.text.append(" ")

    def handle_endtag(self, tag):
        if tag in self.KINDS:
            self.flush()
            if self.KINDS[tag] in self.open:
                del self.open[len(self.open) - 1 - self.open[::-1].index(self.KINDS[tag])]

    def handle_data(self, data):
        self.text.append(data)


def text_blocks(value: str | None, name: str = "body") -> list[tuple[str, str]]:
    """``[(kind, text), …]`` of a field: its HTML read as blocks, or one paragraph of plain text."""
    if not value:
        return []
    if name in HTML_FIELDS and "<" in value:
        reader = _BlockReader()
        reader.feed(value)
        reader.close()
        reader.flush()
        return reader.blocks
    text = " ".join(value.split())
    return [("paragraph", text)] if text else []


def diff_blocks(old: list[tuple[str, str]], new: list[tuple[str, str]]) -> list[Block]:
    rows: list[Block] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows += [Block(kind, "same", [("same", text)]) for kind, text in old[i1:i2]]
        else:
            rows += _pair(old[i1:i2], new[j1:j2])
    return _fold(rows)


def _pair(old, new) -> list[Block]:
    """Old and new blocks of one changed stretch, in order: a block like one on the other side is
    a changed block (diffed word by word), the rest removed or added."""
    rows, i, j = [], 0, 0
    while i < len(old) or j < len(new):
        if i < len(old) and j < len(new) and _alike(old[i][1], new[j][1]):
            rows.append(Block(new[j][0], "changed", diff_words(old[i][1], new[j][1])))
            i, j = i + 1, j + 1
        elif i < len(old) and not any(_alike(old[i][1], text) for _kind, text in new[j:]):
            rows.append(Block(old[i][0], "removed", [("del", old[i][1])]))
            i += 1
        elif j < len(new):
            rows.append(Block(new[j][0], "added", [("ins", new[j][1])]))
            j += 1
        else:
            rows.append(Block(old[i][0], "removed", [("del", old[i][1])]))
            i += 1
    return rows


def _alike(a: str, b: str) -> bool:
    words_a, words_b = [t.rstrip() for t in _WORDS.findall(a)], [t.rstrip() for t in _WORDS.findall(b)]
    return difflib.SequenceMatcher(None, words_a, words_b, autojunk=False).ratio() >= WORD_DIFF_MIN_RATIO


def diff_words(old: str, new: str) -> list[tuple[str, str]]:
    """``[(same | del | ins, text), …]`` turning ``old`` into ``new``, word by word."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    # Matched without their spaces ("rouvre" at the end is "rouvre " before "lundi"); shown as they are.
    matcher = difflib.SequenceMatcher(None, [t.rstrip() for t in a], [t.rstrip() for t in b], autojunk=False)
    if matcher.ratio() < WORD_DIFF_MIN_RATIO:
        return [part for part in (("del", old), ("ins", new)) if part[1]]
    parts: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            _add(parts, "same", "".join(b[j1:j2]))
        else:
            _add(parts, "del", "".join(a[i1:i2]))
            _add(parts, "ins", "".join(b[j1:j2]))
    return parts


def _add(parts: list, op: str, text: str) -> None:
    if not text:
        return
    if parts and parts[-1][0] == op:
        parts[-1] = (op, parts[-1][1] + text)
    else:
        parts.append((op, text))


def _fold(rows: list[Block]) -> list[Block]:
    """Unchanged blocks more than ``CONTEXT`` away from a change become one gap row."""
    near = set()
    for index, row in enumerate(rows):
        if row.state != "same":
            near.update(range(index - CONTEXT, index + CONTEXT + 1))
    folded: list[Block] = []
    for index, row in enumerate(rows):
        if row.state != "same" or index in near:
            folded.append(row)
        elif not folded or folded[-1].state != "gap":
            folded.append(Block("gap", "gap"))
    return folded


# --- the other fields ---------------------------------------------------------------------------

class _Lookups:
    """The names behind the ids of two revisions, read in one query per kind."""

    MODELS = {"section": Section, "author": Author, "source": Source, "translated_from": Article}

    def __init__(self, revisions, names):
        self.found = {}
        for name, model in self.MODELS.items():
            if name in names:
                ids = {_raw(r, name) for r in revisions} - {None}
                queryset = model.objects.prefetch_related("names") if model is Section else model.objects
                self.found[name] = queryset.in_bulk(ids)
        if "reviewed_by" in names:
            from django.contrib.auth import get_user_model

            ids = {_raw(r, "reviewed_by") for r in revisions} - {None}
            self.found["reviewed_by"] = get_user_model().objects.in_bulk(ids)

    def display(self, revision, name) -> str:
        value = _raw(revision, name)
        if value in (None, "", []):
            return gettext("(empty)")
        if name == "tags":
            return ", ".join(tag_name for _pk, tag_name in sorted(revision.tags_snapshot, key=lambda t: t[1])) \
                if hasattr(revision, "tags_snapshot") else ", ".join(t.name for t in revision.tags.all())
        if name in self.found:
            return self._named(name, value)
        if name == "language":
            return languages.language_name(value)
        if name in ("status", "translation_method"):
            return str(dict(Article._meta.get_field(name).flatchoices).get(value, value))
        if name in DATE_FIELDS:
            return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
        return str(value)

    def _named(self, name, pk) -> str:
        obj = self.found[name].get(pk)
        if obj is None:
            return gettext("(deleted, was #%(id)s)") % {"id": pk}
        if name == "section":
            return obj.name_in(get_language() or "")
        if name == "reviewed_by":
            return obj.get_full_name() or obj.get_username()
        return str(obj)
