"""Stories imported before articles kept their original publication date take it from their import
record on migrate (ingest 0006), every language version of them, and nothing else changes."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from ..migrating import latest, migrate

BEFORE = [("ingest", "0005_every_import_in_a_cluster"), ("newsroom", "0011_article_originally_published_at")]
WHEN = datetime(2019, 3, 12, 9, 0, tzinfo=timezone.utc)


@pytest.mark.django_db(transaction=True)
def test_imported_stories_and_their_translations_take_the_date_of_their_import_record():
    old = migrate(BEFORE)
    section = old.get_model("newsroom", "Section").objects.create(key="news")
    Article, Item = old.get_model("newsroom", "Article"), old.get_model("ingest", "ImportedItem")
    Cluster = old.get_model("ingest", "StoryCluster")

    def imported(slug, when):
        article = Article.objects.create(language="fr", slug=slug, headline=slug, section=section)
        Item.objects.create(article=article, original_url=f"https://example.org/{slug}", content_hash=slug.ljust(64, "0"),
                            retrieved_at=article.created_at, detected_language="fr", original_published_at=when,
                            cluster=Cluster.objects.create())
        return article

    dated = imported("dated", WHEN)
    imported("undated", None)
    Article.objects.create(language="en", slug="dated-en", headline="dated", section=section,
                                     translation_key=dated.translation_key, translated_from=dated)
    Article.objects.create(language="fr", slug="own", headline="own", section=section)

    migrate(latest())

    from babelpress.newsroom.models import Article as Now

    found = dict(Now.objects.values_list("slug", "originally_published_at"))
    assert found == {"dated": WHEN, "dated-en": WHEN, "undated": None, "own": None}
    assert set(Now.objects.values_list("version", flat=True)) == {1}  # no edit: nobody's version check trips
