"""A feed (RSS, Atom, JSON Feed), fetched or as a file: one story per entry, read from the entry's
page when it can be (page.py), else from the text the feed itself carries."""

from __future__ import annotations

import hashlib
from functools import partial

from django.utils.translation import gettext_noop

from babelpress.html_text import html_to_text

from ..messages import Message, of as said
from ..document_kind import sniff
from ..extract import ExtractionError
from ..feeds import FeedEntry, FeedError, parse_feed
from ..fetch import FEED_ACCEPT, HTML_ACCEPT, FetchError
from ..language import MIN_DETECT_CONFIDENCE, detected_warning, detect_language, normalize_language
from ..models import ImportedItem
from .base import (
    WEB,
    Candidate,
    Defaults,
    Document,
    Entry,
    ImportFailed,
    ImportSource,
    Listing,
    checked_url,
    first_words,
    standfirst,
)
from .page import candidate_from_html

#: Entries read from one feed document (a feed with thousands is cut here, with a warning).
MAX_FEED_ENTRIES = 500
#: Feed text shorter than this is not an article: the entry is refused rather than imported.
MIN_FEED_TEXT_CHARS = 40


class FeedSource(ImportSource):
    """Feeds: imported whole by `babelpress import`, followed in the admin (Feeds) and polled."""

    label = gettext_noop("a feed (RSS, Atom or JSON Feed)")
    accept = FEED_ACCEPT
    media_types = ("application/rss+xml", "application/atom+xml")
    many = True
    followable = True

    def __init__(self, name: str = "", *, max_entries: int = MAX_FEED_ENTRIES):
        super().__init__(name)
        self.max_entries = max_entries

    def recognises(self, document: Document) -> bool:
        # By its root element, whatever the media type says and whatever junk comes before it.
        return bool(document.content.strip()) and sniff(document.content, document.content_type).is_feed

    def not_one_story(self, document: Document) -> str:
        if document.kind == WEB:
            return Message(gettext_noop("%(address)s is a feed (RSS, Atom or JSON Feed), not an article page. Follow it "
                                        "as a feed (admin → Import → Feeds), or import all its entries with "
                                        "`babelpress import URL`."), address=document.url)
        return Message(gettext_noop("%(address)s is a feed, not an article page: import it with `babelpress import "
                                    "FILE`, or follow the feed's address in the admin."), address=document.shown)

    def read(self, document: Document, defaults: Defaults) -> Listing:
        content_type = document.fetched.headers.get("content-type") if document.fetched is not None else None
        try:
            parsed = parse_feed(document.content, document.address, content_type=content_type,
                                max_entries=self.max_entries)
        except FeedError as exc:
            raise ImportFailed(exc.message) from None
        entries = [Entry(read=partial(self.entry_story, entry, defaults), guid=entry.guid,
                         fingerprint=entry_fingerprint(entry), shown=entry.link or entry.title)
                   for entry in parsed.entries]
        return Listing(entries, title=parsed.title, warnings=list(parsed.warnings))

    def entry_story(self, entry: FeedEntry, defaults: Defaults) -> Candidate:
        """One entry: its page when it can be read, else the text the feed itself carries."""
        explicit = defaults.explicit_language
        candidate, page_problem = None, None
        if entry.link:
            try:
                candidate = self._page_story(entry, explicit, defaults)
            except FetchError as exc:
                page_problem = exc.message
            except (ExtractionError, ImportFailed) as exc:
                page_problem = Message(gettext_noop("%(address)s: %(reason)s"), address=entry.link, reason=said(exc))
        if candidate is None:
            candidate = candidate_from_entry(entry, page_problem, explicit)
        if entry.author_is_the_feeds and candidate.author == entry.author:
            candidate.warnings.append(Message(gettext_noop("the entry names no author: the feed's (%(author)s) is "
                                                           "credited; check it"), author=entry.author))
        candidate.guid = entry.guid
        if entry.link and entry.link not in (candidate.original_url, *candidate.other_urls):
            candidate.other_urls.append(entry.link)
        return candidate

    def _page_story(self, entry: FeedEntry, explicit: str | None, defaults: Defaults) -> Candidate:
        page = self.fetch(entry.link, defaults, accept=HTML_ACCEPT)
        if sniff(page.content, page.content_type).is_feed:
            raise ImportFailed(Message(gettext_noop("%(address)s is a feed, not an article page."), address=page.url))
        candidate = candidate_from_html(page.text or page.content, page.url, origin=ImportedItem.Origin.PAGE,
                                        declared_language=explicit, requested=entry.link, headline=entry.title,
                                        author=entry.author, published_at=entry.published_at, zone=entry.zone)
        candidate.warnings = list(page.warnings) + candidate.warnings
        return candidate


def entry_fingerprint(entry: FeedEntry) -> str:
    """What the feed says of an entry, hashed: an entry seen with the same fingerprint is unchanged."""
    parts = [entry.link or "", entry.title, str(entry.published_at or ""), str(entry.updated_at or ""),
             entry.summary_html, entry.content_html]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def candidate_from_entry(entry: FeedEntry, page_problem: str | None, explicit_language: str | None) -> Candidate:
    """The story from the feed's own text, when its page could not be used."""
    body = entry.content_html or entry.summary_html
    text = html_to_text(body, paragraphs=True)
    unusable = entry.unusable_link
    if len(text) < MIN_FEED_TEXT_CHARS:
        if page_problem:
            raise ImportFailed(Message(gettext_noop("%(reason)s The feed entry has too little text to import instead."),
                                       reason=page_problem))
        if unusable:
            raise ImportFailed(Message(gettext_noop(
                "The entry's link (%(link)s) is not a web address Babelpress can open, and the entry has too little "
                "text to make an article of. Ask the publisher to fix the link, or import the story from its page's "
                "address."), link=unusable))
        raise ImportFailed(Message(gettext_noop("The entry has no link and too little text to make an article of.")))
    warnings = []
    if page_problem:
        warnings.append(Message(gettext_noop("the text comes from the feed, not the page: %(reason)s"),
                                reason=page_problem))
    if unusable:
        warnings.append(Message(gettext_noop(
            "the entry's link (%(link)s) is not a web address Babelpress can open (an http:// or https:// address): "
            "the text comes from the feed, and the draft has no original link; add it before publishing"),
            link=unusable))
    headline = entry.title
    if not headline:
        headline = first_words(text)
        warnings.append(Message(gettext_noop("the entry has no title: the first words of the text were used; write a "
                                             "real one")))
    lead = ""
    if entry.content_html and entry.summary_html:
        lead = standfirst(html_to_text(entry.summary_html), headline, text)
    language, declared = (explicit_language, True) if explicit_language else (entry.language, bool(entry.language))
    if not language:
        detected, confidence = detect_language(text)
        if detected and confidence >= MIN_DETECT_CONFIDENCE:
            language = detected
            warnings.append(detected_warning(detected, confidence))
    if not entry.author:
        warnings.append(Message(gettext_noop("no author found")))
    if entry.date_note:
        warnings.append(entry.date_note)
    if len(text) < 400:
        warnings.append(Message(gettext_noop("body very short (%(count)s characters): the feed may carry only a "
                                             "summary"), count=len(text)))
    return Candidate(
        headline=headline[:300], body_html=body, text=text, origin=ImportedItem.Origin.FEED, standfirst=lead,
        author=entry.author, published_at=entry.published_at, language=normalize_language(language) or language,
        language_declared=declared, original_url=checked_url(entry.link or "", gettext_noop("entry link")),
        guid=entry.guid, warnings=warnings,
    )
