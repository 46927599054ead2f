"""`babelpress translation doctor`: the engine map as a table — per pair the engine, the route, the
models, the licence (non-commercial flagged) and the speed — then what is missing and exactly what
to do. Exit code 1 when a content language cannot be reached from any other; 0 otherwise.
"""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command

from babelpress.translation import engine_speed, registry

from ..commands import babelpress, run_env
from .map_engines import CLOCK, RefusingEngine, RoutedEngine, step

# Examples written for a site publishing in fr, en, hy and ru (conftest.py).
pytestmark = pytest.mark.usefixtures("four_content_languages")


@pytest.fixture(autouse=True)
def speeds_here(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path / engine_speed.FILE_NAME


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def doctor(*args, tty=False) -> tuple[str, str, int]:
    """(stdout, stderr, exit code)"""
    out, err = (Terminal() if tty else io.StringIO()), io.StringIO()
    try:
        call_command("translation", "doctor", *args, stdout=out, stderr=err)
        code = 0
    except CommandError as exc:
        err.write(f"CommandError: {exc}\n")
        code = exc.returncode
    return out.getvalue(), err.getvalue(), code


def table_rows(out: str) -> dict[str, list[str]]:
    """The table's rows by pair ("en→fr"), each as its words."""
    return {line.split()[0]: line.split() for line in out.splitlines()
            if re.fullmatch(r"[a-z]+→[a-z]+", (line.split() or [""])[0])}


def test_the_map_of_the_tiny_local_models_and_exit_code_1_for_a_language_nothing_reaches(local_engine):
    out, err, code = doctor("--no-speed")

    rows = table_rows(out)
    assert rows["en→fr"][:3] == ["en→fr", "local", "direct"] and "en-fr (argos)" in " ".join(rows["en→fr"])
    assert rows["fr→hy"][:4] == ["fr→hy", "local", "via", "en"]
    assert "fr-en (argos), en-hy (argos)" in " ".join(rows["fr→hy"])
    assert rows["hy→ru"][1:4] == ["—", "NO", "ENGINE"]
    assert "Cannot be reached from any other content language: Russian (ru)." in out
    assert "Models that would translate them: en-hy" not in out
    assert "hy-en" in out.split("Models that would translate them: ")[1].splitlines()[0]
    assert "babelpress translation install-model FILE" in out and "babelpress translation available" in out
    assert "OPUS-MT" in out and "NLLB-200" in out  # Armenian: the Argos index has none
    assert code == 1 and "No other content language can be translated into Russian (ru)" in err


def test_exit_code_0_when_every_language_can_be_reached(local_engine, settings):
    settings.BABELPRESS_CONTENT_LANGUAGES = ["fr", "en", "hy"]

    out, err, code = doctor("--no-speed")

    assert code == 0, err
    assert "hy→fr" in out and "No engine for: hy → fr; hy → en." in out


def test_speeds_are_measured_and_shown_unless_no_speed(use_engines, monkeypatch):
    use_engines({"routed": (RoutedEngine, {"seconds_per_call": 2.0, "routes": {
        "en-fr": [step("en", "fr", "m", "opus-mt", "Apache-2.0")]}})})

    out, _err, _code = doctor("--no-speed")
    assert table_rows(out)["en→fr"][-2:] == ["not", "measured"]

    monkeypatch.setattr(engine_speed.time, "perf_counter", CLOCK)  # each call of the engine takes 2 seconds
    out, err, _code = doctor()
    assert table_rows(out)["en→fr"][-2:] == ["2.0", "seg/s"]
    assert "Measuring en→fr with routed…" in err
    # … and kept: the next run without measuring shows it too
    assert table_rows(doctor("--no-speed")[0])["en→fr"][-2:] == ["2.0", "seg/s"]


def test_a_service_whose_probe_fails_shows_why_and_the_doctor_does_not_crash(use_engines):
    use_engines({"refusing": (RefusingEngine, {})})

    out, _err, code = doctor()

    assert table_rows(out)["fr→en"][-3:] == ["probe", "failed", "[1]"]
    assert "[1] [refusing] the service refused the key (HTTP 403): set BABELPRESS_REFUSING_KEY." in out
    assert code == 0


def test_non_commercial_licences_are_flagged(use_engines):
    use_engines({"routed": (RoutedEngine, {"routes": {
        "fr-hy": [step("fr", "hy", "nllb-200-600M", "nllb", "CC-BY-NC-4.0", True)]}})})

    out, _err, _code = doctor("--no-speed")

    assert "CC-BY-NC-4.0 NON-COMMERCIAL" in " ".join(table_rows(out)["fr→hy"])
    assert "Licence: nllb-200-600M is CC-BY-NC-4.0 — non-commercial use only; it translates fr→hy." in out


def test_json_for_scripts(local_engine):
    out, _err, code = doctor("--no-speed", "--json")

    data = json.loads(out)
    assert data["languages"] == ["fr", "en", "hy", "ru"]
    pairs = {(p["source"], p["target"]): p for p in data["pairs"]}
    assert pairs[("fr", "hy")]["route"] == "pivot" and pairs[("fr", "hy")]["via"] == ["en"]
    assert [s["model"] for s in pairs[("fr", "hy")]["steps"]] == ["fr-en", "en-hy"]
    assert pairs[("hy", "ru")]["engine"] is None and pairs[("hy", "ru")]["route"] == "none"
    assert data["unreachable_languages"] == ["ru"]
    assert {"source": "hy", "target": "fr", "through": "en", "halves_missing": ["hy-en"]} in data["missing"]
    assert code == 1


def test_a_misconfigured_engine_setting_is_a_clear_error_not_a_traceback(use_engines, settings):
    use_engines({})
    settings.BABELPRESS_TRANSLATION_ENGINES = {"mine": {"CLASS": "nowhere.engines.Mine"}}
    registry.clear_cache()

    _out, err, code = doctor()

    assert code == 2
    assert ("The translation engines are not set up correctly: BABELPRESS_TRANSLATION_ENGINES['mine']: cannot import "
            "'nowhere.engines.Mine'") in err


def test_on_a_fresh_install_the_real_command_says_what_is_missing(tmp_path):
    env = run_env(tmp_path, BABELPRESS_SECRET_KEY="x" * 50)

    result = babelpress("translation", "doctor", env=env)

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "Models that would translate them: en-fr, fr-en, en-hy, hy-en, en-ru, ru-en" in result.stdout
    assert "No other content language can be translated into French (fr), English (en)" in result.stderr


def test_on_a_terminal_the_table_is_drawn_with_rich_and_brackets_stay_text(use_engines):
    use_engines({"routed": (RoutedEngine, {"routes": {"en-fr": [step("en", "fr", "opus[bold]v2")]}})})

    out, _err, _code = doctor("--no-speed", tty=True)

    assert "┏" in out and "opus[bold]v2" in out
