"""Dates and times in the admin: in the site's time zone, and saying so.

The site has one time zone, ``BABELPRESS_TIME_ZONE`` (Django's ``TIME_ZONE``, docs/settings.md):
the admin reads and writes every time in it and shows the zone with it — "15 janvier 2026 14:05 CET"
in lists and read-only fields (the date formats in babelpress/settings/formats/), "heure d’Europe
centrale (CET)" beside date and time inputs (the widgets here, which the hardened admin site puts
in place of Django's: ``with_zone``).

Django's date pickers compare the browser's UTC offset with the site's and add "Note: You are 1 hour
behind server time." under every field. The zone is shown beside the field instead, so the widgets'
script (static/newsroom/admin/site-time-zone.js) leaves that note out; Django's "Now" and "Today"
still fill in the site's time (they read the page's ``data-admin-utc-offset``).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import get_timezone_name
from django import forms
from django.conf import settings
from django.contrib.admin import widgets
from django.utils import formats, timezone, translation

SCRIPT = "newsroom/admin/site-time-zone.js"
# Listed with Django's own script first: Django orders the scripts of a page only within each list.
SCRIPTS = ["admin/js/calendar.js", "admin/js/admin/DateTimeShortcuts.js", SCRIPT]
STYLE = "newsroom/admin/site-time-zone.css"


def site_zone() -> ZoneInfo:
    return timezone.get_default_timezone()  # ZoneInfo(TIME_ZONE), remembered by Django


def shown(moment: datetime | None, format_name: str = "DATETIME_FORMAT") -> str:
    """``moment`` as the admin shows times: in the site's zone, in the UI language's format, with
    the zone ("15 janvier 2026 14:05 CET"); "" for None."""
    if moment is None:
        return ""
    return formats.date_format(timezone.localtime(moment, site_zone()), format_name)


def zone_name(moment: datetime | None = None, language: str | None = None) -> str:
    """The site's zone for people: CLDR's name in the UI language and the abbreviation in force at
    ``moment`` (now by default): "heure d’Europe centrale (CET)", "Eastern Time (EDT)"."""
    zone = site_zone()
    if moment is None or timezone.is_naive(moment):
        moment = timezone.now()
    abbreviation = moment.astimezone(zone).tzname()
    try:
        locale = Locale.parse(translation.to_locale(language or translation.get_language() or "en"))
        name = get_timezone_name(zone, locale=locale)
    except (UnknownLocaleError, ValueError, LookupError):
        name = settings.TIME_ZONE
    return f"{name} ({abbreviation})" if abbreviation and abbreviation not in name else name


class ZonedSplitDateTime(widgets.AdminSplitDateTime):
    """Django's date and time inputs with the site's zone written beside them."""

    template_name = "admin/newsroom/widgets/split_datetime_with_zone.html"

    class Media:
        js = SCRIPTS
        css = {"all": [STYLE]}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        zone_id = f"{context['widget']['attrs'].get('id') or name}_zone"
        for subwidget in context["widget"]["subwidgets"]:
            subwidget["attrs"]["aria-describedby"] = zone_id  # read out with each input
        context["zone"] = {"id": zone_id, "name": zone_name(value if isinstance(value, datetime) else None),
                           "iana": settings.TIME_ZONE}
        return context


class ZonedDateWidget(widgets.AdminDateWidget):
    """Django's date input without the "hours behind server time" note (a day has no zone)."""

    class Media:
        js = SCRIPTS


class ZonedTimeWidget(widgets.AdminTimeWidget):
    """Django's time input without the "hours behind server time" note."""

    class Media:
        js = SCRIPTS


ZONED = {widgets.AdminSplitDateTime: ZonedSplitDateTime, widgets.AdminDateWidget: ZonedDateWidget,
         widgets.AdminTimeWidget: ZonedTimeWidget}


def zoned_widget(db_field, overrides: dict) -> type | None:
    """Our widget for ``db_field`` when the admin would give it Django's date/time widget
    (``overrides``: the ModelAdmin's formfield_overrides); None for anything else, a widget an
    admin chose itself included."""
    for klass in type(db_field).mro():
        if klass in overrides:
            return ZONED.get(overrides[klass].get("widget"))
    return None
