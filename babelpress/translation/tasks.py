"""Background jobs (Django tasks API, database backend; run by `babelpress worker`)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_tasks import task

from babelpress.translation.models import TranslationJob

log = logging.getLogger(__name__)

#: How often a job waiting for a paid engine's monthly cap looks again.
CAP_RECHECK = timedelta(hours=1)


@task()
def run_translation_job(job_id: int) -> str:
    """Run one translation job. Engine trouble re-queues it with backoff, then fails it visibly.

    The job row is claimed with a conditional update, so a job enqueued twice (or re-run after a
    worker crash) is translated once.
    """
    from babelpress.translation import pipeline, workflow
    from babelpress.translation.engines.base import EngineError

    claimed = TranslationJob.objects.filter(
        pk=job_id, status__in=[TranslationJob.Status.QUEUED, TranslationJob.Status.WAITING]
    ).update(status=TranslationJob.Status.RUNNING, updated_at=timezone.now())
    if not claimed:
        return "skipped: not queued"
    job = TranslationJob.objects.select_related("source__section").get(pk=job_id)
    job.attempts += 1
    try:
        result = pipeline.translate_article(job.source, job.target_language, user=job.requested_by)
    except pipeline.CapReached as exc:
        # Waiting for money is not a failed attempt: look again in an hour (the cap may be raised).
        job.attempts -= 1
        job.status, job.last_error = TranslationJob.Status.WAITING, str(exc)
        job.next_attempt_at = timezone.now() + CAP_RECHECK
        job.save()
        workflow.schedule(job, job.next_attempt_at)
        return "waiting: cap"
    except EngineError as exc:
        job.last_error = str(exc)
        if exc.retryable and job.attempts < settings.BABELPRESS_TRANSLATION_MAX_ATTEMPTS:
            job.status = TranslationJob.Status.QUEUED
            job.next_attempt_at = timezone.now() + workflow.backoff(job.attempts)
            job.save()
            workflow.schedule(job, job.next_attempt_at)
            return "retry later"
        job.status, job.finished_at = TranslationJob.Status.FAILED, timezone.now()
        job.save()
        return "failed"
    except pipeline.HumanTranslationExists as exc:
        job.status, job.last_error, job.finished_at = TranslationJob.Status.DONE, str(exc), timezone.now()
        job.save()
        return "skipped: human translation"
    except Exception as exc:  # a bug must not leave the job "running" forever
        log.exception("translation job %s crashed", job_id)
        job.status, job.last_error, job.finished_at = TranslationJob.Status.FAILED, f"Internal error: {exc!r}", timezone.now()
        job.save()
        raise
    job.status, job.finished_at, job.last_error = TranslationJob.Status.DONE, timezone.now(), ""
    job.engine, job.engine_calls, job.segments_from_memory = result.engine, result.engine_calls, result.segments_from_memory
    job.save()
    # The source was edited while this job ran: its save joined this job, so translate the new text too.
    source = type(job.source).objects.filter(pk=job.source_id).first()
    if source is not None and result.translation.source_digest != pipeline.source_digest(pipeline.article_fields(source)):
        workflow.enqueue(source, [job.target_language], user=job.requested_by)
    return f"done: {result.segments_total} segments, {result.segments_from_memory} from memory"


def recover_stale_jobs(older_than_minutes: int = 30) -> int:
    """Queue again the jobs a crashed worker left 'running' (call it at worker start); returns how many.

    Queued or waiting jobs overdue by ``older_than_minutes`` (their task was lost, or the task
    backend could not defer it) are put back in the task queue too. Enqueuing a job twice is
    harmless: it is translated once.
    """
    from babelpress.translation import workflow

    cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
    recovered = 0
    for job in TranslationJob.objects.filter(status=TranslationJob.Status.RUNNING, updated_at__lt=cutoff):
        with transaction.atomic():
            if TranslationJob.objects.filter(pk=job.pk, status=TranslationJob.Status.RUNNING).update(
                status=TranslationJob.Status.QUEUED, last_error="Worker stopped during the job; queued again.",
                next_attempt_at=None, updated_at=timezone.now(),
            ):
                workflow.schedule(job)
                recovered += 1
    overdue = TranslationJob.objects.annotate(due=Coalesce("next_attempt_at", "updated_at")).filter(
        status__in=[TranslationJob.Status.QUEUED, TranslationJob.Status.WAITING], due__lt=cutoff,
    )
    count = 0
    for job in overdue:
        workflow.schedule(job)
        count += 1
    if count:
        log.info("Put %d overdue translation job(s) back in the task queue.", count)
    return recovered
