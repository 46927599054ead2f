"""Which story exists in which language, and in what state — for the admin and the CLI."""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict

from django.conf import settings
from django.utils.translation import pgettext_lazy

from babelpress.newsroom.models import Article
from babelpress.translation.models import TranslationJob
from babelpress.translation.pipeline import article_fields
from babelpress.translation.segmenter import source_digest

STATES = ("original", "human", "reviewed", "machine", "outdated", "queued", "failed", "missing")
# What editors read for each state (the keys stay English: they are CSS classes and filter values).
STATE_LABELS = {
    "original": pgettext_lazy("translation state", "original"),
    "human": pgettext_lazy("translation state", "human translation"),
    "reviewed": pgettext_lazy("translation state", "reviewed"),
    "machine": pgettext_lazy("translation state", "machine draft"),
    "outdated": pgettext_lazy("translation state", "outdated"),
    "queued": pgettext_lazy("translation state", "queued"),
    "failed": pgettext_lazy("translation state", "failed"),
    "missing": pgettext_lazy("translation state", "missing"),
}


def cells(sources: list[Article], among=None) -> dict[int, dict[str, dict]]:
    """{source id: {language: {"state": ..., "article": Article|None, "job": TranslationJob|None}}}.

    ``among``: the queryset ``sources`` are all the rows of, if any; the other versions and the jobs
    are then selected through it by the database, not by sending it every source (faster with
    thousands, and past the 32,766 values SQLite takes in one query)."""
    keys = among.values("translation_key") if among is not None else [s.translation_key for s in sources]
    versions = Article.objects.filter(translation_key__in=keys).select_related("translation_state").only(
        "id", "translation_key", "language", "status", "headline", "translation_method", "reviewed_by_id",
        "translation_state__source_digest", "translation_state__state", "translation_state__article_id",
        "translation_state__updated_at",
    )
    by_key: dict = {}
    for version in versions:
        by_key.setdefault(version.translation_key, {})[version.language] = version
    jobs: dict = {}
    for job in TranslationJob.objects.filter(source__in=sources if among is None else among.values("pk")
                                             ).order_by("created_at"):
        jobs[(job.source_id, job.target_language)] = job  # the latest wins
    table = {}
    for source in sources:
        found = by_key.get(source.translation_key, {})
        # The digest tells a machine translation's source changed: needed only where there is one.
        needed = any(getattr(version, "translation_state", None) is not None for version in found.values())
        digest = _digest(source) if needed else ""
        row = {}
        for language in settings.BABELPRESS_CONTENT_LANGUAGES:
            article = found.get(language)
            job = jobs.get((source.pk, language))
            state = state_of(source, language, article, job, digest)
            row[language] = {"state": state, "label": STATE_LABELS[state], "article": article, "job": job}
        table[source.pk] = row
    return table


# Digests of sources already computed, by (translation key, language, version): every save of an
# article gives it a new version (Article.save), so an entry never goes stale. Kept per process, the
# most recent DIGESTS_KEPT; a source read without its version is digested every time.
DIGESTS_KEPT = 20_000
_digests: OrderedDict = OrderedDict()
_digests_lock = threading.Lock()


def _digest(source: Article) -> str:
    version = source.__dict__.get("version")
    if version is None:
        return source_digest(article_fields(source))
    key = (source.translation_key, source.language, version)
    with _digests_lock:
        if key in _digests:
            _digests.move_to_end(key)
            return _digests[key]
    digest = source_digest(article_fields(source))
    with _digests_lock:
        _digests[key] = digest
        while len(_digests) > DIGESTS_KEPT:
            _digests.popitem(last=False)
    return digest


def state_of(source, language, article, job, digest) -> str:
    if language == source.language:
        return "original"
    if job is not None and job.status in ("queued", "running", "waiting"):
        return "queued"
    if article is None:
        return "failed" if job is not None and job.status == "failed" else "missing"
    state = getattr(article, "translation_state", None)
    if state is None:
        return "human" if article.translation_method != "machine" else "machine"
    # A re-translation that failed after this text was made: say so (its error is on the job).
    if job is not None and job.status == "failed" and (job.finished_at or job.updated_at) > state.updated_at:
        return "failed"
    if state.source_digest != digest or state.state == "outdated":
        return "outdated"
    return "reviewed" if state.state == "reviewed" else "machine"


def originals():
    return Article.objects.published().filter(translation_method="").select_related("section").order_by("-published_at")


def totals(table: dict | None = None) -> dict[str, Counter]:
    """Counts of each state per content language, over published originals (or ``table``, the
    ``cells`` of all of them when the caller has it already)."""
    if table is None:
        table = cells(list(originals()))
    counts = {lang: Counter() for lang in settings.BABELPRESS_CONTENT_LANGUAGES}
    for row in table.values():
        for language, cell in row.items():
            counts[language][cell["state"]] += 1
            counts[language]["stories"] += 1
    return counts
