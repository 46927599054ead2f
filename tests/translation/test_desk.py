"""What translation puts on the newsroom's desk, the admin's home page (babelpress/translation/desk.py,
coverage_chart.py): machine drafts waiting for review, failed jobs with their reason, and the
coverage chart — per language, a stacked bar of the published stories drawn as SVG by the server."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import lxml.etree
import lxml.html
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation

from babelpress.translation import coverage, coverage_chart
from babelpress.translation.models import Translation, TranslationJob

from .test_translation_admin import coverage_newsroom  # noqa: F401 - the fixture: every state at least once

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _admin_in_english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("marie", "marie@example.org", None)
    client.force_login(user)
    return user


def desk_page(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def chart_of(page):
    """The chart as XML (it must be well-formed), parsed from the page's markup."""
    [svg] = page.xpath('//*[local-name()="svg" and contains(@class, "coverage-chart")]')
    return lxml.etree.fromstring(lxml.html.tostring(svg))


def bars(chart) -> dict[str, dict[str, int]]:
    """{language: {group: count}} read from the chart's segments (their class and title)."""
    found = {}
    for bar in chart.iter(f"{SVG}g"):
        segments = {}
        for rect in bar.iter(f"{SVG}rect"):
            group = rect.get("class").removeprefix("coverage-chart__")
            segments[group] = int(rect.find(f"{SVG}title").text.rsplit(" ", 1)[1])
        found[bar.get("data-language")] = segments
    return found


# What coverage_newsroom holds, folded into the chart's groups: human translations count as reviewed;
# a failed or queued job with no text yet in the language, as missing.
EXPECTED = {
    "fr": {"original": 3, "missing": 1},
    "en": {"original": 1, "reviewed": 2, "outdated": 1},
    "hy": {"reviewed": 1, "missing": 3},
    "ru": {"reviewed": 1, "machine": 1, "missing": 2},
    "ar": {"missing": 4},
}


def test_the_chart_is_an_svg_image_whose_bars_are_the_coverage_counts(client, coverage_newsroom):
    page = desk_page(client)
    chart = chart_of(page)

    assert chart.get("role") == "img"
    assert chart.find(f"{SVG}title").text == "Translation coverage"
    assert bars(chart) == EXPECTED
    # The same numbers as the coverage page's, state by state.
    totals = coverage.totals()
    for language, groups in EXPECTED.items():
        assert groups.get("original", 0) == totals[language]["original"]
        assert groups.get("reviewed", 0) == totals[language]["reviewed"] + totals[language]["human"]
        assert groups.get("machine", 0) == totals[language]["machine"]
        assert sum(groups.values()) == totals[language]["stories"] == 4


def test_every_bar_is_as_long_as_the_stories_and_each_segment_in_proportion(client, coverage_newsroom):
    chart = chart_of(desk_page(client))
    for bar in chart.iter(f"{SVG}g"):
        rects = list(bar.iter(f"{SVG}rect"))
        widths = [float(rect.get("width")) for rect in rects]
        counts = [int(rect.find(f"{SVG}title").text.rsplit(" ", 1)[1]) for rect in rects]
        assert sum(widths) == pytest.approx(coverage_chart.WIDTH - coverage_chart.LABEL_WIDTH - coverage_chart.GAP,
                                            abs=0.5)
        assert {round(width / n, 1) for width, n in zip(widths, counts)} == {round(widths[0] / counts[0], 1)}


def test_the_chart_says_its_numbers_in_words_a_legend_and_a_table(client, coverage_newsroom):
    page = desk_page(client)
    chart = chart_of(page)
    described = chart.find(f"{SVG}desc").text
    assert "English: 4 stories — original 1, reviewed or translated by a person 2, machine draft 0, outdated 1, " \
           "missing 0." in described
    assert chart.get("aria-labelledby") == "coverage-chart-title coverage-chart-desc"
    legend = [" ".join(li.text_content().split()) for li in page.cssselect("#desk-coverage .coverage-legend li")]
    assert legend == ["original", "reviewed or translated by a person", "machine draft", "outdated", "missing"]
    table = {row.get("data-language"): [int(td.text_content()) for td in row.cssselect("td")]
             for row in page.cssselect("#desk-coverage table tbody tr")}
    assert table == {language: [groups.get(g, 0) for g in coverage_chart.GROUPS] for language, groups in EXPECTED.items()}


def test_each_segment_opens_the_coverage_page_on_its_language_and_state(client, coverage_newsroom):
    chart = chart_of(desk_page(client))
    links = {urlsplit(a.get("href")).path for a in chart.iter(f"{SVG}a")}
    assert links == {reverse("translation_coverage")}
    queries = [parse_qs(urlsplit(a.get("href")).query) for a in chart.iter(f"{SVG}a")]
    assert {"language": ["ru"], "state": ["machine"]} in queries
    page = lxml.html.fromstring(client.get(reverse("translation_coverage") + "?language=ru&state=machine").content)
    assert [" ".join(a.text_content().split()) for a in page.cssselect("table.coverage tbody td:first-child a")] == [
        "Le pont de Valmont rouvre"]


def test_in_a_right_to_left_admin_the_bars_start_on_the_right(coverage_newsroom):
    per_language = coverage_chart.counts()
    with translation.override("ar"):
        chart = lxml.etree.fromstring(coverage_chart.panel_context(per_language)["chart"])
    assert chart.get("direction") == "rtl"
    french = next(bar for bar in chart.iter(f"{SVG}g") if bar.get("data-language") == "fr")
    label = french.find(f"{SVG}text")
    first = french.find(f".//{SVG}rect")  # the originals, drawn first
    assert label.text == "الفرنسية" and float(label.get("x")) > coverage_chart.WIDTH - coverage_chart.LABEL_WIDTH
    assert float(first.get("x")) + float(first.get("width")) == pytest.approx(
        coverage_chart.WIDTH - coverage_chart.LABEL_WIDTH)


def test_without_published_stories_the_panel_says_so(client, editor):
    panel = desk_page(client).cssselect("#desk-coverage")[0]
    assert not panel.xpath('.//*[local-name()="svg"]')
    assert "No story is published yet" in panel.text_content()


def test_machine_drafts_wait_for_review_with_their_language_pair_and_quality_flags(client, coverage_newsroom):
    Translation.objects.filter(article=coverage_newsroom.bridge.get_translation("ru")).update(qa_errors=2)
    review = desk_page(client).cssselect("#desk-review")[0]
    texts = [" ".join(li.text_content().split()) for li in review.cssselect("li")]
    bridge_ru = next(text for text in texts if "French → Russian" in text)
    assert "2 quality errors" in bridge_ru
    links = [a.get("href") for a in review.cssselect(".desk-more a")]
    assert reverse("admin:translation_translation_changelist") + "?state__exact=machine" in links
    states = Translation.objects.filter(state=Translation.State.MACHINE)
    listed = client.get(reverse("admin:translation_translation_changelist") + "?state__exact=machine")
    assert sorted(listed.context["cl"].result_list, key=lambda s: s.pk) == sorted(states, key=lambda s: s.pk)


def test_failed_jobs_show_their_reason_without_hovering(client, coverage_newsroom):
    failed = desk_page(client).cssselect("#desk-failed")[0]
    [entry] = [li for li in failed.cssselect("li") if "English → French" in li.text_content()]
    assert entry.cssselect("a")[0].text_content() == "Lantern festival draws crowds"
    assert "authentication refused (HTTP 403)" in entry.cssselect(".desk-note--error")[0].text_content()
    job = TranslationJob.objects.get(status=TranslationJob.Status.FAILED)
    assert entry.cssselect("a")[0].get("href") == reverse("admin:translation_translationjob_change", args=[job.pk])
    all_failed = reverse("admin:translation_translationjob_changelist") + "?status__exact=failed"
    assert all_failed in [a.get("href") for a in failed.cssselect(".desk-more a")]
    assert list(client.get(all_failed).context["cl"].result_list) == [job]


def test_a_reviewer_without_coverage_rights_sees_neither_chart_nor_translation_lists(client, newsroom,
                                                                                     django_user_model):
    writer = django_user_model.objects.create_user("ecrivain", "e@example.org", None, is_staff=True)
    writer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(writer)
    page = desk_page(client)
    assert not page.cssselect("#desk-coverage") and not page.cssselect("#desk-failed")
    assert page.cssselect("#desk-drafts")
