"""Machine-readable descriptions of a page: JSON-LD NewsArticle and Open Graph."""

from __future__ import annotations

import re

from django.conf import settings

from babelpress.absolute_urls import absolute_url
from babelpress.newsroom import provenance
from babelpress.newsroom.coauthors import credited_authors

_FIRST_IMG = re.compile(r"<img\b[^>]*\bsrc=\"([^\"]+)\"[^>]*>", re.IGNORECASE)
_ALT = re.compile(r"\balt=\"([^\"]*)\"", re.IGNORECASE)


def lead_image(article) -> tuple[str, str] | None:
    """(src, alt) of the first image in the body, if any."""
    match = _FIRST_IMG.search(article.body or "")
    if not match:
        return None
    alt = _ALT.search(match.group(0))
    return match.group(1).replace("&amp;", "&"), (alt.group(1) if alt else "")


def article_jsonld(request, article, tags) -> dict:
    url = absolute_url(request, article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": article.headline[:110],
        "inLanguage": article.language,
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": article.updated_at.isoformat() if article.updated_at else None,
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME, "url": absolute_url(request, "/")},
    }
    if article.alternative_headline:
        data["alternativeHeadline"] = article.alternative_headline
    if article.standfirst:
        data["description"] = article.standfirst
    if getattr(article, "section_name", None):
        data["articleSection"] = article.section_name
    if tags:
        data["keywords"] = [t.name for t in tags]
    authors = [{"@type": "Person", "name": person.name, **({"url": person.url} if person.url else {})}
               for person in credited_authors(article)]
    if article.source_id:
        source = {"@type": "Organization", "name": article.source.name}
        if article.source.url:
            source["url"] = article.source.url
        if not authors:
            authors.append(source)
        data["sourceOrganization"] = source
    if authors:
        data["author"] = authors
    if article.original_url:
        data["isBasedOn"] = article.original_url
    if article.source_id and article.source.licence:
        data["license"] = article.source.licence
    image = lead_image(article)
    if image:
        data["image"] = [image[0]]
    if article.translation_method and article.translated_from_id:
        original = article.translated_from
        data["translationOfWork"] = {
            "@type": "NewsArticle",
            "@id": absolute_url(request, original.get_absolute_url()),
            "inLanguage": original.language,
        }
        if article.translation_method == "machine":
            data["translator"] = {"@type": "SoftwareApplication", "name": article.translation_engine or "machine translation"}
        elif article.reviewed_by_id:
            data["translator"] = {"@type": "Person", "name": provenance.reviewer_name(article.reviewed_by)}
        if article.reviewed_by_id and article.translation_method == "machine":
            data["contributor"] = {"@type": "Person", "name": provenance.reviewer_name(article.reviewed_by)}
    return {k: v for k, v in data.items() if v is not None}
