"""The people of the newsroom in the admin: Django's user pages with the languages each person
translates and reviews (LanguageAssignment), beside the groups that give them their role
(newsroom/roles.py, docs/roles.md)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from babelpress.newsroom import constraints
from babelpress.newsroom.language_assignments import LanguageAssignment


class LanguageAssignmentFormSet(constraints.UniqueRowsFormSet):
    """A language added twice on one page is told beside the second row (a row repeating one
    already saved is told by the model's own check, beside it too)."""

    unique_rows = ((("language",), "language", constraints.LANGUAGE_ASSIGNED_ONCE),)


class LanguageAssignmentInline(admin.TabularInline):
    model = LanguageAssignment
    formset = LanguageAssignmentFormSet
    extra = 0
    verbose_name = _("language")
    verbose_name_plural = _("Languages this person translates and reviews (Translator role)")


class NewsroomUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, LanguageAssignmentInline]
    list_display = [*UserAdmin.list_display, "roles", "assigned_languages"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups", "desk_languages")

    @admin.display(description=_("roles"))
    def roles(self, obj):
        return ", ".join(group.name for group in obj.groups.all())

    @admin.display(description=_("languages"))
    def assigned_languages(self, obj):
        return ", ".join(a.language for a in obj.desk_languages.all())


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, NewsroomUserAdmin)
