"""Fetch one URL from a partner site, defensively.

``fetch()`` is the only way the importer touches the network. It is built for URLs typed by
editors and found in feeds, i.e. URLs we do not control:

* SSRF guard: the host name is resolved here, every address is vetted (loopback, private,
  link-local, multicast, reserved, unspecified, and IPv6 forms that embed such an IPv4 address are
  refused), and the connection is then made to the vetted address itself. The URL handed to httpx
  carries the IP, while the Host header and the TLS SNI/certificate check keep the host name, so a
  DNS answer that changes between the check and the connection (DNS rebinding) cannot move us.
  Redirects are followed by hand so every hop goes through the same checks.
* Bounded: explicit connect/read timeouts plus a wall-clock budget for the whole fetch, a body
  size limit applied while streaming and again after gzip/deflate decoding (a gzip bomb is refused
  once it inflates past the limit, never inflated whole), and a redirect limit.
* Polite: a User-Agent naming Babelpress, robots.txt honoured (cached per host), conditional GET.

Every failure is a ``FetchError`` whose message says what happened and, when something can be
done about it, what.
"""

from __future__ import annotations

import codecs
import concurrent.futures
import ipaddress
import logging
import re
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote
from urllib.robotparser import RobotFileParser

import httpx

from babelpress import __version__

log = logging.getLogger("babelpress.ingest")

USER_AGENT = f"Babelpress/{__version__} (+https://github.com/babelpress)"
#: The token robots.txt rules are matched against (urllib.robotparser matches the product name).
ROBOTS_AGENT = "Babelpress"

HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,application/xml;q=0.8,*/*;q=0.5"
FEED_ACCEPT = (
    "application/rss+xml,application/atom+xml,application/feed+json;q=0.9,"
    "application/rdf+xml;q=0.9,application/xml;q=0.8,text/xml;q=0.8,*/*;q=0.5"
)
#: Only what we decode ourselves with a bounded inflater (brotli/zstd are not installed).
ACCEPT_ENCODING = "gzip, deflate"

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_TIMEOUT = 10.0
DEFAULT_TOTAL_TIMEOUT = 60.0
#: RFC 9309 asks crawlers to read at least 500 KiB of a robots.txt.
ROBOTS_MAX_BYTES = 512 * 1024
ROBOTS_TIMEOUT = 5.0
#: RFC 9309: a cached robots.txt should not be used for more than 24 hours.
ROBOTS_CACHE_SECONDS = 24 * 3600
#: When robots.txt could not be read (5xx, timeout), try again sooner than that.
ROBOTS_RETRY_SECONDS = 600

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
SETTING_ALLOW_PRIVATE = "BABELPRESS_IMPORT_ALLOW_PRIVATE"


# --- Errors --------------------------------------------------------------------------------------


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


# --- Result --------------------------------------------------------------------------------------


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


# --- The SSRF guard ------------------------------------------------------------------------------

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")
_SHARED = ipaddress.ip_network("100.64.0.0/10")
_HOST_RE = re.compile(r"^[A-Za-z0-9_.-]+$")
_LEGACY_IPV4_RE = re.compile(r"^(?:0[xX][0-9a-fA-F]*|[0-9]+)(?:\.(?:0[xX][0-9a-fA-F]*|[0-9]+)){0,3}\.?$")
# Kinds a deployment may open with allow_private=True (its own LAN, a partner over a VPN).
# Link-local (cloud metadata at 169.254.169.254), multicast, unspecified and reserved ranges
# never serve articles, so True does not open them; an explicit network list can.
_PRIVATE_KINDS = frozenset({"loopback", "private", "shared (carrier-grade NAT)", "non-public"})


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, when it is one of the translation forms."""
    if ip.ipv4_mapped is not None:  # ::ffff:a.b.c.d
        return ip.ipv4_mapped
    if ip.sixtofour is not None:  # 2002:AABB:CCDD::/48
        return ip.sixtofour
    if ip.teredo is not None:  # 2001::/32 (server, client): the client is who we would reach
        return ip.teredo[1]
    if ip in _NAT64:  # 64:ff9b::a.b.c.d, the well-known NAT64 prefix
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    packed = int(ip)
    if packed >> 32 == 0 and packed > 1:  # ::a.b.c.d, the deprecated IPv4-compatible form
        return ipaddress.IPv4Address(packed)
    return None


def address_kind(ip: IPAddress) -> str | None:
    """Why ``ip`` is not a public internet address (e.g. "loopback"), or None when it is."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id:
            ip = ipaddress.IPv6Address(str(ip).split("%", 1)[0])
        inner = _embedded_ipv4(ip)
        if inner is not None:
            kind = address_kind(inner)
            return f"{kind} (IPv4 {inner} written as IPv6)" if kind else None
    if ip.is_unspecified or (isinstance(ip, ipaddress.IPv4Address) and ip in _THIS_NETWORK):
        return "unspecified"
    if ip.is_multicast:
        return "multicast"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return "private"
    if ip.is_reserved:
        return "reserved"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED:
        return "shared (carrier-grade NAT)"
    if ip.is_private:
        return "private"
    if not ip.is_global:  # documentation, benchmarking and other special-purpose ranges
        return "non-public"
    return None


AllowPrivate = bool | str | Iterable[str] | None


def _allowed_networks(allow_private: AllowPrivate) -> bool | list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """Normalise allow_private: a bool, or the networks explicitly opened."""
    if allow_private is None:
        allow_private = _setting_allow_private()
    if isinstance(allow_private, bool):
        return allow_private
    if isinstance(allow_private, str):
        allow_private = [part for part in allow_private.split(",") if part.strip()]
    networks = []
    for item in allow_private:
        try:
            networks.append(ipaddress.ip_network(str(item).strip(), strict=False))
        except ValueError:
            raise ValueError(
                f"{SETTING_ALLOW_PRIVATE}: {item!r} is not an IP address or network; "
                "use True/False or a list such as ['10.1.2.0/24', '192.168.0.7']."
            ) from None
    return networks


def _setting_allow_private() -> AllowPrivate:
    # Read at call time so tests (and the lead's settings overrides) take effect; outside Django
    # (bench scripts, a bare shell) the guard stays on.
    try:
        from django.conf import settings

        return getattr(settings, SETTING_ALLOW_PRIVATE, False)
    except Exception:  # ImportError, ImproperlyConfigured: no Django settings here
        return False


def _address_refusal(ip: IPAddress, allowed) -> str | None:
    kind = address_kind(ip)
    if kind is None:
        return None
    if allowed is True:
        base_kind = kind.split(" (", 1)[0]
        return None if base_kind in _PRIVATE_KINDS else kind
    if allowed:
        plain = ipaddress.ip_address(str(ip).split("%", 1)[0])
        if isinstance(plain, ipaddress.IPv6Address) and _embedded_ipv4(plain) is not None:
            candidates = [plain, _embedded_ipv4(plain)]
        else:
            candidates = [plain]
        if any(c in net for c in candidates for net in allowed if c.version == net.version):
            return None
    return kind


def _forbidden_message(url: str, host: str, ip: IPAddress, kind: str) -> str:
    try:
        literal = ipaddress.ip_address(host) == ip
    except ValueError:
        literal = False
    what = f"{host} is" if literal else f"{host} resolves to {ip}, which is"
    return (
        f"Refusing to fetch {url}: {what} a {kind} address, not a public internet one. "
        "Babelpress only imports from public addresses so that an imported URL cannot reach "
        "internal services. If this is a trusted partner on your own network, set "
        f"{SETTING_ALLOW_PRIVATE} (True, or a list of networks such as ['10.1.2.0/24'])."
    )


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(unquote(host))
        return True
    except ValueError:
        return bool(_LEGACY_IPV4_RE.match(host))


_dns_executor: concurrent.futures.ThreadPoolExecutor | None = None
_dns_lock = threading.Lock()


def _dns_pool() -> concurrent.futures.ThreadPoolExecutor:
    global _dns_executor
    with _dns_lock:
        if _dns_executor is None:
            _dns_executor = concurrent.futures.ThreadPoolExecutor(max_workers=8, thread_name_prefix="babelpress-dns")
        return _dns_executor


def _resolve(host: str, port: int, url: str, timeout: float = DEFAULT_TIMEOUT) -> list[IPAddress]:
    """All addresses of ``host``, in the resolver's order. IP literals resolve to themselves."""
    literal = unquote(host)
    try:
        return [ipaddress.ip_address(literal)]
    except ValueError:
        pass
    if _LEGACY_IPV4_RE.match(host):
        # "127.1", "0x7f.0.0.1", "2130706433", "0177.0.0.1": the C library reads these as IPv4
        # addresses; read them the same way here rather than trust what a resolver makes of them.
        try:
            return [ipaddress.IPv4Address(socket.inet_aton(host))]
        except OSError:
            pass
    if not _HOST_RE.match(host):
        raise InvalidURL(f"{url} has an invalid host name {host!r}. Check the address.", url, "invalid_host")
    try:
        # getaddrinfo has no timeout of its own: run it aside so a dead resolver cannot hold the
        # fetch past its budget. (socket.getaddrinfo is looked up at call time: tests fake it.)
        future = _dns_pool().submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
        infos = future.result(timeout=timeout)
    except concurrent.futures.TimeoutError:
        raise Timeout(
            f"Looking up the host name {host!r} of {url} took more than {timeout:g} s. The site's DNS "
            "may be down; try again later.",
            url,
        ) from None
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise ConnectionFailed(
            f"Could not resolve the host name {host!r} of {url} ({exc}). Check the address for typos; "
            "if it is right, the site's DNS may be down: try again later.",
            url,
            "dns_error",
        ) from None
    addresses: list[IPAddress] = []
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if ip not in addresses:
            addresses.append(ip)
    if not addresses:
        raise ConnectionFailed(f"The host name {host!r} of {url} has no address.", url, "dns_error")
    return addresses


def check_url(url: str) -> httpx.URL:
    """Parse a URL and refuse what we never fetch (other schemes, credentials, no host)."""
    if not isinstance(url, str) or not url.strip():
        raise InvalidURL("No URL given: paste the full address, starting with https://.", str(url))
    url = url.strip()
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise InvalidURL(f"{url!r} is not a valid URL ({exc}). Check the address.", url) from None
    if parsed.scheme not in ("http", "https"):
        scheme = parsed.scheme or "(none)"
        raise InvalidURL(
            f"Refusing to fetch {url}: only http:// and https:// addresses can be imported, "
            f"not {scheme}:. Use the web address of the page or feed.",
            url,
            "unsupported_scheme",
        )
    if parsed.userinfo:
        raise InvalidURL(
            f"Refusing to fetch {parsed.copy_with(username=None, password=None)}: the address contains a "
            "user name or password. Remove the credentials from the URL; Babelpress does not send "
            "credentials to partner sites.",
            str(parsed.copy_with(username=None, password=None)),
            "credentials_in_url",
        )
    if not parsed.host:
        raise InvalidURL(f"{url!r} has no host name. Check the address.", url, "invalid_host")
    return parsed.copy_with(fragment=None)


# --- Bounded content decoding --------------------------------------------------------------------


class _Inflater:
    """One Content-Encoding stage (gzip or deflate) whose output never exceeds a given limit."""

    def __init__(self, coding: str):
        self.coding = coding
        self._raw_fallback = coding == "deflate"
        self._obj = zlib.decompressobj(31 if coding == "gzip" else 15)
        self._started = False

    def feed(self, data: bytes, limit: int) -> bytes:
        out = bytearray()
        while data:
            # max_length bounds each step: a 1 KB bomb never turns into more than limit+1 bytes.
            try:
                piece = self._obj.decompress(data, limit - len(out) + 1)
            except zlib.error:
                if self._raw_fallback and not self._started:
                    # "deflate" is often sent raw, without the zlib header it should have.
                    self._raw_fallback = False
                    self._obj = zlib.decompressobj(-15)
                    continue
                raise
            self._started = True
            out += piece
            if len(out) > limit:
                raise _Overflow
            if self._obj.eof:
                rest = self._obj.unused_data + self._obj.unconsumed_tail
                if self.coding == "gzip" and rest.lstrip(b"\x00")[:2] == b"\x1f\x8b":
                    # Concatenated gzip members are one valid stream (RFC 1952).
                    self._obj = zlib.decompressobj(31)
                    data = rest.lstrip(b"\x00")
                    continue
                break  # trailing garbage after the stream: ignored, as browsers do
            data = self._obj.unconsumed_tail
        return bytes(out)

    def flush(self, limit: int) -> bytes:
        out = self._obj.flush(limit + 1) if not self._obj.eof else b""
        if len(out) > limit:
            raise _Overflow
        return out


class _Overflow(Exception):
    pass


def _decoders(content_encoding: str | None, url: str) -> list[_Inflater]:
    stages = []
    for coding in (content_encoding or "").lower().split(","):
        coding = coding.strip()
        if coding in ("", "identity"):
            continue
        if coding in ("gzip", "x-gzip"):
            stages.append(_Inflater("gzip"))
        elif coding == "deflate":
            stages.append(_Inflater("deflate"))
        else:
            raise ContentDecodingError(
                f"{url} was sent with Content-Encoding {coding!r}, which Babelpress did not ask for and "
                "cannot decode (it accepts gzip and deflate). The server is misconfigured; ask the "
                "publisher to honour Accept-Encoding.",
                url,
            )
    return list(reversed(stages))  # applied in reverse order of listing


# --- Charsets ------------------------------------------------------------------------------------

# WHATWG Encoding Standard: these labels mean a superset in practice (browsers decode them so).
_CHARSET_SUPERSETS = {
    "ascii": "cp1252", "latin-1": "cp1252", "iso8859-1": "cp1252",
    "iso8859-9": "cp1254", "iso8859-11": "cp874", "tis-620": "cp874",
    "gb2312": "gb18030", "gbk": "gb18030", "euc_kr": "cp949",
}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_DECL_RE = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""", re.IGNORECASE)
_CHARSET_PARAM_RE = re.compile(r"""charset\s*=\s*["']?([^"';\s]+)""", re.IGNORECASE)


def _codec(label: str | bytes | None) -> str | None:
    """Python codec name for a charset label, None when unknown."""
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", "ignore")
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return _CHARSET_SUPERSETS.get(name, name)


def _strict(content: bytes, codec: str) -> str | None:
    try:
        return content.decode(codec)
    except (UnicodeDecodeError, LookupError):
        if codec == "cp1252":  # five bytes are undefined in cp1252; ISO-8859-1 maps them all
            return content.decode("latin-1")
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    match = _CHARSET_PARAM_RE.search(content_type or "")
    return match.group(1) if match else None


def decode_bytes(content: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode a document: (text, codec name).

    Order: a byte-order mark (it cannot lie, and the Encoding Standard lets it win over the
    header); the HTTP charset; <meta charset> / http-equiv; the XML declaration; then sniffing
    (UTF-8 if valid, charset_normalizer if installed), last UTF-8 with replacement characters.
    A declared legacy charset on bytes that are valid, non-ASCII UTF-8 is taken to be wrong:
    servers that default to ISO-8859-1 are far more common than such a coincidence.
    """
    for bom, codec in _BOMS:
        if content.startswith(bom):
            return content[len(bom):].decode(codec, "replace"), codec.replace("-le", "").replace("-be", "")
    head = content[:4096]
    declared = [
        charset_from_content_type(content_type),
        *(m.group(1).decode("ascii", "ignore") for m in _META_CHARSET_RE.finditer(head)),
    ]
    xml = _XML_DECL_RE.match(head)
    if xml:
        declared.append(xml.group(1).decode("ascii", "ignore"))
    utf8_text = None
    try:
        utf8_text = content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for label in declared:
        codec = _codec(label)
        if codec is None:
            continue
        if codec.startswith(("utf-16", "utf-32")):
            # Without a BOM, an ASCII-compatible document cannot really be UTF-16 (WHATWG: use UTF-8).
            if b"\x00" not in head:
                codec = "utf-8"
            else:
                text = _strict(content, codec)
                if text is not None:
                    return text, codec
                continue
        if utf8_text is not None and codec != "utf-8" and not content.isascii():
            return utf8_text, "utf-8"
        text = _strict(content, codec)
        if text is not None:
            return text, codec
    if utf8_text is not None:
        return utf8_text, "utf-8"
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - charset_normalizer ships with our dependencies
        from_bytes = None
    if from_bytes is not None:
        matches = list(from_bytes(content[:65536]))
        codec = None
        if matches:
            least = min(m.chaos for m in matches)
            tied = [m for m in matches if m.chaos <= least + 0.001]
            # Equally plausible single-byte guesses (French in cp1250 and cp1252 look alike to the
            # detector): prefer windows-1252, the Encoding Standard's default for undeclared legacy
            # pages, which turns "à" into "ŕ" far less often than the alternatives.
            if any("cp1252" in m.could_be_from_charset for m in tied):
                codec = "cp1252"
            else:
                codec = _codec(matches[0].encoding)
        if codec:
            return content.decode(codec, "replace"), codec
    return content.decode("utf-8", "replace"), "utf-8"


def _is_textual(media_type: str) -> bool:
    return (
        not media_type
        or media_type.startswith("text/")
        or media_type.endswith(("/xml", "+xml", "/json", "+json"))
        or media_type in ("application/javascript", "application/x-javascript")
    )


def _media_matches(media_type: str, allowed: Collection[str]) -> bool:
    for pattern in allowed:
        pattern = pattern.lower().strip()
        if pattern in ("*/*", media_type) or (pattern.endswith("/*") and media_type.startswith(pattern[:-1])):
            return True
    return False


# --- robots.txt ----------------------------------------------------------------------------------

_robots_cache: dict[str, tuple[float, RobotFileParser | None]] = {}
_robots_lock = threading.Lock()


def clear_robots_cache() -> None:
    with _robots_lock:
        _robots_cache.clear()


def _robots_allows(url: httpx.URL, allowed, warnings: list[str]) -> tuple[bool, str]:
    origin = f"{url.scheme}://{url.netloc.decode('ascii')}"
    robots_url = f"{origin}/robots.txt"
    now = time.monotonic()
    with _robots_lock:
        cached = _robots_cache.get(origin)
    if cached is not None and cached[0] > now:
        parser = cached[1]
    else:
        parser, ttl = _load_robots(robots_url, allowed, warnings)
        with _robots_lock:
            _robots_cache[origin] = (now + ttl, parser)
    if parser is None:
        return True, robots_url
    return parser.can_fetch(USER_AGENT, str(url)), robots_url


def _load_robots(robots_url: str, allowed, warnings: list[str]) -> tuple[RobotFileParser | None, float]:
    """The parsed robots.txt, or None for "everything allowed"; and how long to keep the answer."""
    try:
        result = _fetch(
            robots_url, etag=None, last_modified=None, allowed=allowed, max_bytes=ROBOTS_MAX_BYTES,
            timeout=httpx.Timeout(ROBOTS_TIMEOUT), total_timeout=ROBOTS_TIMEOUT * 2, max_redirects=5,
            respect_robots=False, accept="text/plain,*/*;q=0.5", content_types=None,
        )
    except HTTPStatusError as exc:
        if 400 <= exc.status < 500:  # RFC 9309: unavailable robots.txt, no restrictions
            return None, ROBOTS_CACHE_SECONDS
        problem = f"HTTP {exc.status}"
    except EmptyResponse:
        return None, ROBOTS_CACHE_SECONDS
    except FetchError as exc:
        problem = exc.reason_code
    else:
        parser = RobotFileParser(robots_url)
        # Decoded whatever its Content-Type: robots.txt is UTF-8 by RFC 9309, often mislabelled.
        parser.parse(result.content.decode("utf-8", "replace").splitlines())
        return parser, ROBOTS_CACHE_SECONDS
    message = f"{robots_url} could not be read ({problem}); fetched as allowed."
    log.warning(message)
    warnings.append(message)
    return None, ROBOTS_RETRY_SECONDS


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
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float | tuple[float, float] | httpx.Timeout = DEFAULT_TIMEOUT,
    total_timeout: float = DEFAULT_TOTAL_TIMEOUT,
    max_redirects: int = 5,
    respect_robots: bool = True,
    accept: str = HTML_ACCEPT,
    content_types: Collection[str] | None = None,
    user_agent: str | None = None,
) -> FetchResult:
    """GET ``url`` under the guard described in the module docstring.

    ``etag``/``last_modified``: values stored from a previous fetch; a 304 answer gives
    ``not_modified=True`` (and an empty ``content``).
    ``allow_private``: None reads settings.BABELPRESS_IMPORT_ALLOW_PRIVATE (default False).
    True also opens loopback and private networks; a list of networks opens exactly those.
    ``timeout``: connect/read/write seconds (a number, (connect, read) or an httpx.Timeout);
    ``total_timeout``: wall-clock budget for the whole fetch, redirects and body included.
    ``content_types``: media types accepted (``text/*`` patterns allowed); others raise
    BadContentType. None accepts anything.
    ``user_agent``: the User-Agent header sent (default USER_AGENT); robots.txt rules are still
    matched against ROBOTS_AGENT.
    """
    return _fetch(
        url, etag=etag, last_modified=last_modified, allowed=_allowed_networks(allow_private),
        max_bytes=max_bytes, timeout=_timeout(timeout), total_timeout=total_timeout,
        max_redirects=max_redirects, respect_robots=respect_robots, accept=accept,
        content_types=content_types, user_agent=user_agent or USER_AGENT,
    )


def _fetch(
    url: str, *, etag, last_modified, allowed, max_bytes, timeout, total_timeout, max_redirects,
    respect_robots, accept, content_types, user_agent=USER_AGENT,
) -> FetchResult:
    deadline = time.monotonic() + total_timeout
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
        budget = max(0.001, min(timeout.connect or DEFAULT_TIMEOUT, deadline - time.monotonic()))
        addresses = _vetted_addresses(current, allowed, budget)
        if respect_robots:
            permitted, robots_url = _robots_allows(current, allowed, warnings)
            if not permitted:
                raise RobotsDisallowed(
                    f"{robots_url} does not allow Babelpress to fetch {shown}. Ask the publisher to "
                    f"allow the '{ROBOTS_AGENT}' user agent, or, if an agreement with them permits it, "
                    "import with robots.txt checks turned off.",
                    shown,
                )
        with _open(current, addresses, headers, timeout, deadline) as response:
            status = response.status_code
            if status in REDIRECT_STATUSES and response.headers.get("location"):
                location = response.headers["location"]
                try:
                    target = current.join(location.strip())
                except (httpx.InvalidURL, ValueError) as exc:
                    raise InvalidURL(
                        f"{shown} redirects to an invalid address {location!r} ({exc}).", shown
                    ) from None
                redirects.append((status, str(target.copy_with(fragment=None))))
                if len(redirects) > max_redirects:
                    raise TooManyRedirects(
                        f"{url} redirected more than {max_redirects} times (last to {target}). "
                        "Use the final address of the page directly, or tell the publisher about the loop.",
                        shown,
                    )
                try:
                    current = check_url(str(target))
                except InvalidURL as exc:
                    raise type(exc)(f"{shown} redirected: {exc.message}", exc.url, exc.reason_code) from None
                if str(current) in seen:
                    raise TooManyRedirects(f"{url} redirects in a loop (back to {current}).", shown)
                seen.add(str(current))
                continue
            return _finish(response, current, status, etag, last_modified, max_bytes, deadline,
                           content_types, redirects, warnings)


def _vetted_addresses(url: httpx.URL, allowed, timeout: float = DEFAULT_TIMEOUT) -> list[IPAddress]:
    """Resolve the host of ``url`` once and refuse it if ANY of its addresses is off limits.

    Refusing on any (rather than picking a good one) keeps a host that mixes public and internal
    answers from being a way in; the caller then connects only to these very addresses.
    """
    shown = str(url)
    host = url.raw_host.decode("ascii")
    port = url.port or (443 if url.scheme == "https" else 80)
    addresses = _resolve(host, port, shown, timeout)
    for ip in addresses:
        kind = _address_refusal(ip, allowed)
        if kind:
            raise ForbiddenAddress(_forbidden_message(shown, unquote(host), ip, kind), shown)
    return addresses


class _open:
    """Context manager: a streamed response from one of the vetted ``addresses`` of ``url``."""

    def __init__(self, url: httpx.URL, addresses: list[IPAddress], headers: dict, timeout: httpx.Timeout,
                 deadline: float):
        self.url, self.addresses, self.headers, self.timeout, self.deadline = url, addresses, headers, timeout, deadline
        self.client: httpx.Client | None = None
        self.stream = None

    def __enter__(self) -> httpx.Response:
        url, shown, addresses = self.url, str(self.url), self.addresses
        host = url.raw_host.decode("ascii")
        request_headers = {**self.headers, "Host": url.netloc.decode("ascii")}
        extensions = {}
        if url.scheme == "https" and not _is_ip_literal(host):
            # Certificate checked against the name, while the socket goes to the pinned IP.
            extensions["sni_hostname"] = host
        last_error: Exception | None = None
        for ip in addresses:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                break
            pinned = url.copy_with(host=str(ip))
            # One client per hop: no cookie or pooled connection carries over to another host.
            client = httpx.Client(
                verify=_ssl_context(), trust_env=False, follow_redirects=False, http2=False,
                timeout=_capped(self.timeout, remaining),
                limits=httpx.Limits(max_connections=1, max_keepalive_connections=0),
            )
            try:
                stream = client.stream("GET", pinned, headers=request_headers, extensions=extensions)
                response = stream.__enter__()
            except httpx.ConnectError as exc:
                client.close()
                last_error = exc
                if _is_tls_error(exc):
                    break
                continue  # next address of the host
            except BaseException as exc:
                client.close()
                raise _translate(exc, shown, self.timeout) from None
            self.client, self.stream = client, stream
            return response
        if last_error is None:
            raise Timeout(f"{shown}: the time allowed for the whole fetch ran out. Try again later.", shown)
        raise _translate(last_error, shown, self.timeout) from None

    def __exit__(self, exc_type, exc, tb):
        try:
            if self.stream is not None:
                self.stream.__exit__(None, None, None)
        finally:
            if self.client is not None:
                self.client.close()
        if exc is not None and not isinstance(exc, FetchError) and isinstance(exc, (httpx.HTTPError, OSError)):
            raise _translate(exc, str(self.url), self.timeout) from None
        return False


def _capped(timeout: httpx.Timeout, remaining: float) -> httpx.Timeout:
    def cap(value):
        return remaining if value is None else min(value, remaining)

    return httpx.Timeout(connect=cap(timeout.connect), read=cap(timeout.read), write=cap(timeout.write),
                         pool=cap(timeout.pool))


def _is_tls_error(exc: Exception) -> bool:
    text = f"{exc} {exc.__cause__ or ''} {exc.__context__ or ''}"
    return isinstance(exc.__cause__ or exc.__context__, ssl.SSLError) or "SSL" in text or "certificate" in text


def _translate(exc: BaseException, url: str, timeout: httpx.Timeout) -> BaseException:
    if isinstance(exc, FetchError):
        return exc
    if isinstance(exc, httpx.TimeoutException):
        kind = {
            httpx.ConnectTimeout: f"could not connect within {timeout.connect} s",
            httpx.ReadTimeout: f"sent nothing for {timeout.read} s",
            httpx.WriteTimeout: "did not accept the request in time",
            httpx.PoolTimeout: "no connection was available in time",
        }.get(type(exc), "timed out")
        return Timeout(f"{url}: the server {kind}. It may be down or overloaded; try again later.", url)
    if isinstance(exc, httpx.ConnectError):
        if _is_tls_error(exc):
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


def _status_error(response: httpx.Response, url: str) -> HTTPStatusError:
    status = response.status_code
    advice = _STATUS_ADVICE.get(status)
    if advice is None:
        advice = "the server failed; try again later" if status >= 500 else "the server refused the request"
    retry_after = response.headers.get("retry-after")
    extra = f" (Retry-After: {retry_after})" if retry_after else ""
    reason = f" {response.reason_phrase}" if response.reason_phrase else ""
    return HTTPStatusError(f"{url} answered HTTP {status}{reason}: {advice}{extra}.", url, status, retry_after)


def _finish(response, current, status, etag, last_modified, max_bytes, deadline, content_types,
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
        raise _status_error(response, shown)
    if content_types is not None and media_type and not _media_matches(media_type, content_types):
        raise BadContentType(
            f"{shown} is {media_type}, not one of the expected types ({', '.join(content_types)}). "
            "Check that the address points to the right kind of document.",
            shown,
        )
    content = _read_body(response, shown, max_bytes, deadline)
    if not content.strip():
        raise EmptyResponse(
            f"{shown} answered HTTP {status} with an empty body. The page may be generated by "
            "JavaScript or temporarily broken; try again later or import it another way.",
            shown,
        )
    if _is_textual(media_type):
        text, encoding = decode_bytes(content, raw_type)
    else:
        text, encoding = "", None
    return FetchResult(content=content, text=text, encoding=encoding, **common)


def _read_body(response: httpx.Response, url: str, max_bytes: int, deadline: float) -> bytes:
    def too_large(what: str) -> TooLarge:
        return TooLarge(
            f"{url} is larger than the {max_bytes:,} bytes allowed{what}; it was not downloaded further. "
            "If it really is a page or feed you need, raise max_bytes for this source.",
            url,
        )

    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise too_large(f" (Content-Length {int(length):,})")
    stages = _decoders(response.headers.get("content-encoding"), url)
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
            if time.monotonic() > deadline:
                raise Timeout(
                    f"{url} was still sending when the time allowed for the whole fetch ran out; the "
                    "server is too slow. Try again later.",
                    url,
                )
        tail = b""
        for stage in stages:
            limit = max_bytes - (len(body) if stage is stages[-1] else 0)
            tail = stage.feed(tail, limit)
            tail += stage.flush(limit - len(tail))
        body += tail
    except _Overflow:
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
