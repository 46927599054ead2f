"""Translate one article into one language: segment, reuse memory, call the engine for what is
new, restore markup, check quality, and store the draft (and apply it, as the policy says).

The engine is called at most once per article for the segments the memory does not know, so an
edit of one paragraph of a twenty-paragraph story costs one engine call for one segment.
"""

from __future__ import annotations

import difflib
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from babelpress.newsroom.models import Article, StaleEdit
from babelpress.newsroom.sanitize import clean_body, clean_text
from babelpress.translation import qa, registry
from babelpress.translation.engines.base import EngineError
from babelpress.translation.models import EngineUsage, GlossaryName, MemoryEntry, Segment, Translation, text_hash
from babelpress.translation.segmenter import Glossary, segment_article, source_digest

log = logging.getLogger(__name__)

FIELDS = ("headline", "alternative_headline", "standfirst", "summary", "body")


class CapReached(Exception):
    """A paid engine reached its monthly character cap: the job waits instead of spending."""


class HumanTranslationExists(Exception):
    """The target language already has a human translation that Babelpress must not overwrite."""


@dataclass
class Result:
    article: Article
    translation: Translation
    engine: str
    engine_calls: int = 0
    segments_total: int = 0
    segments_from_memory: int = 0
    characters_sent: int = 0
    errors: int = 0
    warnings: int = 0
    conflicts: int = 0
    applied: bool = False
    notes: list[str] = field(default_factory=list)


def article_fields(article: Article) -> dict[str, str]:
    return {name: getattr(article, name) or "" for name in FIELDS}


def glossary_for(source: str, target: str) -> Glossary:
    """The glossary pairs (source forms → target preferred form) for a language pair."""
    names = GlossaryName.objects.filter(language__in=[source, target]).select_related("term")
    by_term: dict[int, dict[str, GlossaryName]] = {}
    for name in names:
        by_term.setdefault(name.term_id, {})[name.language] = name
    pairs = [
        (forms[source].forms(), forms[target].name)
        for forms in by_term.values()
        if source in forms and target in forms
    ]
    return Glossary.from_pairs(pairs)


def policy_for(article: Article) -> str:
    return article.section.translation_policy or settings.BABELPRESS_TRANSLATION_POLICY


def publication_time(source: Article):
    """When a translation of ``source`` may go live: now, or the original's own later date."""
    now = timezone.now()
    return max(now, source.published_at) if source.published_at else now


def month() -> str:
    return timezone.now().strftime("%Y-%m")


def reserve(engine, characters: int) -> str | None:
    """Count ``characters`` against a paid engine's month before sending them; CapReached past the cap.

    One conditional UPDATE checks and counts at once, so two workers cannot both slip under the
    cap. Returns the month charged (for ``refund``), or None for engines that are not metered.
    """
    if not getattr(engine, "paid", False):
        return None
    charged = month()
    usage, _ = EngineUsage.objects.get_or_create(engine=engine.name, month=charged)
    cap = settings.BABELPRESS_TRANSLATION_MONTHLY_CAPS.get(engine.name)
    room = EngineUsage.objects.filter(pk=usage.pk)
    if cap is not None:
        room = room.filter(characters__lte=cap - characters)
    if not room.update(characters=F("characters") + characters, requests=F("requests") + 1):
        used = EngineUsage.objects.filter(pk=usage.pk).values_list("characters", flat=True).first() or 0
        raise CapReached(
            f"{engine.name} has used {used} of its {cap} characters this month; this job needs "
            f"{characters} more. It will run next month, or raise BABELPRESS_TRANSLATION_MONTHLY_CAPS."
        )
    return charged


def refund(engine, characters: int, charged: str | None) -> None:
    """Give back a reservation whose call failed: failures cost nothing."""
    if charged is not None:
        EngineUsage.objects.filter(engine=engine.name, month=charged).update(
            characters=F("characters") - characters, requests=F("requests") - 1
        )


def lookup_memory(source: str, target: str, hashes: set[str], engine_name: str) -> dict[str, MemoryEntry]:
    """Best memory entry per source hash: human edits first, then this engine, then any engine."""
    best: dict[str, MemoryEntry] = {}
    rank = lambda e: (e.human_edited, e.engine == engine_name, e.used_at)
    for entry in MemoryEntry.objects.filter(source_language=source, target_language=target, source_hash__in=hashes):
        if entry.source_hash not in best or rank(entry) > rank(best[entry.source_hash]):
            best[entry.source_hash] = entry
    return best


def remember(source: str, target: str, engine: str, pairs: list[tuple[str, str]], human: bool = False) -> None:
    """Store translated segments in the memory: one INSERT … ON CONFLICT UPDATE for the lot."""
    now = timezone.now()
    by_hash = {text_hash(source_text): (source_text, target_text) for source_text, target_text in pairs}
    if not by_hash:
        return
    MemoryEntry.objects.bulk_create(
        [
            MemoryEntry(source_language=source, target_language=target, source_hash=h, engine=engine,
                        source_text=source_text, target_text=target_text, human_edited=human, used_at=now)
            for h, (source_text, target_text) in by_hash.items()
        ],
        update_conflicts=True,
        unique_fields=["source_language", "target_language", "source_hash", "engine"],
        update_fields=["source_text", "target_text", "human_edited", "used_at"],
    )


#: A write that finds the target changed or created by someone else meanwhile is planned again
#: on the fresh row this many times before giving up (StaleEdit).
WRITE_ATTEMPTS = 3


def translate_article(source: Article, target_language: str, *, user=None, on_write=None) -> Result:
    """Translate ``source`` into ``target_language`` (see the module docstring).

    Raises EngineError, CapReached or HumanTranslationExists before anything is written. The
    engine's output goes to the memory first (never paid for twice); then the target is written
    in one transaction that re-reads it under a row lock and decides on what it finds then, so an
    editor who took the translation over, or a reviewer who approved it, while the engine worked
    is never overwritten. StaleEdit when the target kept moving under it (``WRITE_ATTEMPTS``).
    ``on_write(result)`` runs last in that transaction; if it raises, nothing is written (the
    worker marks its job done there: the translation and the job's "done" commit together).
    """
    if target_language == source.language:
        raise ValueError("A story is not translated into its own language.")
    current_target(source, target_language)  # a human translation: stop before paying an engine
    engine = registry.engine_for(source.language, target_language)
    fields = article_fields(source)
    glossary = glossary_for(source.language, target_language)
    segmented = segment_article(fields, source.language, glossary=glossary, max_chars=engine.max_segment_chars)
    result = Result(article=None, translation=None, engine=engine.name, segments_total=len(segmented.segments))
    machine = machine_text(engine, segmented.segments, source.language, target_language, result)
    for attempt in range(1, WRITE_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                _write(source, target_language, fields, segmented, machine, result)
                if on_write is not None:
                    on_write(result)
            return result
        except (StaleEdit, IntegrityError):
            # Saved or created by someone else between our read and our write: plan again on the
            # fresh row (the engine's text is in the memory, so this costs no engine call).
            if attempt == WRITE_ATTEMPTS:
                raise
            log.info("translation of article %s into %s: the target changed meanwhile; writing again",
                     source.pk, target_language)
    raise AssertionError("unreachable")


def current_target(source: Article, target_language: str, *, lock: bool = False):
    """(target article or None, its Translation or None) as they are now — locked with ``lock``.

    Raises HumanTranslationExists for a human translation, or a machine draft an editor took over
    by hand (method set to "human"): Babelpress never overwrites those.
    """
    found = Article.objects.filter(translation_key=source.translation_key, language=target_language)
    states = Translation.objects.all()
    if lock:
        found, states = found.select_for_update(no_key=True), states.select_for_update(no_key=True)
    target = found.exclude(pk=source.pk).first()
    state = states.filter(article=target).first() if target is not None else None
    if target is not None and (
        target.translation_method == Article.TranslationMethod.HUMAN
        or (state is None and target.translation_method != Article.TranslationMethod.MACHINE)
    ):
        raise HumanTranslationExists(
            f"'{target.headline}' is a human translation into {target_language}; Babelpress leaves it alone. "
            "Delete it first if you want a machine draft."
        )
    return target, state


def machine_text(engine, segments, source_language: str, target_language: str, result: Result) -> dict[str, str]:
    """{segment key: machine text}: from the memory where it knows the text, else from one engine
    call; the engine's answers are stored in the memory at once (their own transaction)."""
    memory = lookup_memory(source_language, target_language, {text_hash(s.text) for s in segments}, engine.name)
    machine: dict[str, str] = {}
    to_send = []
    for seg in segments:
        entry = memory.get(text_hash(seg.text))
        if entry is not None:
            machine[seg.key] = entry.target_text
        elif seg.key not in machine:
            to_send.append(seg)
    # Identical texts (a repeated sentence) are sent once.
    unique_texts = list(dict.fromkeys(seg.text for seg in to_send))
    result.segments_from_memory = len(segments) - len(to_send)
    by_text: dict[str, str] = {}
    if unique_texts:
        result.characters_sent = sum(len(t) for t in unique_texts)
        charged = reserve(engine, result.characters_sent)
        try:
            translated = engine.translate_batch(unique_texts, source_language, target_language)
            if len(translated) != len(unique_texts):
                raise EngineError(engine.name, f"returned {len(translated)} texts for {len(unique_texts)} segments.")
        except BaseException:
            refund(engine, result.characters_sent, charged)
            raise
        result.engine_calls = 1
        by_text = dict(zip(unique_texts, translated))
        for seg in to_send:
            machine[seg.key] = by_text[seg.text]
    with transaction.atomic():
        remember(source_language, target_language, engine.name, list(by_text.items()))
        if memory:
            MemoryEntry.objects.filter(pk__in=[e.pk for e in memory.values()]).update(
                uses=F("uses") + 1, used_at=timezone.now()
            )
    return machine


def _draft_rows(segments, machine: dict[str, str], previous: dict[int, Segment]):
    """The draft's Segment rows and {key: text}: machine text, except segments a human edited
    (kept; flagged as a conflict if their source moved)."""
    draft: dict[str, str] = {}
    rows = []
    for position, seg in enumerate(segments):
        h = text_hash(seg.text)
        old = previous.get(position)
        machine_text, target_text, human, edited_source, conflict = machine[seg.key], machine[seg.key], False, "", False
        if old is not None and old.human_edited:
            # A reviewer's edit is kept. If the source it was made against has changed since,
            # the reviewer sees both (edit and new machine text) instead of losing either.
            edited_source = old.edited_source_text or old.source_text
            target_text, human, conflict = old.target_text, True, edited_source != seg.text
            if old.source_hash == h:
                machine_text = old.machine_text or machine_text
        draft[seg.key] = target_text
        rows.append(Segment(
            position=position, field=seg.field, source_text=seg.text, source_hash=h,
            machine_text=machine_text, target_text=target_text, human_edited=human,
            edited_source_text=edited_source, conflict=conflict,
        ))
    return rows, draft


def _write(source: Article, target_language: str, fields, segmented, machine, result: Result) -> None:
    """Store the draft on the target as it is now (locked), applying it as the policy says."""
    target, state = current_target(source, target_language, lock=True)
    segments = segmented.segments
    previous = align(list(state.segments.order_by("position")) if state else [], segments)
    rows, draft = _draft_rows(segments, machine, previous)
    rebuilt, issues_by_key = rebuild_and_check(segmented, draft, source.language, target_language)
    for row, seg in zip(rows, segments):
        row.qa = [vars(issue) for issue in issues_by_key.get(seg.key, [])]
    errors = sum(1 for r in rows for i in r.qa if i["level"] == "error")
    warnings = sum(1 for r in rows for i in r.qa if i["level"] == "warning")
    conflicts = sum(1 for r in rows if r.conflict)

    publish_now = policy_for(source) == "publish" and errors == 0 and conflicts == 0
    is_new = target is None
    if is_new:
        target = Article(
            translation_key=source.translation_key, language=target_language, section=source.section,
            author=source.author, source=source.source, original_url=source.original_url,
            status=Article.Status.REVIEW,
        )
    # The text readers have (or a reviewer approved) is exactly the new draft: nothing to apply,
    # nothing to review again, and a reviewer's approval stands.
    keep = (
        not is_new and same_text(target, rebuilt)
        and (target.status == Article.Status.PUBLISHED or (state is not None and state.state == Translation.State.REVIEWED))
    )
    # Otherwise apply the text when nothing live would change without review: a new draft, a
    # draft not yet published, or the "publish" policy. Else readers keep the last approved text.
    apply = not keep and (is_new or target.status != Article.Status.PUBLISHED or publish_now)
    if keep:
        new_state = Translation.State.REVIEWED if target.reviewed_by_id else Translation.State.MACHINE
    else:
        new_state = Translation.State.MACHINE if apply else Translation.State.OUTDATED
    if apply:
        _apply(target, rebuilt, source, result.engine, publish_now)
    if state is None:
        state = Translation(article=target, source=source)
    state.source_digest = source_digest(fields)
    state.state = new_state
    state.engine = result.engine
    state.qa_errors, state.qa_warnings, state.conflicts = errors, warnings, conflicts
    state.save()
    state.segments.all().delete()
    for row in rows:
        row.translation = state
    Segment.objects.bulk_create(rows)
    result.article, result.translation, result.applied = target, state, apply
    result.errors, result.warnings, result.conflicts = errors, warnings, conflicts


def _apply(target: Article, rebuilt: dict[str, str], source: Article, engine_name: str, publish_now: bool) -> None:
    for name, value in rebuilt.items():
        setattr(target, name, value)
    target.translated_from = source
    target.translation_method = Article.TranslationMethod.MACHINE
    target.translation_engine = engine_name
    target.reviewed_by = None
    target.reviewed_at = None
    # Never before the original: a draft original keeps its translations waiting (they are
    # released when it is published), an embargoed one takes them along to its date.
    if publish_now and target.status != Article.Status.PUBLISHED and source.status == Article.Status.PUBLISHED:
        target.status = Article.Status.PUBLISHED
        target.published_at = publication_time(source)
    target.save()  # version-checked; the row is locked, so it is current


def align(old_rows: list[Segment], segments) -> dict[int, Segment]:
    """{new position: the previous segment row it continues}, from a diff of the source texts.

    Unchanged segments match wherever they moved; a changed segment matches the old one it
    replaced (same field, same place between unchanged neighbours); inserted ones match nothing.
    """
    old_hashes = [row.source_hash for row in old_rows]
    new_hashes = [text_hash(seg.text) for seg in segments]
    matched: dict[int, Segment] = {}
    opcodes = difflib.SequenceMatcher(None, old_hashes, new_hashes, autojunk=False).get_opcodes()
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            matched.update({j1 + k: old_rows[i1 + k] for k in range(i2 - i1)})
        elif op == "replace":
            for k in range(min(i2 - i1, j2 - j1)):
                if old_rows[i1 + k].field == segments[j1 + k].field:
                    matched[j1 + k] = old_rows[i1 + k]
    return matched


def same_text(article: Article, fields: dict[str, str]) -> bool:
    """Would saving ``fields`` on ``article`` leave its text as it is (after the usual cleaning)?"""
    cleaners = {"headline": clean_text, "alternative_headline": clean_text, "body": clean_body}
    return all(
        (getattr(article, name) or "") == cleaners.get(name, lambda v: v)(value or "") for name, value in fields.items()
    )


def rebuild_and_check(segmented, draft: dict[str, str], source_language, target_language):
    """Rebuild the target fields from per-segment texts and run the QA checks on each segment."""
    rebuilt = segmented.rebuild(draft)
    issues_by_key = {}
    for seg in segmented.segments:
        issues_by_key[seg.key] = qa.check_segment(
            segmented.restore_source(seg.key),
            segmented.restore(seg.key, draft.get(seg.key)),
            source_language, target_language,
            glossary_terms=seg.glossary_terms,
            markup_problems=segmented.problems(seg.key),
        )
    return rebuilt, issues_by_key


def is_outdated(state: Translation) -> bool:
    return state.source_digest != source_digest(article_fields(state.source))
