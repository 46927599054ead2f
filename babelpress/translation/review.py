"""The review of a machine draft: a reviewer edits segments and approves the translation.

The review screen (``admin.TranslationAdmin``, ``templates/admin/translation/review.html``,
``review_page``) shows the draft's segments with ``draft_token``, each placeholder as what it
stands for (``placeholder_items``, ``placeholder_display``); ``save_review`` stores what the
reviewer sent back. Edited segments go to the translation memory as human translations, so a new
translation of the story keeps them; approving applies the text to the article, checked like a
machine draft. A draft with QA errors or an implausible length is approved only with a reason
(``approval``), which is kept.
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _, ngettext

from babelpress.newsroom import revisions
from babelpress.newsroom.models import Article, StaleEdit
from babelpress.translation import approval, registry
from babelpress.translation.glossary import glossary_for
from babelpress.translation.memory import remember
from babelpress.translation.models import Translation
from babelpress.translation.pipeline import article_fields, lock_target, rebuild_and_check
from babelpress.translation.policy import publication_time
from babelpress.translation.segmenter import segment_article


class ReviewError(Exception):
    pass


class OverrideRequired(ReviewError):
    """Approving this draft needs a reason (``approval.Gate``); the edits were saved."""


def draft_token(rows) -> str:
    """A fingerprint of a draft's segments as a reviewer sees them: the review form sends it back,
    and a draft that changed meanwhile (translated again, saved by someone else) is not overwritten."""
    digest = hashlib.sha256()
    for row in rows:
        seen = (row.position, row.source_hash, row.target_text, row.human_edited, row.conflict)
        digest.update(("\0".join(map(str, seen)) + "\0\0").encode())
    return digest.hexdigest()[:32]


def save_review(state: Translation, edits: dict[int, str], user, *, approve: bool, resolved=(),
                loaded_version: int | None = None, loaded_draft: str | None = None, reason: str = "") -> Translation:
    """Store a reviewer's segment edits; with ``approve``, apply the text and record the reviewer.

    ``edits`` maps segment positions to the reviewer's text (the review form sends every segment;
    only those that differ count as edits). Edited segments go to the memory as human
    translations, so re-translation keeps them. A conflict (the source of an edited segment
    changed) is resolved by editing the segment again, or by listing its position in ``resolved``
    (the reviewer keeps the edit for the new source).

    ``loaded_draft`` (``draft_token``) and ``loaded_version`` (the target article's version) are
    what the reviewer's screen showed: if the draft changed since, or (when approving) the article
    was saved since, StaleEdit is raised and nothing is written.

    Approval is refused (ReviewError) while conflicts remain or when the source changed since the
    draft, and (OverrideRequired) when QA found errors or the draft's length is implausible
    (``approval.assess``) unless ``reason`` says why it is approved anyway — then the override is
    kept (``approval.record``). The edits are saved all the same.
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
        state, refusal = _store_review(locked, rows, edits, set(resolved), user, approve, " ".join(reason.split()))
    if refusal:
        raise refusal
    return state


def _store_review(state: Translation, rows, edits: dict[int, str], resolved: set[int], user, approve: bool,
                  reason: str):
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

    segmented = _segment_like(state, rows, article_fields(source))
    if segmented is None:
        # The source changed since this draft was made: keep the edits, check nothing, approve nothing.
        for row in rows:
            row.save()
        state.conflicts = sum(1 for r in rows if r.conflict)
        state.save()
        return state, ReviewError(_("The source changed since this draft was made: your edits are saved; translate "
                                    "it again (they are kept), then review and approve.")) if approve else None
    draft = {seg.key: row.target_text for seg, row in zip(segmented.segments, rows)}
    rebuilt, issues = rebuild_and_check(segmented, draft, source.language, target.language)
    for seg, row in zip(segmented.segments, rows):
        row.qa = [vars(i) for i in issues.get(seg.key, [])]
        row.save()
    state.qa_errors = sum(1 for r in rows for i in r.qa if i["level"] == "error")
    state.qa_warnings = sum(1 for r in rows for i in r.qa if i["level"] == "warning")
    state.conflicts = sum(1 for r in rows if r.conflict)
    gate = approval.assess(rows, source.language, target.language)
    refusal = _refusal(state, gate, reason, user) if approve else None
    if approve and refusal is None:
        _approve(state, rebuilt, user)
    state.save()
    return state, refusal


def _refusal(state: Translation, gate: approval.Gate, reason: str, user) -> ReviewError | None:
    """Why this draft may not be approved now (None: it may); an approval despite QA is recorded."""
    if state.conflicts:
        return ReviewError(ngettext(
            "%(count)s segment was edited before its source changed: check it and edit it again or tick “Keep my "
            "edit”, then approve. Your edits are saved.",
            "%(count)s segments were edited before their source changed: check them and edit them again or tick "
            "“Keep my edit”, then approve. Your edits are saved.", state.conflicts) % {"count": state.conflicts})
    if gate.needs_override and not reason:
        return OverrideRequired(" ".join([
            _("Not approved:"), *gate.reasons(),
            _("Fix the flagged segments, or say why it should be approved anyway in “Reason for approving anyway”. "
              "Your edits are saved."),
        ]))
    if gate.needs_override:
        approval.record(state, user, reason, gate)
    return None


def _approve(state: Translation, rebuilt: dict[str, str], user) -> None:
    """Apply the reviewed text to the target article, record the reviewer; published with (never
    before) the original: an unpublished original's approved translation waits for it
    (release_translations)."""
    source, target = state.source, state.article
    for name, value in rebuilt.items():
        setattr(target, name, value)
    target.reviewed_by = user
    target.reviewed_at = timezone.now()
    target.translated_from = source
    if target.status != Article.Status.PUBLISHED and source.status == Article.Status.PUBLISHED:
        target.status = Article.Status.PUBLISHED
        target.published_at = publication_time(source)
    revisions.attribute(target, user=user, reason="review")
    target.save()  # version-checked; locked above, so current
    state.state = Translation.State.REVIEWED


def placeholder_items(state: Translation, rows) -> dict[int, list | None]:
    """{row position: what stands behind each placeholder of that row (``SegmentedArticle``
    items), or None where it cannot be known} (see ``draft_segments``)."""
    return {position: None if seg is None else seg._items for position, seg in draft_segments(state, rows).items()}


def draft_segments(state: Translation, rows) -> dict[int, object]:
    """{row position: the source segment as segmented for this draft (a ``segmenter.Segment``: the
    items behind its placeholders, its glossary terms), or None where it cannot be known}. When
    the source changed since, a row whose source segment is still there (at its place, or once
    anywhere) gets it; the others get None."""
    fields = article_fields(state.source)
    segmented = _segment_like(state, rows, fields)
    if segmented is not None:
        return {row.position: seg for seg, row in zip(segmented.segments, rows)}
    current = segment_article(fields, state.source.language, glossary=next(_glossaries(state)),
                              max_chars=_segment_size(state))
    found: dict[str, list[tuple[int, object]]] = {}
    for index, seg in enumerate(current.segments):
        found.setdefault(seg.text, []).append((index, seg))
    items = {}
    for row in rows:
        same = found.get(row.source_text, [])
        here = [seg for index, seg in same if index == row.position] or (
            [same[0][1]] if len(same) == 1 else [])
        items[row.position] = here[0] if here else None
    return items


def _engine(state: Translation):
    return registry.configured_engines().get(state.engine) if state.engine else None


def _segment_size(state: Translation) -> int | None:
    return getattr(_engine(state), "max_segment_chars", None)


def _glossaries(state: Translation):
    """The pair's glossary as the draft's engine took it (terms as placeholders, or as
    instructions: none frozen), then the other way, for an engine no longer configured; each
    read when asked for."""
    instructions = getattr(_engine(state), "glossary_mode", "placeholders") == "instructions"
    for placeholders in (not instructions, instructions):
        yield glossary_for(state.source.language, state.article.language, placeholders=placeholders)


def _segment_like(state: Translation, rows, fields):
    """The source segmented as it was for this draft (same engine segment size and glossary mode),
    or None if the source no longer gives the draft's segments."""
    sizes = dict.fromkeys([_segment_size(state), None])
    for glossary in _glossaries(state):
        for max_chars in sizes:
            segmented = segment_article(fields, state.source.language, glossary=glossary, max_chars=max_chars)
            if [s.text for s in segmented.segments] == [r.source_text for r in rows]:
                return segmented
    return None
