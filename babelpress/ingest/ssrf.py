"""The SSRF guard: which addresses the importer may fetch from, checked before any byte is sent.

An imported URL is typed by an editor or found in a partner's feed, so it must not be a way into
the server's own network. ``check_url`` refuses other schemes and credentials; ``vetted_addresses``
resolves the host once and refuses it when ANY of its addresses is not a public internet one
(loopback, private, link-local, multicast, reserved, unspecified, and IPv6 forms that embed such
an IPv4 address). The caller then connects to exactly those addresses (see fetch.py), so a DNS
answer that changes between the check and the connection (DNS rebinding) cannot move it.

``BABELPRESS_IMPORT_ALLOW_PRIVATE`` opens the guard for a deployment's own partners: ``True``
opens loopback and private networks; a list of networks (``10.1.2.0/24,192.168.0.7``) opens
exactly those, whatever their kind.
"""

from __future__ import annotations

import concurrent.futures
import ipaddress
import re
import socket
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import unquote

from django.core.exceptions import ImproperlyConfigured

from django.utils.translation import gettext_noop

from babelpress.booleans import is_boolean_word, parse_bool

from .messages import Message
from .errors import ConnectionFailed, ForbiddenAddress, InvalidURL, Timeout

if TYPE_CHECKING:  # httpx is imported where a URL is checked: the settings import this module
    import httpx

SETTING_ALLOW_PRIVATE = "BABELPRESS_IMPORT_ALLOW_PRIVATE"
DNS_TIMEOUT = 10.0

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


Network = ipaddress.IPv4Network | ipaddress.IPv6Network
AllowPrivate = bool | str | Iterable[str] | None


def _invalid_allow_private(item) -> ImproperlyConfigured:
    return ImproperlyConfigured(
        f"{SETTING_ALLOW_PRIVATE}: {str(item)[:100]!r} is not an IP address or network. Set it to true or false, "
        f"or to a comma-separated list of networks to open, e.g. {SETTING_ALLOW_PRIVATE}=10.1.2.0/24,192.168.0.7"
    )


def parse_allow_private(value: AllowPrivate) -> bool | tuple[Network, ...]:
    """``BABELPRESS_IMPORT_ALLOW_PRIVATE`` as the guard uses it: a bool, or the networks opened.

    Accepts a bool, a boolean word (1/0, true/false, yes/no, on/off), a comma-separated string of
    networks or addresses ("10.1.2.0/24,192.168.0.7"), or a list of them. Anything else raises
    ImproperlyConfigured naming the variable and showing an example.
    """
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if not word:
            return False
        if is_boolean_word(word):
            return parse_bool(word)
        if word.startswith("[") and word.endswith("]"):  # ['10.1.2.0/24'], as a Python list is written
            value = value.strip()[1:-1]
        value = [part.strip().strip("'\"") for part in value.split(",") if part.strip().strip("'\"")]
    if isinstance(value, (bytes, int, float)) or not isinstance(value, Iterable):
        raise _invalid_allow_private(value)
    networks = []
    for item in value:
        if not isinstance(item, (str, ipaddress.IPv4Network, ipaddress.IPv6Network, ipaddress.IPv4Address,
                                 ipaddress.IPv6Address)):
            raise _invalid_allow_private(item)
        try:
            networks.append(ipaddress.ip_network(str(item).strip(), strict=False))
        except ValueError:
            raise _invalid_allow_private(item) from None
    return tuple(networks) or False


def allowed_networks(allow_private: AllowPrivate) -> bool | tuple[Network, ...]:
    """Normalise allow_private (None: the setting): a bool, or the networks explicitly opened."""
    return parse_allow_private(_setting_allow_private() if allow_private is None else allow_private)


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


def _forbidden_message(url: str, host: str, ip: IPAddress, kind: str) -> Message:
    try:
        literal = ipaddress.ip_address(host) == ip
    except ValueError:
        literal = False
    what = (Message(gettext_noop("%(host)s is"), host=host) if literal
            else Message(gettext_noop("%(host)s resolves to %(ip)s, which is"), host=host, ip=str(ip)))
    plain = str(ip).split("%", 1)[0]
    only_this = f"{plain}/{32 if ip.version == 4 else 128}"
    if kind.split(" (", 1)[0] in _PRIVATE_KINDS:
        how = Message(gettext_noop("set %(setting)s to the networks to open, e.g. %(setting)s=%(network)s for this "
                                   "address only (or true for every private network)"),
                      setting=SETTING_ALLOW_PRIVATE, network=only_this)
    else:
        how = Message(gettext_noop("list its network in %(setting)s, e.g. %(setting)s=%(network)s (true does not "
                                   "open %(kind)s addresses)"),
                      setting=SETTING_ALLOW_PRIVATE, network=only_this, kind=kind.split(" (", 1)[0])
    return Message(
        gettext_noop("Refusing to fetch %(address)s: %(what)s a %(kind)s address, not a public internet one. "
                     "Babelpress only imports from public addresses so that an imported URL cannot reach internal "
                     "services. If this is a trusted partner on your own network, %(how)s."),
        address=url, what=what, kind=kind, how=how)


def is_ip_literal(host: str) -> bool:
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


def _resolve(host: str, port: int, url: str, timeout: float = DNS_TIMEOUT) -> list[IPAddress]:
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
        raise InvalidURL(Message(gettext_noop("%(address)s has an invalid host name %(host)s. Check the address."),
                                 address=url, host=repr(host)), url, "invalid_host")
    try:
        # getaddrinfo has no timeout of its own: run it aside so a dead resolver cannot hold the
        # fetch past its budget. (socket.getaddrinfo is looked up at call time: tests fake it.)
        future = _dns_pool().submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
        infos = future.result(timeout=timeout)
    except concurrent.futures.TimeoutError:
        raise Timeout(
            Message(gettext_noop("Looking up the host name %(host)s of %(address)s took more than %(seconds)s s. The "
                                 "site's DNS may be down; try again later."), host=repr(host), address=url,
                    seconds=timeout),
            url,
        ) from None
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise ConnectionFailed(
            Message(gettext_noop("Could not resolve the host name %(host)s of %(address)s (%(error)s). Check the "
                                 "address for typos; if it is right, the site's DNS may be down: try again later."),
                    host=repr(host), address=url, error=str(exc)),
            url,
            "dns_error",
        ) from None
    addresses: list[IPAddress] = []
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if ip not in addresses:
            addresses.append(ip)
    if not addresses:
        raise ConnectionFailed(Message(gettext_noop("The host name %(host)s of %(address)s has no address."),
                                       host=repr(host), address=url), url, "dns_error")
    return addresses


def check_url(url: str) -> httpx.URL:
    """Parse a URL and refuse what we never fetch (other schemes, credentials, no host)."""
    import httpx

    if not isinstance(url, str) or not url.strip():
        raise InvalidURL(Message(gettext_noop("No URL given: paste the full address, starting with https://.")), str(url))
    url = url.strip()
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise InvalidURL(Message(gettext_noop("%(address)s is not a valid URL (%(error)s). Check the address."),
                                 address=repr(url), error=str(exc)), url) from None
    if parsed.scheme not in ("http", "https"):
        scheme = parsed.scheme or "(none)"
        raise InvalidURL(
            Message(gettext_noop("Refusing to fetch %(address)s: only http:// and https:// addresses can be imported, "
                                 "not %(scheme)s:. Use the web address of the page or feed."), address=url,
                    scheme=scheme),
            url,
            "unsupported_scheme",
        )
    if parsed.userinfo:
        raise InvalidURL(
            Message(gettext_noop("Refusing to fetch %(address)s: the address contains a user name or password. Remove "
                                 "the credentials from the URL; Babelpress does not send credentials to partner "
                                 "sites."), address=str(parsed.copy_with(username=None, password=None))),
            str(parsed.copy_with(username=None, password=None)),
            "credentials_in_url",
        )
    if not parsed.host:
        raise InvalidURL(Message(gettext_noop("%(address)s has no host name. Check the address."), address=repr(url)),
                         url, "invalid_host")
    return parsed.copy_with(fragment=None)


def vetted_addresses(url: httpx.URL, allowed, timeout: float = DNS_TIMEOUT) -> list[IPAddress]:
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
