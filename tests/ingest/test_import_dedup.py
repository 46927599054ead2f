"""Dedup: a story imported again is recognised, and editors' work is never overwritten.

* the same URL (or canonical URL) again: the existing article is updated, or left as it is;
* the same text at another address: "duplicate", nothing written;
* a newer version of an article an editor changed: kept aside as a diff until an editor applies it;
* a near-duplicate from another source: a second article, in the first one's same-story cluster
  (how clusters form and merge: test_same_story_clusters.py).
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from babelpress.ingest import clusters, dedup, pipeline, store
from babelpress.ingest.admin_panels import pending_diff_html
from babelpress.ingest.models import ImportedItem, StoryCluster
from babelpress.newsroom.models import Article, StaleEdit

from .conftest import article_page, story


def test_the_same_url_twice_is_one_article(partner):
    url = partner.page("/a", "Council approves the new tram line", seed=1)
    first = pipeline.import_url(url)
    again = pipeline.import_url(url)
    assert (first.status, again.status) == ("new", "unchanged")
    assert again.article == first.article and again.reason == "no change since the last import"
    assert Article.objects.count() == ImportedItem.objects.count() == 1


def test_another_address_with_the_same_canonical_url_is_the_same_article(partner):
    canonical = partner.page("/story", "Hospital doctors end their strike", seed=2)
    partner.server.html("/story-amp", article_page("Hospital doctors end their strike", story(2), canonical=canonical))
    first = pipeline.import_url(canonical)
    via_amp = pipeline.import_url(partner.url("/story-amp"))
    assert via_amp.status == "unchanged" and via_amp.article == first.article
    assert Article.objects.count() == 1


def test_the_same_text_at_another_address_is_a_duplicate_and_writes_nothing(partner):
    first = pipeline.import_url(partner.page("/one", "Storm closes the harbour", seed=3))
    copy = pipeline.import_url(partner.page("/copy", "Storm closes the harbour", seed=3, canonical=None))
    assert copy.status == "duplicate" and copy.article == first.article
    assert copy.reason == f"the same text was already imported from {partner.url('/one')}"
    assert Article.objects.count() == ImportedItem.objects.count() == 1


def test_a_newer_version_replaces_an_article_nobody_edited(partner):
    url = partner.page("/b", "Budget vote delayed", seed=4)
    article = pipeline.import_url(url).article
    version = article.version
    partner.page("/b", "Budget vote delayed to Friday", seed=4, paragraphs=story(4) + ["A late addition to the story."])

    outcome = pipeline.import_url(url)

    assert outcome.status == "updated"
    article.refresh_from_db()
    assert article.headline == "Budget vote delayed to Friday" and "A late addition" in article.body
    assert article.version == version + 1  # through save_if_current, like an editor's save
    assert outcome.item.imported_headline == article.headline and outcome.item.pending_update is None
    assert Article.objects.count() == 1


def test_an_edited_article_is_not_overwritten_the_new_version_waits_as_a_diff(partner):
    url = partner.page("/c", "Museum reopens", seed=5)
    article = pipeline.import_url(url).article
    article.headline = "Museum reopens its doors (edited)"
    article.body = "<p>Our own rewrite of the story.</p>"
    article.save_if_current(article.version)
    partner.page("/c", "Museum reopens on Saturday", seed=5, paragraphs=story(5) + ["Tickets are free."])

    outcome = pipeline.import_url(url)

    assert outcome.status == "pending_update"
    assert "an editor changed the article since it was imported" in outcome.reason
    article.refresh_from_db()
    assert article.headline == "Museum reopens its doors (edited)"  # the editor's work stands
    assert article.body == "<p>Our own rewrite of the story.</p>"
    item = ImportedItem.objects.get(article=article)
    assert item.pending_update["headline"] == "Museum reopens on Saturday"
    diff = pending_diff_html(item).replace("&nbsp;", " ")
    assert "Museum reopens its doors (edited)" in diff and "Museum reopens on Saturday" in diff
    assert "Tickets are free." in diff and "Our own rewrite of the story." in diff

    # the same newer version found again is not offered twice
    assert pipeline.import_url(url).status == "unchanged"

    # an editor applies it: the article takes the newer text, and later imports compare against it
    store.apply_pending_update(item)
    article.refresh_from_db()
    item.refresh_from_db()
    assert article.headline == "Museum reopens on Saturday" and "Tickets are free." in article.body
    assert item.pending_update is None and item.imported_headline == article.headline
    assert pipeline.import_url(url).status == "unchanged"
    assert Article.objects.count() == 1


def test_applying_a_newer_version_refuses_to_overwrite_a_save_made_meanwhile(partner):
    url = partner.page("/d", "Railway station to close", seed=6)
    article = pipeline.import_url(url).article
    article.standfirst = "Edited."
    article.save_if_current(article.version)
    partner.page("/d", "Railway station to close in May", seed=6)
    item = pipeline.import_url(url).item
    seen_version = Article.objects.get(pk=article.pk).version
    article.refresh_from_db()
    article.summary = "Another editor saved."
    article.save_if_current(article.version)
    with pytest.raises(StaleEdit):
        store.apply_pending_update(item, expected_version=seen_version)
    assert Article.objects.get(pk=article.pk).headline == "Railway station to close"


def test_a_published_story_from_an_untrusted_source_is_not_changed_behind_the_editors_back(partner):
    url = partner.page("/e", "Forest fire contained", seed=7)
    article = pipeline.import_url(url).article
    Article.objects.filter(pk=article.pk).update(status="published", published_at=article.created_at)
    partner.page("/e", "Forest fire contained after three days", seed=7)
    outcome = pipeline.import_url(url)
    assert outcome.status == "pending_update"
    assert "already published and its source is not trusted" in outcome.reason
    assert Article.objects.get(pk=article.pk).headline == "Forest fire contained"


def test_a_near_duplicate_from_another_source_joins_the_first_ones_same_story_cluster(partner, dns):
    paragraphs = story(8, paragraphs=6)
    edited = [p.replace("council", "assembly", 1) for p in paragraphs]  # light agency-copy edits
    edited[2] = edited[2] + " Our correspondent adds a line."
    first = pipeline.import_url(partner.page("/wire", "Mayor wins a second term", seed=8, paragraphs=paragraphs,
                                            sitename="Partner Daily"))
    dns.resolve("other.example", "127.0.0.1")  # a second site (on the same local server)
    other = partner.server.url("/2026/mayor", host="other.example")
    partner.server.html("/2026/mayor", article_page("Mayor re-elected", edited, sitename="Other Gazette",
                                                    canonical=other))
    second = pipeline.import_url(other)

    assert (first.status, second.status) == ("new", "new")
    assert first.article.source.name == "Partner Daily" and second.article.source.name == "Other Gazette"
    near, score = second.near_duplicate
    assert near == first.article and score >= dedup.SAME_STORY_THRESHOLD
    assert second.item.near_duplicate_of == first.item and second.item.near_duplicate_similarity == score
    assert second.item.cluster_id == first.item.cluster_id and second.same_story_count == 1
    assert list(clusters.others(first.item)) == [second.item]
    assert StoryCluster.objects.get().size == 2
    assert second.warnings == []  # said on the import record, in the editor's language


def test_different_stories_are_not_linked(partner):
    pipeline.import_url(partner.page("/x1", "Teachers strike", seed=9))
    other = pipeline.import_url(partner.page("/x2", "Theatre festival opens", seed=10))
    assert other.near_duplicate is None and other.same_story_count == 0
    assert StoryCluster.objects.count() == 2 and list(clusters.others(other.item)) == []


def test_signatures_and_hashes():
    text = " ".join(story(11, paragraphs=3))
    assert dedup.content_hash("Headline", text) == dedup.content_hash("HEADLINE!", text.upper().replace(".", " . "))
    assert dedup.content_hash("Headline", text) != dedup.content_hash("Another headline", text)
    assert dedup.signature("too short to compare") is None
    near = text.replace("mayor", "deputy mayor", 1)
    assert dedup.similarity(dedup.signature(text), dedup.signature(near)) > 0.8
    assert dedup.similarity(dedup.signature(text), dedup.signature(" ".join(story(12, paragraphs=3)))) < 0.2


def test_a_writer_that_loses_a_race_counts_a_duplicate_not_a_second_article(partner, monkeypatch):
    url = partner.page("/race", "Water prices rise", seed=13)
    first = pipeline.import_url(url)
    partner.page("/race", "Water prices rise again", seed=14)
    # As if another worker committed the same URL between our lookup and our insert.
    monkeypatch.setattr(dedup, "find_existing", lambda candidate, feed: None)
    outcome = pipeline.import_url(url)
    assert outcome.status == "duplicate" and outcome.article == first.article
    assert outcome.reason == "imported at the same moment by another worker"
    assert Article.objects.count() == 1


def test_the_database_itself_refuses_a_second_record_of_one_url(partner):
    item = pipeline.import_url(partner.page("/u", "Energy prices fall", seed=15)).item
    other = pipeline.import_url(partner.page("/v", "Students return", seed=16)).item
    other.original_url = item.original_url
    with pytest.raises(IntegrityError):
        other.save()


def test_a_canonical_url_shared_by_different_stories_does_not_merge_them(partner):
    section_page = partner.url("/news/")  # a misconfigured site: every article claims the section page
    first = pipeline.import_url(partner.page("/n1", "Teachers strike on Monday", seed=17, canonical=section_page))
    second = pipeline.import_url(partner.page("/n2", "New library opens", seed=18, canonical=section_page))
    assert (first.status, second.status) == ("new", "new")
    assert first.article.headline == "Teachers strike on Monday"
    assert any("imported separately" in w for w in second.warnings)
    assert Article.objects.count() == 2
