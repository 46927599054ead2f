"""robots.txt: whether a partner lets Babelpress fetch a URL (RFC 9309), cached per site.

The file itself is fetched by fetch.py's own machinery (SSRF guard, limits, the caller's time
budget), handed in as ``load``: this module only decides and remembers. Rules are read by protego,
which follows RFC 9309 (the longest matching rule wins, ``*`` and ``$`` in paths), where Python's
urllib.robotparser takes the first rule in file order and reads wildcards literally.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import httpx
from cachetools import TLRUCache
from protego import Protego

from django.utils.translation import gettext_noop

from babelpress.user_agent import PRODUCT

from .messages import Message
from .errors import EmptyResponse, FetchError, HTTPStatusError

log = logging.getLogger("babelpress.ingest")

#: The token robots.txt groups are matched against (the product name in the User-Agent).
ROBOTS_AGENT = PRODUCT
#: RFC 9309 asks crawlers to read at least 500 KiB of a robots.txt.
ROBOTS_MAX_BYTES = 512 * 1024
ROBOTS_TIMEOUT = 5.0
#: RFC 9309: a cached robots.txt should not be used for more than 24 hours.
ROBOTS_CACHE_SECONDS = 24 * 3600
#: When robots.txt could not be read (5xx, timeout), try again sooner than that.
ROBOTS_RETRY_SECONDS = 600
#: Sites remembered at once; the least recently used is forgotten first (a long-running worker
#: polling many partners must not grow without end).
ROBOTS_CACHE_SITES = 1024

#: Fetches a robots.txt URL and returns its body (raises FetchError).
Loader = Callable[[str], bytes]

# origin -> (rules or None for "everything allowed", seconds to keep them); each entry expires on its own.
_robots_cache: TLRUCache = TLRUCache(
    maxsize=ROBOTS_CACHE_SITES, ttu=lambda _origin, value, now: now + value[1], timer=time.monotonic,
)
_robots_lock = threading.Lock()  # cachetools' caches are not thread-safe


def clear_robots_cache() -> None:
    with _robots_lock:
        _robots_cache.clear()


def allows(url: httpx.URL, load: Loader, warnings: list[str], user_agent: str) -> tuple[bool, str]:
    """(allowed, robots.txt URL) for ``url``; a robots.txt that cannot be read allows, with a warning."""
    origin = f"{url.scheme}://{url.netloc.decode('ascii')}"
    robots_url = f"{origin}/robots.txt"
    with _robots_lock:
        cached = _robots_cache.get(origin)
    if cached is not None:
        rules = cached[0]
    else:
        rules, ttl = _load_robots(robots_url, load, warnings)
        with _robots_lock:
            _robots_cache[origin] = (rules, ttl)
    if rules is None:
        return True, robots_url
    return rules.can_fetch(str(url), user_agent), robots_url


def _load_robots(robots_url: str, load: Loader, warnings: list[str]) -> tuple[Protego | None, float]:
    """The parsed robots.txt, or None for "everything allowed"; and how long to keep the answer."""
    try:
        content = load(robots_url)
    except HTTPStatusError as exc:
        if 400 <= exc.status < 500:  # RFC 9309: unavailable robots.txt, no restrictions
            return None, ROBOTS_CACHE_SECONDS
        problem = f"HTTP {exc.status}"
    except EmptyResponse:
        return None, ROBOTS_CACHE_SECONDS
    except FetchError as exc:
        problem = exc.reason_code
    else:
        # Decoded whatever its Content-Type: robots.txt is UTF-8 by RFC 9309, often mislabelled.
        return Protego.parse(content.decode("utf-8", "replace")), ROBOTS_CACHE_SECONDS
    message = Message(gettext_noop("%(robots)s could not be read (%(problem)s); fetched as allowed."),
                      robots=robots_url, problem=problem)
    log.warning(message)
    warnings.append(message)
    return None, ROBOTS_RETRY_SECONDS
