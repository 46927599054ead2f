"""Leases on running translation jobs: a job whose worker died is taken back, never waited on forever.

* A worker **claims** a queued job with one conditional UPDATE (queued or waiting → running, with
  a fresh token, ``lease_expires_at`` = now + lease, attempts + 1): two workers never run one job.
* While the job runs, a **heartbeat** thread (``Lease``) renews the lease every
  ``BABELPRESS_TRANSLATION_HEARTBEAT_SECONDS``. A thread rather than renewals between pipeline
  steps, because the slow step is a single engine call (minutes for a long story on the local
  model, or a slow service) that cannot stop to renew: renewing between steps would need a lease
  longer than the slowest call, and a crash would then go unnoticed for as long.
* Every end of a run (done, retry, waiting, failed) is written only if the job is still this run's
  (``Lease.settle``: same token, still running). "Done" is written in the same transaction as the
  translation itself (``pipeline.translate_article(on_write=…)``), so a job completes once, whole;
  a run that lost its lease to another worker leaves nothing behind.
* ``recover_expired`` queues again every running job whose lease ran out — or fails it with a note
  once it used up its attempts, so a story that kills its worker every time does not loop. Every
  ``babelpress worker`` runs it at start and then every heartbeat; ``jobs.enqueue`` runs it on
  the job a new request would otherwise join.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from babelpress.translation.models import TranslationJob

log = logging.getLogger(__name__)

RUNNING = TranslationJob.Status.RUNNING


class LeaseLost(Exception):
    """Another worker took this run's job over (its lease ran out): what the run wrote is rolled back."""


def lease_duration() -> timedelta:
    return timedelta(seconds=settings.BABELPRESS_TRANSLATION_LEASE_SECONDS)


def worker_name() -> str:
    """Who holds a lease, for the operator: host name and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


def claim(job_id: int) -> TranslationJob | None:
    """Take a queued or waiting job for this process; None when it is not (any more) to be run."""
    now = timezone.now()
    claimed = TranslationJob.objects.filter(
        pk=job_id, status__in=[TranslationJob.Status.QUEUED, TranslationJob.Status.WAITING]
    ).update(
        status=RUNNING, lease_token=uuid.uuid4().hex, worker=worker_name(), lease_expires_at=now + lease_duration(),
        attempts=F("attempts") + 1, updated_at=now,
    )
    if not claimed:
        return None
    return TranslationJob.objects.select_related("source__section", "requested_by").get(pk=job_id)


def _ours(job: TranslationJob):
    return TranslationJob.objects.filter(pk=job.pk, status=RUNNING, lease_token=job.lease_token)


def renew(job: TranslationJob) -> bool:
    """Push the lease of ``job`` (as claimed by this run) forward; False when it is not ours any more."""
    return bool(_ours(job).update(lease_expires_at=timezone.now() + lease_duration()))


def settle(job: TranslationJob, **fields) -> bool:
    """End this run of ``job``, writing ``fields``, if the job is still this run's; else change
    nothing and return False (another worker took it over after our lease ran out)."""
    return bool(_ours(job).update(lease_token="", lease_expires_at=None, updated_at=timezone.now(), **fields))


class Lease:
    """This run's hold on a claimed job. ``with Lease(job) as lease:`` renews it from a heartbeat
    thread while the block runs; ``lease.settle(...)`` ends the run (see ``settle``)."""

    def __init__(self, job: TranslationJob, every: float | None = None):
        self.job = job
        self.every = settings.BABELPRESS_TRANSLATION_HEARTBEAT_SECONDS if every is None else every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"babelpress-lease-{job.pk}", daemon=True)

    def __enter__(self) -> Lease:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def settle(self, **fields) -> bool:
        # No renewal after this (the run is over, whatever the answer); not joined here: the caller
        # may be inside a transaction the heartbeat's UPDATE would wait for.
        self._stop.set()
        return settle(self.job, **fields)

    def _beat(self) -> None:
        try:
            while not self._stop.wait(self.every):
                try:
                    if not renew(self.job) and not self._stop.is_set():
                        log.warning("translation job %s: lease lost to another worker; its result will be dropped",
                                    self.job.pk)
                        return
                except DatabaseError:  # a busy or briefly unreachable database: the lease has slack
                    log.warning("translation job %s: could not renew the lease; trying again", self.job.pk,
                                exc_info=True)
        finally:
            connections.close_all()  # this thread's own connections


def expired(now=None):
    """Running jobs whose lease ran out (or, claimed without a lease by an older worker, untouched
    for as long as a lease)."""
    now = now or timezone.now()
    return TranslationJob.objects.filter(status=RUNNING).filter(
        Q(lease_expires_at__lt=now) | Q(lease_expires_at__isnull=True, updated_at__lt=now - lease_duration())
    )


def recover_expired(jobs=None, now=None) -> list[int]:
    """Queue again every running job (of ``jobs``, a queryset; default all) whose lease ran out, or
    fail it with a note when it has used its attempts. Returns the ids queued again."""
    from babelpress.translation import jobs as job_queue  # "jobs" is the argument

    now = now or timezone.now()
    found = expired(now) if jobs is None else expired(now).filter(pk__in=jobs.values("pk"))
    requeued = []
    for job in found:
        who = job.worker or "an older worker"
        with transaction.atomic():
            # Conditional on what we read: a worker renewing at this moment keeps its job.
            stale = expired(now).filter(pk=job.pk, lease_token=job.lease_token)
            if job.attempts >= settings.BABELPRESS_TRANSLATION_MAX_ATTEMPTS:
                stale.update(
                    status=TranslationJob.Status.FAILED, finished_at=now, updated_at=now, lease_token="",
                    lease_expires_at=None,
                    last_error=f"The worker running it ({who}) stopped during the job (crashed or was killed), and "
                               f"the job has used its {job.attempts} attempts. See that worker's log, then retry.",
                )
            elif stale.update(
                status=TranslationJob.Status.QUEUED, next_attempt_at=None, updated_at=now, lease_token="",
                lease_expires_at=None,
                last_error=f"The worker running it ({who}) stopped renewing its lease (crashed or was killed); "
                           "queued again.",
            ):
                job_queue.schedule(job)
                requeued.append(job.pk)
    if requeued:
        log.warning("Queued again %d translation job(s) whose worker stopped: %s", len(requeued), requeued)
    return requeued
