"""Load the demo newsroom from newsroom/demo/*.json (original texts written for Babelpress).

File format (every file is optional but for its keys; files are merged in name order)::

    {
      "sections": [{"key": "news", "position": 1, "names": {"fr": "Actualités", "en": "News", "ar": "أخبار"},
                    "slugs": {"ar": "akhbar"}}],   # optional: a slug per language, else made from the name
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
                       "en": {...}}                # every other version: a human translation of the original
      }]
    }
"""

from __future__ import annotations

import json
import secrets
import uuid
from datetime import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from babelpress.datadir import write_private_file
from babelpress.newsroom.demo_accounts import ACCOUNTS
from babelpress.newsroom.models import Article, Author, Section, SectionName, Source, Tag
from babelpress.newsroom.slugs import make_slug

DEMO_DIR = Path(__file__).parent / "demo"
DEMO_NAMESPACE = uuid.UUID("5b1c2f0e-6a51-4b8e-9d3e-b4be1a9e0001")
DEMO_USERNAME = "editor"
DEMO_EMAIL = "editor@example.org"
# The password earlier versions gave every demo editor (it was printed in the README): never valid again.
PUBLISHED_PASSWORD = "babelpress-demo"


def _bring_forward(stories: list[dict], newest_at: datetime) -> None:
    """Shift every story's ``published_at`` by the one offset that puts the newest at ``newest_at``."""
    if not stories:
        return
    newest = max(datetime.fromisoformat(story["published_at"]) for story in stories)
    offset = newest_at - newest
    for story in stories:
        story["published_at"] = (datetime.fromisoformat(story["published_at"]) + offset).isoformat()


def read_demo(folder: Path = DEMO_DIR) -> dict:
    merged: dict[str, list] = {"sections": [], "sources": [], "authors": [], "stories": []}
    for file in sorted(folder.glob("*.json")):
        data = json.loads(file.read_text(encoding="utf-8"))
        for key in merged:
            merged[key].extend(data.get(key, []))
    return merged


def _tables() -> set[str]:
    return set(connection.introspection.table_names())


def is_loaded() -> bool:
    if Article._meta.db_table not in _tables():
        return False  # a new database, not migrated yet
    return Article.objects.filter(translation_key__in=[uuid.uuid5(DEMO_NAMESPACE, s["key"]) for s in read_demo()["stories"][:1]]).exists()


def _load_sections(items: list[dict]) -> dict[str, Section]:
    sections = {}
    for item in items:
        section, _ = Section.objects.update_or_create(key=item["key"], defaults={"position": item.get("position", 0)})
        for language, name in item["names"].items():
            slug = item.get("slugs", {}).get(language, "")  # "" makes one from the name
            SectionName.objects.update_or_create(section=section, language=language, defaults={"name": name, "slug": slug})
        sections[item["key"]] = section
    return sections


@transaction.atomic
def load_demo(folder: Path = DEMO_DIR, *, newest_at: datetime | None = None) -> dict[str, int]:
    """Create (or update in place) every demo object; safe to run twice. ``newest_at`` moves every
    date by one offset so the newest story is published then (the demo command: two hours ago, so
    today's story says "il y a 2 heures"); without it the files' dates are kept (tests use them)."""
    data = read_demo(folder)
    if newest_at is not None:
        _bring_forward(data["stories"], newest_at)
    sections = _load_sections(data["sections"])
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
    return {"sections": len(sections), "sources": len(sources), "authors": len(authors), "articles": count}


def foreign_data(folder: Path = DEMO_DIR) -> dict[str, int]:
    """What the database holds that the demo did not put there: {"users": 2, "articles": 14, ...}.

    The demo adds stories and a superuser; loading it into a real newsroom's database is a mistake
    the demo command refuses unless told otherwise.
    """
    data = read_demo(folder)
    keys = [uuid.uuid5(DEMO_NAMESPACE, story["key"]) for story in data["stories"]]
    queries = {  # counted only where the table exists: it runs before `migrate`, on any database
        "users": get_user_model().objects.exclude(username=DEMO_USERNAME, email=DEMO_EMAIL).exclude(
            username__in=[a.username for a in ACCOUNTS], email__in=[a.email for a in ACCOUNTS]),
        "articles": Article.objects.exclude(translation_key__in=keys),
        "sections": Section.objects.exclude(key__in=[item["key"] for item in data["sections"]]),
        "sources": Source.objects.exclude(name__in=[item["name"] for item in data["sources"]]),
        "authors": Author.objects.exclude(name__in=[item["name"] for item in data["authors"]]),
    }
    tables = _tables()
    found = {kind: query.count() for kind, query in queries.items() if query.model._meta.db_table in tables}
    return {kind: number for kind, number in found.items() if number}


def ensure_editor(password_file: Path) -> tuple[str, str | None]:
    """Create the demo superuser with a random password kept in ``password_file`` (mode 0600).

    Returns (username, password), the password None when the account's password is no longer the one
    kept (changed in the admin: the demo leaves it alone). An account still on the password that
    earlier versions published gets a random one.
    """
    User = get_user_model()
    kept = password_file.read_text(encoding="utf-8").strip() if password_file.exists() else ""
    user = User.objects.filter(username=DEMO_USERNAME).first()
    if user is not None and not user.check_password(PUBLISHED_PASSWORD):
        return DEMO_USERNAME, (kept if kept and user.check_password(kept) else None)
    password = kept or secrets.token_urlsafe(12)
    write_private_file(password_file, password + "\n")
    if user is None:
        User.objects.create_superuser(username=DEMO_USERNAME, email=DEMO_EMAIL, password=password,
                                      first_name="Demo", last_name="Editor")
    else:
        user.set_password(password)
        user.save(update_fields=["password"])
    return DEMO_USERNAME, password
