"""Queries compiled by the ORM once and run again with new parameters (babelpress/site/prepared.py)
return what the ORM returns, on every database the suite runs on."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
from django.db.models import Count
from django.utils import timezone

from babelpress.newsroom.models import Article, Tag
from babelpress.site import pages
from babelpress.site.prepared import PreparedQuery

FIELDS = ("id", "language", "published_at", "translation_key")


def published(language, now, key):
    return Article.objects.filter(language=language, published_at__lte=now, translation_key=key).order_by("id")


PUBLISHED = PreparedQuery(lambda language, now, key: published(language, now, key).values_list(*FIELDS),
                          language=str, now=datetime, key=uuid.UUID)


def test_rows_are_the_orm_s_for_each_set_of_parameters(newsroom):
    for story in (newsroom.bridge, newsroom.bridge_en, newsroom.budget_ru):
        for now in (timezone.now(), story.published_at - timedelta(seconds=1)):
            expected = list(published(story.language, now, story.translation_key).values_list(*FIELDS))
            assert PUBLISHED(language=story.language, now=now, key=story.translation_key) == expected
    row = PUBLISHED(language="fr", now=timezone.now(), key=newsroom.bridge.translation_key)[0]
    assert row[2].tzinfo is not None and isinstance(row[3], uuid.UUID)  # converted as the ORM converts


def test_a_window_of_rows_is_the_orm_s_slice(newsroom):
    everything = PreparedQuery(lambda: Article.objects.order_by("id").values_list("id"))
    assert everything.limited(2, 1)() == list(Article.objects.order_by("id").values_list("id")[1:3])
    assert everything.limited(0)() == []


def test_aggregates_and_joins(newsroom):
    counts = PreparedQuery(lambda tag: Article.objects.filter(tags=tag).values("language").annotate(n=Count("pk"))
                           .values_list("language", "n"), tag=int)
    assert counts(tag=newsroom.tag_transport.pk) == [("fr", 1)]
    assert counts(tag=Tag.objects.create(language="fr", name="Vide").pk) == []


def test_a_parameter_that_does_not_reach_the_sql_is_refused(db):
    ignored = PreparedQuery(lambda language: Article.objects.values_list("id"), language=str)
    with pytest.raises(ValueError, match="language"):
        ignored(language="fr")


def test_pages_read_articles_as_the_orm_does(newsroom):
    story = pages.article_for_page("fr", newsroom.bridge.slug)
    orm = Article.objects.get(pk=newsroom.bridge.pk)
    for field in Article._meta.concrete_fields:
        assert getattr(story, field.attname) == getattr(orm, field.attname), field.name
    assert (story.author.name, story.source.name, story.source.licence) == ("Claire Dubois", "Agence Lumière", "CC BY 4.0")
    assert story.section_name == "Actualités"
    assert pages.article_for_page("fr", newsroom.draft.slug) is None
    translations = pages.published_translations(story)
    assert [(t.language, t.slug) for t in translations] == [("en", newsroom.bridge_en.slug), ("hy", newsroom.bridge_hy.slug)]
