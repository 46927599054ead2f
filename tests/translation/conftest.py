"""Tiny real Argos packages for the local engine, built once per test session (well under a second)."""

from __future__ import annotations

import pytest

from babelpress.translation.argos_packages import install_package
from babelpress.translation.testing import (
    build_tiny_argos_package,
    build_tiny_multilingual_model,
    build_tiny_opus_mt_model,
)

TINY_PAIRS = [("en", "fr"), ("fr", "en"), ("en", "hy")]


@pytest.fixture(scope="session")
def tiny_packages(tmp_path_factory):
    """{(from, to): Path to a .argosmodel file} for en→fr, fr→en and en→hy."""
    folder = tmp_path_factory.mktemp("argos-packages")
    return {pair: build_tiny_argos_package(folder, *pair) for pair in TINY_PAIRS}


@pytest.fixture(scope="session")
def tiny_models_dir(tmp_path_factory, tiny_packages):
    """A models folder with the tiny packages installed through install_package. Treat as read-only."""
    models_dir = tmp_path_factory.mktemp("models")
    for archive in tiny_packages.values():
        install_package(archive, models_dir)
    return models_dir


@pytest.fixture(scope="session")
def tiny_model_folders(tmp_path_factory):
    """{family: CTranslate2 model folder} as converters write them: an OPUS-MT en→hy model and
    NLLB-200, M2M-100 and MADLAD-400 style models knowing en, fr, hy and ru. Treat as read-only."""
    folder = tmp_path_factory.mktemp("ct2-models")
    return {
        "opus-mt": build_tiny_opus_mt_model(folder, "en", "hy"),
        **{family: build_tiny_multilingual_model(folder, family) for family in ("nllb", "m2m100", "madlad")},
    }


# --- Engines for the workflow specifications ----------------------------------------------------


@pytest.fixture
def four_content_languages(settings):
    """The site publishing in fr, en, hy and ru (not Arabic, a content language by default): the
    language the grids, maps and lists of examples written for four languages are about."""
    settings.BABELPRESS_CONTENT_LANGUAGES = ["fr", "en", "hy", "ru"]


@pytest.fixture
def use_engines(settings):
    """Configure translation engines for one test and return them by name::

        engines = use_engines({"local": (LocalEngine, {...})}, pairs={"fr-en": ["deepl", "local"]})

    The registry's engine cache is cleared before and after, so no engine leaks between tests.
    """
    from babelpress.translation import registry

    def configure(engines: dict, pairs: dict | None = None):
        from .fake_engines import dotted

        settings.BABELPRESS_TRANSLATION_ENGINES = {
            name: {"CLASS": cls if isinstance(cls, str) else dotted(cls), "OPTIONS": dict(options)}
            for name, (cls, options) in engines.items()
        }
        settings.BABELPRESS_TRANSLATION_PAIRS = dict(pairs or {})
        registry.clear_cache()
        return registry.configured_engines()

    registry.clear_cache()
    yield configure
    registry.clear_cache()


@pytest.fixture
def local_engine(use_engines, tiny_models_dir):
    """The real local engine on the tiny en→fr, fr→en and en→hy models (decoding kept short)."""
    return use_engines({"local": ("babelpress.translation.engines.local.LocalEngine", {
        "models_dir": str(tiny_models_dir), "max_decoding_length": 32,
    })})["local"]


@pytest.fixture
def phrasebook(use_engines):
    """The deterministic PhrasebookEngine (tests/translation/fake_engines.py) as the only engine."""
    from .fake_engines import PhrasebookEngine

    return use_engines({"phrasebook": (PhrasebookEngine, {})})["phrasebook"]


@pytest.fixture
def spy():
    """spy(engine) → the list of batches its translate_batch receives from now on (the real call still runs)."""
    patched = []

    def attach(engine):
        calls: list[list[str]] = []
        real = engine.translate_batch

        def recording(segments, source, target):
            calls.append(list(segments))
            return real(segments, source, target)

        engine.translate_batch = recording
        patched.append(engine)
        return calls

    yield attach
    for engine in patched:
        engine.__dict__.pop("translate_batch", None)


# --- Stories ---------------------------------------------------------------------------------------


@pytest.fixture
def desk(db):
    """A section ("world", site policy) and an author for stories made with ``make_story``."""
    from babelpress.newsroom.models import Author, Section, SectionName

    section = Section.objects.create(key="world", position=1)
    for lang, name in {"en": "World", "fr": "Monde", "hy": "Աշխարհ", "ru": "Мир", "ar": "العالم"}.items():
        SectionName.objects.create(section=section, language=lang, name=name)
    author = Author.objects.create(name="Ada Reporter")
    return type("Desk", (), {"section": section, "author": author})


@pytest.fixture
def make_story(desk):
    """make_story(paragraphs, language="en", headline=..., published=True, **fields) → a saved original."""
    from django.utils import timezone

    from babelpress.newsroom.models import Article

    def make(paragraphs=("The river rose today.",), *, language="en", headline="Rain in the city",
             published=True, section=None, **fields):
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        return Article.objects.create(
            language=language, headline=headline, body=body, section=section or desk.section, author=desk.author,
            status=Article.Status.PUBLISHED if published else Article.Status.DRAFT,
            published_at=timezone.now() if published else None, **fields,
        )

    return make
