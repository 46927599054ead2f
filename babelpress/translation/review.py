"""The review of a machine draft: a reviewer edits segments and approves the translation.

The review screen (``admin.TranslationAdmin``, ``templates/admin/translation/review.html``) shows
the draft's segments with ``draft_token``; ``save_review`` stores what the reviewer sent back.
Edited segments go to the translation memory as human translations, so a new translation of the
story keeps them; approving applies the text to the article, checked like a machine draft.
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from babelpress.newsroom import revisions
from babelpress.newsroom.models import Article, StaleEdit
from babelpress.translation import registry
from babelpress.translation.glossary import glossary_for
from babelpress.translation.memory import remember
from babelpress.translation.models import Translation
from babelpress.translation.pipeline import article_fields, lock_target, rebuild_and_check
from babelpress.translation.policy import publication_time
from babelpress.translation.segmenter import segment_article


class ReviewError(Exception):
    pass


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
        revisions.attribute(target, user=user, reason="review")
        target.save()  # version-checked; locked above, so current
        state.state = Translation.State.REVIEWED
    state.save()
    return state, refusal


def _segment_like(state: Translation, rows, fields, glossary):
    """The source segmented as it was for this draft (same engine segment size), or None if the
    source no longer gives the draft's segments."""
    engine = registry.configured_engines().get(state.engine) if state.engine else None
    sizes = dict.fromkeys([getattr(engine, "max_segment_chars", None), None])
    for max_chars in sizes:
        segmented = segment_article(fields, state.source.language, glossary=glossary, max_chars=max_chars)
        if [s.text for s in segmented.segments] == [r.source_text for r in rows]:
            return segmented
    return None
