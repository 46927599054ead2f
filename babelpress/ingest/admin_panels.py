"""What the importer shows beside an article, read-only: where an imported article came from (the
panel of the article page, registered in apps.py), the other imports of its same-story cluster, and
a newer imported version next to the article as it is now (a diff, on the import record)."""

from __future__ import annotations

import difflib

from babel.numbers import format_decimal, format_percent
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _, ngettext

from babelpress.html_text import html_to_text
from babelpress.newsroom import admin_time_zone

from . import clusters
from .admin_import import article_url as _article_url
from .messages import render_all, ui_locale as _locale
from .models import ImportedItem

# --- Same story ----------------------------------------------------------------------------------

#: Other imports of a cluster listed on an import record (the rest are counted, not listed).
SAME_STORY_SHOWN = 20


def _story_link(item: ImportedItem) -> str:
    article = item.article
    # <bdi>: a headline in one direction inside a sentence in the other keeps its own order.
    return format_html('<a href="{}"><bdi>{}</bdi></a> — <bdi>{}</bdi>', _article_url(article), article.headline,
                       article.source or item.sitename or "?")


def same_story_html(item: ImportedItem, limit: int = SAME_STORY_SHOWN) -> str:
    """What the import was found to be a near-duplicate of, and the other imports of its same-story
    cluster (the first ``limit``, then a count); "" when it has neither. Three queries at most."""
    parts = []
    if item.near_duplicate_similarity is not None:
        similar = _("%(similarity)s similar") % {
            "similarity": format_percent(item.near_duplicate_similarity, locale=_locale())}
        other = (ImportedItem.objects.select_related("article__source").filter(pk=item.near_duplicate_of_id).first()
                 if item.near_duplicate_of_id else None)
        parts.append(format_html("<p>{} {} ({})</p>", _("Near-duplicate of:"),
                                 _story_link(other) if other else _("an import since deleted"), similar))
    rest = clusters.others(item)
    shown = list(rest[:limit])
    total = len(shown) if len(shown) < limit else rest.count()
    if total:
        parts.append(format_html("<p>{}</p><ul>{}</ul>", ngettext(
            "%(count)s other import tells the same story:", "%(count)s other imports tell the same story:", total)
            % {"count": format_decimal(total, locale=_locale())},
            format_html_join("", "<li>{}</li>", ((_story_link(o),) for o in shown))))
    if total > len(shown):
        more = total - len(shown)
        # Translators: more imports of the same story than the list shows.
        parts.append(format_html("<p>{}</p>", ngettext("… and %(count)s more import.", "… and %(count)s more imports.", more)
                                 % {"count": format_decimal(more, locale=_locale())}))
    return format_html_join("", "{}", ((p,) for p in parts))


# --- Provenance on the article page --------------------------------------------------------------


def provenance_html(article) -> str:
    """Where an imported article came from, for a read-only field of the Article change page.

    Source, original link, retrieval time, language (declared or detected), warnings, same-story
    links and a newer version waiting; "" for an article that was not imported.
    """
    item = ImportedItem.objects.filter(article_id=getattr(article, "pk", None)).select_related("feed").first() \
        if getattr(article, "pk", None) else None
    if item is None:
        return ""
    record_url = reverse("admin:ingest_importeditem_change", args=[item.pk])
    rows = [
        (_("Source"), format_html("{}", article.source.name if article.source_id else _("(none: set one before publishing)"))),
        (_("Original"), format_html('<a href="{0}" rel="noopener noreferrer" target="_blank">{0}</a>', item.original_url)
         if item.original_url else _("(uploaded file)")),
        (_("Retrieved"), format_html("{}", admin_time_zone.shown(item.retrieved_at))),
        (_("Language"), format_html("{} — {}", item.detected_language,
                                    _("declared") if item.language_declared else _("detected from the text"))),
    ]
    if item.feed_id:
        rows.append((_("Feed"), format_html("{}", item.feed)))
    if item.warnings:
        rows.append((_("Warnings"), format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((w,) for w in render_all(item.warnings))))))
    same = same_story_html(item, limit=5)
    if same:
        rows.append((_("Same story"), same))
    if item.pending_update:
        rows.append((_("Newer version"), format_html('<strong><a href="{}">{}</a></strong>', record_url,
                                                     _("A newer version was imported: compare and apply it"))))
    return format_html(
        '<table class="babelpress-provenance">{}</table><p><a href="{}">{}</a></p>',
        format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows), record_url, _("Import record"),
    )


# --- A newer version, next to the article as it is -----------------------------------------------


def _lines(value: str, *, is_html: bool) -> list[str]:
    """The lines to compare: the body's paragraphs (its markup dropped), a plain field's lines as
    they are — "<b>" in a headline is text, to be shown, not a tag to strip."""
    if is_html:
        return [line for line in html_to_text(value, paragraphs=True).split("\n\n") if line]
    return [line for line in (value or "").splitlines() if line.strip()]


def pending_diff_html(item: ImportedItem) -> str:
    """The article as it is now next to the newer imported version, field by field (difflib)."""
    pending = item.pending_update
    if not pending:
        return ""
    article = item.article
    parts = []
    for label, current, new, is_html in ((_("Headline"), article.headline, pending.get("headline", ""), False),
                                         (_("Standfirst"), article.standfirst, pending.get("standfirst", ""), False),
                                         (_("Body"), article.body, pending.get("body", ""), True)):
        before, after = _lines(current, is_html=is_html), _lines(new, is_html=is_html)
        if before == after:
            continue
        # HtmlDiff escapes the compared text itself; only our own labels go in unescaped.
        table = difflib.HtmlDiff(wrapcolumn=70).make_table(
            before, after, str(_("On the article now")), str(_("Newly imported")), context=True, numlines=2)
        parts.append(format_html("<h3>{}</h3>{}", label, mark_safe(table)))  # noqa: S308 - escaped by difflib
    return format_html("{}", mark_safe("".join(str(p) for p in parts)))  # noqa: S308 - built from format_html
