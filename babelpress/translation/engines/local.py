"""The ``local`` engine: models run in-process with CTranslate2 + SentencePiece — Argos
Translate packages, OPUS-MT, and the multilingual NLLB-200, M2M-100 and MADLAD-400 models.

Models are installed by the operator (``babelpress translation install-model``, see
``babelpress.translation.model_install``); nothing is downloaded here. Which model translates a
pair is ``model_choice``'s rule: the operator's choice, a model for exactly that pair, a
multilingual model that knows both languages, or two models through English (fr→en→hy).

Each segment is split on its placeholder tags; only the text runs between tags go to the model,
one sentence per model input (Argos models are trained on sentences), and the tags are put back
verbatim, so they always come back exactly once, in order and well nested.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from xml.sax.saxutils import escape as _xml_escape

from babelpress.translation import model_choice, model_store
from babelpress.translation.language_tokens import base_language
from babelpress.translation.model_choice import Hop
from babelpress.translation.models_folder import INSTALL_HINT, ModelPackageError, default_models_dir
from babelpress.translation.sentences import split_sentences
from babelpress.translation.engines.base import (
    EngineError,
    RouteStep,
    TranslationEngine,
    UnsupportedLanguagePair,
    split_on_placeholders,
)
# Called through this module's name, so a test can watch every model call (monkeypatch local.get_model).
from babelpress.translation.engines.local_models import LoadedModel, get_model

logger = logging.getLogger(__name__)

PIVOT = model_choice.PIVOT
# Runs shorter than this are nearly always one sentence: skip the (slower) sentence splitter.
_MIN_SPLIT_CHARS = 60
# A "sentence" longer than this many tokens (no punctuation, a list, a table row) is cut at word
# starts: the model was trained on sentences and truncates or drifts on very long inputs.
_MAX_INPUT_TOKENS = 200
_ENTITY = re.compile(r"&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _unescape(text: str) -> str:
    def repl(m: re.Match) -> str:
        ent = m.group(1)
        if ent[0] == "#":
            try:
                return chr(int(ent[2:], 16) if ent[1] in "xX" else int(ent[1:]))
            except (ValueError, OverflowError):
                return m.group(0)
        return _NAMED[ent]

    return _ENTITY.sub(repl, text)


def _escape(text: str) -> str:
    return _xml_escape(text)  # & < > — the escaping the segment format uses


def _needs_model(text: str) -> bool:
    # Whitespace, punctuation, digits and symbols come back unchanged; only letters need the model.
    return any(ch.isalpha() for ch in text)


# --- The engine ---------------------------------------------------------------------------------


def _option(options: dict, name: str, default):
    # OPTIONS may come from settings (lowercase or UPPERCASE keys) or the environment (strings).
    for key in (name, name.upper()):
        if key in options and options[key] not in (None, ""):
            value = options[key]
            return type(default)(value) if isinstance(default, int) and not isinstance(value, bool) else value
    return default


class LocalEngine(TranslationEngine):
    name = "local"
    paid = False

    def __init__(self, name: str | None = None, **options):
        super().__init__(name, **options)
        try:
            self.device = str(_option(options, "device", "cpu"))
            self.compute_type = str(_option(options, "compute_type", "int8"))
            self.beam_size = _option(options, "beam_size", 2)
            self.max_batch_size = _option(options, "max_batch_size", 16)
            self.max_decoding_length = _option(options, "max_decoding_length", 256)
            self.inter_threads = _option(options, "inter_threads", 1)
            # "threads" is the short spelling of the per-translation thread count.
            self.intra_threads = _option(options, "intra_threads", _option(options, "threads", 0))
            counts = (self.beam_size, self.max_batch_size, self.max_decoding_length, self.inter_threads)
            if min(counts) < 1 or self.intra_threads < 0:
                raise ValueError("out of range")
        except (TypeError, ValueError) as exc:
            raise EngineError(
                self.name,
                f"bad OPTIONS ({exc}): beam_size, max_batch_size, max_decoding_length and inter_threads must be "
                "whole numbers ≥ 1, intra_threads ≥ 0 (0 = automatic).",
            ) from None
        models_dir = _option(options, "models_dir", None)
        self._models_dir = Path(models_dir).expanduser() if models_dir else None
        self.model_choices = _model_choices(self.name, _option(options, "models", {}))

    # -- installed models

    @property
    def models_dir(self) -> Path:
        if self._models_dir is not None:
            return self._models_dir
        try:
            return default_models_dir()
        except ModelPackageError as exc:
            raise EngineError(self.name, str(exc)) from None

    def installed(self) -> list[model_store.LocalModel]:
        return model_store.list_models(self.models_dir)

    def choices(self) -> dict[str, str]:
        """Which model the operator chose for which pair: OPTIONS ``models``, then ``prefer``."""
        return model_choice.merged_choices(model_store.read_preferences(self.models_dir), self.model_choices)

    @staticmethod
    def _norm(code: str) -> str:
        # Models are per language ("pt"), Babelpress may ask for a variant ("pt-BR").
        return base_language(code)

    def hops(self, source: str, target: str) -> list[Hop] | None:
        """The model calls a translation goes through: one (direct) or two (via English), or None."""
        return model_choice.hops(self.installed(), self._norm(source), self._norm(target), self.choices())

    def supports(self, source: str, target: str) -> bool:
        # No models folder configured at all raises EngineError naming BABELPRESS_MODELS_DIR.
        return self.hops(source, target) is not None

    def route(self, source: str, target: str) -> list[RouteStep] | None:
        hops = self.hops(source, target)
        if hops is None:
            return None
        return [RouteStep(h.source, h.target, model=h.model.name, family=h.model.family, licence=h.model.licence,
                          non_commercial=h.model.non_commercial) for h in hops]

    def describe(self) -> str:
        try:
            models = self.installed()
        except (EngineError, ModelPackageError):
            models = []
        return f"{self.name} ({_reach(models) or 'no models installed'})"

    def _unsupported(self, source: str, target: str) -> UnsupportedLanguagePair:
        s, t = self._norm(source), self._norm(target)
        pivot = "" if PIVOT in (s, t) or s == t else f" (or {s}→{PIVOT} and {PIVOT}→{t} to go through English)"
        hint = (
            f"No model installed for {s}→{t}: run `{INSTALL_HINT}` with a model for {s}→{t}{pivot}: an Argos "
            f"package, an OPUS-MT model, or a multilingual NLLB-200, M2M-100 or MADLAD-400 model that knows both "
            f"languages (docs/engines.md). Installed in {self.models_dir}: {_reach(self.installed()) or 'none'}."
        )
        return UnsupportedLanguagePair(self.name, source, target, hint)

    # -- translation

    def translate_batch(self, segments: list[str], source: str, target: str) -> list[str]:
        route = self.hops(source, target)
        if route is None:
            raise self._unsupported(source, target)
        models = [
            (hop, get_model(hop.model, device=self.device, compute_type=self.compute_type,
                            inter_threads=self.inter_threads, intra_threads=self.intra_threads, engine=self.name))
            for hop in route
        ]

        # Plan: every segment becomes pieces that are kept verbatim (tags, whitespace, digits) or
        # point at a unit (one sentence of plain text) to translate.
        units: list[str] = []
        plans: list[list[str | int]] = []
        for segment in segments:
            plan: list[str | int] = []
            for kind, run in split_on_placeholders(segment):
                # Judge the unescaped text: "&amp;" alone has letters but nothing to translate.
                if kind == "tag" or not _needs_model(_unescape(run)):
                    plan.append(run)
                    continue
                core = run.strip()
                lead, trail = run[: len(run) - len(run.lstrip())], run[len(run.rstrip()):]
                if lead:
                    plan.append(lead)
                for piece in self._sentences(_unescape(core), self._norm(source)):
                    if isinstance(piece, str):
                        plan.append(_escape(piece))  # what lies between sentences, kept as is
                    else:
                        plan.append(len(units))
                        units.append(piece[0])
                if trail:
                    plan.append(trail)
            plans.append(plan)

        for hop, loaded in models:  # one model call per hop: s→t, or s→en then en→t
            units = self._run(loaded, hop, units)

        return ["".join(p if isinstance(p, str) else _escape(units[p]) for p in plan) for plan in plans]

    def _sentences(self, text: str, lang: str) -> list:
        """Split plain text into [(sentence,), " ", (sentence,), ...] keeping the whitespace between."""
        if len(text) < _MIN_SPLIT_CHARS:
            return [(text,)]
        sentences = split_sentences(text, lang)
        out: list = []
        pos = 0
        for sentence in sentences:
            sentence = sentence.strip()
            if not sentence:
                continue
            start = text.find(sentence, pos)
            if start < 0:  # pysbd changed the text: give up splitting rather than drop characters
                return [(text,)]
            if start > pos:
                out.append(text[pos:start])
            out.append((sentence,) if _needs_model(sentence) else sentence)
            pos = start + len(sentence)
        if pos < len(text):
            out.append(text[pos:])
        return out

    def _run(self, loaded: LoadedModel, hop: Hop, texts: list[str]) -> list[str]:
        """Translate plain-text sentences with one model; one output per input."""
        # Identical sentences (datelines, bylines, repeated captions) are translated once.
        index: dict[str, int] = {}
        unique: list[str] = []
        where: list[int] = []
        for text in texts:
            if text not in index:
                index[text] = len(unique)
                unique.append(text)
            where.append(index[text])
        todo = [i for i, text in enumerate(unique) if text.strip()]
        if not todo:
            return [""] * len(texts)
        try:
            tokenized = loaded.sp.encode([unique[i] for i in todo], out_type=str)
        except Exception as exc:
            raise EngineError(
                self.name,
                f"tokenizing failed with {loaded.installed} ({exc}): reinstall the model with `{INSTALL_HINT}`.",
            ) from exc
        # Very long token runs are cut into chunks; chunk outputs are joined back with a space.
        batch: list[list[str]] = []
        owners: list[int] = []
        for i, tokens in zip(todo, tokenized):
            for chunk in _chunk_tokens(tokens, _MAX_INPUT_TOKENS):
                batch.append(chunk)
                owners.append(i)
        pieces: dict[int, list[str]] = {}
        for owner, text in zip(owners, self._translate_tokens(loaded, hop, batch)):
            pieces.setdefault(owner, []).append(text)
        translated = [""] * len(unique)
        for owner, parts in pieces.items():
            translated[owner] = " ".join(p for p in parts if p)
        return [translated[w] for w in where]

    def _translate_tokens(self, loaded: LoadedModel, hop: Hop, batch: list[list[str]]) -> list[str]:
        """The model's decoded output for each tokenized input: the family adds its language tokens
        around the pieces (and asks for the target language) and says what to strip after."""
        family = hop.model.kind
        prefix = family.target_prefix(hop.source, hop.target, metadata_prefix=hop.model.target_prefix)
        kwargs = {"target_prefix": [prefix] * len(batch)} if prefix else {}
        inputs = [family.source_tokens(tokens, hop.source, hop.target, adds_eos=loaded.adds_eos) for tokens in batch]
        try:
            outputs = loaded.translator.translate_batch(
                inputs,
                max_batch_size=self.max_batch_size,
                beam_size=self.beam_size,
                max_decoding_length=self.max_decoding_length,
                num_hypotheses=1,
                replace_unknowns=True,  # copy the source token for <unk> (names, rare characters)
                **kwargs,
            )
        except MemoryError as exc:
            raise EngineError(
                self.name, f"out of memory translating with {loaded.installed}: lower max_batch_size.", retryable=True
            ) from exc
        except Exception as exc:
            raise EngineError(
                self.name,
                f"translation failed with {loaded.installed} ({exc}). If this persists, reinstall the model "
                f"with `{INSTALL_HINT}`.",
            ) from exc
        decoded = []
        for result in outputs:
            tokens = result.hypotheses[0] if result.hypotheses else []
            decoded.append(loaded.sp_target.decode(family.clean_output(tokens, prefix)).strip())
        return decoded


def _reach(models: list[model_store.LocalModel]) -> str:
    """"argos en→fr, fr→en; opus-mt en→hy; nllb nllb-200-distilled-600M (202 languages)"."""
    parts: dict[str, list[str]] = {}
    for model in models:
        what = f"{model.name} ({len(model.languages)} languages)" if model.multilingual else model.pair.replace("-", "→")
        parts.setdefault(model.family, []).append(what)
    return "; ".join(f"{family} {', '.join(sorted(items))}" for family, items in parts.items())


def _model_choices(engine: str, value) -> dict[str, str]:
    """OPTIONS ``models``: {"en-hy": "name"}, or the string "en-hy=name,fr-hy=name" (environment)."""
    if isinstance(value, str):
        items = [item for item in value.replace(" ", "").split(",") if item]
        value = dict(item.split("=", 1) for item in items) if all("=" in item for item in items) else None
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise EngineError(engine, 'bad OPTIONS models: give {"en-hy": "MODEL NAME", …} (or "en-hy=NAME,fr-hy=NAME").')
    return {"-".join(base_language(c) for c in pair.split("-", 1)): name for pair, name in value.items()}


def _chunk_tokens(tokens: list[str], limit: int) -> list[list[str]]:
    if len(tokens) <= limit:
        return [tokens]
    chunks, current = [], []
    for token in tokens:
        # Cut only before a word start ("▁") so no word is split across chunks, unless forced.
        if len(current) >= limit and (token.startswith("▁") or len(current) >= limit * 2):
            chunks.append(current)
            current = []
        current.append(token)
    if current:
        chunks.append(current)
    return chunks
