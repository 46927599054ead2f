"""babelpress.ingest.feeds over the shared corpus (feedparser's 2,106 test feeds and 100 real
feeds) plus the cases the corpus does not pin down. Every document is imported or refused with a
FeedError; nothing else may escape, and no hostile markup may come out."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from lxml import html as lxml_html

from babelpress.ingest.feeds import FeedEntry, FeedError, ParsedFeed, discover_feeds, parse_feed

from ..corpus import corpus_dir

CORPUS = corpus_dir()
FEEDPARSER = CORPUS / "feeds" / "feedparser"
REAL = CORPUS / "feeds" / "real"
NOT_FEEDS = {"LICENSE", "expectations.json", "index.json"}

FORBIDDEN_TAGS = {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input",
                  "button", "textarea", "select", "link", "meta", "base", "svg", "math", "video", "audio", "source"}
URL_ATTRIBUTES = {"href", "src", "cite", "action", "formaction", "background", "poster", "srcset", "xlink:href"}
BAD_SCHEME = re.compile(r"^\s*(?:javascript|vbscript|data|livescript|mocha)\s*:", re.IGNORECASE)


def folders(root: Path) -> list[Path]:
    """Every folder holding feed files, so each is one test (a handful of files to 745)."""
    return sorted({p.parent for p in root.rglob("*") if p.is_file() and p.name not in NOT_FEEDS})


def feed_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name not in NOT_FEEDS)


def assert_safe_html(value: str, where: str) -> None:
    if not value:
        return
    root = lxml_html.fragment_fromstring(value, create_parent="div")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        assert element.tag.lower() not in FORBIDDEN_TAGS, f"{where}: <{element.tag}> in {value[:300]!r}"
        for name, attribute in element.attrib.items():
            lowered = name.lower()
            assert not lowered.startswith("on"), f"{where}: {name}= in {value[:300]!r}"
            assert lowered != "style", f"{where}: style= in {value[:300]!r}"
            if lowered in URL_ATTRIBUTES:
                cleaned = re.sub(r"[\x00-\x20]", "", attribute)
                assert not BAD_SCHEME.match(cleaned), f"{where}: {name}={attribute!r}"
    assert "<script" not in value.lower(), where


def assert_safe_text(value: str | None, where: str) -> None:
    if not value:
        return
    lowered = value.lower()
    assert "<script" not in lowered and "<iframe" not in lowered, f"{where}: {value[:200]!r}"
    assert not re.search(r"<[a-z][^>]*\son\w+\s*=", lowered), f"{where}: {value[:200]!r}"


def assert_safe_url(value: str | None, where: str) -> None:
    if value is not None:
        assert re.match(r"^https?://", value) and not BAD_SCHEME.match(value), f"{where}: {value!r}"


def check(parsed: ParsedFeed, where: str) -> None:
    assert isinstance(parsed, ParsedFeed)
    assert_safe_text(parsed.title, f"{where} feed title")
    assert_safe_url(parsed.link, f"{where} feed link")
    assert all(isinstance(w, str) for w in parsed.warnings)
    for entry in parsed.entries:
        assert isinstance(entry, FeedEntry) and entry.guid and (entry.link or entry.title)
        assert_safe_url(entry.link, f"{where} entry link")
        for name in ("title", "author"):
            assert_safe_text(getattr(entry, name), f"{where} entry {name}")
        for name in ("summary_html", "content_html"):
            assert_safe_html(getattr(entry, name), f"{where} entry {name}")
        for stamp in (entry.published_at, entry.updated_at):
            assert stamp is None or stamp.tzinfo is not None, where
        assert entry.language is None or re.fullmatch(r"[a-z]{2,3}", entry.language), where


def import_folder(folder: Path, url: str = "http://feeds.example/feed.xml") -> tuple[int, int, int]:
    imported = refused = entries = 0
    for path in feed_files(folder):
        try:
            parsed = parse_feed(path.read_bytes(), url)
        except FeedError as exc:
            assert str(exc) and exc.url == url, path
            refused += 1
            continue
        # Anything but FeedError escaping parse_feed fails the test with the file's traceback.
        check(parsed, str(path.relative_to(CORPUS)))
        imported += 1
        entries += len(parsed.entries)
    return imported, refused, entries


@pytest.mark.parametrize("folder", folders(FEEDPARSER),
                         ids=lambda p: str(p.relative_to(FEEDPARSER)) or "top")
def test_feedparser_suite_imports_or_refuses_cleanly(folder):
    imported, refused, _entries = import_folder(folder)
    assert imported + refused == len(feed_files(folder))


def test_feedparser_suite_is_all_there():
    total = sum(len(feed_files(folder)) for folder in folders(FEEDPARSER))
    assert total >= 2106


def test_real_feeds_import():
    index = json.loads((REAL / "index.json").read_text())
    imported, refused, entries = 0, 0, 0
    for path in feed_files(REAL):
        info = index.get(path.name, {})
        try:
            parsed = parse_feed(path.read_bytes(), info.get("url") or "https://feeds.example/")
        except FeedError:
            refused += 1
            continue
        check(parsed, f"real/{path.name}")
        imported += 1
        entries += len(parsed.entries)
        expected = min(info.get("items") or 0, 500)
        assert len(parsed.entries) >= expected * 0.9, f"{path.name}: {len(parsed.entries)} of {expected} entries"
    assert imported >= 95 and entries > 3000, (imported, refused, entries)


def test_hostile_entries_never_survive():
    # Most of feedparser's sanitizer cases are entries with neither title nor link, which we skip;
    # give each a title so its hostile content really goes through the importer.
    seen = 0
    for path in feed_files(FEEDPARSER / "wellformed" / "sanitize"):
        data = path.read_bytes()
        data = re.sub(rb"<(item|entry)(\s[^>]*)?>", rb"<\1\2><title>t</title>", data)
        try:
            parsed = parse_feed(data, "http://feeds.example/feed.xml")
        except FeedError:
            continue
        check(parsed, str(path))
        seen += sum(1 for e in parsed.entries if e.summary_html or e.content_html)
    assert seen > 300


# --- Cases the corpus does not pin down ----------------------------------------------------------

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Journal Exemple</title><link>https://journal.example/</link><language>fr-FR</language>
{items}
</channel></rss>"""
ITEM = """<item><title>{title}</title><link>{link}</link><guid>{guid}</guid>
<pubDate>Tue, 05 Mar 2024 18:30:00 +0100</pubDate><dc:creator>Par Jean Dupont</dc:creator>
<description>{description}</description>{extra}</item>"""


def rss(*items: str) -> bytes:
    return RSS.format(items="".join(items)).encode("utf-8")


def item(title="Le budget adopté", link="/2024/03/budget", guid="id-1", description="Résumé", extra="") -> str:
    return ITEM.format(title=title, link=link, guid=guid, description=description, extra=extra)


def test_rss_entry_fields():
    parsed = parse_feed(rss(item(extra="<content:encoded><![CDATA[<p>Texte <a href='/dossier'>complet</a></p>]]></content:encoded>")),
                        "https://journal.example/feed.xml")
    assert parsed.title == "Journal Exemple" and parsed.link == "https://journal.example/" and parsed.language == "fr"
    assert parsed.format == "rss20" and parsed.warnings == []
    [entry] = parsed.entries
    assert entry.guid == "id-1"
    assert entry.link == "https://journal.example/2024/03/budget"  # relative links resolved
    assert entry.title == "Le budget adopté"
    assert entry.author == "Jean Dupont"  # the same byline cleaner as for pages
    assert entry.published_at == datetime(2024, 3, 5, 17, 30, tzinfo=timezone.utc)
    assert entry.summary_html == "<p>Résumé</p>" or entry.summary_html == "Résumé"
    assert 'href="https://journal.example/dossier"' in entry.content_html
    assert entry.language == "fr"


def test_atom_entry_fields():
    atom = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="hy">
<title>Lratvakan</title><link href="https://lrat.example/"/><id>urn:feed</id><updated>2024-03-05T10:00:00Z</updated>
<entry><title type="html">&lt;b&gt;Budget&lt;/b&gt; adopted</title><link rel="alternate" href="https://lrat.example/a"/>
<id>urn:entry:1</id><updated>2024-03-05T10:00:00Z</updated><author><name>By Jane Doe</name><email>jane@lrat.example</email></author>
<summary type="text">Line one

Line two</summary><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Body <em>text</em></p></div></content></entry></feed>"""
    parsed = parse_feed(atom, "https://lrat.example/atom.xml")
    [entry] = parsed.entries
    assert parsed.language == "hy" and entry.language == "hy"
    assert entry.title == "Budget adopted" and entry.guid == "urn:entry:1"
    assert entry.author == "Jane Doe"
    assert entry.summary_html == "<p>Line one</p><p>Line two</p>"  # plain text becomes paragraphs
    assert "<em>text</em>" in entry.content_html
    assert entry.published_at == datetime(2024, 3, 5, 10, tzinfo=timezone.utc)


def test_json_feed():
    data = {
        "version": "https://jsonfeed.org/version/1.1", "title": "Babel JSON", "home_page_url": "https://json.example/",
        "language": "ru-RU", "authors": [{"name": "Анна Смирнова"}],
        "items": [
            {"id": 42, "url": "https://json.example/a", "title": "Заголовок", "content_html": "<p>Текст <img src='/i.png' onerror='x()'></p><script>x()</script>",
             "date_published": "2024-03-05T10:00:00+03:00", "authors": [{"name": "Автор: Иван Петров"}]},
            {"id": "b", "url": "javascript:alert(1)", "content_text": "no title, bad link"},
            {"id": "c", "external_url": "https://elsewhere.example/c", "summary": "Кратко", "language": "en"},
        ],
    }
    parsed = parse_feed(json.dumps(data).encode(), "https://json.example/feed.json")
    assert parsed.format == "json11" and parsed.title == "Babel JSON" and parsed.language == "ru"
    first, second = parsed.entries
    assert first.guid == "42" and first.title == "Заголовок" and first.author == "Иван Петров"
    assert first.content_html == '<p>Текст <img src="https://json.example/i.png"></p>'
    assert first.published_at == datetime(2024, 3, 5, 7, tzinfo=timezone.utc)
    assert second.link == "https://elsewhere.example/c" and second.language == "en" and second.author == "Анна Смирнова"
    assert any("without link or title skipped" in w for w in parsed.warnings)


def test_entries_without_link_and_title_are_skipped_with_a_warning():
    parsed = parse_feed(rss(item(), "<item><description>orphan</description></item>"), "https://journal.example/feed.xml")
    assert len(parsed.entries) == 1
    assert "1 entry without link or title skipped" in parsed.warnings


def test_entry_cap():
    items = [item(title=f"Article {i}", link=f"/a/{i}", guid=f"g{i}") for i in range(30)]
    parsed = parse_feed(rss(*items), "https://journal.example/feed.xml", max_entries=10)
    assert [e.guid for e in parsed.entries] == [f"g{i}" for i in range(10)]
    assert "the feed has 30 entries; only the first 10 were read" in parsed.warnings


def test_guid_falls_back_to_link_then_fingerprint():
    parsed = parse_feed(rss(item(guid=""), item(link="", guid="", title="Sans lien")), "https://journal.example/feed.xml")
    assert parsed.entries[0].guid == "https://journal.example/2024/03/budget"
    assert parsed.entries[1].guid.startswith("sha1:") and parsed.entries[1].link is None


def test_bozo_feed_with_entries_is_kept_with_a_warning():
    broken = rss(item()).replace(b"</channel></rss>", b"<oops></channel>")
    parsed = parse_feed(broken, "https://journal.example/feed.xml")
    assert len(parsed.entries) == 1
    assert any(w.startswith("the feed is malformed") for w in parsed.warnings)


def test_hostile_markup_in_a_feed():
    hostile = item(
        title="&lt;script&gt;alert(1)&lt;/script&gt;Titre",
        link="javascript:alert(2)",
        description="&lt;img src=x onerror=alert(3)&gt;&lt;a href=&quot;javascript:alert(4)&quot;&gt;lien&lt;/a&gt;"
                    "&lt;iframe src=https://evil.example/&gt;&lt;/iframe&gt;",
    )
    parsed = parse_feed(rss(hostile), "https://journal.example/feed.xml")
    [entry] = parsed.entries
    check(parsed, "hostile")
    assert entry.link is None and "alert" not in entry.title and entry.title == "Titre"
    assert "onerror" not in entry.summary_html and "javascript" not in entry.summary_html


@pytest.mark.parametrize("content, words", [
    (b"", "empty"),
    (b"  \n\t", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    (b"<?xml version='1.0'?><rss version='2.0'><channel><<<>>>", "not a readable feed"),
    (b"<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'><url><loc>https://a.example/</loc></url></urlset>",
     "not a readable feed"),
    (b'{"hello": "world"}', "not a JSON Feed"),
    (b"{not json", "cannot be read"),
])
def test_not_a_feed_is_refused_clearly(content, words):
    with pytest.raises(FeedError) as caught:
        parse_feed(content, "https://journal.example/feed.xml")
    assert words in str(caught.value) and caught.value.url == "https://journal.example/feed.xml"


def test_html_page_served_as_a_feed_points_to_its_feeds():
    page = b"""<!doctype html><html><head><title>Journal</title>
<link rel="alternate" type="application/rss+xml" title="RSS" href="/rss.xml">
<link rel="alternate" type="application/atom+xml" href="https://journal.example/atom.xml">
<link rel="stylesheet" href="/style.css"></head><body><p>Hello</p></body></html>"""
    with pytest.raises(FeedError) as caught:
        parse_feed(page, "https://journal.example/news/")
    assert "web page (HTML), not a feed" in str(caught.value)
    assert caught.value.alternates == ["https://journal.example/rss.xml", "https://journal.example/atom.xml"]
    assert "https://journal.example/rss.xml" in str(caught.value)


def test_discover_feeds_ignores_unsafe_links():
    page = '<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)"><link rel=alternate type=application/atom+xml href=/a.xml>'
    assert discover_feeds(page, "https://j.example/") == ["https://j.example/a.xml"]


def test_feed_given_as_text_is_accepted():
    assert parse_feed(rss(item()).decode(), "https://journal.example/feed.xml").entries


def test_bytes_are_never_taken_for_a_file_name(tmp_path):
    # feedparser.parse(bytes) would open a file of that name; we always hand it a stream.
    secret = tmp_path / "secret.xml"
    secret.write_bytes(rss(item(title="SECRET")))
    with pytest.raises(FeedError):
        parse_feed(str(secret).encode(), "https://journal.example/feed.xml")


def test_entity_expansion_and_external_entities_are_harmless():
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    bomb = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lol">{laughs}]>'
            '<rss version="2.0"><channel><title>t</title><item><title>&l9;</title>'
            '<link>https://a.example/</link></item></channel></rss>').encode()
    try:
        parsed = parse_feed(bomb, "https://a.example/feed")
        assert all(len(e.title) < 10_000 for e in parsed.entries)
    except FeedError:
        pass
    xxe = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
           b'<rss version="2.0"><channel><title>t</title><item><title>x &xxe; y</title>'
           b'<link>https://a.example/</link><description>&xxe;</description></item></channel></rss>')
    parsed = parse_feed(xxe, "https://a.example/feed")
    assert "root:" not in repr(parsed)
