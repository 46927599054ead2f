"""A segment as a reviewer sees it: each placeholder shown as what it stands for, never as a tag.

A stored segment is an XML fragment (``translation/placeholders.py``): ``<x2/>`` stands for a
number, a web address, a glossary term, an image …; ``<g1>…</g1>`` for a link or emphasis around
translated words. What each one stands for (its *item*) comes from the source segmented as it was
for the draft (``review.placeholder_items``).

- ``segment_html``: the read-only columns. Text escaped, every placeholder a highlighted
  ``<mark class="placeholder …" title="what it is">value</mark>`` ("1 240", the link's words, the
  glossary term in the column's language).
- ``pieces``: the editable column. The same text with the values in place of the tags, as plain
  text for a text box, and where each placeholder sits in it; ``placeholder_mapping`` uses that to
  put the placeholders back into what the reviewer typed.

A tag the draft's items do not explain (an engine's invention, or an outdated draft whose source
changed) is never shown as a tag: a stray one is a "?" mark (the repair removes it), an unknown
one a "◻" mark.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from babelpress.translation.placeholders import TAG, split_on_placeholders
from babelpress.translation.qa_messages import describe_item
from babelpress.translation.segmenter.items import Kept, Pair

#: Kinds of items that read left to right in any script (isolated with dir="ltr" when shown).
LEFT_TO_RIGHT = ("number", "url", "email", "code")
#: What stands in the text for an item with no text of its own.
IMAGE_SIGN, EMPTY_SIGN, UNKNOWN_SIGN, STRAY_SIGN = "🖼", "◇", "◻", "?"


@dataclass
class Atom:
    """An ``<xN/>`` as shown: its number, the text standing for it, what it is."""

    number: int
    shown: str
    kind: str
    title: str

    @property
    def ltr(self) -> bool:
        """Written left to right whatever the text around it: "1 240" stays "1 240" in Arabic."""
        return self.kind in LEFT_TO_RIGHT


@dataclass
class Pieces:
    """A segment as the editable column shows it.

    ``runs`` is the segment in order: ``("text", str)``, ``("atom", Atom)``, ``("open", n)``,
    ``("close", n)`` — tags that do not belong are left out, and pairs are balanced."""

    runs: list = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(run.shown if kind == "atom" else run for kind, run in self.runs if kind in ("text", "atom"))


def atom_for(item, number: int, *, original: bool) -> Atom:
    """What stands in the text for ``<x{number}/>``: ``item`` (None when unknown) as a value."""
    if item is None:
        return Atom(number, UNKNOWN_SIGN, "unknown",
                    _("Something kept from the original; the source changed since this draft, so translate it "
                      "again to see what."))
    identity = item.identity()
    kind = identity["kind"]
    if kind == "br":
        shown = "\n"
    elif kind == "image":
        shown = IMAGE_SIGN
    else:
        shown = item.plain(original) or EMPTY_SIGN
    return Atom(number, shown, kind, capfirst(describe_item(identity)))


def pieces(segment: str, items: list | None, *, original: bool = False) -> Pieces:
    """The runs of ``segment`` with each placeholder's item; ``items`` None: not known (any
    well-formed tag is then taken as it is). ``original``: glossary terms in their source form."""
    out = Pieces()
    open_pairs: list[int] = []
    for kind, run in split_on_placeholders(segment):
        if kind == "text":
            out.runs.append(("text", html.unescape(run)))
            continue
        m = TAG.fullmatch(run)
        closing, letter, number, empty = m[1] == "/", m[2], int(m[3]), m[4] == "/"
        item = _item(items, number)
        if letter == "x" and empty and not closing and (items is None or isinstance(item, Kept)):
            out.runs.append(("atom", atom_for(item, number, original=original)))
        elif letter == "g" and not closing and not empty and (items is None or isinstance(item, Pair)):
            if number not in open_pairs:
                open_pairs.append(number)
                out.runs.append(("open", number))
        elif letter == "g" and closing and number in open_pairs:
            while open_pairs:  # an overlapped pair is closed here; its own end is then ignored
                top = open_pairs.pop()
                out.runs.append(("close", top))
                if top == number:
                    break
        elif not (letter == "g" and closing and items is not None and isinstance(item, Pair)):
            out.runs.append(("stray", run))
    out.runs.extend(("close", number) for number in reversed(open_pairs))
    return out


def _item(items: list | None, number: int):
    if items is None or not 0 < number <= len(items):
        return None
    return items[number - 1]


def segment_html(segment: str, items: list | None, *, original: bool = False) -> SafeString:
    """The segment for a read-only column: escaped text, each placeholder a highlighted mark."""
    html_out = []
    for kind, run in pieces(segment, items, original=original).runs:
        if kind == "text":
            html_out.append(escape(run))
        elif kind == "atom":
            html_out.append(_atom_html(run))
        elif kind == "open":
            item = _item(items, run)
            title = capfirst(describe_item(item.identity())) if isinstance(item, Pair) else _("Formatting")
            css = "link" if isinstance(item, Pair) and item.tag == "a" else "formatting"
            html_out.append(format_html('<mark class="placeholder placeholder-{}" title="{}">', css, title))
        elif kind == "close":
            html_out.append("</mark>")
        else:
            html_out.append(format_html('<mark class="placeholder placeholder-stray" title="{}">{}</mark>',
                                        _("A marker the engine added that does not belong here; it will be "
                                          "removed."), STRAY_SIGN))
    return mark_safe("".join(str(part) for part in html_out))


def _atom_html(atom: Atom) -> str:
    if atom.kind == "br":
        return format_html('<mark class="placeholder placeholder-br" title="{}">↵</mark><br>', atom.title)
    if atom.ltr:
        return format_html('<mark class="placeholder placeholder-{}" title="{}" dir="ltr">{}</mark>', atom.kind,
                           atom.title, atom.shown)
    return format_html('<mark class="placeholder placeholder-{}" title="{}">{}</mark>', atom.kind, atom.title,
                       atom.shown)


def kept_items(segment: str, items: list | None) -> list[Atom]:
    """The values a reviewer must keep in this segment's translation (numbers, terms, addresses …),
    in order, each once: the legend under the text box."""
    seen, atoms = set(), []
    for kind, run in pieces(segment, items).runs:
        if kind == "atom" and run.kind not in ("br", "unknown") and run.number not in seen:
            seen.add(run.number)
            atoms.append(run)
    return atoms
