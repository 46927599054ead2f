"""The address a request came from, for limits per address (failed log-ins; later comments).

By default the TCP peer (REMOTE_ADDR): a client can put anything in a header, so none is believed.
Behind a reverse proxy every request comes from the proxy, so the operator names the header the proxy
sets (BABELPRESS_CLIENT_IP_HEADER, e.g. X-Forwarded-For) and how many proxies of theirs append to it
(BABELPRESS_TRUSTED_PROXY_COUNT): the address is read that many places from the right, where a client
cannot write. Anything that is not an IP address falls back to the peer.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def header_key(name: str) -> str:
    """'X-Forwarded-For' -> 'HTTP_X_FORWARDED_FOR' (a request.META key given as such is kept)."""
    key = name.strip().upper().replace("-", "_")
    return key if key.startswith("HTTP_") or key == "REMOTE_ADDR" else f"HTTP_{key}"


def _valid(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1:value.index("]")]
    elif value.count(":") == 1:  # 203.0.113.7:51234
        value = value.split(":")[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_address(request) -> str | None:
    peer = request.META.get("REMOTE_ADDR")
    name = settings.BABELPRESS_CLIENT_IP_HEADER
    if name:
        entries = [entry for entry in request.META.get(header_key(name), "").split(",") if entry.strip()]
        count = settings.BABELPRESS_TRUSTED_PROXY_COUNT
        if len(entries) >= count:
            found = _valid(entries[-count])
            if found:
                return found
    return _valid(peer) if peer else None
