"""When feeds are polled, and what a poll leaves on the Feed row.

Scheduling is two small steps, both safe to repeat:

* ``enqueue_due_feeds()`` (every minute, from a thread of ``babelpress worker``) queues one
  ``poll_feed`` job per active feed whose ``next_poll_at`` has passed, marking it ``queued_at`` so
  the next tick does not queue it again while the job waits.
* ``poll_feed`` (the job) first *claims* the feed with one conditional UPDATE that moves
  ``next_poll_at`` forward by a lease; a second job for the same feed (a duplicated enqueue, a
  second worker) finds it not due and does nothing. When the poll ends, ``record_poll`` sets the
  real next time: the interval after a success, exponential backoff after a failure.

A worker killed mid-poll leaves the lease in place; when it runs out the feed is due again and
re-polled. Nothing is lost (the validators for conditional GET are saved only after a complete
poll, so the feed is downloaded whole again) and nothing is imported twice (every entry already
written was recorded in the same transaction as its article).
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from django.db import connections, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from babelpress.retry_after import parse_retry_after

from .messages import Message, stored_text
from .models import Feed, SeenEntry
from .outcomes import Report

log = logging.getLogger("babelpress.ingest")

#: How long a claimed poll may run before the feed is considered abandoned and due again.
LEASE = timedelta(minutes=30)
MAX_BACKOFF = timedelta(hours=24)
#: After a poll that stopped at the per-poll limit, come back this soon for the rest.
BACKLOG_DELAY = timedelta(minutes=5)
SCHEDULER_TICK_SECONDS = 60


def backoff_delay(interval_minutes: int, failures: int) -> timedelta:
    """interval × 2^failures, capped at 24 hours (or the interval itself when that is longer)."""
    interval = timedelta(minutes=max(1, interval_minutes))
    cap = max(MAX_BACKOFF, interval)
    if failures <= 0:
        return interval
    return min(interval * (2 ** min(failures, 20)), cap)


def _due(now):
    return Feed.objects.filter(active=True, next_poll_at__lte=now).filter(
        Q(queued_at__isnull=True) | Q(queued_at__lt=now - LEASE))


def enqueue_due_feeds(now=None) -> int:
    """Queue a poll job for every active feed that is due; returns how many were queued."""
    from .tasks import poll_feed

    now = now or timezone.now()
    queued = 0
    for pk in list(_due(now).order_by("next_poll_at").values_list("pk", flat=True)[:500]):
        # Mark and enqueue together: the job row and the mark commit (or not) as one.
        with transaction.atomic():
            if _due(now).filter(pk=pk).update(queued_at=now):
                poll_feed.enqueue(pk)
                queued += 1
    return queued


def queue_now(feed: Feed) -> None:
    """Poll ``feed`` as soon as a worker is free ("Poll now" in the admin)."""
    from .tasks import poll_feed

    now = timezone.now()
    with transaction.atomic():
        Feed.objects.filter(pk=feed.pk).update(next_poll_at=now, queued_at=now)
        poll_feed.enqueue(feed.pk)


def claim(feed_id: int, now=None) -> bool:
    """Take the feed for one poll; False when it is not due (another job polls or polled it)."""
    now = now or timezone.now()
    return bool(Feed.objects.filter(pk=feed_id, active=True, next_poll_at__lte=now).update(
        next_poll_at=now + LEASE, last_polled_at=now))


def poll(feed: Feed, *, progress=None, limit=None):
    """Poll ``feed`` now, whatever its schedule, and record the result (CLI, tests)."""
    from . import pipeline

    try:
        report = pipeline.import_feed(feed, progress=progress, limit=limit)
    except Exception as exc:  # a bug must not leave the feed claimed until the lease runs out
        log.exception("polling %s crashed", feed.url)
        report = Report(url=feed.url, error=f"Internal error while polling: {exc!r}. See the worker's log.")
        _record_or_note(feed, report)
        raise
    _record_or_note(feed, report)
    return report


def _record_or_note(feed: Feed, report) -> None:
    """record_poll, and should even that fail, an error the feed list shows and the usual backoff."""
    try:
        record_poll(feed, report)
    except Exception as exc:
        log.exception("recording the poll of %s failed", feed.url)
        now = timezone.now()
        Feed.objects.filter(pk=feed.pk).update(
            last_status=Feed.Status.ERROR, failures=F("failures") + 1, queued_at=None, last_polled_at=now,
            last_error=stored_text(Message(gettext_noop("Internal error while recording the poll: %(error)s. See the "
                                                      "worker's log."), error=repr(exc))),
            next_poll_at=now + backoff_delay(feed.interval_minutes, feed.failures + 1), updated_at=now)
        raise


def record_poll(feed: Feed, report, now=None) -> None:
    now = now or timezone.now()
    fields = ["last_polled_at", "queued_at", "last_report", "failures", "last_status", "last_error", "next_poll_at",
              "last_success_at", "etag", "last_modified", "items_seen", "updated_at"]
    feed.last_polled_at, feed.queued_at, feed.last_report = now, None, report.as_dict()
    if report.error:
        feed.failures += 1
        feed.last_status, feed.last_error = Feed.Status.ERROR, stored_text(report.error)
        delay = backoff_delay(feed.interval_minutes, feed.failures)
        # The partner's own wish, when it is readable and longer; a hostile value is clamped or ignored.
        asked = parse_retry_after(report.retry_after, now=now, maximum=MAX_BACKOFF.total_seconds())
        if asked is not None:
            delay = max(delay, timedelta(seconds=asked))
        feed.next_poll_at = now + delay
    else:
        feed.failures, feed.last_success_at = 0, now
        if report.not_modified:
            feed.last_status, feed.last_error = Feed.Status.NOT_MODIFIED, ""
        elif report.failed:
            feed.last_status = Feed.Status.PARTIAL
            shown = [Message(gettext_noop("%(link)s: %(reason)s"), link=link, reason=reason)
                     for link, reason in report.failed[:5]]
            if len(report.failed) > 5:
                failures = Message(gettext_noop("%(count)s item(s) failed: %(shown)s (and %(more)s more)"),
                                   count=len(report.failed), shown=shown, more=len(report.failed) - 5)
            else:
                failures = Message(gettext_noop("%(count)s item(s) failed: %(shown)s"), count=len(report.failed),
                                   shown=shown)
            feed.last_error = stored_text(failures)
        else:
            feed.last_status, feed.last_error = Feed.Status.OK, ""
        if report.remaining:
            # Validators not saved: a 304 next time would hide the entries not yet imported.
            feed.next_poll_at = now + min(BACKLOG_DELAY, backoff_delay(feed.interval_minutes, 0))
        else:
            if not report.not_modified:
                feed.etag = (report.etag or "")[:500]
                feed.last_modified = (report.last_modified or "")[:100]
            feed.next_poll_at = now + backoff_delay(feed.interval_minutes, 0)
        if report.title and not feed.title:
            feed.title = report.title[:300]
            fields.append("title")
        if report.moved_to and report.moved_to != feed.url and len(report.moved_to) <= 1000 \
                and not Feed.objects.filter(url=report.moved_to).exists():
            feed.url = report.moved_to  # a permanent redirect: follow the feed where it moved
            fields.append("url")
    feed.items_seen = SeenEntry.objects.filter(feed=feed).count()
    feed.updated_at = now
    # Only the poll's own fields: an editor may have changed the feed's settings meanwhile (or
    # deleted the feed, in which case there is nothing left to record).
    Feed.objects.filter(pk=feed.pk).update(**{name: getattr(feed, name) for name in fields})


class FeedScheduler(threading.Thread):
    """Queues due feed polls every minute beside the job worker (``babelpress worker``)."""

    def __init__(self, tick: float = SCHEDULER_TICK_SECONDS):
        super().__init__(name="babelpress-feed-scheduler", daemon=True)
        self.tick = tick
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                queued = enqueue_due_feeds()
                if queued:
                    log.info("queued %d feed poll(s)", queued)
            except Exception:  # a database hiccup must not stop polling for good
                log.exception("could not queue feed polls; trying again in %s s", self.tick)
            finally:
                # This thread's own connections: closed so none is left idle or broken.
                connections.close_all()
            self.stopping.wait(self.tick)

    def stop(self) -> None:
        self.stopping.set()
