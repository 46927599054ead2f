"""Query helpers for public pages: each returns everything a template needs in a fixed number
of queries, whatever the number of stories, sections or translations."""

from __future__ import annotations

from django.db.models import Min, OuterRef, Prefetch, Subquery
from django.utils import timezone

from babelpress.newsroom.models import Article, Coauthor, Section, SectionName

LISTING_FIELDS = (
    "id", "translation_key", "language", "slug", "headline", "standfirst", "published_at", "updated_at",
    "section_id", "comment_count", "translation_method", "author__name", "source__name",
)

# An article's co-authors with their names, in one query (newsroom/coauthors.py).
CREDITS = Prefetch("coauthors", queryset=Coauthor.objects.select_related("author"))


def with_section_names(queryset, language: str):
    """Annotate each article with its section's name and slug in ``language`` (one joined query)."""
    names = SectionName.objects.filter(section=OuterRef("section_id"), language=language)
    return queryset.annotate(
        section_name=Subquery(names.values("name")[:1]),
        section_slug=Subquery(names.values("slug")[:1]),
    )


def listing(language: str):
    """Published stories of ``language`` for lists (home, section, tag, related), newest first."""
    qs = Article.objects.published().in_language(language).select_related("author", "source")
    qs = qs.only(*LISTING_FIELDS).order_by("-published_at", "-id")
    return with_section_names(qs, language)


def sections_for(language: str) -> list[Section]:
    """All sections, each with ``.display`` (SectionName in ``language`` or None), in order."""
    sections = list(
        Section.objects.prefetch_related(
            Prefetch("names", queryset=SectionName.objects.filter(language=language), to_attr="local_names")
        )
    )
    for section in sections:
        section.display = section.local_names[0] if section.local_names else None
    return sections


def article_for_page(language: str, slug: str) -> Article | None:
    qs = Article.objects.published().select_related("author", "source", "section", "translated_from", "reviewed_by")
    qs = with_section_names(qs.prefetch_related(CREDITS), language)
    # (language, slug) is unique: no ORDER BY to build, and the first row is the only one.
    return next(iter(qs.filter(language=language, slug=slug).order_by()[:1]), None)


def article_for_preview(pk: int, language: str) -> Article | None:
    """The article ``pk`` whatever its status, as ``article_for_page`` reads it (section names in
    ``language``, the language its preview is asked in)."""
    qs = Article.objects.select_related("author", "source", "section", "translated_from", "reviewed_by")
    return with_section_names(qs.prefetch_related(CREDITS), language).filter(pk=pk).first()


def published_translations(article: Article) -> list[Article]:
    """The other published language versions of ``article`` (one query)."""
    return list(
        article.translations(published_only=True).only("id", "language", "slug", "headline", "published_at", "updated_at")
    )


def next_scheduled_time():
    """When the next story scheduled for later goes live (None when none is): one query."""
    upcoming = Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
    return upcoming.aggregate(at=Min("published_at"))["at"]
