"""Same-story clusters: near-duplicate imports grouped under one id, never linked pair by pair.

* a story nobody else told is a cluster of one;
* a near-duplicate joins the cluster of its best match, which the import record names;
* an import that matches items of two clusters merges them: the smaller is re-pointed to the larger;
* a deleted import leaves its cluster (an emptied cluster goes; "near-duplicate of" keeps the score);
* what an import writes does not grow with the number of copies already imported, and a look-up
  reads a bounded number of candidates, however many copies there are;
* ``cluster_members(article)`` is the API for other code (Discovery's "Also covered by …");
* the import record names the near-duplicate and lists the first 20 of the cluster, with a count.

Pages are imported through the real pipeline (``import_file``: extraction, dedup, every write).
"""

from __future__ import annotations

import io
import random
import re
from collections import Counter

import pytest
from datasketch import MinHashLSH
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from babelpress.ingest import clusters, dedup, pipeline
from babelpress.ingest.admin_panels import provenance_html
from babelpress.ingest.admin_import import near_duplicate_message
from babelpress.ingest.models import ImportedItem, MinHashBand, StoryCluster
from babelpress.newsroom.models import Article

from .conftest import article_page, story


def look_alike(seed: int, copy: int, changes: int = 3) -> list[str]:
    """Story ``seed`` with ``changes`` words replaced: copies of one seed are near-duplicates (≈ 0.9)."""
    rng = random.Random(seed * 1000 + copy)
    paragraphs = [p.split() for p in story(seed, paragraphs=8)]
    for _ in range(changes if copy else 0):
        words = paragraphs[rng.randrange(len(paragraphs))]
        words[rng.randrange(len(words))] = f"changed{copy}x{rng.randrange(10**6)}"
    return [" ".join(words) for words in paragraphs]


def import_copy(seed: int, copy: int, sitename: str | None = None):
    html = article_page(f"Story {seed}, copy {copy}", look_alike(seed, copy), sitename=sitename or f"Site {copy}")
    outcome = pipeline.import_file(html, url=f"https://site{copy}.example/{seed}/{copy}")
    assert outcome.status == "new", outcome.reason
    return outcome


def cluster_of(outcome) -> StoryCluster:
    return StoryCluster.objects.get(items=outcome.item)


def test_a_story_nobody_else_told_is_a_cluster_of_one(sections):
    first, other = import_copy(1, 0), import_copy(2, 0)
    assert cluster_of(first) != cluster_of(other)
    assert cluster_of(first).size == cluster_of(other).size == 1
    assert first.near_duplicate is None and first.item.near_duplicate_of is None
    assert first.same_story_count == 0 and list(clusters.others(first.item)) == []


def test_a_near_duplicate_joins_the_cluster_of_its_best_match(sections):
    copies = [import_copy(3, n) for n in range(4)]
    last = copies[-1]

    assert {cluster_of(c) for c in copies} == {cluster_of(copies[0])}
    assert cluster_of(last).size == 4 and last.same_story_count == 3
    # the import record names the closest earlier import, with the similarity found
    scores = {c.item.pk: dedup.similarity(bytes(c.item.minhash), bytes(last.item.minhash)) for c in copies[:-1]}
    best = max(scores, key=scores.get)
    assert last.item.near_duplicate_of_id == best and last.item.near_duplicate_similarity == scores[best]
    assert last.near_duplicate == (ImportedItem.objects.get(pk=best).article, scores[best])
    assert list(clusters.others(last.item)) == [c.item for c in copies[:-1]]  # first imported first


def test_an_import_matching_two_clusters_merges_them_into_the_larger(sections, monkeypatch):
    big = [import_copy(4, n) for n in range(3)]
    small = [import_copy(5, n) for n in range(2)]
    big_cluster, small_cluster = cluster_of(big[0]), cluster_of(small[0])
    assert big_cluster != small_cluster

    # A story that resembles one copy of each (the similarity oracle is fixed so the specification
    # does not depend on crafting a text halfway between two others): the best match is in the small one.
    bridge = [dedup.Match(big[1].item.pk, big_cluster.pk, 0.83), dedup.Match(small[0].item.pk, small_cluster.pk, 0.91)]
    monkeypatch.setattr(dedup.SimilarityIndex, "query", lambda self, sig, threshold=0.8: sorted(
        bridge, key=lambda m: -m.similarity))
    joined = import_copy(6, 0)

    merged = cluster_of(joined)
    assert merged == big_cluster and merged.size == 3 + 2 + 1
    assert not StoryCluster.objects.filter(pk=small_cluster.pk).exists()  # re-pointed, then deleted
    assert set(ImportedItem.objects.filter(cluster=merged)) == {o.item for o in big + small + [joined]}
    assert joined.item.near_duplicate_of == small[0].item and joined.same_story_count == 5


def test_of_two_clusters_of_one_size_the_best_matchs_absorbs_the_other(sections, monkeypatch):
    a, b = import_copy(7, 0), import_copy(8, 0)
    bridge = [dedup.Match(b.item.pk, b.item.cluster_id, 0.95), dedup.Match(a.item.pk, a.item.cluster_id, 0.85)]
    monkeypatch.setattr(dedup.SimilarityIndex, "query", lambda self, sig, threshold=0.8: bridge)
    joined = import_copy(9, 0)
    assert cluster_of(joined) == cluster_of(b) == cluster_of(a) and cluster_of(joined).size == 3


def test_an_import_whose_matches_keep_being_regrouped_fails_with_the_reason_and_writes_nothing(sections,
                                                                                              monkeypatch):
    import_copy(28, 0)
    real, calls = clusters._still_there, []

    def moving(matches):  # as if another worker merged the matched clusters between every two reads
        calls.append(1)
        return [dedup.Match(m.item_id, m.cluster_id + 10**9 * len(calls), m.similarity) for m in real(matches)]

    monkeypatch.setattr(clusters, "_still_there", moving)
    html = article_page("Story 28, copy 1", look_alike(28, 1), sitename="Site 1")
    outcome = pipeline.import_file(html, url="https://site1.example/28/1")

    assert outcome.status == "failed"
    assert outcome.reason == ("other imports of the same story were being grouped at the same moment: "
                              "import this one again")
    assert Article.objects.count() == ImportedItem.objects.count() == StoryCluster.objects.count() == 1


def test_a_deleted_import_leaves_its_cluster_and_an_emptied_cluster_goes(sections):
    first, second = import_copy(10, 0), import_copy(10, 1)
    cluster = cluster_of(first)
    score = second.item.near_duplicate_similarity

    first.article.delete()

    cluster.refresh_from_db()
    second.item.refresh_from_db()
    assert cluster.size == 1 and list(cluster.items.all()) == [second.item]
    assert second.item.near_duplicate_of is None and second.item.near_duplicate_similarity == score
    second.article.delete()
    assert not StoryCluster.objects.exists() and not MinHashBand.objects.exists()


class Writes:
    """Rows each INSERT/UPDATE/DELETE touched, per table, and the statements run."""

    pattern = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)

    def __init__(self):
        self.rows, self.statements = Counter(), 0

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        self.statements += 1
        if match := self.pattern.match(sql):
            rows = context["cursor"].rowcount
            if rows <= 0 and match.group(1)[0] in "Ii":  # SQLite: unknown for INSERT … RETURNING
                rows = len(params) if many else sql.count("), (") + 1
            self.rows[match.group(2)] += max(rows, 0)
        return result

    def ingest(self) -> int:
        return sum(n for table, n in self.rows.items() if table.startswith("ingest_"))


def test_rows_written_per_import_do_not_grow_with_the_copies_already_imported(sections):
    rounds = []
    for start in (0, 10, 20):  # 10 copies, then 10 more beside them, then 10 more
        writes = Writes()
        with connection.execute_wrapper(writes):
            for n in range(start, start + 10):
                import_copy(11, n)
        rounds.append(writes)

    # each copy: its import record, its band keys, and one cluster row (created once, then counted up)
    assert [w.ingest() for w in rounds] == [10 * (1 + dedup.BANDS + 1)] * 3
    assert [w.rows["newsroom_article"] for w in rounds] == [10, 10, 10]
    assert rounds[1].statements == rounds[2].statements  # no statement per earlier copy either
    assert StoryCluster.objects.get().size == 30 and ImportedItem.objects.count() == 30


def test_a_look_up_reads_a_bounded_number_of_candidates_however_many_copies_exist(sections, monkeypatch):
    monkeypatch.setattr(dedup, "CANDIDATES_PER_BAND", 1)
    copies = [import_copy(12, n) for n in range(12)]
    assert StoryCluster.objects.get().size == 12  # the newest copies were enough to find the cluster

    matches = dedup.SimilarityIndex().query(bytes(copies[0].item.minhash))
    assert 0 < len(matches) <= dedup.BANDS  # one candidate per band, not one per copy
    assert copies[0].item.pk not in {m.item_id for m in matches}  # the newest of each bucket were read


def test_the_band_parameters_are_those_datasketch_chooses():
    lsh = MinHashLSH(threshold=dedup.SAME_STORY_THRESHOLD, num_perm=dedup.NUM_PERM, weights=(0.05, 0.95))
    assert (lsh.b, lsh.r) == (dedup.BANDS, dedup.ROWS)
    assert dedup.band_keys(None) == []
    sig = dedup.signature(" ".join(story(13)))
    assert len(set(dedup.band_keys(sig))) == dedup.BANDS


def test_an_updated_text_is_found_under_its_new_bands(sections):
    outcome = import_copy(14, 0)
    old = set(MinHashBand.objects.filter(item=outcome.item).values_list("key", flat=True))
    html = article_page("Story 14, copy 0", story(15, paragraphs=8), sitename="Site 0")
    assert pipeline.import_file(html, url="https://site0.example/14/0").status == "updated"
    new = set(MinHashBand.objects.filter(item=outcome.item).values_list("key", flat=True))
    assert new == set(dedup.band_keys(dedup.signature(" ".join(story(15, paragraphs=8)))))
    assert not old & new


def test_cluster_members_lists_the_other_stories_for_any_language_version(sections):
    copies = [import_copy(16, n) for n in range(5)]
    import_copy(17, 0)  # another story altogether
    french = copies[0].article.create_translation("fr", headline="Histoire 16")

    members = clusters.cluster_members(french, limit=3)

    assert members.total == 4
    assert members.articles == [c.article for c in copies[1:4]]
    assert clusters.cluster_members(copies[4].article).articles == [c.article for c in copies[:4]]
    written_here = Article.objects.create(language="en", headline="Written here", section=sections.news)
    assert clusters.cluster_members(written_here) == clusters.Members([], 0)


@pytest.mark.parametrize("limit", [0, 4, 10])
def test_cluster_members_counts_all_whatever_the_limit(sections, limit):
    copies = [import_copy(18, n) for n in range(5)]
    members = clusters.cluster_members(copies[0].article, limit=limit)
    assert members.total == 4 and len(members.articles) == min(limit, 4)


# --- What an editor sees ---------------------------------------------------------------------------


def record_page(client, outcome) -> str:
    return client.get(reverse("admin:ingest_importeditem_change", args=[outcome.item.pk])).content.decode()


def test_the_import_record_names_the_near_duplicate_and_lists_the_first_20_of_the_cluster(editor, sections):
    copies = [import_copy(19, n) for n in range(26)]
    last = copies[-1]
    near, score = last.near_duplicate

    page = record_page(editor, last)

    panel = page[page.index("Near-duplicate of:"):]
    assert f'<a href="{reverse("admin:newsroom_article_change", args=[near.pk])}"><bdi>{near.headline}</bdi></a>' in panel
    assert f"({round(score * 100)}% similar)" in panel
    assert "25 other imports tell the same story:" in panel and "… and 5 more imports." in panel
    listed = re.findall(r"<li><a href=\"[^\"]+\"><bdi>(Story 19, copy \d+)</bdi></a>", panel)
    assert listed == [f"Story 19, copy {n}" for n in range(20)]  # first imported first

    alone = import_copy(20, 0)
    assert "No near-duplicate found among recent imports." in record_page(editor, alone)


def test_the_record_of_an_import_others_matched_lists_them_without_a_near_duplicate_line(editor, sections):
    first, second = import_copy(21, 0), import_copy(21, 1)
    page = record_page(editor, first)
    assert "Near-duplicate of:" not in page and "1 other import tells the same story:" in page
    assert second.article.headline in page


def test_the_near_duplicate_deleted_since_is_still_named_with_its_score(editor, sections):
    first, second = import_copy(22, 0), import_copy(22, 1)
    first.article.delete()
    page = record_page(editor, second)
    assert "Near-duplicate of: an import since deleted (" in page


def test_the_same_story_panel_costs_the_same_queries_for_2_or_20_copies(editor, sections):
    small = [import_copy(23, n) for n in range(2)]
    large = [import_copy(24, n) for n in range(20)]
    with CaptureQueriesContext(connection) as few:
        record_page(editor, small[-1])
    with CaptureQueriesContext(connection) as many:
        record_page(editor, large[-1])
    assert len(many) == len(few)


def test_the_article_page_shows_the_near_duplicate_and_five_of_the_cluster(sections):
    copies = [import_copy(25, n) for n in range(8)]
    html = provenance_html(copies[-1].article)
    assert "Near-duplicate of:" in html and "7 other imports tell the same story:" in html
    assert html.count("<li><a href") == 5 and "… and 2 more imports." in html


def test_uploading_a_near_duplicate_says_so_after_the_import(editor, sections):
    first = import_copy(26, 0)
    html = article_page("Story 26, copy 1", look_alike(26, 1), sitename="Site 1")
    upload = SimpleUploadedFile("copy.html", html.encode("utf-8"), content_type="text/html")

    response = editor.post("/admin/ingest/importeditem/import/", {"file": upload}, follow=True)

    item = ImportedItem.objects.latest("pk")
    said = [str(m) for m in response.context["messages"]]
    assert (f"Near-duplicate of “Story 26, copy 0” ({round(item.near_duplicate_similarity * 100)}% similar), "
            "listed on the import record.") in said
    assert item.near_duplicate_of == first.item
    # told from the import record alone, as for an import job's outcome read back later
    assert near_duplicate_message(ImportedItem.objects.get(pk=item.pk)) in said
    assert near_duplicate_message(first.item) == "" and near_duplicate_message(None) == ""


def test_the_command_line_names_the_near_duplicate(sections, tmp_path):
    import_copy(27, 0)
    page = tmp_path / "copy.html"
    page.write_text(article_page("Story 27, copy 1", look_alike(27, 1), sitename="Site 1"), encoding="utf-8")
    out = io.StringIO()
    call_command("import", str(page), stdout=out, stderr=io.StringIO())
    score = ImportedItem.objects.latest("pk").near_duplicate_similarity
    assert (f"  near-duplicate of “Story 27, copy 0” ({score:.0%} similar): same story as 1 other import(s), "
            "listed on its import record") in out.getvalue()
