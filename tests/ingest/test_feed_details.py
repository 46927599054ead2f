"""What a feed says of its entries is kept: the feed's author credits the entries that name none,
and an entry's link is imported as the address a browser would send, not dropped.

Who is credited for a feed entry, first found first: the byline of the entry's page (when the
story is read from it); the entry's own authors; for an Atom entry copied from another feed, that
feed's (<source>); the feed's authors (Atom's feed/author, RSS's channel dc:creator, author or
managingEditor; JSON Feed's top-level authors) — with a warning on the draft that says so.
"""

from __future__ import annotations

from html import escape

import pytest

from babelpress.ingest import pipeline
from babelpress.ingest.messages import english
from babelpress.ingest.feeds import parse_feed
from babelpress.ingest.models import Feed
from babelpress.newsroom.coauthors import credited_authors
from babelpress.newsroom.models import Article

from .conftest import article_page, story


def text(seed: int) -> str:
    return "".join(f"<p>{p}</p>" for p in story(seed, 3, 50))


def rss_feed(channel_author: str, items: str) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            f'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Partner wire</title>'
            f"<link>https://partner.example/</link><language>en</language>{channel_author}{items}</channel></rss>"
            ).encode("utf-8")


def rss_item(guid: str, title: str, seed: int, extra: str = "") -> str:
    return (f"<item><title>{title}</title><guid isPermaLink='false'>{guid}</guid>{extra}"
            f"<content:encoded><![CDATA[{text(seed)}]]></content:encoded></item>")


def import_feed(partner, body: bytes, content_type: str = "application/rss+xml"):
    partner.server.route("/feed", body=body, headers={"Content-Type": content_type})
    return pipeline.import_feed(Feed.objects.create(url=partner.url("/feed")))


def credited(headline: str) -> tuple[str | None, list[str]]:
    article = Article.objects.get(headline=headline)
    names = ", ".join(author.name for author in credited_authors(article)) or None
    return names, [english(w) for w in article.import_record.warnings]


# --- The feed's author ---------------------------------------------------------------------------


@pytest.mark.parametrize("channel_author", [
    "<managingEditor>desk@partner.example (Marta Kowalska)</managingEditor>",
    "<dc:creator>Marta Kowalska</dc:creator>",
    "<author>desk@partner.example (Marta Kowalska)</author>",
])
def test_an_rss_channels_author_credits_the_items_naming_none(partner, channel_author):
    report = import_feed(partner, rss_feed(channel_author, rss_item("1", "Harbour reopens", 1)
                                           + rss_item("2", "Budget adopted", 2, "<dc:creator>Ann Lee</dc:creator>")))
    assert report.new == 2, report.failed
    author, warnings = credited("Harbour reopens")
    assert author == "Marta Kowalska"
    assert "the entry names no author: the feed's (Marta Kowalska) is credited; check it" in warnings
    author, warnings = credited("Budget adopted")
    assert author == "Ann Lee" and not any("names no author" in w for w in warnings)  # the entry's own wins


def test_an_atom_feeds_author_credits_the_entries_naming_none_after_their_source(partner):
    def entry(n: int, author: str = "") -> str:
        return (f"<entry><title>Story {n}</title><id>urn:s:{n}</id><updated>2026-03-0{n}T09:00:00Z</updated>"
                f"{author}<content type='html'>{escape(text(10 + n))}</content></entry>")

    body = ("<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom' xml:lang='en'>"
            "<title>Partner wire</title><id>urn:wire</id><updated>2026-03-05T09:00:00Z</updated>"
            "<author><name>Marta Kowalska</name></author>"
            + entry(1) + entry(2, "<author><name>Ann Lee</name></author>")
            + entry(3, "<source><id>urn:agency</id><title>Agency</title><author><name>Aram Petrosyan</name></author>"
                       "</source>")
            + entry(4, "<author><name>Ann Lee</name></author><author><name>Bob Roe</name></author>")
            + "</feed>").encode("utf-8")

    report = import_feed(partner, body, "application/atom+xml")

    assert report.new == 4, report.failed
    assert credited("Story 1")[0] == "Marta Kowalska"
    assert credited("Story 2")[0] == "Ann Lee"
    assert credited("Story 3")[0] == "Aram Petrosyan"  # the feed it was copied from, not the one carrying it
    assert credited("Story 4")[0] == "Ann Lee, Bob Roe"  # co-authors, not the last one alone


def test_the_byline_of_the_entrys_page_comes_before_the_feeds_author(partner):
    signed = partner.page("/signed", "Signed on the page", seed=21, author="Mary Major")
    unsigned = partner.page("/unsigned", "Unsigned on the page", seed=22, author=None)
    items = (f"<item><title>a</title><link>{signed}</link><guid>a</guid></item>"
             f"<item><title>b</title><link>{unsigned}</link><guid>b</guid></item>")
    report = import_feed(partner, rss_feed("<dc:creator>Marta Kowalska</dc:creator>", items))
    assert report.new == 2, report.failed
    author, warnings = credited("Signed on the page")
    assert author == "Mary Major" and not any("names no author" in w for w in warnings)
    author, warnings = credited("Unsigned on the page")
    assert author == "Marta Kowalska" and "the entry names no author: the feed's (Marta Kowalska) is credited; check it" in warnings
    assert "no author found" not in warnings  # the page's own warning, answered by the feed


def test_parsed_entries_say_whose_author_they_carry():
    parsed = parse_feed(rss_feed("<dc:creator>Marta Kowalska</dc:creator>",
                                 rss_item("1", "a", 1) + rss_item("2", "b", 2, "<author>x@y.org (Ann Lee)</author>")),
                        "https://partner.example/feed")
    assert [(e.author, e.author_is_the_feeds) for e in parsed.entries] == [("Marta Kowalska", True), ("Ann Lee", False)]


# --- Entry links ---------------------------------------------------------------------------------


def test_an_entry_link_with_spaces_is_percent_encoded_and_its_page_imported(partner):
    partner.server.html("/news/harbour%20reopens.html", article_page("Harbour reopens to ferries", story(31)))
    partner.server.html("/news/%22quoted%22%20story", article_page("A quoted story", story(32)))
    items = (f"<item><title>a</title><link>{partner.url('/news/harbour reopens.html')}</link><guid>a</guid></item>"
             f"<item><title>b</title><link>{escape(partner.url('/news/' + chr(34) + 'quoted' + chr(34) + ' story'))}"
             f"</link><guid>b</guid></item>")

    report = import_feed(partner, rss_feed("", items))

    assert report.new == 2, report.failed
    harbour = Article.objects.get(headline="Harbour reopens to ferries")
    assert harbour.original_url == partner.url("/news/harbour%20reopens.html")
    assert harbour.import_record.origin == "page" and harbour.import_record.original_url == harbour.original_url
    quoted = Article.objects.get(headline="A quoted story")
    assert quoted.original_url == partner.url("/news/%22quoted%22%20story")


def test_links_are_written_by_the_one_web_address_rule():
    items = "".join(f"<item><title>t{n}</title><link>{escape(link)}</link><guid>{n}</guid></item>" for n, link in enumerate([
        "https://partner.example/news/a story", "HTTPS://Partner.Example/Երևան", "/relative path/x",
        "https://partner.example/q?a=\"x\"&b=<y>", "https://partner.example/\u200bhidden",
    ]))
    parsed = parse_feed(rss_feed("", items), "https://partner.example/feed")
    assert [e.link for e in parsed.entries] == [
        "https://partner.example/news/a%20story", "https://partner.example/Երևան",
        "https://partner.example/relative%20path/x", "https://partner.example/q?a=%22x%22&b=%3Cy%3E",
        "https://partner.example/%E2%80%8Bhidden",
    ]


def test_an_entry_whose_link_is_no_web_address_imports_its_feed_text_with_a_warning(partner):
    items = (rss_item("1", "Text in the feed", 41, "<link>javascript:alert(1)</link>")
             + "<item><title>Nothing else</title><link>ftp://partner.example/x</link><guid>2</guid></item>")

    report = import_feed(partner, rss_feed("", items))

    assert report.new == 1 and report.counts["failed"] == 1
    article = Article.objects.get()
    assert article.headline == "Text in the feed" and article.original_url == ""
    assert ("the entry's link (javascript:alert(1)) is not a web address Babelpress can open (an http:// or https:// "
            "address): the text comes from the feed, and the draft has no original link; add it before publishing"
            ) in [english(w) for w in article.import_record.warnings]
    assert report.failed == [("Nothing else", "The entry's link (ftp://partner.example/x) is not a web address "
                              "Babelpress can open, and the entry has too little text to make an article of. Ask the "
                              "publisher to fix the link, or import the story from its page's address.")]
