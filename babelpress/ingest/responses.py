"""What a partner's server answered, read defensively: an error status, a timeout or a broken
connection becomes a FetchError that says what to do; the body is read within the size limit,
also once gzip/deflate-decoded (inflate.py), and within the fetch's deadline (deadline.py)."""

from __future__ import annotations

import ssl
import zlib
from collections.abc import Collection

import httpx

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
        kind = {
            httpx.ConnectTimeout: f"could not connect within {timeout.connect} s",
            httpx.ReadTimeout: f"sent nothing for {timeout.read} s",
            httpx.WriteTimeout: "did not accept the request in time",
            httpx.PoolTimeout: "no connection was available in time",
        }.get(type(exc), "timed out")
        return Timeout(f"{url}: the server {kind}. It may be down or overloaded; try again later.", url)
    if isinstance(exc, httpx.ConnectError):
        if is_tls_error(exc):
            return TLSError(
                f"{url}: the secure connection failed ({exc}). The site's certificate is invalid or does "
                "not match its name; Babelpress does not import over unverified connections. Tell the "
                "publisher, or use their http:// address if they offer one.",
                url,
            )
        return ConnectionFailed(
            f"Could not connect to {url} ({exc or 'connection refused'}). Check the address and that the "
            "site is up; try again later.",
            url,
        )
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.LocalProtocolError)):
        return ConnectionFailed(
            f"{url}: the server broke the HTTP protocol ({exc}). Try again later; if it persists the "
            "server is misconfigured.",
            url,
            "protocol_error",
        )
    if isinstance(exc, httpx.HTTPError):
        return ConnectionFailed(f"{url}: {type(exc).__name__}: {exc}. Try again later.", url)
    if isinstance(exc, OSError):
        return ConnectionFailed(f"{url}: network error ({exc}). Try again later.", url)
    return exc


_STATUS_ADVICE = {
    401: "the page needs a login; Babelpress only imports public pages",
    403: "the server refused access; the publisher may block automated clients",
    404: "the page does not exist; check the address",
    410: "the page was removed for good",
    429: "the server asks us to slow down; try again later",
}


def status_error(response: httpx.Response, url: str) -> HTTPStatusError:
    status = response.status_code
    advice = _STATUS_ADVICE.get(status)
    if advice is None:
        advice = "the server failed; try again later" if status >= 500 else "the server refused the request"
    retry_after = response.headers.get("retry-after")
    # Shown as sent (short): record_poll reads it with babelpress.retry_after, defensively.
    extra = f" (Retry-After: {retry_after[:64]})" if retry_after else ""
    reason = f" {response.reason_phrase}" if response.reason_phrase else ""
    return HTTPStatusError(f"{url} answered HTTP {status}{reason}: {advice}{extra}.", url, status, retry_after)


def read_body(response: httpx.Response, url: str, max_bytes: int, budget: Budget) -> bytes:
    def too_large(what: str) -> TooLarge:
        return TooLarge(
            f"{url} is larger than the {max_bytes:,} bytes allowed{what}; it was not downloaded further. "
            "If it really is a page or feed you need, raise max_bytes for this source.",
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
        raise too_large(" once decompressed") from None
    except zlib.error as exc:
        raise ContentDecodingError(
            f"{url}: the compressed body is corrupt ({exc}). Try again later; if it persists the server "
            "is misconfigured.",
            url,
        ) from None
    if len(body) > max_bytes:
        raise too_large(" once decompressed")
    return bytes(body)
