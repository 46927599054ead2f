"""Absolute URLs, both ways: ours (a page of this site, for canonical links, feeds, sitemaps and
JSON-LD) and theirs (a link or image found in a partner's page or feed, made absolute and checked).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from django.conf import settings

#: Never part of a URL: a link holding one is junk or an attempt to break out of an attribute.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f<>\"`]")
# WHATWG's URL parser drops tabs and newlines inside a URL, as browsers do.
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")


def absolute_url(request, path: str) -> str:
    """``path`` of this site (from a route, never from the request) on BABELPRESS_SITE_URL, else on the
    request's scheme and host: the page cache then keys on them (see site/cache.py)."""
    if settings.SITE_URL:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path)


def join(base: str | None, url: str) -> str | None:
    """``url`` resolved against ``base`` (if any); None when either cannot be parsed."""
    try:
        return urljoin(base, url) if base else url
    except ValueError:
        return None


def resolve(url, base: str | None, schemes: tuple[str, ...] = ("http", "https")) -> str | None:
    """A link found in someone else's document, made absolute; None when it is not usable.

    Usable: a string that resolves to one of ``schemes`` (http and https need a host) and holds no
    character a URL never has (quotes, angle brackets, control characters). Spaces are encoded and
    tabs and newlines dropped, as browsers do, so "my photo.jpg" still finds its image.
    """
    if not isinstance(url, str):
        return None
    url = _TAB_OR_NEWLINE.sub("", url.strip()).replace(" ", "%20")
    if not url or _FORBIDDEN.search(url):
        return None
    joined = join(base, url)
    if not joined:
        return None
    try:
        parts = urlsplit(joined)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in schemes or (scheme in ("http", "https") and not parts.netloc):
        return None
    return joined
