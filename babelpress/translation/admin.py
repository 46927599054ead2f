"""Translation screens: review side by side, coverage at a glance, jobs, glossary, memory, usage."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _, ngettext

from babelpress import languages
from babelpress.numbers import ascii_number
from babelpress.newsroom.admin_permissions import scoped_by_language
from babelpress.newsroom.models import Article, StaleEdit
from babelpress.translation import jobs, review, review_page
from babelpress.translation.models import (
    EngineUsage, GlossaryName, GlossaryTerm, MemoryEntry, Translation, TranslationJob,
)


class GlossaryNameInline(admin.TabularInline):
    """The term in each language: preferred form, aliases, the inflected forms a translation may
    use, and whether words with the same stem count too (docs/translation.md, "Glossary")."""

    model = GlossaryName
    extra = 0
    min_num = 1
    fields = ["language", "name", "aliases", "inflected_forms", "match_stem"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 24})}}


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "all_names", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["names__name", "names__aliases", "names__inflected_forms", "note"]
    inlines = [GlossaryNameInline]
    change_list_template = "admin/translation/glossary_changelist.html"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("names")

    @admin.display(description=_("names"))
    def all_names(self, obj):
        return " · ".join(f"{n.language}: {n.name}" for n in obj.names.all())

    def get_urls(self):
        return [
            path("export.<str:fmt>", self.admin_site.admin_view(self.export_view), name="translation_glossary_export"),
            path("import/", self.admin_site.admin_view(self.import_view), name="translation_glossary_import"),
        ] + super().get_urls()

    def export_view(self, request, fmt):
        from babelpress.translation import glossary_io

        if not self.has_view_permission(request):
            raise PermissionDenied
        if fmt == "csv":
            # A BOM lets spreadsheet programs read the accents and non-Latin scripts as UTF-8.
            response = HttpResponse("\ufeff" + glossary_io.export_csv(), content_type="text/csv; charset=utf-8")
        elif fmt == "tbx":
            response = HttpResponse(glossary_io.export_tbx(), content_type="application/x-tbx+xml")
        else:
            raise PermissionDenied
        response["Content-Disposition"] = f'attachment; filename="babelpress-glossary.{fmt}"'
        return response

    def import_view(self, request):
        from babelpress.translation import glossary_io

        if not self.has_add_permission(request):
            raise PermissionDenied
        report = None
        if request.method == "POST" and request.FILES.get("file"):
            upload = request.FILES["file"]
            if upload.size > 10 * 1024 * 1024:
                messages.error(request, _("That file is larger than 10 MB; split it and import the parts."))
            else:
                data = upload.read()
                dry_run = bool(request.POST.get("dry_run"))
                try:
                    if upload.name.lower().endswith((".tbx", ".xml")):
                        report = glossary_io.import_tbx(data, dry_run=dry_run)
                    else:
                        report = glossary_io.import_csv(data.decode("utf-8-sig", errors="replace"), dry_run=dry_run)
                except glossary_io.GlossaryImportError as exc:
                    messages.error(request, str(exc))
                else:
                    if report.errors:
                        messages.error(request, _("Nothing was imported: fix the errors listed below and try again."))
                    elif not dry_run:
                        messages.success(request, _("Glossary imported."))
        context = {**self.admin_site.each_context(request), "title": _("Import glossary"), "report": report,
                   "opts": self.model._meta}
        return TemplateResponse(request, "admin/translation/glossary_import.html", context)


@admin.register(MemoryEntry)
@scoped_by_language("target_language")  # a translator's own languages only (docs/roles.md)
class MemoryEntryAdmin(admin.ModelAdmin):
    list_display = ["source_language", "target_language", "short_source", "short_target", "engine", "human_edited", "uses", "used_at"]
    list_filter = ["source_language", "target_language", "engine", "human_edited"]
    search_fields = ["source_text", "target_text"]
    readonly_fields = ["source_hash", "created_at", "used_at", "uses"]

    @admin.display(description=_("source text"))
    def short_source(self, obj):
        return obj.source_text[:80]

    @admin.display(description=_("target text"))
    def short_target(self, obj):
        return obj.target_text[:80]


@admin.register(EngineUsage)
class EngineUsageAdmin(admin.ModelAdmin):
    list_display = ["engine", "month", "characters", "requests", "cap"]
    list_filter = ["engine"]

    @admin.display(description=_("monthly cap"))
    def cap(self, obj):
        return settings.BABELPRESS_TRANSLATION_MONTHLY_CAPS.get(obj.engine, "—")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


#: The longest reason the jobs list shows in full (the job's page has all of it).
REASON_CHARS = 400
_BADGE = "padding:1px 6px;border-radius:3px;white-space:nowrap;"
JOB_BADGES = {
    "failed": _BADGE + "background:#ba2121;color:#fff;font-weight:bold;",
    "waiting": _BADGE + "background:#fbe7c1;color:#333;",
    "done": _BADGE + "background:#d7f0d7;color:#333;",
}


@admin.register(TranslationJob)
@scoped_by_language("target_language")
class TranslationJobAdmin(admin.ModelAdmin):
    # What an editor looks for (which story, which language, how it stands and why) fits the screen;
    # the engine's calls, the memory's share and the worker are on the job's page.
    list_display = ["id", "story", "target_language", "status_shown", "reason", "retry_button", "attempts", "engine",
                    "updated_at"]
    list_filter = ["status", "target_language", "engine"]
    readonly_fields = [f.name for f in TranslationJob._meta.fields if f.name != "lease_token"]
    exclude = ["lease_token"]
    actions = ["retry_jobs"]
    list_select_related = ["source"]

    def has_add_permission(self, request):
        return False

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        return shown if self.has_change_permission(request) else [c for c in shown if c != "retry_button"]

    @admin.display(description=_("story"), ordering="source__headline")
    def story(self, obj):
        return format_html('<div style="min-width:10em;max-width:24em;white-space:normal">{} [{}]</div>',
                           obj.source.headline, obj.source.language)

    @admin.display(description=_("status"), ordering="status")
    def status_shown(self, obj):
        # A failed job stands out in the list: a badge, not one more word among the columns.
        style = JOB_BADGES.get(obj.status, "")
        return format_html('<span class="job-status job-{}" style="{}">{}</span>', obj.status, style,
                           obj.get_status_display())

    @admin.display(description=_("why"))
    def reason(self, obj):
        """In words, in the list itself: why a job failed, what a job waiting to retry ran into."""
        error = obj.last_error
        if not error:
            return ""
        if len(error) > REASON_CHARS:
            error = error[:REASON_CHARS].rsplit(" ", 1)[0] + " …"
        retrying = ""
        if obj.status in (TranslationJob.Status.QUEUED, TranslationJob.Status.WAITING) and obj.next_attempt_at:
            retrying = _("tried again at %(time)s") % {
                "time": date_format(timezone.localtime(obj.next_attempt_at), "DATETIME_FORMAT")}
        # Wide enough to read as a sentence, not a column of single words.
        return format_html('<div class="job-reason" style="min-width:15em;max-width:40em;white-space:normal">{}{}</div>', error,
                           format_html(" <small>({})</small>", retrying) if retrying else "")

    @admin.display(description="")
    def retry_button(self, obj):
        if obj.status != TranslationJob.Status.FAILED:
            return ""
        url = reverse("admin:translation_translationjob_retry", args=[obj.pk])
        # A POST through the change list's own form (which carries the CSRF token): a retry changes
        # state, so a plain link (GET) would let any page make a reviewer's browser trigger it.
        return format_html(
            '<button type="submit" class="button" formaction="{}" formmethod="post" name="retry" value="{}">{}</button>',
            url, obj.pk, _("Retry"),
        )

    def get_urls(self):
        return [
            path("<int:pk>/retry/", self.admin_site.admin_view(self.retry_view), name="translation_translationjob_retry"),
        ] + super().get_urls()

    def retry_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        job = get_object_or_404(TranslationJob, pk=pk)
        if not self.has_change_permission(request, job):
            raise PermissionDenied
        if jobs.retry(job, user=request.user):
            messages.success(request, _("Job #%(id)d queued again.") % {"id": job.pk})
        else:
            messages.warning(request, _("Job #%(id)d has not failed: nothing to retry.") % {"id": job.pk})
        return HttpResponseRedirect(reverse("admin:translation_translationjob_changelist"))

    @admin.action(description=_("Retry the selected failed jobs"), permissions=["change"])
    def retry_jobs(self, request, queryset):
        count = 0
        for job in queryset.filter(status=TranslationJob.Status.FAILED).select_related("source"):
            if jobs.retry(job, user=request.user):
                count += 1
        messages.success(request, ngettext("%(count)d job queued again.", "%(count)d jobs queued again.", count) % {"count": count})


@admin.register(Translation)
@scoped_by_language("article__language")  # the review queue and approval: a translator's languages only
class TranslationAdmin(admin.ModelAdmin):
    """The review screen: source | machine draft | editable target, with QA flags per segment."""

    list_display = ["article", "language", "state", "engine", "qa_errors", "qa_warnings", "conflicts", "updated_at"]
    list_filter = ["state", "article__language", "engine"]
    search_fields = ["article__headline", "source__headline"]
    list_select_related = ["article", "source"]

    @admin.display(description=_("language"))
    def language(self, obj):
        return obj.article.language

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article", "source")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        state = self.get_object(request, unquote(object_id))
        if state is None:  # no such review, or an id that is not a number: the admin's usual answer
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, state):
            raise PermissionDenied
        posted = None
        if request.method == "POST":
            if not self.has_change_permission(request, state):
                raise PermissionDenied
            response, posted = self._save_review(request, state)
            if response is not None:
                return response
            # Someone saved meanwhile and nothing was written: show the page as it is now, with
            # the reviewer's text still on it, instead of a redirect that would lose it.
            state = get_object_or_404(Translation.objects.select_related("article", "source"), pk=state.pk)
        return self._review_page(request, state, posted)

    def _save_review(self, request, state):
        """Store the posted review: (a redirect, None), or (None, the posted edits) when the POST
        was refused as stale."""
        typed, resolved = {}, set()
        for key, value in request.POST.items():
            prefix, _sep, number = key.partition("-")
            position = ascii_number(number)
            if prefix == "segment" and position is not None:
                typed[position] = value
            elif prefix == "resolve" and position is not None:
                resolved.add(position)
        edits = review_page.typed_segments(state, typed)
        approve = "_approve" in request.POST
        try:
            state = review.save_review(
                state, edits, request.user, approve=approve, resolved=resolved,
                loaded_version=_posted_version(request), loaded_draft=request.POST.get("loaded_draft"),
                reason=request.POST.get("reason", "") if approve else "",
            )
        except StaleEdit as exc:
            messages.error(request, str(exc))
            return None, edits
        except review.ReviewError as exc:
            messages.error(request, str(exc))
            anchor = "#approve-anyway" if isinstance(exc, review.OverrideRequired) else ""
            return HttpResponseRedirect(request.path + anchor), None
        if not approve:
            messages.success(request, _("Draft saved."))
            return HttpResponseRedirect(request.path), None
        if state.article.status == Article.Status.PUBLISHED:
            messages.success(request, _("Approved and published."))
        else:
            messages.success(request, _("Approved; it will be published with the original."))
        return HttpResponseRedirect(reverse("admin:translation_translation_changelist")), None

    def _review_page(self, request, state, posted=None):
        """The review screen; ``posted`` is a refused POST's text, kept on the page (in the boxes
        when the draft is unchanged, under each segment when it changed)."""
        from babelpress.translation import source_changes
        from babelpress.translation.pipeline import is_outdated

        segments = list(state.segments.order_by("position"))
        token = review.draft_token(segments)
        review_page.segment_rows(state, segments, posted, unchanged=request.POST.get("loaded_draft") == token)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Review translation"),
            "state": state,
            "segments": segments,
            "loaded_version": state.article.version,
            "loaded_draft": token,
            "outdated": is_outdated(state),
            # What changed in the original since this draft was made ("" when nothing did).
            "source_changes": source_changes.render(state.article, state, notice=False),
            "opts": self.model._meta,
            "source_language": languages.get(state.source.language),
            "target_language": languages.get(state.article.language),
            "can_change": self.has_change_permission(request, state),
            "reason": request.POST.get("reason", "") if posted is not None else "",
            **review_page.approval_context(state, segments),
        }
        status = 409 if posted is not None else 200  # 409 Conflict: the refused POST's page
        return TemplateResponse(request, "admin/translation/review.html", context, status=status)


def _posted_version(request) -> int | None:
    """The article version the review form was loaded at; a mangled one counts as stale (-1)."""
    value = request.POST.get("loaded_version")
    if value is None:
        return None
    number = ascii_number(value)
    return -1 if number is None else number


def coverage_view(request):
    """Per story and language: missing, machine draft, reviewed, outdated, failed … with bulk translate
    (translation/coverage_page.py)."""
    from babelpress.translation import coverage_page

    return coverage_page.coverage_view(request)
