"""Translate one article into one language: plan → draft → decide → save.

1. **Plan** (``plan``): the engine for the pair, the glossary, the segments. A human translation
   stops everything here, before an engine is paid.
2. **Machine text** (``machine_text``): from the translation memory where it knows a segment,
   else one engine call for the rest; the engine's answers go to the memory at once.
3. **Draft** (``make_draft``), on the target as it is now, locked: the segment rows (reviewers'
   edits kept, conflicts flagged), the rebuilt fields, the QA checks.
4. **Decide** (``policy.decide``, a pure function): keep the target as it is, or apply the draft,
   and whether it goes live.
5. **Save** (``save``): the target article, its Translation state and its segment rows.

The engine is called at most once per article for the segments the memory does not know, so an
edit of one paragraph of a twenty-paragraph story costs one engine call for one segment.
"""

from __future__ import annotations

import difflib
import logging
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from babelpress.newsroom import revisions
from babelpress.newsroom.models import Article, StaleEdit
from babelpress.newsroom.sanitize import clean_body, clean_text
from babelpress.translation import qa, registry
from babelpress.translation.engines.base import EngineError, TranslationEngine
from babelpress.translation.glossary import glossary_for, instructions_for, keeps_terms
from babelpress.translation.memory import lookup_memory, remember
from babelpress.translation.metering import refund, reserve
from babelpress.translation.models import MemoryEntry, Segment, Translation, text_hash
from babelpress.translation.policy import Decision, Situation, decide, policy_for, publication_time
from babelpress.translation.segmenter import SegmentedArticle, segment_article, source_digest

log = logging.getLogger(__name__)

FIELDS = ("headline", "alternative_headline", "standfirst", "summary", "body")


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
    requested_by: object = None  # the user who asked for it, named in the target's revision


def article_fields(article: Article) -> dict[str, str]:
    return {name: getattr(article, name) or "" for name in FIELDS}


#: A write that finds the target changed or created by someone else meanwhile is planned again
#: on the fresh row this many times before giving up (StaleEdit).
WRITE_ATTEMPTS = 3


@dataclass
class Plan:
    """What a translation needs before anything is paid for or written."""

    engine: TranslationEngine
    fields: dict[str, str]  # the source's translatable fields
    segmented: SegmentedArticle


def plan(source: Article, target_language: str) -> Plan:
    """The engine, the glossary and the segments for translating ``source`` into ``target_language``.

    Raises HumanTranslationExists (a human translation is never replaced) and EngineError (no
    engine for the pair) before any engine is paid.
    """
    if target_language == source.language:
        raise ValueError("A story is not translated into its own language.")
    current_target(source, target_language)  # a human translation: stop before paying an engine
    engine = registry.engine_for(source.language, target_language)
    fields = article_fields(source)
    # Engines that take instructions get the terms in their prompt, none as a placeholder.
    glossary = glossary_for(source.language, target_language, placeholders=engine.glossary_mode != "instructions")
    segmented = segment_article(fields, source.language, glossary=glossary, max_chars=engine.max_segment_chars)
    return Plan(engine=engine, fields=fields, segmented=segmented)


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
    planned = plan(source, target_language)
    segments = planned.segmented.segments
    result = Result(article=None, translation=None, engine=planned.engine.name, segments_total=len(segments),
                    requested_by=user)
    machine = machine_text(planned.engine, segments, source.language, target_language, result)
    for attempt in range(1, WRITE_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                _write(source, target_language, planned, machine, result)
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
    by hand (method set to "human"): Babelpress never overwrites those. An untranslated copy is
    replaced.
    """
    found = Article.objects.filter(translation_key=source.translation_key, language=target_language)
    states = Translation.objects.all()
    if lock:
        found, states = found.select_for_update(no_key=True), states.select_for_update(no_key=True)
    target = found.exclude(pk=source.pk).first()
    state = states.filter(article=target).first() if target is not None else None
    # An untranslated copy ("Create a draft in this language", text unchanged) holds no one's work:
    # a translation asked for replaces it.
    replaceable = (Article.TranslationMethod.MACHINE, Article.TranslationMethod.COPY)
    if target is not None and (
        target.translation_method == Article.TranslationMethod.HUMAN
        or (state is None and target.translation_method not in replaceable)
    ):
        raise HumanTranslationExists(
            f"'{target.headline}' is a human translation into {target_language}; Babelpress leaves it alone. "
            "Delete it first if you want a machine draft."
        )
    return target, state


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


def machine_text(engine, segments, source_language: str, target_language: str, result: Result) -> dict[str, str]:
    """{segment key: machine text}: from the memory where it knows the text, else from one engine
    call; the engine's answers are stored in the memory at once (their own transaction)."""
    memory = lookup_memory(source_language, target_language, {text_hash(s.text) for s in segments}, engine.name)
    machine: dict[str, str] = {}
    to_send = []
    for seg in segments:
        entry = memory.get(text_hash(seg.text))
        # An engine's translation that lacks a term the glossary now gives otherwise is made again.
        if entry is not None and (entry.human_edited or keeps_terms(seg, entry.target_text, target_language)):
            machine[seg.key] = entry.target_text
        elif seg.key not in machine:
            to_send.append(seg)
    # Identical texts (a repeated sentence) are sent once.
    first_of = {seg.text: seg for seg in reversed(to_send)}
    unique_texts = list(dict.fromkeys(seg.text for seg in to_send))
    # The glossary as instructions: one list of terms per segment (docs/engines.md).
    extra = {"glossary": [instructions_for(first_of[t].glossary_terms) for t in unique_texts]} \
        if engine.glossary_mode == "instructions" else {}
    result.segments_from_memory = len(segments) - len(to_send)
    by_text: dict[str, str] = {}
    if unique_texts:
        result.characters_sent = sum(len(t) for t in unique_texts)
        charged = reserve(engine, result.characters_sent)
        try:
            translated = engine.translate_batch(unique_texts, source_language, target_language, **extra)
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


def _write(source: Article, target_language: str, planned: Plan, machine: dict[str, str], result: Result) -> None:
    """Draft, decide and save, on the target as it is now (locked)."""
    target, state = current_target(source, target_language, lock=True)
    draft = make_draft(planned.segmented, machine, state, source.language, target_language)
    decision = decide(situation(source, target, state, draft))
    save(source, target_language, target, state, planned, draft, decision, result)


@dataclass
class Draft:
    rows: list[Segment]  # the draft's segment rows, QA issues included, not saved yet
    rebuilt: dict[str, str]  # the target's fields as the draft has them
    errors: int
    warnings: int
    conflicts: int


def make_draft(segmented: SegmentedArticle, machine: dict[str, str], state: Translation | None,
               source_language: str, target_language: str) -> Draft:
    """The draft: machine text, reviewers' edits of the previous draft kept where their segment
    continues, the fields rebuilt from it, and every segment checked."""
    segments = segmented.segments
    previous = align(list(state.segments.order_by("position")) if state else [], segments)
    rows, texts = _draft_rows(segments, machine, previous)
    rebuilt, issues_by_key = rebuild_and_check(segmented, texts, source_language, target_language)
    for row, seg in zip(rows, segments):
        row.qa = [vars(issue) for issue in issues_by_key.get(seg.key, [])]
    return Draft(
        rows=rows, rebuilt=rebuilt,
        errors=sum(1 for r in rows for i in r.qa if i["level"] == "error"),
        warnings=sum(1 for r in rows for i in r.qa if i["level"] == "warning"),
        conflicts=sum(1 for r in rows if r.conflict),
    )


def situation(source: Article, target: Article | None, state: Translation | None, draft: Draft) -> Situation:
    """What ``policy.decide`` needs to know, read from the locked rows."""
    return Situation(
        is_new=target is None,
        target_published=target is not None and target.status == Article.Status.PUBLISHED,
        same_text=target is not None and same_text(target, draft.rebuilt),
        reviewed=state is not None and state.state == Translation.State.REVIEWED,
        reviewer_recorded=target is not None and bool(target.reviewed_by_id),
        policy=policy_for(source),
        errors=draft.errors,
        conflicts=draft.conflicts,
        source_published=source.status == Article.Status.PUBLISHED,
    )


def save(source: Article, target_language: str, target: Article | None, state: Translation | None,
         planned: Plan, draft: Draft, decision: Decision, result: Result) -> None:
    """Write what was decided: the target article (created if new), its state, its segment rows."""
    if target is None:
        target = Article(translation_key=source.translation_key, language=target_language, status=Article.Status.REVIEW,
                         **source.inherited())  # section and credits, the original date of publication too
    if decision.apply:
        revisions.attribute(target, user=result.requested_by, reason="translation")
        _apply(target, draft.rebuilt, source, result.engine, decision.go_live)
    if state is None:
        state = Translation(article=target, source=source)
    state.source_digest = source_digest(planned.fields)
    state.state = decision.new_state
    state.engine = result.engine
    state.qa_errors, state.qa_warnings, state.conflicts = draft.errors, draft.warnings, draft.conflicts
    state.save()
    state.segments.all().delete()
    for row in draft.rows:
        row.translation = state
    Segment.objects.bulk_create(draft.rows)
    result.article, result.translation, result.applied = target, state, decision.apply
    result.errors, result.warnings, result.conflicts = draft.errors, draft.warnings, draft.conflicts


def _apply(target: Article, rebuilt: dict[str, str], source: Article, engine_name: str, go_live: bool) -> None:
    for name, value in rebuilt.items():
        setattr(target, name, value)
    target.translated_from = source
    target.translation_method = Article.TranslationMethod.MACHINE
    target.translation_engine = engine_name
    target.reviewed_by = None
    target.reviewed_at = None
    if go_live:
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
