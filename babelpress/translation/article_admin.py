"""What translation adds to the newsroom's article screens (registered in TranslationConfig.ready()
through babelpress/newsroom/admin_extensions.py): the "this story in other languages" panel with its
"Create a draft in this language" buttons (an untranslated copy, until a person translates it), the
page those buttons post to, the "approved despite QA" panel of a translation, and the "Translate the
selected originals into every other language" action of the article list."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _, ngettext

from babelpress import languages
from babelpress.newsroom import permissions
from babelpress.newsroom.models import Article
from babelpress.translation import availability, jobs, worklist
from babelpress.translation.models import TranslationJob


def translations_panel(article, request=None) -> str:
    """Each other content language: the story's version in it (what it is: an untranslated copy, a
    machine draft …), or where its translation stands (queued; failed, and why; no engine for the
    pair) with a button creating a draft to translate by hand, for whom may create one in that
    language (docs/roles.md)."""
    if not article.pk:
        return _("Save the article first, then create its translations here.")
    existing = {a.language: a for a in article.translations()}
    original = article if not article.translation_method else next(
        (a for a in existing.values() if not a.translation_method), None)
    latest = latest_jobs(original)
    items = [copy_notice(article)] if article.translation_method == Article.TranslationMethod.COPY else []
    for lang in languages.content_languages():
        if lang.code == article.language:
            continue
        other = existing.get(lang.code)
        untranslated = other is None or other.translation_method == Article.TranslationMethod.COPY
        state = job_state(latest.get(lang.code), original, lang.code, untranslated)
        if other:
            url = reverse("admin:newsroom_article_change", args=[other.pk])
            what = [other.get_status_display()]
            if other.translation_method:
                what.append(other.get_translation_method_display())
            items.append(format_html('<li>{}: <a href="{}">{}</a> — {}{}</li>', lang.name, url, other.headline,
                                     ", ".join(str(w) for w in what), state))
        elif request is not None and not permissions.may_translate_into(request.user, lang.code):
            items.append(format_html("<li>{}: {}{}</li>", lang.name, _("not translated yet"), state))
        else:
            # formaction posts the change form (with its CSRF token) to the translate view: no nested form.
            url = reverse("admin:newsroom_article_translate", args=[article.pk, lang.code])
            items.append(format_html(
                '<li>{}: <button type="submit" class="button" formaction="{}" formnovalidate>{}</button>{}</li>',
                lang.name, url, _("Create a draft in this language"), state))
    return format_html("<ul>{}</ul>", format_html_join("", "{}", ((item,) for item in items)))


def latest_jobs(original) -> dict:
    """{language: the latest translation job of ``original`` into it} (one query)."""
    if original is None:
        return {}
    latest = {}
    for job in TranslationJob.objects.filter(source=original).order_by("created_at", "pk"):
        latest[job.target_language] = job
    return latest


def job_state(job, original, language: str, untranslated: bool) -> str:
    """What the panel says beside a language: its job queued or failed (with the reason, in full),
    or, where it is still to be translated, that no engine can translate the pair."""
    if job is not None and job.status == TranslationJob.Status.FAILED:
        return format_html(' <strong class="translation-failed" style="color:#ba2121">{}</strong> {}',
                           _("Machine translation failed:"), job.last_error or _("no reason was recorded."))
    if job is not None and job.status in jobs.OPEN:
        return format_html(" <em>{}</em>", _("machine translation queued"))
    if untranslated and original is not None and not availability.can_translate(original.language, language):
        return format_html(" <small>{}</small>", _("No engine can translate %(pair)s: translate it by hand.") % {
            "pair": availability.pair_name(original.language, language)})
    return ""


def copy_notice(article) -> str:
    return format_html(
        '<li class="untranslated-copy"><strong>{}</strong> {}</li>', _("Untranslated copy."),
        _("This draft still holds the original's text. Translate its headline and text here: once you save "
          "your changes it is a human translation. It cannot be published as it is."))


def approvals_panel(article) -> str:
    """A translation's approvals despite QA errors or an implausible length: who, when, why and
    which errors were waived (``approval.record``); "" when there are none."""
    if not article.pk:
        return ""
    from babelpress.translation.review_page import overrides_of

    overrides = overrides_of(article)
    if not overrides:
        return ""
    return render_to_string("admin/translation/approval_overrides.html", {"overrides": overrides, "in_panel": True})


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
            # Not a translation yet: "copy" until a person changes its text (newsroom/admin.py).
            draft = source.create_translation(lang, translation_method=Article.TranslationMethod.COPY,
                                              created_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return back
    messages.success(request, _("Draft created: it holds the original's text, marked as an untranslated copy. "
                                "Translate the text below, save, then publish it."))
    return HttpResponseRedirect(reverse("admin:newsroom_article_change", args=[draft.pk]))


@admin.action(description=_("Translate the selected originals into every other language"))
def queue_translations(modeladmin, request, queryset):
    """Queue what can be translated; say at once what cannot, and why (coverage_page.report)."""
    from babelpress.translation import coverage_page

    selected = list(queryset.select_related("section"))
    originals = [a for a in selected if not a.translation_method]
    skipped = len(selected) - len(originals)  # translations are made from originals only
    codes = languages.content_language_codes()
    work = worklist.build([(source, code) for source in originals for code in codes if code != source.language])
    for source, language in work.todo:
        jobs.enqueue(source, [language], user=request.user)
    coverage_page.report(request, work)
    if skipped:
        messages.info(request, ngettext(
            "%(count)d article skipped: only originals are translated.",
            "%(count)d articles skipped: only originals are translated.", skipped) % {"count": skipped})
