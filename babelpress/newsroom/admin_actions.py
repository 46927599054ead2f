"""The newsroom's own actions of the article list, registered like other apps' through
admin_extensions (NewsroomConfig.ready), each with the permission it needs."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _, ngettext

from babelpress.newsroom import permissions
from babelpress.newsroom.models import Article


@admin.action(description=_("Submit the selected drafts for review"))
def submit_for_review(modeladmin, request, queryset):
    """Draft → In review, for the drafts the person may edit (a writer's own); an editor then
    publishes them. Anything else selected is left as it is, and counted."""
    submitted = skipped = 0
    for pk in queryset.values_list("pk", flat=True):
        with transaction.atomic():
            article = Article.objects.select_for_update().get(pk=pk)  # as it is now: the save is current
            if article.status != Article.Status.DRAFT or not permissions.may_change_article(request.user, article):
                skipped += 1
                continue
            article.status = Article.Status.REVIEW
            article.save()
            submitted += 1
    if submitted:
        messages.success(request, ngettext(
            "%(count)d draft submitted for review: an editor will publish it.",
            "%(count)d drafts submitted for review: an editor will publish them.", submitted) % {"count": submitted})
    if skipped:
        messages.warning(request, ngettext(
            "%(count)d article left as it was: only a draft you may edit can be submitted for review.",
            "%(count)d articles left as they were: only a draft you may edit can be submitted for review.",
            skipped) % {"count": skipped})
