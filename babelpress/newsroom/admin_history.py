"""An article's history in the admin: its revisions, any two compared, and restore.

The change form's "History" button leads here (``ArticleAdmin.history_view``). Seeing the history
and comparing revisions need the permission to view or change the article; restoring needs the
permission to change it (Django's ``has_change_permission(request, article)``, so a role that
narrows it per article narrows this too). A restore is a save like any other: a new revision, and
refused when the article was saved since the page was loaded.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from babelpress import languages
from babelpress.numbers import ascii_number
from babelpress.newsroom import revision_diff, revisions
from babelpress.newsroom.models import StaleEdit

PER_PAGE = 50


@dataclass
class Row:
    revision: object
    who: str
    how: str
    changed: list[str]
    current: bool


def urls(article_admin) -> list:
    site = article_admin.admin_site
    return [
        path("<path:object_id>/history/compare/", site.admin_view(lambda r, object_id: compare_view(
            article_admin, r, object_id)), name="newsroom_article_history_compare"),
        path("<path:object_id>/history/<int:revision_id>/restore/", site.admin_view(
            lambda r, object_id, revision_id: restore_view(article_admin, r, object_id, revision_id)),
            name="newsroom_article_history_restore"),
    ]


def _article(article_admin, request, object_id, *, change: bool = False):
    """(the article, None), or (None, the response) when it does not exist; PermissionDenied when
    the user may not see it (or, with ``change``, change it)."""
    article = article_admin.get_object(request, unquote(object_id))
    if article is None:
        return None, article_admin._get_obj_does_not_exist_redirect(request, article_admin.opts, object_id)
    allowed = article_admin.has_change_permission(request, article) if change else \
        article_admin.has_view_or_change_permission(request, article)
    if not allowed:
        raise PermissionDenied
    return article, None


def _context(article_admin, request, article, title, **more) -> dict:
    return {
        **article_admin.admin_site.each_context(request), "title": title, "subtitle": None, "object": article,
        "opts": article_admin.opts, "module_name": str(capfirst(article_admin.opts.verbose_name_plural)),
        "history_url": reverse("admin:newsroom_article_history", args=[article.pk]),
        "can_restore": article_admin.has_change_permission(request, article),
        "text_language": languages.get(article.language), **more,
    }


def history_view(article_admin, request, object_id):
    """The revisions, newest first: who, when, how, which fields changed; pick two to compare."""
    article, missing = _article(article_admin, request, object_id)
    if missing:
        return missing
    page = Paginator(revisions.of(article).select_related("history_user"), PER_PAGE).get_page(request.GET.get("p"))
    shown = list(page.object_list)
    # The revision before the page's oldest tells what that one changed.
    older = revisions.of(article).filter(history_date__lte=shown[-1].history_date).exclude(
        history_id__in=[r.history_id for r in shown]).first() if shown else None
    rows = []
    for index, revision in enumerate(shown):
        before = shown[index + 1] if index + 1 < len(shown) else older
        changed = revision_diff.changed_fields(before, revision) if before is not None else []  # the first
        rows.append(Row(revision, who(revision), revisions.how_label(revision),
                        [revision_diff.label(name) for name in changed], page.number == 1 and index == 0))
    context = _context(article_admin, request, article, _("History: %(headline)s") % {"headline": article.headline},
                       rows=rows, page=page, page_range=page.paginator.get_elided_page_range(page.number),
                       compare_url=reverse("admin:newsroom_article_history_compare", args=[article.pk]))
    request.current_app = article_admin.admin_site.name
    return TemplateResponse(request, "admin/newsroom/article/history.html", context)


def who(revision) -> str:
    user = revision.history_user
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


def compare_view(article_admin, request, object_id):
    """Two revisions (``?a=…&b=…``), the older first, and what changed between them."""
    article, missing = _article(article_admin, request, object_id)
    if missing:
        return missing
    ids = [ascii_number(request.GET.get(key) or "") for key in ("a", "b")]
    ids = [number for number in ids if number is not None and 0 < number < 2**31]  # a revision's id column
    found = {r.history_id: r for r in revisions.of(article).filter(history_id__in=ids)
             .select_related("history_user")}
    if len(found) != 2:
        messages.error(request, _("Choose two different revisions of this article to compare."))
        return HttpResponseRedirect(reverse("admin:newsroom_article_history", args=[article.pk]))
    old, new = sorted(found.values(), key=lambda r: (r.history_date, r.history_id))
    sides = [{"revision": r, "who": who(r), "when": revisions.when(r), "how": revisions.how_label(r)} for r in (old, new)]
    context = _context(article_admin, request, article, _("Compare revisions: %(headline)s") % {
        "headline": article.headline}, sides=sides, changes=revision_diff.compare(old, new),
        latest_id=revisions.of(article).values_list("history_id", flat=True).first())
    request.current_app = article_admin.admin_site.name
    return TemplateResponse(request, "admin/newsroom/article/history_compare.html", context)


def restore_view(article_admin, request, object_id, revision_id):
    """GET: what restoring the revision would change, and the button; POST: restore it."""
    article, missing = _article(article_admin, request, object_id, change=True)
    if missing:
        return missing
    revision = revisions.of(article).filter(history_id=revision_id).first() if 0 < revision_id < 2**31 else None
    here = reverse("admin:newsroom_article_history_restore", args=[article.pk, revision_id])
    if revision is None:
        messages.error(request, _("That revision is not one of this article's: choose one from its history."))
        return HttpResponseRedirect(reverse("admin:newsroom_article_history", args=[article.pk]))
    if request.method == "POST":
        loaded = ascii_number(request.POST.get("loaded_version") or "")
        try:
            revisions.restore(article.pk, revision, user=request.user, loaded_version=-1 if loaded is None else loaded)
        except StaleEdit as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(here)
        messages.success(request, _("The revision of %(date)s is restored, as a new revision. The article's "
                                    "status and publication time are as they were.") % {"date": revisions.when(revision)})
        return HttpResponseRedirect(reverse("admin:newsroom_article_history", args=[article.pk]))
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    changes = revision_diff.compare(article, revision, fields=revisions.RESTORED)
    context = _context(article_admin, request, article, _("Restore a revision: %(headline)s") % {
        "headline": article.headline}, revision=revision, revision_when=revisions.when(revision), revision_who=who(revision),
        changes=changes, loaded_version=article.version)
    request.current_app = article_admin.admin_site.name
    return TemplateResponse(request, "admin/newsroom/article/history_restore.html", context)
