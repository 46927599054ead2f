"""Whole-page cache for public pages, per URL (and so per language).

Public pages are identical for every reader, so a rendered page is stored whole and served
again until the content changes. Any save or delete of newsroom content bumps a *content
version* kept in the shared cache; page keys include it, so every page is fresh after an edit
without tracking which pages a story appears on. Entries also expire after
BABELPRESS_PAGE_MAX_AGE, which bounds staleness for stories scheduled to appear later.
"""

from __future__ import annotations

import functools
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

VERSION_KEY = "babelpress:content-version"
KEPT_HEADERS = ("Content-Type", "Cache-Control", "Last-Modified", "Content-Language", "Vary")


def content_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = bump()
    return version


def bump(**_kwargs) -> str:
    """Mark all cached pages stale (connected to newsroom content signals)."""
    version = f"{time.time_ns():x}"
    cache.set(VERSION_KEY, version, None)
    return version


def cached_page(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or not settings.BABELPRESS_PAGE_CACHE:
            return view(request, *args, **kwargs)
        # Only what the pages read goes into the key: the path and a page number. Arbitrary query
        # strings (?utm_source=…, or a flood of random ones) share the page's one entry.
        page = request.GET.get("page")
        if page is not None and not (page.isascii() and page.isdigit()):
            return view(request, *args, **kwargs)  # let the view answer a bad page number (404)
        variant = request.path + (f"?page={page}" if page is not None else "")
        digest = hashlib.sha1(variant.encode("utf-8", "surrogateescape")).hexdigest()
        key = f"babelpress:page:{content_version()}:{digest}"
        hit = cache.get(key)
        if hit is not None:
            content, headers = hit
            response = HttpResponse(content)
            for name, value in headers.items():
                response.headers[name] = value
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.cookies and not getattr(response, "streaming", False):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            headers = {h: response.headers[h] for h in KEPT_HEADERS if h in response.headers}
            cache.set(key, (response.content, headers), settings.BABELPRESS_PAGE_MAX_AGE)
        return response

    return wrapper
