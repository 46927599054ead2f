"""What the importer puts on the newsroom's desk (the admin's home page, newsroom/desk.py): the
stories imported in the last days and what became of them, the imports that failed and why, and
the feeds whose last poll failed. Registered in ingest/apps.py."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext

from babelpress.newsroom.desk import Entry, Rows, first_rows

from .messages import render
from .models import Feed, ImportedItem, ImportJob

# "Recently": imports of the last RECENT_DAYS days.
RECENT_DAYS = 7
# The longest reason shown on the desk; the import's or the feed's page has it whole.
REASON_CHARS = 300


def _since():
    return (timezone.now() - timedelta(days=RECENT_DAYS)).replace(microsecond=0)  # the same in the list's link


def _changelist(model: str, **filters) -> str:
    return f"{reverse(f'admin:ingest_{model}_changelist')}?{urlencode(filters)}"


def recent_imports(request, limit: int) -> Rows | None:
    """Stories imported or updated by an import in the last days, the latest first, with what
    became of them: the article's status, a newer version waiting, the importer's warnings."""
    if not request.user.has_perm("ingest.view_importeditem"):
        return None
    since = _since()
    items = (ImportedItem.objects.filter(updated_at__gte=since).select_related("article__source")
             .order_by("-updated_at", "-pk")
             .only("pk", "created_at", "updated_at", "sitename", "warnings", "pending_update", "article__id",
                   "article__headline", "article__language", "article__status", "article__source__name"))
    found, total = first_rows(items, limit)
    entries = [_imported(item, since) for item in found]
    url = _changelist("importeditem", updated_at__gte=since.isoformat())
    return Rows(entries, total, url, gettext("All recent imports"))


def _imported(item: ImportedItem, since) -> Entry:
    article = item.article
    outcome = gettext("new") if item.created_at >= since else gettext("updated")
    details = [article.source.name if article.source else item.sitename, outcome, article.get_status_display()]
    if item.warnings:
        details.append(ngettext("%(count)d warning", "%(count)d warnings", len(item.warnings))
                       % {"count": len(item.warnings)})
    note = ""
    if item.pending_update:
        note = gettext("A newer version is waiting: compare it on the import record (Import → Imported articles).")
    return Entry(title=article.headline, url=reverse("admin:newsroom_article_change", args=[article.pk]),
                 language=article.language, when=item.updated_at, when_label=gettext("imported"),
                 details=tuple(d for d in details if d), note=note, tone="warning" if note else "")


def failed_imports(request, limit: int) -> Rows | None:
    """"Import a story" runs of the last days that failed, with the reason; an editor sees their
    own, a superuser everybody's (as on the import's own page)."""
    if not request.user.has_perm("newsroom.add_article"):
        return None
    jobs = ImportJob.objects.filter(status=ImportJob.Status.FAILED, created_at__gte=_since())
    if not request.user.is_superuser:
        jobs = jobs.filter(requested_by=request.user)
    found, total = first_rows(jobs.order_by("-created_at").only("pk", "url", "reason", "created_at", "finished_at"),
                              limit)
    internal = gettext("The import stopped because of an internal error; the worker's log has the details.")
    entries = [
        Entry(title=job.url, url=reverse("admin:ingest_import_job", args=[job.pk]),
              when=job.finished_at or job.created_at, when_label=gettext("failed"),
              note=Truncator(render(job.reason).strip() or internal).chars(REASON_CHARS), tone="error")
        for job in found
    ]
    return Rows(entries, total, reverse("admin:ingest_import"), gettext("Import a story"))


def failing_feeds(request, limit: int) -> Rows | None:
    """Followed feeds whose last poll failed, with the reason."""
    if not request.user.has_perm("ingest.view_feed"):
        return None
    feeds = (Feed.objects.filter(active=True, last_status=Feed.Status.ERROR).order_by("-last_polled_at", "pk")
             .only("pk", "url", "title", "last_error", "last_polled_at", "failures"))
    found, total = first_rows(feeds, limit)
    entries = [
        Entry(title=str(feed), url=reverse("admin:ingest_feed_change", args=[feed.pk]),
              when=feed.last_polled_at, when_label=gettext("last poll"),
              details=(ngettext("%(count)d failure in a row", "%(count)d failures in a row", feed.failures)
                       % {"count": feed.failures},),
              note=Truncator(render(feed.last_error).strip() or gettext("No reason was recorded.")).chars(REASON_CHARS),
              tone="error")
        for feed in found
    ]
    url = _changelist("feed", active__exact=1, last_status__exact=Feed.Status.ERROR)
    return Rows(entries, total, url, gettext("All failing feeds"))
