"""The migration from pairwise same-story links to clusters keeps every grouping and loses nothing.

Runs the real migrations on the test database (SQLite or PostgreSQL): links written by the old
importer become one cluster per connected group, each import names the closest earlier import it
was linked to, recent signatures get their band keys, and migrating back restores links.
"""

from __future__ import annotations

import pytest

from babelpress.ingest import dedup

from .conftest import story

from ..migrating import latest, migrate

BEFORE = [("ingest", "0002_import_job")]


@pytest.mark.django_db(transaction=True)
def test_links_become_one_cluster_per_connected_group_and_back():
    old = migrate(BEFORE)
    section = old.get_model("newsroom", "Section").objects.create(key="news")
    Article, Item = old.get_model("newsroom", "Article"), old.get_model("ingest", "ImportedItem")
    items = []
    for n in range(6):
        article = Article.objects.create(language="en", slug=f"s{n}", headline=f"Story {n}", section=section)
        items.append(Item.objects.create(
            article=article, original_url=f"https://example.org/{n}", content_hash=f"{n:064x}",
            retrieved_at=article.created_at, detected_language="en",
            minhash=dedup.signature(" ".join(story(n))) if n < 4 else None))
    a, b, c, d, e, f = (i.pk for i in items)
    Link = old.get_model("ingest", "SameStory")
    for x, y, score in [(a, b, 0.90), (b, c, 0.85), (a, c, 0.95), (d, e, 0.88)]:  # the old complete graphs
        Link.objects.create(item_a_id=x, item_b_id=y, similarity=score)

    migrate(latest())

    from babelpress.ingest.models import ImportedItem, MinHashBand, StoryCluster

    cluster = {i.pk: i.cluster_id for i in ImportedItem.objects.all()}
    assert cluster[a] == cluster[b] == cluster[c] and cluster[d] == cluster[e]
    assert len({cluster[a], cluster[d], cluster[f]}) == 3
    assert {s.pk: s.size for s in StoryCluster.objects.all()} == {cluster[a]: 3, cluster[d]: 2, cluster[f]: 1}
    closest = {i.pk: (i.near_duplicate_of_id, i.near_duplicate_similarity) for i in ImportedItem.objects.all()}
    assert closest == {a: (None, None), b: (a, 0.90), c: (a, 0.95), d: (None, None), e: (d, 0.88), f: (None, None)}
    assert MinHashBand.objects.count() == 4 * dedup.BANDS  # the four imports with a signature
    assert StoryCluster.objects.create().pk > max(cluster.values())  # ids given by the migration are skipped

    old = migrate(BEFORE)
    links = old.get_model("ingest", "SameStory").objects.values_list("item_a_id", "item_b_id", "similarity")
    assert sorted(links) == [(a, b, 0.90), (a, c, 0.95), (d, e, 0.88)]  # one link per import, to its closest
    migrate(latest())
