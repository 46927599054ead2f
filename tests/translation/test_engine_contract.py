"""One contract for every translation engine (docs/engines.md), and the checks that hold engines to it.

The checks in babelpress.translation.engines.testing are first shown to catch each way an engine
can break the contract, then run against every engine Babelpress ships: the HTTP engines against
their fakes on 127.0.0.1 (tests/translation/fake_servers.py), the local engine on tiny models.
A service's request-size limit (``max_segment_chars``) is honoured by the pipeline end to end.
"""

from __future__ import annotations

import html
import inspect
import socket

import pytest

from babelpress.newsroom.models import Article
from babelpress.translation import pipeline, placeholders, review
from babelpress.translation.argos_packages import install_package
from babelpress.translation.engines import http
from babelpress.translation.engines.base import EngineError, TranslationEngine
from babelpress.translation.engines.deepl import DeepLEngine
from babelpress.translation.engines.libretranslate import LibreTranslateEngine
from babelpress.translation.engines.local import LocalEngine
from babelpress.translation.engines.openai_compat import OpenAICompatibleEngine
from babelpress.translation.engines.testing import (
    ContractBroken,
    check_attributes,
    check_engine_contract,
    check_failure,
    check_supports,
    check_translate_batch,
)
from babelpress.translation.models import Segment

from .fake_engines import PhrasebookEngine, shout
from .fake_servers import FakeChatCompletions, FakeDeepL, FakeLibreTranslate, serve

FAST = {"retries": 1, "backoff": 0.01, "timeout": 0.5}
PAIR = ("fr", "en")


@pytest.fixture(autouse=True)
def _no_waits_no_proxies(monkeypatch):
    monkeypatch.setattr(http, "sleep", lambda seconds: None)
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


# --- The checks catch every way of breaking the contract -------------------------------------


def good() -> PhrasebookEngine:
    return PhrasebookEngine(pairs=["fr-en"])


class LosesATag(PhrasebookEngine):
    def translate_batch(self, segments, source, target):
        return [placeholders.TAG.sub("", out, count=1) for out in super().translate_batch(segments, source, target)]


class OneShort(PhrasebookEngine):
    def translate_batch(self, segments, source, target):
        return super().translate_batch(segments, source, target)[:-1]


class WrongOrder(PhrasebookEngine):
    def translate_batch(self, segments, source, target):
        return super().translate_batch(segments, source, target)[::-1]


class Unescaped(PhrasebookEngine):
    def translate_batch(self, segments, source, target):
        return [html.unescape(out) for out in super().translate_batch(segments, source, target)]


class EatsItsInput(PhrasebookEngine):
    def translate_batch(self, segments, source, target):
        out = super().translate_batch(segments, source, target)
        segments.clear()
        return out


class SaysYes(PhrasebookEngine):
    def supports(self, source, target):
        return "yes"


class IntoItself(PhrasebookEngine):
    def supports(self, source, target):
        return True


class TranslatesAnything(PhrasebookEngine):
    def translate_batch(self, segments, source, target):
        return [shout(s) for s in segments]


class RetriesTheUnsupported(PhrasebookEngine):
    def translate_batch(self, segments, source, target):
        if not self.supports(source, target):
            raise EngineError(self.name, "no such pair", retryable=True)
        return super().translate_batch(segments, source, target)


class CrashesWhenDown(PhrasebookEngine):
    def translate_batch(self, segments, source, target):
        raise ConnectionRefusedError(111, "Connection refused")


class GivesUpWhenDown(PhrasebookEngine):
    def translate_batch(self, segments, source, target):
        raise EngineError(self.name, "connection refused")


class BlamesSomeoneElse(PhrasebookEngine):
    def translate_batch(self, segments, source, target):
        raise EngineError("translation", "connection refused", retryable=True)


class CalledHuman(PhrasebookEngine):
    name = "human"


class PaidMaybe(PhrasebookEngine):
    def __init__(self, name=None, **options):
        super().__init__(name, **options)
        self.paid = "yes"  # from an environment variable, unparsed


BROKEN = [
    (LosesATag, check_translate_batch, "every placeholder comes back exactly once"),
    (OneShort, check_translate_batch, "one output per input segment"),
    (WrongOrder, check_translate_batch, "every placeholder comes back exactly once"),
    (Unescaped, check_translate_batch, "output text is escaped once"),
    (EatsItsInput, check_translate_batch, "leaves its input list unchanged"),
    (SaysYes, check_supports, "supports\\(\\) returns True or False"),
    (IntoItself, check_supports, "supports\\('fr', 'fr'\\) is False"),
    (TranslatesAnything, check_supports, "refuses a pair supports\\(\\) says False to"),
    (RetriesTheUnsupported, check_supports, "non-retryable EngineError"),
    (CrashesWhenDown, check_failure, "failures are raised as EngineError"),
    (GivesUpWhenDown, check_failure, "this failure is retryable"),
    (BlamesSomeoneElse, check_failure, "the error names the engine"),
    (CalledHuman, check_attributes, "name is not 'human'"),
    (PaidMaybe, check_attributes, "paid is True or False"),
]


@pytest.mark.parametrize("broken, check, rule", BROKEN, ids=[b[0].__name__ for b in BROKEN])
def test_the_checks_name_the_rule_an_engine_breaks(broken, check, rule):
    engine = broken(pairs=["fr-en"])
    run = {
        check_supports: lambda: check_supports(engine, PAIR, ("en", "fr")),
        check_failure: lambda: check_failure(engine, PAIR, retryable=True),
        check_translate_batch: lambda: check_translate_batch(engine, PAIR),
        check_attributes: lambda: check_attributes(engine),
    }[check]
    with pytest.raises(ContractBroken, match=rule):
        run()


def test_an_engine_that_keeps_the_contract_passes_every_check():
    check_engine_contract(good(), PAIR, unsupported=("en", "fr"))
    down = good()
    down.fail_with = EngineError(down.name, "connection refused", retryable=True)
    assert check_failure(down, PAIR, retryable=True) is down.fail_with


# --- Every shipped engine keeps it -----------------------------------------------------------


def test_the_local_engine_keeps_the_contract(tiny_models_dir, tiny_packages, tmp_path):
    engine = LocalEngine(models_dir=str(tiny_models_dir), max_decoding_length=16)
    check_engine_contract(engine, PAIR, unsupported=("hy", "fr"))
    check_engine_contract(engine, ("fr", "hy"))  # through English: two models, one batch
    damaged = install_package(tiny_packages[("fr", "en")], tmp_path / "models")
    (damaged.model_dir / "model.bin").write_bytes(b"garbage")
    error = check_failure(LocalEngine(models_dir=str(tmp_path / "models")), PAIR, retryable=False)
    assert "install-model" in str(error)


def test_libretranslate_keeps_the_contract():
    with serve(FakeLibreTranslate(api_key="k")) as service:
        check_engine_contract(
            LibreTranslateEngine(url=service.url, api_key="k", **FAST), PAIR, unsupported=("ar", "fr"),
            unreachable=LibreTranslateEngine(url=closed_port_url(), api_key="k", **FAST),
        )
        check_failure(LibreTranslateEngine(url=service.url, api_key="wrong", **FAST), PAIR, retryable=False)


def test_deepl_keeps_the_contract():
    with serve(FakeDeepL(auth_key="k:fx")) as service:
        check_engine_contract(
            DeepLEngine(url=service.url, api_key="k:fx", **FAST), PAIR, unsupported=("fr", "hy"),
            unreachable=DeepLEngine(url=closed_port_url(), api_key="k:fx", **FAST),
        )
        check_failure(DeepLEngine(url=service.url, api_key="wrong:fx", **FAST), PAIR, retryable=False)


def test_an_openai_compatible_server_keeps_the_contract():
    with serve(FakeChatCompletions(model="m", api_key="k")) as service:
        url = service.url + "/v1"
        check_engine_contract(
            OpenAICompatibleEngine(url=url, model="m", api_key="k", **FAST), PAIR, unsupported=("fr", "xx"),
            unreachable=OpenAICompatibleEngine(url=closed_port_url() + "/v1", model="m", **FAST),
        )
        check_failure(OpenAICompatibleEngine(url=url, model="m", api_key="wrong", **FAST), PAIR, retryable=False)


def test_the_workflow_specifications_engine_keeps_the_contract():
    check_engine_contract(PhrasebookEngine(), PAIR, unsupported=("hy", "fr"))


def test_every_shipped_engine_has_one_supports_and_one_translate_batch():
    for cls in (LocalEngine, LibreTranslateEngine, DeepLEngine, OpenAICompatibleEngine):
        assert not hasattr(cls, "check_supports"), cls
        assert cls.supports is not TranslationEngine.supports, cls
        # Engines that take the glossary as instructions also take it, and only them.
        glossary = ["glossary"] if cls.glossary_mode == "instructions" else []
        assert list(inspect.signature(cls.translate_batch).parameters) == ["self", "segments", "source", "target",
                                                                           *glossary]
        assert list(inspect.signature(cls.supports).parameters) == ["self", "source", "target"]


# --- max_segment_chars: a service's size limit, honoured by the pipeline ----------------------

LONG_PARAGRAPH = (
    "Le conseil a voté ce soir. Le pont de Valmont rouvrira lundi matin. "
    "Les travaux ont duré deux ans. Les habitants attendaient cette nouvelle."
)


def test_a_paragraph_longer_than_the_services_limit_is_sent_in_sentences(use_engines, make_story):
    limit = 80
    assert len(LONG_PARAGRAPH) > limit
    with serve(FakeLibreTranslate(char_limit=limit)) as service:
        engine = use_engines({"libretranslate": (LibreTranslateEngine, {
            "url": service.url, "max_chars_per_request": limit, **FAST,
        })})["libretranslate"]
        assert engine.max_segment_chars == limit
        story = make_story([LONG_PARAGRAPH], language="fr", headline="Le pont rouvre")
        pipeline.translate_article(story, "en")
        sent = [text for call in service.calls("/translate") for text in call.json["q"]]
    assert all(len(text) <= limit for text in sent) and len(sent) == 3
    translated = Article.objects.get(translation_key=story.translation_key, language="en")
    assert translated.body == f"<p>{LONG_PARAGRAPH.upper()}</p>"  # cut between sentences, joined again
    # The review screen finds the draft's segments again: a reviewer's edit is kept, not refused.
    state = translated.translation_state
    first = Segment.objects.filter(translation=state).order_by("position").first()
    review.save_review(state, {first.position: "The council voted tonight."}, None, approve=False)
    first.refresh_from_db()
    assert first.target_text == "The council voted tonight." and first.human_edited


def test_without_the_limit_the_same_paragraph_is_refused_by_the_service(use_engines, make_story):
    with serve(FakeLibreTranslate(char_limit=80)) as service:
        use_engines({"libretranslate": (LibreTranslateEngine, {"url": service.url, **FAST})})
        story = make_story([LONG_PARAGRAPH], language="fr", headline="Le pont rouvre")
        with pytest.raises(EngineError, match="exceeds text limit") as caught:
            pipeline.translate_article(story, "en")
    assert caught.value.retryable is False
