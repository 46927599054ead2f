"""The newsroom's own lists on the desk (newsroom/desk.py): my drafts, articles in review, scheduled
stories; and the article list's "Mine" filter, which the "My drafts" link opens.

Whose draft is whose: ``Article.created_by`` once the roles work adds it (``creator_field``, the
one seam); until then, the drafts the editor added or changed in the admin, from Django's own
admin history (LogEntry).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db.models import BigIntegerField, Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _

from babelpress import languages
from babelpress.newsroom.desk import Entry, Rows, first_rows
from babelpress.newsroom.models import Article


def creator_field() -> str | None:
    """The article's "created by" field (a user), or None while articles have none."""
    try:
        return Article._meta.get_field("created_by").name
    except FieldDoesNotExist:
        return None


def mine(user) -> Q:
    """The articles that are ``user``'s: created by them; for an article nobody is recorded as
    creating (imported by a script, older than the field), the ones they added or changed in the admin."""
    edited = LogEntry.objects.filter(
        user_id=user.pk, content_type__app_label=Article._meta.app_label, content_type__model=Article._meta.model_name,
    ).annotate(article_id=Cast("object_id", BigIntegerField())).values("article_id")
    field = creator_field()
    if field:
        return Q(**{field: user.pk}) | Q(**{f"{field}__isnull": True}, pk__in=edited)
    return Q(pk__in=edited)


class MineFilter(admin.SimpleListFilter):
    """The article list's "Mine" filter (``?mine=yes``): the articles ``mine`` gives."""

    title = _("owner")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("yes", _("Mine"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(mine(request.user))
        return queryset


def changelist(**filters) -> str:
    return f"{reverse('admin:newsroom_article_changelist')}?{urlencode(filters)}"


def entry(article: Article, when_label: str, when) -> Entry:
    return Entry(
        title=article.headline or gettext("(no headline)"),
        url=reverse("admin:newsroom_article_change", args=[article.pk]),
        language=article.language, when=when, when_label=when_label,
        details=(languages.language_name(article.language),),
    )


def my_drafts(request, limit: int) -> Rows | None:
    if not request.user.has_perm("newsroom.view_article"):
        return None
    drafts = Article.objects.filter(mine(request.user), status=Article.Status.DRAFT).order_by("-updated_at", "-pk")
    found, total = first_rows(drafts.only("pk", "headline", "language", "updated_at"), limit)
    saved = gettext("saved")
    return Rows([entry(article, saved, article.updated_at) for article in found], total,
                changelist(status__exact=Article.Status.DRAFT, mine="yes"), gettext("All my drafts"))


def in_review(request, limit: int) -> Rows | None:
    review = getattr(Article.Status, "REVIEW", None)
    if review is None or not request.user.has_perm("newsroom.view_article"):
        return None
    waiting = Article.objects.filter(status=review).order_by("updated_at", "pk")  # the longest waiting first
    found, total = first_rows(waiting.only("pk", "headline", "language", "updated_at"), limit)
    submitted = gettext("submitted")
    return Rows([entry(article, submitted, article.updated_at) for article in found], total,
                changelist(status__exact=review), gettext("All articles in review"))


def scheduled(request, limit: int) -> Rows | None:
    if not request.user.has_perm("newsroom.view_article"):
        return None
    now = timezone.now()
    later = Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=now).order_by("published_at", "pk")
    found, total = first_rows(later.only("pk", "headline", "language", "published_at"), limit)
    goes_live = gettext("goes live")
    return Rows([entry(article, goes_live, article.published_at) for article in found], total,
                changelist(status__exact=Article.Status.PUBLISHED,
                           published_at__gt=now.replace(microsecond=0).isoformat()),
                gettext("All scheduled stories"))
