"""The desk and the admin's times in a real browser (Debian's Chromium driven by Playwright): the
desk of a French editor at 1280 px and of an Arabic one, right to left; a browser in New York sees
the site's zone beside date fields and never "You are 6 hours behind server time".
Screenshots go to test-artifacts/desk-*.png."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from babelpress.newsroom import admin_time_zone
from babelpress.newsroom.models import Article

from ..desk_data import fill_desk

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "mot-de-passe-du-desk"


@pytest.fixture
def journalist(django_user_model):
    return django_user_model.objects.create_superuser("claire", "claire@example.org", PASSWORD)


def logged_in_tab(browser, live_server, *, locale="fr-FR", timezone_id=None, width=1280):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=locale,
                                  **({"timezone_id": timezone_id} if timezone_id else {}))
    tab = context.new_page()
    tab.goto(live_server.url + "/admin/login/?next=/admin/")
    tab.fill("#id_username", "claire")
    tab.fill("#id_password", PASSWORD)
    tab.click("input[type=submit]")
    tab.wait_for_url("**/admin/")
    return tab


@pytest.fixture
def busy_desk(newsroom, journalist):
    fill_desk(newsroom, journalist, copies=3)
    return newsroom


def no_sideways_scroll(tab) -> bool:
    return tab.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_a_french_editors_desk_at_1280_pixels(browser, live_server, busy_desk):
    ARTIFACTS.mkdir(exist_ok=True)
    tab = logged_in_tab(browser, live_server)
    assert tab.locator("html").get_attribute("lang") == "fr"
    blocks = tab.locator("#desk .desk-block")
    assert blocks.count() == 5
    # Side by side, not one under the other: at least three blocks on the first row.
    tops = [round(blocks.nth(i).bounding_box()["y"]) for i in range(5)]
    assert tops.count(tops[0]) >= 3
    chart = tab.locator("#desk-coverage svg.coverage-chart")
    assert chart.is_visible() and chart.bounding_box()["width"] > 600
    assert tab.locator("#desk-failed .desk-note--error").first.is_visible()  # the reason, without hovering
    assert no_sideways_scroll(tab)
    tab.screenshot(path=str(ARTIFACTS / "desk-fr-1280.png"), full_page=True)
    tab.locator("#desk-coverage").screenshot(path=str(ARTIFACTS / "desk-fr-coverage.png"))

    tab.locator("#desk-scheduled .desk-more a").click()
    tab.wait_for_url("**/admin/newsroom/article/?**")
    assert tab.locator("#result_list tbody tr").count() == 3
    tab.context.close()


def test_an_arabic_editors_desk_reads_right_to_left(browser, live_server, busy_desk):
    ARTIFACTS.mkdir(exist_ok=True)
    tab = logged_in_tab(browser, live_server, locale="ar")
    assert tab.locator("html").get_attribute("dir") == "rtl"
    first = tab.locator("#desk .desk-block").first.bounding_box()
    assert first["x"] + first["width"] > 1280 / 2  # the first block on the right-hand side
    # The bars start on the right: the originals' segment is right of the missing ones.
    french = tab.locator('#desk-coverage g[data-language="fr"]')
    original = french.locator("rect.coverage-chart__original").bounding_box()
    missing = french.locator("rect.coverage-chart__missing").bounding_box()
    assert original["x"] > missing["x"]
    assert no_sideways_scroll(tab)
    tab.screenshot(path=str(ARTIFACTS / "desk-ar-1280.png"), full_page=True)
    tab.locator("#desk-review").screenshot(path=str(ARTIFACTS / "desk-ar-review.png"))
    tab.locator("#desk-coverage").screenshot(path=str(ARTIFACTS / "desk-ar-coverage.png"))
    tab.context.close()


def test_a_browser_in_new_york_sees_the_sites_zone_and_no_hours_behind_note(browser, live_server, newsroom,
                                                                           journalist):
    ARTIFACTS.mkdir(exist_ok=True)
    tab = logged_in_tab(browser, live_server, timezone_id="America/New_York")
    assert tab.evaluate("new Date().getTimezoneOffset()") in (240, 300)  # the browser is in New York
    tab.goto(live_server.url + f"/admin/newsroom/article/{newsroom.draft.pk}/change/")
    tab.wait_for_load_state("load")
    tab.locator(".field-published_at .datetimeshortcuts").first.wait_for()  # Django's script has run
    assert tab.locator(".timezonewarning").count() == 0
    assert "behind server time" not in tab.content() and "ahead of server time" not in tab.content()
    zone = tab.locator(".field-published_at .site-time-zone")
    assert zone.is_visible()
    assert zone.inner_text() == admin_time_zone.zone_name(language="fr")  # "heure d’Europe centrale (CET)"

    # "Maintenant" fills in the site's time, not New York's.
    tab.locator("#id_published_at_1 + .datetimeshortcuts a").first.click()  # "Maintenant"
    tab.locator("#id_published_at_0 + .datetimeshortcuts a").first.click()  # "Aujourd’hui"
    typed = datetime.strptime(" ".join(tab.locator(f"#id_published_at_{n}").input_value() for n in (0, 1)),
                              "%d/%m/%Y %H:%M:%S").replace(tzinfo=admin_time_zone.site_zone())
    assert abs(typed - timezone.now()) < timedelta(minutes=2)  # New York is 6 hours from it
    tab.screenshot(path=str(ARTIFACTS / "desk-time-zone-new-york.png"), full_page=False,
                   clip={"x": 0, "y": 0, "width": 1280, "height": 900})
    assert Article.objects.get(pk=newsroom.draft.pk).published_at is None  # nothing saved
    tab.context.close()
