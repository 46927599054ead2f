"""A feed is a feed whatever comes before its root element, and a draft is an article.

Templates and scripts put junk before a feed's root — a stray ``<!DOCTYPE html>``, comments, a
byte-order mark, blank lines, a PHP notice — and servers send feeds as ``text/html``. Such a feed
used to be read as a web page: one draft with no headline and a megabyte of raw entry markup. It is
now told by its root element (ingest/document_kind.py) wherever the importer decides what a document
is, and any draft far larger than an article, or whose prose is markup shown as text, is refused
with what it looks like and what to do (ingest/draft_limits.py), with nothing written.
"""

from __future__ import annotations

import codecs
import io
import re
from html import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from babelpress.ingest import pipeline
from babelpress.ingest.document_kind import FEED, JSON_FEED, PAGE, sniff
from babelpress.ingest.feeds import parse_feed
from babelpress.ingest.models import Feed, ImportedItem
from babelpress.newsroom.models import Article, Author, Source

from .conftest import article_page, story

IMPORT = "/admin/ingest/importeditem/import/"
NOTHING = {"articles": 0, "items": 0, "sources": 0, "authors": 0}


def counts() -> dict:
    return {"articles": Article.objects.count(), "items": ImportedItem.objects.count(),
            "sources": Source.objects.count(), "authors": Author.objects.count()}


def atom(entries: list[dict], *, prologue: str = "<!DOCTYPE html>\n") -> bytes:
    """An Atom feed with ``prologue`` before its XML declaration (a stray DOCTYPE by default)."""
    body = "".join(
        f"<entry><title>{escape(e['title'])}</title><id>{e['id']}</id>"
        + (f'<link rel="alternate" href="{escape(e["link"])}"/>' if e.get("link") else "")
        + f"<updated>2026-03-0{i + 1}T09:00:00Z</updated><author><name>{escape(e.get('author', 'Ann Lee'))}</name></author>"
        + f"<content type=\"html\">{escape(e['content'])}</content></entry>"
        for i, e in enumerate(entries))
    return (prologue + '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
            'xml:lang="en"><title>Partner wire</title><id>urn:partner:wire</id>'
            f"<updated>2026-03-05T09:00:00Z</updated>{body}</feed>").encode("utf-8")


def wire_entries(partner=None, count: int = 3) -> list[dict]:
    return [{"title": f"Harbour story {n}", "id": f"urn:partner:{n}",
             "content": "".join(f"<p>{p}</p>" for p in story(100 + n, 3, 50))} for n in range(count)]


# --- What a document is --------------------------------------------------------------------------

RSS_ROOT = b'<rss version="2.0"><channel><title>t</title></channel></rss>'


@pytest.mark.parametrize("document, content_type, kind, root", [
    (b"<!DOCTYPE html>\n<?xml version='1.0'?>\n<feed xmlns='http://www.w3.org/2005/Atom'></feed>", "text/html",
     FEED, "feed"),
    (codecs.BOM_UTF8 + b"\n\n  <?xml version='1.0'?>" + RSS_ROOT, "", FEED, "rss"),
    (b"<!-- cached 12:00 -->\n<?xml version='1.0'?><?xml-stylesheet href='rss.xsl'?>" + RSS_ROOT, "", FEED, "rss"),
    (b"<br />\n<b>Warning</b>: header already sent in <b>feed.php</b><br />\n<?xml version='1.0'?>" + RSS_ROOT,
     "text/html", FEED, "rss"),
    (b"<!DOCTYPE html>\nNotice: Undefined index: lang in /var/www/header.php on line 12\n<rss version='2.0'></rss>",
     "text/html", FEED, "rss"),
    (b"Welcome! Our <b>news</b> in <rss version='2.0'> form", "text/html", PAGE, ""),
    (b"<?xml version='1.0'?><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'></rdf:RDF>", "",
     FEED, "rdf:rdf"),
    ("\ufeff<?xml version='1.0' encoding='utf-16'?><!DOCTYPE html><rss version='2.0'></rss>".encode("utf-16-le"), "",
     FEED, "rss"),
    (b'  {"version": "https://jsonfeed.org/version/1.1", "items": []}', "application/json", JSON_FEED, ""),
    (b"<!DOCTYPE html><html><head><link rel='alternate' type='application/rss+xml' href='/f'></head>"
     b"<body><feed>not the root</feed></body></html>", "application/rss+xml", PAGE, "html"),
    (b"<?xml version='1.0'?><!DOCTYPE html PUBLIC '-//W3C//DTD XHTML 1.0 Strict//EN' 'x.dtd'>"
     b"<html xmlns='http://www.w3.org/1999/xhtml'></html>", "application/xml", PAGE, "html"),
    (b'{"items": []}', "application/json", PAGE, ""),
    (b"not markup at all", "application/rss+xml", FEED, ""),  # no root: the media type decides
    (b"not markup at all", "text/plain", PAGE, ""),
])
def test_a_document_is_told_by_its_root_element_after_the_prologue(document, content_type, kind, root):
    found = sniff(document, content_type)
    assert (found.kind, found.root) == (kind, root)


def test_the_feed_parser_reads_a_doctype_prefixed_atom_feed_as_well_formed_xml():
    parsed = parse_feed(atom(wire_entries()), "https://partner.example/atom")
    assert parsed.format == "atom10" and parsed.warnings == []  # not "malformed … recovered"
    assert [e.title for e in parsed.entries] == ["Harbour story 0", "Harbour story 1", "Harbour story 2"]
    assert all(e.author == "Ann Lee" and e.published_at for e in parsed.entries)


def test_a_doctype_naming_the_root_is_kept_with_its_entities_when_junk_is_removed():
    feed = (b"<!-- cached -->\n<?xml version='1.0'?><!DOCTYPE rss [<!ENTITY mdash '&#8212;'>]>\n<rss version='2.0'>"
            b"<channel><title>t</title><item><title>Budget &mdash; adopted</title><link>https://e.org/a</link></item>"
            b"</channel></rss>")
    parsed = parse_feed(feed, "https://e.org/feed")
    assert parsed.warnings == [] and [e.title for e in parsed.entries] == ["Budget — adopted"]


# --- Through the importer ------------------------------------------------------------------------


def test_a_doctype_prefixed_atom_feed_sent_as_html_is_imported_as_a_feed_with_its_entries(partner):
    page = partner.page("/harbour-0", "Harbour story 0 from the page", seed=100)
    entries = wire_entries()
    entries[0]["link"] = page
    partner.server.route("/atom", body=atom(entries), headers={"Content-Type": "text/html; charset=utf-8"})
    out = io.StringIO()

    call_command("import", partner.url("/atom"), stdout=out, stderr=io.StringIO())

    assert "Summary: 3 entries: 3 new, 0 updated, 0 duplicate, 0 failed" in out.getvalue(), out.getvalue()
    assert sorted(Article.objects.values_list("headline", flat=True)) == [
        "Harbour story 0 from the page", "Harbour story 1", "Harbour story 2"]
    assert {i.origin for i in ImportedItem.objects.all()} == {"page", "feed"}


@pytest.mark.parametrize("prologue", [
    codecs.BOM_UTF8.decode("latin-1") + "\r\n\r\n",  # a BOM and blank lines before the declaration
    "<!-- generated by FeedPress -->\n",
    "   \n\t",
    "<!DOCTYPE html>\n<!-- stray -->\n",
])
def test_a_followed_feed_with_junk_before_its_root_imports_every_entry(partner, prologue):
    body = prologue.encode("latin-1") + atom(wire_entries(), prologue="")
    partner.server.route("/atom", body=body, headers={"Content-Type": "text/html; charset=utf-8"})
    report = pipeline.import_feed(Feed.objects.create(url=partner.url("/atom")))
    assert report.error == "" and report.new == 3, (report.error, report.failed)
    assert not any("malformed" in w for w in report.warnings)


def test_a_doctype_prefixed_feed_pasted_in_import_a_story_offers_to_follow_it(editor, partner, immediate_tasks):
    partner.server.route("/atom", body=atom(wire_entries()), headers={"Content-Type": "text/html"})
    text = editor.post(IMPORT, {"url": partner.url("/atom")}, follow=True).content.decode()
    assert "is a feed (RSS, Atom or JSON Feed), not an article page" in text
    assert "/admin/ingest/feed/add/?url=http%3A%2F%2F127.0.0.1" in text
    assert counts() == NOTHING


def test_a_doctype_prefixed_feed_uploaded_as_a_story_is_refused_with_what_to_do(editor, sections):
    upload = SimpleUploadedFile("wire.html", atom(wire_entries()), content_type="text/html")
    text = editor.post(IMPORT, {"file": upload}).content.decode()
    assert ("wire.html is a feed, not an article page: import it with `babelpress import FILE`, or follow the "
            "feed&#x27;s address in the admin.") in text
    assert counts() == NOTHING


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "application/rss+xml", "text/xml"])
def test_an_html_page_stays_a_page_whatever_its_media_type(partner, content_type):
    html = article_page("Ferries are back in the harbour", story(7)).replace(
        "<head>", "<head><link rel='alternate' type='application/rss+xml' href='/feed.xml'>")
    partner.server.route("/ferries", body=html.encode(), headers={"Content-Type": content_type})
    outcome = pipeline.import_url(partner.url("/ferries"))
    assert outcome.status == "new", outcome.reason
    assert outcome.article.headline == "Ferries are back in the harbour"


# --- Drafts that are no article ------------------------------------------------------------------


def escaped_entries(count: int) -> str:
    """What a feed's entries look like once read as a page: their HTML written out as text."""
    entry = ('<div class="entry-content"><p>{}</p><figure><img src="https://partner.example/i/{}.jpg" '
             'alt="Harbour"></figure><p><a href="https://partner.example/s/{}">Read more</a></p></div>')
    return "".join(escape(entry.format(p, n, n)) for n in range(count) for p in story(n, 1, 40))


def test_a_megabyte_of_markup_shown_as_text_is_refused_and_nothing_written(partner):
    partner.server.html("/wire", f"<!doctype html><html lang='en'><body><p>{escaped_entries(1800)}</p></body></html>")
    outcome = pipeline.import_url(partner.url("/wire"))
    assert outcome.status == "failed" and outcome.article is None
    assert re.match(r"The page holds [\d,]+ characters of text, far more than an article \(at most 200,000 "
                    r"characters of text and 1,000,000 of HTML are imported\): it looks like a whole feed, an archive "
                    r"or a book, not one story\. If it is a feed, follow it as a feed", outcome.reason), outcome.reason
    assert counts() == NOTHING


def test_a_page_whose_prose_is_markup_is_refused_saying_it_looks_like_a_feed(partner):
    partner.server.html("/wire", f"<!doctype html><html lang='en'><body><p>{escaped_entries(20)}</p></body></html>")
    outcome = pipeline.import_url(partner.url("/wire"))
    assert outcome.status == "failed"
    assert re.match(r"The page's text is mostly markup \(\d+ HTML tags written out as text, \d+% of it\), not an "
                    r"article: ", outcome.reason), outcome.reason
    assert ("it looks like a feed (RSS or Atom) read as a web page. If it is a feed, follow it as a feed "
            "(admin → Import → Feeds → Add) or import its entries with `babelpress import`; if it is an article, "
            "ask the publisher to fix the page, or paste its text into a new article.") in outcome.reason
    assert counts() == NOTHING


def test_an_article_about_html_quoting_tags_is_still_an_article(partner):
    code = "<pre><code>" + escape("<ul>" + "<li><a href='/x'>item</a></li>" * 40 + "</ul>") + "</code></pre>"
    prose = [f"{p} Wrap the list in {escape('<nav>')} and each link in {escape('<li>')}." for p in story(8)]
    html = article_page("How our site lists its sections", prose).replace("</article>", code + "</article>")
    partner.server.html("/howto", html)
    outcome = pipeline.import_url(partner.url("/howto"))
    assert outcome.status == "new", outcome.reason


def test_a_feed_entry_whose_text_is_markup_fails_alone(partner):
    escaped = escape(escaped_entries(10))  # escaped once more: the entry's HTML shows its tags
    entries = wire_entries(count=2) + [{"title": "Double-escaped", "id": "urn:partner:x", "content": escaped}]
    partner.server.route("/atom", body=atom(entries), headers={"Content-Type": "application/atom+xml"})
    report = pipeline.import_feed(Feed.objects.create(url=partner.url("/atom")))
    assert report.new == 2 and report.counts["failed"] == 1
    [(shown, reason)] = report.failed
    assert shown == "Double-escaped"
    assert reason.startswith("The entry's text is mostly markup (") and reason.endswith(
        "the feed escapes its HTML twice. Ask the publisher to fix the feed, or import the story from its page's "
        "address.")
