"""Background jobs of the importer (Django tasks API, database backend; run by `babelpress worker`).

How polls are scheduled and why a feed is polled once per turn: see babelpress/ingest/polling.py.
"""

from __future__ import annotations

from django_tasks import task

from . import polling
from .models import Feed


@task()
def poll_feed(feed_id: int) -> str:
    """Poll one feed if it is due. A duplicated job (or one for a feed another worker is polling)
    finds the feed claimed and returns without fetching anything."""
    if not polling.claim(feed_id):
        return "skipped: not due (already polled, being polled, or inactive)"
    feed = Feed.objects.select_related("source", "section").get(pk=feed_id)
    report = polling.poll(feed)
    return report.summary()
