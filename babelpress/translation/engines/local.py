"""The ``local`` engine: Argos Translate packages run in-process with CTranslate2 + SentencePiece.

Packages are installed by the operator (``babelpress translation install-model FILE``, see
``babelpress.translation.argos_packages``); nothing is downloaded. A pair without its own
package is translated through English when both halves are installed (fr→en→hy).

Each segment is split on its placeholder tags; only the text runs between tags go to the model,
one sentence per model input (Argos models are trained on sentences), and the tags are put back
verbatim, so they always come back exactly once, in order and well nested.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from xml.sax.saxutils import escape as _xml_escape

from babelpress.translation import argos_packages
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

PIVOT = "en"
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

    # -- installed packages

    @property
    def models_dir(self) -> Path:
        if self._models_dir is not None:
            return self._models_dir
        try:
            return argos_packages.default_models_dir()
        except argos_packages.ModelPackageError as exc:
            raise EngineError(self.name, str(exc)) from None

    def _installed(self, source: str, target: str) -> argos_packages.InstalledModel | None:
        return argos_packages.get_installed(source, target, self.models_dir)

    @staticmethod
    def _norm(code: str) -> str:
        # Packages are per language ("pt"), Babelpress may ask for a variant ("pt-BR").
        return re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0]

    def hops(self, source: str, target: str) -> list[argos_packages.InstalledModel] | None:
        """The packages a translation goes through: one (direct) or two (via English), or None."""
        source, target = self._norm(source), self._norm(target)
        if source == target:
            return None
        direct = self._installed(source, target)
        if direct:
            return [direct]
        if PIVOT in (source, target):
            return None
        first, second = self._installed(source, PIVOT), self._installed(PIVOT, target)
        return [first, second] if first and second else None

    def supports(self, source: str, target: str) -> bool:
        # No models folder configured at all raises EngineError naming BABELPRESS_MODELS_DIR.
        return self.hops(source, target) is not None

    def route(self, source: str, target: str) -> list[RouteStep] | None:
        hops = self.hops(source, target)
        if hops is None:
            return None
        return [RouteStep(m.from_code, m.to_code, model=m.path.name, family="argos") for m in hops]

    def describe(self) -> str:
        try:
            pairs = [f"{m.from_code}→{m.to_code}" for m in argos_packages.list_installed(self.models_dir)]
        except (EngineError, argos_packages.ModelPackageError):
            pairs = []
        return f"{self.name} (argos {', '.join(pairs) or 'no models installed'})"

    def _unsupported(self, source: str, target: str) -> UnsupportedLanguagePair:
        s, t = self._norm(source), self._norm(target)
        installed = [f"{m.from_code}→{m.to_code}" for m in argos_packages.list_installed(self.models_dir)]
        pivot = "" if PIVOT in (s, t) or s == t else f" (or {s}→{PIVOT} and {PIVOT}→{t} to go through English)"
        hint = (
            f"No model installed for {s}→{t}: run `{argos_packages.INSTALL_HINT}` with the {s}→{t} package"
            f"{pivot}. Packages: {argos_packages.PACKAGES_URL} . Installed in {self.models_dir}: "
            f"{', '.join(installed) or 'none'}."
        )
        return UnsupportedLanguagePair(self.name, source, target, hint)

    # -- translation

    def translate_batch(self, segments: list[str], source: str, target: str) -> list[str]:
        route = self.hops(source, target)
        if route is None:
            raise self._unsupported(source, target)
        models = [
            get_model(m, device=self.device, compute_type=self.compute_type, inter_threads=self.inter_threads,
                      intra_threads=self.intra_threads, engine=self.name)
            for m in route
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

        for loaded in models:  # one model call per hop: s→t, or s→en then en→t
            units = self._run(loaded, units)

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

    def _run(self, loaded: LoadedModel, texts: list[str]) -> list[str]:
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
                f"tokenizing failed with {loaded.installed} ({exc}): reinstall the package with "
                f"`{argos_packages.INSTALL_HINT}`.",
            ) from exc
        # Very long token runs are cut into chunks; chunk outputs are joined back with a space.
        batch: list[list[str]] = []
        owners: list[int] = []
        for i, tokens in zip(todo, tokenized):
            for chunk in _chunk_tokens(tokens, _MAX_INPUT_TOKENS):
                batch.append(chunk)
                owners.append(i)
        pieces: dict[int, list[str]] = {}
        for owner, text in zip(owners, self._translate_tokens(loaded, batch)):
            pieces.setdefault(owner, []).append(text)
        translated = [""] * len(unique)
        for owner, parts in pieces.items():
            translated[owner] = " ".join(p for p in parts if p)
        return [translated[w] for w in where]

    def _translate_tokens(self, loaded: LoadedModel, batch: list[list[str]]) -> list[str]:
        """The model's decoded output for each tokenized input."""
        prefix = loaded.installed.target_prefix
        kwargs = {}
        if prefix:
            kwargs["target_prefix"] = [[prefix]] * len(batch)
        try:
            outputs = loaded.translator.translate_batch(
                batch,
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
                f"translation failed with {loaded.installed} ({exc}). If this persists, reinstall the package "
                f"with `{argos_packages.INSTALL_HINT}`.",
            ) from exc
        decoded = []
        for result in outputs:
            tokens = result.hypotheses[0] if result.hypotheses else []
            if prefix and tokens[:1] == [prefix]:
                tokens = tokens[1:]
            decoded.append(loaded.sp.decode(tokens).strip())
        return decoded


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
