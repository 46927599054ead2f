"""What translation puts on the newsroom's desk (the admin's home page, newsroom/desk.py): machine
drafts waiting for a reviewer, translation jobs that failed and why, and the coverage chart
(translation/coverage_chart.py). Registered in translation/apps.py."""

from __future__ import annotations

from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext

from babelpress import languages
from babelpress.newsroom.desk import Entry, Rows, first_rows
from babelpress.translation import coverage_chart
from babelpress.translation.models import Translation, TranslationJob

# The longest reason shown on the desk; the job's page has it whole.
REASON_CHARS = 300


def _changelist(name: str, **filters) -> str:
    return f"{reverse(f'admin:translation_{name}_changelist')}?{urlencode(filters)}"


def _pair(source_language: str, target_language: str) -> str:
    return f"{languages.language_name(source_language)} → {languages.language_name(target_language)}"


def machine_drafts(request, limit: int) -> Rows | None:
    """Machine translations no reviewer has approved yet, the oldest first."""
    if not request.user.has_perm("translation.view_translation"):
        return None
    waiting = (Translation.objects.filter(state=Translation.State.MACHINE)
               .select_related("article", "source").order_by("updated_at", "pk")
               .only("pk", "updated_at", "qa_errors", "qa_warnings", "article__headline", "article__language",
                     "source__language"))
    found, total = first_rows(waiting, limit)
    made = gettext("translated")
    entries = [
        Entry(title=state.article.headline, url=reverse("admin:translation_translation_change", args=[state.pk]),
              language=state.article.language, when=state.updated_at, when_label=made,
              details=(_pair(state.source.language, state.article.language), *_qa(state)),
              tone="error" if state.qa_errors else "")
        for state in found
    ]
    return Rows(entries, total, _changelist("translation", state__exact=Translation.State.MACHINE),
                gettext("All machine drafts to review"))


def _qa(state: Translation) -> tuple[str, ...]:
    found = []
    if state.qa_errors:
        found.append(ngettext("%(count)d quality error", "%(count)d quality errors", state.qa_errors)
                     % {"count": state.qa_errors})
    if state.qa_warnings:
        found.append(ngettext("%(count)d warning", "%(count)d warnings", state.qa_warnings)
                     % {"count": state.qa_warnings})
    return tuple(found)


def failed_jobs(request, limit: int) -> Rows | None:
    """Translation jobs that failed (a failed job is queued again when retried, so each still
    failing story and language is here once), the latest first, each with its reason."""
    if not request.user.has_perm("translation.view_translationjob"):
        return None
    failed = (TranslationJob.objects.filter(status=TranslationJob.Status.FAILED).select_related("source")
              .order_by("-updated_at", "-pk")
              .only("pk", "target_language", "last_error", "updated_at", "source__headline", "source__language"))
    found, total = first_rows(failed, limit)
    when = gettext("failed")
    no_reason = gettext("No reason was recorded: the worker's log has the details.")
    entries = [
        Entry(title=job.source.headline, url=reverse("admin:translation_translationjob_change", args=[job.pk]),
              language=job.source.language, when=job.updated_at, when_label=when,
              details=(_pair(job.source.language, job.target_language),),
              note=Truncator(job.last_error.strip() or no_reason).chars(REASON_CHARS), tone="error")
        for job in found
    ]
    return Rows(entries, total, _changelist("translationjob", status__exact=TranslationJob.Status.FAILED),
                gettext("All failed translation jobs"))


def coverage_panel(request) -> str:
    """The coverage chart's box (translation/coverage_chart.py); "" for who may not see coverage."""
    if not request.user.has_perm("translation.view_translation"):
        return ""
    context = coverage_chart.panel_context(coverage_chart.counts())
    return render_to_string("admin/translation/desk_coverage.html", context, request=request)
