"""An Argos Translate package file (``.argosmodel``): its layout, and the checks a file passes
before the package store (``argos_packages``) installs it.

An ``.argosmodel`` file is a zip archive with a single top folder holding::

    metadata.json         {"from_code": "en", "to_code": "fr", "package_version": "1.9", ...}
    sentencepiece.model   the SentencePiece tokenizer shared by source and target
    model/                a CTranslate2 model: model.bin, config.json, *vocabulary.{json,txt}

The file comes from outside (the operator downloads it), so nothing in it is trusted: paths that
leave the folder (zip-slip), links, sizes far beyond any real package and damaged models are
refused with a message saying what to do.
"""

from __future__ import annotations

import json
import re
import stat
import zipfile
from pathlib import Path

from babelpress.translation.model_archive import safe_parts
from babelpress.translation.models_folder import ModelPackageError

#: Where operators find packages (downloaded by hand; Babelpress never fetches them).
PACKAGES_URL = "https://www.argosopentech.com/argospm/index/"

METADATA = "metadata.json"
SP_MODEL = "sentencepiece.model"
CT2_DIR = "model"
CT2_WEIGHTS = "model.bin"
# CTranslate2 accepts a shared vocabulary or a source + target pair, as JSON or text.
_SHARED_VOCABS = ("shared_vocabulary.json", "shared_vocabulary.txt")
_SPLIT_VOCABS = (
    ("source_vocabulary.json", "source_vocabulary.txt"),
    ("target_vocabulary.json", "target_vocabulary.txt"),
)

# Real Argos packages are 30-400 MB unpacked; anything far beyond that is a zip bomb or the wrong file.
MAX_UNPACKED_BYTES = 8 * 1024**3
_LANG_CODE = re.compile(r"^[a-z]{2,3}$")


def checked_file(path) -> Path:
    """The path of an existing zip file, or ModelPackageError saying what the file is instead."""
    archive = Path(path).expanduser()
    if not archive.is_file():
        raise ModelPackageError(f"{archive}: no such file. Give the path of a downloaded .argosmodel file.")
    if not zipfile.is_zipfile(archive):
        raise ModelPackageError(
            f"{archive.name}: not a zip archive, so not an Argos package (.argosmodel files are zip archives). "
            f"The download may have failed or saved an error page; download it again from {PACKAGES_URL}"
        )
    return archive


def open_zip(archive: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ModelPackageError(f"{archive.name}: cannot read the archive ({exc}); download it again.") from None


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def check_layout(zf: zipfile.ZipFile, archive: Path) -> tuple[str, dict[tuple[str, ...], zipfile.ZipInfo], int]:
    """Validate entry names and layout; returns (top folder, {path inside package: entry}, unpacked bytes)."""
    entries: dict[tuple[str, ...], zipfile.ZipInfo] = {}
    tops: set[str] = set()
    total = 0
    for info in zf.infolist():
        parts = safe_parts(info.filename, archive.name, f"Download the package again from {PACKAGES_URL}")
        if not parts:
            continue
        if _is_symlink(info):
            raise ModelPackageError(
                f"{archive.name}: contains a symbolic link ({info.filename}); Argos packages never do. "
                f"Download the package again from {PACKAGES_URL}"
            )
        tops.add(parts[0])
        if len(parts) == 1 and not info.is_dir():
            raise ModelPackageError(
                f"{archive.name}: wrong layout, file {parts[0]!r} sits at the top of the archive. An .argosmodel "
                "holds one folder with metadata.json, sentencepiece.model and model/ inside. If you zipped a "
                "package yourself, zip its folder, not its contents (e.g. `zip -r en_fr.argosmodel en_fr/`)."
            )
        total += info.file_size
        if not info.is_dir():
            entries[parts[1:]] = info
    if not tops:
        raise ModelPackageError(f"{archive.name}: the archive is empty. Download the package again from {PACKAGES_URL}")
    if len(tops) > 1:
        raise ModelPackageError(
            f"{archive.name}: wrong layout, expected one top folder but found {len(tops)} "
            f"({', '.join(sorted(tops)[:5])}). Install one package per file."
        )
    if total > MAX_UNPACKED_BYTES:
        raise ModelPackageError(
            f"{archive.name}: unpacks to {total / 1024**3:.1f} GiB, more than the "
            f"{MAX_UNPACKED_BYTES / 1024**3:.0f} GiB any translation package needs. This is not an Argos package."
        )
    (top,) = tops
    missing = [name for name in (METADATA, SP_MODEL) if (name,) not in entries]
    if (CT2_DIR, CT2_WEIGHTS) not in entries:
        missing.append(f"{CT2_DIR}/{CT2_WEIGHTS}")
    has_vocab = any((CT2_DIR, v) in entries for v in _SHARED_VOCABS) or all(
        any((CT2_DIR, v) in entries for v in pair) for pair in _SPLIT_VOCABS
    )
    if not has_vocab:
        missing.append(f"{CT2_DIR}/shared_vocabulary.json (or .txt, or source_/target_vocabulary)")
    if missing:
        hint = ""
        if SP_MODEL in missing and ("bpe.model",) in entries:
            hint = (
                " This package uses a BPE tokenizer (bpe.model), which the local engine does not support; "
                "use a SentencePiece-based package."
            )
        raise ModelPackageError(
            f"{archive.name}: not a complete Argos Translate package, missing {', '.join(missing)} "
            f"inside {top}/.{hint or ' Download the package again from ' + PACKAGES_URL}"
        )
    return top, entries, total


def parse_metadata(raw: bytes, archive: Path) -> dict:
    try:
        metadata = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ModelPackageError(
            f"{archive.name}: metadata.json is not valid JSON ({exc}). The package is damaged; download it again."
        ) from None
    if not isinstance(metadata, dict):
        raise ModelPackageError(
            f"{archive.name}: metadata.json must be a JSON object. The package is damaged; download it again."
        )
    if metadata.get("type", "translate") != "translate":
        raise ModelPackageError(
            f"{archive.name}: this is an Argos {metadata.get('type')!r} package, not a translation model. "
            "Install a translate-<from>_<to> package."
        )
    problems = []
    for key in ("from_code", "to_code"):
        value = metadata.get(key)
        if not isinstance(value, str) or not _LANG_CODE.match(value):
            problems.append(f"{key} is {value!r}, expected a 2-3 letter lowercase language code")
    if not problems and metadata["from_code"] == metadata["to_code"]:
        problems.append("from_code and to_code are the same")
    version = metadata.get("package_version", "0")
    if not isinstance(version, (str, int, float)) or not str(version).strip():
        problems.append(f"package_version is {version!r}, expected a version string like \"1.9\"")
    if problems:
        hint = ""
        if "from_codes" in metadata or "languages" in metadata:
            hint = " Multilingual packages are not supported; install one package per language pair."
        raise ModelPackageError(f"{archive.name}: bad metadata.json: {'; '.join(problems)}.{hint}")
    return metadata


def verify_unpacked(path: Path, archive: Path) -> None:
    """Load the tokenizer and the model once, so a damaged package fails now, not in a worker."""
    import ctranslate2
    import sentencepiece

    try:
        sentencepiece.SentencePieceProcessor(model_file=str(path / SP_MODEL))
    except Exception as exc:
        raise ModelPackageError(
            f"{archive.name}: sentencepiece.model cannot be loaded ({exc}). The package is damaged; download it again."
        ) from None
    try:
        translator = ctranslate2.Translator(str(path / CT2_DIR), device="cpu", compute_type="default", intra_threads=1)
        del translator
    except Exception as exc:
        raise ModelPackageError(
            f"{archive.name}: the CTranslate2 model cannot be loaded ({exc}). The package is damaged, or it was "
            f"made for a newer CTranslate2 than {ctranslate2.__version__}: upgrade ctranslate2 or use an older package."
        ) from None
