"""The importer's sources: configured from BABELPRESS_IMPORT_SOURCES like translation engines, and
one registry that every place importing asks which source reads a document."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from babelpress.ingest import pipeline
from babelpress.ingest.fetch import FEED_ACCEPT, HTML_ACCEPT
from babelpress.ingest.sources import registry
from babelpress.ingest.sources.base import FILE, WEB, Candidate, Document, Entry, ImportSource, Listing
from babelpress.ingest.sources.feed import FeedSource
from babelpress.ingest.sources.page import PageSource
from babelpress.ingest.sources.upload import UploadSource
from babelpress.newsroom.models import Article
from babelpress.settings.import_sources import import_sources

from ..test_settings_layers import base_settings, refusal
from .conftest import article_page, rss, story

HERE = "tests.ingest.test_import_sources"
BUILT_IN = {"page": {"CLASS": "babelpress.ingest.sources.page.PageSource", "OPTIONS": {}},
            "upload": {"CLASS": "babelpress.ingest.sources.upload.UploadSource", "OPTIONS": {}},
            "feed": {"CLASS": "babelpress.ingest.sources.feed.FeedSource", "OPTIONS": {}}}


class Sitemap(ImportSource):
    """A made-up source for these tests: an XML sitemap, recognised by its root element."""

    label = "a sitemap"
    media_types = ("application/xml",)
    file_types = (".xml",)
    many = True

    def recognises(self, document):
        return b"<urlset" in document.content[:500]

    def read(self, document, defaults):
        return Listing([])


class TwoStories(ImportSource):
    """A source that says it reads one story and finds two: the pipeline does not pick one."""

    label = "a pair"

    def recognises(self, document):
        return document.filename.endswith(".pair")

    def read(self, document, defaults):
        return Listing([Entry(read=lambda: Candidate("a", "<p>a</p>", "a", "file")) for _ in range(2)])


def fetched(content: bytes, content_type: str = "text/html") -> Document:
    from babelpress.ingest.fetch import FetchResult

    result = FetchResult(url="https://partner.example/x", status=200, headers={}, content=content, text="",
                         encoding=None, content_type=content_type, etag=None, last_modified=None)
    return Document.from_fetch(result)


# --- From the environment ------------------------------------------------------------------------


def test_by_default_the_sources_are_the_page_the_upload_and_the_feed(monkeypatch, settings):
    monkeypatch.delenv("BABELPRESS_IMPORT_SOURCES", raising=False)
    assert import_sources() == BUILT_IN == settings.BABELPRESS_IMPORT_SOURCES
    assert [type(s) for s in registry.configured()] == [PageSource, UploadSource, FeedSource]


def test_sources_of_ones_own_come_first_and_built_in_ones_take_options_or_a_class(monkeypatch):
    sources = base_settings(monkeypatch, BABELPRESS_IMPORT_SOURCES=(
        '{"sitemap": {"CLASS": "tests.Sitemap"}, "feed": {"OPTIONS": {"max_entries": 50}},'
        ' "upload": {"CLASS": "mypackage.BetterUpload", "OPTIONS": {"strict": true}}}'))["BABELPRESS_IMPORT_SOURCES"]
    assert list(sources) == ["sitemap", "feed", "upload", "page"]
    assert sources["sitemap"] == {"CLASS": "tests.Sitemap", "OPTIONS": {}}
    assert sources["feed"] == {"CLASS": "babelpress.ingest.sources.feed.FeedSource", "OPTIONS": {"max_entries": 50}}
    assert sources["upload"] == {"CLASS": "mypackage.BetterUpload", "OPTIONS": {"strict": True}}


@pytest.mark.parametrize(("value", "problem"), [
    ('{"sitemap": {"OPTIONS": {}}}', "entry 'sitemap' needs a \"CLASS\" (only built-in sources, page, upload, feed, "
     "may give OPTIONS alone)"),
    ('{"site map": {"CLASS": "x.Y"}}', "has an entry 'site map': a source name has no spaces or commas"),
    ('{"sitemap": {"CLASS": "Sitemap"}}', "entry 'sitemap': \"CLASS\" must be a dotted path such as "
     "\"mypackage.sources.EmailSource\""),
    ('{"sitemap": {"CLASS": "x.Y", "OPTIONS": [1]}}', "entry 'sitemap': \"OPTIONS\" must be an object of keyword "
     "arguments"),
    ('["x.Y"]', "is a JSON list, not an object ({...})"),
])
def test_a_malformed_source_is_refused_at_start_up_naming_the_entry(monkeypatch, value, problem):
    example = '{"email": {"CLASS": "mypackage.sources.EmailSource", "OPTIONS": {}}}'
    assert refusal(monkeypatch, BABELPRESS_IMPORT_SOURCES=value) == (
        f"BABELPRESS_IMPORT_SOURCES {problem}; for example BABELPRESS_IMPORT_SOURCES={example}")


@pytest.mark.parametrize(("spec", "message"), [
    ({"CLASS": "tests.ingest.no_such_module.Source"}, "BABELPRESS_IMPORT_SOURCES['mine']: cannot import "
     "'tests.ingest.no_such_module.Source'"),
    ({"CLASS": f"{HERE}.fetched"}, f"BABELPRESS_IMPORT_SOURCES['mine']: '{HERE}.fetched' is not a subclass of "
     "babelpress.ingest.sources.base.ImportSource (see docs/architecture.md)."),
    ({"CLASS": f"{HERE}.Sitemap", "OPTIONS": {"depth": 2}}, f"BABELPRESS_IMPORT_SOURCES['mine']: {HERE}.Sitemap "
     "does not take these OPTIONS"),
])
def test_a_class_that_cannot_be_a_source_is_reported_naming_the_entry(settings, spec, message):
    settings.BABELPRESS_IMPORT_SOURCES = {"mine": spec, **BUILT_IN}
    with pytest.raises(ImproperlyConfigured) as caught:
        registry.configured()
    assert str(caught.value).startswith(message)


def test_a_built_in_source_takes_its_options(settings, partner):
    settings.BABELPRESS_IMPORT_SOURCES = {**BUILT_IN, "feed": {**BUILT_IN["feed"], "OPTIONS": {"max_entries": 1}}}
    feed = partner.feed("/feed.xml", [{"title": f"Story {n}", "guid": str(n), "content": " ".join(story(n, 1, 60))}
                                      for n in (1, 2)])
    report = pipeline.import_stories(pipeline.fetch_document(feed, accept=FEED_ACCEPT),
                                     pipeline.Defaults.of(language="en"))
    assert (report.entries, report.new) == (1, 1)
    assert "the feed has 2 entries; only the first 1 were read" in report.warnings


# --- Which source reads a document ---------------------------------------------------------------


def test_a_document_goes_to_the_source_that_recognises_it_the_catch_alls_last():
    page = fetched(article_page("Harbour", story(1)).encode())
    feed = fetched(rss([{"title": "One", "guid": "1", "link": "https://partner.example/1"}]), "application/rss+xml")
    html_file = Document.from_file(article_page("Harbour", story(1)), filename="saved.html")
    feed_file = Document.from_file(rss([{"title": "One", "guid": "1"}]), filename="feed.xml")
    assert [type(registry.choose(d, registry.ANY)) for d in (page, feed, html_file, feed_file)] == [
        PageSource, FeedSource, UploadSource, FeedSource]
    assert (page.kind, html_file.kind) == (WEB, FILE)


def test_a_source_of_ones_own_is_asked_before_the_catch_alls(settings):
    settings.BABELPRESS_IMPORT_SOURCES = {**BUILT_IN, "sitemap": {"CLASS": f"{HERE}.Sitemap", "OPTIONS": {}}}
    sitemap = Document.from_file(b'<?xml version="1.0"?><urlset><url><loc>https://a.example/</loc></url></urlset>',
                                 filename="sitemap.xml")
    assert type(registry.choose(sitemap, registry.ANY)) is Sitemap
    assert registry.file_types() == [".html", ".htm", "text/html"]  # "Import a story" takes one story
    # Its media type is one the page source already asks for: not named twice.
    assert registry.accept(registry.ANY) == HTML_ACCEPT + ",application/rss+xml;q=0.9,application/atom+xml;q=0.9"
    outcome = pipeline.import_story(sitemap, pipeline.Defaults.of())
    assert outcome.reason == "sitemap.xml is a sitemap, with several stories: import it with `babelpress import`."


def test_the_accept_headers_ask_for_what_each_place_reads():
    assert registry.accept(registry.STORY) == HTML_ACCEPT
    assert registry.accept(registry.ANY) == HTML_ACCEPT + ",application/rss+xml;q=0.9,application/atom+xml;q=0.9"
    assert registry.accept(registry.FOLLOWED) == FEED_ACCEPT
    assert registry.file_types() == [".html", ".htm", "text/html"]


def test_a_followed_address_that_is_no_feed_is_read_by_the_feed_source_which_says_what_it_is():
    page = fetched(article_page("Harbour", story(1)).encode())
    assert type(registry.choose(page, registry.FOLLOWED)) is FeedSource


def test_a_source_that_finds_two_stories_where_one_was_asked_is_refused(settings, sections):
    settings.BABELPRESS_IMPORT_SOURCES = {**BUILT_IN, "pair": {"CLASS": f"{HERE}.TwoStories", "OPTIONS": {}}}
    outcome = pipeline.import_file(b"a, b", filename="x.pair")
    assert outcome.reason == "x.pair holds 2 stories, not one: import it with `babelpress import`."
    assert Article.objects.count() == 0


def test_with_no_source_for_a_kind_of_document_the_reason_names_the_setting(settings):
    settings.BABELPRESS_IMPORT_SOURCES = {"page": BUILT_IN["page"]}
    outcome = pipeline.import_file(b"<p>a</p>", filename="a.html")
    assert outcome.reason == ("a.html is nothing Babelpress can import here (it reads none). Check the file, or add "
                              "a source that reads it to BABELPRESS_IMPORT_SOURCES.")
