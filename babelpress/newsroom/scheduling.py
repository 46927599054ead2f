"""Scheduled publication and the newsroom's publishing operations.

``publish_due`` is the worker's periodic task (``babelpress worker`` runs it every
BABELPRESS_PUBLICATION_CHECK_SECONDS): every article whose scheduled time has come is announced
once, with ``signals.article_went_live`` (see babelpress/newsroom/signals.py and publication.py).
Readers do not wait for it: public lists compare ``published_at`` with the clock and the page cache
notices the time passing (babelpress/site/cache.py); what publication sets off (translation jobs)
does.

The operations (``publish_now``, ``unpublish``, ``schedule``, ``schedule_story``) are what the
article list's actions and the article page's buttons do. Each re-reads the rows it changes under
``select_for_update()`` in its transaction and saves them (``Article.save``, the one write path).
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from babelpress.newsroom import publication
from babelpress.newsroom.models import Article
from babelpress.newsroom.signals import article_went_live

log = logging.getLogger(__name__)


def publish_due(now: datetime | None = None) -> list[int]:
    """Announce every scheduled article whose time has come, once each; returns their ids.

    Several workers may run this at the same moment: the conditional UPDATE lets exactly one of
    them claim each article. An article whose announcement fails is left pending (rolled back) and
    tried again on the next turn; the others go ahead.
    """
    now = now or timezone.now()
    due = (Article.objects.filter(publication_pending=True, published_at__lte=now)
           .order_by("published_at", "pk").values_list("pk", flat=True))
    announced = []
    for pk in list(due):
        try:
            with transaction.atomic():
                claimed = Article.objects.filter(
                    pk=pk, publication_pending=True, status=Article.Status.PUBLISHED, published_at__lte=now,
                ).update(publication_pending=False)  # bookkeeping, not content: no version bump
                if not claimed:  # another worker announced it, or an editor changed it meanwhile
                    continue
                article_went_live.send(sender=Article, article=Article.objects.get(pk=pk))
        except Exception:
            log.exception("could not announce the publication of article %s; trying again next turn", pk)
            continue
        announced.append(pk)
    if announced:
        log.info("published %d scheduled article(s): %s", len(announced), announced)
    return announced


def _each(articles, change) -> list[Article]:
    """``change(article)`` on each article re-read under a row lock, then saved; the saved rows."""
    done = []
    with transaction.atomic():
        for pk in sorted(a.pk for a in articles):  # always in the same order: no two writers deadlock
            article = Article.objects.select_for_update().filter(pk=pk).first()
            if article is not None and change(article) is not False:
                article.save()
                done.append(article)
    return done


def publish_now(articles) -> list[Article]:
    """Publish now, whatever time they had: what "Publish now" says. Readers see them at once; an
    old story is dated as its story is on the site, not now (publication.old_story_date)."""
    def change(article):
        now = timezone.now()
        article.status, article.published_at = Article.Status.PUBLISHED, publication.old_story_date(article, now) or now
    return _each(articles, change)


def unpublish(articles) -> list[Article]:
    """Back to draft: readers no longer see them; a scheduled one is not published. Their time is
    kept (shown in the form), so publishing again without changing it keeps a story's first date."""
    def change(article):
        if article.status == Article.Status.DRAFT:
            return False
        article.status = Article.Status.DRAFT
    return _each(articles, change)


def schedule(articles, when: datetime) -> list[Article]:
    """Publish at ``when`` (a time ahead schedules them; one past publishes them with that date)."""
    def change(article):
        article.status, article.published_at = Article.Status.PUBLISHED, when
    return _each(articles, change)


def embargoed_versions(articles):
    """What ``schedule_story`` changes: the chosen articles and every published or scheduled version
    of their stories."""
    chosen = {a.pk for a in articles}
    keys = {a.translation_key for a in articles}
    return Article.objects.filter(Q(pk__in=chosen) | Q(translation_key__in=keys, status=Article.Status.PUBLISHED))


def schedule_story(articles, when: datetime) -> list[Article]:
    """One embargo for every language: the chosen articles are published at ``when``, and so is
    every other version of their stories already published or scheduled. Drafts in other languages
    stay drafts; published later without a time of their own, they take this one while it lies
    ahead (publication.story_embargo)."""
    def change(article):
        article.status, article.published_at = Article.Status.PUBLISHED, when
    return _each(embargoed_versions(articles), change)
