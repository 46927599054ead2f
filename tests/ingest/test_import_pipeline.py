"""Importing one story (babelpress.ingest.pipeline) against a partner site on 127.0.0.1.

An article URL or an HTML file becomes a draft in review, credited to its source and author, with
its provenance recorded. Bad input of every kind is refused with a message that says what happened,
and nothing at all is written: no article, no import record, no source, no author.
"""

from __future__ import annotations

import gzip

import pytest

from babelpress.ingest import pipeline
from babelpress.ingest.messages import english
from babelpress.ingest.models import Feed, ImportedItem
from babelpress.newsroom.models import Article, Author, Source

from .conftest import article_page, gzip_bomb, rss, story


def counts() -> dict:
    return {"articles": Article.objects.count(), "items": ImportedItem.objects.count(),
            "sources": Source.objects.count(), "authors": Author.objects.count()}


NOTHING = {"articles": 0, "items": 0, "sources": 0, "authors": 0}


# --- A good page ---------------------------------------------------------------------------------


def test_an_article_url_becomes_a_credited_draft_in_review(partner):
    url = partner.page("/2026/03/bridge", "Valmont bridge reopens after two years", seed=1,
                       description="Cars are back on the rebuilt bridge from Monday.")
    assert counts() == NOTHING

    outcome = pipeline.import_url(url)

    assert outcome.status == "new" and outcome.ok, outcome.reason
    article = outcome.article
    assert article.headline == "Valmont bridge reopens after two years"
    assert article.standfirst == "Cars are back on the rebuilt bridge from Monday."
    assert story(1)[0][:60] in article.body
    assert article.status == Article.Status.REVIEW and article.published_at is None
    assert article.language == "en" and article.section == partner.sections.news  # the first section
    assert article.slug == "valmont-bridge-reopens-after-two-years"
    assert article.source.name == "Partner Daily" and article.source.url == partner.url("/")
    assert article.author.name == "Jane Doe" and article.author.source == article.source
    assert article.original_url == url
    item = article.import_record
    assert item.original_url == url and item.canonical_url == url and item.origin == "page"
    assert item.detected_language == "en" and item.language_declared is True
    assert len(item.content_hash) == 64 and item.retrieved_at is not None
    assert item.original_published_at.isoformat() == "2026-03-02T10:00:00+00:00"
    assert item.imported_headline == article.headline and item.imported_body == article.body
    assert counts() == {"articles": 1, "items": 1, "sources": 1, "authors": 1}


def test_a_known_source_is_credited_again_rather_than_created(partner):
    known = Source.objects.create(name="Partner Daily", url="https://partner.example/")
    url = partner.page("/a", "Harbour workers vote to strike", seed=2)
    outcome = pipeline.import_url(url)
    assert outcome.article.source == known and Source.objects.count() == 1


def test_section_language_and_source_can_be_chosen(partner):
    agency = Source.objects.create(name="Agence Lumière")
    url = partner.page("/fr/pont", "Le pont de Valmont rouvre", seed=3, lang=None,
                       paragraphs=story(3, lang="fr"))
    outcome = pipeline.import_url(url, section=partner.sections.culture, language="fr", source=agency)
    article = outcome.article
    assert (article.section, article.language, article.source) == (partner.sections.culture, "fr", agency)
    assert article.import_record.language_declared is True  # chosen by the editor counts as declared


def test_an_undeclared_language_is_detected_and_said_so(partner):
    url = partner.page("/fr/budget", "Le budget municipal adopté", seed=4, lang=None, paragraphs=story(4, lang="fr"))
    outcome = pipeline.import_url(url)
    assert outcome.article.language == "fr"
    assert outcome.item.language_declared is False
    assert any(w.startswith("language detected, not declared: fr") for w in outcome.warnings)


def test_a_trusted_import_is_published_at_once(partner):
    url = partner.page("/t", "Library opens on Sundays", seed=5)
    article = pipeline.import_url(url, trusted=True).article
    assert article.status == Article.Status.PUBLISHED and article.published_at is not None


def test_an_html_file_becomes_a_draft_with_its_canonical_address(sections):
    html = article_page("Museum reopens its east wing", story(6), canonical="https://museum.example/east-wing",
                        sitename="Museum News")
    outcome = pipeline.import_file(html.encode("utf-8"), filename="east-wing.html")
    assert outcome.status == "new", outcome.reason
    assert outcome.item.origin == "file"
    assert outcome.article.original_url == "https://museum.example/east-wing"
    assert outcome.article.source.name == "Museum News"


def test_an_html_file_without_an_address_is_imported_with_a_warning(sections):
    html = article_page("Farmers market moves", story(7), sitename="Town Crier")
    outcome = pipeline.import_file(html, filename="market.html")
    assert outcome.status == "new" and outcome.article.original_url == ""
    assert "the file does not say where it was published: add the original link" in outcome.warnings


@pytest.mark.parametrize("content_type, meta", [
    ("text/html", ""),  # no charset anywhere
    ("text/html; charset=utf-8", ""),  # a wrong charset in the header
    ("text/html; charset=iso-8859-1", '<meta charset="windows-1252">'),  # a near-miss, with the right meta
])
def test_wrong_or_missing_charsets_still_give_the_right_letters(partner, content_type, meta):
    html = article_page("Élection : le maire réélu à Valmont", story(8, lang="fr"), lang="fr")
    html = html.replace("<meta charset='utf-8'>", meta)
    partner.server.route("/cp1252", body=html.encode("windows-1252"), headers={"Content-Type": content_type})
    outcome = pipeline.import_url(partner.url("/cp1252"))
    assert outcome.status == "new", outcome.reason
    assert outcome.article.headline == "Élection : le maire réélu à Valmont"


# --- Bad input: a clear reason, nothing written ----------------------------------------------------


def _bomb_route(server):
    server.route("/bomb", body=gzip_bomb(64, 16), headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})


BAD_PAGES = {
    "empty body": (lambda s: s.route("/x", body=b"", headers={"Content-Type": "text/html"}), "empty body"),
    "binary response": (lambda s: s.route("/x", body=b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
                                          headers={"Content-Type": "image/png"}), "binary"),
    "a PDF": (lambda s: s.route("/x", body=b"%PDF-1.7\n" + bytes(range(256)) * 8,
                                headers={"Content-Type": "application/pdf"}), "PDF document"),
    "plain text": (lambda s: s.route("/x", body=b"just some words, no markup at all " * 5,
                                     headers={"Content-Type": "text/plain"}), "plain text, not an HTML page"),
    "a home page of links": (lambda s: s.html("/x", "<html><body>" + "".join(
        f"<p><a href='/n{i}'>Story number {i} of the day</a></p>" for i in range(30)) + "</body></html>"),
        "only links"),
    "404": (lambda s: s.route("/x", status=404, body=b"gone", headers={"Content-Type": "text/html"}),
            "HTTP 404 Not Found: the page does not exist; check the address"),
    "500": (lambda s: s.route("/x", status=500, body=b"oops", headers={"Content-Type": "text/html"}),
            "HTTP 500 Internal Server Error: the server failed; try again later"),
    "timeout": (lambda s: s.html("/x", "<p>late</p>", delay=3), "try again later"),
    "oversized": (lambda s: s.html("/x", "<html><body>" + "<p>word </p>" * 20_000 + "</body></html>"),
                  "larger than the 60,000 bytes allowed"),
    "compressed bomb": (lambda s: s.route("/x", body=gzip.compress(b"<p>" + b"a" * 5_000_000),
                                          headers={"Content-Type": "text/html", "Content-Encoding": "gzip"}),
                        "once decompressed"),
    "redirect to a forbidden address": (
        lambda s: s.route("/x", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}),
        "Refusing to fetch http://169.254.169.254/latest/meta-data/: 169.254.169.254 is a link-local address"),
    "a feed instead of a page": (lambda s: s.route("/x", body=rss([{"title": "t", "link": "https://e.org/1"}]),
                                                   headers={"Content-Type": "application/rss+xml"}),
                                 "is a feed (RSS, Atom or JSON Feed), not an article page"),
}


@pytest.mark.parametrize("case", list(BAD_PAGES))
def test_bad_pages_are_refused_with_a_reason_and_nothing_written(partner, settings, case):
    settings.BABELPRESS_IMPORT_TIMEOUT = 0.5
    settings.BABELPRESS_IMPORT_MAX_BYTES = 60_000
    arrange, expected = BAD_PAGES[case]
    arrange(partner.server)

    outcome = pipeline.import_url(partner.url("/x"))

    assert outcome.status == "failed" and not outcome.ok and outcome.article is None
    assert expected in outcome.reason, outcome.reason
    assert counts() == NOTHING


def test_a_language_the_site_does_not_publish_is_refused(partner):
    url = partner.page("/de", "Die Brücke ist wieder offen", seed=9, lang="de")
    outcome = pipeline.import_url(url)
    assert outcome.status == "failed"
    assert outcome.reason.startswith("language 'de' is not one of this site's languages (fr, en, hy, ru, ar).")
    assert counts() == NOTHING


def test_a_story_whose_language_cannot_be_told_is_refused(partner):
    partner.server.html("/short", article_page("Note", ["Short note, see you."], lang=None))
    outcome = pipeline.import_url(partner.url("/short"))
    assert outcome.status == "failed" and "could not be determined" in outcome.reason
    assert counts() == NOTHING


def test_no_section_at_all_is_a_clear_failure(server, allow_private, db):
    server.html("/a", article_page("Storm hits the coast", story(10)))
    outcome = pipeline.import_url(server.url("/a"))
    assert outcome.reason == "There is no section to put the story in: create one first (admin → Sections)."
    assert counts() == NOTHING


def test_an_html_file_that_is_binary_or_too_big_is_refused(sections, settings):
    assert "binary" in pipeline.import_file(b"\x00\x01\x02" * 400, filename="x.html").reason
    settings.BABELPRESS_IMPORT_MAX_BYTES = 1000
    outcome = pipeline.import_file(b"<p>" + b"a" * 2000, filename="big.html")
    assert outcome.reason == "big.html is larger than the 1,000 bytes allowed (BABELPRESS_IMPORT_MAX_BYTES)."
    assert counts() == NOTHING


# --- Feeds that are not what they claim ----------------------------------------------------------


def _feed(url: str, **kwargs) -> Feed:
    return Feed.objects.create(url=url, **kwargs)


BAD_FEEDS = {
    "malformed XML": (b"<?xml version='1.0'?><rss version='2.0'><chan<<<nel>&bogus;</rss>", "application/rss+xml",
                      "is not a readable feed"),
    "HTML served as a feed": (
        b"<!doctype html><html><head><link rel='alternate' type='application/rss+xml' href='/real.xml'></head>"
        b"<body><p>Welcome</p></body></html>", "application/rss+xml",
        "is a web page (HTML), not a feed. The page advertises these feeds: http://127.0.0.1:"),
    "binary": (bytes(range(256)) * 20, "application/octet-stream", "is binary data"),
    "empty": (b"", "application/rss+xml", "empty body"),
}


@pytest.mark.parametrize("case", list(BAD_FEEDS))
def test_bad_feeds_are_refused_with_a_reason_and_nothing_written(partner, case):
    body, content_type, expected = BAD_FEEDS[case]
    partner.server.route("/feed.xml", body=body, headers={"Content-Type": content_type})
    report = pipeline.import_feed(_feed(partner.url("/feed.xml")))
    assert expected in report.error, report.error
    assert report.everything_failed and report.new == 0
    assert counts() == NOTHING


def test_a_feed_with_thousands_of_items_is_read_in_bounded_turns(partner, settings):
    settings.BABELPRESS_IMPORT_MAX_ITEMS_PER_POLL = 4
    items = [{"title": f"Brief {i}", "guid": f"b{i}", "content": "<p>" + " ".join(story(1000 + i, 1, 30)) + "</p>"}
             for i in range(2000)]
    feed = _feed(partner.feed("/big.xml", items))

    report = pipeline.import_feed(feed)

    assert "the feed has 2,000 entries; only the first 500 were read"  # numbers in the locale's form in report.warnings
    assert report.entries == 500 and report.new == 4 and report.remaining == 496
    assert Article.objects.count() == 4


def test_items_without_links_or_titles(partner):
    page = partner.page("/with-link-no-title", "Headline from the page itself", seed=11)
    text = " ".join(story(12, 1, 50))
    feed = _feed(partner.feed("/odd.xml", [
        {"guid": "no-title", "link": page},  # no title: the page has one
        {"guid": "no-link", "title": "Only in the feed", "content": f"<p>{text}</p>"},  # the feed's text
        {"guid": "nothing", "description": "neither link nor title"},  # skipped by the parser
        {"guid": "bare", "title": "A title and nothing else"},  # nothing to import
    ]))

    report = pipeline.import_feed(feed)

    assert report.counts["new"] == 2 and report.counts["failed"] == 1
    assert "1 entry without link or title skipped" in report.warnings
    assert report.failed == [("A title and nothing else",
                              "The entry has no link and too little text to make an article of.")]
    from_page = Article.objects.get(headline="Headline from the page itself")
    from_feed = Article.objects.get(headline="Only in the feed")
    assert from_page.import_record.origin == "page" and from_feed.import_record.origin == "feed"
    assert from_feed.original_url == "" and text[:50] in from_feed.body


def test_a_refused_page_falls_back_to_the_text_the_feed_carries(partner, settings):
    text = " ".join(story(13, 1, 60))
    feed = _feed(partner.feed("/fallback.xml", [
        {"guid": "g", "title": "Page down, feed text kept", "link": partner.url("/missing"),
         "content": f"<p>{text}</p>", "author": "ann@example.org (Ann Lee)"},
    ]))
    report = pipeline.import_feed(feed)
    assert report.new == 1, report.failed
    article = Article.objects.get()
    assert text[:60] in article.body and article.author.name == "Ann Lee"
    assert any(w.startswith("the text comes from the feed, not the page: http://127.0.0.1:")
               and "HTTP 404" in w for w in map(english, article.import_record.warnings))


def test_the_user_agent_can_be_set_for_partners_who_allow_list_it(partner, settings):
    settings.BABELPRESS_IMPORT_USER_AGENT = "ValmontGazette-Importer/1.0 (+https://gazette.example/bot)"
    pipeline.import_url(partner.page("/ua", "Coach signs for two seasons", seed=14))
    page_request = [seen for seen in partner.server.requests if seen.path == "/ua"][0]
    assert page_request.headers["user-agent"] == "ValmontGazette-Importer/1.0 (+https://gazette.example/bot)"


def test_the_pages_lead_image_heads_the_draft_with_its_alt_text(partner):
    html = article_page("Harbour cranes come down", story(21)).replace(
        "</head>",
        '<meta property="og:image" content="https://partner.example/img/cranes.jpg">'
        '<meta property="og:image:alt" content="Two cranes against a grey sky"></head>',
    )
    partner.server.html("/cranes", html)

    article = pipeline.import_url(partner.url("/cranes")).article

    assert article.body.startswith(
        '<figure><img src="https://partner.example/img/cranes.jpg" alt="Two cranes against a grey sky"></figure>'
    )
    assert article.body.count("<img") == 1
