"""Turn an article page into the pieces of an attributed draft.

trafilatura finds the main text (and metadata); we map its XML body into our article body format
(``newsroom.sanitize.clean_body``; body.py), make links absolute, tidy what it keeps around images
(tidy.py), and add what a newsroom needs on top: a cleaned byline (bylines.py), an aware
publication datetime (dates.py, metadata.py), the page's declared language, detected when it
declares none (language.py), and warnings an editor should see before publishing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from django.utils.translation import gettext_noop

from babelpress.absolute_urls import resolve
from babelpress.binary import looks_binary
from babelpress.newsroom.sanitize import clean_body, clean_text

from .messages import Message
from .body import BodyWriter, drop_keep_tail, prune, text_of
from .captions import PageCaptions, gather_figures
from .charsets import decode_bytes
from .dates import Zone, page_zone, publication_date
from .invisible import normalise_line
from .language import page_language
from .metadata import page_metadata
from .outlets import outlet_name
from .page_bylines import main_byline
from .tables import PageTables
from .tidy import drop_link_lists_by_images, tidy, tokens

SHORT_BODY_CHARS = 400
NO_ARTICLE = Message(gettext_noop("No article text was found on this page: it may be a home page, a list of links, a "
                                  "login or consent wall, or built by JavaScript. Import the address of the article "
                                  "itself, or paste its text."))


class ExtractionError(ValueError):
    """No article could be found in the document; the message says why and what to try."""


@dataclass
class Extracted:
    headline: str  # "" when none was found (see warnings)
    author: str | None  # cleaned byline: "Jane Doe, John Roe" (None when it credits the outlet: page_bylines.py)
    published_at: datetime | None  # aware; what was assumed (no time, which zone) is warned: dates.py
    body_html: str  # our article body format (clean_body), links and images absolute
    text: str  # plain text of the body's prose: paragraphs split by a blank line, captions left out
    lead_image_url: str | None
    lead_image_alt: str | None
    canonical_url: str | None
    language: str | None  # two-letter code where one exists: declared, else detected
    sitename: str | None
    description: str | None
    warnings: list[str] = field(default_factory=list)  # for the editor, in plain words


def _shorten(text: str, limit: int) -> str:
    # Some sites put the whole article in their meta description.
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def _same_text(a: str, b: str) -> bool:
    def norm(s):
        return re.sub(r"\W+", " ", normalise_line(s)).strip().casefold()

    return bool(norm(a)) and norm(a) == norm(b)


def _load(html: str | bytes) -> HtmlElement:
    if html is None or (isinstance(html, (bytes, str)) and not html.strip()):
        raise ExtractionError(Message(gettext_noop("The page is empty: there is no text to import.")))
    if isinstance(html, bytes):
        head = html[:1024]
        if head.startswith(b"%PDF"):
            raise ExtractionError(Message(gettext_noop("This is a PDF document, not a web page; import the article's web page.")))
        if looks_binary(head):
            raise ExtractionError(Message(gettext_noop("This is a binary file (an image, archive or the like), not a web page.")))
        html, _encoding = decode_bytes(html)
    elif looks_binary(html[:1024].encode("utf-8", "surrogatepass")):
        raise ExtractionError(Message(gettext_noop("This is binary data, not a web page.")))
    if "<" not in html[:65536]:
        raise ExtractionError(Message(gettext_noop("This is plain text, not an HTML page: there is no markup to find an article in.")))
    tree = load_html(html)
    if tree is None or len(tree) == 0:
        raise ExtractionError(Message(gettext_noop("This document could not be read as an HTML page.")))
    return tree


def extract_article(html: str | bytes, url: str | None = None, *, declared_language: str | None = None,
                    zone: Zone | None = None) -> Extracted:
    """Extract the article of one page. ``url`` is where it came from (for absolute links);
    ``declared_language`` overrides what the page declares (e.g. the partner's configured language);
    ``zone`` is the zone its zone-less times are in when the page itself does not tell (the feed's).

    Pass ``FetchResult.text`` when you have it (decoded with the HTTP charset); bytes are decoded
    here from BOM, <meta charset> or sniffing.
    """
    tree = _load(html)
    document = _main_text(tree, url)
    page = page_metadata(tree, url)
    meta = page["meta"]
    warnings: list[str] = []

    base = url or document.url or None
    canonical = resolve(page["canonical"], base) or resolve(document.url, None) or resolve(url, None)
    headline = clean_text(document.title or "") or clean_text(meta.get("og:title", ""))
    if not headline:
        warnings.append(Message(gettext_noop("no headline found")))

    writer = _write_body(document, base, headline, tree)
    text, body_html = _text_and_html(writer.root)
    if len(text) < SHORT_BODY_CHARS:
        warnings.append(Message(gettext_noop("body very short (%(count)s characters): check that the whole article "
                                             "was found"), count=len(text)))

    byline = main_byline(tree, found_author=document.author, sitename=document.sitename, url=url, canonical=canonical,
                         headline=headline)
    if not byline.names and not byline.outlet:
        warnings.append(Message(gettext_noop("no author found")))
    # Most reliable first: the page's JSON-LD, meta tags, <time> (metadata.py), then htmldate's guess (trafilatura's).
    zone = page_zone(page["timestamps"], zone)
    published_at = publication_date((page["published"], document.date), warnings, zone)
    language = page_language(declared_language, (page["html_lang"], meta.get("content-language"), page["ld_language"],
                                                 meta.get("og:locale"), meta.get("language"), meta.get("dc.language")),
                             text, warnings)
    lead_image, lead_alt = _lead_image(document, meta, base, writer.images)
    return Extracted(
        headline=headline, author=byline.text, published_at=published_at, body_html=body_html, text=text,
        lead_image_url=lead_image, lead_image_alt=lead_alt or None, canonical_url=canonical, language=language,
        sitename=outlet_name(clean_text(document.sitename or ""), byline.outlet) or None,
        description=_shorten(clean_text(document.description or ""), 500) or None, warnings=warnings,
    )


def _main_text(tree: HtmlElement, url: str | None):
    """trafilatura's reading of the page: its main text as XML, and the metadata it finds."""
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_formatting=True,
        include_links=True,
        include_images=True,
        include_tables=True,
        # Only dates the page states (meta, <time>, URL): the extensive search also reads free
        # text and takes "© 2024" for a publication date. No date beats a wrong one on a draft.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if document is None or document.body is None or not "".join(document.body.itertext()).strip():
        raise ExtractionError(NO_ARTICLE)
    return document


def _write_body(document, base: str | None, headline: str, tree: HtmlElement) -> BodyWriter:
    """The main text in our body format, tidied, without a first paragraph repeating the headline.
    ``tree`` is the page itself: its tables and captions as the page marks them."""
    writer = BodyWriter(base, PageTables(tree))
    writer.blocks(document.body, writer.root)
    gather_figures(writer.root)
    prune(writer.root)
    PageCaptions(tree, base).fold(writer.root)
    tidy(writer.root)
    drop_link_lists_by_images(writer.root)
    for block in list(writer.root)[:3]:
        if block.tag in ("h2", "h3", "p") and _same_text("".join(block.itertext()), headline):
            drop_keep_tail(block)  # the headline has its own field
            break
    return writer


def _text_and_html(root) -> tuple[str, str]:
    """The body's plain text and its HTML; ExtractionError when it holds no prose, only links."""
    text = text_of(root)
    if not text:
        raise ExtractionError(Message(gettext_noop("The page has an article structure but no text in it (images or video only?).")))
    link_chars = sum(len("".join(a.itertext())) for a in root.iter("a"))
    if len(tokens(text)) < 3 or (len(text) < 1000 and link_chars >= 0.8 * len(text.replace("\n", ""))):
        raise ExtractionError(
            Message(gettext_noop("No article text was found on this page, only links (a menu, a list of headlines). "
                                 "Import the address of the article itself, or paste its text."))
        )
    return text, clean_body("".join(etree.tostring(child, encoding="unicode", method="html") for child in root))


def _lead_image(document, meta: dict, base: str | None, images: list[tuple[str, str]]) -> tuple[str | None, str]:
    """The page's lead image (og:image …) and its alt text, found on the image in the body if need be."""
    lead_image = resolve(document.image, base) or resolve(meta.get("og:image") or meta.get("twitter:image"), base)
    lead_alt = clean_text(meta.get("og:image:alt") or meta.get("twitter:image:alt") or "")
    if lead_image and not lead_alt:
        lead_alt = next((alt for src, alt in images if src == lead_image and alt), "")
    return lead_image, lead_alt
