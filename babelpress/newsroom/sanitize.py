"""The article body format: a small, safe subset of HTML, enforced by nh3 (Ammonia).

Kept: h2/h3 subheadings (h1 is the page's headline, h4-h6 fold into h3), paragraphs, lists,
quotes, links, images with alt text, figures with their captions, emphasis, line breaks, code, and
data tables (caption, header and data cells, ``colspan``/``rowspan`` from 2 to 100, ``scope``),
written in one shape by ``body_tables.shape_tables`` (imported when a body has a table: it needs
lxml). Everything else (scripts, styles, event handlers, iframes, forms, javascript: URLs, any other
attribute) is removed.
"""

from __future__ import annotations

import re

import nh3

ALLOWED_TAGS = {
    "h2", "h3", "p", "ul", "ol", "li", "blockquote", "a", "img", "figure", "figcaption",
    "em", "strong", "b", "i", "u", "br", "cite", "q", "sub", "sup", "code", "pre", "abbr", "span",
    "table", "caption", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "span": {"lang", "dir"},
    "p": {"lang", "dir"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
#: The largest row or column span kept (more is a broken page, not a table).
MAX_SPAN = 100
_SCOPES = {"col", "row", "colgroup", "rowgroup"}
URL_SCHEMES = {"http", "https", "mailto"}

_HEADING_RE = re.compile(r"<(/?)h([1456])(\s[^>]*)?>", re.IGNORECASE)


def _fold_headings(html: str) -> str:
    # h1 belongs to the page; deeper levels collapse into h3 so the outline stays h1 > h2 > h3.
    def repl(match: re.Match) -> str:
        closing, level = match.group(1), match.group(2)
        return f"<{closing}{'h2' if level == '1' else 'h3'}>"

    return _HEADING_RE.sub(repl, html)


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    # An empty title (the editor's link dialog leaves one when the field is left blank) says nothing.
    if attribute == "title":
        return value if value.strip() else None
    if attribute in ("colspan", "rowspan"):  # 1 is the default: not written
        value = value.strip()
        return str(int(value)) if value.isdecimal() and 1 < int(value) <= MAX_SPAN else None
    if attribute == "scope":
        value = value.strip().lower()
        return value if value in _SCOPES else None
    return value


def clean_body(html: str) -> str:
    """Return the body reduced to the article body format; safe to render with |safe."""
    if not html:
        return ""
    html = html.replace("\x00", "")
    cleaned = nh3.clean(
        _fold_headings(html),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_attribute_filter,
    ).strip()
    if "<table" in cleaned:
        # body_tables reads the markup with lxml, imported only here: every process saves articles, few tables.
        from babelpress.newsroom.body_tables import shape_tables

        # A second pass: the shape may unwrap blocks in cells into markup nh3 has not seen together.
        cleaned = nh3.clean(shape_tables(cleaned), tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                            url_schemes=URL_SCHEMES, link_rel="noopener noreferrer",
                            attribute_filter=_attribute_filter).strip()
    return cleaned


def clean_text(value: str) -> str:
    """Plain one-line text (headlines, names): no markup, no control characters."""
    if not value:
        return ""
    # Markup is escaped at render time; here only control characters and runs of spaces go.
    text = "".join(ch for ch in value if ch in "\n\t" or (ord(ch) >= 32 and ch != "\x7f"))
    return " ".join(text.split())
