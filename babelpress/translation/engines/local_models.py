"""Loaded models of the ``local`` engine: a CTranslate2 translator and its SentencePiece
tokenizers (one, or source.spm + target.spm for OPUS-MT) per installed model, loaded once per
process and shared by every engine instance and thread. A model installed again (a new
``model.bin``) is loaded again on its next use. CTranslate2 and SentencePiece are imported with the
first model loaded: every process imports this module (the engine map), few translate locally.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from babelpress.translation.engines.base import EngineError
from babelpress.translation.model_files import CT2_WEIGHTS, ct2_config
from babelpress.translation.model_store import LocalModel
from babelpress.translation.models_folder import INSTALL_HINT

if TYPE_CHECKING:
    import ctranslate2
    import sentencepiece

logger = logging.getLogger(__name__)


@dataclass
class LoadedModel:
    installed: LocalModel
    translator: ctranslate2.Translator
    #: Tokenizes the source text.
    sp: sentencepiece.SentencePieceProcessor
    compute_type: str
    #: Detokenizes the output (the same processor as ``sp`` unless the model has a target.spm).
    sp_target: sentencepiece.SentencePieceProcessor | None = None
    #: The model's config.json says CTranslate2 appends </s> to the source itself.
    adds_eos: bool = False
    #: model.bin's mtime when loaded: a reinstalled model has a new one and gets reloaded.
    stamp: int = 0

    def __post_init__(self):
        if self.sp_target is None:
            self.sp_target = self.sp


_CACHE: dict[tuple, LoadedModel] = {}
_CACHE_LOCK = threading.Lock()
_LOAD_LOCKS: dict[tuple, threading.Lock] = {}


def clear_model_cache() -> None:
    """Forget every loaded model (tests; after removing packages to free memory at once)."""
    with _CACHE_LOCK:
        _CACHE.clear()
        _LOAD_LOCKS.clear()


def loaded_models() -> list[LoadedModel]:
    with _CACHE_LOCK:
        return list(_CACHE.values())


def _stamp(model: LocalModel) -> int:
    try:
        return (model.model_dir / CT2_WEIGHTS).stat().st_mtime_ns
    except OSError:
        return 0


def _pick_compute_type(device: str, wanted: str) -> str:
    if wanted in ("default", "auto"):
        return wanted
    import ctranslate2

    try:
        supported = ctranslate2.get_supported_compute_types(device)
    except Exception:  # unknown device: let the Translator report it
        return wanted
    if wanted in supported:
        return wanted
    logger.warning(
        "local engine: compute_type %r is not supported on %s %s; using 'default'.", wanted, device, sorted(supported)
    )
    return "default"


def get_model(
    model: LocalModel,
    *,
    device: str = "cpu",
    compute_type: str = "int8",
    inter_threads: int = 1,
    intra_threads: int = 0,
    engine: str = "local",
) -> LoadedModel:
    """The loaded translator + tokenizers for an installed model, loading them on first use."""
    path = str(model.path.resolve())
    key = (path, device, compute_type, inter_threads, intra_threads)
    stamp = _stamp(model)
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None and hit.stamp == stamp and hit.installed.version == model.version:
            return hit
        lock = _LOAD_LOCKS.setdefault(key, threading.Lock())
    # Load outside the cache lock so other, already-loaded models stay usable meanwhile; the
    # per-model lock makes concurrent first requests for one model wait for a single load.
    with lock:
        with _CACHE_LOCK:
            hit = _CACHE.get(key)
            if hit is not None and hit.stamp == stamp and hit.installed.version == model.version:
                return hit
        loaded = _load(model, device=device, compute_type=compute_type,
                       inter_threads=inter_threads, intra_threads=intra_threads, engine=engine)
        loaded.stamp = stamp
        with _CACHE_LOCK:
            _CACHE[key] = loaded
        return loaded


def _load(model, *, device, compute_type, inter_threads, intra_threads, engine) -> LoadedModel:
    import ctranslate2
    import sentencepiece

    reinstall = f"reinstall it with `{INSTALL_HINT}`"
    try:
        sp = sentencepiece.SentencePieceProcessor(model_file=str(model.source_spm_path))
        sp_target = sp if model.target_spm == model.source_spm else sentencepiece.SentencePieceProcessor(
            model_file=str(model.target_spm_path))
    except Exception as exc:
        raise EngineError(engine, f"cannot load the tokenizer of {model} ({exc}): {reinstall}.") from exc
    chosen = _pick_compute_type(device, compute_type)
    kwargs = dict(device=device, inter_threads=inter_threads, intra_threads=intra_threads)
    try:
        try:
            translator = ctranslate2.Translator(str(model.model_dir), compute_type=chosen, **kwargs)
        except ValueError as exc:
            if chosen == "default" or "compute type" not in str(exc).lower():
                raise
            logger.warning("local engine: %s; retrying %s with compute_type 'default'.", exc, model)
            chosen = "default"
            translator = ctranslate2.Translator(str(model.model_dir), compute_type=chosen, **kwargs)
    except MemoryError as exc:
        raise EngineError(
            engine, f"not enough memory to load {model}: free memory or lower inter_threads.", retryable=True
        ) from exc
    except Exception as exc:
        raise EngineError(
            engine,
            f"cannot load the model {model} from {model.model_dir} ({exc}): {reinstall}, "
            f"or check OPTIONS device={device!r} compute_type={compute_type!r}.",
        ) from exc
    logger.info("local engine: loaded %s (%s, %s)", model, device, chosen)
    return LoadedModel(installed=model, translator=translator, sp=sp, sp_target=sp_target, compute_type=chosen,
                       adds_eos=bool(ct2_config(model.model_dir).get("add_source_eos")))
