"""Fetch one URL from a partner site, defensively.

``fetch()`` is the only way the importer touches the network. It is built for URLs typed by
editors and found in feeds, i.e. URLs we do not control:

* SSRF guard (ssrf.py): the host name is resolved here, every address is vetted, and the
  connection is then made to the vetted address itself. The URL handed to httpx carries the IP,
  while the Host header and the TLS SNI/certificate check keep the host name, so a DNS answer that
  changes between the check and the connection (DNS rebinding) cannot move us. Redirects are
  followed by hand so every hop goes through the same checks.
* Bounded: connect/read timeouts, and ONE deadline for the whole fetch (``total_timeout``; the
  importer passes BABELPRESS_IMPORT_FETCH_BUDGET) over DNS, robots.txt, connecting, TLS, request,
  response headers, redirects and body. Every socket operation's timeout is cut to what is left of
  it (deadline.py), so a server that dribbles its headers one byte a second is stopped at the
  deadline like one that sends nothing. A body size limit applies while streaming and again after
  gzip/deflate decoding (responses.py, inflate.py), and a redirect limit.
* Polite: a User-Agent naming Babelpress, robots.txt honoured (robots.py), conditional GET.

Every failure is a ``FetchError`` (errors.py; responses.py turns statuses and network errors into
them) whose message says what happened and, when something can be done about it, what.
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Collection
from dataclasses import dataclass, field

import httpcore
import httpx

from django.utils.translation import gettext_noop

from babelpress.user_agent import USER_AGENT

from .messages import Message
from . import conf, robots
from .charsets import charset_from_content_type, decode_bytes  # noqa: F401 - part of this module's API
from .deadline import SETTING_BUDGET, Budget, DeadlineBackend  # noqa: F401 - re-exported
from .errors import (  # noqa: F401 - re-exported: callers catch them from here
    BadContentType,
    ConnectionFailed,
    ContentDecodingError,
    EmptyResponse,
    FetchError,
    ForbiddenAddress,
    HTTPStatusError,
    InvalidURL,
    RobotsDisallowed,
    Timeout,
    TLSError,
    TooLarge,
    TooManyRedirects,
)
from .responses import is_textual, is_tls_error, media_matches, read_body, status_error, translate_error
from .robots import ROBOTS_AGENT, clear_robots_cache  # noqa: F401 - re-exported
from .ssrf import AllowPrivate, IPAddress, address_kind, allowed_networks, check_url, is_ip_literal, vetted_addresses  # noqa: F401

HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,application/xml;q=0.8,*/*;q=0.5"
FEED_ACCEPT = (
    "application/rss+xml,application/atom+xml,application/feed+json;q=0.9,"
    "application/rdf+xml;q=0.9,application/xml;q=0.8,text/xml;q=0.8,*/*;q=0.5"
)
#: Only what we decode ourselves with a bounded inflater (brotli/zstd are not installed).
ACCEPT_ENCODING = "gzip, deflate"

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass
class FetchResult:
    url: str  # final URL, after redirects
    status: int
    headers: httpx.Headers
    content: bytes  # decoded from gzip/deflate, not from its charset
    text: str  # "" for non-textual content types
    encoding: str | None  # Python codec name used for ``text``
    content_type: str  # media type only, lower case, e.g. "text/html"; "" when not sent
    etag: str | None
    last_modified: str | None
    not_modified: bool = False
    #: (status, url) of every redirect followed; a 301/308 first hop means "update the stored URL".
    redirects: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class _DeadlineTransport(httpx.HTTPTransport):
    """httpx's own transport (request/response mapping, errors), on a deadline-bound connection."""

    def __init__(self, budget: Budget):
        super().__init__(verify=_ssl_context(), trust_env=False, http2=False)
        # httpx has no parameter for httpcore's network backend: give its pool one that keeps
        # the deadline. (Guarded by the header slowloris test in tests/ingest/test_fetch.py.)
        self._pool = httpcore.ConnectionPool(
            ssl_context=_ssl_context(), max_connections=1, max_keepalive_connections=0, http1=True,
            http2=False, network_backend=DeadlineBackend(budget),
        )


# --- The fetch itself ----------------------------------------------------------------------------

_ssl_lock = threading.Lock()
_ssl_cached: ssl.SSLContext | None = None


def _ssl_context() -> ssl.SSLContext:
    # Built once: loading the CA bundle costs more than the rest of a small fetch.
    global _ssl_cached
    with _ssl_lock:
        if _ssl_cached is None:
            try:
                import certifi

                _ssl_cached = ssl.create_default_context(cafile=certifi.where())
            except ImportError:  # pragma: no cover - certifi comes with httpx
                _ssl_cached = ssl.create_default_context()
        return _ssl_cached


def _timeout(value: float | tuple[float, float] | httpx.Timeout) -> httpx.Timeout:
    if isinstance(value, httpx.Timeout):
        return value
    if isinstance(value, tuple):
        connect, read = value
        return httpx.Timeout(read, connect=connect)
    return httpx.Timeout(float(value))


def fetch(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    allow_private: AllowPrivate = None,
    max_bytes: int | None = None,
    timeout: float | tuple[float, float] | httpx.Timeout | None = None,
    total_timeout: float | None = None,
    max_redirects: int = 5,
    respect_robots: bool = True,
    accept: str = HTML_ACCEPT,
    content_types: Collection[str] | None = None,
    user_agent: str | None = None,
) -> FetchResult:
    """GET ``url`` under the guard described in the module docstring.

    ``etag``/``last_modified``: values stored from a previous fetch; a 304 answer gives
    ``not_modified=True`` (and an empty ``content``).
    ``allow_private``: None reads settings.BABELPRESS_IMPORT_ALLOW_PRIVATE (default False); so do
    ``max_bytes``, ``timeout`` and ``total_timeout`` (BABELPRESS_IMPORT_MAX_BYTES, _TIMEOUT, _FETCH_BUDGET).
    True also opens loopback and private networks; a list of networks opens exactly those.
    ``timeout``: connect/read/write seconds (a number, (connect, read) or an httpx.Timeout);
    ``total_timeout``: wall-clock budget for the whole fetch: DNS, robots.txt, connecting,
    headers, redirects and body.
    ``content_types``: media types accepted (``text/*`` patterns allowed); others raise
    BadContentType. None accepts anything.
    ``user_agent``: the User-Agent header sent (default BABELPRESS_IMPORT_USER_AGENT, else
    USER_AGENT); robots.txt rules are still matched against ROBOTS_AGENT.
    """
    return _fetch(
        url, etag=etag, last_modified=last_modified, allowed=allowed_networks(allow_private),
        max_bytes=conf.max_bytes() if max_bytes is None else max_bytes,
        timeout=_timeout(conf.timeout() if timeout is None else timeout),
        budget=Budget(conf.fetch_budget() if total_timeout is None else total_timeout),
        max_redirects=max_redirects, respect_robots=respect_robots, accept=accept,
        content_types=content_types, user_agent=user_agent or conf.user_agent(),
    )


def _fetch(
    url: str, *, etag, last_modified, allowed, max_bytes, timeout, budget: Budget, max_redirects,
    respect_robots, accept, content_types, user_agent=USER_AGENT,
) -> FetchResult:
    warnings: list[str] = []
    redirects: list[tuple[int, str]] = []
    current = check_url(url)
    seen = {str(current)}
    headers = {"User-Agent": user_agent, "Accept": accept, "Accept-Encoding": ACCEPT_ENCODING}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified

    while True:
        shown = str(current)
        # Vet the address before anything, robots.txt included, is sent to the host.
        if budget.spent():
            raise budget.error(shown)
        addresses = vetted_addresses(current, allowed, max(0.001, min(timeout.connect or conf.timeout(), budget.left())))
        if respect_robots:
            _check_robots(current, allowed, budget, warnings)
        with _open(current, addresses, headers, timeout, budget) as response:
            status = response.status_code
            if status in REDIRECT_STATUSES and response.headers.get("location"):
                current = _redirect_target(url, current, response, redirects, max_redirects, seen)
                continue
            return _finish(response, current, status, etag, last_modified, max_bytes, budget,
                           content_types, redirects, warnings)


class _OutOfBudget(Exception):
    """robots.txt could not be read because the page's own budget ran out (not the site's fault)."""


def _check_robots(url: httpx.URL, allowed, budget: Budget, warnings: list[str]) -> None:
    def load(robots_url: str) -> bytes:
        # Within the page's budget: robots.txt is one more step of the same fetch.
        left = budget.left()
        if left <= 0:
            raise _OutOfBudget
        try:
            return _fetch(
                robots_url, etag=None, last_modified=None, allowed=allowed, max_bytes=robots.ROBOTS_MAX_BYTES,
                timeout=httpx.Timeout(min(robots.ROBOTS_TIMEOUT, left)),
                budget=Budget(min(robots.ROBOTS_TIMEOUT * 2, left)), max_redirects=5,
                respect_robots=False, accept="text/plain,*/*;q=0.5", content_types=None,
            ).content
        except Timeout:
            if budget.spent():
                raise _OutOfBudget from None
            raise

    shown = str(url)
    try:
        permitted, robots_url = robots.allows(url, load, warnings, USER_AGENT)
    except _OutOfBudget:
        raise budget.error(shown) from None
    if not permitted:
        raise RobotsDisallowed(
            Message(gettext_noop("%(robots)s does not allow Babelpress to fetch %(address)s. Ask the publisher to "
                                 "allow the '%(agent)s' user agent, or, if an agreement with them permits it, "
                                 "import with robots.txt checks turned off."),
                    robots=robots_url, address=shown, agent=ROBOTS_AGENT),
            shown,
        )


def _redirect_target(url: str, current: httpx.URL, response: httpx.Response, redirects: list, max_redirects: int,
                     seen: set[str]) -> httpx.URL:
    """The checked next hop of a redirect, recorded in ``redirects``."""
    shown, status = str(current), response.status_code
    location = response.headers["location"]
    try:
        target = current.join(location.strip())
    except (httpx.InvalidURL, ValueError) as exc:
        raise InvalidURL(Message(gettext_noop("%(address)s redirects to an invalid address %(location)s (%(error)s)."),
                                 address=shown, location=repr(location), error=str(exc)), shown) from None
    redirects.append((status, str(target.copy_with(fragment=None))))
    if len(redirects) > max_redirects:
        raise TooManyRedirects(
            Message(gettext_noop("%(address)s redirected more than %(count)s times (last to %(target)s). Use the "
                                 "final address of the page directly, or tell the publisher about the loop."),
                    address=url, count=max_redirects, target=str(target)),
            shown,
        )
    try:
        following = check_url(str(target))
    except InvalidURL as exc:
        raise type(exc)(Message(gettext_noop("%(address)s redirected: %(reason)s"), address=shown, reason=exc.message),
                        exc.url, exc.reason_code) from None
    if str(following) in seen:
        raise TooManyRedirects(Message(gettext_noop("%(address)s redirects in a loop (back to %(target)s)."),
                                       address=url, target=str(following)), shown)
    seen.add(str(following))
    return following


class _open:
    """Context manager: a streamed response from one of the vetted ``addresses`` of ``url``."""

    def __init__(self, url: httpx.URL, addresses: list[IPAddress], headers: dict, timeout: httpx.Timeout,
                 budget: Budget):
        self.url, self.addresses, self.headers, self.timeout, self.budget = url, addresses, headers, timeout, budget
        self.client: httpx.Client | None = None
        self.stream = None

    def __enter__(self) -> httpx.Response:
        url, shown, addresses = self.url, str(self.url), self.addresses
        host = url.raw_host.decode("ascii")
        request_headers = {**self.headers, "Host": url.netloc.decode("ascii")}
        extensions = {}
        if url.scheme == "https" and not is_ip_literal(host):
            # Certificate checked against the name, while the socket goes to the pinned IP.
            extensions["sni_hostname"] = host
        last_error: Exception | None = None
        for ip in addresses:
            remaining = self.budget.left()
            if remaining <= 0:
                break
            pinned = url.copy_with(host=str(ip))
            # One client per hop: no cookie or pooled connection carries over to another host.
            client = httpx.Client(transport=_DeadlineTransport(self.budget), trust_env=False, follow_redirects=False,
                                  timeout=_capped(self.timeout, remaining))
            try:
                stream = client.stream("GET", pinned, headers=request_headers, extensions=extensions)
                response = stream.__enter__()
            except httpx.ConnectError as exc:
                client.close()
                last_error = exc
                if is_tls_error(exc):
                    break
                continue  # next address of the host
            except BaseException as exc:
                client.close()
                raise translate_error(exc, shown, self.timeout, self.budget) from None
            self.client, self.stream = client, stream
            return response
        if last_error is None:
            raise self.budget.error(shown)
        raise translate_error(last_error, shown, self.timeout, self.budget) from None

    def __exit__(self, exc_type, exc, tb):
        try:
            if self.stream is not None:
                self.stream.__exit__(None, None, None)
        finally:
            if self.client is not None:
                self.client.close()
        if exc is not None and not isinstance(exc, FetchError) and isinstance(exc, (httpx.HTTPError, OSError)):
            raise translate_error(exc, str(self.url), self.timeout, self.budget) from None
        return False


def _capped(timeout: httpx.Timeout, remaining: float) -> httpx.Timeout:
    def cap(value):
        return remaining if value is None else min(value, remaining)

    return httpx.Timeout(connect=cap(timeout.connect), read=cap(timeout.read), write=cap(timeout.write),
                         pool=cap(timeout.pool))


def _finish(response, current, status, etag, last_modified, max_bytes, budget: Budget, content_types,
            redirects, warnings) -> FetchResult:
    shown = str(current)
    raw_type = response.headers.get("content-type", "")
    media_type = raw_type.split(";", 1)[0].strip().lower()
    common = dict(
        url=shown, status=status, headers=response.headers, content_type=media_type,
        etag=response.headers.get("etag") or None,
        last_modified=response.headers.get("last-modified") or None,
        redirects=redirects, warnings=warnings,
    )
    if status == 304:
        # Servers may omit the validators on a 304: keep the ones we sent, still valid.
        common["etag"] = common["etag"] or etag
        common["last_modified"] = common["last_modified"] or last_modified
        return FetchResult(content=b"", text="", encoding=None, not_modified=True, **common)
    if not 200 <= status < 300:
        raise status_error(response, shown)
    if content_types is not None and media_type and not media_matches(media_type, content_types):
        raise BadContentType(
            Message(gettext_noop("%(address)s is %(media_type)s, not one of the expected types (%(expected)s). "
                                 "Check that the address points to the right kind of document."),
                    address=shown, media_type=media_type, expected=", ".join(content_types)),
            shown,
        )
    content = read_body(response, shown, max_bytes, budget)
    if not content.strip():
        raise EmptyResponse(
            Message(gettext_noop("%(address)s answered HTTP %(status)s with an empty body. The page may be generated "
                                 "by JavaScript or temporarily broken; try again later or import it another way."),
                    address=shown, status=str(status)),
            shown,
        )
    if is_textual(media_type):
        text, encoding = decode_bytes(content, raw_type)
    else:
        text, encoding = "", None
    return FetchResult(content=content, text=text, encoding=encoding, **common)


