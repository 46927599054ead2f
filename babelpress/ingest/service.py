"""Turn article URLs, HTML files and feeds into attributed drafts.

The network and the parsing happen first, outside any transaction; then each story is written in
one transaction of its own (article, import record, seen-entry record, same-story cluster), so a
failure or a crash leaves either the whole story or nothing. Dedup runs inside that transaction:

1. the same feed entry (feed + entry id) seen before          -> update path
2. the same original or canonical URL                         -> update path
3. the same text (content hash of headline + body)            -> "duplicate", nothing written
4. a near-duplicate (MinHash of word 5-shingles, >= 0.8)       -> created, in its same-story cluster

Update path: when the article still holds exactly what was last imported (no editor touched it)
and is not a published story from an untrusted source, it is updated in place; otherwise the newer
version is kept aside (``ImportedItem.pending_update``) for an editor to compare and apply.

Every failure is an ``ImportOutcome`` with status "failed" and a reason that says what to do.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html

from babelpress.html_text import html_to_text
from babelpress.newsroom.models import Article, Author, Section, Source
from babelpress.newsroom.sanitize import clean_body, clean_text

from . import clusters, conf, dedup
from .extract import ExtractionError, extract_article
from .language import detect_language, normalize_language
from .feeds import FeedEntry, FeedError, parse_feed
from .fetch import FEED_ACCEPT, HTML_ACCEPT, FetchError, FetchResult, HTTPStatusError, decode_bytes, fetch
from .models import Feed, ImportedItem, SeenEntry, guid_digest

log = logging.getLogger("babelpress.ingest")

NEW, UPDATED, PENDING, DUPLICATE, UNCHANGED, FAILED = (
    "new", "updated", "pending_update", "duplicate", "unchanged", "failed")
STATUSES = (NEW, UPDATED, PENDING, DUPLICATE, UNCHANGED, FAILED)

#: Entries read from one feed document (a feed with thousands is cut here, with a warning).
MAX_FEED_ENTRIES = 500
#: A feed entry that failed this many polls in a row is not fetched again until it changes.
MAX_ENTRY_ATTEMPTS = 3
#: Feed text shorter than this is not an article: the entry is refused rather than imported.
MIN_FEED_TEXT_CHARS = 40
MAX_URL_LENGTH = 1000
DETECTED_PREFIX = "language detected, not declared"

FEED_MEDIA_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml",
    "application/x-rss+xml", "application/x-atom+xml", "application/rss", "text/rss+xml",
})
_FEED_ROOT = re.compile(r"<(?:rss|feed|rdf:rdf|channel)[\s>]", re.IGNORECASE)
_HTML_ROOT = re.compile(r"<(?:!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)


class ImportFailed(Exception):
    """Raised inside the importer for a story that cannot be imported; ``str()`` is the reason."""


@dataclass
class ImportOutcome:
    status: str
    article: Article | None = None
    item: ImportedItem | None = None
    reason: str = ""
    warnings: list[str] = field(default_factory=list)
    url: str = ""
    near_duplicate: tuple[Article, float] | None = None  # (closest earlier import's article, similarity)
    same_story_count: int = 0  # other imports in its same-story cluster

    @property
    def ok(self) -> bool:
        return self.status != FAILED


@dataclass
class FeedReport:
    url: str
    title: str = ""
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    failed: list[tuple[str, str]] = field(default_factory=list)  # (link or title, reason)
    outcomes: list[ImportOutcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str = ""  # the feed itself could not be fetched or read
    retry_after: str | None = None
    not_modified: bool = False
    entries: int = 0
    remaining: int = 0  # entries left for the next run (per-run limit)
    etag: str | None = None
    last_modified: str | None = None
    moved_to: str | None = None  # permanent redirect: the feed's new address

    @property
    def new(self) -> int:
        return self.counts[NEW]

    @property
    def updated(self) -> int:
        return self.counts[UPDATED]

    @property
    def duplicate(self) -> int:
        return self.counts[DUPLICATE]

    def add(self, outcome: ImportOutcome) -> None:
        self.counts[outcome.status] += 1
        self.outcomes.append(outcome)
        if outcome.status == FAILED:
            self.failed.append((outcome.url, outcome.reason))

    @property
    def everything_failed(self) -> bool:
        """The feed could not be read, or every entry tried failed."""
        if self.error:
            return True
        return bool(self.counts[FAILED]) and not any(self.counts[s] for s in STATUSES if s != FAILED)

    def summary(self) -> str:
        if self.error:
            return f"failed: {self.error}"
        if self.not_modified:
            return "not modified since the last poll"
        text = counts_line(self.counts)
        if self.remaining:
            text += f"; {self.remaining} more entries left for the next run"
        return text

    def as_dict(self) -> dict:
        return {
            "counts": dict(self.counts), "failed": [list(f) for f in self.failed[:20]],
            "warnings": self.warnings[:20], "error": self.error, "not_modified": self.not_modified,
            "entries": self.entries, "remaining": self.remaining,
        }


def counts_line(counts: dict) -> str:
    """'2 new, 0 updated, 1 duplicate, 0 failed', then pending updates and unchanged when any."""
    line = ", ".join(f"{counts.get(s, 0)} {s}" for s in (NEW, UPDATED, DUPLICATE, FAILED))
    return line + "".join(f", {counts[s]} {s.replace('_', ' ')}" for s in (PENDING, UNCHANGED) if counts.get(s))


@dataclass
class Candidate:
    """One story, read and cleaned, not yet written."""

    headline: str
    body_html: str
    text: str
    origin: str
    standfirst: str = ""
    author: str | None = None
    published_at: datetime | None = None
    language: str | None = None
    language_declared: bool = False
    original_url: str = ""
    canonical_url: str = ""
    other_urls: list[str] = field(default_factory=list)  # requested URL before redirects
    sitename: str = ""
    lead_image_url: str = ""
    guid: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass
class Defaults:
    """Where a new article goes and whom it credits; resolved before the network is touched."""

    section: Section | None = None
    language: str | None = None
    source: Source | None = None
    feed: Feed | None = None
    trusted: bool = False
    user: object = None
    respect_robots: bool = True


# --- Helpers -------------------------------------------------------------------------------------


def looks_like_feed(content: bytes, content_type: str = "") -> bool:
    """Whether fetched bytes are a feed (by media type, else by their first element)."""
    content_type = (content_type or "").split(";", 1)[0].strip().lower()
    if content_type in FEED_MEDIA_TYPES:
        return True
    if content_type in ("text/html", "application/xhtml+xml"):
        return False
    head, _ = decode_bytes(content[:4096], content_type or None)
    head = head.lstrip("\ufeff \t\r\n")
    if head.startswith("{"):
        return "jsonfeed.org" in head or content_type == "application/feed+json"
    return bool(_FEED_ROOT.search(head[:3000])) and not _HTML_ROOT.search(head[:3000])


def _first_words(text: str, limit: int = 120) -> str:
    first = (text or "").strip().split("\n", 1)[0]
    return first if len(first) <= limit else first[:limit].rsplit(" ", 1)[0] + "…"


def _starts_with(text: str, prefix: str) -> bool:
    prefix_words = dedup.words(prefix.rstrip("…. "))
    return bool(prefix_words) and dedup.words(text)[: len(prefix_words)] == prefix_words


def _standfirst(description: str | None, headline: str, text: str) -> str:
    """The page's description as standfirst, unless it merely repeats the headline or the lead."""
    description = clean_text(description or "")
    if not description or dedup.words(description) == dedup.words(headline) or _starts_with(text, description):
        return ""
    return description


def entry_fingerprint(entry: FeedEntry) -> str:
    parts = [entry.link or "", entry.title, str(entry.published_at or ""), str(entry.updated_at or ""),
             entry.summary_html, entry.content_html]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _site_root(url: str) -> bool:
    try:
        return urlsplit(url).path in ("", "/")
    except ValueError:
        return True


def _check_url(url: str, what: str) -> str:
    if url and len(url) > MAX_URL_LENGTH:
        raise ImportFailed(f"The {what} is longer than {MAX_URL_LENGTH} characters; Babelpress cannot store it.")
    return url or ""


def _resolve_language(candidate: Candidate, explicit: str | None) -> None:
    allowed = conf.content_languages()
    if explicit:
        candidate.language, candidate.language_declared = explicit, True
    if not candidate.language:
        raise ImportFailed(
            "The language of this story could not be determined (none declared, text too short to detect): "
            f"choose it when importing (one of {', '.join(allowed)}), or set the feed's language."
        )
    if candidate.language not in allowed:
        raise ImportFailed(
            f"language {candidate.language!r} is not one of this site's languages ({', '.join(allowed)}). "
            "Translate it elsewhere first, or, if the page is mislabelled, import it again choosing its language."
        )


def _default_section(defaults: Defaults) -> Section:
    section = defaults.section or (defaults.feed.section if defaults.feed and defaults.feed.section_id else None)
    section = section or Section.objects.order_by("position", "key").first()
    if section is None:
        raise ImportFailed("There is no section to put the story in: create one first (admin → Sections).")
    return section


def _source_for(candidate: Candidate, defaults: Defaults) -> Source | None:
    if defaults.source is not None:
        return defaults.source
    if defaults.feed is not None and defaults.feed.source_id:
        return defaults.feed.source
    url = candidate.canonical_url or candidate.original_url
    host = ""
    if url:
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").removeprefix("www.")
        except ValueError:
            host = ""
    if candidate.sitename:
        found = Source.objects.filter(name__iexact=candidate.sitename[:200]).first()
        if found:
            return found
    if host:
        for source in Source.objects.exclude(url=""):
            try:
                if (urlsplit(source.url).hostname or "").removeprefix("www.") == host:
                    return source
            except ValueError:
                continue
    name = (candidate.sitename or host)[:200]
    if not name:
        return None
    source, _ = Source.objects.get_or_create(
        name=name, defaults={"url": f"{urlsplit(url).scheme}://{urlsplit(url).netloc}/" if host else ""})
    return source


def _author_for(byline: str | None, source: Source | None) -> Author | None:
    name = clean_text(byline or "")[:200]
    if not name:
        return None
    author = Author.objects.filter(name=name, source=source).first()
    return author or Author.objects.create(name=name, source=source)


# --- Reading a story -----------------------------------------------------------------------------


def _fetch(url: str, *, accept: str, respect_robots: bool, etag=None, last_modified=None) -> FetchResult:
    return fetch(url, etag=etag, last_modified=last_modified, max_bytes=conf.max_bytes(), timeout=conf.timeout(),
                 total_timeout=conf.fetch_budget(), respect_robots=respect_robots, accept=accept,
                 user_agent=conf.user_agent())


def fetch_any(url: str, *, respect_robots: bool = True) -> FetchResult:
    """Fetch a page or a feed (the CLI decides which from what comes back). Raises FetchError."""
    return _fetch(url, accept=HTML_ACCEPT + ",application/rss+xml;q=0.9,application/atom+xml;q=0.9",
                  respect_robots=respect_robots)


def _from_extracted(ex, *, url: str | None, origin: str, requested: str | None = None,
                    entry: FeedEntry | None = None) -> Candidate:
    warnings = list(ex.warnings)
    headline = ex.headline or (entry.title if entry else "")
    if not headline:
        headline = _first_words(ex.text)
        warnings.append("no headline found: the first words of the text were used; write a real one")
    canonical = ex.canonical_url or ""
    if canonical and _site_root(canonical):
        canonical = ""  # a canonical pointing at the home page would merge every story of the site
    declared = not any(w.startswith(DETECTED_PREFIX) for w in ex.warnings)
    body_html = ex.body_html
    if ex.lead_image_url and len(ex.lead_image_url) <= MAX_URL_LENGTH and "<img" not in body_html:
        # The page's lead image (og:image …) heads the draft: the site's Open Graph image and JSON-LD
        # take the first image of the body, and editors see what the partner illustrated it with.
        body_html = format_html('<figure><img src="{}" alt="{}"></figure>', ex.lead_image_url,
                                ex.lead_image_alt or "") + body_html
    return Candidate(
        headline=headline[:300], body_html=body_html, text=ex.text, origin=origin,
        standfirst=_standfirst(ex.description, headline, ex.text),
        author=ex.author or (entry.author if entry else None),
        published_at=ex.published_at or (entry.published_at if entry else None),
        language=ex.language, language_declared=bool(ex.language) and declared,
        original_url=_check_url(url or canonical, "address"), canonical_url=_check_url(canonical, "canonical address"),
        other_urls=[u for u in (requested,) if u and u != url and len(u) <= MAX_URL_LENGTH],
        sitename=ex.sitename or "", lead_image_url=(ex.lead_image_url or "")[:MAX_URL_LENGTH]
        if ex.lead_image_url and len(ex.lead_image_url) <= MAX_URL_LENGTH else "",
        warnings=warnings,
    )


def _from_entry(entry: FeedEntry, page_problem: str | None, explicit_language: str | None) -> Candidate:
    """The story from the feed's own text, when its page could not be used."""
    body = entry.content_html or entry.summary_html
    text = html_to_text(body, paragraphs=True)
    if len(text) < MIN_FEED_TEXT_CHARS:
        if page_problem:
            raise ImportFailed(f"{page_problem} The feed entry has too little text to import instead.")
        raise ImportFailed("The entry has no link and too little text to make an article of.")
    warnings = []
    if page_problem:
        warnings.append(f"the text comes from the feed, not the page: {page_problem}")
    headline = entry.title
    if not headline:
        headline = _first_words(text)
        warnings.append("the entry has no title: the first words of the text were used; write a real one")
    standfirst = ""
    if entry.content_html and entry.summary_html:
        standfirst = _standfirst(html_to_text(entry.summary_html), headline, text)
    language, declared = (explicit_language, True) if explicit_language else (entry.language, bool(entry.language))
    if not language:
        detected, confidence = detect_language(text)
        if detected and confidence >= 0.6:
            language = detected
            warnings.append(f"{DETECTED_PREFIX}: {detected} ({confidence:.0%} confidence)")
    if not entry.author:
        warnings.append("no author found")
    if len(text) < 400:
        warnings.append(f"body very short ({len(text)} characters): the feed may carry only a summary")
    return Candidate(
        headline=headline[:300], body_html=body, text=text, origin=ImportedItem.Origin.FEED, standfirst=standfirst,
        author=entry.author, published_at=entry.published_at, language=normalize_language(language) or language,
        language_declared=declared, original_url=_check_url(entry.link or "", "entry link"),
        guid=entry.guid, warnings=warnings,
    )


# --- Writing a story -----------------------------------------------------------------------------


# The unique index on original_url is partial (files have none): spelling out its condition lets
# the database use it, where a bare ``original_url IN (…) OR …`` read every import (SQLite).
_HAS_URL = ~Q(original_url="")


def _find_existing(candidate: Candidate, feed: Feed | None) -> ImportedItem | None:
    if feed is not None and candidate.guid:
        seen = SeenEntry.objects.select_for_update().filter(
            feed=feed, guid_hash=guid_digest(candidate.guid), item__isnull=False).first()
        if seen is not None:
            return ImportedItem.objects.select_for_update().get(pk=seen.item_id)
    urls = {u for u in (candidate.original_url, *candidate.other_urls) if u}
    if urls:
        found = ImportedItem.objects.select_for_update().filter(
            (Q(original_url__in=urls) & _HAS_URL) | Q(canonical_url__in=urls)).order_by("pk").first()
        if found is not None:
            return found
    if not candidate.canonical_url:
        return None
    found = ImportedItem.objects.select_for_update().filter(
        (Q(original_url=candidate.canonical_url) & _HAS_URL) | Q(canonical_url=candidate.canonical_url)
    ).order_by("pk").first()
    if found is not None and not _plausibly_same(found, candidate):
        # Some sites give every page the same canonical URL (a section page, say): a match on it
        # alone must not turn a different story into an "update" of the first one.
        candidate.warnings.append(
            f"the page names {candidate.canonical_url} as its canonical address, like another imported "
            "story with a different text: imported separately")
        return None
    return found


def _plausibly_same(item: ImportedItem, candidate: Candidate) -> bool:
    if dedup.words(item.imported_headline) == dedup.words(candidate.headline):
        return True
    new = dedup.signature(candidate.text)
    if item.minhash is None or new is None:
        return False
    return dedup.similarity(bytes(item.minhash), new) >= 0.3


def _remember_entry(feed: Feed | None, candidate_guid: str, fingerprint: str | None, outcome: ImportOutcome) -> None:
    if feed is None or not candidate_guid or fingerprint is None:
        return
    seen, created = SeenEntry.objects.get_or_create(
        feed=feed, guid_hash=guid_digest(candidate_guid),
        defaults={"guid": candidate_guid, "fingerprint": fingerprint, "outcome": outcome.status},
    )
    seen.fingerprint, seen.outcome, seen.reason = fingerprint, outcome.status, outcome.reason[:2000]
    if outcome.item is not None:
        seen.item = outcome.item
    seen.attempts = seen.attempts + 1 if outcome.status == FAILED else 0
    seen.save()


def _record_failure(feed: Feed | None, guid: str, fingerprint: str | None, outcome: ImportOutcome) -> None:
    if feed is None or not guid:
        return
    with transaction.atomic():
        _remember_entry(feed, guid, fingerprint, outcome)


def _store(candidate: Candidate, defaults: Defaults, *, index: dedup.SimilarityIndex,
           fingerprint: str | None = None) -> ImportOutcome:
    """Write one story (or update, or recognise it) in a transaction of its own."""
    feed = defaults.feed
    chash = dedup.content_hash(candidate.headline, candidate.text)
    sig = dedup.signature(candidate.text)
    near = index.query(sig)
    try:
        with transaction.atomic():
            existing = _find_existing(candidate, feed)
            if existing is not None:
                outcome = _update(existing, candidate, chash, sig, trusted=defaults.trusted)
            else:
                twin = ImportedItem.objects.filter(content_hash=chash).select_related("article").first()
                if twin is not None:
                    where = twin.original_url or "an HTML file"
                    outcome = ImportOutcome(DUPLICATE, twin.article, twin,
                                            f"the same text was already imported from {where}")
                else:
                    outcome = _create(candidate, defaults, chash, sig, near, index)
            outcome.url = outcome.url or candidate.original_url or candidate.headline
            _remember_entry(feed, candidate.guid, fingerprint, outcome)
    except IntegrityError:
        # Another worker wrote the same story (same URL or text) between our check and our write:
        # this transaction is rolled back whole and the story counts as a duplicate.
        log.info("import of %s lost a race; counted as duplicate", candidate.original_url)
        twin = ImportedItem.objects.filter(
            Q(content_hash=chash) | Q(original_url=candidate.original_url or "\x00")).select_related("article").first()
        return ImportOutcome(DUPLICATE, twin.article if twin else None, twin,
                             "imported at the same moment by another worker", url=candidate.original_url)
    outcome.warnings = outcome.warnings or candidate.warnings
    return outcome


def _create(candidate: Candidate, defaults: Defaults, chash: str, sig: bytes | None, near: list[dedup.Match],
            index: dedup.SimilarityIndex) -> ImportOutcome:
    section = _default_section(defaults)
    source = _source_for(candidate, defaults)
    warnings = list(candidate.warnings)
    if source is None:
        warnings.append("no source found to credit: set the source before publishing")
    status = Article.Status.PUBLISHED if defaults.trusted else Article.Status.REVIEW
    article = Article(
        language=candidate.language, headline=candidate.headline, standfirst=candidate.standfirst,
        body=candidate.body_html, section=section, author=_author_for(candidate.author, source), source=source,
        original_url=candidate.original_url or candidate.canonical_url, status=status,
    )
    article.save()
    try:
        cluster, best = clusters.cluster_for(near)
    except clusters.Busy as exc:
        raise ImportFailed(str(exc)) from None  # the transaction rolls back: nothing half-written
    # Not a stored warning: the import record shows it in the reader's language (same_story_html).
    near_duplicate = (Article.objects.get(import_record__pk=best.item_id), best.similarity) if best else None
    item = ImportedItem.objects.create(
        article=article, feed=defaults.feed, guid=candidate.guid[:2000], origin=candidate.origin,
        original_url=candidate.original_url, canonical_url=candidate.canonical_url, content_hash=chash,
        retrieved_at=timezone.now(), original_published_at=candidate.published_at,
        detected_language=candidate.language, language_declared=candidate.language_declared,
        sitename=candidate.sitename[:300], lead_image_url=candidate.lead_image_url, warnings=warnings,
        minhash=sig, cluster=cluster, near_duplicate_of_id=best.item_id if best else None,
        near_duplicate_similarity=best.similarity if best else None,
        imported_headline=article.headline, imported_standfirst=article.standfirst,
        imported_body=article.body, imported_by=defaults.user if getattr(defaults.user, "pk", None) else None,
    )
    index.add(item.pk, sig)
    return ImportOutcome(NEW, article, item, warnings=warnings, near_duplicate=near_duplicate,
                         same_story_count=cluster.size - 1)


def _same(current: str, imported: str) -> bool:
    # A browser posts a textarea with CRLF line ends: an editor's save without changes is no edit.
    def norm(value):
        return (value or "").replace("\r\n", "\n").strip()

    return norm(current) == norm(imported)


def _update(item: ImportedItem, candidate: Candidate, chash: str, sig: bytes | None, *, trusted: bool) -> ImportOutcome:
    article = Article.objects.select_for_update().get(pk=item.article_id)
    if chash == item.content_hash:
        return ImportOutcome(UNCHANGED, article, item, "no change since the last import")
    edited = not (_same(article.headline, item.imported_headline) and _same(article.standfirst, item.imported_standfirst)
                  and _same(article.body, item.imported_body))
    if edited or (article.status == Article.Status.PUBLISHED and not trusted):
        if item.pending_update and item.pending_update.get("content_hash") == chash:
            return ImportOutcome(UNCHANGED, article, item, "this newer version is already waiting for an editor")
        item.pending_update = {
            "headline": clean_text(candidate.headline), "standfirst": candidate.standfirst,
            "body": clean_body(candidate.body_html), "content_hash": chash,
            "minhash": sig.hex() if sig else None, "retrieved_at": timezone.now().isoformat(),
            "url": candidate.original_url, "warnings": candidate.warnings,
        }
        item.save(update_fields=["pending_update", "updated_at"])
        why = ("an editor changed the article since it was imported" if edited
               else "the article is already published and its source is not trusted")
        return ImportOutcome(PENDING, article, item,
                             f"a newer version was found but {why}: it waits on the import record as a diff")
    version = article.version
    article.headline, article.standfirst, article.body = candidate.headline, candidate.standfirst, candidate.body_html
    article.save_if_current(version)
    _mark_imported(item, article, chash, sig)
    item.warnings, item.canonical_url = candidate.warnings, candidate.canonical_url or item.canonical_url
    item.save()
    return ImportOutcome(UPDATED, article, item, "updated in place (no editor had changed it)")


def _mark_imported(item: ImportedItem, article: Article, chash: str, sig: bytes | None) -> None:
    if sig != (bytes(item.minhash) if item.minhash is not None else None):
        dedup.SimilarityIndex().add(item.pk, sig, replace=True)  # later look-ups find the text it now holds
    item.imported_headline, item.imported_standfirst, item.imported_body = article.headline, article.standfirst, article.body
    item.content_hash, item.minhash, item.retrieved_at, item.pending_update = chash, sig, timezone.now(), None


def apply_pending_update(item: ImportedItem, *, expected_version: int | None = None) -> Article:
    """An editor chose the newer imported version: it replaces the article's text (one transaction).

    ``expected_version`` is the article version the editor saw the diff against; a save since then
    raises StaleEdit rather than being overwritten unseen.
    """
    with transaction.atomic():
        item = ImportedItem.objects.select_for_update().get(pk=item.pk)
        pending = item.pending_update
        if not pending:
            raise ImportFailed("There is no newer version waiting for this article.")
        article = Article.objects.select_for_update().get(pk=item.article_id)
        version = article.version if expected_version is None else expected_version
        article.headline, article.standfirst, article.body = pending["headline"], pending["standfirst"], pending["body"]
        article.save_if_current(version)
        sig = bytes.fromhex(pending["minhash"]) if pending.get("minhash") else None
        _mark_imported(item, article, pending["content_hash"], sig)
        item.save()
    return article


def discard_pending_update(item: ImportedItem) -> None:
    ImportedItem.objects.filter(pk=item.pk).update(pending_update=None, updated_at=timezone.now())


# --- Public entry points -------------------------------------------------------------------------


def _failed(url: str, reason: str, warnings=None) -> ImportOutcome:
    return ImportOutcome(FAILED, reason=reason, url=url, warnings=list(warnings or []))


def _defaults(section, language, source, feed, trusted, user, respect_robots=True) -> Defaults:
    language = normalize_language(language) if language else None
    return Defaults(section=section, language=language, source=source, feed=feed, trusted=trusted, user=user,
                    respect_robots=respect_robots)


def import_url(url: str, *, section: Section | None = None, language: str | None = None, source: Source | None = None,
               feed: Feed | None = None, trusted: bool = False, user=None, respect_robots: bool = True,
               index: dedup.SimilarityIndex | None = None) -> ImportOutcome:
    """Fetch one article page and make it a draft (in review) or, when ``trusted``, a published story."""
    defaults = _defaults(section, language, source, feed, trusted, user, respect_robots)
    try:
        result = _fetch(url, accept=HTML_ACCEPT, respect_robots=respect_robots)
    except FetchError as exc:
        return _failed(url, exc.message)
    return import_fetched(result, requested_url=url, defaults=defaults, index=index)


def import_fetched(result: FetchResult, *, requested_url: str | None = None, defaults: Defaults | None = None,
                   index: dedup.SimilarityIndex | None = None, **options) -> ImportOutcome:
    """Import a page already fetched (``fetch_any``); options as for import_url."""
    if defaults is None:
        defaults = _defaults(options.get("section"), options.get("language"), options.get("source"),
                             options.get("feed"), options.get("trusted", False), options.get("user"))
    url = result.url
    if looks_like_feed(result.content, result.content_type):
        return _failed(url, f"{url} is a feed (RSS, Atom or JSON Feed), not an article page. Follow it as a "
                            "feed (admin → Import → Feeds), or import all its entries with `babelpress import URL`.")
    try:
        extracted = extract_article(result.text or result.content, url, declared_language=defaults.language)
        candidate = _from_extracted(extracted, url=url, origin=ImportedItem.Origin.PAGE, requested=requested_url)
        candidate.warnings = list(result.warnings) + candidate.warnings
        _resolve_language(candidate, defaults.language)
        _default_section(defaults)
        return _store(candidate, defaults, index=index or dedup.SimilarityIndex())
    except ExtractionError as exc:
        return _failed(url, f"{url}: {exc}")
    except ImportFailed as exc:
        return _failed(url, str(exc))


def import_html(content: str | bytes, *, url: str | None = None, filename: str | None = None,
                section: Section | None = None, language: str | None = None, source: Source | None = None,
                trusted: bool = False, user=None, index: dedup.SimilarityIndex | None = None) -> ImportOutcome:
    """Import an uploaded or local HTML file. ``url``: where the page lives, if known (for links
    and provenance); without it the page's own canonical URL is used."""
    defaults = _defaults(section, language, source, None, trusted, user)
    shown = filename or url or "the file"
    if isinstance(content, (bytes, bytearray)) and len(content) > conf.max_bytes():
        return _failed(shown, f"{shown} is larger than the {conf.max_bytes():,} bytes allowed "
                              "(BABELPRESS_IMPORT_MAX_BYTES).")
    raw = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    if raw.strip() and looks_like_feed(raw):
        return _failed(shown, f"{shown} is a feed, not an article page: import it with `babelpress import FILE`, "
                              "or follow the feed's address in the admin.")
    try:
        extracted = extract_article(content, url, declared_language=defaults.language)
        candidate = _from_extracted(extracted, url=url or extracted.canonical_url, origin=ImportedItem.Origin.FILE)
        if not url and not candidate.original_url:
            candidate.warnings.append("the file does not say where it was published: add the original link")
        _resolve_language(candidate, defaults.language)
        _default_section(defaults)
        return _store(candidate, defaults, index=index or dedup.SimilarityIndex())
    except ExtractionError as exc:
        return _failed(shown, f"{shown}: {exc}")
    except ImportFailed as exc:
        return _failed(shown, str(exc))


def import_entry(entry: FeedEntry, defaults: Defaults, *, index: dedup.SimilarityIndex,
                 fingerprint: str | None = None) -> ImportOutcome:
    """One feed entry: its page when it can be read, else the text the feed itself carries."""
    shown = entry.link or entry.title or entry.guid
    page_problem = None
    candidate = None
    explicit = defaults.language or (defaults.feed.language if defaults.feed and defaults.feed.language else None)
    explicit = normalize_language(explicit) if explicit else None
    if entry.link:
        try:
            result = _fetch(entry.link, accept=HTML_ACCEPT, respect_robots=defaults.respect_robots)
            if looks_like_feed(result.content, result.content_type):
                raise ImportFailed(f"{result.url} is a feed, not an article page.")
            extracted = extract_article(result.text or result.content, result.url, declared_language=explicit)
            candidate = _from_extracted(extracted, url=result.url, origin=ImportedItem.Origin.PAGE,
                                        requested=entry.link, entry=entry)
            candidate.warnings = list(result.warnings) + candidate.warnings
        except FetchError as exc:
            page_problem = exc.message
        except (ExtractionError, ImportFailed) as exc:
            page_problem = f"{entry.link}: {exc}"
    try:
        if candidate is None:
            candidate = _from_entry(entry, page_problem, explicit)
        candidate.guid = entry.guid
        if entry.link and entry.link not in (candidate.original_url, *candidate.other_urls):
            candidate.other_urls.append(entry.link)
        _resolve_language(candidate, explicit)
        _default_section(defaults)
        return _store(candidate, defaults, index=index, fingerprint=fingerprint)
    except ImportFailed as exc:
        outcome = _failed(shown, str(exc))
    _record_failure(defaults.feed, entry.guid, fingerprint, outcome)
    return outcome


Progress = Callable[[int, int, ImportOutcome], None]


def import_feed(feed: Feed, *, progress: Progress | None = None, limit: int | None = None,
                index: dedup.SimilarityIndex | None = None) -> FeedReport:
    """Fetch ``feed`` (conditionally, with its stored validators) and import its new entries.

    Does not change the Feed row itself: ``polling.record_poll`` does, once the report is complete,
    so validators are stored only after every entry was dealt with.
    """
    report = FeedReport(url=feed.url)
    try:
        result = _fetch(feed.url, accept=FEED_ACCEPT, respect_robots=feed.respect_robots,
                        etag=feed.etag or None, last_modified=feed.last_modified or None)
    except HTTPStatusError as exc:
        report.error, report.retry_after = exc.message, exc.retry_after
        return report
    except FetchError as exc:
        report.error = exc.message
        return report
    report.etag, report.last_modified = result.etag, result.last_modified
    if result.redirects and result.redirects[0][0] in (301, 308):
        report.moved_to = result.url
    if result.not_modified:
        report.not_modified = True
        return report
    defaults = _defaults(None, None, None, feed, feed.trusted, None, feed.respect_robots)
    return import_feed_document(result.content, result.url, content_type=result.headers.get("content-type"),
                                defaults=defaults, report=report, progress=progress, limit=limit, index=index)


def import_feed_document(content: bytes, url: str, *, content_type: str | None = None, defaults: Defaults | None = None,
                         report: FeedReport | None = None, progress: Progress | None = None, limit: int | None = None,
                         index: dedup.SimilarityIndex | None = None, **options) -> FeedReport:
    """Import the entries of a feed document already in hand (fetched, or a local file)."""
    if defaults is None:
        defaults = _defaults(options.get("section"), options.get("language"), options.get("source"),
                             options.get("feed"), options.get("trusted", False), options.get("user"),
                             options.get("respect_robots", True))
    report = report or FeedReport(url=url)
    try:
        parsed = parse_feed(content, url, content_type=content_type, max_entries=MAX_FEED_ENTRIES)
    except FeedError as exc:
        report.error = exc.message
        return report
    report.title, report.entries = parsed.title, len(parsed.entries)
    report.warnings.extend(parsed.warnings)
    try:
        _default_section(defaults)
    except ImportFailed as exc:
        report.error = str(exc)
        return report
    limit = conf.max_items_per_poll() if limit is None else limit
    index = index or dedup.SimilarityIndex()
    feed = defaults.feed
    seen = {}
    if feed is not None and feed.pk:
        seen = {s.guid_hash: s for s in SeenEntry.objects.filter(feed=feed)}
    tried = 0
    for position, entry in enumerate(parsed.entries, 1):
        fingerprint = entry_fingerprint(entry) if feed is not None else None
        known = seen.get(guid_digest(entry.guid))
        if known is not None and known.fingerprint == fingerprint:
            if known.outcome != FAILED:
                outcome = ImportOutcome(UNCHANGED, url=entry.link or entry.title, reason="entry unchanged since last seen")
            elif known.attempts >= MAX_ENTRY_ATTEMPTS:
                outcome = _failed(entry.link or entry.title,
                                  f"{known.reason} (failed {known.attempts} times; tried again when the entry changes)")
            else:
                outcome = None
            if outcome is not None:
                report.add(outcome)
                if progress:
                    progress(position, len(parsed.entries), outcome)
                continue
        if tried >= limit:
            report.remaining += 1
            continue
        tried += 1
        outcome = import_entry(entry, defaults, index=index, fingerprint=fingerprint)
        report.add(outcome)
        if progress:
            progress(position, len(parsed.entries), outcome)
    return report
