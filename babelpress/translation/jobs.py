"""The translation job queue: a job per story and language, queued when an original is published
(``on_article_saved``, from the post-save signal, or when a scheduled original goes live) or on
request (the admin, the CLI), run by ``babelpress worker`` (``tasks.run_translation_job``) and
retried with backoff when it fails.

Each ``TranslationJob`` row is the job as editors see it (queued, running, waiting, done, failed);
the django-tasks task that runs it is only its trigger, so a lost task is picked up again
(``tasks.recover_stale_jobs``) and a killed worker's job is queued again (``leases``).
"""

from __future__ import annotations

import logging
import random
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from babelpress.newsroom import revisions
from babelpress.newsroom.models import Article
from babelpress.translation import registry
from babelpress.translation.models import Translation, TranslationJob

log = logging.getLogger(__name__)

OPEN = (TranslationJob.Status.QUEUED, TranslationJob.Status.RUNNING, TranslationJob.Status.WAITING)


def backoff(attempt: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min … capped at an hour, with jitter so retries don't stampede."""
    seconds = min(3600, 30 * 2 ** max(0, attempt - 1))
    return timedelta(seconds=seconds * random.uniform(0.8, 1.2))


def enqueue(source: Article, languages: list[str], *, user=None, run_after=None) -> list[TranslationJob]:
    """Queue one job per language (joining an open job if there is one); the worker runs them.

    A failed job for the same story and language is queued again rather than left beside a new
    one, so a failure shows until it is retried and disappears once it is. A running job whose
    lease ran out (its worker died) is never joined: it is queued again first (leases.py).
    """
    from babelpress.translation import leases

    jobs = []
    for language in languages:
        if language == source.language:
            continue
        pair = TranslationJob.objects.filter(source=source, target_language=language)
        leases.recover_expired(pair)
        job = pair.filter(status__in=OPEN).first()
        if job is None:
            job, new = _reopen_failed(source, language, user) or _create(source, language, user)
            if new:
                schedule(job, run_after)
        jobs.append(job)
    return jobs


def _create(source: Article, language: str, user) -> tuple[TranslationJob, bool]:
    try:
        with transaction.atomic():
            return TranslationJob.objects.create(source=source, target_language=language, requested_by=user), True
    except IntegrityError:  # another request created it a moment ago: join it
        return TranslationJob.objects.get(source=source, target_language=language, status__in=OPEN), False


def _reopen_failed(source: Article, language: str, user) -> tuple[TranslationJob, bool] | None:
    failed = (
        TranslationJob.objects.filter(source=source, target_language=language, status=TranslationJob.Status.FAILED)
        .order_by("-created_at", "-pk").first()
    )
    if failed is None:
        return None
    try:
        with transaction.atomic():
            reopened = TranslationJob.objects.filter(pk=failed.pk, status=TranslationJob.Status.FAILED).update(
                status=TranslationJob.Status.QUEUED, attempts=0, next_attempt_at=None, finished_at=None,
                requested_by_id=user.pk if user else failed.requested_by_id, updated_at=timezone.now(),
            )
    except IntegrityError:  # another request opened a job for the pair meanwhile
        reopened = 0
    return (TranslationJob.objects.get(pk=failed.pk), True) if reopened else None


def retry(job: TranslationJob, *, user=None) -> TranslationJob | None:
    """Queue a failed job again (the admin's retry button). None when it is not failed any more."""
    if job.status != TranslationJob.Status.FAILED:
        return None
    return enqueue(job.source, [job.target_language], user=user)[0]


def schedule(job: TranslationJob, run_after=None) -> None:
    """Enqueue the task that runs ``job`` once the current transaction commits."""
    from babelpress.translation.tasks import run_translation_job

    task = run_translation_job
    if run_after is not None:
        if not task.get_backend().supports_defer:
            # This task backend runs tasks at once (tests, development): the job stays queued and
            # recover_stale_jobs picks it up when it is due.
            log.info("translation job %s: the task backend cannot defer; it will be picked up later", job.pk)
            return
        task = task.using(run_after=run_after)
    transaction.on_commit(lambda: task.enqueue(job.pk))


def targets_needing_work(source: Article) -> list[str]:
    """Content languages where this original is missing, or machine-translated from older text, and
    an engine can translate it. An untranslated copy ("Create a draft in this language") is left to
    the person who made it: only a request by name machine-translates it (worklist.py)."""
    from babelpress.translation.pipeline import is_outdated

    if source.translation_method:  # only originals are translated
        return []
    existing = {a.language: a for a in source.translations().select_related("translation_state")}
    languages = []
    for language in settings.BABELPRESS_CONTENT_LANGUAGES:
        if language == source.language:
            continue
        other = existing.get(language)
        state = getattr(other, "translation_state", None) if other else None
        if other is None or (state is not None and is_outdated(state)):
            if registry.can_translate(source.language, language):
                languages.append(language)
    return languages


def on_article_saved(article: Article) -> None:
    """A published original was created or edited, or its scheduled time came (the newsroom's
    ``article_went_live``): release the translations that were waiting for it, and translate it
    where needed (if automatic). A story scheduled for later waits for its time: an embargoed text
    goes to no engine before then."""
    if not article.is_published or article.translation_method:
        return
    release_translations(article)
    if not settings.BABELPRESS_TRANSLATION_AUTO:
        return
    languages = targets_needing_work(article)
    if languages:
        enqueue(article, languages)


def release_translations(source: Article) -> list[Article]:
    """Publish the translations of ``source`` that were ready but waiting for it to be published:
    approved ones, and clean machine drafts under the "publish" policy."""
    from babelpress.translation.pipeline import is_outdated, lock_target
    from babelpress.translation.policy import policy_for, publication_time

    if source.status != Article.Status.PUBLISHED:
        return []
    released = []
    waiting = Translation.objects.filter(source=source).exclude(article__status=Article.Status.PUBLISHED)
    for state_id in waiting.values_list("pk", flat=True):
        with transaction.atomic():
            # Decided on the rows as they are now, locked (article first, as everywhere): an
            # editor may be saving this target, a job re-translating it.
            target, state = lock_target(state_id)
            if state is None or target is None or target.status == Article.Status.PUBLISHED:
                continue
            ready = state.state == Translation.State.REVIEWED or (
                state.state == Translation.State.MACHINE and policy_for(source) == "publish"
                and not state.qa_errors and not state.conflicts
            )
            if ready and not is_outdated(state):
                target.status, target.published_at = Article.Status.PUBLISHED, publication_time(source)
                revisions.attribute(target, reason="release")
                target.save()
                released.append(target)
    return released
