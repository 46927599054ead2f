"""The coverage page (``translation_coverage``, served by ``admin.coverage_view``): every published
original in every content language, its state, why translations failed (in words, on the page),
which pairs no engine can translate, and bulk translation of the ticked cells."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _, ngettext

from babelpress import languages
from babelpress.newsroom.admin_forms import section_label
from babelpress.newsroom.models import Article, Section
from babelpress.numbers import ascii_number
from babelpress.translation import availability, coverage, jobs, worklist

#: Ticked cells read from one POST at most (the page shows 500 stories).
MAX_CELLS = 2000
#: No article id is larger (a bigger number in a cell names no article; databases refuse to compare it).
LARGEST_ID = 2**63 - 1


def coverage_view(request):
    """Per story and language: missing, machine draft, reviewed, outdated, failed … with bulk translate."""
    if not request.user.has_perm("translation.view_translation"):
        raise PermissionDenied
    if request.method == "POST":
        if not request.user.has_perm("translation.add_translationjob"):
            raise PermissionDenied
        queue_ticked(request)
        return HttpResponseRedirect(request.get_full_path())
    # One pass over every published original serves both the totals and the filtered rows.
    everything = list(coverage.originals())
    table = coverage.cells(everything)
    current = {name: request.GET.get(name, "") for name in ("language", "state", "section")}
    rows = shown_rows(everything, table, current)
    totals = coverage.totals(table)
    content_languages = languages.content_languages()
    context = {
        **admin.site.each_context(request),
        "title": _("Translation coverage"),
        "rows": rows,
        "reasons": failure_reasons(rows),
        "engine_notice": availability.notice(request),
        "languages": content_languages,
        "totals": [(lang, [totals[lang.code].get(s, 0) for s in coverage.STATES]) for lang in content_languages],
        "copies": [(lang, totals[lang.code]["copies"]) for lang in content_languages if totals[lang.code]["copies"]],
        "states": [(state, coverage.STATE_LABELS[state]) for state in coverage.STATES],
        "sections": [(s.pk, section_label(s)) for s in Section.objects.prefetch_related("names")],
        "current": current,
        "can_translate": request.user.has_perm("translation.add_translationjob"),  # the bulk translate form
    }
    return TemplateResponse(request, "admin/translation/coverage.html", context)


def shown_rows(everything: list[Article], table: dict, current: dict) -> list:
    """[(story, [(language, cell)])] for the stories the filters keep (500 at most). Each cell says
    whether an engine can translate its pair ("engine")."""
    section_id = ascii_number(current["section"])
    blocked = set(availability.untranslatable_pairs())
    rows = []
    for source in everything:
        if section_id is not None and source.section_id != section_id:
            continue
        row = table[source.pk]
        if current["state"] and not any(
            cell["state"] == current["state"] and (not current["language"] or lang == current["language"])
            for lang, cell in row.items()
        ):
            continue
        for lang, cell in row.items():
            cell["engine"] = (source.language, lang) not in blocked
        rows.append((source, [(lang, row[lang]) for lang in settings.BABELPRESS_CONTENT_LANGUAGES]))
        if len(rows) == 500:
            break
    return rows


def failure_reasons(rows) -> list[dict]:
    """The distinct errors of the failed cells shown, numbered: each failed cell carries its number
    ("note"), so the page says why in words, once per reason, rather than in a tooltip."""
    reasons: dict[str, dict] = {}
    for _source, cells in rows:
        for _lang, cell in cells:
            job = cell["job"]
            if cell["state"] != "failed" or job is None:
                continue
            error = job.last_error or _("No reason was recorded.")
            reason = reasons.setdefault(error, {"number": len(reasons) + 1, "text": error, "cells": 0})
            reason["cells"] += 1
            cell["note"] = reason["number"]
    return list(reasons.values())


def queue_ticked(request) -> None:
    """Queue the ticked cells that can be translated; say which cannot, and why, at once."""
    wanted = []
    for value in request.POST.getlist("cell")[:MAX_CELLS]:
        source_id, _sep, language = value.partition(":")
        pk = ascii_number(source_id)
        if pk is not None and pk <= LARGEST_ID and language in settings.BABELPRESS_CONTENT_LANGUAGES:
            wanted.append((pk, language))
    originals = Article.objects.filter(pk__in={pk for pk, _language in wanted}, translation_method="")
    sources = {source.pk: source for source in originals.select_related("section")}
    work = worklist.build([(sources[pk], lang) for pk, lang in wanted if pk in sources])
    for source, language in work.todo:
        jobs.enqueue(source, [language], user=request.user)
    report(request, work)


def report(request, work: worklist.Worklist) -> None:
    """The messages after a bulk request: what was queued, then each reason something was not."""
    queued = len(work.todo)
    if queued:
        messages.success(request, ngettext("%(count)d translation job queued.", "%(count)d translation jobs queued.",
                                           queued) % {"count": queued})
    elif work.skipped:
        messages.warning(request, _("Nothing was queued."))
    else:
        messages.info(request, _("Tick the cells to translate, then press the button again."))
    for line in worklist.summary(work):
        messages.warning(request, line)
