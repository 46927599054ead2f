"""Whom an imported story credits: the source (organisation) and its authors, found or created.

The source chosen on import, else the followed feed's, else one already known by the page's site
name or by its address's host, else a new one named after the site; each person the byline names
by name within that source — the first is the article's author, the others its co-authors
(newsroom/coauthors.py). A byline naming the outlet itself ("Par TheArmTimes") makes no author:
the source is credited.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from babelpress.newsroom import web_addresses
from babelpress.newsroom.models import Author, Source
from babelpress.newsroom.sanitize import clean_text

from .bylines import read_byline
from .outlets import outlet_keys
from .sources.base import Candidate, Defaults


def source_for(candidate: Candidate, defaults: Defaults) -> Source | None:
    if defaults.source is not None:
        return defaults.source
    if defaults.feed is not None and defaults.feed.source_id:
        return defaults.feed.source
    url = candidate.canonical_url or candidate.original_url
    host = _host(url)
    sitename = _name(candidate.sitename)
    if sitename:
        found = Source.objects.filter(name__iexact=sitename).first()
        if found:
            return found
    if host:
        for source in Source.objects.exclude(url=""):
            if _host(source.url) == host:
                return source
    name = sitename or _name(host)
    if not name:
        return None
    source, _ = Source.objects.get_or_create(name=name, defaults={"url": _website(url) if host else ""})
    return source


def _name(text: str) -> str:
    """A name as the admin form keeps it: one line, no control characters, at most 200 characters."""
    return clean_text(text or "")[:200].strip()


def _website(url: str) -> str:
    """The site's home page, as the source's website ("" when the form would not keep it)."""
    parts = urlsplit(url)
    home = web_addresses.normalise(f"{parts.scheme}://{parts.netloc}/")
    return "" if web_addresses.problem(home, Source._meta.get_field("url").max_length) else home


def _host(url: str) -> str:
    """The host of ``url`` without "www.", "" when there is none or it cannot be read."""
    if not url:
        return ""
    try:
        return (urlsplit(url).hostname or "").removeprefix("www.")
    except ValueError:
        return ""


def authors_for(candidate: Candidate, source: Source | None) -> list[Author]:
    """The people the candidate's byline names, found or created within ``source``, in order. A
    name that is the source's own (its name, its website) or the page's site name credits the
    source, not a person: no author is made of it."""
    outlets = outlet_keys([candidate.sitename, *((source.name, source.url) if source is not None else ())])
    people = []
    for name in read_byline(candidate.author, outlets).names:
        name = _name(name)
        if name and name not in {person.name for person in people}:
            found = Author.objects.filter(name=name, source=source).first()
            people.append(found or Author.objects.create(name=name, source=source))
    return people
