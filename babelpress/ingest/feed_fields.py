"""The fields of a feed and its entries, made safe: what both feed parsers (feeds.py: feedparser's
XML formats and JSON Feed) do to a title, a body, a link, a date, an id and a byline.

Every piece of HTML that leaves here has been through ``clean_body``, every text field through
``clean_text``; every link is an absolute http(s) URL written as the newsroom keeps addresses.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import re
from collections.abc import Mapping

from babelpress.absolute_urls import join, resolve
from babelpress.html_text import html_to_text
from babelpress.newsroom import web_addresses
from babelpress.newsroom.sanitize import clean_body, clean_text

from .bylines import clean_byline

MAX_GUID_LENGTH = 2000

# Text that still looks like markup after decoding (double-escaped in the source): never let
# it through a plain-text field, where a careless template could one day render it.
_MARKUP_IN_TEXT = re.compile(
    r"<\s*/?\s*(?:script|style|iframe|frame|object|embed|applet|svg|math|img|a|link|meta|form|input|"
    r"button|body|html|base|video|audio|source|details|marquee)\b[^>]*>?",
    re.IGNORECASE,
)


def html_field_text(value: str | None) -> str:
    """One line of text from a field written in HTML, without markup double-escaped in the source."""
    return clean_text(_MARKUP_IN_TEXT.sub(" ", html_to_text(value)))


def plain(value: str | None) -> str:
    """A plain-text field as one clean line (markup written in it is dropped, not kept as text)."""
    if value and _MARKUP_IN_TEXT.search(value):
        return html_field_text(html_lib.escape(value, quote=False).replace("&lt;", "<").replace("&gt;", ">"))
    return clean_text(value or "")


def _text_to_html(value: str) -> str:
    """Plain text (a text/plain summary) as paragraphs."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", value) if p.strip()]
    return "".join(
        "<p>" + "<br>".join(html_lib.escape(line.strip()) for line in p.splitlines() if line.strip()) + "</p>"
        for p in paragraphs
    )


def is_html(detail) -> bool:
    """Whether feedparser's ``*_detail`` of a field says it is HTML (or XHTML)."""
    kind = (detail or {}).get("type", "text/html") if isinstance(detail, Mapping) else "text/html"
    return "html" in kind or "xml" in kind


def body(value: str | None, detail=None, base: str | None = None) -> str:
    """A summary or content as clean body HTML, its links made absolute against ``base``."""
    if not value or not isinstance(value, str):
        return ""
    html = value if is_html(detail) else _text_to_html(value)
    if base:
        html = _absolutize(html, base)
    return clean_body(html)


_URL_ATTR = re.compile(r"""(\s(?:href|src)\s*=\s*)(["'])([^"']*)\2""", re.IGNORECASE)


def _absolutize(html: str, base: str) -> str:
    # feedparser already resolves against xml:base; JSON Feed content relies on this.
    def repl(match: re.Match) -> str:
        url = html_lib.unescape(match.group(3)).strip()
        if url and not re.match(r"^[a-z][a-z0-9+.-]*:", url, re.IGNORECASE):
            url = join(base, url) or url
        return f"{match.group(1)}{match.group(2)}{html_lib.escape(url, quote=True)}{match.group(2)}"

    return _URL_ATTR.sub(repl, html)


def link(value, base: str | None) -> str | None:
    """An absolute http(s) URL, or None (javascript:, data:, mailto:, no host: not a web address).

    Written first as the newsroom keeps addresses (``web_addresses.normalise``): spaces, quotes,
    angle brackets and invisible characters percent-encoded as a browser sends them, so that
    "https://site/news/a story" or a link holding a quote is imported, not dropped.
    """
    if not isinstance(value, str):
        return None
    return resolve(web_addresses.normalise(value), base)


def guid(value, link: str | None, title: str, summary: str) -> str:
    """An entry's identity: its id, else its link, else a fingerprint of what it says."""
    guid = clean_text(value) if isinstance(value, str) else ""
    if guid:
        return guid[:MAX_GUID_LENGTH]
    if link:
        return link
    # Neither id nor link: a stable fingerprint of what the entry says.
    return "sha1:" + hashlib.sha1(f"{title}\n{summary}".encode("utf-8", "replace")).hexdigest()


def byline(obj) -> str | None:
    """The authors feedparser found on an entry, an entry's source or a feed, as a cleaned byline:
    every named author when there are several (co-authors, Atom's repeated <author>), else what
    it wrote (RSS's "jane@site (Jane Doe)", a dc:creator, an itunes:author)."""
    if not isinstance(obj, Mapping):
        return None
    names = [a["name"] for a in obj.get("authors") or [] if isinstance(a, Mapping) and isinstance(a.get("name"), str)
             and a["name"].strip()]
    author = "; ".join(names) if len(names) > 1 else obj.get("author") or "; ".join(names)
    return clean_byline(author if isinstance(author, str) else None)
