"""Reading a CTranslate2 model folder without running it: its vocabularies and, from model.bin's
header, the vocabulary sizes its weights were made for (a vocabulary file from another model, or a
cut-short model.bin, is caught before CTranslate2 would load it and translate garbage).
"""

from __future__ import annotations

import json
import os
import struct
from pathlib import Path

from babelpress.translation.models_folder import ModelPackageError

CT2_WEIGHTS = "model.bin"
SHARED_VOCABS = ("shared_vocabulary.json", "shared_vocabulary.txt")
SOURCE_VOCABS = ("source_vocabulary.json", "source_vocabulary.txt")
TARGET_VOCABS = ("target_vocabulary.json", "target_vocabulary.txt")
_KNOWN_BINARY_VERSIONS = (5, 6)
_SOURCE_EMBEDDINGS = ("encoder/embeddings_0/weight", "encoder/embeddings/weight")
_TARGET_ROWS = ("decoder/projection/weight", "decoder/embeddings/weight")


def ct2_config(folder: Path) -> dict:
    """The model's config.json (``add_source_eos``, ``decoder_start_token`` …); {} when absent."""
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return config if isinstance(config, dict) else {}


def _first(folder: Path, names: tuple[str, ...]) -> Path | None:
    return next((folder / n for n in names if (folder / n).is_file()), None)


def vocabulary_files(folder: Path) -> tuple[Path, Path] | None:
    """(source, target) vocabulary files — the same file twice for a shared one — or None."""
    shared = _first(folder, SHARED_VOCABS)
    if shared:
        return shared, shared
    source, target = _first(folder, SOURCE_VOCABS), _first(folder, TARGET_VOCABS)
    return (source, target) if source and target else None


def read_vocabulary(path: Path) -> list[str]:
    try:
        if path.suffix == ".json":
            tokens = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
                raise ValueError("expected a JSON list of tokens")
        else:
            tokens = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ModelPackageError(
            f"{path.name} cannot be read ({exc}). Copy the vocabulary the converter wrote next to model.bin."
        ) from None
    if not tokens:
        raise ModelPackageError(f"{path.name} is empty. Copy the vocabulary the converter wrote next to model.bin.")
    return tokens


class _Reader:
    def __init__(self, handle, size: int):
        self.handle, self.size = handle, size

    def unpack(self, fmt: str):
        raw = self.handle.read(struct.calcsize(fmt))
        if len(raw) != struct.calcsize(fmt):
            raise EOFError
        return struct.unpack(fmt, raw)[0]

    def string(self) -> str:
        raw = self.handle.read(self.unpack("H"))
        if not raw.endswith(b"\0"):
            raise ValueError("not a string")
        return raw[:-1].decode("utf-8")


def weight_shapes(model_bin: Path) -> dict[str, tuple[int, ...]] | None:
    """{variable name: shape} from model.bin's header (aliases resolved), skipping the weights
    themselves; None for a binary format this code does not know. A file shorter than its header
    says raises ModelPackageError."""
    size = os.path.getsize(model_bin)
    with open(model_bin, "rb") as handle:
        reader = _Reader(handle, size)
        try:
            if reader.unpack("I") not in _KNOWN_BINARY_VERSIONS:
                return None
            reader.string()  # the spec's name
            reader.unpack("I")  # its revision
            shapes: dict[str, tuple[int, ...]] = {}
            for _ in range(reader.unpack("I")):
                name = reader.string()
                rank = reader.unpack("B")
                if rank > 8:
                    return None
                shape = tuple(reader.unpack("I") for _ in range(rank))
                reader.unpack("B")  # dtype
                nbytes = reader.unpack("I")
                if handle.tell() + nbytes > size:
                    raise EOFError
                handle.seek(nbytes, os.SEEK_CUR)
                shapes[name] = shape
            for _ in range(reader.unpack("I")):
                alias, name = reader.string(), reader.string()
                if name in shapes:
                    shapes[alias] = shapes[name]
        except EOFError:
            raise ModelPackageError(
                f"{model_bin.name} is cut short ({size} bytes, less than its own header announces): the download "
                "or the copy was interrupted. Download or copy the model again."
            ) from None
        except (ValueError, UnicodeDecodeError):
            return None
    return shapes


def expected_vocabulary_sizes(model_bin: Path) -> tuple[int | None, int | None]:
    """(source, target) vocabulary sizes the weights were made for; None where unknown."""
    shapes = weight_shapes(model_bin) or {}
    source = next((shapes[n][0] for n in _SOURCE_EMBEDDINGS if n in shapes and shapes[n]), None)
    target = next((shapes[n][0] for n in _TARGET_ROWS if n in shapes and shapes[n]), None)
    return source, target
