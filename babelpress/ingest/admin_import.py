"""The admin's "Import a story" page and the progress page of an import running in the worker.

A pasted URL becomes an ImportJob (tasks.queue_import) and the editor lands on its progress page,
which reloads itself (<meta http-equiv="refresh">, no JavaScript) until the job ends, then sends
the editor to the draft with the outcome's messages, or shows why it failed on the import form.
The fetch takes up to BABELPRESS_IMPORT_FETCH_BUDGET seconds, which no web request should wait.

An uploaded HTML file is imported within the request: there is no network to wait for, and its
size is capped (BABELPRESS_IMPORT_MAX_BYTES; 10 MB are extracted and stored in about 7 s on a small
two-core machine, well within `babelpress serve --timeout`).
"""

from __future__ import annotations

from babel.numbers import format_decimal, format_percent
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext, gettext_lazy as _, ngettext

from babelpress import languages
from babelpress.newsroom.admin_forms import SectionChoiceField

from . import conf, outcomes, tasks
from .messages import render, ui_locale
from .models import ImportedItem, ImportJob, StoryCluster

#: How often the progress page reloads itself, in seconds; slower once the wait is long.
REFRESH_SECONDS, SLOW_REFRESH_SECONDS = 2, 10
#: A job still waiting for a worker after this long gets a hint that none may be running.
NO_WORKER_HINT_AFTER = 15


def language_choices(empty_label):
    return [("", empty_label)] + [(code, f"{languages.language_name(code)} ({code})")
                                  for code in settings.BABELPRESS_CONTENT_LANGUAGES]


def article_url(article) -> str:
    return reverse("admin:newsroom_article_change", args=[article.pk])


class ImportForm(forms.Form):
    url = forms.URLField(label=_("Article URL"), required=False, max_length=1000, assume_scheme="https",
                         widget=forms.URLInput(attrs={"size": 80, "placeholder": "https://"}))
    file = forms.FileField(label=_("or an HTML file"), required=False,
                           widget=forms.ClearableFileInput())
    section = SectionChoiceField(required=False, label=_("Section"), empty_label=_("(the first section)"))
    language = forms.ChoiceField(required=False, label=_("Language"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices(_("As declared by the page, else detected"))
        from .sources import registry  # the sources read documents (lxml, trafilatura): loaded when used

        # The files the configured sources read (an HTML page by default).
        self.fields["file"].widget.attrs["accept"] = ",".join(registry.file_types())

    def clean(self):
        data = super().clean()
        if bool(data.get("url")) == bool(data.get("file")):
            raise forms.ValidationError(_("Paste an article URL or choose an HTML file (one of the two)."))
        upload = data.get("file")
        if upload is not None and upload.size > conf.max_bytes():
            raise forms.ValidationError(
                _("The file is larger than the %(limit)s bytes allowed (BABELPRESS_IMPORT_MAX_BYTES).")
                % {"limit": f"{conf.max_bytes():,}"})
        return data


def may_import(request) -> bool:
    """Importing stories is an editor's work (docs/roles.md): it makes articles, credits sources."""
    return request.user.has_perm("ingest.add_importjob") and request.user.has_perm("newsroom.add_article")


def _check_permission(request) -> None:
    if not may_import(request):
        raise PermissionDenied


def _form_page(model_admin, request, form, error: str = "", url: str = ""):
    """The import form, with ``error`` (why the last import failed) above it."""
    feed_add_url = None
    if url and "is a feed" in error:
        feed_add_url = reverse("admin:ingest_feed_add") + "?" + urlencode({"url": url})
    context = {
        **model_admin.admin_site.each_context(request), "title": _("Import a story"), "form": form,
        "import_error": error, "opts": model_admin.model._meta, "feed_add_url": feed_add_url,
        "feeds_url": reverse("admin:ingest_feed_changelist"),
    }
    return TemplateResponse(request, "admin/ingest/import.html", context)


def import_view(model_admin, request):
    """Paste a URL (imported by the worker) or upload an HTML file (imported at once)."""
    _check_permission(request)
    if request.method != "POST":
        return _form_page(model_admin, request, ImportForm(initial={"url": request.GET.get("url", "")}))
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_page(model_admin, request, form)
    data = form.cleaned_data
    if data["url"]:
        job = tasks.queue_import(data["url"], section=data["section"], language=data["language"] or None,
                                 user=request.user)
        return HttpResponseRedirect(reverse("admin:ingest_import_job", args=[job.pk]))
    upload = data["file"]
    from . import pipeline  # extraction, dedup: loaded by the first upload, not by every web worker

    outcome = pipeline.import_file(upload.read(), filename=upload.name, section=data["section"],
                                  language=data["language"] or None, user=request.user)
    if outcome.ok:
        return after_import(request, outcome)
    return _form_page(model_admin, request, form, render(outcome.reason))


def import_job_view(model_admin, request, job_id):
    """Progress of one import: reloads itself while it runs; then the draft, or why it failed."""
    _check_permission(request)
    mine = {} if request.user.is_superuser else {"requested_by": request.user}
    job = get_object_or_404(ImportJob.objects.select_related("article", "item"), pk=job_id, **mine)
    retry_form = ImportForm(initial={"url": job.url, "section": job.section_id, "language": job.language})
    if job.status == ImportJob.Status.DONE:
        if job.article is None:
            return _form_page(model_admin, request, retry_form,
                              gettext("The import worked, but its article was deleted since."), job.url)
        return after_import(request, outcomes.ImportOutcome(
            status=job.outcome, article=job.article, item=job.item, reason=job.reason, warnings=job.warnings))
    if job.status == ImportJob.Status.FAILED:
        error = render(job.reason) or gettext("The import stopped because of an internal error; the worker's log has the "
                                 "details. Try again; if it happens again, tell whoever runs Babelpress.")
        return _form_page(model_admin, request, retry_form, error, job.url)
    if tasks.abandoned(job):
        error = gettext("The import did not finish: the worker running it stopped (restarted or killed). "
                   "Import the story again.")
        return _form_page(model_admin, request, retry_form, error, job.url)
    waited = (timezone.now() - job.created_at).total_seconds()
    context = {
        **model_admin.admin_site.each_context(request), "title": _("Importing a story"), "job": job,
        "opts": model_admin.model._meta, "budget": round(conf.fetch_budget()),
        "refresh": REFRESH_SECONDS if waited < 60 else SLOW_REFRESH_SECONDS,
        "no_worker": job.status == ImportJob.Status.QUEUED and waited > NO_WORKER_HINT_AFTER,
        "imports_url": reverse("admin:ingest_importeditem_changelist"),
    }
    return TemplateResponse(request, "admin/ingest/import_progress.html", context)


def near_duplicate_message(item: ImportedItem | None) -> str:
    """What an editor is told right after importing a near-duplicate ("" for anything else); read
    from the import record, so it works as well for an outcome rebuilt later (an import job)."""
    if item is None or item.near_duplicate_similarity is None:
        return ""
    other = (ImportedItem.objects.select_related("article").filter(pk=item.near_duplicate_of_id).first()
             if item.near_duplicate_of_id else None)
    count = (StoryCluster.objects.filter(pk=item.cluster_id).values_list("size", flat=True).first() or 1) - 1
    similarity = format_percent(item.near_duplicate_similarity, locale=ui_locale())
    if other is None:
        return gettext("Near-duplicate (%(similarity)s similar) of an import deleted since.") % {"similarity": similarity}
    if count <= 1:  # the story it resembles is the only other one left in the cluster
        return gettext("Near-duplicate of “%(headline)s” (%(similarity)s similar), listed on the import record.") % {
            "headline": other.article.headline, "similarity": similarity}
    return ngettext(
        "Near-duplicate of “%(headline)s” (%(similarity)s similar): %(count)s import tells the same story, "
        "listed on the import record.",
        "Near-duplicate of “%(headline)s” (%(similarity)s similar): %(count)s imports tell the same story, "
        "listed on the import record.", count) % {
        "headline": other.article.headline, "similarity": similarity, "count": format_decimal(count, locale=ui_locale())}


def after_import(request, outcome):
    """Where an import that worked lands the editor, with the messages that go with it."""
    article = outcome.article
    if outcome.status == outcomes.NEW:
        state = article.get_status_display()
        messages.success(request, _("Imported “%(headline)s” (%(status)s). Check it against the original, then "
                                    "publish.") % {"headline": article.headline, "status": state})
        for warning in outcome.warnings:
            messages.warning(request, render(warning))
        if note := near_duplicate_message(outcome.item):
            messages.warning(request, note)
        return HttpResponseRedirect(article_url(article))
    if outcome.status == outcomes.PENDING and outcome.item is not None:
        messages.warning(request, render(outcome.reason))
        return HttpResponseRedirect(reverse("admin:ingest_importeditem_change", args=[outcome.item.pk]))
    labels = {outcomes.UPDATED: _("Already imported; updated with the latest version."),
              outcomes.UNCHANGED: _("Already imported, and unchanged since: here it is."),
              outcomes.DUPLICATE: _("This story was already imported: here it is.")}
    messages.info(request, f"{labels.get(outcome.status, '')} ({render(outcome.reason)})")
    return HttpResponseRedirect(article_url(article))
