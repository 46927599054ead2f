"""The importer in the admin, tried as an editor would: paste a URL or upload a file and land on
the draft; follow a feed, run the worker, see credited drafts appear; compare and apply a newer
version; and an internal address refused, with the reason, when the SSRF guard is on."""

from __future__ import annotations

import io

import lxml.html
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from babelpress.ingest import pipeline
from babelpress.ingest.admin_panels import provenance_html
from babelpress.ingest.models import Feed, ImportedItem, ImportJob
from babelpress.newsroom.models import Article

from .conftest import article_page, story

IMPORT = "/admin/ingest/importeditem/import/"


def job_url(job) -> str:
    return reverse("admin:ingest_import_job", args=[job.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_import_page_is_linked_from_the_admin_home_and_the_imports_list(editor, sections):
    assert reverse("admin:ingest_import") == IMPORT
    assert f'href="{IMPORT}"' in editor.get("/admin/").content.decode()
    assert f'href="{IMPORT}"' in editor.get(reverse("admin:ingest_importeditem_changelist")).content.decode()
    page = editor.get(IMPORT)
    assert page.status_code == 200 and b'name="url"' in page.content and b'name="file"' in page.content


def test_pasting_a_url_lands_on_the_new_draft_with_its_warnings(editor, partner, immediate_tasks):
    url = partner.page("/a", "Harbour reopens to ferries", seed=1, author=None)

    response = editor.post(IMPORT, {"url": url, "section": partner.sections.culture.pk, "language": ""}, follow=True)

    article, job = Article.objects.get(), ImportJob.objects.get()
    assert response.redirect_chain == [(job_url(job), 302),
                                       (reverse("admin:newsroom_article_change", args=[article.pk]), 302)]
    shown = messages_of(response)
    assert shown[0] == "Imported “Harbour reopens to ferries” (In review). Check it against the original, then publish."
    assert "no author found" in shown
    assert article.section == partner.sections.culture and article.source.name == "Partner Daily"
    assert article.import_record.imported_by == editor.user


def test_uploading_an_html_file_lands_on_the_new_draft(editor, sections):
    html = article_page("Le festival des lanternes", story(2, lang="fr"), lang="fr", sitename="Gazette",
                        canonical="https://gazette.example/lanternes")
    upload = SimpleUploadedFile("lanternes.html", html.encode("utf-8"), content_type="text/html")

    response = editor.post(IMPORT, {"file": upload, "language": "fr"})

    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:newsroom_article_change", args=[article.pk])
    assert article.import_record.origin == "file" and article.original_url == "https://gazette.example/lanternes"


def test_the_ssrf_guard_refuses_an_internal_address_with_the_reason_and_writes_nothing(editor, server, settings,
                                                                                       sections, immediate_tasks):
    settings.BABELPRESS_IMPORT_ALLOW_PRIVATE = False  # as in production
    server.html("/internal", article_page("Internal", story(3)))

    response = editor.post(IMPORT, {"url": server.url("/internal")}, follow=True)

    assert response.status_code == 200
    text = response.content.decode()
    assert f"Refusing to fetch {server.url('/internal')}: 127.0.0.1 is a loopback address" in text
    assert "BABELPRESS_IMPORT_ALLOW_PRIVATE" in text
    assert server.requests == [] and Article.objects.count() == ImportedItem.objects.count() == 0


def test_a_bad_page_is_explained_on_the_form_and_nothing_is_written(editor, partner, immediate_tasks):
    partner.server.route("/gone", status=404, body=b"", headers={"Content-Type": "text/html"})
    response = editor.post(IMPORT, {"url": partner.url("/gone")}, follow=True)
    assert response.status_code == 200
    assert "answered HTTP 404 Not Found: the page does not exist; check the address." in response.content.decode()
    assert Article.objects.count() == 0


def test_a_feed_pasted_as_an_article_offers_to_follow_it(editor, partner, immediate_tasks):
    feed_url = partner.feed("/feed.xml", [{"title": "t", "link": "https://partner.example/1"}])
    response = editor.post(IMPORT, {"url": feed_url}, follow=True)
    text = response.content.decode()
    assert "is a feed (RSS, Atom or JSON Feed), not an article page" in text
    assert "/admin/ingest/feed/add/?url=http%3A%2F%2F127.0.0.1" in text
    assert Article.objects.count() == 0


@pytest.mark.parametrize("data, message", [
    ({}, "Paste an article URL or choose an HTML file (one of the two)."),
    ({"url": "javascript:alert(1)"}, "Enter a valid URL."),
])
def test_the_form_says_what_is_missing(editor, sections, data, message):
    response = editor.post(IMPORT, data)
    assert response.status_code == 200 and message in response.content.decode()


def test_importing_needs_the_right_to_add_articles(client, sections):
    user = get_user_model().objects.create_user("reader", password=None, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_importeditem"))
    client.force_login(user)
    assert client.get(IMPORT).status_code == 403


def test_an_import_record_shows_provenance_same_story_and_a_pending_diff_to_apply(editor, partner):
    url = partner.page("/m", "Museum reopens", seed=4)
    article = pipeline.import_url(url).article
    article.body = "<p>Our rewrite.</p>"
    article.save_if_current(article.version)
    partner.page("/m", "Museum reopens on Saturday", seed=4)
    item = pipeline.import_url(url).item
    change_url = reverse("admin:ingest_importeditem_change", args=[item.pk])

    page = editor.get(change_url).content.decode()

    assert url in page and "declared" in page and "Apply the new version" in page
    assert "Museum&nbsp;reopens&nbsp;on&nbsp;Saturday" in page and "Our&nbsp;rewrite." in page

    response = editor.post(reverse("admin:ingest_importeditem_apply", args=[item.pk]),
                           {"loaded_version": article.version}, follow=True)
    assert "The newer version replaced the article's text." in messages_of(response)
    article.refresh_from_db()
    assert article.headline == "Museum reopens on Saturday" and "Our rewrite." not in article.body
    assert ImportedItem.objects.get().pending_update is None


def test_the_pending_diff_shows_text_that_looks_like_markup_as_the_text_it_is(editor, sections):
    article = Article.objects.create(language="en", headline="Use bold and italics", standfirst="The old lead.",
                                     body="<p>Fish &amp; chips.</p>", section=sections.news)
    item = ImportedItem.objects.create(
        article=article, content_hash="c" * 64, retrieved_at=timezone.now(), detected_language="en",
        pending_update={"headline": "Use <b> for bold & <i> for italics", "standfirst": "A <script>boom()</script> lead.",
                        "body": "<p>Fish &amp; chips &lt;b&gt; and <b>peas</b>.</p>", "content_hash": "d" * 64,
                        "retrieved_at": timezone.now().isoformat(), "url": ""})

    page = lxml.html.fromstring(editor.get(reverse("admin:ingest_importeditem_change", args=[item.pk])).content)

    tables = page.cssselect("table.diff")
    newer = [[" ".join(row.cssselect("td")[5].text_content().split()) for row in table.cssselect("tbody tr")]
             for table in tables]
    assert newer == [["Use <b> for bold & <i> for italics"], ["A <script>boom()</script> lead."],
                     ["Fish & chips <b> and peas."]]  # the body's own markup is left out of the comparison
    assert [" ".join(t.cssselect("tbody td")[2].text_content().split()) for t in tables] == [
        "Use bold and italics", "The old lead.", "Fish & chips."]
    assert not page.cssselect("table.diff b, table.diff i, table.diff script")


def test_provenance_for_the_article_page(partner):
    article = pipeline.import_url(partner.page("/p", "Library opens on Sundays", seed=5)).article
    html = provenance_html(article)
    assert partner.url("/p") in html and "Partner Daily" in html and "en — declared" in html
    assert reverse("admin:ingest_importeditem_change", args=[article.import_record.pk]) in html
    assert provenance_html(Article(headline="not imported")) == ""


def test_an_imported_articles_page_shows_its_provenance_at_the_end_of_its_credits(editor, partner):
    article = pipeline.import_url(partner.page("/p", "Library opens on Sundays", seed=5)).article
    page = editor.get(reverse("admin:newsroom_article_change", args=[article.pk]))
    layout = {str(title): [getattr(f, "name", f) for f in options["fields"]]
              for title, options in page.context["adminform"].fieldsets}
    assert layout["Credits"][-1] == "import_provenance"
    html = page.content.decode()
    assert 'class="babelpress-provenance"' in html and partner.url("/p") in html


# Real commits: the worker, like a real one, checks its database connection between jobs, and
# would close the connection a rolled-back test transaction lives on (PostgreSQL).
@pytest.mark.django_db(transaction=True)
def test_a_new_user_follows_a_feed_runs_the_worker_and_sees_credited_drafts(editor, partner):
    pages = [partner.page(f"/n/{n}", f"Partner story {n}", seed=10 + n) for n in (1, 2)]
    feed_url = partner.feed("/feed.xml", [{"title": f"S{n}", "link": p, "guid": p} for n, p in enumerate(pages)],
                            title="Partner Daily — latest")

    response = editor.post(reverse("admin:ingest_feed_add"), {
        "url": feed_url, "section": partner.sections.news.pk, "language": "", "interval_minutes": 30,
        "active": "on", "respect_robots": "on",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Article.objects.count() == 0

    call_command("worker", "--batch", stdout=io.StringIO(), stderr=io.StringIO())

    drafts = Article.objects.order_by("headline")
    assert [a.headline for a in drafts] == ["Partner story 1", "Partner story 2"]
    assert {(a.status, a.source.name, a.author.name) for a in drafts} == {("review", "Partner Daily", "Jane Doe")}
    feeds = editor.get(reverse("admin:ingest_feed_changelist")).content.decode()
    assert "Partner Daily — latest" in feeds and "OK" in feeds
    feed_page = editor.get(reverse("admin:ingest_feed_change", args=[Feed.objects.get().pk])).content.decode()
    assert "2 new" in feed_page
    imports = editor.get(reverse("admin:ingest_importeditem_changelist")).content.decode()
    assert "Partner story 1" in imports and "Partner story 2" in imports


def test_poll_now_queues_a_job_and_reset_backoff_clears_failures(editor, partner):
    feed = Feed.objects.create(url=partner.url("/f.xml"), failures=4)
    changelist = reverse("admin:ingest_feed_changelist")
    editor.post(changelist, {"action": "poll_now", "_selected_action": [feed.pk]})
    assert DBTaskResult.objects.count() == 1
    editor.post(changelist, {"action": "reset_backoff", "_selected_action": [feed.pk]})
    assert Feed.objects.get().failures == 0


def test_saving_an_imported_draft_unchanged_in_the_admin_is_not_an_edit(editor, partner):
    url = partner.page("/s", "Tenants win their case", seed=6,
                       paragraphs=story(6)[:2] + ["Line one\nline two of a poem"])
    article = pipeline.import_url(url).article
    form = {
        "language": article.language, "headline": article.headline, "alternative_headline": "",
        "slug": article.slug, "standfirst": article.standfirst, "body": article.body.replace("\n", "\r\n"),
        "summary": "", "section": article.section_id, "status": article.status, "published_at_0": "",
        "published_at_1": "", "author": article.author_id or "", "source": article.source_id or "",
        "original_url": article.original_url, "translation_method": "", "translation_engine": "",
        "translated_from": "", "loaded_version": article.version,
    }
    response = editor.post(reverse("admin:newsroom_article_change", args=[article.pk]), form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Article.objects.get().version == article.version + 1

    partner.page("/s", "Tenants win their case in court", seed=6)
    assert pipeline.import_url(url).status == "updated"  # nobody changed a word: updated in place
