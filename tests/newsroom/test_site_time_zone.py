"""The admin shows and reads every time in the site's time zone (BABELPRESS_TIME_ZONE), and says
which: "15 janvier 2026 14:05 CET" in lists, the zone's name beside date and time inputs, and never
Django's "Note: You are 1 hour behind server time." (babelpress/newsroom/admin_time_zone.py,
babelpress/settings/formats/). The browser half (a browser in New York): tests/newsroom/test_desk_browser.py."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import lxml.html
import pytest
from django.conf import settings
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation

from babelpress.newsroom import admin_time_zone
from babelpress.newsroom.models import Article

WINTER = datetime(2026, 1, 15, 13, 5, tzinfo=ZoneInfo("UTC"))  # 14:05 in Paris


@pytest.mark.parametrize("language", settings.BABELPRESS_UI_LANGUAGES)
def test_every_interface_language_writes_the_zone_after_the_time(language):
    with translation.override(language):
        for name in ("DATETIME_FORMAT", "SHORT_DATETIME_FORMAT"):
            shown = formats.date_format(timezone.localtime(WINTER), name)
            assert shown.endswith(" CET"), (language, name, shown)
            assert "14:05" in shown or "2:05" in shown


def test_the_zone_has_its_name_in_the_interface_language_and_its_abbreviation_of_the_day():
    summer = WINTER.replace(month=7)
    assert admin_time_zone.zone_name(WINTER, "fr") == "heure d’Europe centrale (CET)"
    assert admin_time_zone.zone_name(summer, "en") == "Central European Time (CEST)"
    with translation.override("en"):
        assert admin_time_zone.shown(WINTER) == "Jan. 15, 2026, 2:05 p.m. CET"


def test_the_article_list_shows_publication_times_with_their_zone(editor, newsroom):
    page = lxml.html.fromstring(editor.get(reverse("admin:newsroom_article_changelist")).content)
    dates = [td.text_content() for td in page.cssselect("td.field-published_at")]
    expected = formats.date_format(timezone.localtime(newsroom.bridge.published_at), "DATETIME_FORMAT")
    assert expected in dates and re.search(r" CES?T$", expected)


def test_date_and_time_inputs_have_the_zone_beside_them_in_the_editors_language(editor, newsroom):
    editor.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    html = editor.get(reverse("admin:newsroom_article_change", args=[newsroom.bridge.pk])).content.decode()
    page = lxml.html.fromstring(html)
    [zone] = page.cssselect(".field-published_at .site-time-zone")
    assert zone.text_content() == admin_time_zone.zone_name(newsroom.bridge.published_at, "fr")
    assert zone.text_content().startswith("heure d’Europe centrale (CE")
    assert zone.get("title") == "Europe/Paris"
    # Read out with each input.
    for input_id in ("id_published_at_0", "id_published_at_1"):
        assert page.get_element_by_id(input_id).get("aria-describedby") == zone.get("id")
    # The script that leaves Django's "hours behind server time" note out comes after Django's.
    scripts = [s.get("src") for s in page.cssselect("script[src]")]
    shortcuts = next(i for i, src in enumerate(scripts) if src.endswith("DateTimeShortcuts.js"))
    assert any(src.endswith(admin_time_zone.SCRIPT) for src in scripts[shortcuts + 1:])


def test_a_time_typed_in_the_form_is_the_sites_time(editor, newsroom, open_form):
    form = open_form(editor, reverse("admin:newsroom_article_change", args=[newsroom.draft.pk]))
    response = form.post("_save", {"status": "published", "published_at_0": "2026-01-15", "published_at_1": "14:05:00"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Article.objects.get(pk=newsroom.draft.pk).published_at == WINTER


def test_another_site_time_zone_is_used_everywhere(editor, newsroom, settings):
    settings.TIME_ZONE = "Asia/Yerevan"
    newsroom.bridge.published_at = WINTER
    newsroom.bridge.save()
    page = lxml.html.fromstring(editor.get(reverse("admin:newsroom_article_changelist")).content)
    assert "Jan. 15, 2026, 5:05 p.m. +04" in [td.text_content() for td in page.cssselect("td.field-published_at")]
    form = lxml.html.fromstring(editor.get(reverse("admin:newsroom_article_change", args=[newsroom.bridge.pk])).content)
    assert form.get_element_by_id("id_published_at_1").get("value") == "17:05:00"
    assert form.cssselect(".field-published_at .site-time-zone")[0].text_content() == "Armenia Time (+04)"


def admin_forms(user) -> list[str]:
    """The add page of every model registered in the admin, and the change page of the user."""
    urls = [reverse("admin:auth_user_change", args=[user.pk])]
    for model in admin.site._registry:
        try:
            urls.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add"))
        except NoReverseMatch:
            pass
    return urls


def test_no_admin_form_loads_djangos_date_shortcuts_without_the_note_left_out(editor, newsroom):
    checked = 0
    for url in admin_forms(editor.user):
        response = editor.get(url)
        if response.status_code != 200:
            continue  # a model nobody adds by hand (imports, jobs …)
        scripts = [s.get("src") for s in lxml.html.fromstring(response.content).cssselect("script[src]")]
        shortcuts = [i for i, src in enumerate(scripts) if src.endswith("DateTimeShortcuts.js")]
        if shortcuts:
            checked += 1
            assert any(src.endswith(admin_time_zone.SCRIPT) for src in scripts[shortcuts[0] + 1:]), url
    assert checked >= 2  # articles and users at least
