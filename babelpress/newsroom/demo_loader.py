"""Load the demo newsroom from newsroom/demo/*.json (original texts written for Babelpress).

File format (every file is optional but for its keys; files are merged in name order)::

    {
      "sections": [{"key": "news", "position": 1, "names": {"fr": "Actualités", "en": "News"}}],
      "sources":  [{"name": "Agence Lumière", "url": "https://lumiere.example", "licence": "CC BY 4.0"}],
      "authors":  [{"name": "Anne Martin", "source": "Agence Lumière"}],
      "stories":  [{
          "key": "bridge-reopens",               # stable id, used to derive the translation_key
          "section": "news", "author": "Anne Martin", "source": "Agence Lumière",
          "original_url": "https://lumiere.example/2026/11/bridge",   # optional
          "published_at": "2026-11-20T09:30:00+01:00",
          "original": "fr",                      # the language it was written in
          "versions": {"fr": {"headline": ..., "alternative_headline": ..., "standfirst": ...,
                              "body": "<h2>..</h2><p>..</p>", "summary": ..., "tags": ["..."]},
                       "en": {...}}
      }]
    }
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from babelpress.newsroom.models import Article, Author, Section, SectionName, Source, Tag
from babelpress.newsroom.slugs import make_slug

DEMO_DIR = Path(__file__).parent / "demo"
DEMO_NAMESPACE = uuid.UUID("5b1c2f0e-6a51-4b8e-9d3e-b4be1a9e0001")
DEMO_EDITOR = ("editor", "babelpress-demo")


def read_demo(folder: Path = DEMO_DIR) -> dict:
    merged: dict[str, list] = {"sections": [], "sources": [], "authors": [], "stories": []}
    for file in sorted(folder.glob("*.json")):
        data = json.loads(file.read_text(encoding="utf-8"))
        for key in merged:
            merged[key].extend(data.get(key, []))
    return merged


def is_loaded() -> bool:
    return Article.objects.filter(translation_key__in=[uuid.uuid5(DEMO_NAMESPACE, s["key"]) for s in read_demo()["stories"][:1]]).exists()


@transaction.atomic
def load_demo(folder: Path = DEMO_DIR) -> dict[str, int]:
    """Create (or update in place) every demo object; safe to run twice."""
    data = read_demo(folder)
    sections = {}
    for item in data["sections"]:
        section, _ = Section.objects.update_or_create(key=item["key"], defaults={"position": item.get("position", 0)})
        for language, name in item["names"].items():
            SectionName.objects.update_or_create(section=section, language=language, defaults={"name": name, "slug": ""})
        sections[item["key"]] = section
    sources = {}
    for item in data["sources"]:
        sources[item["name"]], _ = Source.objects.update_or_create(
            name=item["name"], defaults={"url": item.get("url", ""), "licence": item.get("licence", "")}
        )
    authors = {}
    for item in data["authors"]:
        authors[item["name"]], _ = Author.objects.update_or_create(
            name=item["name"], defaults={"source": sources.get(item.get("source")), "url": item.get("url", "")}
        )
    count = 0
    for story in data["stories"]:
        key = uuid.uuid5(DEMO_NAMESPACE, story["key"])
        published_at = datetime.fromisoformat(story["published_at"])
        original_language = story["original"]
        order = [original_language] + [lang for lang in story["versions"] if lang != original_language]
        original = None
        for language in order:
            version = story["versions"][language]
            fields = {
                "headline": version["headline"],
                "alternative_headline": version.get("alternative_headline", ""),
                "standfirst": version.get("standfirst", ""),
                "body": version.get("body", ""),
                "summary": version.get("summary", ""),
                "section": sections[story["section"]],
                "author": authors.get(story.get("author")),
                "source": sources.get(story.get("source")),
                "original_url": story.get("original_url", ""),
                "status": Article.Status.PUBLISHED,
                "published_at": published_at,
                "translated_from": original if language != original_language else None,
                "translation_method": Article.TranslationMethod.HUMAN if language != original_language else "",
            }
            article = Article.objects.filter(translation_key=key, language=language).first()
            if article is None:
                article = Article(translation_key=key, language=language)
            for name, value in fields.items():
                setattr(article, name, value)
            article.save()
            tags = []
            for tag_name in version.get("tags", []):
                tag, _ = Tag.objects.get_or_create(language=language, slug=make_slug(tag_name), defaults={"name": tag_name})
                tags.append(tag)
            article.tags.set(tags)
            # Demo stories were not edited after publication: no "Updated …" line.
            Article.objects.filter(pk=article.pk).update(updated_at=published_at)
            if language == original_language:
                original = article
            count += 1
    User = get_user_model()
    username, password = DEMO_EDITOR
    if not User.objects.filter(username=username).exists():
        User.objects.create_superuser(username=username, email="editor@example.org", password=password,
                                      first_name="Demo", last_name="Editor")
    return {"sections": len(sections), "sources": len(sources), "authors": len(authors), "articles": count}
