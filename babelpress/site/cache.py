"""Whole-page cache for public pages, per URL (and so per language).

Public pages are identical for every reader, so a rendered page is stored whole and served
again until the content changes. Any save or delete of newsroom content bumps a *content
version* kept in the shared cache; page keys include it, so every page is fresh after an edit
without tracking which pages a story appears on. Entries also expire after
BABELPRESS_PAGE_MAX_AGE.

Scheduled stories. A story scheduled for later (status Published, ``published_at`` ahead) appears
by the clock passing, not by a save. So the version is kept together with the *next scheduled
publication time* (one cache entry, read once per request, no query): the first request after
that time bumps the version — one query to find the next time — and the story is on every page
from that moment, not up to BABELPRESS_PAGE_MAX_AGE later. For the same reason the max-age a page
is sent with (``max_age``) never reaches past that time, so neither a browser nor a proxy keeps
the list without the story. The worker announces the publication as well
(babelpress/newsroom/scheduling.py, a bump through the ``article_went_live`` signal), but readers
do not depend on it.

Relative times. A listing says "il y a 3 heures" of its recent stories (babelpress/site/times.py),
words that are true only until the next whole hour (or minute) of the story's age. A page showing
them says until when (``lasts_until``, from the view: the first moment one of its labels changes),
and the page is then kept no longer than that — neither in this cache (the entry's timeout) nor by
browsers and proxies (its max-age, on the first answer and on every hit, counted down from the
same moment) — so no reader sees "il y a 3 heures" of a story published 4 hours ago. A listing
with a story of the last hour is rendered again every minute or two, one with stories of the last
day every hour at most; other pages are not affected. The moment is stored with the page: a hit
sends only what is left of it, and a hit past it is a miss (whatever the cache backend's own clock
says). Its Last-Modified moves forward to when its labels last changed (the views:
``times.labels_hold``), so revalidating by date alone does not keep stale words either. Why not
let the browser write the words? Public pages run no script, and a page must read right as it is
stored and sent; a re-render a minute costs nothing beside the hits in between.

What goes into a key is exactly what a page may show of the request, and nothing else, so
that one reader's request can never change what the next reader gets:

- The path and, for section and tag listings, the page number (``?page=``, parsed by
  ``page_number`` for the views and the key alike; other pages ignore it). Pages build their
  canonical, hreflang, og:url and JSON-LD addresses from the route and that number only, never
  from the query string, so ``?ref=attacker.example`` or a flood of random parameters share the
  page's one entry and leave no trace in it.
- The scheme and host, when BABELPRESS_SITE_URL is unset. Pages then take their absolute
  addresses from the request (``babelpress.absolute_urls.absolute_url``; the scheme may come from the proxy's
  X-Forwarded-Proto, which gunicorn believes), and Django accepts any port for an allowed host
  name: a page rendered for ``Host: 127.0.0.1:6666`` must not be served to ``Host: localhost``.
  We key on the validated host instead of refusing unknown ports because no port can be called
  "unknown" reliably: behind a proxy the public port is not the one gunicorn listens on, and the
  allowed names (localhost, 127.0.0.1, [::1] …) differ from each other just as much. The cost is
  one entry per host and port actually requested, bounded by the cache's size and
  BABELPRESS_PAGE_MAX_AGE; production sets BABELPRESS_SITE_URL (``babelpress check --deploy``
  warns otherwise), and then the host is neither in the key nor in any page.

Compression. A page is stored in identity, brotli and gzip at once (one entry: the bodies by
coding, and the headers), compressed once when it is stored and never per request; each request
gets the stored body its Accept-Encoding asks for, with ``Vary: Accept-Encoding``, its
Content-Encoding and Content-Length. The coding is therefore not in the key: one entry serves every
reader, and which body a reader gets depends on their request alone (babelpress/site/compression.py
says how the coding is chosen, and what is compressed when the page cache is off).

Validators. Each stored page carries an ETag, a hash of its identity body computed once when it
is stored, and each compressed body that tag with its coding appended (``"…-br"``, ``"…-gzip"``),
so a conditional request gets 304 exactly when the reader already has these bytes, in the coding
it asks for now. Django's ConditionalGetMiddleware compares it (for GET only) and hashes only
responses that have none, so a page served from the cache is not hashed again. Its Last-Modified (set by the
views) is the latest of the content version's time and the page's own stories' times: it never
goes backwards for a URL, even when the newest story is withdrawn, so a client revalidating with
If-Modified-Since only gets 304 when nothing changed since (to the second: HTTP dates have no
finer grain, the ETag has).

One state per request. A public view reads the content state once (``per_request``, applied by
``cached_page``): the page's key, its max-age, its Last-Modified and the lookups remembered per
content version (babelpress/site/memo.py) all see the same version, for one read of the shared
cache. Rendering without this cache is fast too: docs/decisions.md, "Rendering speed".
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
import time
from datetime import datetime, timezone

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone as dj_timezone
from django.utils.cache import patch_cache_control

from babelpress.site import compression, pages

# (content version, next scheduled publication as a POSIX timestamp or None)
STATE_KEY = "babelpress:content-state"
KEPT_HEADERS = ("Content-Type", "Cache-Control", "Last-Modified", "ETag", "Content-Language", "Vary")
ENTRY_FORMAT = 3  # in every page key: entries of another shape (an older release's) are never read
_PAGE = re.compile(r"[0-9]{1,6}")

_clock = time.time_ns  # nanoseconds since the epoch; tests inject their own
# The state as a public page's request first read it: one read of the shared cache per request, and
# one version for everything the page looks up (``per_request``).
_request = threading.local()


def _state() -> tuple[str, float | None]:
    """The content version and the next scheduled publication; a new version once that has passed."""
    state = getattr(_request, "state", None)
    if state is not None:
        return state
    state = cache.get(STATE_KEY)
    if state is None or (state[1] is not None and dj_timezone.now().timestamp() >= state[1]):
        state = _bump(state)
    if getattr(_request, "active", False):
        _request.state = state
    return state


def per_request(view):
    """Read the content state once for the whole of ``view``'s request (it is read by the page cache,
    the Last-Modified and max-age headers and the lookups remembered per version, site/memo.py)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        _request.active, _request.state = True, None
        try:
            return view(request, *args, **kwargs)
        finally:
            _request.active, _request.state = False, None

    return wrapper


def content_version() -> str:
    return _state()[0]


def bump(**_kwargs) -> str:
    """Mark all cached pages stale (connected to newsroom content signals)."""
    return _bump(cache.get(STATE_KEY))[0]


def _bump(previous) -> tuple[str, float | None]:
    """A new version: the time of the change in nanoseconds, and always a new one even when the
    clock has not moved (coarse clocks); with it, the next scheduled publication time."""
    last = previous[0] if previous else None
    version = f"{max(_clock(), int(last, 16) + 1 if last else 0):x}"
    upcoming = pages.next_scheduled_time()
    state = (version, upcoming.timestamp() if upcoming else None)
    cache.set(STATE_KEY, state, None)
    if getattr(_request, "active", False):
        _request.state = state
    return state


def max_age(state: tuple | None = None, until: float | None = None) -> int:
    """Seconds a public page may be kept by browsers and proxies: BABELPRESS_PAGE_MAX_AGE, but never
    past the next scheduled publication (the page may change then), nor past ``until`` (a POSIX
    time: when the page's own words stop being true, ``lasts_until``)."""
    limit = settings.BABELPRESS_PAGE_MAX_AGE
    now = dj_timezone.now().timestamp()
    for moment in ((state or _state())[1], until):
        if moment is not None:
            limit = min(limit, max(0, int(moment - now)))
    return limit


def lasts_until(response, moment: datetime | None):
    """Mark ``response`` as true only until ``moment`` (None: until content changes), which
    ``cached_page`` honours; returns the max-age the response may be sent with."""
    response.lasts_until = moment.timestamp() if moment is not None else None
    return max_age(until=response.lasts_until)


def content_changed_at() -> datetime:
    """When newsroom content last changed (the content version's time)."""
    return datetime.fromtimestamp(int(_state()[0], 16) / 1e9, tz=timezone.utc)


def page_number(request) -> int | None:
    """The ``?page=`` number a listing shows (1 when absent), or None when it is not a number.

    ASCII digits only: str.isdigit() also accepts '⁰⁴⁵' and '١٢', which int() may refuse.
    """
    raw = request.GET.get("page")
    if raw is None:
        return 1
    return int(raw) if _PAGE.fullmatch(raw) else None


def _key(request, number: int, version: str) -> str:
    # Only what pages read of the request; see the module docstring.
    origin = "" if settings.SITE_URL else f"{request.scheme}://{request.get_host()}"
    variant = f"{origin}{request.path}?page={number}"
    digest = hashlib.sha1(variant.encode("utf-8", "surrogateescape")).hexdigest()
    return f"babelpress:page{ENTRY_FORMAT}:{version}:{digest}"


def cached_page(view=None, *, paginated: bool = False):
    """Serve ``view``'s 200 responses from the cache. Only a ``paginated`` view reads ``?page=``;
    for the others it is ignored like any other parameter, so it cannot bypass the cache."""
    if view is None:
        return functools.partial(cached_page, paginated=paginated)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or not settings.BABELPRESS_PAGE_CACHE:
            return view(request, *args, **kwargs)
        number = page_number(request) if paginated else 1
        if number is None:
            return view(request, *args, **kwargs)  # let the view answer a bad page number (404)
        state = _state()  # read once: the key and the max-age of a hit both come from it
        key = _key(request, number, state[0])
        hit = cache.get(key)
        # (a hit past its moment is a miss even if the cache backend, whose clock counts whole
        # seconds, has not dropped it yet)
        bodies, headers, until = hit or (None, None, None)
        if hit is not None and (until is None or until > dj_timezone.now().timestamp()):
            response = HttpResponse()
            for name, value in headers.items():
                response.headers[name] = value
            patch_cache_control(response, max_age=max_age(state, until))  # stored earlier: not past what is due
            return _send(request, response, bodies)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not getattr(response, "streaming", False):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            if not compression.personal(request, response):
                bodies = _store(key, response)
                return _send(request, response, bodies)
        return response

    return per_request(wrapper)


def _store(key: str, response) -> dict[str, bytes]:
    """Keep the page in the cache: its body in every coding (compressed once, here) and its headers."""
    response.headers["ETag"] = compression.etag_for(response.content)
    bodies = compression.encodings(response.content) if compression.compressible(response) else {}
    bodies[compression.IDENTITY] = response.content
    headers = {h: response.headers[h] for h in KEPT_HEADERS if h in response.headers}
    until = getattr(response, "lasts_until", None)
    timeout = settings.BABELPRESS_PAGE_MAX_AGE
    if until is not None:
        timeout = min(timeout, int(until - dj_timezone.now().timestamp()))
    if timeout > 0:
        cache.set(key, (bodies, headers, until), timeout)
    return bodies


def _send(request, response, bodies: dict[str, bytes]):
    """The stored body the request accepts (identity unless it asks for another), with its ETag."""
    coding = compression.negotiate(request.META.get("HTTP_ACCEPT_ENCODING"), bodies)
    etag = response.headers["ETag"]
    return compression.send(response, coding, bodies[coding], etag, vary=len(bodies) > 1)
