"""The worker makes scheduled stories live: when a story's time has come, what publication sets off
(``article_went_live``: translation jobs, a fresh page cache) happens — once, whatever the number of
workers, and again on the next turn if it failed. The clock is ``clock`` (tests/conftest.py)."""

from __future__ import annotations

import io
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command

from babelpress.newsroom import scheduling
from babelpress.newsroom.models import Article
from babelpress.newsroom.signals import article_went_live


@pytest.fixture
def announced():
    """The articles ``article_went_live`` is sent for, in order."""
    seen = []

    def receiver(sender, article, **kwargs):
        seen.append(article.headline)

    article_went_live.connect(receiver, dispatch_uid="test-announced")
    yield seen
    article_went_live.disconnect(dispatch_uid="test-announced")


def scheduled(newsroom, clock, headline="Demain", **ahead) -> Article:
    return Article.objects.create(language="fr", headline=headline, section=newsroom.news, status="published",
                                  published_at=clock.now + timedelta(**(ahead or {"minutes": 1})))


def test_nothing_is_announced_before_its_time(newsroom, clock, announced):
    scheduled(newsroom, clock, minutes=1)
    clock.advance(seconds=59)
    assert scheduling.publish_due() == [] and announced == []


def test_a_story_is_announced_once_when_its_time_has_come(newsroom, clock, announced):
    story = scheduled(newsroom, clock, minutes=1)
    clock.advance(minutes=1)
    assert scheduling.publish_due() == [story.pk]
    assert scheduling.publish_due() == []  # the next turn, or another worker
    assert announced == ["Demain"]
    assert not Article.objects.get(pk=story.pk).publication_pending


def test_the_announcement_does_not_count_as_an_edit(newsroom, clock):
    story = scheduled(newsroom, clock)
    clock.advance(minutes=1)
    scheduling.publish_due()
    fresh = Article.objects.get(pk=story.pk)
    assert fresh.version == story.version  # an editor who had it open can still save
    story.headline = "Demain, vraiment"
    story.save_if_current(story.version)


def test_stories_are_announced_in_the_order_of_their_times(newsroom, clock, announced):
    scheduled(newsroom, clock, "Second", minutes=2)
    scheduled(newsroom, clock, "Premier", minutes=1)
    scheduled(newsroom, clock, "Plus tard", hours=1)
    clock.advance(minutes=5)
    scheduling.publish_due()
    assert announced == ["Premier", "Second"]


def test_two_workers_at_the_same_moment_announce_each_story_once(newsroom, clock, announced, monkeypatch):
    story = scheduled(newsroom, clock)
    clock.advance(minutes=1)
    # The second worker reads the due list too, before the first one has claimed anything.
    real_filter = Article.objects.filter
    second_turn = []

    def both_see_it(*args, **kwargs):
        if kwargs.get("publication_pending") is True and "pk" in kwargs and not second_turn:
            second_turn.append(None)
            second_turn[0] = scheduling.publish_due()  # the other worker, just before this one claims
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(Article.objects, "filter", both_see_it)
    first_turn = scheduling.publish_due()
    assert (first_turn, second_turn) == ([], [[story.pk]])  # the other one claimed it first: this one lets it be
    assert announced == ["Demain"]


def test_a_story_unpublished_before_its_time_is_never_announced(newsroom, clock, announced):
    story = scheduled(newsroom, clock)
    story.status = "draft"
    story.save()
    clock.advance(minutes=5)
    assert scheduling.publish_due() == [] and announced == []


def test_a_story_moved_later_is_announced_at_its_new_time(newsroom, clock, announced):
    story = scheduled(newsroom, clock, minutes=1)
    story.published_at = clock.now + timedelta(hours=1)
    story.save()
    clock.advance(minutes=5)
    assert scheduling.publish_due() == []
    clock.advance(hours=1)
    assert scheduling.publish_due() == [story.pk]


def test_a_story_saved_after_its_time_needs_no_announcement(newsroom, clock, announced):
    # The save itself (post_save of a live story) sets off what publication does.
    story = scheduled(newsroom, clock)
    clock.advance(minutes=2)
    story.headline = "Aujourd'hui"
    story.save()
    assert not story.publication_pending and scheduling.publish_due() == [] and announced == []


def test_a_failed_announcement_is_rolled_back_and_tried_again_while_others_go_ahead(newsroom, clock):
    first = scheduled(newsroom, clock, "Fragile", minutes=1)
    second = scheduled(newsroom, clock, "Solide", minutes=2)
    attempts = []

    def flaky(sender, article, **kwargs):
        attempts.append(article.headline)
        if article.headline == "Fragile" and attempts.count("Fragile") == 1:
            raise RuntimeError("database went away")

    article_went_live.connect(flaky, dispatch_uid="test-flaky")
    try:
        clock.advance(minutes=3)
        assert scheduling.publish_due() == [second.pk]
        assert Article.objects.get(pk=first.pk).publication_pending  # rolled back: still to do
        assert scheduling.publish_due() == [first.pk]
    finally:
        article_went_live.disconnect(dispatch_uid="test-flaky")
    assert attempts == ["Fragile", "Solide", "Fragile"]


# --- In the worker --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_worker_announces_what_fell_due_while_it_was_stopped(newsroom, clock, announced):
    scheduled(newsroom, clock)
    clock.advance(minutes=1)
    out = io.StringIO()
    call_command("worker", batch=True, interval=0, no_feeds=True, stdout=out, stderr=io.StringIO())
    assert "Published 1 scheduled article(s) whose time had come." in out.getvalue()
    assert announced == ["Demain"]


def test_the_worker_looks_for_due_stories_from_a_thread_of_its_own(monkeypatch, settings):
    from babelpress.core.management.commands import worker
    from babelpress.translation import tasks

    settings.BABELPRESS_PUBLICATION_CHECK_SECONDS = 0.01
    looks, enough = [], threading.Event()

    def publish_due():
        looks.append(threading.current_thread().name)
        if len(looks) >= 3:
            enough.set()
        return []

    def db_worker(name, **options):  # the job loop: the scheduler goes on beside it
        assert name == "db_worker" and enough.wait(5)

    monkeypatch.setattr(scheduling, "publish_due", publish_due)
    monkeypatch.setattr(tasks, "recover_stale_jobs", lambda: 0)
    monkeypatch.setattr(worker, "call_command", db_worker)

    call_command("worker", no_feeds=True, stdout=io.StringIO())

    assert looks[0] == threading.current_thread().name  # once at start …
    assert set(looks[1:]) == {"babelpress-publication"}  # … then from its thread
