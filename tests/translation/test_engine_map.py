"""The engine map: for every ordered pair of content languages (fr, en, hy, ru in the tests), which
engine would translate it — following the engines' order and the per-pair rules — directly,
through another language, or not at all, with models, licences and the last speed measured. The
notice on the admin home page and the coverage page's "no engine" cells read the same map.
"""

from __future__ import annotations

import json
import shutil

import lxml.html
import pytest
from django.core.exceptions import ImproperlyConfigured

from babelpress.translation import availability, engine_map, engine_speed, registry
from babelpress.translation.argos_packages import install_package
from babelpress.translation.engines.base import RouteStep
from babelpress.translation.testing import build_tiny_argos_package

from .fake_engines import PhrasebookEngine
from .map_engines import CLOCK, DownEngine, RefusingEngine, RoutedEngine, step

# Examples written for a site publishing in fr, en, hy and ru (conftest.py).
pytestmark = pytest.mark.usefixtures("four_content_languages")

LOCAL = "babelpress.translation.engines.local.LocalEngine"


def kinds(found) -> dict[str, str]:
    return {f"{r.source}-{r.target}": r.kind for r in found.routes()}


# --- Which engine, which route -----------------------------------------------------------------


def test_the_local_engine_with_tiny_models_direct_through_english_and_none(local_engine):
    found = engine_map.build()

    assert kinds(found) == {
        "fr-en": "direct", "fr-hy": "pivot", "fr-ru": "none",
        "en-fr": "direct", "en-hy": "direct", "en-ru": "none",
        "hy-fr": "none", "hy-en": "none", "hy-ru": "none",
        "ru-fr": "none", "ru-en": "none", "ru-hy": "none",
    }
    through = found.get("fr", "hy")
    assert through.engine == "local" and through.via == ["en"]
    assert [(s.source, s.target, s.model, s.family) for s in through.steps] == [
        ("fr", "en", "fr-en", "argos"), ("en", "hy", "en-hy", "argos")]
    assert found.untranslatable() == [("hy", "fr"), ("ru", "fr"), ("hy", "en"), ("ru", "en"), ("ru", "hy"),
                                      ("fr", "ru"), ("en", "ru"), ("hy", "ru")]
    assert found.unreachable_languages() == ["ru"]


def test_the_engines_order_and_the_per_pair_rules_choose_the_engine(use_engines):
    use_engines({
        "first": (RoutedEngine, {"routes": {"fr-en": [step("fr", "en", "m-fr-en")], "en-fr": [step("en", "fr", "m1")]}}),
        "second": (PhrasebookEngine, {"pairs": ["fr-en", "en-fr", "hy-en"]}),
    }, pairs={"en-fr": ["second", "first"]})

    found = engine_map.build()

    assert found.get("fr", "en").engine == "first"  # the order of BABELPRESS_TRANSLATION_ENGINES
    assert found.get("en", "fr").engine == "second"  # the pair's own rule
    assert found.get("hy", "en").engine == "second"
    assert found.get("hy", "en").steps == (RouteStep("hy", "en"),)  # a service: one step, no model
    assert found.get("fr", "en").passed_over == ()
    assert found.get("hy", "en").passed_over == ("first: pair not supported",)


def test_licences_and_non_commercial_models_are_carried_by_the_route(use_engines):
    use_engines({"routed": (RoutedEngine, {"routes": {
        "hy-fr": [step("hy", "fr", "nllb-200-600M", "nllb", "CC-BY-NC-4.0", True)],
        "hy-ru": [step("hy", "en", "opus-mt-hy-en", "opus-mt", "Apache-2.0"),
                  step("en", "ru", "opus-mt-en-ru", "opus-mt", "Apache-2.0")],
    }})})

    found = engine_map.build()

    assert found.get("hy", "fr").non_commercial and not found.get("hy", "ru").non_commercial
    assert found.get("hy", "ru").models == ["opus-mt-hy-en", "opus-mt-en-ru"]
    assert found.non_commercial_models() == {"nllb-200-600M": {"licence": "CC-BY-NC-4.0", "pairs": [("hy", "fr")]}}


def test_an_unreachable_service_is_passed_over_and_a_pair_only_it_serves_waits(use_engines):
    use_engines({"down": (DownEngine, {}), "phrasebook": (PhrasebookEngine, {"pairs": ["fr-en"]})})

    found = engine_map.build()

    assert found.get("fr", "en").engine == "phrasebook"
    assert "down: [down] cannot connect" in found.get("fr", "en").passed_over[0]
    assert found.get("en", "fr").kind == "waiting"
    assert found.untranslatable() == []  # waiting is not missing: its work waits for the service
    assert "fr" in found.unreachable_languages()  # but nothing reaches French now


def test_a_misconfigured_engine_setting_is_an_error_that_says_what_to_fix(use_engines, settings):
    use_engines({})
    settings.BABELPRESS_TRANSLATION_ENGINES = {"local": {"CLASS": LOCAL, "OPTIONS": {"beam_size": "zero"}}}
    registry.clear_cache()

    with pytest.raises(ImproperlyConfigured, match=r"bad OPTIONS .*beam_size.*BABELPRESS_TRANSLATION_ENGINES"):
        engine_map.build()


def test_what_is_missing_and_the_halves_of_the_way_through_english(local_engine):
    needs = {(n.source, n.target): n for n in engine_map.build().needs()}

    assert needs[("hy", "fr")].through == "en" and needs[("hy", "fr")].halves_missing == (("hy", "en"),)
    assert needs[("fr", "ru")].halves_missing == (("en", "ru"),)
    assert needs[("hy", "en")].through == "" and needs[("hy", "en")].halves_missing == ()


def test_the_fewest_models_to_install_and_which_the_argos_index_lacks(local_engine):
    found = engine_map.build()

    assert found.models_to_install() == [("hy", "en"), ("en", "ru"), ("ru", "en")]
    assert found.without_argos_models() == ["hy"]


# --- Speeds ----------------------------------------------------------------------------------------


@pytest.fixture
def speeds_here(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path / engine_speed.FILE_NAME


def test_speed_is_segments_per_second_on_a_probe_in_the_source_language(use_engines, speeds_here):
    engine = use_engines({"routed": (RoutedEngine, {"seconds_per_call": 2.0, "routes": {
        "hy-fr": [step("hy", "fr", "opus-mt-hy-fr", "opus-mt")], "fr-en": [step("fr", "en")]}})})["routed"]
    found = engine_map.build()

    report = engine_speed.measure_map(found, clock=CLOCK)

    # Installed models get one untimed sentence first (loading them is not translating); a service does not.
    assert engine.calls == [("fr", "en", 4), ("hy", "fr", 1), ("hy", "fr", 4)]
    stored = engine_speed.load()
    assert stored[found.get("hy", "fr").key].per_second == 2.0  # 4 segments in 2 seconds
    assert report.left == 0 and report.failed == []
    assert json.loads(speeds_here.read_text())["version"] == 1


def test_the_probe_is_written_in_the_source_language():
    assert "Քաղաքային" in engine_speed.probe("hy")[0]
    assert engine_speed.probe("ar")[0].startswith("وافق")
    assert engine_speed.probe("pt-BR") == engine_speed.GENERIC_PROBE  # no probe of its own
    assert engine_speed.probe("ru") != engine_speed.probe("fr")


def test_a_failed_probe_is_kept_with_its_reason_and_nothing_breaks(use_engines, speeds_here):
    use_engines({"refusing": (RefusingEngine, {})})

    report = engine_speed.measure_map(engine_map.build(), clock=CLOCK)

    assert len(report.failed) == 12
    assert "refused the key" in report.failed[0].error and report.failed[0].per_second is None


def test_a_measurement_belongs_to_its_route_and_is_stale_once_a_model_changes(use_engines, speeds_here):
    use_engines({"routed": (RoutedEngine, {"routes": {"en-fr": [step("en", "fr", "v1")]}})})
    engine_speed.measure_map(engine_map.build(), clock=CLOCK)
    use_engines({"routed": (RoutedEngine, {"routes": {"en-fr": [step("en", "fr", "v2")]}})})

    assert engine_speed.speed_of(engine_map.build().get("en", "fr"), engine_speed.load()) is None


def test_with_a_time_budget_the_pairs_never_measured_come_first_next_time(use_engines, speeds_here):
    routes = {f"{s}-{t}": [step(s, t)] for s, t in [("fr", "en"), ("en", "fr"), ("hy", "en"), ("ru", "en")]}
    engine = use_engines({"routed": (RoutedEngine, {"routes": routes, "seconds_per_call": 6})})["routed"]
    found = engine_map.build()

    first = engine_speed.measure_map(found, budget=10, clock=CLOCK)
    second = engine_speed.measure_map(found, budget=10, clock=CLOCK)

    assert (len(first.measured), first.left) == (2, 2)
    assert (len(second.measured), second.left) == (2, 2)
    assert {(s, t) for s, t, _n in engine.calls} == {("fr", "en"), ("en", "fr"), ("hy", "en"), ("ru", "en")}


def test_an_unreadable_store_is_ignored_and_rewritten(use_engines, speeds_here):
    speeds_here.write_text("<html>not json</html>")
    use_engines({"routed": (RoutedEngine, {"routes": {"en-fr": [step("en", "fr")]}})})

    assert engine_speed.load() == {}
    engine_speed.measure_map(engine_map.build(), clock=CLOCK)
    assert len(engine_speed.load()) == 1


# --- The notice and the coverage page read the map ------------------------------------------------


@pytest.fixture
def own_models(use_engines, tmp_path, tiny_packages):
    """The local engine on a models folder of this test's own (en→fr, fr→en, en→hy to start with)."""
    models = tmp_path / "models"
    for archive in tiny_packages.values():
        install_package(archive, models)
    use_engines({"local": (LOCAL, {"models_dir": str(models), "max_decoding_length": 16})})
    availability.forget()
    return models


def notice_items(client) -> list[str]:
    doc = lxml.html.fromstring(client.get("/admin/").content.decode())
    notice = doc.get_element_by_id("engine-notice")
    return [" ".join(li.text_content().split()) for li in notice.cssselect("ul")[0].cssselect("li")]


def test_installing_a_model_changes_the_map_and_the_notice_at_once(
        own_models, editor, tmp_path):
    before = notice_items(editor)
    assert before == ["Armenian, Russian → French", "Armenian, Russian → English", "Russian → Armenian",
                      "Russian: from none of the other languages"]
    install_package(build_tiny_argos_package(tmp_path / "archives", "hy", "en"), own_models)

    # Another process (`babelpress translation install-model`) installed it: the models folder changed.
    after = notice_items(editor)

    assert after == ["Russian → French", "Russian → English", "Russian → Armenian",
                     "Russian: from none of the other languages"]
    found = availability.current_map()
    assert found.get("hy", "fr").kind == "pivot" and found.get("hy", "en").kind == "direct"


def test_the_map_is_kept_two_minutes_unless_the_engines_or_their_models_change(own_models, monkeypatch):
    asked = []
    engine = registry.configured_engines()["local"]
    real = engine.supports
    monkeypatch.setattr(engine, "supports", lambda s, t: asked.append((s, t)) or real(s, t))
    clock = [1000.0]
    monkeypatch.setattr(availability.time, "monotonic", lambda: clock[0])

    availability.current_map()
    availability.current_map()
    assert len(asked) == 12  # kept
    (own_models / "en-fr").rename(own_models / ".old-en-fr")  # a model removed by another process
    assert availability.current_map().get("en", "fr").kind == "none"
    assert len(asked) == 24
    availability.current_map(fresh=True)  # the Translation engines page asks afresh
    assert len(asked) == 36


def test_the_coverage_cells_say_no_engine_where_the_map_has_none(own_models, editor, make_story):
    make_story(language="hy", headline="Անձրև")
    doc = lxml.html.fromstring(editor.get("/admin/translation/coverage/").content.decode())
    grid = doc.cssselect("table.coverage")[1]
    row = grid.cssselect("tbody tr")[0]
    cells = dict(zip(["fr", "en", "hy", "ru"], row.cssselect("td")[1:]))

    assert all(cells[lang].cssselect(".no-engine") for lang in ("fr", "en", "ru"))
    shutil.rmtree(own_models)  # every model gone
    registry.clear_cache()
    assert availability.current_map().untranslatable() == [(s, t) for t in ("fr", "en", "hy", "ru")
                                                            for s in ("fr", "en", "hy", "ru") if s != t]


def test_the_notice_says_which_pairs_go_through_english_and_warns_of_non_commercial_licences(use_engines, editor):
    use_engines({"routed": (RoutedEngine, {"routes": {
        "hy-fr": [step("hy", "en", "opus-mt-hy-en", "opus-mt", "Apache-2.0"), step("en", "fr", "opus-mt-en-fr")],
        "fr-hy": [step("fr", "hy", "nllb-200-600M", "nllb", "CC-BY-NC-4.0", True)],
    }})})
    availability.forget()

    doc = lxml.html.fromstring(editor.get("/admin/").content.decode())
    said = " ".join(doc.get_element_by_id("engine-notice").text_content().split())

    assert ("Through English (2 models one after the other, slower and less accurate than a direct model): "
            "Armenian → French.") in said
    assert "The model nllb-200-600M is licensed CC-BY-NC-4.0: non-commercial use only." in said
    assert "It translates French → Armenian." in said
    assert doc.cssselect('#engine-notice a[href="/admin/translation/engines/"]')


def test_with_every_pair_translatable_a_non_commercial_model_alone_still_brings_the_notice(use_engines, editor):
    codes = ("fr", "en", "hy", "ru")
    routes = {f"{s}-{t}": [step(s, t, f"m-{s}-{t}")] for s in codes for t in codes if s != t}
    routes["en-hy"] = [step("en", "hy", "nllb", "nllb", "CC-BY-NC-4.0", True)]
    use_engines({"routed": (RoutedEngine, {"routes": routes})})
    availability.forget()

    doc = lxml.html.fromstring(editor.get("/admin/").content.decode())
    notice = doc.get_element_by_id("engine-notice")

    assert " ".join(notice.cssselect("h2")[0].text_content().split()) == \
        "A translation model may not be used commercially"
    assert "To set up machine translation" not in notice.text_content()


def test_with_wrong_engine_settings_no_pair_is_offered_and_the_notice_says_what_to_fix(
        use_engines, settings, editor, make_story):
    use_engines({})
    settings.BABELPRESS_TRANSLATION_ENGINES = {"mine": {"CLASS": "nowhere.engines.Mine"}}
    registry.clear_cache()
    make_story(language="fr")

    assert len(availability.untranslatable_pairs()) == 12
    doc = lxml.html.fromstring(editor.get("/admin/translation/coverage/").content.decode())
    assert "cannot import 'nowhere.engines.Mine'" in doc.get_element_by_id("engine-notice").text_content()
    assert not doc.cssselect('input[name="cell"]')
