"""Tables in a story (issue 11, cause 1): each sits in a region named by its caption that scrolls
sideways inside the column, so a wide table is readable on a 390-pixel phone without the page
itself scrolling; in Arabic it reads from the right."""

from __future__ import annotations

import lxml.html
import pytest
from django.utils import translation

from babelpress.newsroom.models import Article

from ..browser import ARTIFACTS

YEARS = range(2017, 2027)
TABLE = (
    "<p>Les chiffres de la fréquentation depuis l'ouverture.</p>"
    "<table><caption>Fréquentation du pont (véhicules par jour)</caption>"
    "<thead><tr><th>Sens</th>" + "".join(f"<th>{year}</th>" for year in YEARS) + "</tr></thead>"
    "<tbody><tr><th>Vers le centre</th>" + "".join(f"<td>{12000 + 150 * i}</td>" for i, _ in enumerate(YEARS)) + "</tr>"
    "<tr><th>Vers la gare</th>" + "".join(f"<td>{11000 + 120 * i}</td>" for i, _ in enumerate(YEARS)) + "</tr>"
    "</tbody></table><p>La hausse continue.</p>"
)


@pytest.fixture
def counts(newsroom):
    newsroom.bridge.body = TABLE
    newsroom.bridge.save()
    return newsroom.bridge


def test_a_table_is_shown_in_a_region_named_by_its_caption(client, counts):
    page = lxml.html.fromstring(client.get(counts.get_absolute_url()).content)
    [region] = page.find_class("table-scroll")
    assert region.get("role") == "region" and region.get("tabindex") == "0"
    assert region.get("aria-label") == "Fréquentation du pont (véhicules par jour)"
    table = region.find("table")
    assert table.find("caption").text_content() == "Fréquentation du pont (véhicules par jour)"
    assert [th.get("scope") for th in table.iter("th")][:3] == ["col", "col", "col"]
    assert table.find("tbody/tr/th").get("scope") == "row"


def test_a_table_without_caption_is_named_as_a_table(client, counts):
    counts.body = "<table><tbody><tr><td>a</td><td>b</td></tr></tbody></table>"
    counts.save()
    page = lxml.html.fromstring(client.get(counts.get_absolute_url()).content)
    with translation.override("fr"):  # the page's language, not the server's
        assert page.find_class("table-scroll")[0].get("aria-label") == translation.gettext("Table")


@pytest.mark.browser
@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_wide_table_scrolls_inside_the_column_on_a_phone(browser, live_server, counts, settings, language):
    settings.BABELPRESS_CONTENT_LANGUAGES = [*settings.BABELPRESS_CONTENT_LANGUAGES, "ar"]
    story = counts if language == "fr" else Article.objects.create(
        language="ar", headline="الجسر", body=TABLE.replace("Vers le centre", "نحو المركز"), section=counts.section,
        status=Article.Status.PUBLISHED, published_at=counts.published_at)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale=f"{language}-FR")
    tab = context.new_page()
    try:
        tab.goto(live_server.url + story.get_absolute_url())
        region = tab.locator(".table-scroll")
        # The page itself never scrolls sideways; the table's region does.
        assert tab.evaluate("document.documentElement.scrollWidth") <= 390
        assert region.evaluate("element => element.scrollWidth > element.clientWidth")
        box = region.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        # Reachable from the keyboard, so it can be scrolled without a mouse.
        region.focus()
        assert tab.evaluate("document.activeElement.className") == "table-scroll"
        # The caption and the cells start on the reading side: left in French, right in Arabic.
        caption, cell = tab.locator("caption").bounding_box(), tab.locator("tbody th").first.bounding_box()
        if language == "fr":
            assert caption["x"] - box["x"] < 20
        else:
            assert tab.evaluate("getComputedStyle(document.querySelector('tbody th')).direction") == "rtl"
            assert tab.evaluate("getComputedStyle(document.querySelector('tbody th')).textAlign") == "start"
            # The first column is the rightmost: the region opens scrolled to its start, on the right.
            assert cell["x"] + cell["width"] > box["x"] + box["width"] - 40
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"story-table-390-{language}.png"), full_page=True)
    finally:
        context.close()
