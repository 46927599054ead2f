"""Background jobs of the importer (Django tasks API, database backend; run by `babelpress worker`).

How polls are scheduled and why a feed is polled once per turn: see babelpress/ingest/polling.py.

"Import a story" in the admin runs as a job too: fetching a partner's page may take up to
BABELPRESS_IMPORT_FETCH_BUDGET seconds, longer than a web request should wait (gunicorn ends
requests after `babelpress serve --timeout`). ``queue_import`` records an ImportJob and queues
``import_story``; the editor's progress page (admin_import.py) reads the row until it ends.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from . import conf, polling
from .messages import stored_all, stored_text
from .models import Feed, ImportJob

log = logging.getLogger("babelpress.ingest")

#: Finished import jobs are kept this long (the progress page of an old import says "done" or why not).
KEEP_FINISHED_JOBS = timedelta(days=30)
#: Beyond the fetch budget, what extracting and storing a story may take before a running job
#: is taken for abandoned (its worker stopped).
EXTRACT_ALLOWANCE = timedelta(minutes=2)


@task()
def poll_feed(feed_id: int) -> str:
    """Poll one feed if it is due. A duplicated job (or one for a feed another worker is polling)
    finds the feed claimed and returns without fetching anything."""
    if not polling.claim(feed_id):
        return "skipped: not due (already polled, being polled, or inactive)"
    feed = Feed.objects.select_related("source", "section").get(pk=feed_id)
    report = polling.poll(feed)
    return report.summary()


def queue_import(url: str, *, section=None, language: str | None = None, user=None) -> ImportJob:
    """Record an import of ``url`` and queue it for the worker; returns the job to follow."""
    now = timezone.now()
    ImportJob.objects.filter(created_at__lt=now - KEEP_FINISHED_JOBS,
                             status__in=[ImportJob.Status.DONE, ImportJob.Status.FAILED]).delete()
    job = ImportJob.objects.create(url=url, section=section, language=language or "",
                                   requested_by=user if getattr(user, "pk", None) else None)
    # Queued after the row is committed (autocommit here): with the immediate backend of tests
    # and development the import runs right now, outside any transaction, as in the worker.
    import_story.enqueue(str(job.pk))
    return job


@task()
def import_story(job_id: str) -> str:
    """Run one "Import a story" job. Claimed with a conditional update: a job queued twice runs once."""
    from . import outcomes, pipeline

    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now())
    if not claimed:
        return "skipped: not queued"
    job = ImportJob.objects.select_related("section", "requested_by").get(pk=job_id)
    try:
        outcome = pipeline.import_url(job.url, section=job.section, language=job.language or None,
                                     user=job.requested_by)
    except Exception:  # a bug must not leave the editor's page waiting for ever
        log.exception("import job %s (%s) crashed", job_id, job.url)
        ImportJob.objects.filter(pk=job_id).update(status=ImportJob.Status.FAILED, outcome=outcomes.FAILED,
                                                   reason="", finished_at=timezone.now())
        raise
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.DONE if outcome.ok else ImportJob.Status.FAILED, outcome=outcome.status,
        article=outcome.article, item=outcome.item, reason=stored_text(outcome.reason), warnings=stored_all(outcome.warnings),
        finished_at=timezone.now())
    return f"{outcome.status}: {job.url}" + (f" ({outcome.reason})" if outcome.reason else "")


def abandoned(job: ImportJob, now=None) -> bool:
    """A job still "running" long after any fetch would have ended: its worker stopped mid-import."""
    now = now or timezone.now()
    limit = timedelta(seconds=conf.fetch_budget()) + EXTRACT_ALLOWANCE
    return job.status == ImportJob.Status.RUNNING and job.started_at is not None and now - job.started_at > limit
