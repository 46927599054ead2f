"""When an article goes live: the rules every write path follows (``Article.clean`` and
``Article.save`` apply them, so the admin, imports, translation jobs and scripts all do).

- **Published without a time** takes one: the story's embargo when another language version of it
  is scheduled for later (``story_embargo``), else now. So "Publish" never fails for want of a date.
- **An old story keeps its date**: a story whose source first published it more than
  ``OLD_STORY_AGE`` ago (``Article.originally_published_at``, set on import) is not dated "now" when
  it is published without a time, nor by "Publish now", but takes the date the story already has
  on the site (its first language version published here), else its original date
  (``old_story_date``): it sorts among the stories of its time and never silently becomes the lead
  story of the home page. The editor who wants it dated today says so ("now" on the article page,
  admin_publishing.py), which gives it an explicit time. Decision: docs/decisions.md.
- **A time in the future schedules** the article: status Published, ``published_at`` later than
  now. Readers see it from that moment on (``ArticleQuerySet.published()`` compares with the clock,
  and the page cache notices the time passing: babelpress/site/cache.py). Until then the article
  is *pending*: ``Article.publication_pending`` is set by every save, and cleared once, when the
  time has come, by the worker's scheduler (babelpress/newsroom/scheduling.py), which then sends
  ``signals.article_went_live`` so that what publication sets off (translation jobs) happens.
- **One embargo for every language**: ``scheduling.schedule_story`` puts one time on every
  published or scheduled language version of a story and schedules the chosen ones. A version
  published later without a time of its own — a translation drafted since, say — takes that time
  while it lies ahead (``story_embargo``), so it cannot go out before the others. An explicit
  "Publish now" is what it says, for the versions it is applied to.

This module reads the clock through ``django.utils.timezone.now`` only, which tests replace.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Max, Min
from django.utils import timezone

#: A story first published by its source longer ago than this is an *old story* (see above).
OLD_STORY_AGE = timedelta(hours=48)


def is_scheduled(article, now: datetime | None = None) -> bool:
    """Published, for a time still ahead: readers do not see it yet."""
    now = now or timezone.now()
    return article.status == "published" and article.published_at is not None and article.published_at > now


def story_embargo(article, now: datetime | None = None) -> datetime | None:
    """The latest time another language version of this story is scheduled for, if still ahead."""
    if not article.translation_key:
        return None
    now = now or timezone.now()
    others = type(article).objects.filter(translation_key=article.translation_key, status="published",
                                          published_at__gt=now)
    if article.pk:
        others = others.exclude(pk=article.pk)
    return others.aggregate(latest=Max("published_at"))["latest"]


def is_old_story(originally_published_at: datetime | None, now: datetime | None = None) -> bool:
    """Whether a story first published then by its source is an old story (``OLD_STORY_AGE``)."""
    return originally_published_at is not None and originally_published_at < (now or timezone.now()) - OLD_STORY_AGE


def old_story_date(article, now: datetime | None = None, originally: datetime | None = None) -> datetime | None:
    """The date an old story takes on the site when published without one: that of its first
    language version published here, else its original date; None for a story that is not old.
    ``originally``: its original date as about to be saved (the article's by default)."""
    now = now or timezone.now()
    originally = originally or article.originally_published_at
    if not is_old_story(originally, now):
        return None
    first = None
    if article.translation_key:
        others = type(article).objects.filter(translation_key=article.translation_key, status="published",
                                              published_at__lte=now)
        first = (others.exclude(pk=article.pk) if article.pk else others).aggregate(first=Min("published_at"))["first"]
    return first or originally


def fill_time(article) -> None:
    """Give a published article without a time one: the story's embargo, else an old story's date
    (``old_story_date``), else now."""
    if article.status == "published" and article.published_at is None:
        now = timezone.now()
        article.published_at = story_embargo(article, now) or old_story_date(article, now) or now

