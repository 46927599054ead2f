"""Whether a rendered page is inert: nothing a stored string brought into it can run.

A page is compared with a *baseline*, the same kind of page drawn from plain text: whatever can
run (scripts, event handlers, ``javascript:`` addresses, frames, objects, forms, styles) must be
exactly what the baseline has, and every element must be one the baseline or the article body
format (newsroom/sanitize.py) has. Script elements that only carry data (JSON-LD, JSON) must
still parse, so no string ended them early. What a real browser does with the page is checked
too, by tests/admin_sweep/test_naughty_browser.py.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field

import lxml.html

RUNS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form", "style", "link", "meta",
        "svg", "math", "template", "portal", "noscript"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "poster", "data", "xlink:href", "background",
                  "cite", "srcdoc", "ping", "manifest", "codebase"}
ACTIVE_SCHEME = re.compile(r"^(?:javascript|vbscript|livescript|data\s*:\s*(?:text/html|image/svg|application))\s*:?",
                           re.IGNORECASE)
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}


def _url(value: str) -> str:
    # What a browser makes of an address before it reads its scheme: controls and spaces go.
    return re.sub(r"[\x00-\x20\x7f]", "", value)


@dataclass
class Shape:
    """What can run on a page, and which elements it has."""

    active: Counter = field(default_factory=Counter)  # (tag, attributes) of elements that can run or load
    handlers: Counter = field(default_factory=Counter)  # (tag, attribute, value) of on* attributes
    active_urls: Counter = field(default_factory=Counter)  # (tag, attribute, value) of javascript: addresses
    tags: set = field(default_factory=set)
    broken_data: list = field(default_factory=list)  # data scripts that no longer parse


def shape(html: bytes | str) -> Shape:
    text = html.decode("utf-8", "replace") if isinstance(html, bytes) else html
    found = Shape()
    for element in lxml.html.document_fromstring(text).iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        found.tags.add(tag)
        attributes = {name.lower(): value for name, value in element.attrib.items()}
        if tag == "script" and attributes.get("type", "").lower() in DATA_SCRIPT_TYPES:
            try:
                json.loads(element.text or "null")
            except ValueError as exc:
                found.broken_data.append(f"{exc}: {(element.text or '')[:200]!r}")
        elif tag in RUNS:
            key = _active_key(tag, attributes, element.text or "")
            if key:
                found.active[key] += 1
        for name, value in attributes.items():
            if name.startswith("on"):
                found.handlers[(tag, name, value)] += 1
            elif name in URL_ATTRIBUTES and ACTIVE_SCHEME.match(_url(value)):
                found.active_urls[(tag, name, value)] += 1
    return found


def _active_key(tag: str, attributes: dict, text: str) -> tuple | None:
    """What tells an element that can run from the page's own: the parts of it a page's data
    (a slug, a description) does not change."""
    if tag == "meta":  # only http-equiv (a refresh, a policy) acts; name/content is data
        return ("meta", attributes["http-equiv"].lower()) if "http-equiv" in attributes else None
    if tag == "link":
        return ("link", attributes.get("rel", ""))
    if tag == "form":
        return ("form", attributes.get("method", ""), attributes.get("id", ""))
    if tag == "script":
        return ("script", attributes.get("type", ""), attributes.get("src", ""), text.strip())
    return (tag, tuple(sorted(attributes)), text.strip() if tag == "style" else "")


def problems(page: bytes | str, baseline: Shape, allowed_tags: set[str] = frozenset()) -> list[str]:
    """What on ``page`` could run that ``baseline`` (the same page, from plain text) does not have."""
    seen, found = shape(page), []
    for kind in ("active", "handlers", "active_urls"):
        extra = getattr(seen, kind) - getattr(baseline, kind)
        found += [f"{kind}: {item!r}"[:400] for item in extra]
    unknown = seen.tags - baseline.tags - set(allowed_tags)
    if unknown:
        found.append(f"elements no plain page has: {sorted(unknown)}")
    found += [f"a data script no longer parses: {broken}" for broken in seen.broken_data]
    return found
