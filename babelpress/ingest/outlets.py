"""Whether a name in a byline is the publication's own: "Par TheArmTimes" on TheArmTimes' site
credits the outlet (the article's source), not a person.

An outlet is known by the names a page gives itself — its site name (``og:site_name``, trafilatura's
sitename), its JSON-LD publisher, its Twitter handle — and by its address. ``outlet_keys`` reduces
each to a comparable key ("The Arm Times", "TheArmTimes", "thearmtimes.am" and "@TheArmTimes" are
all ``armtimes``); ``names_outlet`` says whether a name is one of them, or closely matches one.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import urlsplit

# Second-level labels under a country code: "express.co.uk" is "express".
_GENERIC_LABELS = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "or", "ne", "go", "gouv"})
_DOMAIN = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?::\d+)?(?:/\S*)?$")
# Where a site name's tagline starts: "LinkNaija | Nigeria's popular news platform".
_TAGLINE = re.compile(r"\s+[|–—:·•-]\s+|\s*[|•·]\s*")
_THE = re.compile(r"^(?:the\s*|(?:le|la|les|die|der|das)\s+|l['’])")


def outlet_key(name: str | None) -> str:
    """``name`` (a site name, a handle, a domain or an address) as a comparable key: letters and
    digits only, in lower case, accents, a leading article ("The", "Le") and the domain's ending gone."""
    text = unicodedata.normalize("NFKD", (name or "").strip().casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).removeprefix("@")
    if "://" in text or _DOMAIN.match(text):
        text = _registered_name(text)
    text = _THE.sub("", text)
    return re.sub(r"[\W_]+", "", text)


def _registered_name(address: str) -> str:
    """The name a domain was registered under: "https://www.thearmtimes.am/x" -> "thearmtimes"."""
    try:
        host = urlsplit(address if "://" in address else f"//{address}").hostname or ""
    except ValueError:
        return ""
    labels = [label for label in host.split(".") if label and label != "www"]
    if not labels or all(label.isdigit() for label in labels):
        return ""  # an IP address names no outlet
    if len(labels) > 1:
        labels.pop()  # the top-level domain
    while len(labels) > 1 and labels[-1] in _GENERIC_LABELS:
        labels.pop()
    return labels[-1]


def outlet_keys(names: Iterable[str | None]) -> frozenset[str]:
    """The keys of a page's own names (site names, publisher, handle, addresses), each site name
    also without its tagline ("LinkNaija | Nigeria's popular news platform" -> "linknaija")."""
    keys = set()
    for name in names:
        if not name:
            continue
        for piece in (name, *_TAGLINE.split(name)):
            key = outlet_key(piece)
            if len(key) >= 2:
                keys.add(key)
    return frozenset(keys)


def names_outlet(name: str, keys: frozenset[str]) -> bool:
    """Whether ``name`` (one name of a byline) is the outlet's: the same key as one of its names, or
    a one-word name that the outlet's name starts with ("Beachbody" on beachbodyondemand.com) or
    that differs from it by a letter or two ("TheArmTime")."""
    key = outlet_key(name)
    if len(key) < 2 or not keys:
        return False
    if key in keys:
        return True
    if len(name.split()) > 1 or len(key) < 4:
        return False  # "Pamela Wilson" is no misspelt "pamelaiwilson": a person may own a site named after them
    return any(k.startswith(key) for k in keys) or (
        len(key) >= 8 and any(len(k) >= 8 and difflib.SequenceMatcher(None, key, k).ratio() >= 0.9 for k in keys))


def outlet_name(sitename: str, credited: str) -> str:
    """The name to credit the source by: the page's site name, or the outlet's name as its byline
    writes it (``credited``) when the site name is missing, only the site's address, or that name
    followed by a tagline ("LinkNaija | Nigeria's popular news platform" -> "LinkNaija")."""
    if not credited:
        return sitename
    if not sitename or _DOMAIN.match(sitename.casefold()):
        return credited
    pieces = _TAGLINE.split(sitename)
    return credited if len(pieces) > 1 and outlet_key(credited) in {outlet_key(p) for p in pieces} else sitename
