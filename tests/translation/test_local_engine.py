"""The local engine and Argos package management, run against tiny real CTranslate2 models.

The models have random weights, so translations are gibberish: the tests check structure
(one output per segment, placeholders, escaping, whitespace, sentence splitting, pivoting,
model caching), never wording.
"""

from __future__ import annotations

import dataclasses
import json
import stat
import threading
import xml.etree.ElementTree as ET
import zipfile
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import ctranslate2
import pytest
import sentencepiece

from babelpress.translation import argos_packages
from babelpress.translation.argos_packages import ModelPackageError, install_package, list_installed, remove
from babelpress.translation.engines import local, local_models
from babelpress.translation.engines.base import EngineError, UnsupportedLanguagePair, placeholders_in
from babelpress.translation.engines.local import LocalEngine
from babelpress.translation.testing import build_tiny_argos_package, rezip


# --- helpers ----------------------------------------------------------------------------------


@pytest.fixture
def engine(tiny_models_dir):
    # A short decoding limit keeps a random model from looping for 256 steps.
    return LocalEngine(models_dir=str(tiny_models_dir), max_decoding_length=32)


class SpyTranslator:
    """Wraps a real ctranslate2.Translator, recording each translate_batch call."""

    def __init__(self, real, calls, pair):
        self.real, self.calls, self.pair = real, calls, pair

    def translate_batch(self, batch, **kwargs):
        results = self.real.translate_batch(batch, **kwargs)
        self.calls.append({
            "pair": self.pair,
            "batch": [list(tokens) for tokens in batch],
            "kwargs": kwargs,
            "outputs": [r.hypotheses[0] for r in results],
        })
        return results


@pytest.fixture
def model_calls(monkeypatch):
    """Every model call made by LocalEngine: [{"pair": "en-fr", "batch": [[pieces]...], "kwargs": {...}}]."""
    calls = []
    real_get_model = local.get_model

    def spying_get_model(model, **kwargs):
        loaded = real_get_model(model, **kwargs)
        # A copy, so the shared cache keeps the real translator.
        return dataclasses.replace(loaded, translator=SpyTranslator(loaded.translator, calls, loaded.installed.pair))

    monkeypatch.setattr(local, "get_model", spying_get_model)
    return calls


@pytest.fixture
def count_loads(monkeypatch):
    """Clears the model cache and counts ctranslate2.Translator constructions."""
    local_models.clear_model_cache()
    loads = []
    real = ctranslate2.Translator

    def counting(model_path, *args, **kwargs):
        loads.append(model_path)
        return real(model_path, *args, **kwargs)

    monkeypatch.setattr(ctranslate2, "Translator", counting)
    yield loads
    local_models.clear_model_cache()


def model_inputs(engine, call) -> list[str]:
    """The plain text a model call received, decoded with that package's own tokenizer."""
    source, target = call["pair"].split("-")
    sp = sentencepiece.SentencePieceProcessor(model_file=str(engine.hops(source, target)[0].sentencepiece_path))
    return [sp.decode(tokens) for tokens in call["batch"]]


def well_formed(fragment: str) -> bool:
    ET.fromstring(f"<r>{fragment}</r>")  # raises on a bare & or <, or misnested tags
    return True


def leftovers(models_dir):
    return sorted(p.name for p in models_dir.iterdir() if p.name.startswith((".tmp", ".old")))


# --- package management -----------------------------------------------------------------------


def test_install_and_list(tiny_packages, tmp_path):
    models_dir = tmp_path / "models"
    installed = install_package(tiny_packages[("en", "fr")], models_dir)

    assert (installed.from_code, installed.to_code, installed.version) == ("en", "fr", "1.0")
    assert installed.path == models_dir / "en-fr"
    assert (installed.path / "model" / "model.bin").is_file()
    assert (installed.path / "sentencepiece.model").is_file()
    assert installed.size > 10_000
    assert list_installed(models_dir) == [installed]
    assert argos_packages.get_installed("en", "fr", models_dir) == installed
    assert argos_packages.get_installed("fr", "en", models_dir) is None
    assert leftovers(models_dir) == []


def test_list_installed_empty_and_missing_dir(tmp_path):
    assert list_installed(tmp_path / "nowhere") == []
    assert list_installed(tmp_path) == []


def test_install_replaces_older_version_atomically(tmp_path):
    models_dir = tmp_path / "models"
    v1 = build_tiny_argos_package(tmp_path / "v1", "en", "fr", version="1.0")
    v2 = build_tiny_argos_package(tmp_path / "v2", "en", "fr", version="1.10")
    install_package(v1, models_dir)
    installed = install_package(v2, models_dir)

    assert installed.version == "1.10"
    assert [m.version for m in list_installed(models_dir)] == ["1.10"]
    assert sorted(p.name for p in models_dir.iterdir() if not p.name.startswith(".")) == ["en-fr"]
    assert leftovers(models_dir) == []


def test_install_refuses_downgrade_unless_asked(tmp_path):
    models_dir = tmp_path / "models"
    install_package(build_tiny_argos_package(tmp_path / "new", "en", "fr", version="1.9"), models_dir)
    older = build_tiny_argos_package(tmp_path / "old", "en", "fr", version="1.2")

    with pytest.raises(ModelPackageError, match="newer.*allow-downgrade"):
        install_package(older, models_dir)
    assert list_installed(models_dir)[0].version == "1.9"

    assert install_package(older, models_dir, allow_downgrade=True).version == "1.2"


def test_failed_replacement_keeps_the_installed_version(tmp_path, tiny_packages):
    models_dir = tmp_path / "models"
    install_package(tiny_packages[("en", "fr")], models_dir)
    good = build_tiny_argos_package(tmp_path / "v2", "en", "fr", version="2.0")
    top = zipfile.ZipFile(good).namelist()[0].split("/")[0]
    damaged = rezip(good, tmp_path / "damaged.argosmodel", drop={f"{top}/model/model.bin"},
                    add={f"{top}/model/model.bin": b"not a model"})

    with pytest.raises(ModelPackageError, match="cannot be loaded.*damaged"):
        install_package(damaged, models_dir)
    assert [m.version for m in list_installed(models_dir)] == ["1.0"]
    assert leftovers(models_dir) == []
    # ...and the old version still translates.
    out = LocalEngine(models_dir=str(models_dir), max_decoding_length=16).translate_batch(["Hello world"], "en", "fr")
    assert len(out) == 1


def test_remove(tiny_packages, tmp_path):
    models_dir = tmp_path / "models"
    install_package(tiny_packages[("en", "fr")], models_dir)
    install_package(tiny_packages[("fr", "en")], models_dir)

    removed = remove("en", "fr", models_dir)

    assert removed.pair == "en-fr"
    assert [m.pair for m in list_installed(models_dir)] == ["fr-en"]
    assert not (models_dir / "en-fr").exists()
    with pytest.raises(ModelPackageError, match="no model installed for en→fr.*list-models"):
        remove("en", "fr", models_dir)


def _top(archive):
    return zipfile.ZipFile(archive).namelist()[0].split("/")[0]


def _not_a_zip(src, dest):
    dest.write_text("<html>Rate limited</html>")
    return dest


def _missing(name):
    def make(src, dest):
        return rezip(src, dest, drop={f"{_top(src)}/{name}"})
    return make


def _zip_slip(evil_name):
    def make(src, dest):
        return rezip(src, dest, add={evil_name.format(top=_top(src)): b"pwned"})
    return make


def _flat_layout(src, dest):
    # The package's contents zipped without their folder.
    top = _top(src)
    return rezip(src, dest, rename=lambda name: name[len(top) + 1:] or "unused/")


def _two_tops(src, dest):
    return rezip(src, dest, add={"another-package/metadata.json": b"{}"})


def _symlink(src, dest):
    rezip(src, dest)
    info = zipfile.ZipInfo(f"{_top(src)}/model/link")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(dest, "a") as zf:
        zf.writestr(info, "/etc/passwd")
    return dest


def _metadata(data):
    def make(src, dest):
        top = _top(src)
        raw = data if isinstance(data, bytes) else json.dumps(data).encode()
        return rezip(src, dest, drop={f"{top}/metadata.json"}, add={f"{top}/metadata.json": raw})
    return make


def _bpe(src, dest):
    top = _top(src)
    return rezip(src, dest, drop={f"{top}/sentencepiece.model"}, add={f"{top}/bpe.model": b"#version: 0.2\n"})


@pytest.mark.parametrize(
    "make, message",
    [
        (_not_a_zip, "not a zip archive"),
        (_missing("metadata.json"), "missing metadata.json"),
        (_missing("sentencepiece.model"), "missing sentencepiece.model"),
        (_missing("model/model.bin"), "missing model/model.bin"),
        (_missing("model/shared_vocabulary.json"), "missing model/shared_vocabulary"),
        (_zip_slip("{top}/../../evil.txt"), "zip-slip"),
        (_zip_slip("/tmp/evil.txt"), "zip-slip"),
        (_flat_layout, "wrong layout.*zip its folder"),
        (_two_tops, "wrong layout.*one top folder"),
        (_symlink, "symbolic link"),
        (_metadata(b"{not json"), "metadata.json is not valid JSON"),
        (_metadata(["en", "fr"]), "must be a JSON object"),
        (_metadata({"from_code": "en", "package_version": "1.0"}), "bad metadata.json: to_code is None"),
        (_metadata({"from_code": "English", "to_code": "fr"}), "from_code is 'English'"),
        (_metadata({"from_code": "fr", "to_code": "fr"}), "the same"),
        (_metadata({"from_codes": ["en", "de"], "to_code": "fr"}), "Multilingual packages are not supported"),
        (_metadata({"type": "sbd", "from_code": "en", "to_code": "fr"}), "not a translation model"),
        (_bpe, "BPE tokenizer"),
    ],
    ids=lambda v: v.__name__ if callable(v) else None,
)
def test_install_refuses_bad_packages(tiny_packages, tmp_path, make, message):
    models_dir = tmp_path / "models"
    bad = make(tiny_packages[("en", "fr")], tmp_path / "bad.argosmodel")

    with pytest.raises(ModelPackageError, match=message):
        install_package(bad, models_dir)

    assert list_installed(models_dir) == []
    if models_dir.exists():
        assert leftovers(models_dir) == []
    assert not (tmp_path / "evil.txt").exists()


def test_install_missing_file(tmp_path):
    with pytest.raises(ModelPackageError, match="no such file"):
        install_package(tmp_path / "nope.argosmodel", tmp_path / "models")


def test_list_installed_skips_broken_folders(tiny_packages, tmp_path, caplog):
    models_dir = tmp_path / "models"
    install_package(tiny_packages[("en", "fr")], models_dir)
    (models_dir / "de-fr").mkdir()  # no metadata.json
    (models_dir / "fr-de").mkdir()
    (models_dir / "fr-de" / "metadata.json").write_text("{broken")

    assert [m.pair for m in list_installed(models_dir)] == ["en-fr"]
    assert "not a valid installed model" in caplog.text


def test_models_dir_comes_from_settings(settings, tiny_models_dir):
    settings.BABELPRESS_MODELS_DIR = tiny_models_dir
    assert argos_packages.default_models_dir() == tiny_models_dir
    assert [m.pair for m in list_installed()] == ["en-fr", "en-hy", "fr-en"]
    assert LocalEngine().supports("en", "fr")


# --- supports() -------------------------------------------------------------------------------


def test_supports_direct_and_pivot(engine):
    assert engine.supports("en", "fr")
    assert engine.supports("fr", "en")
    assert engine.supports("en", "hy")
    assert engine.supports("fr", "hy")  # fr→en→hy
    assert engine.supports("FR", "hy")
    assert engine.supports("en", "fr-CA")  # a regional variant uses the language's package
    assert not engine.supports("hy", "fr")  # no hy→en
    assert not engine.supports("en", "de")
    assert not engine.supports("en", "en")
    assert engine.hops("fr", "hy")[0].pair == "fr-en"
    assert engine.hops("fr", "hy")[1].pair == "en-hy"


def test_route_names_each_step_and_its_model(engine):
    steps = engine.route("fr", "hy")
    assert [(s.source, s.target, s.model, s.family) for s in steps] == [
        ("fr", "en", "fr-en", "argos"), ("en", "hy", "en-hy", "argos"),
    ]
    assert engine.route("hy", "fr") is None


def test_supports_nothing_without_models(tmp_path):
    engine = LocalEngine(models_dir=str(tmp_path / "empty"))
    assert not engine.supports("en", "fr")
    assert "no models installed" in engine.describe()


def test_describe_lists_pairs(engine):
    assert engine.describe() == "local (argos en→fr, en→hy, fr→en)"


# --- translate_batch --------------------------------------------------------------------------


def test_translate_batch_one_string_per_segment(engine, model_calls):
    segments = ["The minister said the vote is today.", "Water prices rise", "Police", "The court"]
    out = engine.translate_batch(segments, "en", "fr")

    assert len(out) == len(segments)
    assert all(isinstance(text, str) and text for text in out)
    assert out != segments  # it went through the model
    assert len(model_calls) == 1 and model_calls[0]["pair"] == "en-fr"
    assert len(model_calls[0]["batch"]) == 4
    kwargs = model_calls[0]["kwargs"]
    assert (kwargs["beam_size"], kwargs["max_batch_size"], kwargs["max_decoding_length"]) == (2, 16, 32)


def test_translation_is_real_sentencepiece_tokens(engine, model_calls):
    engine.translate_batch(["The news today"], "en", "fr")
    pieces = model_calls[0]["batch"][0]
    assert pieces[0].startswith("▁") and len(pieces) > 1
    assert model_inputs(engine, model_calls[0]) == ["The news today"]


@pytest.mark.parametrize(
    "segment",
    [
        "Read <g1>the full report</g1> on <x2/> today.",
        "<g1>Council</g1> votes <g2>on the <g3>new</g3> school</g2><x4/>",
        "<x1/> said the minister <x2/><x3/>",
        "<g1><x2/></g1> people",
        "<g1></g1>",
    ],
)
def test_placeholders_survive_in_order_and_nested(engine, segment):
    (out,) = engine.translate_batch([segment], "en", "fr")
    assert placeholders_in(out) == placeholders_in(segment)
    assert well_formed(out)


def test_placeholders_survive_pivot(engine):
    segment = "Read <g1>the report</g1> of the <x2/> council."
    (out,) = engine.translate_batch([segment], "fr", "hy")
    assert placeholders_in(out) == placeholders_in(segment)
    assert well_formed(out)


def test_entities_are_unescaped_for_the_model_and_escaped_after(engine, model_calls):
    segment = "AT&amp;T said &lt;no&gt; to the &quot;deal&quot; &amp; the vote"
    (out,) = engine.translate_batch([segment, "Fish &amp; chips"], "en", "fr")[:1]

    seen = model_inputs(engine, model_calls[0])
    assert seen[0] == 'AT&T said <no> to the "deal" & the vote'
    assert seen[1] == "Fish & chips"
    assert well_formed(out)


def test_model_output_is_escaped(engine, monkeypatch):
    # The model's own output may contain & < >: swap in a translator that echoes its input so
    # the output certainly does.
    real_get_model = local.get_model

    class Echo:
        def translate_batch(self, batch, **kwargs):
            return [SimpleNamespace(hypotheses=[list(tokens)]) for tokens in batch]

    monkeypatch.setattr(
        local, "get_model", lambda m, **kw: dataclasses.replace(real_get_model(m, **kw), translator=Echo())
    )
    segments = ["AT&amp;T <g1>says &lt;hi&gt;</g1> &amp; more", "1 &lt; 2 &amp;&amp; 3 &gt; 2"]
    assert engine.translate_batch(segments, "en", "fr") == segments


def test_untranslatable_runs_and_empty_segments_pass_through(engine, model_calls):
    segments = ["", "   ", "\n\t", "12 345", "— 3.5% !", "&amp; &lt;&gt;", "<x1/>", "<g1> </g1> <x2/>"]
    assert engine.translate_batch(segments, "en", "fr") == segments
    assert model_calls == []  # nothing worth sending to the model


def test_empty_batch(engine, model_calls):
    assert engine.translate_batch([], "en", "fr") == []
    assert model_calls == []


def test_whitespace_around_runs_is_kept(engine, model_calls):
    segment = "  The vote <g1> of the council </g1>\n<x2/>  today  "
    (out,) = engine.translate_batch([segment], "en", "fr")
    assert out.startswith("  ") and not out.startswith("   ")
    assert "<g1> " in out and " </g1>\n<x2/>  " in out
    assert out.endswith("  ") and not out.endswith("   ")
    assert model_inputs(engine, model_calls[0]) == [
        "The vote", "of the council", "today",
    ]


def test_long_paragraph_is_split_into_sentences(engine, model_calls):
    paragraph = (
        "The minister said the vote is today. Police closed the river road at 5 p.m. on Monday! "
        "Will water prices rise next year? Mr. Smith of the council did not say.  The school "
        "strike ended."
    )
    out = engine.translate_batch([paragraph, "Short one."], "en", "fr")

    assert len(out) == 2
    sentences = model_inputs(engine, model_calls[0])
    assert sentences == [
        "The minister said the vote is today.",
        "Police closed the river road at 5 p.m. on Monday!",
        "Will water prices rise next year?",
        "Mr. Smith of the council did not say.",
        "The school strike ended.",
        "Short one.",
    ]
    assert len(model_calls) == 1  # all sentences of all segments in one batched call


def test_sentence_splitting_falls_back_to_english_rules(tiny_models_dir, tmp_path, model_calls):
    # pysbd has no Welsh rules: the English ones apply instead of failing.
    models_dir = tmp_path / "models"
    install_package(build_tiny_argos_package(tmp_path, "cy", "en"), models_dir)
    engine = LocalEngine(models_dir=str(models_dir), max_decoding_length=16)
    text = "Mae'r cyngor wedi pleidleisio heddiw. Dywedodd y gweinidog fod prisiau dŵr yn codi."
    (out,) = engine.translate_batch([text], "cy", "en")
    assert len(model_calls[0]["batch"]) == 2
    assert out


def test_repeated_sentences_are_translated_once(engine, model_calls):
    out = engine.translate_batch(["By the council", "Water", "By the council"], "en", "fr")
    assert out[0] == out[2]
    assert len(model_calls[0]["batch"]) == 2


def test_very_long_sentence_is_chunked(engine, model_calls):
    run_on = " ".join(["the council said people"] * 120)  # no punctuation, ~500 tokens
    (out,) = engine.translate_batch([run_on], "en", "fr")
    lengths = [len(tokens) for tokens in model_calls[0]["batch"]]
    assert len(lengths) > 1 and max(lengths) <= 2 * local._MAX_INPUT_TOKENS
    assert out


def test_pivot_goes_through_english(engine, model_calls):
    segments = ["Le ministre a dit <g1>oui</g1>.", "La ville"]
    out = engine.translate_batch(segments, "fr", "hy")

    assert len(out) == 2
    assert all(placeholders_in(o) == placeholders_in(s) for o, s in zip(out, segments))
    assert [call["pair"] for call in model_calls] == ["fr-en", "en-hy"]
    # The second model is fed the first model's English output, re-tokenized.
    fr_en = sentencepiece.SentencePieceProcessor(model_file=str(engine.hops("fr", "en")[0].sentencepiece_path))
    en_hy = sentencepiece.SentencePieceProcessor(model_file=str(engine.hops("en", "hy")[0].sentencepiece_path))
    english = [fr_en.decode(hyp).strip() for hyp in model_calls[0]["outputs"]]
    # (Identical sentences are sent once, and empty ones not at all.)
    assert model_calls[1]["batch"] == en_hy.encode(list(dict.fromkeys(e for e in english if e)), out_type=str)


def test_missing_pair_names_the_fix(engine):
    with pytest.raises(UnsupportedLanguagePair) as info:
        engine.translate_batch(["Bonjour"], "fr", "de")
    error = info.value
    assert isinstance(error, EngineError) and not error.retryable
    assert str(error).startswith("[local]")
    assert "install-model" in str(error)
    assert "fr→en and en→de" in str(error)  # the pivot alternative
    assert "en→fr, en→hy, fr→en" in str(error)  # what is installed


def test_models_dir_defaults_to_data_dir(settings, tmp_path):
    if hasattr(settings, "BABELPRESS_MODELS_DIR"):
        del settings.BABELPRESS_MODELS_DIR
    settings.DATA_DIR = tmp_path
    assert argos_packages.default_models_dir() == tmp_path / "models"
    engine = LocalEngine()
    assert not engine.supports("en", "fr")
    with pytest.raises(UnsupportedLanguagePair, match="install-model"):
        engine.translate_batch(["Hello"], "en", "fr")


def test_bad_options_are_reported():
    with pytest.raises(EngineError, match="bad OPTIONS.*beam_size"):
        LocalEngine(beam_size="wide")
    with pytest.raises(EngineError, match="bad OPTIONS"):
        LocalEngine(max_batch_size=0)


def test_options_accept_strings_and_uppercase(tiny_models_dir):
    engine = LocalEngine(MODELS_DIR=str(tiny_models_dir), BEAM_SIZE="3", threads="1")
    assert (engine.beam_size, engine.intra_threads, engine.models_dir) == (3, 1, tiny_models_dir)


# --- model loading and caching -----------------------------------------------------------------


def test_model_is_loaded_once_per_process(tiny_models_dir, count_loads):
    first = LocalEngine(models_dir=str(tiny_models_dir), max_decoding_length=16)
    second = LocalEngine(models_dir=str(tiny_models_dir), max_decoding_length=16)
    for _ in range(3):
        first.translate_batch(["The vote"], "en", "fr")
        second.translate_batch(["The city"], "en", "fr")
    first.translate_batch(["Le vote"], "fr", "hy")  # loads fr-en and en-hy, once each

    assert sorted(path.split("/")[-2] for path in count_loads) == ["en-fr", "en-hy", "fr-en"]
    assert len(local_models.loaded_models()) == 3


def test_concurrent_first_use_loads_once(tiny_models_dir, count_loads):
    engine = LocalEngine(models_dir=str(tiny_models_dir), max_decoding_length=16)
    barrier = threading.Barrier(8)

    def work(i):
        barrier.wait()
        return engine.translate_batch([f"The council vote {i}"], "en", "fr")

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(work, range(8)))

    assert len(count_loads) == 1
    assert all(len(r) == 1 for r in results)


def test_reinstalled_package_is_reloaded(tmp_path, count_loads):
    models_dir = tmp_path / "models"
    install_package(build_tiny_argos_package(tmp_path / "v1", "en", "fr", version="1.0"), models_dir)
    engine = LocalEngine(models_dir=str(models_dir), max_decoding_length=16)
    engine.translate_batch(["The vote"], "en", "fr")
    engine.translate_batch(["The vote"], "en", "fr")
    install_package(build_tiny_argos_package(tmp_path / "v2", "en", "fr", version="1.1"), models_dir)
    engine.translate_batch(["The vote"], "en", "fr")

    # Each install verifies its package once; the engine loads each version once.
    assert len(count_loads) == 4
    assert [m.installed.version for m in local_models.loaded_models()] == ["1.1"]


def test_unsupported_compute_type_falls_back_to_default(tiny_models_dir, count_loads):
    assert "float16" not in ctranslate2.get_supported_compute_types("cpu")
    engine = LocalEngine(models_dir=str(tiny_models_dir), compute_type="float16", max_decoding_length=16)
    (out,) = engine.translate_batch(["The vote"], "en", "fr")
    assert out
    assert [m.compute_type for m in local_models.loaded_models()] == ["default"]


def test_damaged_installed_model_raises_engine_error(tiny_packages, tmp_path, count_loads):
    models_dir = tmp_path / "models"
    installed = install_package(tiny_packages[("en", "fr")], models_dir)
    (installed.model_dir / "model.bin").write_bytes(b"garbage")
    engine = LocalEngine(models_dir=str(models_dir))

    with pytest.raises(EngineError, match=r"\[local\] cannot load the model en→fr 1.0.*install-model"):
        engine.translate_batch(["The vote"], "en", "fr")
