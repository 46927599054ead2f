"""Jobs and review: queue translations when stories are published, run them with retries,
and let a reviewer edit and approve a machine draft."""

from __future__ import annotations

import logging
import random
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from babelpress.newsroom.models import Article
from babelpress.translation import registry
from babelpress.translation.models import Segment, Translation, TranslationJob, text_hash

log = logging.getLogger(__name__)

OPEN = (TranslationJob.Status.QUEUED, TranslationJob.Status.RUNNING, TranslationJob.Status.WAITING)


def backoff(attempt: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min … capped at an hour, with jitter so retries don't stampede."""
    seconds = min(3600, 30 * 2 ** max(0, attempt - 1))
    return timedelta(seconds=seconds * random.uniform(0.8, 1.2))


def enqueue(source: Article, languages: list[str], *, user=None, run_after=None) -> list[TranslationJob]:
    """Queue one job per language (joining an open job if there is one); the worker runs them."""
    from babelpress.translation.tasks import run_translation_job

    jobs = []
    for language in languages:
        if language == source.language:
            continue
        job = TranslationJob.objects.filter(source=source, target_language=language, status__in=OPEN).first()
        if job is None:
            try:
                with transaction.atomic():
                    job = TranslationJob.objects.create(source=source, target_language=language, requested_by=user)
            except IntegrityError:  # another request created it a moment ago
                job = TranslationJob.objects.get(source=source, target_language=language, status__in=OPEN)
            schedule(job, run_after)
        jobs.append(job)
    return jobs


def schedule(job: TranslationJob, run_after=None) -> None:
    from babelpress.translation.tasks import run_translation_job

    task = run_translation_job.using(run_after=run_after) if run_after else run_translation_job
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
    """A published original was created or edited: translate it where needed (if automatic)."""
    if not settings.BABELPRESS_TRANSLATION_AUTO or article.status != Article.Status.PUBLISHED:
        return
    languages = targets_needing_work(article)
    if languages:
        enqueue(article, languages)


class ReviewError(Exception):
    pass


@transaction.atomic
def save_review(state: Translation, edits: dict[int, str], user, *, approve: bool) -> Translation:
    """Store a reviewer's segment edits; with ``approve``, apply the text and record the reviewer.

    Edited segments go to the memory as human translations, so re-translation keeps them.
    Approval is refused while QA errors or unresolved conflicts remain.
    """
    from babelpress.translation.pipeline import article_fields, glossary_for, rebuild_and_check, remember
    from babelpress.translation.segmenter import segment_article

    source, target = state.source, state.article
    rows = list(state.segments.order_by("position"))
    human_pairs = []
    for row in rows:
        if row.position in edits:
            new_text = edits[row.position]
            if new_text != row.target_text or row.conflict:
                row.target_text = new_text
                row.human_edited = True
                row.edited_source_text = row.source_text
                row.conflict = False
                human_pairs.append((row.source_text, new_text))
    remember(source.language, target.language, "human", human_pairs, human=True)

    glossary = glossary_for(source.language, target.language)
    segmented = segment_article(article_fields(source), source.language, glossary=glossary)
    if [s.text for s in segmented.segments] != [r.source_text for r in rows]:
        raise ReviewError("The source changed since this draft was made: translate it again, then review.")
    draft = {seg.key: row.target_text for seg, row in zip(segmented.segments, rows)}
    rebuilt, issues = rebuild_and_check(segmented, draft, source.language, target.language)
    for seg, row in zip(segmented.segments, rows):
        row.qa = [vars(i) for i in issues.get(seg.key, [])]
        row.save()
    state.qa_errors = sum(1 for r in rows for i in r.qa if i["level"] == "error")
    state.qa_warnings = sum(1 for r in rows for i in r.qa if i["level"] == "warning")
    state.conflicts = sum(1 for r in rows if r.conflict)
    if approve:
        if state.qa_errors or state.conflicts:
            state.save()
            raise ReviewError(
                f"{state.qa_errors} quality error(s) and {state.conflicts} conflict(s) remain: fix the flagged "
                "segments before approving."
            )
        for name, value in rebuilt.items():
            setattr(target, name, value)
        target.reviewed_by = user
        target.reviewed_at = timezone.now()
        target.translated_from = source
        if target.status != Article.Status.PUBLISHED:
            target.status = Article.Status.PUBLISHED
        target.save()
        state.state = Translation.State.REVIEWED
    state.save()
    return state
