"""The models folder (``BABELPRESS_MODELS_DIR``) that every local model lives in, and what all its
writers share: where it is, one install or removal at a time, and what an interrupted one leaves.

Each installed model is a folder inside it: ``<from>-<to>/`` for an Argos package
(``argos_packages``), ``<name>/`` with a ``babelpress-model.json`` manifest for the other families
(``model_store``). Hidden entries are never models: ``.tmp-install-*`` is an install in progress (or
one that was interrupted), ``.old-*`` a replaced or removed model being deleted, ``.lock`` the lock.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

#: How to install a model, for messages (any family: docs/engines.md).
INSTALL_HINT = "babelpress translation install-model FILE-OR-FOLDER"
TMP_PREFIX = ".tmp-install-"
#: The manifest of a model installed by ``model_install`` (any family but Argos packages).
MANIFEST = "babelpress-model.json"
OLD_PREFIX = ".old-"


class ModelPackageError(Exception):
    """A model cannot be installed, listed or removed. The message says how to fix it."""


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


def resolve_dir(models_dir: str | os.PathLike | None) -> Path:
    return Path(models_dir).expanduser() if models_dir is not None else default_models_dir()


def make_dir(root: Path) -> Path:
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelPackageError(
            f"cannot create the models folder {root} ({exc.strerror}); check BABELPRESS_MODELS_DIR and permissions."
        ) from None
    return root


def dir_size(path: Path) -> int:
    """Bytes on disk of every file under ``path``."""
    total = 0
    for folder, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(folder, name)).st_size
            except OSError:
                pass
    return total


def check_free_space(root: Path, needed: int) -> None:
    free = shutil.disk_usage(root).free
    if needed * 1.05 > free:
        raise ModelPackageError(
            f"not enough disk space in {root}: the model needs {needed / 1024**2:.0f} MB, "
            f"{free / 1024**2:.0f} MB free. Free some space or point BABELPRESS_MODELS_DIR elsewhere."
        )


@contextmanager
def install_lock(root: Path):
    """One install/remove at a time per models folder, across processes (CLI next to running workers)."""
    with open(root / ".lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def clear_leftovers(root: Path) -> None:
    """Delete what interrupted installs and removals left. Call it holding ``install_lock``: any
    temporary folder then belongs to no running install."""
    for entry in root.iterdir():
        if entry.is_dir() and entry.name.startswith((TMP_PREFIX, OLD_PREFIX)):
            shutil.rmtree(entry, ignore_errors=True)


def move_into_place(staging: Path, target: Path) -> None:
    """Rename ``staging`` to ``target`` (same filesystem), replacing an existing ``target`` so that
    readers see the old folder or the new one, never a mix."""
    if target.exists():
        old = target.parent / f"{OLD_PREFIX}{target.name}-{os.getpid()}-{id(staging)}"
        os.rename(target, old)
        os.rename(staging, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(staging, target)


def delete_model_folder(path: Path) -> None:
    """Remove an installed model: renamed first, so it disappears at once even if deleting takes a while."""
    old = path.parent / f"{OLD_PREFIX}{path.name}-{os.getpid()}"
    os.rename(path, old)
    shutil.rmtree(old, ignore_errors=True)
