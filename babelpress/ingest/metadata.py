"""What a page says about itself beside what trafilatura reads: meta tags, JSON-LD, the full
publication timestamp, the declared language, the canonical link."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from .dates import with_time

_DATE_META = (
    "article:published_time", "og:article:published_time", "og:published_time", "datepublished",
    "article.published", "pubdate", "publishdate", "publish-date", "publish_date", "dc.date.issued",
    "dcterms.issued", "dcterms.created", "dc.date", "sailthru.date", "parsely-pub-date",
    "originalpublicationdate", "date",
)


#: Meta tags that say when the page was last changed: not its publication date, but their offset
#: tells the page's time zone (dates.page_zone).
_MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "last-modified", "dcterms.modified")
#: What wraps JSON-LD in old templates, before and after it: <![CDATA[ … ]]>, //<![CDATA[ … //]]>,
#: /*<![CDATA[*/ … /*]]>*/, <!-- … -->, Drupal's <!--//--><![CDATA[//><!-- … //--><!]]>, a semicolon.
_WRAPPER_START = re.compile(r"(?:\s|//|/\*|\*/|<!--|-->|<!\[CDATA\[|>)+")
_WRAPPER_END = re.compile(r"(?:\s|//|/\*|\*/|<!--|-->|<!\]\]>|\]\]>|;)+")


def _json_ld_text(text: str) -> str:
    """The JSON inside a script element, without the CDATA or comment wrappers of old templates."""
    start = _WRAPPER_START.match(text)
    text = text[start.end():] if start else text
    tail = text[-200:]  # the wrapper is short: never scan the whole text backwards
    for cut in range(len(tail)):
        if _WRAPPER_END.fullmatch(tail, cut):
            return text[: len(text) - len(tail) + cut]
    return text


def _json_ld_objects(tree: HtmlElement):
    """Every JSON-LD object of the page (and of its @graph), in document order."""
    for script in tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "application/ld+json")]'):
        try:
            data = json.loads(_json_ld_text(script.text or ""))
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(reversed(graph))


def _is_story(item: dict, kinds=("Article", "Posting", "Report")) -> bool:
    kind = item.get("@type")
    return any(isinstance(k, str) and k.endswith(kinds) for k in (kind if isinstance(kind, list) else [kind]))


def _ld_text(value) -> str | None:
    if isinstance(value, dict):
        value = value.get("@value")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _path(address: str) -> str:
    """What tells two addresses of one site apart: the path, without fragment or trailing slash."""
    try:
        return urlsplit(address.strip()).path.rstrip("/")
    except ValueError:
        return ""


def _about(item: dict) -> set[str]:
    """The paths a JSON-LD object says it is about (url, @id, mainEntityOfPage)."""
    found = set()
    for value in (item.get("url"), item.get("@id"), item.get("mainEntityOfPage")):
        if isinstance(value, dict):
            value = value.get("@id") or value.get("url")
        if isinstance(value, str) and _path(value):
            found.add(_path(value))
    return found


def main_article(objects: list[dict], address: str | None) -> dict | None:
    """The JSON-LD object of the page's own story: the article (NewsArticle, BlogPosting, Report …)
    about the page's address; else the first article that gives a publication date, else the first
    WebPage that does. Related stories listed beside it never pass for it."""
    stories = [o for o in objects if _is_story(o)]
    here = _path(address or "")
    if here:
        for item in stories:
            if here in _about(item):
                return item
    dated = [o for o in stories if _ld_text(o.get("datePublished"))]
    pages = [o for o in objects if _is_story(o, ("WebPage",)) and _ld_text(o.get("datePublished"))]
    return (dated or pages or stories or [None])[0]


def _publication(tree: HtmlElement, meta: dict, main: dict | None, objects: list[dict]) -> tuple[str | None, list]:
    """The page's publication timestamp, most reliable first: JSON-LD datePublished of the main
    article, the meta tags (_DATE_META, in order), ``<time itemprop="datePublished">`` — a date
    without a time completed by another of the page's publication dates giving a time that day;
    and every other timestamp the page states (dates.page_zone reads its zone from them)."""
    times = [str(t) for t in tree.xpath('//time[@itemprop="datePublished" or @pubdate][@datetime]/@datetime')]
    stated = [_ld_text(main.get("datePublished")) if main else None] + [meta.get(key) for key in _DATE_META] + times[:1]
    published = next((value for value in stated if value), None)
    pages = [o for o in objects if _is_story(o, ("Article", "Posting", "Report", "WebPage"))]
    published = with_time(published, [_ld_text(o.get("datePublished")) for o in pages] + stated)
    others = [_ld_text(main.get(key)) for key in ("dateModified", "dateCreated")] if main else []
    others += [meta.get(key) for key in _MODIFIED_META] + stated
    others += [_ld_text(o.get(key)) for o in objects for key in ("datePublished", "dateModified")]
    others += [str(t) for t in tree.xpath("//time/@datetime")[:20]]
    return published, [value for value in others if value and value != published]


def page_metadata(tree: HtmlElement, url: str | None = None) -> dict:
    """The few metadata trafilatura does not hand back: full publication timestamp (and the page's
    other timestamps), declared language, canonical link. ``url``: where the page came from."""
    meta: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop")
               or element.get("http-equiv") or "").strip().lower()
        content = element.get("content")
        if key and content and key not in meta:
            meta[key] = content.strip()
    canonical = tree.xpath('//link[@rel="canonical"][@href]/@href') or ([meta["og:url"]] if meta.get("og:url") else [])
    canonical = str(canonical[0]).strip() if canonical else None
    objects = list(_json_ld_objects(tree))
    main = main_article(objects, canonical or url)
    published, timestamps = _publication(tree, meta, main, objects)
    languages = [main] if main else []
    languages += [o for o in objects if _is_story(o, ("Article", "Posting", "Report", "WebPage"))]
    return {
        "meta": meta, "published": published, "timestamps": timestamps, "canonical": canonical,
        "ld_language": next((_ld_text(o.get("inLanguage")) for o in languages if _ld_text(o.get("inLanguage"))), None),
        "html_lang": (tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or "").strip(),
    }
