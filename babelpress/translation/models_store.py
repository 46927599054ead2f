"""Argos Translate model packages installed by the operator for the ``local`` engine.

An ``.argosmodel`` file is a zip archive with a single top folder holding::

    metadata.json         {"from_code": "en", "to_code": "fr", "package_version": "1.9", ...}
    sentencepiece.model   the SentencePiece tokenizer shared by source and target
    model/                a CTranslate2 model: model.bin, config.json, *vocabulary.{json,txt}

Installed packages live unpacked in ``<models_dir>/<from>-<to>/`` (one per language pair).
Nothing is ever downloaded here: the operator fetches the file and installs it from disk.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import shutil
import stat
import tempfile
import time
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

logger = logging.getLogger(__name__)

INSTALL_HINT = "babelpress translation install-model FILE.argosmodel"
LIST_HINT = "babelpress translation list-models"
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
_TMP_PREFIX = ".tmp-install-"
_OLD_PREFIX = ".old-"


class ModelPackageError(Exception):
    """A model package cannot be installed, listed or removed. The message says how to fix it."""


@dataclass(frozen=True)
class InstalledModel:
    from_code: str
    to_code: str
    version: str
    path: Path
    #: Bytes on disk, all files of the unpacked package.
    size: int
    argos_version: str = ""
    from_name: str = ""
    to_name: str = ""
    #: Token some multilingual Argos models expect at the start of the output (metadata "target_prefix").
    target_prefix: str = ""
    metadata: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def pair(self) -> str:
        return f"{self.from_code}-{self.to_code}"

    @property
    def model_dir(self) -> Path:
        return self.path / CT2_DIR

    @property
    def sentencepiece_path(self) -> Path:
        return self.path / SP_MODEL

    def __str__(self) -> str:
        return f"{self.from_code}→{self.to_code} {self.version}"


# --- Where models live ------------------------------------------------------------------------


def default_models_dir() -> Path:
    """``settings.BABELPRESS_MODELS_DIR``; outside Django, ``$BABELPRESS_MODELS_DIR``."""
    try:
        from django.conf import settings

        configured = getattr(settings, "BABELPRESS_MODELS_DIR", None)
        if configured:
            return Path(configured).expanduser()
        # The setting is expected next to DATA_DIR; derive it rather than fail if it is missing.
        data_dir = getattr(settings, "DATA_DIR", None)
        if data_dir:
            return Path(data_dir).expanduser() / "models"
    except Exception:  # Django not configured (a bench script, a bare shell)
        pass
    env = os.environ.get("BABELPRESS_MODELS_DIR")
    if env:
        return Path(env).expanduser()
    raise ModelPackageError(
        "no models folder configured: set BABELPRESS_MODELS_DIR (environment or settings) "
        "or pass the folder explicitly."
    )


def _resolve_dir(models_dir: str | os.PathLike | None) -> Path:
    return Path(models_dir).expanduser() if models_dir is not None else default_models_dir()


# --- Reading installed packages ----------------------------------------------------------------


def _dir_size(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


def _model_from_dir(path: Path, metadata: dict | None = None) -> InstalledModel:
    if metadata is None:
        metadata = json.loads((path / METADATA).read_text(encoding="utf-8"))
    return InstalledModel(
        from_code=metadata["from_code"],
        to_code=metadata["to_code"],
        version=str(metadata.get("package_version") or "0"),
        path=path,
        size=_dir_size(path),
        argos_version=str(metadata.get("argos_version") or ""),
        from_name=str(metadata.get("from_name") or ""),
        to_name=str(metadata.get("to_name") or ""),
        target_prefix=str(metadata.get("target_prefix") or ""),
        metadata=metadata,
    )


def list_installed(models_dir: str | os.PathLike | None = None) -> list[InstalledModel]:
    """Installed packages, sorted by pair. Broken folders are skipped with a warning."""
    root = _resolve_dir(models_dir)
    if not root.is_dir():
        return []
    found = []
    for entry in sorted(root.iterdir()):
        # Hidden entries are our own in-flight installs, old versions being deleted and the lock file.
        if entry.name.startswith(".") or not entry.is_dir():
            continue
        try:
            model = _model_from_dir(entry)
        except (OSError, ValueError, KeyError) as exc:
            logger.warning(
                "Ignoring %s: not a valid installed model (%s). Remove the folder, or reinstall with `%s`.",
                entry, exc, INSTALL_HINT,
            )
            continue
        if entry.name != model.pair:
            logger.warning("Ignoring %s: its metadata says %s; reinstall with `%s`.", entry, model.pair, INSTALL_HINT)
            continue
        found.append(model)
    return found


def get_installed(from_code: str, to_code: str, models_dir: str | os.PathLike | None = None) -> InstalledModel | None:
    """The installed package for one pair, or None."""
    path = _resolve_dir(models_dir) / f"{from_code}-{to_code}"
    if not (path / METADATA).is_file():
        return None
    try:
        model = _model_from_dir(path)
    except (OSError, ValueError, KeyError):
        return None
    return model if (model.from_code, model.to_code) == (from_code, to_code) else None


# --- Installing ------------------------------------------------------------------------------


def _version_key(version: str) -> tuple:
    # "1.10" > "1.9": compare numerically where possible, text otherwise.
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[.\-_+]", version))


def _safe_member_parts(name: str) -> tuple[str, ...]:
    """Path parts of a zip entry, refusing anything that could land outside the target folder."""
    if "\\" in name or "\x00" in name:
        raise ModelPackageError(
            f"unsafe path in archive: {name!r} (backslash or NUL). The file is not a genuine "
            f"Argos package; download it again from {PACKAGES_URL}"
        )
    p = PurePosixPath(name)
    parts = tuple(part for part in p.parts if part not in ("", "."))
    if p.is_absolute() or ".." in parts or (parts and re.match(r"^[A-Za-z]:", parts[0])):
        raise ModelPackageError(
            f"unsafe path in archive: {name!r} points outside the package folder (zip-slip). "
            f"Refusing to install it; download the package again from {PACKAGES_URL}"
        )
    return parts


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _check_layout(zf: zipfile.ZipFile, archive: Path) -> tuple[str, dict[tuple[str, ...], zipfile.ZipInfo], int]:
    """Validate entry names and layout; returns (top folder, {path inside package: entry}, unpacked bytes)."""
    entries: dict[tuple[str, ...], zipfile.ZipInfo] = {}
    tops: set[str] = set()
    total = 0
    for info in zf.infolist():
        parts = _safe_member_parts(info.filename)
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


def _parse_metadata(raw: bytes, archive: Path) -> dict:
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


@contextmanager
def _install_lock(root: Path):
    # One install/remove at a time per models folder, across processes (CLI next to running workers).
    with open(root / ".lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _clear_leftovers(root: Path) -> None:
    # Runs under the lock, so any temp folder left is from an interrupted install.
    for entry in root.iterdir():
        if entry.is_dir() and (entry.name.startswith(_TMP_PREFIX) or entry.name.startswith(_OLD_PREFIX)):
            shutil.rmtree(entry, ignore_errors=True)


def _verify_unpacked(path: Path, archive: Path) -> None:
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


def install_package(
    path: str | os.PathLike,
    models_dir: str | os.PathLike | None = None,
    *,
    allow_downgrade: bool = False,
    verify: bool = True,
) -> InstalledModel:
    """Validate an ``.argosmodel`` file and install it into ``<models_dir>/<from>-<to>/``.

    An installed package for the same pair is replaced (a newer one only with
    ``allow_downgrade``). The package is unpacked next to its destination and moved into place
    with a rename, so readers see either the old or the new version, never a half-written one.
    ``verify`` loads the model once to catch damaged files before a worker does.
    """
    archive = Path(path).expanduser()
    if not archive.is_file():
        raise ModelPackageError(f"{archive}: no such file. Give the path of a downloaded .argosmodel file.")
    if not zipfile.is_zipfile(archive):
        raise ModelPackageError(
            f"{archive.name}: not a zip archive, so not an Argos package (.argosmodel files are zip archives). "
            f"The download may have failed or saved an error page; download it again from {PACKAGES_URL}"
        )
    root = _resolve_dir(models_dir)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelPackageError(
            f"cannot create the models folder {root} ({exc.strerror}); check BABELPRESS_MODELS_DIR and permissions."
        ) from None

    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ModelPackageError(f"{archive.name}: cannot read the archive ({exc}); download it again.") from None
    with zf:
        top, entries, unpacked = _check_layout(zf, archive)
        metadata = _parse_metadata(zf.read(entries[(METADATA,)]), archive)
        pair = f"{metadata['from_code']}-{metadata['to_code']}"
        version = str(metadata.get("package_version", "0"))

        free = shutil.disk_usage(root).free
        if unpacked * 1.05 > free:
            raise ModelPackageError(
                f"not enough disk space in {root}: the package needs {unpacked / 1024**2:.0f} MB, "
                f"{free / 1024**2:.0f} MB free. Free some space or point BABELPRESS_MODELS_DIR elsewhere."
            )

        with _install_lock(root):
            _clear_leftovers(root)
            target = root / pair
            current = get_installed(metadata["from_code"], metadata["to_code"], root)
            if current and not allow_downgrade and _version_key(current.version) > _version_key(version):
                raise ModelPackageError(
                    f"{pair} {current.version} is installed, newer than this package ({version}). "
                    "Pass --allow-downgrade (allow_downgrade=True) to install the older version anyway."
                )
            # Unpack beside the destination (same filesystem) so the final move is a rename.
            staging = Path(tempfile.mkdtemp(prefix=f"{_TMP_PREFIX}{pair}-", dir=root))
            try:
                for inner, info in entries.items():
                    dest = staging.joinpath(*inner)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    with zf.open(info) as src, open(dest, "wb") as out:
                        shutil.copyfileobj(src, out, 1024 * 1024)
                if verify:
                    _verify_unpacked(staging, archive)
                os.chmod(staging, 0o755)  # mkdtemp makes it 0700; workers may run as another user
                if target.exists():
                    old = root / f"{_OLD_PREFIX}{pair}-{time.time_ns()}"
                    os.rename(target, old)
                    os.rename(staging, target)
                    shutil.rmtree(old, ignore_errors=True)
                else:
                    os.rename(staging, target)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
    installed = _model_from_dir(target)
    logger.info("Installed %s from %s into %s (%d bytes)", installed, archive.name, target, installed.size)
    return installed


def remove(from_code: str, to_code: str, models_dir: str | os.PathLike | None = None) -> InstalledModel:
    """Uninstall the package for one pair; returns what was removed."""
    root = _resolve_dir(models_dir)
    current = get_installed(from_code, to_code, root)
    if current is None:
        raise ModelPackageError(
            f"no model installed for {from_code}→{to_code} in {root}. `{LIST_HINT}` shows the installed ones."
        )
    with _install_lock(root):
        # Rename first: the pair disappears at once even if deleting a large folder takes a while.
        old = root / f"{_OLD_PREFIX}{current.pair}-{time.time_ns()}"
        os.rename(current.path, old)
        shutil.rmtree(old, ignore_errors=True)
    logger.info("Removed %s from %s", current, root)
    return current
