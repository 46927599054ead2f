"""Translation screens: review side by side, coverage at a glance, jobs, glossary, memory, usage."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _, ngettext

from babelpress import languages
from babelpress.numbers import ascii_number
from babelpress.newsroom.admin_forms import section_label
from babelpress.newsroom.models import Article, Section, StaleEdit
from babelpress.translation import coverage, jobs, review
from babelpress.translation.placeholders import readable, segment_from_readable
from babelpress.translation.models import (
    EngineUsage, GlossaryName, GlossaryTerm, MemoryEntry, Translation, TranslationJob,
)


class GlossaryNameInline(admin.TabularInline):
    model = GlossaryName
    extra = 0
    min_num = 1


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "all_names", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["names__name", "names__aliases", "note"]
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


@admin.register(TranslationJob)
class TranslationJobAdmin(admin.ModelAdmin):
    list_display = ["id", "source", "target_language", "status", "attempts", "engine", "engine_calls",
                    "segments_from_memory", "short_error", "worker", "updated_at", "retry_button"]
    list_filter = ["status", "target_language", "engine"]
    readonly_fields = [f.name for f in TranslationJob._meta.fields if f.name != "lease_token"]
    exclude = ["lease_token"]
    actions = ["retry_jobs"]
    list_select_related = ["source"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        return obj.last_error[:160]

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
        stored = dict(state.segments.values_list("position", "target_text"))
        edits, resolved = {}, set()
        for key, value in request.POST.items():
            prefix, _sep, number = key.partition("-")
            position = ascii_number(number)
            if prefix == "segment" and position is not None:
                edits[position] = _typed_segment(value, stored.get(position))
            elif prefix == "resolve" and position is not None:
                resolved.add(position)
        approve = "_approve" in request.POST
        try:
            state = review.save_review(
                state, edits, request.user, approve=approve, resolved=resolved,
                loaded_version=_posted_version(request), loaded_draft=request.POST.get("loaded_draft"),
            )
        except StaleEdit as exc:
            messages.error(request, str(exc))
            return None, edits
        except review.ReviewError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(request.path), None
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
        from babelpress.translation.pipeline import is_outdated

        segments = list(state.segments.order_by("position"))
        token = review.draft_token(segments)
        if posted:
            unchanged = request.POST.get("loaded_draft") == token
            for seg in segments:
                text = posted.get(seg.position)
                if text is not None and text != seg.target_text:
                    if unchanged:
                        seg.target_text = text
                    else:
                        seg.unsaved_text = readable(text)
        for seg in segments:  # shown as text: "&" rather than the segment's "&amp;", tags as they are
            seg.field_label = _field_label(seg.field)
            seg.source_shown, seg.machine_shown = readable(seg.source_text), readable(seg.machine_text)
            seg.target_shown, seg.before_shown = readable(seg.target_text), readable(seg.edited_source_text)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Review translation"),
            "state": state,
            "segments": segments,
            "loaded_version": state.article.version,
            "loaded_draft": token,
            "outdated": is_outdated(state),
            "opts": self.model._meta,
            "source_language": languages.get(state.source.language),
            "target_language": languages.get(state.article.language),
            "can_change": self.has_change_permission(request, state),
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


def _field_label(name: str) -> str:
    """The article field's name in the editor's language ("titre"), not the code's ("headline")."""
    try:
        return Article._meta.get_field(name).verbose_name
    except FieldDoesNotExist:
        return name


def _typed_segment(value: str, stored: str | None) -> str:
    """A segment as the reviewer typed it (see ``readable``), back in segment form; the stored
    text itself when they left it as shown (one text can be escaped in several ways)."""
    value = value.replace("\r\n", "\n").replace("\x00", "")  # what no database keeps (NUL) or means (\r)
    if stored is not None and value == readable(stored):
        return stored
    return segment_from_readable(value)


def coverage_view(request):
    """Per story and language: missing, machine draft, reviewed, outdated, failed … with bulk translate."""
    if not request.user.has_perm("translation.view_translation"):
        raise PermissionDenied
    if request.method == "POST":
        if not request.user.has_perm("translation.add_translationjob"):
            raise PermissionDenied
        wanted = request.POST.getlist("cell")
        queued = 0
        for cell in wanted[:2000]:
            source_id, _sep, lang = cell.partition(":")
            source_pk = ascii_number(source_id)
            if source_pk is None:
                continue
            source = Article.objects.filter(pk=source_pk, translation_method="").first()
            if source and lang in settings.BABELPRESS_CONTENT_LANGUAGES and lang != source.language:
                jobs.enqueue(source, [lang], user=request.user)
                queued += 1
        messages.success(request, ngettext("%(count)d translation job queued.", "%(count)d translation jobs queued.", queued) % {"count": queued})
        return HttpResponseRedirect(request.get_full_path())
    # One pass over every published original serves both the totals and the filtered rows.
    everything = list(coverage.originals())
    table = coverage.cells(everything)
    section = request.GET.get("section", "")
    section_id = ascii_number(section)
    sources = [s for s in everything if section_id is None or s.section_id == section_id][:500]
    language_filter = request.GET.get("language", "")
    state_filter = request.GET.get("state", "")
    rows = []
    for source in sources:
        row = table[source.pk]
        if state_filter and not any(
            cell["state"] == state_filter and (not language_filter or lang == language_filter) for lang, cell in row.items()
        ):
            continue
        rows.append((source, [(lang, row[lang]) for lang in settings.BABELPRESS_CONTENT_LANGUAGES]))
    totals = coverage.totals(table)
    context = {
        **admin.site.each_context(request),
        "title": _("Translation coverage"),
        "rows": rows,
        "languages": languages.content_languages(),
        "totals": [(lang, [totals[lang.code].get(s, 0) for s in coverage.STATES]) for lang in languages.content_languages()],
        "states": [(state, coverage.STATE_LABELS[state]) for state in coverage.STATES],
        "sections": [(s.pk, section_label(s)) for s in Section.objects.prefetch_related("names")],
        "current": {"language": language_filter, "state": state_filter, "section": section},
    }
    return TemplateResponse(request, "admin/translation/coverage.html", context)
