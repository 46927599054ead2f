"""Jobs and review: queue translations when stories are published, run them with retries,
and let a reviewer edit and approve a machine draft."""

from __future__ import annotations

import hashlib
import logging
import random
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from babelpress.newsroom.models import Article, StaleEdit
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
    """Content languages where this original is missing, or machine-translated from older text."""
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
    """A published original was created or edited: release the translations that were waiting for
    it, and translate it where needed (if automatic)."""
    if article.status != Article.Status.PUBLISHED or article.translation_method:
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
    from babelpress.translation.pipeline import is_outdated, policy_for, publication_time

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
                target.save()
                released.append(target)
    return released


class ReviewError(Exception):
    pass


def lock_target(state_id: int):
    """(target article, Translation) for a Translation id, locked in the order every writer uses
    (article, then translation) so two writers never wait on each other; (None, None) if gone."""
    article_id = Translation.objects.filter(pk=state_id).values_list("article_id", flat=True).first()
    target = Article.objects.select_for_update(no_key=True).filter(pk=article_id).first()
    state = (
        Translation.objects.select_for_update(of=("self",)).select_related("source__section")
        .filter(pk=state_id, article_id=article_id).first()
    )
    if target is None or state is None:
        return None, None
    state.article = target
    return target, state


def draft_token(rows) -> str:
    """A fingerprint of a draft's segments as a reviewer sees them: the review form sends it back,
    and a draft that changed meanwhile (translated again, saved by someone else) is not overwritten."""
    digest = hashlib.sha256()
    for row in rows:
        seen = (row.position, row.source_hash, row.target_text, row.human_edited, row.conflict)
        digest.update(("\0".join(map(str, seen)) + "\0\0").encode())
    return digest.hexdigest()[:32]


def save_review(state: Translation, edits: dict[int, str], user, *, approve: bool, resolved=(),
                loaded_version: int | None = None, loaded_draft: str | None = None) -> Translation:
    """Store a reviewer's segment edits; with ``approve``, apply the text and record the reviewer.

    ``edits`` maps segment positions to the reviewer's text (the review form sends every segment;
    only those that differ count as edits). Edited segments go to the memory as human
    translations, so re-translation keeps them. A conflict (the source of an edited segment
    changed) is resolved by editing the segment again, or by listing its position in ``resolved``
    (the reviewer keeps the edit for the new source).

    ``loaded_draft`` (``draft_token``) and ``loaded_version`` (the target article's version) are
    what the reviewer's screen showed: if the draft changed since, or (when approving) the article
    was saved since, StaleEdit is raised and nothing is written.

    Approval is refused (ReviewError) while QA errors or unresolved conflicts remain, or when the
    source changed since the draft; the edits are saved all the same.
    """
    with transaction.atomic():
        target, locked = lock_target(state.pk)
        if locked is None:
            raise StaleEdit(_("This translation was deleted since you opened it."))
        rows = list(locked.segments.order_by("position"))
        if loaded_draft is not None and loaded_draft != draft_token(rows):
            raise StaleEdit(_("This draft changed since you opened it (it was translated again, or someone else "
                              "saved it). Nothing was saved: here is the new draft, with your text under each "
                              "segment; apply it again."))
        if approve and loaded_version is not None and loaded_version != target.version:
            raise StaleEdit(_("Someone else saved this translation's article since you opened the review. Nothing "
                              "was saved: your text is kept below; check the article, then approve again."))
        state, refusal = _store_review(locked, rows, edits, set(resolved), user, approve)
    if refusal:
        raise ReviewError(refusal)
    return state


def _store_review(state: Translation, rows, edits: dict[int, str], resolved: set[int], user, approve: bool):
    from babelpress.translation.pipeline import (
        article_fields, glossary_for, publication_time, rebuild_and_check, remember,
    )

    source, target = state.source, state.article
    human_pairs = []
    for row in rows:
        changed = row.position in edits and edits[row.position] != row.target_text
        if changed or (row.conflict and row.position in resolved):
            if changed:
                row.target_text = edits[row.position]
            row.human_edited = True
            row.edited_source_text = row.source_text
            row.conflict = False
            human_pairs.append((row.source_text, row.target_text))
    remember(source.language, target.language, "human", human_pairs, human=True)

    segmented = _segment_like(state, rows, article_fields(source), glossary_for(source.language, target.language))
    if segmented is None:
        # The source changed since this draft was made: keep the edits, check nothing, approve nothing.
        for row in rows:
            row.save()
        state.conflicts = sum(1 for r in rows if r.conflict)
        state.save()
        return state, ("The source changed since this draft was made: your edits are saved; translate it again "
                       "(they are kept), then review and approve.") if approve else ""
    draft = {seg.key: row.target_text for seg, row in zip(segmented.segments, rows)}
    rebuilt, issues = rebuild_and_check(segmented, draft, source.language, target.language)
    for seg, row in zip(segmented.segments, rows):
        row.qa = [vars(i) for i in issues.get(seg.key, [])]
        row.save()
    state.qa_errors = sum(1 for r in rows for i in r.qa if i["level"] == "error")
    state.qa_warnings = sum(1 for r in rows for i in r.qa if i["level"] == "warning")
    state.conflicts = sum(1 for r in rows if r.conflict)
    refusal = ""
    if approve and (state.qa_errors or state.conflicts):
        refusal = (
            f"{state.qa_errors} quality error(s) and {state.conflicts} conflict(s) remain: fix the flagged "
            "segments before approving. Your edits are saved."
        )
    elif approve:
        for name, value in rebuilt.items():
            setattr(target, name, value)
        target.reviewed_by = user
        target.reviewed_at = timezone.now()
        target.translated_from = source
        # Published with (never before) the original: an unpublished original's approved
        # translation waits for it (release_translations).
        if target.status != Article.Status.PUBLISHED and source.status == Article.Status.PUBLISHED:
            target.status = Article.Status.PUBLISHED
            target.published_at = publication_time(source)
        target.save()  # version-checked; locked above, so current
        state.state = Translation.State.REVIEWED
    state.save()
    return state, refusal


def _segment_like(state: Translation, rows, fields, glossary):
    """The source segmented as it was for this draft (same engine segment size), or None if the
    source no longer gives the draft's segments."""
    from babelpress.translation.segmenter import segment_article

    engine = registry.configured_engines().get(state.engine) if state.engine else None
    sizes = dict.fromkeys([getattr(engine, "max_segment_chars", None), None])
    for max_chars in sizes:
        segmented = segment_article(fields, state.source.language, glossary=glossary, max_chars=max_chars)
        if [s.text for s in segmented.segments] == [r.source_text for r in rows]:
            return segmented
    return None
