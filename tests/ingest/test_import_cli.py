"""`babelpress import URL|FILE|FEED-URL`: what a newsroom sees on the command line.

A summary counts new / updated / duplicate / failed (with reasons); the exit code is 1 when nothing
could be imported; with the SSRF guard on, an internal address is refused with the reason.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, ManagementUtility, call_command

from babelpress.ingest.models import Feed
from babelpress.newsroom.models import Article

from .conftest import article_page, story


def run(*args) -> str:
    out = io.StringIO()
    call_command("import", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def run_failing(*args) -> tuple[CommandError, str]:
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import", *args, stdout=out, stderr=io.StringIO())
    return failure.value, out.getvalue()


def test_an_article_url_prints_the_new_draft_and_a_summary(partner):
    url = partner.page("/a", "Harbour reopens to ferries", seed=1)
    out = run(url)
    article = Article.objects.get()
    assert f"new: “Harbour reopens to ferries” [en, In review] /admin/newsroom/article/{article.pk}/change/" in out
    assert out.rstrip().endswith("Summary: 1 new, 0 updated, 0 duplicate, 0 failed")
    again = run(url)
    assert "Summary: 0 new, 0 updated, 0 duplicate, 0 failed, 1 unchanged" in again
    assert Article.objects.count() == 1


def test_a_feed_url_imports_every_entry_with_reasons_for_failures(partner):
    good = partner.page("/s1", "Council votes the budget", seed=2)
    feed = partner.feed("/feed.xml", [
        {"title": "Budget", "link": good, "guid": "1"},
        {"title": "Gone", "link": partner.url("/gone"), "guid": "2"},
    ], title="Partner wire")

    out = run(feed, "--section", "arts", "--language", "en")

    assert out.startswith(f"Feed: Partner wire ({feed})")
    assert f"  failed: {partner.url('/gone')}: {partner.url('/gone')} answered HTTP 404 Not Found" in out
    assert "Summary: 2 entries: 1 new, 0 updated, 0 duplicate, 1 failed" in out
    article = Article.objects.get()
    assert article.section.key == "culture"  # "arts" is its English slug
    assert Feed.objects.count() == 0  # importing is not following


def test_everything_failing_exits_non_zero(partner):
    feed = partner.feed("/feed.xml", [{"title": "Gone", "link": partner.url("/gone"), "guid": "1"}])
    error, out = run_failing(feed)
    assert error.returncode == 1 and str(error) == "Nothing was imported: every entry failed (reasons above)."
    assert "Summary: 1 entries: 0 new, 0 updated, 0 duplicate, 1 failed" in out
    assert Article.objects.count() == 0


def test_a_failed_article_exits_non_zero_with_its_reason(partner):
    partner.server.route("/broken", status=500, body=b"oops", headers={"Content-Type": "text/html"})
    error, _ = run_failing(partner.url("/broken"))
    assert error.returncode == 1
    assert "answered HTTP 500 Internal Server Error: the server failed; try again later." in str(error)


def test_the_ssrf_guard_refuses_an_internal_address_with_the_reason(server, settings, sections):
    settings.BABELPRESS_IMPORT_ALLOW_PRIVATE = False  # as in production
    server.html("/admin-panel", article_page("Internal page", story(3)))
    target = server.url("/admin-panel")

    error, _ = run_failing(target)

    assert error.returncode == 1
    assert str(error).startswith(f"Refusing to fetch {target}: 127.0.0.1 is a loopback address, not a public "
                                 "internet one.")
    assert "BABELPRESS_IMPORT_ALLOW_PRIVATE" in str(error)
    assert server.requests == [] and Article.objects.count() == 0


def test_the_real_command_line_exit_code_and_message(server, settings, sections, capsys):
    settings.BABELPRESS_IMPORT_ALLOW_PRIVATE = False
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["babelpress", "import", server.url("/x")]).execute()
    assert exit_.value.code == 1
    assert "Refusing to fetch" in capsys.readouterr().err


def test_a_local_html_file_with_section_and_language(sections, tmp_path):
    page = tmp_path / "saved.html"
    page.write_text(article_page("Le musée rouvre", story(4, lang="fr"), lang=None, sitename="Gazette",
                                 canonical="https://gazette.example/musee"), encoding="utf-8")
    out = run(str(page), "--section", "culture", "--language", "fr")
    article = Article.objects.get()
    assert (article.section.key, article.language, article.original_url) == ("culture", "fr", "https://gazette.example/musee")
    assert "Summary: 1 new, 0 updated, 0 duplicate, 0 failed" in out


def test_a_local_feed_file_imports_its_entries(partner, tmp_path):
    from .conftest import rss

    text = " ".join(story(5, 1, 60))
    path = tmp_path / "feed.xml"
    path.write_bytes(rss([{"title": "From a file", "guid": "f1", "content": f"<p>{text}</p>"}]))
    out = run(str(path))
    assert "Summary: 1 entries: 1 new, 0 updated, 0 duplicate, 0 failed" in out
    assert Article.objects.get().headline == "From a file"


def test_follow_makes_the_feed_polled_from_now_on(partner):
    feed_url = partner.feed("/feed.xml", [{"title": "One", "link": partner.page("/one", "One story", seed=6),
                                           "guid": "1"}], headers={"ETag": '"e1"'})
    out = run(feed_url, "--follow", "--trusted")
    assert out.startswith(f"Following {feed_url} (every 30 minutes; `babelpress worker` polls it).")
    feed = Feed.objects.get()
    assert feed.trusted and feed.etag == '"e1"' and feed.last_status == "ok"
    assert Article.objects.get().status == "published"


@pytest.mark.parametrize("args, message", [
    (["https://example.org/a", "--section", "sport"], "No section 'sport'. Use a section key or slug; sections: news, culture."),
    (["https://example.org/a", "--language", "de"], "--language 'de' is not one of this site's languages (fr, en, hy, ru, ar)."),
    (["no/such/file.html"], "no/such/file.html is neither an http(s):// URL nor a readable file."),
    (["no-such.html", "--follow"], "--follow needs a feed URL: a local file cannot be polled."),
])
def test_bad_arguments_are_explained(sections, args, message):
    error, _ = run_failing(*args)
    assert str(error) == message
