"""Parse a partner feed (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, CDF, JSON Feed 1.0/1.1) into entries.

feedparser does the XML formats (it recovers what it can from broken feeds), given the feed
without the junk some sites put before its root (document_kind.py); JSON Feed, which feedparser 6
does not read, is parsed here. Every field goes through feed_fields.py: HTML through
``clean_body``, text through ``clean_text``, links written as the newsroom keeps addresses and
made absolute http(s) URLs. An entry naming no author is credited to the feed's authors. A
document that is not a feed raises ``FeedError`` with a message an editor can act on (for an HTML
page, the feeds it advertises are listed).
"""

from __future__ import annotations

import html as html_lib
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

import feedparser

from django.utils.translation import gettext_noop

from babelpress.binary import looks_binary

from .messages import Message
from . import feed_fields as fields
from .bylines import clean_byline
from .charsets import charset_from_content_type
from .dates import Zone, entry_dates, feed_zone, parse_datetime
from .document_kind import sniff, without_prologue_junk
from .language import normalize_language

DEFAULT_MAX_ENTRIES = 500


class FeedError(ValueError):
    """The document is not a usable feed. ``alternates`` lists feed URLs an HTML page advertises."""

    def __init__(self, message: str, url: str | None = None, alternates: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.url = url
        self.alternates = alternates or []

    def __str__(self) -> str:
        return self.message


@dataclass
class FeedEntry:
    guid: str
    link: str | None
    title: str
    author: str | None
    published_at: datetime | None
    summary_html: str
    content_html: str
    language: str | None
    updated_at: datetime | None = None
    author_is_the_feeds: bool = False  # the entry names no author: ``author`` is the feed's
    unusable_link: str = ""  # the link the entry gave, when it is no web address (``link`` is None)
    zone: Zone | None = None  # the zone of the entry's page's zone-less times, when the feed tells (dates.py)
    date_note: str | None = None  # the zone assumed for the entry's own date, for the editor


@dataclass
class ParsedFeed:
    title: str
    link: str | None
    language: str | None
    entries: list[FeedEntry]
    warnings: list[str] = field(default_factory=list)
    format: str = ""  # feedparser's version ("rss20", "atom10", ...) or "json1"/"json11"


# --- The feeds an HTML page advertises ---------------------------------------------------------

_ALTERNATE_RE = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_ATTR_RE = re.compile(r"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/json",
               "application/rdf+xml", "text/xml", "application/xml")


def discover_feeds(html: str, base: str | None) -> list[str]:
    """Feed URLs an HTML page advertises with <link rel="alternate" type="application/rss+xml" ...>."""
    found: list[str] = []
    for tag in _ALTERNATE_RE.findall(html[:200_000]):
        attrs = {m.group(1).lower(): html_lib.unescape(m.group(2) or m.group(3) or m.group(4) or "")
                 for m in _ATTR_RE.finditer(tag)}
        if "alternate" in attrs.get("rel", "").lower().split() and attrs.get("type", "").lower() in _FEED_TYPES:
            link = fields.link(attrs.get("href"), base)
            if link and link not in found:
                found.append(link)
    return found


# --- JSON Feed -----------------------------------------------------------------------------------


def _parse_json_feed(content: bytes, url: str, max_entries: int) -> ParsedFeed:
    try:
        data = json.loads(content.decode("utf-8-sig", "replace"))
    except (ValueError, RecursionError) as exc:
        raise FeedError(Message(gettext_noop("%(address)s looks like JSON but cannot be read (%(error)s); it is not a "
                                             "valid JSON Feed."), address=url, error=str(exc)), url) from None
    version = data.get("version", "") if isinstance(data, dict) else ""
    if not isinstance(data, dict) or not (
        (isinstance(version, str) and "jsonfeed.org" in version) or isinstance(data.get("items"), list)
    ):
        raise FeedError(
            Message(gettext_noop("%(address)s is JSON but not a JSON Feed (no jsonfeed.org version, no items). Use the "
                                 "site's RSS, Atom or JSON Feed address."), address=url),
            url,
        )
    warnings: list[str] = []
    if not (isinstance(version, str) and "jsonfeed.org" in version):
        warnings.append(Message(gettext_noop("the JSON feed does not declare a jsonfeed.org version; read as JSON Feed "
                                             "1.1")))
    home = fields.link(data.get("home_page_url"), url)
    language = normalize_language(data.get("language") if isinstance(data.get("language"), str) else None)
    items = data.get("items") if isinstance(data.get("items"), list) else []
    feed_authors = clean_byline(_json_authors(data))
    entries, skipped = [], 0
    for item in items[:max_entries]:
        if not isinstance(item, dict):
            skipped += 1
            continue
        link = fields.link(item.get("url"), url) or fields.link(item.get("external_url"), url)
        written = next((v.strip() for v in (item.get("url"), item.get("external_url")) if isinstance(v, str)), "")
        title = fields.plain(item.get("title")) if isinstance(item.get("title"), str) else ""
        content_html = fields.body(item.get("content_html"), None, link or url)
        if not content_html and isinstance(item.get("content_text"), str):
            content_html = fields.body(item["content_text"], {"type": "text/plain"})
        summary_html = fields.body(item.get("summary"), {"type": "text/plain"}) if isinstance(item.get("summary"), str) else ""
        if not link and not title:
            skipped += 1
            continue
        published, _ = parse_datetime(item.get("date_published") if isinstance(item.get("date_published"), str) else None)
        updated, _ = parse_datetime(item.get("date_modified") if isinstance(item.get("date_modified"), str) else None)
        item_id = item.get("id")
        author = clean_byline(_json_authors(item))
        entries.append(FeedEntry(
            guid=fields.guid(str(item_id) if isinstance(item_id, (str, int)) and not isinstance(item_id, bool) else None,
                       link, title, summary_html or content_html),
            link=link,
            title=title,
            author=author or feed_authors, author_is_the_feeds=not author and bool(feed_authors),
            unusable_link="" if link else written[:200],
            published_at=published or updated,
            summary_html=summary_html,
            content_html=content_html,
            language=normalize_language(item.get("language") if isinstance(item.get("language"), str) else None) or language,
            updated_at=updated,
        ))
    _count_warnings(warnings, len(items), max_entries, skipped)
    title = fields.plain(data.get("title")) if isinstance(data.get("title"), str) else ""
    kind = "json11" if isinstance(version, str) and version.rstrip("/").endswith("1.1") else "json1"
    return ParsedFeed(title=title, link=home, language=language, entries=entries, warnings=warnings, format=kind)


def _json_authors(obj: dict) -> str | None:
    authors = obj.get("authors") if isinstance(obj.get("authors"), list) else [obj.get("author")]
    names = [a.get("name") for a in authors if isinstance(a, dict) and isinstance(a.get("name"), str)]
    return "; ".join(names) or None


def _count_warnings(warnings: list[str], total: int, max_entries: int, skipped: int) -> None:
    if total > max_entries:
        warnings.append(Message(gettext_noop("the feed has %(total)s entries; only the first %(count)s were read"),
                                total=total, count=max_entries))
    if skipped == 1:
        warnings.append(Message(gettext_noop("1 entry without link or title skipped")))
    elif skipped:
        warnings.append(Message(gettext_noop("%(count)s entries without link or title skipped"), count=skipped))


# --- XML feeds -----------------------------------------------------------------------------------


def parse_feed(
    content: bytes,
    url: str,
    *,
    max_entries: int = DEFAULT_MAX_ENTRIES,
    content_type: str | None = None,
) -> ParsedFeed:
    """Parse feed bytes fetched from ``url`` (the base for relative links).

    Pass the raw bytes (FetchResult.content), not decoded text: the XML declaration and BOM are
    the feed's own word on its encoding. ``content_type``, the HTTP header if known, lets
    feedparser use the charset declared there as HTTP says it should.
    """
    if isinstance(content, str):
        content = content.encode("utf-8")
    if not content or not content.strip():
        raise FeedError(Message(gettext_noop("%(address)s is empty: there is no feed to read. Check the address, or try "
                                             "again later."), address=url), url)
    if looks_binary(content[:1024]):
        raise FeedError(Message(gettext_noop("%(address)s is binary data (an image, archive or the like), not a feed. "
                                             "Check the address."), address=url), url)
    sniffed = sniff(content)
    if sniffed.json:
        return _parse_json_feed(content, url, max_entries)

    # No content-location header: feedparser would resolve GUIDs against it as if they were
    # links ("id-1" -> "https://site/id-1"), changing an entry's identity with the feed's URL.
    # Relative links are made absolute here instead (xml:base is still feedparser's).
    headers = {"content-type": _xml_media_type(content_type)} if _xml_media_type(content_type) else None
    # A stream, never the bytes themselves: given bytes, feedparser first tries them as a file
    # name (and given a str, as a URL to download).
    # Junk before the root (a stray DOCTYPE html …) would send feedparser to its loose parser.
    parsed = feedparser.parse(io.BytesIO(without_prologue_junk(content, sniffed)), response_headers=headers,
                              sanitize_html=True, resolve_relative_uris=True)
    feed = parsed.get("feed", {})
    version = parsed.get("version") or ""
    all_entries = parsed.get("entries", [])
    _refuse_what_is_not_a_feed(parsed, content, url, sniffed.is_html)

    warnings: list[str] = []
    if parsed.get("bozo"):
        problem = parsed.get("bozo_exception")
        said = (gettext_noop("the feed is malformed (%(problem)s); %(count)s entry recovered") if len(all_entries) == 1
                else gettext_noop("the feed is malformed (%(problem)s); %(count)s entries recovered"))
        warnings.append(Message(said, problem=f"{type(problem).__name__}: {problem}", count=len(all_entries)))
    if not all_entries:
        warnings.append(Message(gettext_noop("the feed has no entries")))

    feed_language = normalize_language(feed.get("language")) or normalize_language(
        (feed.get("title_detail") or {}).get("language")
    )
    feed_title = _detail_text(feed.get("title"), feed.get("title_detail"))
    feed_link = fields.link(feed.get("link"), url)

    zone = _zone(feed, all_entries[:max_entries])
    # The feed's authors (Atom's feed/author; RSS's channel dc:creator, author, managingEditor).
    entries, skipped = _entries(all_entries[:max_entries], url, feed_language, fields.byline(feed), zone)
    _count_warnings(warnings, len(all_entries), max_entries, skipped)
    return ParsedFeed(title=feed_title, link=feed_link, language=feed_language, entries=entries,
                      warnings=warnings, format=version)


def _xml_media_type(content_type: str | None) -> str | None:
    """The server's media type as feedparser should hear it. A feed sent as text/html or text/plain
    (its root element says it is a feed) keeps only the charset the server gave: feedparser would
    otherwise call it malformed ("not an XML media type"), which it is not."""
    media_type = (content_type or "").split(";", 1)[0]
    if not media_type.strip() or "xml" in media_type.lower():
        return content_type or None
    charset = charset_from_content_type(content_type)
    return f"application/xml; charset={charset}" if charset else None


def _refuse_what_is_not_a_feed(parsed, content: bytes, url: str, is_html: bool) -> None:
    """FeedError for an HTML page, or a document (broken, or not a format feedparser knows) from
    which neither an entry nor a feed title could be recovered. CDF has no version: its title
    is what tells it from arbitrary XML."""
    feed, version = parsed.get("feed", {}), parsed.get("version") or ""
    looks_html = not version and is_html
    if parsed.get("entries") or not (looks_html or (not feed.get("title") and (parsed.get("bozo") or not version))):
        return
    if looks_html:
        alternates = discover_feeds(content[:200_000].decode("utf-8", "replace"), url)
        said = (Message(gettext_noop("%(address)s is a web page (HTML), not a feed. The page advertises these feeds: "
                                     "%(feeds)s."), address=url, feeds=", ".join(alternates[:3])) if alternates
                else Message(gettext_noop("%(address)s is a web page (HTML), not a feed. Look on the site for an RSS or "
                                          "Atom link."), address=url))
        raise FeedError(said, url, alternates)
    problem = parsed.get("bozo_exception")
    detail = f" ({problem})" if problem else ""
    raise FeedError(
        Message(gettext_noop("%(address)s is not a readable feed%(detail)s: no entries and no feed title could be "
                             "recovered. Check the address, or ask the publisher to fix the feed (an XML validator "
                             "shows where it breaks)."), address=url, detail=detail),
        url,
    )


def _zone(feed, entries) -> Zone:
    """The zone of the feed's zone-less dates: that of the first of its dates stating one (dates.py)."""
    return feed_zone([dict.get(feed, "updated"), dict.get(feed, "published")]
                     + [dict.get(e, key) for e in entries for key in ("published", "updated")])


def _entries(raw_entries, url: str, feed_language: str | None, feed_author: str | None,
             zone: Zone) -> tuple[list[FeedEntry], int]:
    """The usable entries, and how many were skipped (neither link nor title)."""
    entries: list[FeedEntry] = []
    skipped = 0
    for raw in raw_entries:
        entry = _entry(raw, url, feed_language, feed_author, zone)
        if entry is None:
            skipped += 1
        else:
            entries.append(entry)
    return entries, skipped


def _detail_text(value, detail) -> str:
    if not isinstance(value, str):
        return ""
    return fields.html_field_text(value) if fields.is_html(detail) else fields.plain(value)


def _entry(raw, base: str, feed_language: str | None, feed_author: str | None, zone: Zone) -> FeedEntry | None:
    link, unusable_link = _entry_link(raw, base)
    title = _detail_text(raw.get("title"), raw.get("title_detail"))
    if not link and not title:
        return None
    entry_base = base  # relative URLs in content are relative to the feed document
    summary_html = fields.body(raw.get("summary"), raw.get("summary_detail"), entry_base)
    content_html = ""
    contents = [c for c in raw.get("content") or [] if isinstance(c, Mapping) and isinstance(c.get("value"), str)]
    if contents:
        best = next((c for c in contents if fields.is_html(c)), contents[0])
        content_html = fields.body(best.get("value"), best, entry_base)
    # The entry's own authors; else, for an entry copied from another feed, that feed's (Atom's
    # <source>); else the feed's own, which apply to every entry naming none (RFC 4287 4.2.1).
    author = fields.byline(raw) or fields.byline(raw.get("source"))
    # A date stating no zone is read in the feed's, not taken as UTC; the page's zone (dates.py).
    published, updated, page_zone, date_note = entry_dates(raw, zone)
    return FeedEntry(
        guid=fields.guid(raw.get("id"), link, title, summary_html or content_html),
        link=link,
        title=title,
        author=author or feed_author,
        published_at=published or updated,
        summary_html=summary_html,
        content_html=content_html,
        language=_entry_language(raw) or feed_language,
        updated_at=updated,
        author_is_the_feeds=not author and bool(feed_author),
        unusable_link=unusable_link,
        zone=page_zone,
        date_note=date_note,
    )


def _entry_link(raw, base: str) -> tuple[str | None, str]:
    """The entry's web address, else (None, the link it gave when it gave one that is none)."""
    written = [raw.get("link")] + [c.get("href") for c in raw.get("links") or []
                                   if isinstance(c, Mapping) and c.get("rel", "alternate") == "alternate"]
    written = [value.strip() for value in written if isinstance(value, str) and value.strip()]
    for value in written:
        link = fields.link(value, base)
        if link:
            return link, ""
    return None, written[0][:200] if written else ""


def _entry_language(raw) -> str | None:
    for key in ("content", "summary_detail", "title_detail"):
        detail = raw.get(key)
        if isinstance(detail, list):
            detail = detail[0] if detail else None
        if isinstance(detail, Mapping):
            language = normalize_language(detail.get("language"))
            if language:
                return language
    return None
