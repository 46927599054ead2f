"""Public pages are cached whole per URL and become fresh as soon as newsroom content changes."""

from __future__ import annotations

import hashlib

import pytest
from django.core.cache import cache
from django.utils.http import parse_http_date

from babelpress.newsroom.models import Article


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


# --- Validators: a conditional request gets 304 only for the page the reader already has ---------


def test_a_cached_page_carries_a_hash_of_its_body_as_etag(client, newsroom, page_cache):
    first = client.get("/fr/")
    assert first["ETag"] == '"%s"' % hashlib.sha256(first.content).hexdigest()[:32]
    hit = client.get("/fr/")
    assert hit["ETag"] == first["ETag"] and hit["Last-Modified"] == first["Last-Modified"]
    assert client.get("/fr/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get("/fr/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_withdrawing_the_newest_story_never_moves_last_modified_backwards(client, newsroom, page_cache, content_clock):
    # Each story last edited when it was published: the bridge is the newest one on /fr/.
    for story in Article.objects.all():
        Article.objects.filter(pk=story.pk).update(updated_at=story.published_at or story.created_at)
    first = client.get("/fr/")
    assert "Le pont de Valmont rouvre" in first.content.decode()
    content_clock.advance(seconds=5)
    newsroom.bridge.status = Article.Status.DRAFT
    newsroom.bridge.save()
    for validator in ({"HTTP_IF_MODIFIED_SINCE": first["Last-Modified"]}, {"HTTP_IF_NONE_MATCH": first["ETag"]}):
        again = client.get("/fr/", **validator)
        assert again.status_code == 200, validator
        assert "Le pont de Valmont rouvre" not in again.content.decode()
    assert parse_http_date(again["Last-Modified"]) > parse_http_date(first["Last-Modified"])
    assert again["ETag"] != first["ETag"]


def test_a_stale_etag_wins_over_a_fresh_date(client, newsroom, page_cache, content_clock):
    first = client.get(newsroom.bridge.get_absolute_url())
    newsroom.bridge.headline = "Le pont de Valmont rouvre enfin"
    newsroom.bridge.save()  # the same second: only the ETag can tell
    again = client.get(
        newsroom.bridge.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"], HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )
    assert again.status_code == 200 and "rouvre enfin" in again.content.decode()


def test_an_unrelated_edit_keeps_the_etag_of_an_unchanged_page(client, newsroom, page_cache, content_clock):
    first = client.get(newsroom.festival.get_absolute_url())
    content_clock.advance(seconds=5)
    newsroom.budget_ru.headline = "Бюджет принят"
    newsroom.budget_ru.save()  # every cached page is re-rendered, but this one reads the same
    again = client.get(newsroom.festival.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
