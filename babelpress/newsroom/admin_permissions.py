"""The roles enforced on the admin's screens: mixins for ModelAdmins (rules in newsroom/permissions.py).

- ``@with_article_roles`` (the article admin): who may read, edit, delete and publish which
  article, the fields only editors set, the Status choices a writer gets, the publishing buttons
  (Publish now, Schedule, Unpublish) shown and obeyed only for whom may publish the article,
  ``created_by`` set on add, and the registered actions offered only to whom their permission
  allows (403 to anyone else who sends one).
- ``@scoped_by_language("article__language")`` (the review queue, translation jobs, the memory): a
  translator's lists hold the rows of their languages only, and any other row answers 403.

Both are class decorators that put their mixin in front of the ModelAdmin's own methods (a
subclass), so whatever the admin class itself defines or adds later (its own ``save_model``,
``get_fieldsets``, ``change_view``) runs under the rules, not around them.

Django's admin asks ``has_view/add/change/delete_permission`` before every page, form save and
action (``delete_selected`` asks per object), so these answers reach every screen of the model.
"""

from __future__ import annotations

import copy

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from babelpress.newsroom import admin_extensions, permissions

PUBLISHED = "published"  # Article.Status.PUBLISHED


class WrittenByFilter(admin.SimpleListFilter):
    title = _("written by")
    parameter_name = "written_by"

    def lookups(self, request, model_admin):
        return [("me", _("Me"))]

    def queryset(self, request, queryset):
        return queryset.filter(created_by=request.user) if self.value() == "me" else queryset


def _in_front(mixin: type, admin_class: type, **attributes) -> type:
    return type(admin_class.__name__, (mixin, admin_class), {
        "__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__, **attributes})


def with_article_roles(admin_class: type) -> type:
    """The article ModelAdmin under the roles' rules (ArticlePermissionsMixin in front of it)."""
    return _in_front(ArticlePermissionsMixin, admin_class)


def scoped_by_language(language_field: str):
    """A ModelAdmin whose rows a translator sees and changes in their own languages only;
    ``language_field`` is the lookup of a row's language (``"article__language"``)."""
    return lambda admin_class: _in_front(LanguageScopedAdminMixin, admin_class, language_field=language_field)


def _for(request, field):
    """A panel of another app as this person's page shows it (admin_extensions.Panel.for_request)."""
    return field.for_request(request) if isinstance(field, admin_extensions.Panel) else field


class ArticlePermissionsMixin:
    """The article admin's rules (see ``with_article_roles``)."""

    # Set by editors only: which story this translates and the record of its translation and review.
    editors_fields = ("translated_from", "translation_method", "translation_engine", "reviewed_by", "reviewed_at")

    def has_view_permission(self, request, obj=None):
        return permissions.may_view_article(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return permissions.may_change_article(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return permissions.may_delete_article(request.user, obj)

    def has_publish_permission(self, request, obj=None):
        """``@admin.action(permissions=["publish"])`` asks this; an action still checks each article."""
        return permissions.may_publish(request.user, obj)

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), WrittenByFilter]

    def get_readonly_fields(self, request, obj=None):
        fields = [_for(request, field) for field in super().get_readonly_fields(request, obj)] + ["created_by"]
        if not request.user.has_perm(permissions.EDIT_ANY):
            fields += self.editors_fields
        if not permissions.may_publish(request.user, obj):
            fields.append("published_at")
        return list(dict.fromkeys(fields))

    def get_fieldsets(self, request, obj=None):
        linking = request.user.has_perm(permissions.EDIT_ANY)
        placed = []
        for title, options in super().get_fieldsets(request, obj):
            fields = [_for(request, f) for f in options["fields"] if linking or f != "translation_of"]
            if "created_at" in fields and "created_by" not in fields:
                fields.insert(fields.index("created_at"), "created_by")
            placed.append((title, {**options, "fields": fields}))
        return placed

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not request.user.has_perm(permissions.EDIT_ANY) and "translation_of" in form.base_fields:
            # A field the form class declares is on the form whatever the fieldsets say: what is
            # posted for it is ignored.
            field = form.base_fields["translation_of"] = copy.deepcopy(form.base_fields["translation_of"])  # shared
            field.disabled = True
            if obj is not None and obj.translation_method and "language" in form.base_fields:
                form.base_fields["language"].disabled = True  # a translator's work stays in their language
        # The publishing buttons (admin_publishing.apply_button) obey whom may publish this article.
        form.may_publish = permissions.may_publish(request.user, obj)
        status = form.base_fields.get("status")
        if status is not None and not form.may_publish:
            status.choices = [choice for choice in status.choices if choice[0] != PUBLISHED]
            status.error_messages["invalid_choice"] = _(
                "Only an editor can publish. Choose “In review” to submit the article: an editor then publishes it.")
        return form

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The Publish now / Schedule / Unpublish buttons (submit_line.html), for whom may publish it.
        context["may_publish"] = permissions.may_publish(request.user, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_actions(self, request):
        # Registered actions carry their permission (admin_extensions.register_action).
        return {name: entry for name, entry in super().get_actions(request).items()
                if not hasattr(entry[0], "babelpress_permission")
                or admin_extensions.allowed(entry[0].babelpress_permission, request)}

    def response_action(self, request, queryset):
        # An action this person is not offered, sent anyway (by hand, or from a page opened before
        # their role changed), is refused rather than answered "No action selected".
        names = request.POST.getlist("action")  # which one Django runs: as ModelAdmin.response_action reads it
        try:
            index = int(request.POST.get("index", 0))
        except ValueError:
            index = 0
        try:
            name = names[index]
        except IndexError:
            name = names[-1] if names else None
        if name in super().get_actions(request) and name not in self.get_actions(request):
            raise PermissionDenied
        return super().response_action(request, queryset)

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class LanguageScopedAdminMixin:
    """See ``scoped_by_language``. People working in every language (editors) see every row."""

    language_field = "language"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        scope = permissions.language_scope(request.user)
        if scope is None or getattr(request, "_babelpress_unscoped", False):
            return queryset
        return queryset.filter(**{f"{self.language_field}__in": scope})

    def get_object(self, request, object_id, from_field=None):
        # A row of another language is found, then refused (403) by the checks below, rather
        # than reported as deleted.
        request._babelpress_unscoped = True
        try:
            return super().get_object(request, object_id, from_field)
        finally:
            del request._babelpress_unscoped

    def in_scope(self, request, obj) -> bool:
        if obj is None:
            return True
        value = obj
        for part in self.language_field.split("__"):
            value = getattr(value, part)
        return permissions.works_in(request.user, value)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.in_scope(request, obj)
