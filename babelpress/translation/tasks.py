"""Background jobs (Django tasks API, database backend; run by `babelpress worker`)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_tasks import task

from babelpress.newsroom.models import StaleEdit
from babelpress.translation.models import TranslationJob

log = logging.getLogger(__name__)

#: How often a job waiting for a paid engine's monthly cap looks again.
CAP_RECHECK = timedelta(hours=1)


class JobFailed(Exception):
    """A translation job failed for good (its error is on the job): the task fails too, so the task
    queue never shows a failed translation as a success."""


@task()
def run_translation_job(job_id: int) -> str:
    """Run one translation job. Engine trouble re-queues it with backoff, then fails it visibly.

    The job is claimed with a conditional update and held by a lease its heartbeat renews (see
    babelpress/translation/leases.py), so a job enqueued twice, or re-run after a worker crash, is
    translated once; its "done" commits with the translation, or not at all.
    """
    from babelpress.translation import leases

    job = leases.claim(job_id)
    if job is None:
        return "skipped: not queued"
    with leases.Lease(job) as lease:
        return _run(job, lease)


LOST = "abandoned: another worker took the job over (this worker's lease ran out)"


def _run(job: TranslationJob, lease) -> str:
    from babelpress.translation import jobs, leases, metering, pipeline
    from babelpress.translation.segmenter import source_digest
    from babelpress.translation.engines.base import EngineError

    def finish(result):
        # Inside the translation's own transaction: both commit, or neither (LeaseLost rolls back).
        if not lease.settle(status=TranslationJob.Status.DONE, finished_at=timezone.now(), last_error="",
                            engine=result.engine, engine_calls=result.engine_calls,
                            segments_from_memory=result.segments_from_memory):
            raise leases.LeaseLost(LOST)

    try:
        result = pipeline.translate_article(job.source, job.target_language, user=job.requested_by, on_write=finish)
    except leases.LeaseLost:
        return LOST
    except metering.CapReached as exc:
        # Waiting for money is not a failed attempt: look again in an hour (the cap may be raised).
        job.next_attempt_at = timezone.now() + CAP_RECHECK
        if not lease.settle(status=TranslationJob.Status.WAITING, last_error=str(exc),
                            next_attempt_at=job.next_attempt_at, attempts=F("attempts") - 1):
            return LOST
        jobs.schedule(job, job.next_attempt_at)
        return "waiting: cap"
    except EngineError as exc:
        return _retry_or_fail(lease, str(exc), exc.retryable)
    except StaleEdit:
        # Someone kept saving the translation while this job wrote it: nothing was overwritten.
        note = (f"The {job.target_language} version was saved by someone else each time this job tried to write "
                "it; nothing was overwritten. It runs again on the saved version.")
        return _retry_or_fail(lease, note, retryable=True)
    except pipeline.HumanTranslationExists as exc:
        if not lease.settle(status=TranslationJob.Status.DONE, last_error=str(exc), finished_at=timezone.now()):
            return LOST
        return "skipped: human translation"
    except Exception as exc:  # a bug must not leave the job "running" until its lease runs out
        log.exception("translation job %s crashed", job.pk)
        lease.settle(status=TranslationJob.Status.FAILED, last_error=f"Internal error: {exc!r}",
                     finished_at=timezone.now())
        raise
    # The source was edited while this job ran: its save joined this job, so translate the new text too.
    source = type(job.source).objects.filter(pk=job.source_id).first()
    if source is not None and result.translation.source_digest != source_digest(pipeline.article_fields(source)):
        jobs.enqueue(source, [job.target_language], user=job.requested_by)
    return f"done: {result.segments_total} segments, {result.segments_from_memory} from memory"


def _retry_or_fail(lease, error: str, retryable: bool) -> str:
    """Queue the job again after a backoff while attempts remain and retrying can help; else fail
    it and raise JobFailed (the task fails too)."""
    from babelpress.translation import jobs

    job, now = lease.job, timezone.now()
    if retryable and job.attempts < settings.BABELPRESS_TRANSLATION_MAX_ATTEMPTS:
        job.next_attempt_at = now + jobs.backoff(job.attempts)
        if not lease.settle(status=TranslationJob.Status.QUEUED, last_error=error, next_attempt_at=job.next_attempt_at):
            return LOST
        jobs.schedule(job, job.next_attempt_at)
        return f"retry later: {error}"
    if not lease.settle(status=TranslationJob.Status.FAILED, last_error=error, finished_at=now):
        return LOST
    raise JobFailed(f"translation job {job.pk} failed: {error}")


#: Queued or waiting jobs this long past due are put back in the task queue (their task was lost).
OVERDUE = timedelta(minutes=30)


def recover_stale_jobs(overdue: timedelta = OVERDUE) -> int:
    """Queue again the jobs whose worker stopped (lease ran out); returns how many.

    ``babelpress worker`` calls it at start and then every heartbeat. Queued or waiting jobs
    overdue by ``overdue`` (their task was lost, or the task backend could not defer it) are put
    back in the task queue too, once per ``overdue``. Enqueuing a job twice is harmless: it is
    translated once.
    """
    from babelpress.translation import jobs, leases

    recovered = len(leases.recover_expired())
    now = timezone.now()
    overdue_jobs = TranslationJob.objects.annotate(due=Coalesce("next_attempt_at", "updated_at")).filter(
        status__in=[TranslationJob.Status.QUEUED, TranslationJob.Status.WAITING], due__lt=now - overdue,
    )
    count = 0
    for job in overdue_jobs:
        with transaction.atomic():
            # Due now, noted on the job: the next look finds it overdue again only after ``overdue``.
            if TranslationJob.objects.filter(pk=job.pk, status=job.status).update(next_attempt_at=now):
                jobs.schedule(job)
                count += 1
    if count:
        log.info("Put %d overdue translation job(s) back in the task queue.", count)
    return recovered
