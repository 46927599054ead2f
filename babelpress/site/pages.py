"""Query helpers for public pages: each returns everything a template needs in a fixed number
of queries, whatever the number of stories, sections or translations.

The queries a rendered page runs are prepared once per thread (babelpress/site/prepared.py) and
their rows become model instances without the ORM's per-row machinery (``_instance``): a listing
row is an ``Article`` holding ``LISTING_FIELDS`` (any other field read from it is loaded by a query
of its own, as with ``only()``), its ``author`` and ``source`` with their names, and its section's
name and slug in the page's language (``section_name``, ``section_slug``). Each instance built here
keeps the rows it was built from (``read_from``): remembered fragments are keyed by them
(memo.fingerprint). Sections and their names are read once per content version
(``memo.per_content_version``). Decision: docs/decisions.md ("Rendering speed").
"""

from __future__ import annotations

import copy
from datetime import datetime
from uuid import UUID

from django.db.models import Count, Min, Prefetch
from django.db.models.base import ModelState
from django.utils import timezone

from babelpress.newsroom.models import Article, Author, Coauthor, Section, SectionName, Source, Tag
from babelpress.site.memo import per_content_version, remember_reading
from babelpress.site.prepared import PreparedQuery

#: What a listing shows of a story (cards, related stories): the fields a listing row holds.
LISTING_FIELDS = (
    "id", "translation_key", "language", "slug", "headline", "standfirst", "published_at", "updated_at",
    "section_id", "comment_count", "translation_method",
)
_CREDIT_COLUMNS = ("author_id", "author__name", "source_id", "source__name")
_TRANSLATION_FIELDS = ("id", "language", "slug", "headline", "published_at", "updated_at", "translation_method")

# An article's co-authors with their names, in one query (newsroom/coauthors.py).
CREDITS = Prefetch("coauthors", queryset=Coauthor.objects.select_related("author"))


def _instance(model, names, values, using: str = "default"):
    """A model instance read from the database holding ``names`` (the others deferred), built as
    ``Model.from_db`` does minus ``__init__``'s walk over every field."""
    obj = model.__new__(model)
    obj.__dict__.update(zip(names, values))
    obj._state = ModelState()
    obj._state.adding = False
    obj._state.db = using
    return obj


def _read(model, names, row):
    """An instance holding just ``row``, which it remembers (``read_from``: memo.fingerprint)."""
    obj = _instance(model, names, row)
    remember_reading(obj, row)
    return obj


def _credit(model, pk, fields: tuple, values: tuple):
    """The related object ``pk`` (an author, a source …) holding ``fields``, or None."""
    return None if pk is None else _instance(model, ("id", *fields), (pk, *values))


# --- Sections, once per content version -------------------------------------------------------------


@per_content_version
def _sections() -> tuple[list[Section], dict[tuple[str, str], SectionName]]:
    """Every section in order, and every section name by (language, slug) with its section: two
    queries per content version, whatever the languages asked for."""
    sections = list(Section.objects.all())
    by_id = {section.id: section for section in sections}
    names = {}
    for name in SectionName.objects.all():
        name.section = by_id[name.section_id]
        remember_reading(name, (name.id, name.section_id, name.language, name.name, name.slug, name.section.key))
        names[name.language, name.slug] = name
    return sections, names


@per_content_version
def sections_for(language: str) -> list[Section]:
    """All sections, each with ``.display`` (SectionName in ``language`` or None), in order."""
    sections, names = _sections()
    local = {name.section_id: name for name in names.values() if name.language == language}
    shown = []
    for section in sections:
        section = copy.copy(section)  # each language its own ``display``
        section.display = local.get(section.id)
        section.local_names = [section.display] if section.display else []
        name = section.display
        remember_reading(section, (section.id, section.key, section.position, name and (name.language, name.name, name.slug)))
        shown.append(section)
    return shown


def section_names() -> dict[tuple[str, str], SectionName]:
    """Every section name by (language, slug), each with its ``section``."""
    return _sections()[1]


def section_name(language: str, slug: str) -> SectionName | None:
    return section_names().get((language, slug))


def other_section_names(name: SectionName) -> list[SectionName]:
    """The names of ``name``'s section in the other languages."""
    return [n for n in section_names().values() if n.section_id == name.section_id and n.language != name.language]


def _names_by_section(language: str) -> dict[int, SectionName]:
    return {s.id: s.display for s in sections_for(language) if s.display}


# --- Listings ---------------------------------------------------------------------------------------


def _listing(language, now, **filters):
    qs = Article.objects.filter(language=language, **filters).published(now).order_by("-published_at", "-id")
    return qs.values_list(*LISTING_FIELDS, *_CREDIT_COLUMNS)


def _count(queryset):
    return queryset.order_by().values("language").annotate(n=Count("pk")).values_list("n")


_LATEST = PreparedQuery(lambda language, now: _listing(language, now), language=str, now=datetime)
_IN_SECTION = PreparedQuery(lambda language, now, section: _listing(language, now, section_id=section),
                            language=str, now=datetime, section=int)
_IN_SECTION_COUNT = PreparedQuery(
    lambda language, now, section: _count(Article.objects.filter(language=language, section_id=section).published(now)),
    language=str, now=datetime, section=int)
_TAGGED = PreparedQuery(lambda language, now, tag: _listing(language, now, tags=tag), language=str, now=datetime, tag=int)
_TAGGED_COUNT = PreparedQuery(
    lambda language, now, tag: _count(Article.objects.filter(language=language, tags=tag).published(now)),
    language=str, now=datetime, tag=int)
_RELATED = PreparedQuery(
    lambda language, now, section, story: _listing(language, now, section_id=section).exclude(pk=story),
    language=str, now=datetime, section=int, story=int)


def _stories(rows, language: str) -> list[Article]:
    names = _names_by_section(language)
    width = len(LISTING_FIELDS)
    stories = []
    for row in rows:
        story = _instance(Article, LISTING_FIELDS, row[:width])
        author_id, author_name, source_id, source_name = row[width:]
        story._state.fields_cache["author"] = _credit(Author, author_id, ("name",), (author_name,))
        story._state.fields_cache["source"] = _credit(Source, source_id, ("name",), (source_name,))
        name = names.get(story.section_id)
        story.section_name, story.section_slug = (name.name, name.slug) if name else (None, None)
        remember_reading(story, (row, story.section_name, story.section_slug))
        stories.append(story)
    return stories


def front_page(language: str, section_ids: list[int], per_section: int) -> tuple[Article | None, dict]:
    """The lead — the latest published story of ``language`` — and ``{section id: stories}``, the
    next ``per_section`` of each section, newest first (read among the latest few dozen: one query
    on the listing index whatever the size of the archive). Only the stories shown are built."""
    column = LISTING_FIELDS.index("section_id")

    def shown(rows):
        chosen, counts = rows[:1], dict.fromkeys(section_ids, 0)
        for row in rows[1:]:
            if counts.get(row[column], per_section) < per_section:
                counts[row[column]] += 1
                chosen.append(row)
        return chosen

    rows = _LATEST.limited(per_section * (len(section_ids) + 1) * 2)(language=language, now=timezone.now(), pick=shown)
    if not rows:
        return None, {}
    lead, *stories = _stories(rows, language)
    by_section: dict = {}
    for story in stories:
        by_section.setdefault(story.section_id, []).append(story)
    return lead, by_section


def related(story: Article, limit: int, language: str) -> list[Article]:
    """Other published stories of ``story``'s section in ``language``, newest first."""
    rows = _RELATED.limited(limit)(language=language, now=timezone.now(), section=story.section_id, story=story.pk)
    return _stories(rows, language)


class Listing:
    """A listing as ``Paginator`` reads one: ``count()`` and slices, each one prepared query."""

    def __init__(self, language: str, rows: PreparedQuery, count: PreparedQuery, **filters):
        self.language, self.rows, self.counter, self.filters = language, rows, count, filters
        self.now = timezone.now()

    def count(self) -> int:
        found = self.counter(language=self.language, now=self.now, **self.filters)
        return found[0][0] if found else 0

    def __getitem__(self, window: slice) -> list[Article]:
        prepared = self.rows.limited(window.stop - window.start, window.start)
        return _stories(prepared(language=self.language, now=self.now, **self.filters), self.language)


def in_section(language: str, section_id: int) -> Listing:
    return Listing(language, _IN_SECTION, _IN_SECTION_COUNT, section=section_id)


def tagged(language: str, tag_id: int) -> Listing:
    return Listing(language, _TAGGED, _TAGGED_COUNT, tag=tag_id)


# --- One article ------------------------------------------------------------------------------------

_ARTICLE_FIELDS = tuple(f.attname for f in Article._meta.concrete_fields)
_ARTICLE_JOINS = (
    "author__name", "author__url", "source__name", "source__url", "source__licence",
    "translated_from__language", "translated_from__slug",
    "reviewed_by__username", "reviewed_by__first_name", "reviewed_by__last_name",
)
_ARTICLE = PreparedQuery(
    lambda language, slug, now: Article.objects.filter(language=language, slug=slug).published(now)
    .order_by().values_list(*_ARTICLE_FIELDS, *_ARTICLE_JOINS)[:1],
    language=str, slug=str, now=datetime)
_COAUTHORS = PreparedQuery(
    lambda article: Coauthor.objects.filter(article_id=article).order_by("pk")
    .values_list("id", "article_id", "author_id", "author__name", "author__url"), article=int)
_TRANSLATIONS = PreparedQuery(
    lambda key, story, now: Article.objects.filter(translation_key=key).published(now).exclude(pk=story)
    .order_by("language").values_list(*_TRANSLATION_FIELDS), key=UUID, story=int, now=datetime)
_TAG = PreparedQuery(lambda language, slug: Tag.objects.filter(language=language, slug=slug).order_by()
                     .values_list("id", "language", "name", "slug")[:1], language=str, slug=str)
_TAGS = PreparedQuery(
    lambda article: Tag.objects.filter(articles=article).values_list("id", "language", "name", "slug"), article=int)


def article_for_page(language: str, slug: str) -> Article | None:
    """The published article (language, slug) — unique — with its credits, or None."""
    from django.contrib.auth import get_user_model

    rows = _ARTICLE(language=language, slug=slug, now=timezone.now())
    if not rows:
        return None
    row = rows[0]
    width = len(_ARTICLE_FIELDS)
    article = _instance(Article, _ARTICLE_FIELDS, row[:width])
    author_name, author_url, source_name, source_url, licence, original_language, original_slug, *reviewer = row[width:]
    cache = article._state.fields_cache
    cache["author"] = _credit(Author, article.author_id, ("name", "url"), (author_name, author_url))
    cache["source"] = _credit(Source, article.source_id, ("name", "url", "licence"), (source_name, source_url, licence))
    cache["translated_from"] = _credit(Article, article.translated_from_id, ("language", "slug"),
                                       (original_language, original_slug))
    cache["reviewed_by"] = _credit(get_user_model(), article.reviewed_by_id,
                                   ("username", "first_name", "last_name"), tuple(reviewer))
    name = _names_by_section(language).get(article.section_id)
    article.section_name, article.section_slug = (name.name, name.slug) if name else (None, None)
    coauthors = []
    coauthor_rows = _COAUTHORS(article=article.pk)
    for pk, article_id, author_id, author_name, author_url in coauthor_rows:
        coauthor = _instance(Coauthor, ("id", "article_id", "author_id"), (pk, article_id, author_id))
        coauthor._state.fields_cache["author"] = _credit(Author, author_id, ("name", "url"), (author_name, author_url))
        coauthors.append(coauthor)
    article._prefetched_objects_cache = {Article.coauthors.field.remote_field.cache_name: coauthors}
    remember_reading(article, (row, tuple(coauthor_rows), article.section_name, article.section_slug))
    return article


def tag(language: str, slug: str) -> Tag | None:
    rows = _TAG(language=language, slug=slug)
    return _read(Tag, ("id", "language", "name", "slug"), rows[0]) if rows else None


def article_tags(article: Article) -> list[Tag]:
    return [_read(Tag, ("id", "language", "name", "slug"), row) for row in _TAGS(article=article.pk)]


def article_for_preview(pk: int, language: str) -> Article | None:
    """The article ``pk`` whatever its status, as ``article_for_page`` reads it (section names in
    ``language``, the language its preview is asked in)."""
    qs = Article.objects.select_related("author", "source", "section", "translated_from", "reviewed_by")
    article = qs.prefetch_related(CREDITS).filter(pk=pk).first()
    if article is not None:
        name = _names_by_section(language).get(article.section_id)
        article.section_name, article.section_slug = (name.name, name.slug) if name else (None, None)
    return article


def published_translations(article: Article) -> list[Article]:
    """The other published language versions of ``article`` (one query)."""
    rows = _TRANSLATIONS(key=article.translation_key, story=article.pk, now=timezone.now())
    return [_read(Article, _TRANSLATION_FIELDS, row) for row in rows]


def next_scheduled_time():
    """When the next story scheduled for later goes live (None when none is): one query."""
    upcoming = Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
    return upcoming.aggregate(at=Min("published_at"))["at"]
