"""What a partner's server answered, read defensively: an error status, a timeout or a broken
connection becomes a FetchError that says what to do; the body is read within the size limit,
also once gzip/deflate-decoded (inflate.py), and within the fetch's deadline (deadline.py)."""

from __future__ import annotations

import ssl
import zlib
from collections.abc import Collection

import httpx

from django.utils.translation import gettext_noop

from .messages import Message
from .deadline import Budget, BudgetSpent
from .errors import ConnectionFailed, ContentDecodingError, FetchError, HTTPStatusError, Timeout, TLSError, TooLarge
from .inflate import Overflow, decoders


def is_textual(media_type: str) -> bool:
    return (
        not media_type
        or media_type.startswith("text/")
        or media_type.endswith(("/xml", "+xml", "/json", "+json"))
        or media_type in ("application/javascript", "application/x-javascript")
    )


def media_matches(media_type: str, allowed: Collection[str]) -> bool:
    for pattern in allowed:
        pattern = pattern.lower().strip()
        if pattern in ("*/*", media_type) or (pattern.endswith("/*") and media_type.startswith(pattern[:-1])):
            return True
    return False


def is_tls_error(exc: Exception) -> bool:
    text = f"{exc} {exc.__cause__ or ''} {exc.__context__ or ''}"
    return isinstance(exc.__cause__ or exc.__context__, ssl.SSLError) or "SSL" in text or "certificate" in text


def translate_error(exc: BaseException, url: str, timeout: httpx.Timeout, budget: Budget) -> BaseException:
    if isinstance(exc, FetchError):
        return exc
    if isinstance(exc, httpx.TimeoutException) and (isinstance(exc.__cause__, BudgetSpent) or budget.spent()):
        return budget.error(url)
    if isinstance(exc, httpx.TimeoutException):
        said = {
            httpx.ConnectTimeout: Message(gettext_noop("%(address)s: the server could not connect within %(seconds)s s. "
                                                       "It may be down or overloaded; try again later."),
                                          address=url, seconds=timeout.connect),
            httpx.ReadTimeout: Message(gettext_noop("%(address)s: the server sent nothing for %(seconds)s s. It may be "
                                                    "down or overloaded; try again later."),
                                       address=url, seconds=timeout.read),
            httpx.WriteTimeout: Message(gettext_noop("%(address)s: the server did not accept the request in time. It "
                                                     "may be down or overloaded; try again later."), address=url),
            httpx.PoolTimeout: Message(gettext_noop("%(address)s: no connection was available in time. It "
                                                    "may be down or overloaded; try again later."), address=url),
        }.get(type(exc)) or Message(gettext_noop("%(address)s: the server timed out. It may be down or overloaded; "
                                                 "try again later."), address=url)
        return Timeout(said, url)
    if isinstance(exc, httpx.ConnectError):
        if is_tls_error(exc):
            return TLSError(
                Message(gettext_noop("%(address)s: the secure connection failed (%(error)s). The site's certificate "
                                     "is invalid or does not match its name; Babelpress does not import over "
                                     "unverified connections. Tell the publisher, or use their http:// address if "
                                     "they offer one."), address=url, error=str(exc)),
                url,
            )
        return ConnectionFailed(
            Message(gettext_noop("Could not connect to %(address)s (%(error)s). Check the address and that the site is "
                                 "up; try again later."), address=url, error=str(exc) or "connection refused"),
            url,
        )
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.LocalProtocolError)):
        return ConnectionFailed(
            Message(gettext_noop("%(address)s: the server broke the HTTP protocol (%(error)s). Try again later; if it "
                                 "persists the server is misconfigured."), address=url, error=str(exc)),
            url,
            "protocol_error",
        )
    if isinstance(exc, httpx.HTTPError):
        return ConnectionFailed(Message(gettext_noop("%(address)s: %(error)s. Try again later."), address=url,
                                        error=f"{type(exc).__name__}: {exc}"), url)
    if isinstance(exc, OSError):
        return ConnectionFailed(Message(gettext_noop("%(address)s: network error (%(error)s). Try again later."),
                                        address=url, error=str(exc)), url)
    return exc


_STATUS_ADVICE = {
    401: gettext_noop("the page needs a login; Babelpress only imports public pages"),
    403: gettext_noop("the server refused access; the publisher may block automated clients"),
    404: gettext_noop("the page does not exist; check the address"),
    410: gettext_noop("the page was removed for good"),
    429: gettext_noop("the server asks us to slow down; try again later"),
}


def status_error(response: httpx.Response, url: str) -> HTTPStatusError:
    status = response.status_code
    advice = _STATUS_ADVICE.get(status)
    if advice is None:
        advice = (gettext_noop("the server failed; try again later") if status >= 500
                  else gettext_noop("the server refused the request"))
    retry_after = response.headers.get("retry-after")
    # Shown as sent (short): record_poll reads it with babelpress.retry_after, defensively.
    extra = f" (Retry-After: {retry_after[:64]})" if retry_after else ""
    reason = f" {response.reason_phrase}" if response.reason_phrase else ""
    said = Message(gettext_noop("%(address)s answered HTTP %(status)s: %(advice)s%(extra)s."), address=url,
                   status=f"{status}{reason}", advice=Message(advice), extra=extra)
    return HTTPStatusError(said, url, status, retry_after)


def read_body(response: httpx.Response, url: str, max_bytes: int, budget: Budget) -> bytes:
    def too_large(what: str) -> TooLarge:
        return TooLarge(
            Message(gettext_noop("%(address)s is larger than the %(limit)s bytes allowed%(what)s; it was not downloaded "
                                 "further. If it really is a page or feed you need, raise max_bytes for this source."),
                    address=url, limit=max_bytes, what=what),
            url,
        )

    length = response.headers.get("content-length", "")
    if length.isascii() and length.isdigit() and int(length) > max_bytes:
        raise too_large(f" (Content-Length {int(length):,})")
    stages = decoders(response.headers.get("content-encoding"), url)
    body = bytearray()
    received = 0
    try:
        for chunk in response.iter_raw():  # as received: a chunk size would buffer a slow drip
            received += len(chunk)
            if received > max_bytes:
                raise too_large("")
            for stage in stages:
                chunk = stage.feed(chunk, max_bytes - (len(body) if stage is stages[-1] else 0))
            body += chunk
            if len(body) > max_bytes:
                raise too_large("")
            if budget.spent():
                raise budget.error(url)
        tail = b""
        for stage in stages:
            limit = max_bytes - (len(body) if stage is stages[-1] else 0)
            tail = stage.feed(tail, limit)
            tail += stage.flush(limit - len(tail))
        body += tail
    except Overflow:
        raise too_large(Message(gettext_noop(" once decompressed"))) from None
    except zlib.error as exc:
        raise ContentDecodingError(
            Message(gettext_noop("%(address)s: the compressed body is corrupt (%(error)s). Try again later; if it "
                                 "persists the server is misconfigured."), address=url, error=str(exc)),
            url,
        ) from None
    if len(body) > max_bytes:
        raise too_large(Message(gettext_noop(" once decompressed")))
    return bytes(body)
