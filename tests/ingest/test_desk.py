"""What the importer puts on the newsroom's desk, the admin's home page (babelpress/ingest/desk.py):
the stories imported in the last days and what became of them, the imports that failed and why,
the feeds whose last poll failed."""

from __future__ import annotations

from datetime import timedelta

import lxml.html
from django.urls import reverse
from django.utils import timezone

from babelpress.ingest import desk
from babelpress.ingest.models import Feed, ImportedItem, ImportJob
from babelpress.newsroom.models import Article


def desk_page(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def entries(section) -> dict[str, str]:
    """{title: the entry's text} of a desk block."""
    return {li.cssselect("a")[0].text_content(): " ".join(li.text_content().split()) for li in section.cssselect("li")}


def imported(newsroom, headline, days_ago=0, **fields):
    article = Article.objects.create(language="en", headline=headline, section=newsroom.news, source=newsroom.agency)
    item = ImportedItem.objects.create(article=article, content_hash=headline.ljust(64, "0")[:64],
                                       retrieved_at=timezone.now(), detected_language="en", **fields)
    ImportedItem.objects.filter(pk=item.pk).update(created_at=timezone.now() - timedelta(days=days_ago),
                                                   updated_at=timezone.now() - timedelta(days=days_ago))
    return article


def test_recent_imports_show_what_became_of_each_story(editor, newsroom):
    imported(newsroom, "Harbour cranes replaced", warnings=["no byline", "no date"])
    imported(newsroom, "Tram line extended", pending_update={"headline": "Tram line extended to the airport"})
    imported(newsroom, "Old story", days_ago=desk.RECENT_DAYS + 1)

    block = desk_page(editor).cssselect("#desk-imported")[0]
    shown = entries(block)
    assert sorted(shown) == ["Harbour cranes replaced", "Tram line extended"]
    assert "Agence Lumière · new · Draft · 2 warnings" in shown["Harbour cranes replaced"]
    assert "A newer version is waiting" in shown["Tram line extended"]
    link = block.cssselect(".desk-more a")[0].get("href")
    assert link.startswith(reverse("admin:ingest_importeditem_changelist") + "?updated_at__gte=")
    listed = editor.get(link).context["cl"].result_list
    assert sorted(item.article.headline for item in listed) == ["Harbour cranes replaced", "Tram line extended"]


def test_an_import_that_failed_shows_its_reason_and_leads_to_its_page(editor, newsroom):
    job = ImportJob.objects.create(url="https://gazette.example/missing", requested_by=editor.user,
                                   status=ImportJob.Status.FAILED, finished_at=timezone.now(),
                                   reason="The page answered 404 Not Found: check the address.")
    block = desk_page(editor).cssselect("#desk-imported")[0]
    entry = block.xpath('.//li[a="https://gazette.example/missing"]')[0]
    assert "404 Not Found: check the address." in entry.cssselect(".desk-note--error")[0].text_content()
    assert entry.cssselect("a")[0].get("href") == reverse("admin:ingest_import_job", args=[job.pk])
    assert "check the address" in editor.get(entry.cssselect("a")[0].get("href")).content.decode()


def test_a_failing_feed_is_a_failed_job_with_its_reason(editor, newsroom):
    feed = Feed.objects.create(url="https://gazette.example/rss", title="Gazette", last_status=Feed.Status.ERROR,
                               failures=3, last_polled_at=timezone.now(),
                               last_error="The feed's server did not answer within 10 seconds.")
    Feed.objects.create(url="https://calm.example/rss", title="Calm", last_status=Feed.Status.OK)
    block = desk_page(editor).cssselect("#desk-failed")[0]
    assert "Gazette 3 failures in a row" in entries(block)["Gazette"]
    assert "did not answer within 10 seconds" in entries(block)["Gazette"]
    link = [a.get("href") for a in block.cssselect(".desk-more a") if "ingest/feed" in a.get("href")][0]
    assert list(editor.get(link).context["cl"].result_list) == [feed]


def test_nothing_imported_lately_says_so(editor, newsroom):
    imported(newsroom, "Old story", days_ago=desk.RECENT_DAYS + 1)
    block = desk_page(editor).cssselect("#desk-imported")[0]
    assert block.cssselect(".desk-empty")[0].text_content() == "Nothing was imported recently."
