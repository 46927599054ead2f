"""The newsroom's admin site: Django's, hardened so that hostile list parameters and action
selections get the admin's ordinary answers (the list without the filter, "no items selected")
instead of a server error — for every model registered on it, ours and Django's own.

The holes Django's admin leaves, which a hand-edited URL or form reaches:

- a date drill-down (``?published_at__year=1&published_at__month=1``, or year 9999) overflows
  while the list computes the range or converts it to UTC for the database;
- a filter value the database adapter cannot take (a naive date that overflows in UTC, a NUL
  character PostgreSQL refuses) fails only when the list is fetched, past Django's checks;
- a value that is not a key, or one too large for the database, where a list of keys is expected:
  an action's selection (``_selected_action=abc``), a many-to-many field (``groups=999…9``), the
  value an autocomplete box shows again after a form error, a pre-filled add form (``?source=abc``);
- ``?_to_field=`` (empty) on an object page, a pre-filled date (``?published_at=0``), and NUL
  characters in an autocomplete search.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import EmptyResultSet, FullResultSet, ValidationError
from django.utils.timezone import make_aware
from django.utils.translation import gettext as _

from babelpress.newsroom import admin_extensions, admin_time_zone, desk


class NewsroomAdminConfig(AdminConfig):
    """``django.contrib.admin`` with the hardened site as ``admin.site`` (see INSTALLED_APPS)."""

    default_site = "babelpress.newsroom.admin_site.NewsroomAdminSite"


def is_key(field, value) -> bool:
    """Whether ``value`` can name a row by ``field`` (a model field): the right type, and a number
    the database can hold (Django's ``pk__in`` does not check the range; SQLite then overflows)."""
    try:
        field.run_validators(field.to_python(value))
    except ValidationError:
        return False
    return True


def drilldown_range(params: dict, field: str) -> tuple[datetime, datetime] | None:
    """The [start, end) a date drill-down asks for, exactly as Django's ChangeList computes it,
    or None when there is no drill-down. ValueError or OverflowError for a range outside the
    calendar or beyond what the database's UTC can hold (year 1 in Paris starts in year 0 UTC)."""
    year, month, day = (params.get(f"{field}__{part}") for part in ("year", "month", "day"))
    if year is None:
        return None
    start = datetime(int(year[-1]), int(month[-1]) if month else 1, int(day[-1]) if day else 1)
    if day:
        end = start + timedelta(days=1)
    elif month:
        end = (start + timedelta(days=32)).replace(day=1)
    else:
        end = start.replace(year=start.year + 1)
    if settings.USE_TZ:
        start, end = (make_aware(moment).astimezone(UTC) for moment in (start, end))
    return start, end


class SafeChangeListMixin:
    """Refuses the filter values Django would crash on, the way Django refuses the ones it knows
    are wrong: IncorrectLookupParameters, i.e. the list again without them (``?e=1``)."""

    def get_filters(self, request):
        try:
            if any("\x00" in value for values in self.filter_params.values() for value in values):
                raise ValueError("NUL character in a filter value")  # PostgreSQL refuses it in any text
            if self.date_hierarchy:
                drilldown_range(self.filter_params, self.date_hierarchy)
        except (ValueError, OverflowError) as exc:
            raise _refused(request, exc) from exc
        return super().get_filters(request)

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        try:
            # Converting the filter values for the database happens when the query is compiled: do
            # it now, where a value the database cannot take can still be refused.
            queryset.query.sql_with_params()
        except (EmptyResultSet, FullResultSet):
            pass
        except (ValueError, OverflowError, ValidationError) as exc:
            raise _refused(request, exc) from exc
        return queryset


def _refused(request, exc) -> IncorrectLookupParameters:
    messages.warning(request, _("The list could not be filtered that way, so it shows everything: choose a filter "
                                "or a date from the list instead."))
    return IncorrectLookupParameters(exc)


@cache
def _safe(changelist_class: type) -> type:
    if issubclass(changelist_class, SafeChangeListMixin):
        return changelist_class
    return type(f"Safe{changelist_class.__name__}", (SafeChangeListMixin, changelist_class), {})


class KeyCheckedMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses a value that cannot be a key with the field's own error, before querying for it."""

    def _check_values(self, value):
        model = self.queryset.model
        key = model._meta.get_field(self.to_field_name) if self.to_field_name else model._meta.pk
        for item in value:
            if not is_key(key, item):
                raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                      params={"pk": item})
        return super()._check_values(value)


class KeyCheckedAutocompleteMixin:
    """Shows again only the submitted values that can be keys (Django looks them all up)."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        target = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        return super().optgroups(name, [v for v in value if is_key(target, v)], attr)


class KeyCheckedAutocompleteSelect(KeyCheckedAutocompleteMixin, AutocompleteSelect):
    pass


class KeyCheckedAutocompleteSelectMultiple(KeyCheckedAutocompleteMixin, AutocompleteSelectMultiple):
    pass


class HardenedModelAdminMixin:
    """Mixed into every ModelAdmin registered on the newsroom site (see NewsroomAdminSite.register)."""

    def get_changelist(self, request, **kwargs):
        return _safe(super().get_changelist(request, **kwargs))

    def get_object(self, request, object_id, from_field=None):
        return super().get_object(request, object_id, from_field or None)  # ?_to_field= means no field

    def get_changeform_initial_data(self, request):
        # A value pre-filled from the query string that its field refuses would be shown as it
        # is, and some widgets (dates, autocomplete boxes) crash on one: leave the field empty.
        initial = super().get_changeform_initial_data(request)
        fields = self.get_form(request).base_fields
        for name, value in list(initial.items()):
            if name in fields:
                try:
                    fields[name].clean(value)
                except ValidationError:
                    del initial[name]
        return initial

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Dates and times in the site's zone, with the zone beside them (newsroom/admin_time_zone.py).
        widget = None
        if "widget" not in kwargs and not db_field.choices:
            widget = admin_time_zone.zoned_widget(db_field, self.formfield_overrides)
        if widget is not None:
            kwargs["widget"] = widget
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeyCheckedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeyCheckedAutocompleteSelectMultiple(db_field, self.admin_site,
                                                                    using=kwargs.get("using"))
        kwargs.setdefault("form_class", KeyCheckedMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def response_action(self, request, queryset):
        key = self.opts.pk
        if not all(is_key(key, value) for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)):
            self.message_user(request, _("The selection was not understood, so nothing was changed: reload the list, "
                                         "tick the items again and repeat the action."), messages.WARNING)
            return None
        return super().response_action(request, queryset)

    def get_search_results(self, request, queryset, search_term):
        # No stored text holds a NUL (PostgreSQL cannot store one), so searching without it finds
        # the same rows; the autocomplete view passes its term here unchecked.
        return super().get_search_results(request, queryset, search_term.replace("\x00", ""))


class NewsroomAdminSite(admin.AdminSite):
    """``admin.site``: every ModelAdmin registered here gets HardenedModelAdminMixin; the home page
    is the editor's desk (newsroom/desk.py) and lists the newsroom tools and notices other apps
    registered (admin_extensions.register_tool, register_notice)."""

    index_template = "admin/babelpress_index.html"

    def index(self, request, extra_context=None):
        context = {
            "newsroom_tools": [tool.link() for tool in admin_extensions.tools(request)],
            "newsroom_notices": admin_extensions.notices(request),
            "desk_blocks": desk.blocks(request),
            "desk_panels": desk.panels(request),
            "site_time_zone": admin_time_zone.zone_name(),
        }
        return super().index(request, {**context, **(extra_context or {})})

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, HardenedModelAdminMixin):
            admin_class = type(admin_class.__name__, (HardenedModelAdminMixin, admin_class),
                               {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__})
        super().register(model_or_iterable, admin_class, **options)

