"""Settings come in layers: base reads everything from the environment, the test layer overrides a
few things and says why, and a mistake in any variable stops start-up with one message naming the
variable and showing a value that works."""

from __future__ import annotations

import importlib
import runpy
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from babelpress.translation import registry
from babelpress.translation.engines.base import TranslationEngine
from .commands import babelpress, run_env

SETTINGS = Path(__file__).resolve().parents[1] / "babelpress" / "settings"


def base_settings(monkeypatch, **env) -> dict:
    """The settings base makes of this process's environment plus ``env``."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS / "base.py"))


def refusal(monkeypatch, **env) -> str:
    with pytest.raises(ImproperlyConfigured) as caught:
        base_settings(monkeypatch, **env)
    return str(caught.value)


# --- The layers ---------------------------------------------------------------------------------


def fresh_test_layer(monkeypatch) -> dict:
    """babelpress.settings.test as a new process loads it (the test runner has since changed some values)."""
    import babelpress.settings as package

    for name in ("base", "test"):
        module = f"babelpress.settings.{name}"
        monkeypatch.setattr(package, name, sys.modules[module])  # put back afterwards, as sys.modules is
        monkeypatch.delitem(sys.modules, module)
    return vars(importlib.import_module("babelpress.settings.test"))


def test_the_test_layer_overrides_exactly_what_it_says(monkeypatch):
    base, test = base_settings(monkeypatch), fresh_test_layer(monkeypatch)
    differ = {name for name, value in base.items() if name.isupper() and test[name] != value}
    assert differ == {"CACHES", "BABELPRESS_PAGE_CACHE", "STORAGES", "WHITENOISE_USE_FINDERS"}
    assert "PYTEST" not in (SETTINGS / "base.py").read_text() and "TESTING" not in (SETTINGS / "base.py").read_text()


def test_production_defaults_are_the_file_cache_the_page_cache_and_hashed_static_files(monkeypatch):
    base = base_settings(monkeypatch)
    assert base["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert base["CACHES"]["default"]["LOCATION"] == str(base["DATA_DIR"] / "cache")
    assert base["BABELPRESS_PAGE_CACHE"] is True
    assert base["STORAGES"]["staticfiles"]["BACKEND"] == "babelpress.site.static_files.StaticFilesStorage"


def test_babelpress_settings_is_base_for_operators_and_their_own_settings_modules(tmp_path):
    import babelpress.settings as package

    assert package.SITE_NAME == "Babelpress" and "SECRET_KEY" in dir(package) and "CACHES" in package.__all__
    # An operator's DJANGO_SETTINGS_MODULE, as docs/settings.md shows it: a module of their own.
    (tmp_path / "newsroom_settings.py").write_text("from babelpress.settings import *\nSITE_NAME = 'Le Courrier'\n")
    env = run_env(tmp_path, BABELPRESS_SECRET_KEY="k" * 50, PYTHONPATH=str(tmp_path))
    for module, name, cache in (("babelpress.settings", "Babelpress", "FileBasedCache"),
                                ("newsroom_settings", "Le Courrier", "FileBasedCache")):
        result = babelpress("shell", "-c", "from django.conf import settings as s; "
                            "print(s.SITE_NAME, s.CACHES['default']['BACKEND'].rsplit('.', 1)[1])",
                            env={**env, "DJANGO_SETTINGS_MODULE": module})
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[-1].split() == [*name.split(), cache]


# --- One message shape for every mistake -----------------------------------------------------------


@pytest.mark.parametrize(("name", "value", "problem", "example"), [
    ("BABELPRESS_DEBUG", "maybe", "is not a boolean (1/0, true/false, yes/no or on/off)", "0"),
    ("BABELPRESS_PAGE_SIZE", "ten", "is not a whole number", "12"),
    ("BABELPRESS_LOGIN_FAILURE_LIMIT", "0", "is too small (at least 1)", "5"),
    ("BABELPRESS_TRANSLATION_LEASE_SECONDS", "2m", "is not a number of seconds", "120"),
    ("BABELPRESS_TRANSLATION_LEASE_SECONDS", "inf", "is not a number of seconds", "120"),
    ("BABELPRESS_TRANSLATION_LEASE_SECONDS", "0", "is out of range (more than 0 and less than 1000000 seconds)",
     "120"),
    ("BABELPRESS_TRANSLATION_MONTHLY_CAPS", "deepl=abc", "gives 'deepl' 'abc', which is not a whole number",
     "deepl=500000,openai=2000000"),
    ("BABELPRESS_TRANSLATION_MONTHLY_CAPS", "deepl", "is not a list of NAME=NUMBER pairs",
     "deepl=500000,openai=2000000"),
    ("BABELPRESS_TRANSLATION_MONTHLY_CAPS", "deepl=-5", "gives 'deepl' a negative number",
     "deepl=500000,openai=2000000"),
    ("BABELPRESS_TRANSLATION_POLICY", "auto", "is not one of review, publish", "review"),
    ("BABELPRESS_TRANSLATION_PAIRS", "fr-en", "has a rule 'fr-en' that is not PAIR:ENGINE,ENGINE",
     "fr-en:deepl,local;*:local"),
    ("BABELPRESS_TRANSLATION_ENGINE", "deepl,google", "names 'google', which is neither a built-in engine "
     "(local, libretranslate, deepl, openai) nor defined in BABELPRESS_TRANSLATION_ENGINES", "deepl,local"),
    ("BABELPRESS_CONTENT_LANGUAGES", "fr,xx", "names 'xx', which CLDR does not know (use ISO 639 codes)",
     "fr,en,hy,ru,ar"),
    ("BABELPRESS_DEFAULT_LANGUAGE", "de", "is not one of fr, en, hy, ru, ar", "fr"),
    ("BABELPRESS_TIME_ZONE", "Mars/Olympus_Mons", "is not an IANA time zone name", "Europe/Paris"),
    ("BABELPRESS_LOG_LEVEL", "LOUD", "is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL", "INFO"),
    ("BABELPRESS_CACHE_URL", "memcached://127.0.0.1", "is not a Redis URL (leave it empty for files in the data "
     "folder)", "redis://127.0.0.1:6379/0"),
    ("BABELPRESS_SITE_URL", "news.example.org", "is not an http(s) address", "https://news.example.org"),
    ("BABELPRESS_MODEL_INDEX_URL", "file:///srv/index.json", "is not an http(s) address",
     "https://mirror.example.org/argospm/index.json"),
])
def test_a_bad_value_is_refused_naming_the_variable_and_a_value_that_works(monkeypatch, name, value, problem, example):
    assert refusal(monkeypatch, **{name: value}) == f"{name}={value!r} {problem}; for example {name}={example}"


def test_values_are_read_the_same_way_everywhere(monkeypatch):
    base = base_settings(
        monkeypatch, BABELPRESS_DEBUG=" Yes ", BABELPRESS_PAGE_SIZE=" 20 ", BABELPRESS_ALLOWED_HOSTS="a.example, b.example,",
        BABELPRESS_TRANSLATION_MONTHLY_CAPS="deepl=500000, openai=2000000", BABELPRESS_LOG_LEVEL="warning",
        BABELPRESS_SITE_NAME="", BABELPRESS_TRANSLATION_LEASE_SECONDS="90.5",
    )
    assert base["DEBUG"] is True and base["BABELPRESS_PAGE_SIZE"] == 20
    assert base["ALLOWED_HOSTS"] == ["a.example", "b.example"]
    assert base["BABELPRESS_TRANSLATION_MONTHLY_CAPS"] == {"deepl": 500000, "openai": 2000000}
    assert base["LOGGING"]["root"]["level"] == "WARNING"
    assert base["SITE_NAME"] == "Babelpress"  # empty is the same as unset
    assert base["BABELPRESS_TRANSLATION_LEASE_SECONDS"] == 90.5


def test_a_value_starting_with_a_dollar_is_taken_as_written(monkeypatch):
    # django-environ's own lookup would read "$ecret…" as a reference to a variable named "ecret…".
    base = base_settings(monkeypatch, BABELPRESS_SECRET_KEY="$ecret-" + "x" * 50, BABELPRESS_DEEPL_API_KEY="$key",
                         BABELPRESS_TRANSLATION_ENGINE="deepl")
    assert base["SECRET_KEY"] == "$ecret-" + "x" * 50
    assert base["BABELPRESS_TRANSLATION_ENGINES"]["deepl"]["OPTIONS"]["api_key"] == "$key"


def test_the_operator_sees_one_line_for_a_bad_monthly_cap(tmp_path):
    env = run_env(tmp_path, BABELPRESS_SECRET_KEY="k" * 50, BABELPRESS_TRANSLATION_MONTHLY_CAPS="deepl=abc")
    result = babelpress("check", env=env)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr == ("Error: BABELPRESS_TRANSLATION_MONTHLY_CAPS='deepl=abc' gives 'deepl' 'abc', which is "
                             "not a whole number; for example BABELPRESS_TRANSLATION_MONTHLY_CAPS=deepl=500000,"
                             "openai=2000000\n")


# --- Engines Babelpress does not ship ----------------------------------------------------------------

ECHO = f"{__name__}.EchoEngine"  # this module, however pytest names it
CUSTOM = '{"echo": {"CLASS": "%s", "OPTIONS": {"prefix": "[fr] "}}}' % ECHO


class EchoEngine(TranslationEngine):
    """An engine of the operator's own: one class, configured from the environment."""

    def supports(self, source: str, target: str) -> bool:
        return (source, target) == ("en", "fr")

    def translate_batch(self, segments: list[str], source: str, target: str) -> list[str]:
        return [self.options["prefix"] + segment for segment in segments]


def test_an_engine_of_ones_own_comes_from_the_environment_after_the_named_ones(monkeypatch):
    engines = base_settings(monkeypatch, BABELPRESS_TRANSLATION_ENGINE="libretranslate",
                            BABELPRESS_TRANSLATION_ENGINES=CUSTOM)["BABELPRESS_TRANSLATION_ENGINES"]
    assert list(engines) == ["libretranslate", "echo"]
    assert engines["echo"] == {"CLASS": ECHO, "OPTIONS": {"prefix": "[fr] "}}


def test_naming_ones_own_engine_puts_it_in_its_place(monkeypatch):
    engines = base_settings(monkeypatch, BABELPRESS_TRANSLATION_ENGINE="echo,local",
                            BABELPRESS_TRANSLATION_ENGINES=CUSTOM)["BABELPRESS_TRANSLATION_ENGINES"]
    assert list(engines) == ["echo", "local"]


def test_a_built_in_engine_gets_extra_options_or_a_class_of_ones_own(monkeypatch):
    engines = base_settings(
        monkeypatch, BABELPRESS_TRANSLATION_ENGINE="deepl,libretranslate", BABELPRESS_DEEPL_API_KEY="key:fx",
        BABELPRESS_TRANSLATION_ENGINES='{"deepl": {"OPTIONS": {"formality": "less"}}, '
                                       '"libretranslate": {"CLASS": "%s"}}' % ECHO,
    )["BABELPRESS_TRANSLATION_ENGINES"]
    assert engines["deepl"] == {"CLASS": "babelpress.translation.engines.deepl.DeepLEngine",
                                "OPTIONS": {"api_key": "key:fx", "formality": "less"}}
    assert engines["libretranslate"] == {"CLASS": ECHO, "OPTIONS": {}}


def test_the_engine_from_the_environment_translates(monkeypatch, settings):
    settings.BABELPRESS_TRANSLATION_ENGINES = base_settings(
        monkeypatch, BABELPRESS_TRANSLATION_ENGINES=CUSTOM)["BABELPRESS_TRANSLATION_ENGINES"]
    registry.clear_cache()
    try:
        engine = registry.engine_for("en", "fr")
        assert engine.name == "echo" and engine.translate_batch(["Hello"], "en", "fr") == ["[fr] Hello"]
    finally:
        registry.clear_cache()


@pytest.mark.parametrize(("value", "problem"), [
    ('{"echo": {"CLASS": "x.Y", "OPTIONS": {"api_key": "s3cret"}', "is not valid JSON (Expecting ',' delimiter at "
     "line 1, column 59)"),
    ('["x.Y"]', "is a JSON list, not an object ({...})"),
    ('{"echo": "x.Y"}', "entry 'echo' is not an object with \"CLASS\" and \"OPTIONS\""),
    ('{"echo": {"OPTIONS": {}}}', "entry 'echo' needs a \"CLASS\" (only built-in engines, local, libretranslate, "
     "deepl, openai, may give OPTIONS alone)"),
    ('{"echo": {"CLASS": "EchoEngine"}}', "entry 'echo': \"CLASS\" must be a dotted path such as "
     "\"mypackage.engines.MyEngine\""),
    ('{"echo": {"CLASS": "x.Y", "OPTIONS": [1]}}', "entry 'echo': \"OPTIONS\" must be an object of keyword arguments"),
    ('{"echo": {"CLASS": "x.Y", "options": {}}}', "entry 'echo' has 'options': only \"CLASS\" and \"OPTIONS\" are read"),
    ('{"my engine": {"CLASS": "x.Y"}}', "has an entry 'my engine': an engine name has no spaces or commas"),
])
def test_a_malformed_engine_definition_is_refused_without_echoing_its_secrets(monkeypatch, value, problem):
    message = refusal(monkeypatch, BABELPRESS_TRANSLATION_ENGINES=value)
    example = '{"myengine": {"CLASS": "mypackage.engines.MyEngine", "OPTIONS": {"url": "http://127.0.0.1:9000"}}}'
    assert message == f"BABELPRESS_TRANSLATION_ENGINES {problem}; for example BABELPRESS_TRANSLATION_ENGINES={example}"
    assert "s3cret" not in message
