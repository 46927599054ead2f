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
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _, gettext_lazy, ngettext

from babelpress.newsroom import admin_time_zone, permissions, publication, scheduling
from babelpress.newsroom.models import Article

# The article page's publishing buttons (admin/newsroom/article/submit_line.html), by their name.
PUBLISH_NOW, UNPUBLISH, SCHEDULE = "_publish_now", "_unpublish", "_schedule"


def when(moment) -> str:
    """A time as editors read it: in the site's time zone, with the zone's name (admin_time_zone.shown;
    the date formats already end with the zone)."""
    return admin_time_zone.shown(moment)


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
        data["status"], data["published_at"] = Article.Status.PUBLISHED, _dated_now(form, data)
    elif data.get("status") == Article.Status.PUBLISHED and data.get("published_at") is None and (
            data.get(SITE_DATE) == NOW):
        data["published_at"] = timezone.now()  # else the model's rule dates an old story (publication.fill_time)
    elif UNPUBLISH in form.data:
        data["status"] = Article.Status.DRAFT
    elif SCHEDULE in form.data:
        moment = data.get("published_at")
        if moment is None or moment <= timezone.now():
            form.add_error("published_at", _("Choose the time to publish at, in the future, then press "
                                             "“Schedule” again."))
        else:
            data["status"] = Article.Status.PUBLISHED


# --- An old story's date on the site (publication.old_story_date; docs/publishing.md) -----------------

#: The article page's choice, for an old imported story not published yet: its original date (the
#: default: empty, or not shown, means the same) or now.
SITE_DATE, ORIGINAL, NOW = "site_date", "original", "now"


def site_date_field() -> forms.ChoiceField:
    return forms.ChoiceField(label=gettext_lazy("Publication date on the site"), required=False, initial=ORIGINAL,
                             widget=forms.RadioSelect, choices=[(ORIGINAL, ORIGINAL), (NOW, NOW)])


def asks_site_date(request, article) -> bool:
    """Whether the article page asks which date the site gives this story: an old story, not
    published yet, shown to someone who may publish it."""
    return (article is not None and article.status != Article.Status.PUBLISHED
            and publication.is_old_story(article.originally_published_at)
            and permissions.may_publish(request.user, article))


def with_site_date(fieldsets: list, request, article) -> list:
    """``fieldsets`` with the choice after "Published at", when the page asks it (``asks_site_date``)."""
    if not asks_site_date(request, article):
        return fieldsets
    placed = []
    for title, options in fieldsets:
        fields = list(options["fields"])
        if "published_at" in fields:
            fields.insert(fields.index("published_at") + 1, SITE_DATE)
        placed.append((title, {**options, "fields": fields}))
    return placed


def describe_site_date(form) -> None:
    """The choice's words, with the story's original date and source (the article form's __init__)."""
    article, field = form.instance, form.fields.get(SITE_DATE)
    if field is None or article.originally_published_at is None:
        return
    original = when(article.originally_published_at)
    dated = publication.old_story_date(article) or article.originally_published_at
    if dated == article.originally_published_at:
        kept = _("Its original date, %(date)s: it takes its place among the stories of that time, not at the top "
                 "of the home page (recommended)") % {"date": original}
    else:
        kept = _("The date its story already has on this site, %(date)s (its first language published here): it "
                 "takes its place among the stories of that time, not at the top of the home page (recommended)") % {
            "date": when(dated)}
    field.choices = [(ORIGINAL, kept), (NOW, _("Now: it appears as the newest story, at the top of the home page"))]
    if article.source_id:
        field.help_text = _("%(source)s first published this story on %(date)s, %(age)s ago. Which date does this "
                            "site give it? “Publish now” and “Published” use this choice; a time typed in "
                            "“Published at” wins.") % {
            "source": article.source.name, "date": original, "age": timesince(article.originally_published_at)}
    else:
        field.help_text = _("This story was first published on %(date)s, %(age)s ago. Which date does this site "
                            "give it? “Publish now” and “Published” use this choice; a time typed in “Published "
                            "at” wins.") % {"date": original, "age": timesince(article.originally_published_at)}


def _dated_now(form, data: dict):
    """The time "Publish now" gives: now, but an old story's date unless the editor chose "now"."""
    now = timezone.now()
    if data.get(SITE_DATE) == NOW:
        return now
    return publication.old_story_date(form.instance, now, data.get("originally_published_at")) or now


def tell(request, before: tuple, article) -> None:
    """Say what a save did to the article's publication (``before``: its status and time then)."""
    status, published_at = before
    was_live = status == Article.Status.PUBLISHED and published_at is not None and published_at <= timezone.now()
    if publication.is_scheduled(article) and (status, published_at) != (article.status, article.published_at):
        messages.info(request, _("“%(headline)s” is scheduled for %(time)s: it goes live then by itself.") % {
            "headline": article.headline, "time": when(article.published_at)})
    elif article.is_published and not was_live and article.originally_published_at and publication.is_old_story(
            article.published_at):
        messages.info(request, _("“%(headline)s” is published, dated %(time)s: readers can see it now, among the "
                                 "stories of that time, not at the top of the home page.") % {
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
    old = [a for a in done if a.originally_published_at and publication.is_old_story(a.published_at)]
    if old:
        modeladmin.message_user(request, ngettext(
            "%(count)d imported story keeps the date it has on the site, its source's: %(list)s. It takes its place "
            "among the stories of that time, not at the top of the home page. To date it today, open it and choose "
            "“Now” under “Publication date on the site”.",
            "%(count)d imported stories keep the date they have on the site, their source's: %(list)s. They take "
            "their place among the stories of that time, not at the top of the home page. To date one today, open "
            "it and choose “Now” under “Publication date on the site”.", len(old)) % {
            "count": len(old), "list": "; ".join(f"{a} — {when(a.published_at)}" for a in old)}, messages.WARNING)
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
