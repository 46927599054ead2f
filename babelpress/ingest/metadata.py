"""What a page says about itself beside what trafilatura reads: meta tags, JSON-LD, the full
publication timestamp, the declared language, the canonical link."""

from __future__ import annotations

import json

from lxml.html import HtmlElement

_DATE_META = (
    "article:published_time", "og:article:published_time", "og:published_time", "datepublished",
    "article.published", "pubdate", "publishdate", "publish-date", "publish_date", "dc.date.issued",
    "dcterms.issued", "dcterms.created", "dc.date", "sailthru.date", "parsely-pub-date",
    "originalpublicationdate", "date",
)


def _json_ld_objects(tree: HtmlElement):
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)


def page_metadata(tree: HtmlElement) -> dict:
    """The few metadata trafilatura does not hand back: full publication timestamp, declared
    language, canonical link, image alt text."""
    meta: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop")
               or element.get("http-equiv") or "").strip().lower()
        content = element.get("content")
        if key and content and key not in meta:
            meta[key] = content.strip()
    found = {"meta": meta, "published": None, "ld_language": None}
    for item in _json_ld_objects(tree):
        kind = item.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if any(isinstance(k, str) and (k.endswith(("Article", "Posting")) or k in ("Report", "WebPage")) for k in kinds):
            if not found["published"] and isinstance(item.get("datePublished"), str):
                found["published"] = item["datePublished"]
            if not found["ld_language"] and isinstance(item.get("inLanguage"), str):
                found["ld_language"] = item["inLanguage"]
    if not found["published"]:
        for key in _DATE_META:
            if meta.get(key):
                found["published"] = meta[key]
                break
    if not found["published"]:
        times = tree.xpath('//time[@itemprop="datePublished" or @pubdate][@datetime]/@datetime')
        if times:
            found["published"] = str(times[0])
    canonical = tree.xpath('//link[@rel="canonical"][@href]/@href') or ([meta["og:url"]] if meta.get("og:url") else [])
    found["canonical"] = str(canonical[0]).strip() if canonical else None
    found["html_lang"] = (tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or "").strip()
    return found
