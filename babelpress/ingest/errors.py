"""What can go wrong when the importer fetches a URL: one exception class per reason.

Every ``FetchError`` carries a message for people (what happened and, when something can be done
about it, what) and a ``reason_code`` for code and logs.
"""

from __future__ import annotations


class FetchError(Exception):
    """A fetch failed. ``message`` is for people, ``reason_code`` for code, ``url`` the culprit."""

    reason_code = "fetch_error"

    def __init__(self, message: str, url: str | None = None, reason_code: str | None = None):
        super().__init__(message)
        self.message = message
        self.url = url
        if reason_code:
            self.reason_code = reason_code

    def __str__(self) -> str:
        return self.message


class InvalidURL(FetchError):
    reason_code = "invalid_url"


class ForbiddenAddress(FetchError):
    reason_code = "forbidden_address"


class ConnectionFailed(FetchError):
    reason_code = "connection_failed"


class TLSError(ConnectionFailed):
    reason_code = "tls_error"


class Timeout(FetchError):
    reason_code = "timeout"


class TooLarge(FetchError):
    reason_code = "too_large"


class TooManyRedirects(FetchError):
    reason_code = "too_many_redirects"


class HTTPStatusError(FetchError):
    reason_code = "http_status"

    def __init__(self, message: str, url: str | None = None, status: int = 0, retry_after: str | None = None):
        super().__init__(message, url)
        self.status = status
        self.retry_after = retry_after


class RobotsDisallowed(FetchError):
    reason_code = "robots_disallowed"


class EmptyResponse(FetchError):
    reason_code = "empty_response"


class BadContentType(FetchError):
    reason_code = "bad_content_type"


class ContentDecodingError(FetchError):
    reason_code = "bad_content_encoding"
