"""The editor's desk: the admin's home page, with what needs the editor today.

Five blocks — my drafts, waiting for review, scheduled, recently imported, failed jobs — each made
of the lists apps register (``admin_extensions.register_desk_list``): the newsroom's own
(newsroom/desk_lists.py), translation's machine drafts and failed jobs, ingest's imports and feeds.
Under them, the panels apps register (translation's coverage chart). The newsroom names no other
app: a block nobody contributes to is not shown.

A list costs one query whatever the number of rows (``first_rows``: the first rows and the total
in one), so the page costs the same with ten articles or ten thousand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, QuerySet, Window
from django.utils.translation import gettext_lazy as _

from babelpress import languages
from babelpress.newsroom import admin_extensions

# Entries shown per list; the list's link leads to all of them.
LIMIT = 5

# What each block is called, and what it says when it is empty.
BLOCKS = {
    "drafts": (_("My drafts"), _("You have no draft in progress. Start a story with “Add article”.")),
    "review": (_("Waiting for review"), _("Nothing is waiting for review.")),
    "scheduled": (_("Scheduled"), _("No story is scheduled for later.")),
    "imported": (_("Recently imported"), _("Nothing was imported recently.")),
    "failed": (_("Failed jobs"), _("No job has failed.")),
}


@dataclass(frozen=True)
class Entry:
    """One line of a desk list: a title leading somewhere, and what the editor needs to know."""

    title: str
    url: str
    language: str = ""  # the title's language: it gets its lang and dir
    when: datetime | None = None  # shown in the site's time zone, with the zone
    when_label: str = ""  # what happened then: "saved", "goes live", "failed" …
    details: tuple[str, ...] = ()  # short facts: the language, the section, the outcome
    note: str = ""  # a sentence shown whole under the title: a failure's reason
    tone: str = ""  # "error" or "warning": how the note is coloured

    @property
    def direction(self) -> str:
        language = languages.get(self.language) if self.language else None
        return language.direction if language else "auto"


@dataclass(frozen=True)
class Rows:
    """What a desk list shows: its first entries, how many there are, and the filtered list of them all."""

    entries: list[Entry]
    total: int
    url: str
    link_label: str


@dataclass
class Block:
    name: str
    title: str
    empty: str
    lists: list[tuple[str, Rows]] = field(default_factory=list)  # (label, rows)

    @property
    def total(self) -> int:
        return sum(rows.total for _label, rows in self.lists)


def first_rows(queryset: QuerySet, limit: int = LIMIT) -> tuple[list, int]:
    """The first ``limit`` rows of ``queryset`` and how many rows it has in all, in one query
    (a window count: ``COUNT(*) OVER ()`` is computed before the limit)."""
    rows = list(queryset.annotate(desk_total=Window(Count("pk")))[:limit])
    return rows, (rows[0].desk_total if rows else 0)


def blocks(request, limit: int = LIMIT) -> list[Block]:
    """The desk's blocks in order, each with the lists this user may see; a block without any is
    left out."""
    found = {name: Block(name, str(title), str(empty)) for name, (title, empty) in BLOCKS.items()}
    for desk_list in admin_extensions.desk_lists():
        rows = desk_list.rows(request, limit)
        if rows is not None:
            found[desk_list.block].lists.append((str(desk_list.label), rows))
    return [found[name] for name in admin_extensions.DESK_BLOCKS if found[name].lists]


def panels(request) -> list[str]:
    """The HTML of the panels apps registered, those with something to show."""
    rendered = (panel.render(request) for panel in admin_extensions.desk_panels())
    return [html for html in rendered if html]
