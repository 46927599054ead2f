"""The local engine runs every model family through the same code: OPUS-MT, and multilingual
NLLB-200, M2M-100 and MADLAD-400 models that serve every pair of their languages directly.

The models are tiny and random (``babelpress.translation.testing``): the specifications watch
what reaches CTranslate2 — the pieces, each family's language tokens, the target prefix — and
which model makes each step, never the wording.
"""

from __future__ import annotations

import dataclasses

import pytest
import sentencepiece

from babelpress.translation import model_store
from babelpress.translation.engines import local
from babelpress.translation.engines.base import placeholders_in
from babelpress.translation.engines.local import LocalEngine
from babelpress.translation.model_install import install_model
from babelpress.translation.testing import build_tiny_argos_package, build_tiny_opus_mt_model


class Recorder:
    """Stands in for a loaded model's translator: records each call, then lets the real one run."""

    def __init__(self, real, calls, model):
        self.real, self.calls, self.model = real, calls, model

    def translate_batch(self, batch, **kwargs):
        results = self.real.translate_batch(batch, **kwargs)
        self.calls.append({"model": self.model, "batch": [list(b) for b in batch],
                           "prefix": kwargs.get("target_prefix"), "outputs": [r.hypotheses[0] for r in results]})
        return results


@pytest.fixture
def model_calls(monkeypatch):
    calls = []
    real_get_model = local.get_model

    def recording(model, **kwargs):
        loaded = real_get_model(model, **kwargs)
        return dataclasses.replace(loaded, translator=Recorder(loaded.translator, calls, model.name))

    monkeypatch.setattr(local, "get_model", recording)
    return calls


@pytest.fixture
def models_dir(tmp_path):
    return tmp_path / "models"


def engine_on(models_dir, **options):
    return LocalEngine(models_dir=str(models_dir), max_decoding_length=24, **options)


def pieces(model_folder, spm, text):
    return sentencepiece.SentencePieceProcessor(model_file=str(model_folder / spm)).encode(text, out_type=str)


# --- OPUS-MT -----------------------------------------------------------------------------------------------


def test_opus_mt_translates_en_to_hy_with_its_source_and_target_tokenizers(tiny_model_folders, models_dir,
                                                                          model_calls):
    installed = install_model(tiny_model_folders["opus-mt"], models_dir)
    engine = engine_on(models_dir)

    (out,) = engine.translate_batch(["The minister said the vote is today."], "en", "hy")

    (call,) = model_calls
    assert call["model"] == installed.name == "opus-mt-en-hy"
    # source.spm pieces, then the end marker Marian models expect; no language token, no prefix.
    assert call["batch"] == [pieces(installed.path, "source.spm", "The minister said the vote is today.") + ["</s>"]]
    assert call["prefix"] is None
    target_sp = sentencepiece.SentencePieceProcessor(model_file=str(installed.path / "target.spm"))
    assert out == target_sp.decode(call["outputs"][0]).strip() and out
    assert [(s.source, s.target, s.model, s.family, s.licence, s.non_commercial) for s in engine.route("en", "hy")] \
        == [("en", "hy", "opus-mt-en-hy", "opus-mt", "Apache-2.0", False)]


def test_an_opus_mt_model_whose_config_adds_the_end_marker_gets_none_from_us(tmp_path, models_dir, model_calls):
    folder = build_tiny_opus_mt_model(tmp_path, "en", "hy", add_source_eos=True)
    installed = install_model(folder, models_dir)

    engine_on(models_dir).translate_batch(["The vote"], "en", "hy")

    assert model_calls[0]["batch"] == [pieces(installed.path, "source.spm", "The vote")]


# --- Multilingual models ------------------------------------------------------------------------------------

FAMILY_TOKENS = {
    # family: (what the source starts with for fr→hy, the target prefix)
    "nllb": ("fra_Latn", [["hye_Armn"]]),
    "m2m100": ("__fr__", [["__hy__"]]),
    "madlad": ("<2hy>", None),
}


@pytest.mark.parametrize("family", FAMILY_TOKENS)
def test_a_multilingual_model_serves_fr_to_hy_directly_with_its_language_tokens(family, tiny_model_folders,
                                                                               models_dir, model_calls):
    installed = install_model(tiny_model_folders[family], models_dir)
    engine = engine_on(models_dir)
    first, prefix = FAMILY_TOKENS[family]

    out = engine.translate_batch(["Le ministre a dit <g1>oui</g1>.", "La ville"], "fr", "hy")

    assert [(s.source, s.target, s.model, s.family) for s in engine.route("fr", "hy")] == [
        ("fr", "hy", installed.name, family)]  # one step: no pivot through English
    (call,) = model_calls
    spm = installed.source_spm
    assert call["batch"][0] == [first] + pieces(installed.path, spm, "Le ministre a dit") + ["</s>"]
    assert call["prefix"] == (None if prefix is None else prefix * len(call["batch"]))
    assert all(placeholders_in(o) == placeholders_in(s) for o, s in zip(out, ["Le ministre a dit <g1>oui</g1>.",
                                                                            "La ville"]))
    tokens = {"hye_Armn", "fra_Latn", "__hy__", "__fr__", "<2hy>"}
    assert not any(token in text for text in out for token in tokens)


def test_nllb_output_is_stripped_of_the_target_language_token(tiny_model_folders, models_dir, model_calls):
    install_model(tiny_model_folders["nllb"], models_dir)

    (out,) = engine_on(models_dir).translate_batch(["Сегодня суд"], "ru", "hy")

    assert model_calls[0]["outputs"][0][0] == "hye_Armn"  # CTranslate2 returns the forced prefix …
    assert "hye_Armn" not in out  # … which never reaches the text


@pytest.mark.parametrize("family", FAMILY_TOKENS)
def test_the_same_multilingual_model_serves_hy_to_ru_too(family, tiny_model_folders, models_dir, model_calls):
    installed = install_model(tiny_model_folders[family], models_dir)
    engine = engine_on(models_dir)

    engine.translate_batch(["Քաղաքային խորհուրդ"], "hy", "ru")

    assert [s.model for s in engine.route("hy", "ru")] == [installed.name]
    source_token = {"nllb": "hye_Armn", "m2m100": "__hy__", "madlad": "<2ru>"}[family]
    assert model_calls[0]["batch"][0][0] == source_token
    assert engine.route("hy", "ar") is None  # a language the model does not know


def test_nllb_is_recorded_as_non_commercial_in_every_route_step(tiny_model_folders, models_dir):
    install_model(tiny_model_folders["nllb"], models_dir)

    (step,) = engine_on(models_dir).route("en", "fr")

    assert (step.family, step.licence, step.non_commercial) == ("nllb", "CC-BY-NC-4.0", True)


# --- Which model translates a pair ---------------------------------------------------------------------------


def test_pairs_with_only_english_models_pivot_through_english_across_families(tmp_path, tiny_model_folders,
                                                                              models_dir, model_calls):
    install_model(build_tiny_argos_package(tmp_path, "fr", "en"), models_dir)
    install_model(tiny_model_folders["opus-mt"], models_dir)
    engine = engine_on(models_dir)

    out = engine.translate_batch(["Le conseil a voté."], "fr", "hy")

    assert [(s.source, s.target, s.model, s.family) for s in engine.route("fr", "hy")] == [
        ("fr", "en", "fr-en", "argos"), ("en", "hy", "opus-mt-en-hy", "opus-mt")]
    assert [c["model"] for c in model_calls] == ["fr-en", "opus-mt-en-hy"]
    assert model_calls[1]["batch"][0][-1] == "</s>" and out[0]


def test_a_multilingual_model_is_preferred_to_a_pivot(tmp_path, tiny_model_folders, models_dir):
    for pair in (("fr", "en"), ("en", "hy")):
        install_model(build_tiny_argos_package(tmp_path, *pair), models_dir)
    install_model(tiny_model_folders["m2m100"], models_dir)
    engine = engine_on(models_dir)

    assert [s.model for s in engine.route("fr", "hy")] == ["m2m100-tiny"]
    assert [s.model for s in engine.route("en", "hy")] == ["en-hy"]  # an exact-pair model first


def test_the_default_order_bilingual_then_free_multilingual_then_non_commercial(tiny_model_folders, models_dir):
    for family in ("nllb", "m2m100", "opus-mt"):
        install_model(tiny_model_folders[family], models_dir)
    engine = engine_on(models_dir)

    assert [s.model for s in engine.route("en", "hy")] == ["opus-mt-en-hy"]
    assert [s.model for s in engine.route("fr", "hy")] == ["m2m100-tiny"]  # NLLB-200 is non-commercial


def test_the_operators_choice_wins_and_engine_options_win_over_prefer(tiny_model_folders, models_dir):
    for family in ("nllb", "m2m100", "opus-mt"):
        install_model(tiny_model_folders[family], models_dir)

    model_store.set_preference("en", "hy", "nllb-200-tiny", models_dir)
    assert [s.model for s in engine_on(models_dir).route("en", "hy")] == ["nllb-200-tiny"]
    assert [s.model for s in engine_on(models_dir).route("fr", "hy")] == ["m2m100-tiny"]  # other pairs unchanged

    options = engine_on(models_dir, models={"en-hy": "m2m100-tiny"})
    assert [s.model for s in options.route("en", "hy")] == ["m2m100-tiny"]
    from_env = engine_on(models_dir, MODELS="en-hy=opus-mt-en-hy, fr-hy=nllb-200-tiny")
    assert [s.model for s in from_env.route("fr", "hy")] == ["nllb-200-tiny"]

    model_store.set_preference("en", "hy", None, models_dir)
    assert [s.model for s in engine_on(models_dir).route("en", "hy")] == ["opus-mt-en-hy"]


def test_a_choice_of_a_model_that_is_gone_falls_back_to_the_default_order(tiny_model_folders, models_dir, caplog):
    install_model(tiny_model_folders["opus-mt"], models_dir)
    engine = engine_on(models_dir, models={"en-hy": "nllb-200-distilled-600M"})

    assert [s.model for s in engine.route("en", "hy")] == ["opus-mt-en-hy"]
    assert "nllb-200-distilled-600M is chosen for en→hy but is not installed" in caplog.text


def test_bad_models_option_says_how_to_write_it():
    from babelpress.translation.engines.base import EngineError

    with pytest.raises(EngineError, match='bad OPTIONS models: give {"en-hy": "MODEL NAME"'):
        LocalEngine(models=["nllb"])


def test_describe_lists_models_by_family(tmp_path, tiny_model_folders, models_dir):
    install_model(build_tiny_argos_package(tmp_path, "en", "fr"), models_dir)
    install_model(tiny_model_folders["opus-mt"], models_dir)
    install_model(tiny_model_folders["nllb"], models_dir)

    assert engine_on(models_dir).describe() == (
        "local (argos en→fr; nllb nllb-200-tiny (4 languages); opus-mt en→hy)")
