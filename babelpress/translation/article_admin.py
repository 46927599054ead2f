"""What translation adds to the newsroom's article screens (registered in TranslationConfig.ready()
through babelpress/newsroom/admin_extensions.py): the "this story in other languages" panel with its
"Create a draft in this language" buttons, the page those buttons post to, and the "Translate the
selected originals into every other language" action of the article list."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _, ngettext

from babelpress import languages
from babelpress.newsroom import permissions
from babelpress.newsroom.models import Article
from babelpress.translation import jobs, registry


def translations_panel(article, request=None) -> str:
    """Each other content language: a link to the story's version in it, or a button creating a
    draft (for whom may create one in that language: docs/roles.md)."""
    if not article.pk:
        return _("Save the article first, then create its translations here.")
    existing = {a.language: a for a in article.translations()}
    rows, missing, absent = [], [], []
    for lang in languages.content_languages():
        if lang.code == article.language:
            continue
        other = existing.get(lang.code)
        if other:
            rows.append((lang.name, reverse("admin:newsroom_article_change", args=[other.pk]),
                         f"{other.headline} — {other.get_status_display()}"))
        elif request is None or permissions.may_translate_into(request.user, lang.code):
            missing.append((lang.name, reverse("admin:newsroom_article_translate", args=[article.pk, lang.code]),
                            _("Create a draft in this language")))
        else:
            absent.append((lang.name, _("not translated yet")))
    # formaction posts the change form (with its CSRF token) to the translate view: no nested form.
    return format_html(
        "<ul>{}{}{}</ul>",
        format_html_join("", '<li>{}: <a href="{}">{}</a></li>', rows),
        format_html_join("", '<li>{}: <button type="submit" class="button" formaction="{}" formnovalidate>{}</button></li>',
                         missing),
        format_html_join("", "<li>{}: {}</li>", absent),
    )


def may_translate(request) -> bool:
    """Who may open the "Create a draft in this language" page (the page checks the language)."""
    return permissions.may_translate(request.user)


def create_translation_view(article_admin, request, pk, lang):
    """``admin:newsroom_article_translate``: a draft copy of article ``pk`` in ``lang``, for a person to translate."""
    source = get_object_or_404(Article, pk=pk)
    back = HttpResponseRedirect(reverse("admin:newsroom_article_change", args=[pk]))
    if lang in languages.content_language_codes() and not permissions.may_translate_into(request.user, lang):
        raise PermissionDenied
    if request.method != "POST":
        return back
    if lang not in languages.content_language_codes():
        messages.error(request, _("%(language)s is not one of the site's content languages.") % {
            "language": languages.language_name(lang)})
        return back
    try:
        with transaction.atomic():
            draft = source.create_translation(lang, created_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return back
    messages.success(request, _("Draft created: translate the text below, then publish it."))
    return HttpResponseRedirect(reverse("admin:newsroom_article_change", args=[draft.pk]))


@admin.action(description=_("Translate the selected originals into every other language"))
def queue_translations(modeladmin, request, queryset):
    queued = skipped = unsupported = 0
    for source in queryset.select_related("section"):
        if source.translation_method:
            skipped += 1  # translations are made from originals only
            continue
        targets = []
        for code in languages.content_language_codes():
            if code == source.language:
                continue
            if registry.can_translate(source.language, code):
                targets.append(code)
            else:
                unsupported += 1
        queued += len(jobs.enqueue(source, targets, user=request.user))
    messages.success(request, ngettext("%(count)d translation job queued.", "%(count)d translation jobs queued.",
                                       queued) % {"count": queued})
    if skipped:
        messages.info(request, ngettext(
            "%(count)d article skipped: only originals are translated.",
            "%(count)d articles skipped: only originals are translated.", skipped) % {"count": skipped})
    if unsupported:
        messages.warning(request, ngettext(
            "%(count)d language pair has no translation engine: install a model "
            "(babelpress translation install-model) or configure an engine.",
            "%(count)d language pairs have no translation engine: install a model "
            "(babelpress translation install-model) or configure an engine.", unsupported) % {"count": unsupported})
