"""Installing a local model of any family: ``install_model(path)`` is what
``babelpress translation install-model`` and ``babelpress translation install`` call.

It takes an Argos ``.argosmodel``, a CTranslate2 model folder, or a .zip/.tar/.tar.gz/.tgz of one;
works out the family (``model_inspect``), refuses a model for languages the site does not use,
loads the model and translates a probe sentence, and only then moves it into
``<models_dir>/<name>/`` with one rename. Everything before the rename happens in a hidden
``.tmp-install-*`` folder inside the models folder that the engine never reads: a failed or
interrupted install leaves nothing behind (what a killed process left is deleted by the next
install), and a model is never half there.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import zipfile
from datetime import datetime, timezone
from pathlib import Path

from babelpress.translation import argos_archive, argos_packages
from babelpress.translation.model_archive import extract, is_archive
from babelpress.translation.model_cards import licence_name, non_commercial
from babelpress.translation.model_inspect import Inspected, inspect
from babelpress.translation.model_probe import probe
from babelpress.translation.model_store import LocalModel, _from_argos, read_manifest, write_manifest
from babelpress.translation.models_folder import (
    TMP_PREFIX,
    ModelPackageError,
    check_free_space,
    clear_leftovers,
    dir_size,
    install_lock,
    make_dir,
    move_into_place,
    resolve_dir,
)

__all__ = ["ModelPackageError", "install_model"]

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,79}$")
_PAIR_LIKE = re.compile(r"^[a-z]{2,3}-[a-z]{2,3}$")
_ARCHIVE_SUFFIX = re.compile(r"(\.tar\.gz|\.tgz|\.tar|\.zip)$", re.IGNORECASE)


def install_model(
    path: str | os.PathLike,
    models_dir: str | os.PathLike | None = None,
    *,
    pair: tuple[str, str] | str | None = None,
    licence: str | None = None,
    name: str | None = None,
    any_language: bool = False,
    version: str | None = None,
    allow_downgrade: bool = False,
) -> LocalModel:
    """Validate the model at ``path`` and install it; returns the installed model.

    ``pair`` ("en-hy") says which languages a bilingual model translates when its name and card do
    not; ``licence`` overrides the licence recorded; ``name`` the folder name; ``any_language``
    installs a model none of whose pairs the site needs; ``version`` is recorded (package indexes
    know it); ``allow_downgrade`` lets an older Argos package replace a newer one. Raises ModelPackageError with a message saying what to do.
    """
    source = Path(path).expanduser()
    if not source.exists():
        raise ModelPackageError(
            f"{source}: no such file or folder. Give an .argosmodel file, a CTranslate2 model folder, or a "
            ".zip/.tar.gz of one."
        )
    root = make_dir(resolve_dir(models_dir))
    wanted_pair = _parse_pair(pair) if pair else None
    if _is_argos(source):
        if wanted_pair or name:
            raise ModelPackageError(
                f"{source.name} is an Argos package: its metadata.json says its pair, and it is installed as "
                "<from>-<to>; --pair and --name do not apply."
            )
        model = _install_argos(source, root, any_language=any_language, allow_downgrade=allow_downgrade)
        return _record_argos_licence(model, licence) if licence else model
    return _install_ct2(source, root, pair=wanted_pair, licence=licence, name=name, any_language=any_language,
                        version=version)


# --- Argos packages: the existing store, after the same language check -----------------------------------


def _argos_layout(folder: Path) -> bool:
    return all((folder / p).is_file() for p in ("metadata.json", "sentencepiece.model", "model/model.bin"))


def _is_argos(source: Path) -> bool:
    if source.is_dir():
        return _argos_layout(source)
    if source.name.lower().endswith(".argosmodel"):
        return True
    if not zipfile.is_zipfile(source):
        return False
    with zipfile.ZipFile(source) as zf:
        names = {tuple(part for part in n.split("/") if part) for n in zf.namelist()}
    return any(p[1:] == ("metadata.json",) for p in names) and any(p[1:] == ("model", "model.bin") for p in names)


def _install_argos(source: Path, root: Path, *, any_language: bool, allow_downgrade: bool) -> LocalModel:
    zipped = None
    try:
        if source.is_dir():  # an unpacked package: zip it as Argos ships it, then install that
            handle, zipped = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=".argosmodel", dir=root)
            os.close(handle)
            with zipfile.ZipFile(zipped, "w", zipfile.ZIP_STORED) as zf:
                for file in sorted(p for p in source.rglob("*") if p.is_file()):
                    zf.write(file, f"{source.name}/{file.relative_to(source).as_posix()}")
            archive = Path(zipped)
        else:
            archive = argos_archive.checked_file(source)
        with argos_archive.open_zip(archive) as zf:
            _top, entries, _size = argos_archive.check_layout(zf, archive)
            metadata = argos_archive.parse_metadata(zf.read(entries[("metadata.json",)]), archive)
        pair = (metadata["from_code"], metadata["to_code"])
        if not any_language:
            check_site_languages(source.name, [pair], pair)
        return _from_argos(argos_packages.install_package(archive, root, allow_downgrade=allow_downgrade))
    finally:
        if zipped:
            os.unlink(zipped)


def _record_argos_licence(model: LocalModel, licence: str) -> LocalModel:
    """Argos metadata rarely names a licence: keep the one the operator (or a package index) gives."""
    path = model.path / "metadata.json"
    metadata = json.loads(path.read_text(encoding="utf-8"))
    metadata["license"] = licence_name(licence)
    handle, tmp = tempfile.mkstemp(prefix=".tmp-metadata-", dir=model.path)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(metadata, out, indent=2, ensure_ascii=False)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    return _from_argos(argos_packages.get_installed(*model.pairs[0], model.path.parent))


# --- CTranslate2 folders and archives ----------------------------------------------------------------------


def _install_ct2(source: Path, root: Path, *, pair, licence, name, any_language, version) -> LocalModel:
    # Long because: one locked sequence, unpack → inspect → check → probe → manifest → rename, and its cleanup.
    if not source.is_dir() and not is_archive(source):
        raise ModelPackageError(
            f"{source.name}: not a model. Give a CTranslate2 model folder, a .zip, .tar, .tar.gz or .tgz of one, "
            "or an Argos .argosmodel file."
        )
    with install_lock(root):
        clear_leftovers(root)
        staging = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=root))
        try:
            unpacked = staging / "unpacked"
            unpacked.mkdir()
            if source.is_dir():
                check_free_space(root, dir_size(source))
                shutil.copytree(source, unpacked, dirs_exist_ok=True)  # follows links (Hugging Face caches)
            else:
                check_free_space(root, source.stat().st_size)
                extract(source, unpacked)
            if _argos_layout(unpacked) or any(_argos_layout(p) for p in unpacked.iterdir() if p.is_dir()):
                raise ModelPackageError(
                    f"{source.name} holds an Argos package: install the .argosmodel file itself (a zip of the "
                    "package folder)."
                )
            names = tuple(dict.fromkeys((source.name, _ARCHIVE_SUFFIX.sub("", source.name))))
            found = inspect(unpacked, names=names, pair=pair)
            model_name = _model_name(name, found, source, unpacked, root)
            if not any_language:
                check_site_languages(names[0], _pairs(found), found.languages)
            probe(found, names[0], site_languages())
            chosen_licence = licence_name(licence) if licence else (found.card_licence or found.family.default_licence)
            write_manifest(found.root, {
                "format": 1, "family": found.family.name, "languages": list(found.languages),
                "pairs": [list(p) for p in found.pairs], "licence": chosen_licence,
                "non_commercial": non_commercial(chosen_licence), "version": version or "",
                "source": str(source), "installed_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "source_spm": found.source_spm, "target_spm": found.target_spm,
            })
            _make_readable(found.root)
            move_into_place(found.root, root / model_name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return read_manifest(root / model_name)


def _pairs(found: Inspected) -> list[tuple[str, str]]:
    if found.pairs:
        return list(found.pairs)
    return [(s, t) for s in found.languages for t in found.languages if s != t]


def _make_readable(folder: Path) -> None:
    # mkdtemp makes folders 0700; workers may run as another user.
    for path in [folder, *folder.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)


def _parse_pair(pair) -> tuple[str, str]:
    from babelpress.translation.language_tokens import known_language

    parts = pair if isinstance(pair, (tuple, list)) else re.split(r"[-_:>→]+", str(pair).strip())
    codes = tuple(known_language(p) for p in parts)
    if len(codes) != 2 or not all(codes) or codes[0] == codes[1]:
        raise ModelPackageError(
            f"--pair {pair!r}: give two different language codes, source first, like en-hy."
        )
    return codes


def _model_name(name: str | None, found: Inspected, source: Path, unpacked: Path, root: Path) -> str:
    if name is not None:
        if not _NAME.match(name) or _PAIR_LIKE.match(name):
            raise ModelPackageError(
                f"--name {name!r}: use letters, digits, '.', '_', '-' (up to 80, not starting with a dot), and not "
                "a bare pair like en-hy (Argos packages are named so)."
            )
        chosen = name
    else:
        base = found.root.name if found.root != unpacked else _ARCHIVE_SUFFIX.sub("", source.name)
        chosen = re.sub(r"[^A-Za-z0-9._+-]+", "-", base).lstrip(".-_+")[:80] or found.family.name
        if _PAIR_LIKE.match(chosen):  # "en-hy" is an Argos package's folder: "opus-mt-en-hy"
            chosen = f"{found.family.name}-{chosen}"
    existing = root / chosen
    if existing.exists() and not (existing / "babelpress-model.json").is_file():
        raise ModelPackageError(
            f"{root / chosen} already exists and is not a model installed by Babelpress. Choose another name "
            "with --name, or remove that folder."
        )
    if existing.exists() and read_manifest(existing).family != found.family.name:
        raise ModelPackageError(
            f"a {read_manifest(existing).family} model named {chosen!r} is installed. Choose another name with "
            f"--name, or remove it first (`babelpress translation remove-model {chosen}`)."
        )
    return chosen


def site_languages() -> list[str] | None:
    """The site's content languages, or None outside a configured Django project."""
    from babelpress.languages import content_language_codes
    from babelpress.translation.language_tokens import base_language

    try:
        return [base_language(code) for code in content_language_codes()]
    except Exception:  # Django not configured: a bench script, a bare shell
        return None


def check_site_languages(shown: str, pairs, languages) -> None:
    """Refuse a model that could translate no pair the site needs, not even as half of a pivot
    through English."""
    content = site_languages()
    if content is None:
        return
    useful = set(content) | {"en"}
    if any(s in useful and t in useful and (s in content or t in content) for s, t in pairs):
        return
    langs = list(languages)
    known = f"{len(langs)} languages" if len(langs) > 6 else ", ".join(langs)
    raise ModelPackageError(
        f"{shown} translates {known}, but the site publishes in {', '.join(content)} "
        "(BABELPRESS_CONTENT_LANGUAGES): it would never be used. Install a model for the site's languages, add the "
        "language to BABELPRESS_CONTENT_LANGUAGES, or pass --any-language to install it anyway."
    )
