"""A story scheduled for later appears on every public page at its time — not up to
BABELPRESS_PAGE_MAX_AGE later — with no save, no worker and no query per cached page; and no page is
sent with a max-age reaching past that time. The clock is ``clock`` (tests/conftest.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils.cache import get_max_age

from babelpress.newsroom.models import Article

HEADLINE = "Le tram arrive à minuit"


@pytest.fixture
def tram(newsroom, clock):
    """A French story in "news", scheduled 60 seconds from now."""
    return Article.objects.create(language="fr", headline=HEADLINE, body="<p>Les rames sont prêtes.</p>",
                                  section=newsroom.news, status="published", published_at=clock.now + timedelta(seconds=60))


def shows(client, url: str) -> bool:
    return HEADLINE in client.get(url).content.decode()


def test_a_scheduled_story_appears_on_cached_pages_at_its_time(client, newsroom, tram, clock, page_cache,
                                                               django_assert_num_queries):
    lists = ["/fr/", "/fr/section/actualites/", newsroom.bridge.get_absolute_url()]  # home, section, related
    assert not any(shows(client, url) for url in lists)
    assert client.get(tram.get_absolute_url()).status_code == 404
    clock.advance(seconds=59)
    with django_assert_num_queries(0):  # still the cached pages: the time is read from the cache entry
        assert not any(shows(client, url) for url in lists)
    clock.advance(seconds=1)
    assert all(shows(client, url) for url in lists)  # no save, no worker: the clock passed
    assert client.get(tram.get_absolute_url()).status_code == 200


def test_passing_the_time_costs_one_query_once_then_pages_are_cached_again(client, newsroom, tram, clock, page_cache,
                                                                           django_assert_num_queries):
    client.get("/fr/")
    clock.advance(seconds=60)
    client.get("/fr/")  # re-rendered, the next time looked up
    with django_assert_num_queries(0):
        assert shows(client, "/fr/")


def test_pages_are_sent_with_a_max_age_that_ends_when_the_story_goes_live(client, newsroom, tram, clock, page_cache):
    assert get_max_age(client.get("/fr/")) == 60
    clock.advance(seconds=45)
    assert get_max_age(client.get("/fr/")) == 15  # the same cached page, its max-age counted down
    assert get_max_age(client.get("/en/")) == 15  # every page: any list may change then
    clock.advance(seconds=15)
    assert get_max_age(client.get("/en/")) == 300  # nothing else scheduled
    # The French home page lists the tram now, "il y a 1 minute" until its second minute (site/times.py).
    assert get_max_age(client.get("/fr/")) == 120


def test_the_scheduled_storys_own_address_is_not_kept_as_a_404_past_its_time(client, tram, clock, page_cache):
    clock.advance(seconds=50)
    assert get_max_age(client.get(tram.get_absolute_url())) == 10


def test_without_the_page_cache_the_max_age_ends_at_the_next_publication_too(client, newsroom, tram, clock):
    assert get_max_age(client.get("/fr/section/actualites/")) == 60


def test_the_next_of_several_scheduled_stories_counts(client, newsroom, tram, clock, page_cache):
    Article.objects.create(language="en", headline="Later", section=newsroom.news, status="published",
                           published_at=clock.now + timedelta(seconds=20))
    assert get_max_age(client.get("/fr/")) == 20
    clock.advance(seconds=20)
    assert get_max_age(client.get("/fr/")) == 40  # then the tram's


def test_rescheduling_earlier_takes_effect_at_once(client, newsroom, tram, clock, page_cache):
    client.get("/fr/")
    tram.published_at = clock.now + timedelta(seconds=5)
    tram.save()
    clock.advance(seconds=5)
    assert shows(client, "/fr/")
