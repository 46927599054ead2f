"""The import pipeline: a source reads a document into candidate stories, and every candidate is
checked and stored the same way, whatever it came from.

    a URL ─ fetch ─┐                               ┌ page   ┐
                   ├─ Document ─ sources.registry ─┤ upload ├─ Entry ─ Candidate ─ invisible.py ─ language, section ─ store.py
    a file ────────┘                               └ feed … ┘

A ``Document`` (sources/base.py) is the bytes of a fetched URL or of a file. The registry gives it
to the source that recognises it (sources/); the source reads it into entries, each of which reads
into a ``Candidate``. Then, shared by all: refused first if far larger than an article or if its
prose is markup shown as text (draft_limits.py), invisible characters normalised (invisible.py), the
language checked against the site's, the section, and one transaction per story (store.py: dedup,
attribution, same-story cluster).

Entry points:

* ``import_url`` and ``import_file``: one story ("Import a story" in the admin and its job);
* ``import_story`` and ``import_stories``: a document in hand, one story or many (the command line);
* ``import_feed``: a followed feed, fetched conditionally (the worker's polls).

Every failure is an ImportOutcome with status "failed" (a Report with an ``error`` for a whole
document) whose reason says what to do; network and parsing happen before any transaction.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_noop

from . import conf
from .dedup import SimilarityIndex
from .draft_limits import refuse_what_is_not_an_article
from .fetch import FetchError, HTTPStatusError
from .invisible import normalise_candidate
from .messages import Message, load, of as said
from .models import Feed, SeenEntry, guid_digest
from .outcomes import FAILED, UNCHANGED, ImportFailed, ImportOutcome, Report, failed
from .sources import registry
from .sources.base import Candidate, Defaults, Document, Entry, fetch_document
from .sources.registry import ANY, FOLLOWED, STORY
from .store import default_section, record_failure, store

#: A feed entry that failed this many polls in a row is not fetched again until it changes.
MAX_ENTRY_ATTEMPTS = 3

Progress = Callable[[int, int, ImportOutcome], None]


def import_url(url: str, *, section=None, language: str | None = None, source=None, trusted: bool = False,
               user=None, respect_robots: bool = True, index: SimilarityIndex | None = None) -> ImportOutcome:
    """Fetch one article page and make it a draft (in review) or, when ``trusted``, a published story."""
    defaults = Defaults.of(section, language, source, None, trusted, user, respect_robots)
    try:
        document = fetch_document(url, accept=registry.accept(STORY), respect_robots=respect_robots)
    except FetchError as exc:
        return failed(url, exc.message)
    return import_story(document, defaults, index=index)


def import_file(content: str | bytes, *, url: str | None = None, filename: str | None = None, section=None,
                language: str | None = None, source=None, trusted: bool = False, user=None,
                index: SimilarityIndex | None = None) -> ImportOutcome:
    """Import an uploaded or local file (a saved article page, or what another source reads).
    ``url``: where it was published, if known (for links and provenance); without it an HTML page's
    own canonical URL is used."""
    defaults = Defaults.of(section, language, source, None, trusted, user)
    document = Document.from_file(content, filename=filename or "", url=url or "")
    if isinstance(content, (bytes, bytearray)) and len(content) > conf.max_bytes():
        return failed(document.shown, Message(gettext_noop("%(address)s is larger than the %(limit)s bytes allowed "
                                                           "(BABELPRESS_IMPORT_MAX_BYTES)."),
                                              address=document.shown, limit=conf.max_bytes()))
    return import_story(document, defaults, index=index)


def import_story(document: Document, defaults: Defaults, *, source=None,
                 index: SimilarityIndex | None = None) -> ImportOutcome:
    """The one story of ``document``, read by ``source`` (by default, the one the registry picks)."""
    try:
        source = source or registry.choose(document, STORY)
        if source.many:
            return failed(document.shown, source.not_one_story(document))
        entries = source.read(document, defaults).entries
        if len(entries) != 1:
            raise ImportFailed(Message(gettext_noop("%(address)s holds %(count)s stories, not one: import it with "
                                                    "`babelpress import`."), address=document.shown, count=len(entries)))
        return _store(entries[0].read(), defaults, index=index or SimilarityIndex())
    except ImportFailed as exc:
        return failed(document.shown, said(exc))


def import_stories(document: Document, defaults: Defaults, *, source=None, report: Report | None = None,
                   progress: Progress | None = None, limit: int | None = None,
                   index: SimilarityIndex | None = None) -> Report:
    """Every story of ``document`` (a feed …), at most ``limit`` new or changed ones (default
    BABELPRESS_IMPORT_MAX_ITEMS_PER_POLL); the entries of a followed feed seen unchanged are skipped."""
    report = report or Report(url=document.address)
    try:
        source = source or registry.choose(document, ANY)
        listing = source.read(document, defaults)
        report.title, report.entries = listing.title, len(listing.entries)
        report.warnings.extend(listing.warnings)
        default_section(defaults)
    except ImportFailed as exc:
        report.error = said(exc)
        return report
    limit = conf.max_items_per_poll() if limit is None else limit
    _import_entries(listing.entries, defaults, report, progress, limit, index or SimilarityIndex())
    return report


def _import_entries(entries: list[Entry], defaults: Defaults, report: Report, progress: Progress | None,
                    limit: int, index: SimilarityIndex) -> None:
    feed = defaults.feed
    seen = {s.guid_hash: s for s in SeenEntry.objects.filter(feed=feed)} if feed is not None and feed.pk else {}
    tried = 0
    for position, entry in enumerate(entries, 1):
        fingerprint = entry.fingerprint if feed is not None else None
        outcome = _seen_before(seen.get(guid_digest(entry.guid)), fingerprint, entry)
        if outcome is None:
            if tried >= limit:
                report.remaining += 1
                continue
            tried += 1
            outcome = import_entry(entry, defaults, index=index, fingerprint=fingerprint)
        report.add(outcome)
        if progress:
            progress(position, len(entries), outcome)


def _seen_before(known: SeenEntry | None, fingerprint: str | None, entry: Entry) -> ImportOutcome | None:
    """The outcome of an entry a followed feed showed before, unchanged; None to import it."""
    if known is None or known.fingerprint != fingerprint:
        return None
    if known.outcome != FAILED:
        return ImportOutcome(UNCHANGED, url=entry.shown, reason=Message(gettext_noop("entry unchanged since last seen")))
    if known.attempts >= MAX_ENTRY_ATTEMPTS:
        return failed(entry.shown, Message(gettext_noop("%(reason)s (failed %(attempts)s times; tried again when the entry "
                                                         "changes)"), reason=load(known.reason), attempts=known.attempts))
    return None


def import_entry(entry: Entry, defaults: Defaults, *, index: SimilarityIndex,
                 fingerprint: str | None = None) -> ImportOutcome:
    """One entry: read by its source, then stored; a failure is remembered for a followed feed."""
    try:
        return _store(entry.read(), defaults, index=index, fingerprint=fingerprint)
    except ImportFailed as exc:
        outcome = failed(entry.shown or entry.guid, said(exc))
    record_failure(defaults.feed, entry.guid, fingerprint, outcome)
    return outcome


def import_feed(feed: Feed, *, progress: Progress | None = None, limit: int | None = None,
                index: SimilarityIndex | None = None) -> Report:
    """Fetch ``feed`` (conditionally, with its stored validators) and import its new entries.

    Does not change the Feed row itself: ``polling.record_poll`` does, once the report is complete,
    so validators are stored only after every entry was dealt with.
    """
    report = Report(url=feed.url)
    try:
        document = fetch_document(feed.url, accept=registry.accept(FOLLOWED), respect_robots=feed.respect_robots,
                                  etag=feed.etag or None, last_modified=feed.last_modified or None)
        result = document.fetched
        report.etag, report.last_modified = result.etag, result.last_modified
        if result.redirects and result.redirects[0][0] in (301, 308):
            report.moved_to = result.url
        if result.not_modified:
            report.not_modified = True
            return report
        source = registry.choose(document, FOLLOWED)
    except HTTPStatusError as exc:
        report.error, report.retry_after = exc.message, exc.retry_after
        return report
    except FetchError as exc:
        report.error = exc.message
        return report
    except ImportFailed as exc:
        report.error = said(exc)
        return report
    defaults = Defaults.of(feed=feed, trusted=feed.trusted, respect_robots=feed.respect_robots)
    return import_stories(document, defaults, source=source, report=report, progress=progress, limit=limit,
                          index=index)


def _store(candidate: Candidate, defaults: Defaults, *, index: SimilarityIndex,
           fingerprint: str | None = None) -> ImportOutcome:
    refuse_what_is_not_an_article(candidate)
    normalise_candidate(candidate)  # invisible characters, once, whatever the source
    resolve_language(candidate, defaults.explicit_language)
    default_section(defaults)
    return store(candidate, defaults, index=index, fingerprint=fingerprint)


def resolve_language(candidate: Candidate, explicit: str | None) -> None:
    """The language chosen on import wins; without one, the candidate's must be a site language."""
    allowed = conf.content_languages()
    if explicit:
        candidate.language, candidate.language_declared = explicit, True
    if not candidate.language:
        raise ImportFailed(
            Message(gettext_noop("The language of this story could not be determined (none declared, text too short "
                                 "to detect): choose it when importing (one of %(languages)s), or set the feed's "
                                 "language."), languages=", ".join(allowed))
        )
    if candidate.language not in allowed:
        raise ImportFailed(
            Message(gettext_noop("language %(language)s is not one of this site's languages (%(languages)s). Translate "
                                 "it elsewhere first, or, if the page is mislabelled, import it again choosing its "
                                 "language."), language=repr(candidate.language), languages=", ".join(allowed))
        )

