"""Publishing from the article screens: the list's publication column and actions (Publish now,
Unpublish, Schedule…, Publish every language at…), and the buttons of the article page.

The rules themselves are the model's (babelpress/newsroom/publication.py) and the operations the
scheduler's module's (babelpress/newsroom/scheduling.py); this module only asks and tells.

Who may: the actions are offered to whom may publish some article (``publishes``: editors,
administrators, translators), and each checks every article it would change with
``permissions.may_publish`` (a translator's are the translations in their languages), leaving the
others as they were and saying so. The embargo changes every published language of a story, so it
applies to a story only when the person may publish each of them. The page's buttons are shown and
obeyed only for whom may publish that article (``ArticleForm.may_publish``, set by
admin_permissions.py).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AdminSplitDateTime
from django.template.response import TemplateResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _, gettext_lazy, ngettext

from babelpress.newsroom import permissions, publication, scheduling
from babelpress.newsroom.models import Article

# The article page's publishing buttons (admin/newsroom/article/submit_line.html), by their name.
PUBLISH_NOW, UNPUBLISH, SCHEDULE = "_publish_now", "_unpublish", "_schedule"


def when(moment) -> str:
    """A time as editors read it: in the site's time zone, with the zone's name."""
    local = timezone.localtime(moment)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} {local.tzname()}"


def publication_state(article) -> str:
    """Draft, In review, Published, or "Scheduled for <time with zone>" (the list's column)."""
    if publication.is_scheduled(article):
        return _("Scheduled for %(time)s") % {"time": when(article.published_at)}
    return str(article.get_status_display())


# --- The article page's buttons -------------------------------------------------------------


def published_at_help() -> str:
    return _("Leave empty to publish now when you publish. A time in the future schedules the story: it goes "
             "live then by itself, in every list and on the site. Times are in the %(zone)s time zone.") % {
        "zone": timezone.get_current_timezone_name()}


def apply_button(form, data: dict) -> None:
    """What the pressed publishing button (if any) does to the form's cleaned data: nothing, and
    an error said beside Status, when this person may not publish the article."""
    if not getattr(form, "may_publish", False) and any(b in form.data for b in (PUBLISH_NOW, UNPUBLISH, SCHEDULE)):
        form.add_error("status" if "status" in form.fields else None, _(
            "Only an editor can publish. Choose “In review” to submit the article: an editor then publishes it."))
    elif PUBLISH_NOW in form.data:
        data["status"], data["published_at"] = Article.Status.PUBLISHED, timezone.now()
    elif UNPUBLISH in form.data:
        data["status"] = Article.Status.DRAFT
    elif SCHEDULE in form.data:
        moment = data.get("published_at")
        if moment is None or moment <= timezone.now():
            form.add_error("published_at", _("Choose the time to publish at, in the future, then press "
                                             "“Schedule” again."))
        else:
            data["status"] = Article.Status.PUBLISHED


def tell(request, before: tuple, article) -> None:
    """Say what a save did to the article's publication (``before``: its status and time then)."""
    status, published_at = before
    was_live = status == Article.Status.PUBLISHED and published_at is not None and published_at <= timezone.now()
    if publication.is_scheduled(article) and (status, published_at) != (article.status, article.published_at):
        messages.info(request, _("“%(headline)s” is scheduled for %(time)s: it goes live then by itself.") % {
            "headline": article.headline, "time": when(article.published_at)})
    elif article.is_published and not was_live:
        messages.info(request, _("“%(headline)s” is published: readers can see it now.") % {
            "headline": article.headline})
    elif status == Article.Status.PUBLISHED and article.status != Article.Status.PUBLISHED:
        messages.info(request, _("“%(headline)s” is unpublished: readers no longer see it.") % {
            "headline": article.headline})


# --- The list's actions -----------------------------------------------------------------------


def publishes(request) -> bool:
    """Whom the publishing actions are offered to (admin_extensions): who may publish some article.
    Each action then checks each article."""
    return permissions.may_publish(request.user)


def _theirs(modeladmin, request, queryset):
    """The selected articles this person may publish, schedule or unpublish (a queryset); the
    others are left as they were, and counted."""
    articles = list(queryset)
    allowed = [a.pk for a in articles if permissions.may_publish(request.user, a)]
    left = len(articles) - len(allowed)
    if left:
        modeladmin.message_user(request, ngettext(
            "%(count)d selected article left as it was: you may not publish, schedule or unpublish it (an editor can).",
            "%(count)d selected articles left as they were: you may not publish, schedule or unpublish them (an "
            "editor can).", left) % {"count": left}, messages.WARNING)
    return queryset.filter(pk__in=allowed)


def _whole_stories_theirs(modeladmin, request, queryset):
    """The selected articles whose stories' embargo this person may set: every version it would
    change (scheduling.embargoed_versions) is one they may publish. The others are counted."""
    blocked = {v.translation_key for v in scheduling.embargoed_versions(queryset)
               if not permissions.may_publish(request.user, v)}
    left = queryset.filter(translation_key__in=blocked).count()
    if left:
        modeladmin.message_user(request, ngettext(
            "%(count)d selected article left as it was: its story has versions you may not publish, and one time "
            "for every language would change them. Use “Schedule the selected articles…” for your own.",
            "%(count)d selected articles left as they were: their stories have versions you may not publish, and "
            "one time for every language would change them. Use “Schedule the selected articles…” for your own.",
            left) % {"count": left}, messages.WARNING)
    return queryset.exclude(translation_key__in=blocked)


def _still_scheduled(articles) -> list[Article]:
    """Other language versions of these stories that stay scheduled (an embargo kept)."""
    keys = {a.translation_key for a in articles}
    others = Article.objects.filter(translation_key__in=keys, status=Article.Status.PUBLISHED,
                                    published_at__gt=timezone.now()).exclude(pk__in=[a.pk for a in articles])
    return list(others.order_by("published_at"))


@admin.action(description=gettext_lazy("Publish the selected articles now"))
def publish_now(modeladmin, request, queryset):
    queryset = _theirs(modeladmin, request, queryset)
    if not queryset:
        return
    done = scheduling.publish_now(queryset)
    modeladmin.message_user(request, ngettext("%(count)d article published: readers can see it now.",
                                              "%(count)d articles published: readers can see them now.",
                                              len(done)) % {"count": len(done)}, messages.SUCCESS)
    later = _still_scheduled(done)
    if later:
        modeladmin.message_user(request, _("Other languages of these stories stay scheduled: %(list)s. To publish "
                                           "them too, select them and publish them now.") % {
            "list": "; ".join(f"{a} — {when(a.published_at)}" for a in later)}, messages.WARNING)


@admin.action(description=gettext_lazy("Unpublish the selected articles (back to draft)"))
def unpublish(modeladmin, request, queryset):
    queryset = _theirs(modeladmin, request, queryset)
    if not queryset:
        return
    done = scheduling.unpublish(queryset)
    modeladmin.message_user(request, ngettext("%(count)d article is a draft again: readers no longer see it.",
                                              "%(count)d articles are drafts again: readers no longer see them.",
                                              len(done)) % {"count": len(done)}, messages.SUCCESS)


class ScheduleForm(forms.Form):
    when = forms.SplitDateTimeField(label=gettext_lazy("Publish at"), widget=AdminSplitDateTime)

    def clean_when(self):
        moment = self.cleaned_data["when"]
        if moment <= timezone.now():
            raise forms.ValidationError(_("Choose a time in the future. To publish at once, use “Publish the "
                                          "selected articles now”."))
        return moment


def _schedule_page(modeladmin, request, queryset, *, operation, title, explanation, shown=None):
    """The page that asks for the time; applies ``operation(articles, when)`` once it is given."""
    form = ScheduleForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        done = operation(queryset, form.cleaned_data["when"])
        modeladmin.message_user(request, ngettext(
            "%(count)d article scheduled for %(time)s: it goes live then by itself.",
            "%(count)d articles scheduled for %(time)s: they go live then by themselves.", len(done)) % {
            "count": len(done), "time": when(form.cleaned_data["when"])}, messages.SUCCESS)
        return None  # back to the list
    context = {
        **modeladmin.admin_site.each_context(request), "title": title, "explanation": explanation,
        "form": form, "queryset": queryset, "shown": (shown or queryset).order_by("translation_key", "language"),
        "opts": modeladmin.model._meta, "action": request.POST.get("action"),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME, "media": modeladmin.media + form.media,
        "zone": timezone.get_current_timezone_name(),
    }
    return TemplateResponse(request, "admin/newsroom/article/schedule.html", context)


@admin.action(description=gettext_lazy("Schedule the selected articles…"))
def schedule(modeladmin, request, queryset):
    queryset = _theirs(modeladmin, request, queryset)
    if not queryset:
        return None
    return _schedule_page(modeladmin, request, queryset, operation=scheduling.schedule,
                          title=_("Schedule the selected articles"),
                          explanation=_("Each selected article is published at this time, by itself. Other "
                                        "languages of the same stories are left as they are."))


@admin.action(description=gettext_lazy("Publish every language of the selected stories at…"))
def schedule_all_languages(modeladmin, request, queryset):
    queryset = _whole_stories_theirs(modeladmin, request, queryset)
    if not queryset:
        return None
    return _schedule_page(modeladmin, request, queryset, operation=scheduling.schedule_story,
                          shown=scheduling.embargoed_versions(queryset),
                          title=_("Publish every language at one time (embargo)"),
                          explanation=_("The selected articles, and every other language of their stories "
                                        "that is published or scheduled, go live at this time, together. "
                                        "A language still in draft stays a draft: published later without "
                                        "a time of its own, it waits for this one."))


# Registered in NewsroomConfig.ready(), offered to whom ``publishes``; each checks each article.
ACTIONS = [publish_now, unpublish, schedule, schedule_all_languages]
