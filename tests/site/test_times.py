"""Times as readers see them (babelpress/site/times.py): in the site's zone, saying which, in every
interface language; "il y a 3 heures" for the last day's stories on listings, words that change at
known moments — which bound how long a page is kept (tests/site/test_relative_time_pages.py)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from django.utils import translation

from babelpress.site import times
from babelpress.site.templatetags.babelpress import cldr_datetime, cldr_datetime_beside, isoformat

NOW = datetime(2026, 12, 1, 13, 0, tzinfo=timezone.utc)
WINTER = datetime(2026, 12, 1, 13, 5, tzinfo=timezone.utc)  # 14:05 in Paris, UTC+1
SUMMER = datetime(2026, 7, 1, 12, 5, tzinfo=timezone.utc)  # 14:05 in Paris, UTC+2


def ago(**delta) -> datetime:
    return NOW - timedelta(**delta)


# --- The zone --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lang, moment, expected",
    [
        ("fr", WINTER, "1 décembre 2026, 14:05 (heure normale d’Europe centrale)"),
        ("fr", SUMMER, "1 juillet 2026, 14:05 (heure d’été d’Europe centrale)"),
        ("en", WINTER, "December 1, 2026, 2:05\u202fPM (Central European Standard Time)"),
        ("hy", WINTER, "2026 թ. դեկտեմբերի 1, 14:05 (Կենտրոնական Եվրոպայի ստանդարտ ժամանակ)"),
        ("ru", WINTER, "1 декабря 2026\u202fг., 14:05 (Центральная Европа, стандартное время)"),
        ("ar", WINTER, "1 ديسمبر 2026، 2:05 م (توقيت وسط أوروبا الرسمي)"),
    ],
)
def test_a_time_is_shown_in_the_site_zone_with_the_zone_named_in_the_interface_language(settings, lang, moment,
                                                                                         expected):
    settings.TIME_ZONE = "Europe/Paris"
    with translation.override(lang):
        assert cldr_datetime(moment) == expected


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("fr", "1 décembre 2026, 14:05 (UTC+01:00)"),
        ("hy", "2026 թ. դեկտեմբերի 1, 14:05 (GMT+01:00)"),
        ("ar", "1 ديسمبر 2026، 2:05 م (غرينتش+01:00)"),
    ],
)
def test_the_zone_may_be_shown_as_its_offset(settings, lang, expected):
    settings.TIME_ZONE, settings.BABELPRESS_TIME_ZONE_LABEL = "Europe/Paris", "offset"
    with translation.override(lang):
        assert cldr_datetime(WINTER) == expected


def test_or_not_at_all(settings):
    settings.TIME_ZONE, settings.BABELPRESS_TIME_ZONE_LABEL = "Europe/Paris", "none"
    with translation.override("fr"):
        assert cldr_datetime(WINTER) == "1 décembre 2026, 14:05"


def test_another_site_zone_is_named_as_such(settings):
    settings.TIME_ZONE = "Asia/Yerevan"
    with translation.override("hy"):
        assert cldr_datetime(WINTER) == "2026 թ. դեկտեմբերի 1, 17:05 (Հայաստանի ստանդարտ ժամանակ)"
    with translation.override("fr"):
        assert cldr_datetime(WINTER) == "1 décembre 2026, 17:05 (heure normale de l’Arménie)"


def test_a_line_names_its_zone_once_unless_the_two_times_are_in_different_ones(settings):
    settings.TIME_ZONE = "Europe/Paris"
    with translation.override("fr"):
        # "… 14:05 (heure normale d’Europe centrale) Mis à jour le 1 déc. 2026, 16:05"
        assert cldr_datetime_beside(WINTER + timedelta(hours=2), "medium", WINTER) == "1 déc. 2026, 16:05"
        # Published in summer, updated in winter: each says its own.
        assert cldr_datetime_beside(WINTER, "medium", SUMMER) == "1 déc. 2026, 14:05 (heure normale d’Europe centrale)"


def test_the_machine_readable_time_is_the_same_instant_with_the_site_offset(settings):
    settings.TIME_ZONE = "Europe/Paris"
    assert isoformat(WINTER) == "2026-12-01T14:05:00+01:00"
    assert isoformat(SUMMER) == "2026-07-01T14:05:00+02:00"
    assert datetime.fromisoformat(isoformat(WINTER)) == WINTER


# --- Relative times --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lang, age, expected",
    [
        ("fr", timedelta(seconds=5), "il y a 1 minute"),  # never "0 minutes", nor seconds ticking by
        ("fr", timedelta(minutes=2, seconds=59), "il y a 2 minutes"),
        ("fr", timedelta(minutes=59, seconds=59), "il y a 59 minutes"),  # not rounded up to "1 heure"
        ("fr", timedelta(hours=1), "il y a 1 heure"),
        ("fr", timedelta(hours=3, minutes=59), "il y a 3 heures"),  # counted down, as a clock is read
        ("fr", timedelta(hours=23, minutes=59), "il y a 23 heures"),
        ("en", timedelta(hours=3, minutes=10), "3 hours ago"),
        ("hy", timedelta(hours=3, minutes=10), "3 ժամ առաջ"),
        ("ru", timedelta(hours=3, minutes=10), "3 часа назад"),
        ("ru", timedelta(hours=5), "5 часов назад"),
        ("ru", timedelta(minutes=21), "21 минуту назад"),
        ("ar", timedelta(hours=3, minutes=10), "قبل 3 ساعات"),
        ("ar", timedelta(hours=2), "قبل ساعتين"),
        ("ar", timedelta(minutes=11), "قبل 11 دقيقة"),
    ],
)
def test_the_last_days_stories_are_dated_relatively_in_every_language(lang, age, expected):
    assert times.relative(NOW - age, NOW, lang) == expected


@pytest.mark.parametrize("age", [timedelta(hours=24), timedelta(days=3), timedelta(seconds=-1)])
def test_older_stories_and_future_ones_keep_their_date(age):
    assert times.relative(NOW - age, NOW, "fr") is None


@pytest.mark.parametrize(
    "age, change_in",
    [
        (timedelta(seconds=5), timedelta(seconds=115)),  # "1 minute" holds until the second minute
        (timedelta(minutes=5, seconds=30), timedelta(seconds=30)),
        (timedelta(minutes=59, seconds=59), timedelta(seconds=1)),
        (timedelta(hours=3, minutes=10), timedelta(minutes=50)),
        (timedelta(hours=23, minutes=30), timedelta(minutes=30)),  # then the date
        (timedelta(hours=24), None),  # a date never changes
        (timedelta(seconds=-30), timedelta(seconds=30)),  # not yet published: changes when it is
    ],
)
def test_each_label_says_when_it_changes(age, change_in):
    changes = times.changes_at(NOW - age, NOW)
    assert (changes - NOW if changes else None) == change_in


def test_a_label_holds_exactly_until_the_moment_it_is_said_to_change():
    # Every age of the last day and a bit, in steps that fall on every second of a minute.
    for seconds in range(0, 25 * 3600, 61):
        moment = NOW - timedelta(seconds=seconds)
        label, changes = times.relative(moment, NOW, "fr"), times.changes_at(moment, NOW)
        if changes is None:
            assert label is None and times.relative(moment, NOW + timedelta(days=30), "fr") is None
            continue
        assert times.relative(moment, changes - timedelta(microseconds=1), "fr") == label, seconds
        assert times.relative(moment, changes, "fr") != label, seconds


def test_a_page_holds_from_its_last_change_to_its_first_coming_one():
    moments = [ago(minutes=5, seconds=20), ago(hours=3, minutes=10), ago(days=2), None]
    since, until = times.labels_hold(moments, NOW)
    assert until == NOW + timedelta(seconds=40)  # "il y a 5 minutes" becomes "6 minutes"
    assert since == NOW - timedelta(seconds=20)  # when "5 minutes" replaced "4 minutes"


def test_a_page_of_old_stories_holds_until_content_changes():
    since, until = times.labels_hold([ago(days=2), ago(days=3)], NOW)
    assert until is None
    assert since == ago(days=1)  # the newest turned from "il y a 23 heures" into its date then
