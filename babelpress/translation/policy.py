"""The translation policy: what a new machine draft does to its target article.

A section's ``translation_policy`` (else ``BABELPRESS_TRANSLATION_POLICY``) says whether a clean
machine draft (no QA error, no conflict) goes live at once ("publish") or waits for a reviewer
("review"). ``decide`` applies it to the target as it is found when the draft is written; it is a
pure function, specified by the truth table in ``tests/translation/test_policy.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from babelpress.translation.models import Translation


def policy_for(article) -> str:
    return article.section.translation_policy or settings.BABELPRESS_TRANSLATION_POLICY


def publication_time(source):
    """When a translation of ``source`` may go live: now, or the original's own later date."""
    now = timezone.now()
    return max(now, source.published_at) if source.published_at else now


@dataclass(frozen=True)
class Situation:
    """What the decision depends on, read from the rows locked for writing."""

    is_new: bool  # no target article yet (what follows about the target is then meaningless)
    target_published: bool  # readers see the target
    same_text: bool  # the target already holds exactly the draft's text
    reviewed: bool  # the target's Translation state is "reviewed": a reviewer approved it
    reviewer_recorded: bool  # the target names its reviewer (``reviewed_by``)
    policy: str  # "publish" or "review"
    errors: int  # QA errors in the draft
    conflicts: int  # reviewers' edits whose source changed since
    source_published: bool  # the original is published


@dataclass(frozen=True)
class Decision:
    keep: bool  # the target stays as it is, approval included
    apply: bool  # the draft's text is written on the target article
    new_state: str  # the Translation's state afterwards (a Translation.State)
    publish_now: bool  # the policy lets this draft go live without a reviewer
    go_live: bool  # this run publishes the target


def decide(s: Situation) -> Decision:
    publish_now = s.policy == "publish" and s.errors == 0 and s.conflicts == 0
    # The text readers have (or a reviewer approved) is exactly the new draft: nothing to apply,
    # nothing to review again, and a reviewer's approval stands.
    keep = not s.is_new and s.same_text and (s.target_published or s.reviewed)
    # Otherwise apply the text when nothing live would change without review: a new draft, a
    # draft not yet published, or the "publish" policy. Else readers keep the last approved text.
    apply = not keep and (s.is_new or not s.target_published or publish_now)
    if keep:
        new_state = Translation.State.REVIEWED if s.reviewer_recorded else Translation.State.MACHINE
    else:
        new_state = Translation.State.MACHINE if apply else Translation.State.OUTDATED
    # Never before the original: a draft original keeps its translations waiting (they are
    # released when it is published), an embargoed one takes them along to its date.
    go_live = apply and publish_now and (s.is_new or not s.target_published) and s.source_published
    return Decision(keep=keep, apply=apply, new_state=new_state, publish_now=publish_now, go_live=go_live)
