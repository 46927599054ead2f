"""An article page fetched from its URL, read by trafilatura (extract.py) into one story.

``candidate_from_html`` and ``candidate_from_extracted`` are the page reading every source uses
for an article page: the upload (a saved page) and the feed (each entry's page) too.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.html import format_html
from django.utils.translation import gettext_noop

from ..dates import NO_DATE, Zone
from ..messages import Message, of as said
from ..extract import ExtractionError, Extracted, extract_article
from ..fetch import HTML_ACCEPT
from ..language import DETECTED_PREFIX
from ..models import ImportedItem
from .base import (
    MAX_URL_LENGTH,
    WEB,
    Candidate,
    Defaults,
    Document,
    ImportFailed,
    ImportSource,
    checked_url,
    first_words,
    site_root,
    standfirst,
)


class PageSource(ImportSource):
    """Any fetched page no other source recognises, read as an article page."""

    label = gettext_noop("a web page")
    reads = frozenset({WEB})
    accept = HTML_ACCEPT
    catch_all = True

    def recognises(self, document: Document) -> bool:
        return True  # whether it holds an article, extraction tells, with the reason

    def story(self, document: Document, defaults: Defaults) -> Candidate:
        try:
            candidate = candidate_from_html(document.text or document.content, document.url,
                                            origin=ImportedItem.Origin.PAGE, declared_language=defaults.language,
                                            requested=document.requested_url)
        except ExtractionError as exc:
            raise ImportFailed(Message(gettext_noop("%(address)s: %(reason)s"), address=document.url,
                                       reason=said(exc))) from None
        candidate.warnings = list(document.warnings) + candidate.warnings
        return candidate


def candidate_from_html(html: str | bytes, url: str, *, origin: str, declared_language: str | None,
                        requested: str | None = None, zone: Zone | None = None, **listed) -> Candidate:
    """The story of an article page at ``url``; ``zone``: its zone-less times' when the page does
    not tell (the feed's, dates.py). Raises ExtractionError (no article) and ImportFailed."""
    extracted = extract_article(html, url, declared_language=declared_language, zone=zone)
    return candidate_from_extracted(extracted, url=url, origin=origin, requested=requested, **listed)


def candidate_from_extracted(ex: Extracted, *, url: str | None, origin: str, requested: str | None = None,
                             headline: str = "", author: str | None = None,
                             published_at: datetime | None = None) -> Candidate:
    """A candidate from what extraction found; ``headline``, ``author`` and ``published_at`` are
    what a listing (a feed entry) said of the story, used where the page says nothing."""
    warnings = list(ex.warnings)
    if author and not ex.author:  # the listing's byline stands in for the page's missing one
        warnings = [w for w in warnings if getattr(w, "msgid", w) != "no author found"]  # extract.py's warning
    headline = ex.headline or headline
    if not headline:
        headline = first_words(ex.text)
        warnings.append(Message(gettext_noop("no headline found: the first words of the text were used; write a real "
                                             "one")))
    canonical = ex.canonical_url or ""
    if canonical and site_root(canonical):
        canonical = ""  # a canonical pointing at the home page would merge every story of the site
    if len(canonical) > MAX_URL_LENGTH:
        warnings.append(Message(gettext_noop("the page's canonical address is longer than %(count)s characters: it was "
                                             "ignored"), count=MAX_URL_LENGTH))
        canonical = ""
    if ex.published_at is None and published_at is not None and NO_DATE in warnings:
        warnings[warnings.index(NO_DATE)] = Message(
            gettext_noop("the page gives no publication date: the feed's date of the entry was used"))
    declared = not any(w.startswith(DETECTED_PREFIX) for w in ex.warnings)
    lead_image = ex.lead_image_url if ex.lead_image_url and len(ex.lead_image_url) <= MAX_URL_LENGTH else ""
    body_html = ex.body_html
    if lead_image and "<img" not in body_html:
        # The page's lead image (og:image …) heads the draft: the site's Open Graph image and JSON-LD
        # take the first image of the body, and editors see what the partner illustrated it with.
        body_html = format_html('<figure><img src="{}" alt="{}"></figure>', lead_image, ex.lead_image_alt or "") \
            + body_html
    return Candidate(
        headline=headline[:300], body_html=body_html, text=ex.text, origin=origin,
        standfirst=standfirst(ex.description, headline, ex.text),
        author=ex.author or author, published_at=ex.published_at or published_at,
        language=ex.language, language_declared=bool(ex.language) and declared,
        original_url=checked_url(url or canonical, gettext_noop("address")),
        canonical_url=checked_url(canonical, gettext_noop("canonical address")),
        other_urls=[u for u in (requested,) if u and u != url and len(u) <= MAX_URL_LENGTH],
        sitename=ex.sitename or "", lead_image_url=lead_image, warnings=warnings,
    )
