"""Shared plumbing for engines that call a web API (LibreTranslate, DeepL, OpenAI-compatible).

``ApiClient`` wraps one ``httpx.Client`` per engine with explicit timeouts and retries
(exponential backoff with jitter on 429 — honouring Retry-After —, 5xx, timeouts and connection
errors). Every failure leaves as an ``EngineError`` naming the engine, the HTTP status and the
setting to fix. The markup helpers at the end check that a translation kept its placeholder tags.

API keys only ever travel in headers or request bodies: never in URLs, log lines or messages.
"""

from __future__ import annotations

import html
import logging
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

import httpx

from babelpress.retry_after import parse_retry_after
from babelpress.user_agent import USER_AGENT

from babelpress.translation.placeholders import placeholders_in, split_on_placeholders, tidy_tags

from .base import EngineError

log = logging.getLogger("babelpress.translation.engines")

#: Statuses worth another try: rate limiting and server-side trouble.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def sleep(seconds: float) -> None:
    # Module-level indirection so tests can record the waits instead of waiting.
    time.sleep(seconds)


class RequestTooLarge(EngineError):
    """The service refused a request as too large: the caller should split its batch."""


def build_timeout(value: Any = None, *, read: float = 30.0, connect: float = 5.0) -> httpx.Timeout:
    """The ``timeout`` option: a number (read/write seconds) or a dict of connect/read/write/pool.

    httpx has no default for its Client that suits us (5 s everywhere): a translation may take
    long to compute, while a refused or unreachable host should fail fast.
    """
    parts = {"connect": connect, "read": read, "write": read, "pool": connect}
    if isinstance(value, dict):
        unknown = set(value) - set(parts)
        if unknown:
            raise ValueError(f"timeout option: unknown keys {sorted(unknown)}; use connect, read, write, pool")
        parts.update({k: float(v) for k, v in value.items()})
    elif value is not None:
        seconds = float(value)
        parts = {"connect": min(connect, seconds), "read": seconds, "write": seconds, "pool": min(connect, seconds)}
    return httpx.Timeout(**parts)


def host_of(url: str) -> str:
    """'api-free.deepl.com' or '127.0.0.1:5000' (never user:password@)."""
    parts = urlsplit(url)
    return parts.netloc.rpartition("@")[2] or url


def error_detail(response: httpx.Response) -> str:
    """The service's own explanation of an error response, short."""
    try:
        data = response.json()
    except ValueError:
        data = None
    if isinstance(data, dict):
        # LibreTranslate: {"error": "..."}; OpenAI: {"error": {"message": ...}}; DeepL: {"message", "detail"}.
        err = data.get("error")
        if isinstance(err, dict):
            err = err.get("message") or err.get("code")
        parts = [str(p) for p in (err, data.get("message"), data.get("detail")) if p]
        if parts:
            return ": ".join(dict.fromkeys(parts))[:300]
    text = " ".join(response.text.split())
    return text[:200] or response.reason_phrase or "no details"


class ApiClient:
    """HTTP access to one service for one engine.

    ``on_error(response)`` lets the engine turn a specific error response into an EngineError
    (e.g. DeepL's 456 quota); it returns None to fall back to the generic handling: retry the
    statuses in ``retry_statuses``, else map 401/403 to the key setting, 404 to the URL setting.
    """

    def __init__(
        self,
        engine: str,
        base_url: str,
        *,
        options: dict,
        headers: dict[str, str] | None = None,
        key_setting: str | None = None,
        url_setting: str | None = None,
        retry_statuses: Iterable[int] = RETRY_STATUSES,
        on_error: Callable[[httpx.Response], EngineError | None] | None = None,
        default_read_timeout: float = 30.0,
    ):
        self.engine = engine
        self.base_url = base_url.rstrip("/")
        self.host = host_of(self.base_url)
        self.key_setting = key_setting
        self.url_setting = url_setting
        self.retry_statuses = frozenset(retry_statuses)
        self.on_error = on_error
        self.timeout = build_timeout(options.get("timeout"), read=default_read_timeout)
        self.retries = int(options.get("retries", 3))
        self.backoff = float(options.get("backoff", 0.5))
        self.max_backoff = float(options.get("max_backoff", 30.0))
        # A longer wait than this would hold a worker hostage: give the job back to the queue instead.
        self.max_retry_after = float(options.get("max_retry_after", 60.0))
        self._headers = {"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})}
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()

    @property
    def client(self) -> httpx.Client:
        # Created on first use so that building an engine from settings never touches the network.
        with self._lock:
            if self._client is None:
                self._client = httpx.Client(
                    base_url=self.base_url,
                    headers=self._headers,
                    timeout=self.timeout,
                    follow_redirects=False,  # a redirect would resend the key elsewhere: report it instead
                )
            return self._client

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None

    # --- requests ---------------------------------------------------------------------------

    def request(self, method: str, path: str, **kwargs) -> httpx.Response:
        """Send with retries; return a 2xx response or raise EngineError."""
        attempts = self.retries + 1
        for attempt in range(1, attempts + 1):
            retry_after = None
            try:
                response = self.client.request(method, path, **kwargs)
            except httpx.TimeoutException as exc:
                status, problem = None, f"timed out ({type(exc).__name__})"
                fix = f"check that {self.host} is up, or raise the engine's 'timeout' option"
            except httpx.UnsupportedProtocol:
                raise EngineError(
                    self.engine,
                    f"{self.base_url!r} is not an http:// or https:// URL: check {self.url_setting or 'the url option'}.",
                ) from None
            except httpx.TransportError as exc:  # refused, reset, DNS, TLS, closed mid-answer
                status, problem = None, f"could not connect ({type(exc).__name__}: {exc})"
                fix = f"check {self.url_setting or 'the url option'} and that the service is running"
            else:
                if response.is_success:
                    return response
                error = self.on_error(response) if self.on_error else None
                if error is not None:
                    raise error
                status = response.status_code
                if status not in self.retry_statuses:
                    raise self.default_error(response)
                problem = f"HTTP {status} ({error_detail(response)})"
                if status == 429:
                    fix = "the service is rate limiting us: lower the request rate or check the plan's limits"
                else:
                    fix = f"the service at {self.host} is having trouble: check its status page or logs"
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                if retry_after is not None and retry_after > self.max_retry_after:
                    raise EngineError(
                        self.engine,
                        f"{problem} from {self.host} asks to wait {retry_after:.0f} s (more than "
                        f"max_retry_after={self.max_retry_after:.0f} s); the job will be retried later.",
                        retryable=True,
                        status=status,
                    )
            if attempt == attempts:
                break
            delay = retry_after if retry_after is not None else self.backoff_delay(attempt)
            log.warning(
                "[%s] %s %s on %s: %s; retry %d/%d in %.2f s",
                self.engine, method, path, self.host, problem, attempt, self.retries, delay,
            )
            sleep(delay)
        raise EngineError(
            self.engine,
            f"{method} {path} on {self.host} failed after {attempts} attempt(s): {problem}. "
            f"The job will be retried later; if this persists, {fix}.",
            retryable=True,
            status=status,
        )

    def backoff_delay(self, attempt: int) -> float:
        # Exponential backoff with "equal jitter": never zero, never in lockstep with other workers.
        ceiling = min(self.max_backoff, self.backoff * 2 ** (attempt - 1))
        return random.uniform(ceiling / 2, ceiling)

    def default_error(self, response: httpx.Response) -> EngineError:
        status, detail = response.status_code, error_detail(response)
        if status in (401, 403):
            fix = f"check {self.key_setting}" if self.key_setting else "check the engine's credentials"
            return EngineError(
                self.engine, f"authentication refused by {self.host} (HTTP {status}: {detail}): {fix}.", status=status
            )
        if status == 404 or 300 <= status < 400:
            return EngineError(
                self.engine,
                f"{response.request.method} {response.request.url.path} on {self.host} answered HTTP {status} "
                f"({detail}): check {self.url_setting or 'the url option'} points at the API root.",
                status=status,
            )
        if status == 413:
            return RequestTooLarge(
                self.engine, f"request too large for {self.host} (HTTP 413: {detail}).", status=status
            )
        return EngineError(
            self.engine, f"request rejected by {self.host} (HTTP {status}: {detail}).",
            retryable=status >= 500, status=status,
        )

    def json(self, response: httpx.Response) -> Any:
        """The decoded JSON body, or an EngineError that says what came back instead."""
        try:
            return response.json()
        except ValueError:
            kind = response.headers.get("Content-Type", "no content type")
            start = " ".join(response.text[:80].split())
            raise EngineError(
                self.engine,
                f"{self.host} returned malformed JSON (HTTP {response.status_code}, {kind}, starting {start!r}): "
                f"check {self.url_setting or 'the url option'} points at the API and not at a web page or proxy.",
                status=response.status_code,
            ) from None

    def get_json(self, path: str, **kwargs) -> Any:
        return self.json(self.request("GET", path, **kwargs))

    def post_json(self, path: str, payload: Any, **kwargs) -> Any:
        return self.json(self.request("POST", path, json=payload, **kwargs))

    def shape_error(self, what: str) -> EngineError:
        """The service answered 2xx but not in the documented shape."""
        return EngineError(
            self.engine,
            f"unexpected response from {self.host}: {what}. Check {self.url_setting or 'the url option'} "
            f"points at a compatible service.",
        )


class TTLCache:
    """One value, fetched on demand and kept ``ttl`` seconds (language lists and the like)."""

    def __init__(self, ttl: float):
        self.ttl = ttl
        self._value: Any = None
        self._at = float("-inf")
        self._lock = threading.Lock()

    def get(self, fetch: Callable[[], Any]) -> Any:
        with self._lock:
            if self._value is None or time.monotonic() - self._at >= self.ttl:
                self._value = fetch()
                self._at = time.monotonic()
            return self._value

    def peek(self) -> Any:
        return self._value

    def clear(self) -> None:
        with self._lock:
            self._value, self._at = None, float("-inf")


# --- Markup ------------------------------------------------------------------------------------

def normalise_fragment(text: str) -> str:
    """Bring a service's output back to the segment format: tidy tags, text escaped once.

    Text runs are unescaped then escaped, which is right for services that answer escaped XML
    (DeepL), unescaped text (LibreTranslate's HTML mode unescapes its output) or a mix (LLMs).
    """
    text = tidy_tags(text)
    return "".join(
        run if kind == "tag" else html.escape(html.unescape(run), quote=False)
        for kind, run in split_on_placeholders(text)
    )


def markup_problem(source: str, translated: str) -> str | None:
    """Why ``translated`` does not keep the placeholder tags of ``source``, or None if it does."""
    want, got = Counter(placeholders_in(source)), Counter(placeholders_in(translated))
    if want != got:
        missing, extra = list((want - got).elements()), list((got - want).elements())
        parts = []
        if missing:
            parts.append("missing " + " ".join(missing))
        if extra:
            parts.append("unexpected " + " ".join(extra))
        return "; ".join(parts)
    stack: list[str] = []
    for tag in placeholders_in(translated):
        if tag.startswith("</"):
            if not stack or stack.pop() != tag[2:-1]:
                return f"badly nested {tag}"
        elif not tag.endswith("/>"):
            stack.append(tag[1:-1])
    return None


def needs_translation(segment: str) -> bool:
    """False for segments with no letters at all (only tags, numbers, punctuation): sent nowhere."""
    return any(
        ch.isalpha() for kind, run in split_on_placeholders(segment) if kind == "text" for ch in html.unescape(run)
    )


def chunks(indices: list[int], segments: list[str], *, max_items: int, max_bytes: int | None = None) -> list[list[int]]:
    """Group segment indices into requests of at most ``max_items`` segments and ``max_bytes`` of text.

    Bytes of UTF-8, not characters: DeepL limits bytes, and for character limits it errs on the safe side.
    """
    groups: list[list[int]] = []
    current: list[int] = []
    size = 0
    for i in indices:
        length = len(segments[i].encode("utf-8"))
        if current and (len(current) >= max_items or (max_bytes and size + length > max_bytes)):
            groups.append(current)
            current, size = [], 0
        current.append(i)
        size += length
    if current:
        groups.append(current)
    return groups


def options_list(value: Any) -> list[str]:
    """An option given as a list or a comma-separated string (environment variables)."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(",")
    return [str(v).strip() for v in value if str(v).strip()]
