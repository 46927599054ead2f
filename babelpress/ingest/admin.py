"""The importer's screens: followed feeds, import records (their panels, provenance, same-story
cluster and a newer version waiting as a diff, are in admin_panels.py) and the Import page (paste a
URL or upload a file; admin_import.py)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, gettext_lazy as _, ngettext, pgettext_lazy

from babelpress import languages
from babelpress.numbers import ascii_number
from babelpress.newsroom import admin_time_zone
from babelpress.newsroom import permissions
from babelpress.newsroom.admin_forms import SectionChoiceField, section_label
from babelpress.newsroom.models import StaleEdit

from . import admin_import, polling, store
from .admin_import import article_url as _article_url, language_choices as _language_choices
from .admin_panels import pending_diff_html, same_story_html
from .messages import of as said, render, render_all
from .models import Feed, ImportedItem
from .outcomes import ImportFailed


# --- Feeds ---------------------------------------------------------------------------------------


class FeedForm(forms.ModelForm):
    language = forms.ChoiceField(required=False, label=_("language"),
                                 help_text=_("Detect: use what each page declares, else detect it from the text."))

    class Meta:
        model = Feed
        fields = ["url", "title", "source", "section", "language", "interval_minutes", "trusted", "active",
                  "respect_robots"]
        widgets = {"url": forms.URLInput(attrs={"size": 80})}
        field_classes = {"section": SectionChoiceField}  # named in the admin's language

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = _language_choices(_("Detect"))
        self.fields["interval_minutes"].min_value = 5

    def clean_interval_minutes(self):
        value = self.cleaned_data["interval_minutes"]
        if value < 5:
            raise forms.ValidationError(_("Poll at most every 5 minutes: partners do not like being hammered."))
        return value


#: What each count of a poll's report is, in the editor's language ("2 new").
POLL_COUNTS = {"new": pgettext_lazy("poll count", "new"), "updated": pgettext_lazy("poll count", "updated"),
               "pending_update": pgettext_lazy("poll count", "pending update"),
               "duplicate": pgettext_lazy("poll count", "duplicate"), "unchanged": pgettext_lazy("poll count", "unchanged"),
               "failed": pgettext_lazy("poll count", "failed")}


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    form = FeedForm
    list_display = ["__str__", "source", "section_name", "language_shown", "active", "trusted", "last_status",
                    "last_polled_at", "next_poll_at", "failures", "short_error"]
    list_filter = ["active", "trusted", "last_status", "source"]
    search_fields = ["url", "title"]
    autocomplete_fields = ["source"]
    actions = ["poll_now", "reset_backoff"]
    readonly_fields = ["last_status", "last_error_text", "last_polled_at", "last_success_at", "next_poll_at", "failures",
                       "items_seen", "report_panel", "created_at"]
    fieldsets = [
        (None, {"fields": ["url", "title", "source", "section", "language", "interval_minutes", "trusted", "active",
                           "respect_robots"]}),
        (_("Polling"), {"fields": ["last_status", "last_error_text", "report_panel", "last_polled_at", "last_success_at",
                                   "next_poll_at", "failures", "items_seen", "created_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("section__names")  # section_name: two queries

    @admin.display(description=_("section"), ordering="section__position")
    def section_name(self, obj):
        return section_label(obj.section) if obj.section_id else "-"

    @admin.display(description=_("language"), ordering="language")
    def language_shown(self, obj):
        return obj.language or _("detect")

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        error = render(obj.last_error)
        return error[:160] + ("…" if len(error) > 160 else "")

    @admin.display(description=_("last error"))
    def last_error_text(self, obj):
        return render(obj.last_error) or "-"

    @admin.display(description=_("last poll"))
    def report_panel(self, obj):
        report = obj.last_report or {}
        counts = report.get("counts") or {}
        if not counts and not report.get("error"):
            return _("Not polled yet: the worker (`babelpress worker`) polls it within a minute.")
        text = ", ".join(gettext("%(count)s %(status)s") % {"status": POLL_COUNTS.get(k, k), "count": n}
                         for k, n in counts.items() if n) or _("nothing new")
        failed = report.get("failed") or []
        return format_html("<p>{}</p>{}", text, format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}: {}</li>", ((link, render(reason)) for link, reason in failed))) if failed else "")

    def save_model(self, request, obj, form, change):
        if change and ("url" in form.changed_data or ("active" in form.changed_data and obj.active)):
            obj.next_poll_at, obj.failures = timezone.now(), 0  # a new address or a re-activation: poll soon
            if "url" in form.changed_data:
                obj.etag, obj.last_modified = "", ""  # validators belong to the old address
        super().save_model(request, obj, form, change)
        if not change:
            messages.info(request, _("The worker (`babelpress worker`) will poll this feed within a minute; "
                                     "its stories appear under Imported articles."))

    @admin.action(description=_("Poll now"), permissions=["change"])
    def poll_now(self, request, queryset):
        count = 0
        for feed in queryset:
            if not feed.active:
                messages.warning(request, _("%(feed)s is not active: activate it first.") % {"feed": feed})
                continue
            polling.queue_now(feed)
            count += 1
        if count:
            messages.success(request, ngettext(
                "%(count)d feed queued: the worker polls it within seconds (run `babelpress worker` if none is running).",
                "%(count)d feeds queued: the worker polls them within seconds (run `babelpress worker` if none is running).",
                count) % {"count": count})

    @admin.action(description=_("Reset backoff (poll at the next turn)"), permissions=["change"])
    def reset_backoff(self, request, queryset):
        count = queryset.update(failures=0, next_poll_at=timezone.now(), queued_at=None)
        messages.success(request, ngettext("%(count)d feed will be polled at the next turn.",
                                           "%(count)d feeds will be polled at the next turn.", count) % {"count": count})


# --- Import records ------------------------------------------------------------------------------


class PendingFilter(admin.SimpleListFilter):
    title = _("newer version waiting")
    parameter_name = "pending"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pending_update__isnull=False)
        if self.value() == "no":
            return queryset.filter(pending_update__isnull=True)
        return queryset



@admin.register(ImportedItem)
class ImportedItemAdmin(admin.ModelAdmin):
    list_display = ["headline", "source", "origin", "detected_language", "language_declared", "retrieved_at",
                    "has_pending", "warning_count"]
    list_filter = ["origin", "detected_language", PendingFilter, "feed"]
    search_fields = ["article__headline", "original_url", "canonical_url"]
    list_select_related = ["article__source", "feed"]
    change_list_template = "admin/ingest/importeditem/change_list.html"
    change_form_template = "admin/ingest/importeditem/change_form.html"
    fieldsets = [
        (None, {"fields": ["article_link", "original_link", "canonical_url", "origin", "feed", "retrieved_at",
                           "original_published_at", "language_shown", "sitename", "lead_image_url", "imported_by"]}),
        (_("Warnings and same story"), {"fields": ["warnings_list", "same_story_panel"]}),
        (_("Newer version"), {"fields": ["pending_panel"]}),
    ]
    readonly_fields = ["article_link", "original_link", "canonical_url", "origin", "feed", "retrieved_at",
                       "original_published_at", "language_shown", "sitename", "lead_image_url", "imported_by",
                       "warnings_list", "same_story_panel", "pending_panel"]

    def has_add_permission(self, request):
        return False  # imports come from the Import page, a feed or the command line

    @admin.display(description=_("headline"), ordering="article__headline")
    def headline(self, obj):
        return obj.article.headline

    @admin.display(description=_("source"))
    def source(self, obj):
        return obj.article.source or "—"

    @admin.display(description=_("newer version"), boolean=True)
    def has_pending(self, obj):
        return bool(obj.pending_update)

    @admin.display(description=_("warnings"))
    def warning_count(self, obj):
        return len(obj.warnings or [])

    @admin.display(description=_("article"))
    def article_link(self, obj):
        return format_html('<a href="{}">{}</a> — {}', _article_url(obj.article), obj.article.headline,
                           obj.article.get_status_display())

    @admin.display(description=_("original URL"))
    def original_link(self, obj):
        if not obj.original_url:
            return _("(uploaded file)")
        return format_html('<a href="{0}" rel="noopener noreferrer" target="_blank">{0}</a>', obj.original_url)

    @admin.display(description=_("language"))
    def language_shown(self, obj):
        how = _("declared") if obj.language_declared else _("detected from the text")
        return f"{languages.language_name(obj.detected_language)} ({obj.detected_language}) — {how}"

    @admin.display(description=_("warnings"))
    def warnings_list(self, obj):
        if not obj.warnings:
            return _("None")
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((w,) for w in render_all(obj.warnings))))

    @admin.display(description=_("same story"))
    def same_story_panel(self, obj):
        return same_story_html(obj) or _("No near-duplicate found among recent imports.")

    @admin.display(description=_("newer version"))
    def pending_panel(self, obj):
        if not obj.pending_update:
            return _("None: the article holds the latest imported version, or an editor's own.")
        # formaction posts the surrounding change form (and its CSRF token): no nested form.
        buttons = format_html(
            '<p><input type="hidden" name="loaded_version" value="{}">'
            '<button type="submit" class="button default" formaction="{}" formnovalidate>{}</button> '
            '<button type="submit" class="button" formaction="{}" formnovalidate>{}</button></p>',
            obj.article.version,
            reverse("admin:ingest_importeditem_apply", args=[obj.pk]), _("Apply the new version"),
            reverse("admin:ingest_importeditem_discard", args=[obj.pk]), _("Keep the article as it is"),
        )
        note = _("Imported %(when)s from %(url)s. Applying replaces the headline, standfirst and body "
                 "(editors' changes shown on the left are lost).") % {
            "when": admin_time_zone.shown(parse_datetime(obj.pending_update.get("retrieved_at") or "")),
            "url": obj.pending_update.get("url") or _("the same source")}
        return format_html("<p>{}</p>{}{}", note, pending_diff_html(obj), buttons)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # A record of what happened: nothing to save here (the buttons act on the newer version).
        extra_context = {**(extra_context or {}), "show_save": False, "show_save_and_continue": False,
                         "show_save_and_add_another": False}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="ingest_import"),
            path("import/<uuid:job_id>/", self.admin_site.admin_view(self.import_job_view), name="ingest_import_job"),
            path("<int:pk>/apply/", self.admin_site.admin_view(self.apply_view), name="ingest_importeditem_apply"),
            path("<int:pk>/discard/", self.admin_site.admin_view(self.discard_view), name="ingest_importeditem_discard"),
        ] + super().get_urls()

    def import_view(self, request):
        return admin_import.import_view(self, request)

    def import_job_view(self, request, job_id):
        return admin_import.import_job_view(self, request, job_id)

    def _may_edit_article(self, request, item) -> bool:
        return self.has_change_permission(request, item) and permissions.may_change_article(request.user, item.article)

    def apply_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        item = get_object_or_404(ImportedItem, pk=pk)
        if not self._may_edit_article(request, item):
            raise PermissionDenied
        raw_version = request.POST.get("loaded_version", "")
        version = ascii_number(raw_version) if raw_version else 0
        if version is None:  # not what the page sent: which version the editor saw is unknown
            messages.error(request, _("This page is out of date: reload it and choose again."))
            return HttpResponseRedirect(reverse("admin:ingest_importeditem_change", args=[pk]))
        try:
            article = store.apply_pending_update(item, expected_version=version or None)
        except StaleEdit as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(reverse("admin:ingest_importeditem_change", args=[pk]))
        except ImportFailed as exc:
            messages.error(request, render(said(exc)))
            return HttpResponseRedirect(reverse("admin:ingest_importeditem_change", args=[pk]))
        messages.success(request, _("The newer version replaced the article's text."))
        return HttpResponseRedirect(_article_url(article))

    def discard_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        item = get_object_or_404(ImportedItem, pk=pk)
        if not self._may_edit_article(request, item):
            raise PermissionDenied
        store.discard_pending_update(item)
        messages.success(request, _("The newer version was set aside; the article is unchanged."))
        return HttpResponseRedirect(reverse("admin:ingest_importeditem_change", args=[pk]))
