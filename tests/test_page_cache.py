"""Public pages are cached whole per URL and become fresh as soon as newsroom content changes."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from babelpress.newsroom.models import Article


@pytest.fixture
def page_cache(settings):
    settings.BABELPRESS_PAGE_CACHE = True
    cache.clear()
    yield
    cache.clear()


def test_a_cached_page_costs_no_query_and_keeps_its_headers(client, newsroom, page_cache, django_assert_num_queries):
    url = newsroom.bridge.get_absolute_url()
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.content == first.content
    for header in ("Cache-Control", "Last-Modified", "Content-Type"):
        assert second[header] == first[header]


def test_an_edit_makes_every_cached_page_fresh(client, newsroom, page_cache):
    home_before = client.get("/fr/").content.decode()
    article_before = client.get(newsroom.bridge.get_absolute_url()).content.decode()
    assert "Le budget municipal adopté" in home_before and "Le budget municipal adopté" in article_before
    newsroom.budget.headline = "Le budget municipal enfin adopté"
    newsroom.budget.save()
    assert "Le budget municipal enfin adopté" in client.get("/fr/").content.decode()
    assert "Le budget municipal enfin adopté" in client.get(newsroom.bridge.get_absolute_url()).content.decode()


def test_unpublishing_removes_the_story_from_cached_pages(client, newsroom, page_cache):
    assert client.get(newsroom.budget.get_absolute_url()).status_code == 200
    Article.objects.filter(pk=newsroom.budget.pk).update(status="draft")  # no signal: a raw update …
    newsroom.budget.refresh_from_db()
    newsroom.budget.save()  # … and the save that follows in real life bumps the version
    assert client.get(newsroom.budget.get_absolute_url()).status_code == 404


def test_errors_are_not_cached(client, newsroom, page_cache):
    assert client.get("/fr/article/bientot/").status_code == 404
    Article.objects.create(language="fr", headline="Bientôt", section=newsroom.news, status="published")
    assert client.get("/fr/article/bientot/").status_code == 200


def test_pages_differ_per_language_and_query(client, newsroom, page_cache, settings):
    settings.BABELPRESS_PAGE_SIZE = 1
    assert client.get("/fr/").content != client.get("/en/").content
    assert client.get("/fr/section/actualites/").content != client.get("/fr/section/actualites/?page=2").content


def test_unknown_query_strings_share_the_pages_one_cache_entry(client, newsroom, page_cache):
    url = newsroom.bridge.get_absolute_url()
    client.get(url)
    entries = len(cache._cache)
    for n in range(20):
        assert client.get(f"{url}?utm_source=mail&n={n}").status_code == 200
    assert len(cache._cache) == entries


def test_a_bad_page_number_is_still_a_404_when_the_first_page_is_cached(client, newsroom, page_cache):
    assert client.get("/fr/section/actualites/").status_code == 200
    for bad in ("abc", "-1", "0", "99999"):
        assert client.get(f"/fr/section/actualites/?page={bad}").status_code == 404
