"""Unpacking a model archive (.zip, .tar, .tar.gz, .tgz) safely: nothing in it is trusted.

An entry whose path leaves the folder (``../``, an absolute path, a drive letter), a link or a
device, a truncated or damaged download: each is refused with a message saying what to do, and
whatever was unpacked so far is left for the caller to delete (it unpacks into its own temporary
folder inside the models folder).
"""

from __future__ import annotations

import re
import shutil
import stat
import tarfile
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from babelpress.translation.models_folder import ModelPackageError

ZIP_SUFFIXES = (".zip", ".argosmodel")
TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz")
# The largest CTranslate2 translation models (MADLAD-400 10B in float32) are about 40 GB.
MAX_UNPACKED_BYTES = 64 * 1024**3
_DAMAGED = (zipfile.BadZipFile, tarfile.TarError, EOFError, zlib.error, OSError)


def is_archive(path: Path) -> bool:
    return path.name.lower().endswith(ZIP_SUFFIXES + TAR_SUFFIXES)


def safe_parts(name: str, archive: str, hint: str) -> tuple[str, ...]:
    """The path parts of an archive entry, refusing anything that could land outside the target folder."""
    if "\\" in name or "\x00" in name:
        raise ModelPackageError(f"{archive}: unsafe path in archive: {name!r} (backslash or NUL). {hint}")
    path = PurePosixPath(name)
    parts = tuple(part for part in path.parts if part not in ("", "."))
    if path.is_absolute() or ".." in parts or (parts and re.match(r"^[A-Za-z]:", parts[0])):
        raise ModelPackageError(
            f"{archive}: unsafe path in archive: {name!r} points outside the model folder (zip-slip). "
            f"Refusing to install it. {hint}"
        )
    return parts


def _truncated(archive: Path, exc: BaseException) -> ModelPackageError:
    return ModelPackageError(
        f"{archive.name}: the archive is truncated or damaged ({exc}). The download was probably interrupted: "
        "download it again (and check its size or checksum against the source)."
    )


def extract(archive: Path, dest: Path, hint: str = "Download the model again from where you got it.") -> int:
    """Unpack ``archive`` into the existing folder ``dest``; returns the bytes written."""
    name = archive.name.lower()
    try:
        if name.endswith(ZIP_SUFFIXES):
            return _extract_zip(archive, dest, hint)
        if name.endswith(TAR_SUFFIXES):
            return _extract_tar(archive, dest, hint)
    except ModelPackageError:
        raise
    except _DAMAGED as exc:
        raise _truncated(archive, exc) from None
    raise ModelPackageError(
        f"{archive.name}: not a model archive. Give a CTranslate2 model folder, or a .zip, .tar, .tar.gz or .tgz "
        "of one, or an Argos .argosmodel file."
    )


def _check_total(archive: Path, total: int) -> None:
    if total > MAX_UNPACKED_BYTES:
        raise ModelPackageError(
            f"{archive.name}: unpacks to {total / 1024**3:.1f} GiB, more than the {MAX_UNPACKED_BYTES / 1024**3:.0f} "
            "GiB any translation model needs. This is not a model archive."
        )


def _extract_zip(archive: Path, dest: Path, hint: str) -> int:
    if not zipfile.is_zipfile(archive):
        raise ModelPackageError(
            f"{archive.name}: not a zip archive, or a truncated one. The download may have failed or saved an "
            "error page: download it again."
        )
    with zipfile.ZipFile(archive) as zf:
        infos = zf.infolist()
        _check_total(archive, sum(info.file_size for info in infos))
        plan = []
        for info in infos:
            parts = safe_parts(info.filename, archive.name, hint)
            if stat.S_ISLNK(info.external_attr >> 16):
                raise ModelPackageError(
                    f"{archive.name}: contains a symbolic link ({info.filename}); model archives never do. {hint}"
                )
            if parts:
                plan.append((parts, info))
        written = 0
        for parts, info in plan:
            target = dest.joinpath(*parts)
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out, 1024 * 1024)  # zipfile checks each file's CRC at its end
            written += info.file_size
    return written


def _extract_tar(archive: Path, dest: Path, hint: str) -> int:
    with tarfile.open(archive, "r:*") as tf:
        members = tf.getmembers()  # reads the whole stream: a truncated download fails here
        _check_total(archive, sum(m.size for m in members if m.isfile()))
        for member in members:
            safe_parts(member.name, archive.name, hint)
            if member.issym() or member.islnk():
                raise ModelPackageError(
                    f"{archive.name}: contains a link ({member.name} → {member.linkname}); model archives never do. "
                    f"{hint}"
                )
            if not (member.isfile() or member.isdir()):
                raise ModelPackageError(
                    f"{archive.name}: contains a special file ({member.name}); model archives hold only files "
                    f"and folders. {hint}"
                )
        written = 0
        for member in members:
            parts = safe_parts(member.name, archive.name, hint)
            if not parts:
                continue
            target = dest.joinpath(*parts)
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with tf.extractfile(member) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out, 1024 * 1024)
            if target.stat().st_size != member.size:
                raise tarfile.ReadError(f"{member.name} is cut short")
            written += member.size
    return written
