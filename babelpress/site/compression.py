"""gzip and brotli for public responses: which coding a request accepts, and the body in it.

Two paths, one set of rules:

- A page the page cache stores (``cache.cached_page``) is compressed once, when it is stored, in
  every coding at once and hard (``STORED_LEVELS``: brotli 10 takes ≈ 4 ms on a 14 kB article
  page, once per page and content version); every request then only picks one of the stored
  bodies (``encodings`` to make them, ``negotiate`` and ``send`` to pick and send one).
- Any other public response (the page cache off, the 404 page, a page cached nowhere) is
  compressed by ``CompressionMiddleware`` per response, in the one coding the request asks for,
  fast (``FAST_LEVELS``: brotli 5 takes ≈ 0.25 ms there and still beats gzip 9).

What is compressed: responses that are the same for every reader — ``Cache-Control: public``, no
cookie set, no CSRF token put in the page — of a text type (``TEXT_TYPES``: HTML, feeds, the
manifest …), at least ``MIN_SIZE`` bytes and not encoded already. That is also why compressing
them is safe from BREACH-like attacks, which need a secret (a CSRF token, a session's data) and
reflected input compressed together: a public page holds no secret and reflects no query string
(``cache.py``). The admin, the desk and previews are never public, so they are never compressed:
they hold CSRF tokens and drafts and are small in number. Static files are WhiteNoise's: its
storage writes ``.br`` and ``.gz`` copies at collectstatic and WhiteNoise serves them itself
(``static_files.py``, which keeps the copies of files that did not change).

Negotiation (RFC 9110 §12.5.3): the acceptable coding with the highest q-value, brotli before gzip
before identity at equal q; ``x-gzip`` is gzip, ``*`` stands for every coding not named, ``q=0``
refuses one. identity is acceptable unless refused (``identity;q=0``, or ``*;q=0`` without
naming it) and comes last when the request does not name it. No ``Accept-Encoding`` at all, or an
empty one, gets identity. A request that refuses identity and every coding we have gets identity
all the same: a page in no acceptable coding, as RFC 9110 advises, rather than an error.

Headers: ``Content-Encoding`` and ``Content-Length`` of the body sent, ``Vary: Accept-Encoding``
whenever another request could get another body (kept beside the response's other Vary values),
and an ``ETag`` per variant: the identity body's hash (``etag_for``), with ``-gzip`` or ``-br``
appended for a compressed body, so a browser or proxy revalidating one variant gets 304 for that
variant only and a 304's ETag picks the right stored response. A stored page's tags are strong:
its bytes are fixed. Per-response variants get weak tags (``W/"…-br"``): compressed at other
levels than a stored page, their bytes are the same page but not the same bytes. Django's
ConditionalGetMiddleware answers 304 from these tags, so it must see the response after this
module (settings: ``CompressionMiddleware`` comes after it in MIDDLEWARE).
"""

from __future__ import annotations

import gzip
import hashlib

import brotli
from django.utils.cache import cc_delim_re, patch_vary_headers

IDENTITY = "identity"
CODINGS = ("br", "gzip")  # ours, in the order we prefer them
MIN_SIZE = 256  # smaller bodies gain nothing worth a header and a CPU cycle
TEXT_TYPES = frozenset(
    {
        "text/html", "text/plain", "text/css", "text/xml", "text/javascript", "application/javascript",
        "application/json", "application/ld+json", "application/manifest+json", "application/xml",
        "application/rss+xml", "application/atom+xml", "application/feed+json", "image/svg+xml",
    }
)
STORED_LEVELS = {"br": 10, "gzip": 9}
FAST_LEVELS = {"br": 5, "gzip": 6}
_ALIASES = {"x-gzip": "gzip"}


def etag_for(content: bytes) -> str:
    """The identity body's ETag: a hash of its bytes."""
    return '"%s"' % hashlib.sha256(content).hexdigest()[:32]


def variant_tag(etag: str, coding: str, *, weak: bool = False) -> str:
    """``etag`` (the identity body's) for the body in ``coding``: '"abc"' -> '"abc-br"'."""
    if coding == IDENTITY:
        return etag
    weak = weak or etag.startswith("W/")
    opaque = etag.removeprefix("W/").strip('"')
    return f'{"W/" if weak else ""}"{opaque}-{coding}"'


def encode(body: bytes, coding: str, levels: dict[str, int]) -> bytes:
    if coding == "br":
        return brotli.compress(body, mode=brotli.MODE_TEXT, quality=levels["br"])
    if coding == "gzip":
        return gzip.compress(body, compresslevel=levels["gzip"], mtime=0)  # mtime 0: the same bytes every time
    raise ValueError(coding)


def compressible(response) -> bool:
    """A text body worth compressing that is not encoded yet."""
    if getattr(response, "streaming", False) or response.has_header("Content-Encoding"):
        return False
    content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
    return content_type in TEXT_TYPES and len(response.content) >= MIN_SIZE


def personal(request, response) -> bool:
    """Made for one reader: it sets a cookie, or the CSRF middleware will set one (a token was put in
    the page, or the reader's CSRF cookie was malformed): never stored, never compressed."""
    return bool(response.cookies) or bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))


def encodings(body: bytes) -> dict[str, bytes]:
    """The body in identity and in each of our codings that makes it smaller (STORED_LEVELS)."""
    bodies = {IDENTITY: body}
    for coding in CODINGS:
        encoded = encode(body, coding, STORED_LEVELS)
        if len(encoded) < len(body):
            bodies[coding] = encoded
    return bodies


def accepted(header: str | None) -> dict[str, float]:
    """Accept-Encoding as {coding: q}; malformed elements are ignored."""
    found: dict[str, float] = {}
    for element in (header or "").split(","):
        name, *params = element.split(";")
        name = name.strip().lower()
        if not name:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = -1.0
        if 0.0 <= q <= 1.0:
            found[_ALIASES.get(name, name)] = q
    return found


def negotiate(header: str | None, available) -> str:
    """The coding of ``available`` to send for this Accept-Encoding (see the module docstring)."""
    if not header:
        return IDENTITY
    wanted = accepted(header)
    star = wanted.get("*")
    best, best_q = IDENTITY, -1.0
    for rank, coding in enumerate((*CODINGS, IDENTITY)):
        if coding not in available:
            continue
        q = wanted.get(coding, star)
        if q is None:  # not named, no "*": only identity stays acceptable, and last
            q = 0.0005 if coding == IDENTITY else 0.0
        if q > 0 and q > best_q:
            best, best_q = coding, q
    return best


def send(response, coding: str, body: bytes, etag: str, *, vary: bool, weak: bool = False):
    """Make ``response`` carry ``body`` in ``coding``, with its headers (see the module docstring)."""
    response.coding_chosen = True  # CompressionMiddleware leaves it alone, Vary or not
    response.content = body
    response.headers["Content-Length"] = str(len(body))
    response.headers["ETag"] = variant_tag(etag, coding, weak=weak)
    if coding == IDENTITY:
        response.headers.pop("Content-Encoding", None)
    else:
        response.headers["Content-Encoding"] = coding
    if vary:
        patch_vary_headers(response, ("Accept-Encoding",))
    return response


def _public(response) -> bool:
    directives = {d.split("=", 1)[0].strip().lower() for d in cc_delim_re.split(response.get("Cache-Control", ""))}
    return "public" in directives and not directives & {"private", "no-store"}


def _negotiated(response) -> bool:
    return getattr(response, "coding_chosen", False) or "accept-encoding" in response.get("Vary", "").lower()


class CompressionMiddleware:
    """Compresses public responses that the page cache did not (module docstring). Place it after
    ConditionalGetMiddleware in MIDDLEWARE, so that the 304 check sees the variant's ETag."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _negotiated(response) or not _public(response) or personal(request, response):
            return response
        if not compressible(response):
            return response
        body = response.content
        etag = response.get("ETag") or etag_for(body)
        coding = negotiate(request.META.get("HTTP_ACCEPT_ENCODING"), (*CODINGS, IDENTITY))
        encoded = body if coding == IDENTITY else encode(body, coding, FAST_LEVELS)
        if len(encoded) >= len(body):
            coding, encoded = IDENTITY, body
        return send(response, coding, encoded, etag, vary=True, weak=True)
