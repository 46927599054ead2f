"""The Argos package store: the Argos Translate model packages installed by the operator for the
``local`` engine, one folder per language pair, ``<models_dir>/<from>-<to>/``.

``install_package`` checks a downloaded ``.argosmodel`` file (``argos_archive``) and unpacks it
into place; ``list_installed``, ``get_installed`` and ``remove`` read and change the store;
the CLI is ``babelpress translation install-model | list-models | remove-model``. Nothing is ever
downloaded here: the operator fetches the file and installs it from disk.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from babelpress.translation.argos_archive import (
    CT2_DIR,
    CT2_WEIGHTS,
    METADATA,
    PACKAGES_URL,
    SP_MODEL,
    ModelPackageError,
    check_layout,
    checked_file,
    open_zip,
    parse_metadata,
    verify_unpacked,
)
from babelpress.translation.models_folder import (
    INSTALL_HINT,
    MANIFEST,
    TMP_PREFIX,
    check_free_space,
    clear_leftovers,
    default_models_dir,
    delete_model_folder,
    dir_size,
    install_lock,
    make_dir,
    move_into_place,
    resolve_dir,
)

__all__ = [
    "CT2_WEIGHTS", "INSTALL_HINT", "LIST_HINT", "PACKAGES_URL", "InstalledModel", "ModelPackageError",
    "default_models_dir", "get_installed", "install_package", "list_installed", "remove",
]

logger = logging.getLogger(__name__)

LIST_HINT = "babelpress translation list-models"



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


# --- Reading installed packages ----------------------------------------------------------------


def _model_from_dir(path: Path, metadata: dict | None = None) -> InstalledModel:
    if metadata is None:
        metadata = json.loads((path / METADATA).read_text(encoding="utf-8"))
    return InstalledModel(
        from_code=metadata["from_code"],
        to_code=metadata["to_code"],
        version=str(metadata.get("package_version") or "0"),
        path=path,
        size=dir_size(path),
        argos_version=str(metadata.get("argos_version") or ""),
        from_name=str(metadata.get("from_name") or ""),
        to_name=str(metadata.get("to_name") or ""),
        target_prefix=str(metadata.get("target_prefix") or ""),
        metadata=metadata,
    )


def list_installed(models_dir: str | os.PathLike | None = None) -> list[InstalledModel]:
    """Installed packages, sorted by pair. Broken folders are skipped with a warning."""
    root = resolve_dir(models_dir)
    if not root.is_dir():
        return []
    found = []
    for entry in sorted(root.iterdir()):
        # Hidden entries are our own in-flight installs, old versions being deleted and the lock file.
        if entry.name.startswith(".") or not entry.is_dir() or (entry / MANIFEST).is_file():
            continue  # (a model of another family: model_store lists those)
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
    path = resolve_dir(models_dir) / f"{from_code}-{to_code}"
    if not (path / METADATA).is_file():
        return None
    try:
        model = _model_from_dir(path)
    except (OSError, ValueError, KeyError):
        return None
    return model if (model.from_code, model.to_code) == (from_code, to_code) else None


# --- Installing ------------------------------------------------------------------------------


def version_key(version: str) -> tuple:
    # "1.10" > "1.9": compare numerically where possible, text otherwise.
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[.\-_+]", version))


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
    archive = checked_file(path)
    root = make_dir(resolve_dir(models_dir))

    with open_zip(archive) as zf:
        _top, entries, unpacked = check_layout(zf, archive)
        metadata = parse_metadata(zf.read(entries[(METADATA,)]), archive)
        pair = f"{metadata['from_code']}-{metadata['to_code']}"
        version = str(metadata.get("package_version", "0"))

        check_free_space(root, unpacked)

        with install_lock(root):
            clear_leftovers(root)
            current = get_installed(metadata["from_code"], metadata["to_code"], root)
            if current and not allow_downgrade and version_key(current.version) > version_key(version):
                raise ModelPackageError(
                    f"{pair} {current.version} is installed, newer than this package ({version}). "
                    "Pass --allow-downgrade (allow_downgrade=True) to install the older version anyway."
                )
            target = _unpack_into_place(zf, entries, root, pair, archive if verify else None)
    installed = _model_from_dir(target)
    logger.debug("Installed %s from %s into %s (%d bytes)", installed, archive.name, target, installed.size)
    return installed


def _unpack_into_place(zf, entries, root: Path, pair: str, verify_as: Path | None) -> Path:
    """Unpack beside the destination (same filesystem) so the final move is a rename; with
    ``verify_as`` (the archive, for messages) load the unpacked model once before the move."""
    target = root / pair
    staging = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{pair}-", dir=root))
    try:
        for inner, info in entries.items():
            dest = staging.joinpath(*inner)
            dest.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(dest, "wb") as out:
                shutil.copyfileobj(src, out, 1024 * 1024)
        if verify_as is not None:
            verify_unpacked(staging, verify_as)
        os.chmod(staging, 0o755)  # mkdtemp makes it 0700; workers may run as another user
        move_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def remove(from_code: str, to_code: str, models_dir: str | os.PathLike | None = None) -> InstalledModel:
    """Uninstall the package for one pair; returns what was removed."""
    root = resolve_dir(models_dir)
    current = get_installed(from_code, to_code, root)
    if current is None:
        raise ModelPackageError(
            f"no model installed for {from_code}→{to_code} in {root}. `{LIST_HINT}` shows the installed ones."
        )
    with install_lock(root):
        delete_model_folder(current.path)
    logger.debug("Removed %s from %s", current, root)
    return current
