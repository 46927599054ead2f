"""The *Translation engines* admin page: the engine map as a grid (a row per source language, a column
per target), each cell the engine, the route, the models, the licence and the last speed measured;
a legend; what is missing and what to do; and a *Measure speed* button for whoever may queue
translations. Linked from the admin home page's tools and from the engine notice.
"""

from __future__ import annotations

import lxml.html
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from babelpress.translation import engine_speed, registry

from .map_engines import RefusingEngine, RoutedEngine, step

# Examples written for a site publishing in fr, en, hy and ru (conftest.py).
pytestmark = pytest.mark.usefixtures("four_content_languages")

PAGE = "/admin/translation/engines/"


def text(node) -> str:
    return " ".join(node.text_content().split())


def page(client):
    response = client.get(PAGE)
    assert response.status_code == 200, response.content[:400]
    return lxml.html.fromstring(response.content.decode())


def cell(doc, pair: str):
    return doc.cssselect(f'td[data-pair="{pair}"]')[0]


@pytest.fixture(autouse=True)
def speeds_here(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path / engine_speed.FILE_NAME


@pytest.fixture
def viewer(client, django_user_model):
    """A staff member who may view translations (as a translator may), not queue them."""
    user = django_user_model.objects.create_user("viewer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_translation"))
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_the_grid_has_a_row_per_source_and_a_column_per_target_with_headers_and_a_caption(editor, local_engine):
    doc = page(editor)

    grid = doc.get_element_by_id("engine-grid")
    assert text(grid.cssselect("caption")[0]).startswith("Which engine translates each pair")
    assert [text(th) for th in grid.cssselect('thead th[scope="col"]')] == [
        "into French fr", "into English en", "into Armenian hy", "into Russian ru"]
    assert [text(th) for th in grid.cssselect('tbody th[scope="row"]')] == [
        "from French fr", "from English en", "from Armenian hy", "from Russian ru"]
    assert len(grid.cssselect("td.route-same")) == 4
    wrapper = grid.getparent()
    assert wrapper.get("role") == "region" and wrapper.get("tabindex") == "0"  # scrolls on a phone, by keyboard too


def test_each_cell_says_engine_route_models_and_speed(editor, local_engine):
    doc = page(editor)

    assert text(cell(doc, "en-fr")).startswith("local direct en-fr (argos)")
    assert "speed not measured" in text(cell(doc, "en-fr"))
    pivot = cell(doc, "fr-hy")
    assert "route-pivot" in pivot.get("class")
    assert "through English" in text(pivot) and "fr → en fr-en (argos)" in text(pivot)
    assert text(cell(doc, "hy-ru")) == "no engine"
    assert "route-none" in cell(doc, "hy-ru").get("class")


def test_the_legend_and_what_is_missing(editor, local_engine):
    doc = page(editor)

    legend = text(doc.get_element_by_id("engine-legend-title").getparent())
    assert "through another language" in legend and "non-commercial" in legend and "segments/s" in legend
    missing = text(doc.get_element_by_id("engine-needs-title").getparent())
    assert "No other language can be translated into Russian." in missing
    assert "Armenian → French: a model for hy-fr, or to go through English: hy-en" in missing
    assert "The fewest models that would give each of these pairs an engine: hy-en, en-ru, ru-en" in missing
    assert "babelpress translation install-model FILE" in missing
    assert "The Argos Translate index has no model for Armenian" in missing
    assert "babelpress translation doctor" in missing


def test_a_non_commercial_model_is_flagged_in_its_cell(editor, use_engines):
    use_engines({"routed": (RoutedEngine, {"routes": {
        "fr-hy": [step("fr", "hy", "nllb-200-600M", "nllb", "CC-BY-NC-4.0", True)]}})})

    found = cell(page(editor), "fr-hy")

    assert "nllb-200-600M (nllb) · CC-BY-NC-4.0 non-commercial" in text(found)
    assert found.cssselect(".badge-nc")


def test_measure_speed_measures_every_pair_and_the_page_shows_the_speeds(editor, use_engines, speeds_here):
    use_engines({"routed": (RoutedEngine, {"routes": {"en-fr": [step("en", "fr", "m")], "fr-en": [step("fr", "en")]}})})
    button = page(editor).cssselect('.engine-measure form[method="post"] input[type="submit"]')[0]
    assert button.get("value") == "Measure speed"

    response = editor.post(PAGE, follow=True)

    assert [str(m) for m in response.context["messages"]] == ["Speed measured for 2 pairs."]
    assert speeds_here.exists() and len(engine_speed.load()) == 2
    assert "segments/s" in text(cell(page(editor), "en-fr"))


def test_a_failed_probe_says_why_under_the_grid(editor, use_engines):
    use_engines({"refusing": (RefusingEngine, {})})

    response = editor.post(PAGE, follow=True)
    doc = lxml.html.fromstring(response.content.decode())

    assert [str(m) for m in response.context["messages"]] == ["The probe failed for 12 pairs: the grid says why."]
    assert text(cell(doc, "fr-en")).startswith("refusing direct probe failed (1)")
    assert text(doc.get_element_by_id("engine-note-1")) == (
        "[refusing] the service refused the key (HTTP 403): set BABELPRESS_REFUSING_KEY.")


def test_with_no_engine_measuring_says_there_is_nothing_to_measure(editor, use_engines, tmp_path):
    use_engines({"local": ("babelpress.translation.engines.local.LocalEngine", {"models_dir": str(tmp_path / "m")})})

    response = editor.post(PAGE, follow=True)

    assert [str(m) for m in response.context["messages"]] == ["No pair has an engine: there is nothing to measure."]


def test_a_misconfigured_engine_setting_is_explained_on_the_page(editor, use_engines, settings):
    use_engines({})
    settings.BABELPRESS_TRANSLATION_ENGINES = {"mine": {"CLASS": "nowhere.engines.Mine"}}
    registry.clear_cache()

    doc = page(editor)

    assert "cannot import 'nowhere.engines.Mine'" in text(doc.cssselect(".engine-error")[0])
    assert not doc.cssselect("#engine-grid")


def test_who_may_view_sees_the_grid_without_the_button_and_may_not_measure(viewer, local_engine, speeds_here):
    doc = page(viewer)

    assert doc.cssselect("#engine-grid") and not doc.cssselect(".engine-measure form")
    assert viewer.post(PAGE).status_code == 403
    assert not speeds_here.exists()


def test_staff_who_may_not_view_translations_are_refused(client, django_user_model, db):
    client.force_login(django_user_model.objects.create_user("guest", is_staff=True))

    assert client.get(PAGE).status_code == 403


def test_the_admin_home_links_to_the_page_in_its_tools(editor, local_engine):
    doc = lxml.html.fromstring(editor.get(reverse("admin:index")).content.decode())

    assert doc.cssselect(f'a[href="{PAGE}"]')
