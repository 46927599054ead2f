"""Whom an imported story credits: the source (organisation) and the author, found or created.

The source chosen on import, else the followed feed's, else one already known by the page's site
name or by its address's host, else a new one named after the site; the author by name within
that source.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from babelpress.newsroom import web_addresses
from babelpress.newsroom.models import Author, Source
from babelpress.newsroom.sanitize import clean_text

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


def author_for(byline: str | None, source: Source | None) -> Author | None:
    name = _name(byline)
    if not name:
        return None
    author = Author.objects.filter(name=name, source=source).first()
    return author or Author.objects.create(name=name, source=source)
