"""The seam of the import pipeline: a *source* reads a document into candidate stories.

A ``Document`` is what the importer was handed: the bytes of a fetched URL, or of a file (an upload,
a local file). The registry (registry.py) asks each configured ``ImportSource`` whether it
recognises the document and gives it to the first that does; the source reads it into a
``Listing`` of ``Entry``s, each of which reads into a ``Candidate``: headline, body, byline, dates,
language, addresses, feed entry id. Everything after that is shared (pipeline.py): the language
checked against the site's, the section, dedup, storing, attribution, clusters, the outcome.

A source that reads one story per document implements ``story()``; one that reads many (a feed, a
sitemap) implements ``read()`` and sets ``many``. docs/architecture.md shows a complete example.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.utils.translation import gettext_noop

from babelpress.newsroom.models import Section, Source
from babelpress.newsroom.sanitize import clean_text

from ..messages import Message
from .. import dedup
from ..language import normalize_language
from ..models import Feed
from ..outcomes import ImportFailed  # noqa: F401 - what a source raises for a story it cannot read

if TYPE_CHECKING:  # fetch.py (httpx) is loaded by the first fetch: the admin imports this module
    from ..fetch import FetchResult

#: Kinds of document: fetched from a URL, or a file (an upload, a local file).
WEB, FILE = "web", "file"
#: Longest address stored (the database columns' size).
MAX_URL_LENGTH = 1000


@dataclass
class Document:
    """What the importer was handed: a fetched URL (``fetched``) or a file, as bytes."""

    content: bytes
    url: str = ""  # where it lives: a fetch's final URL; a file's published address when known
    text: str = ""  # decoded with the HTTP charset (a fetch) or given as text; "" otherwise
    content_type: str = ""  # media type sent by the server, lower case; "" for a file
    requested_url: str = ""  # the URL asked for, before redirects
    filename: str = ""
    file_url: str = ""  # a local file's file:// address (what links in it are relative to)
    warnings: list[str] = field(default_factory=list)  # the fetch's, for the editor
    fetched: FetchResult | None = None

    @classmethod
    def from_fetch(cls, result: FetchResult, requested_url: str | None = None) -> Document:
        return cls(content=result.content, url=result.url, text=result.text, content_type=result.content_type,
                   requested_url=requested_url or "", warnings=list(result.warnings), fetched=result)

    @classmethod
    def from_file(cls, content: str | bytes, *, filename: str = "", url: str = "", file_url: str = "") -> Document:
        if isinstance(content, str):
            return cls(content=content.encode("utf-8", "surrogatepass"), text=content, filename=filename, url=url,
                       file_url=file_url)
        return cls(content=bytes(content), filename=filename, url=url, file_url=file_url)

    @property
    def kind(self) -> str:
        return WEB if self.fetched is not None else FILE

    @property
    def shown(self) -> str:
        """How messages name it: the file's name, else its address."""
        return self.filename or self.url or "the file"

    @property
    def address(self) -> str:
        """What links inside it are relative to."""
        return self.url or self.file_url


@dataclass
class Defaults:
    """What the importer was asked: where a new article goes and whom it credits (resolved before
    the network is touched), and how to fetch."""

    section: Section | None = None
    language: str | None = None
    source: Source | None = None
    feed: Feed | None = None
    trusted: bool = False
    user: object = None
    respect_robots: bool = True

    @classmethod
    def of(cls, section=None, language=None, source=None, feed=None, trusted=False, user=None,
           respect_robots=True) -> Defaults:
        language = normalize_language(language) if language else None
        return cls(section=section, language=language, source=source, feed=feed, trusted=trusted, user=user,
                   respect_robots=respect_robots)

    @property
    def explicit_language(self) -> str | None:
        """The language chosen for the stories: the importer's choice, else the followed feed's."""
        chosen = self.language or (self.feed.language if self.feed is not None and self.feed.language else None)
        return normalize_language(chosen) if chosen else None


@dataclass
class Candidate:
    """One story, read and cleaned, not yet written."""

    headline: str
    body_html: str  # any HTML: the newsroom's sanitiser keeps what its body format allows
    text: str  # the body's prose as plain text (dedup and language detection read it)
    origin: str  # ImportedItem.Origin: where the text came from ("page", "feed", "file")
    standfirst: str = ""
    author: str | None = None  # a byline: bylines.clean_byline makes one ("Jane Doe, John Roe": author, co-authors)
    published_at: datetime | None = None  # aware
    language: str | None = None  # declared or detected; None fails the import with a fix
    language_declared: bool = False
    original_url: str = ""
    canonical_url: str = ""
    other_urls: list[str] = field(default_factory=list)  # requested URL before redirects, feed link
    sitename: str = ""  # credited as the source when none is chosen
    lead_image_url: str = ""
    guid: str = ""  # the feed entry id
    warnings: list[str] = field(default_factory=list)  # for the editor, in plain words


@dataclass
class Entry:
    """One story of a document, not read yet: the pipeline reads it (``read()``) only when it is
    new or changed. ``guid`` and ``fingerprint`` (a hash of what the document says about the
    entry) let a followed feed skip what it has seen; ``shown`` (else ``guid``) names it in reports."""

    read: Callable[[], Candidate]
    guid: str = ""
    fingerprint: str | None = None
    shown: str = ""


@dataclass
class Listing:
    """What a source found in a document: its stories, its title, warnings about the whole."""

    entries: list[Entry]
    title: str = ""
    warnings: list[str] = field(default_factory=list)


class ImportSource:
    """One kind of document the importer reads. Created once per process as
    ``CLASS(name=NAME, **OPTIONS)`` from BABELPRESS_IMPORT_SOURCES."""

    #: What the document is, in messages: "a feed (RSS, Atom or JSON Feed)".
    label = gettext_noop("a document")
    #: What it reads: WEB (a fetched URL), FILE (an upload or a local file), or both.
    reads = frozenset({WEB, FILE})
    #: The Accept header when a URL is fetched for this source alone.
    accept = "*/*"
    #: Media types it asks for when a URL is fetched before its kind is known (the command line).
    media_types: tuple[str, ...] = ()
    #: File name endings and media types the admin's upload field offers for it.
    file_types: tuple[str, ...] = ()
    #: Reads whatever no other source recognises (asked last).
    catch_all = False
    #: A document holds many stories (a feed): "Import a story" refuses it with ``not_one_story``.
    many = False
    #: The worker can follow its documents (a Feed row whose address it reads is polled).
    followable = False

    def __init__(self, name: str = ""):
        self.name = name

    def recognises(self, document: Document) -> bool:
        """Whether ``document`` is one of this source's (read its first bytes, not the whole)."""
        raise NotImplementedError

    def story(self, document: Document, defaults: Defaults) -> Candidate:
        """The one story of ``document``; raise ImportFailed with a reason that says what to do."""
        raise NotImplementedError

    def read(self, document: Document, defaults: Defaults) -> Listing:
        """The stories of ``document``: by default the one ``story()`` reads, when the pipeline asks."""
        return Listing([Entry(read=lambda: self.story(document, defaults), shown=document.shown)])

    def not_one_story(self, document: Document) -> Message:
        """Why "Import a story" does not take ``document`` (for sources that read many)."""
        return Message(gettext_noop("%(address)s is %(kind)s, with several stories: import it with `babelpress "
                                    "import`."), address=document.shown, kind=Message(self.label))

    def fetch(self, url: str, defaults: Defaults, *, accept: str | None = None) -> Document:
        """``url`` fetched like every import: SSRF guard, budget, size limit, robots.txt as asked."""
        return fetch_document(url, accept=accept or self.accept, respect_robots=defaults.respect_robots)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"


def fetch_document(url: str, *, accept: str, respect_robots: bool = True, etag: str | None = None,
                   last_modified: str | None = None) -> Document:
    """Fetch ``url`` under the importer's settings (fetch.py). Raises FetchError."""
    from ..fetch import fetch

    result = fetch(url, etag=etag, last_modified=last_modified, respect_robots=respect_robots, accept=accept)
    return Document.from_fetch(result, requested_url=url)


# --- Helpers for writing candidates --------------------------------------------------------------


def first_words(text: str, limit: int = 120) -> str:
    """A stand-in headline: the first line of ``text``, cut at a word."""
    first = (text or "").strip().split("\n", 1)[0]
    return first if len(first) <= limit else first[:limit].rsplit(" ", 1)[0] + "…"


def standfirst(description: str | None, headline: str, text: str) -> str:
    """A description as standfirst, unless it merely repeats the headline or the lead."""
    description = clean_text(description or "")
    if not description or dedup.words(description) == dedup.words(headline) or _starts_with(text, description):
        return ""
    return description


def _starts_with(text: str, prefix: str) -> bool:
    prefix_words = dedup.words(prefix.rstrip("…. "))
    return bool(prefix_words) and dedup.words(text)[: len(prefix_words)] == prefix_words


def checked_url(url: str, what: str) -> str:
    """``url`` as stored; ImportFailed when it is longer than the database holds (``what`` is a msgid:
    "address", marked with gettext_noop)."""
    if url and len(url) > MAX_URL_LENGTH:
        raise ImportFailed(Message(gettext_noop("The %(what)s is longer than %(count)s characters; Babelpress cannot "
                                                "store it."), what=Message(what), count=MAX_URL_LENGTH))
    return url or ""


def site_root(url: str) -> bool:
    """Whether ``url`` is a site's home page (or unreadable)."""
    try:
        return urlsplit(url).path in ("", "/")
    except ValueError:
        return True
