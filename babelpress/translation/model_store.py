"""Every local model installed in the models folder, whatever its family, and which model the
operator chose for which pair.

``<models_dir>/<name>/babelpress-model.json`` is the manifest written at install
(``model_install``): family, languages, licence, version, where it came from, when. Argos packages
installed before families existed (``<from>-<to>/`` with their ``metadata.json``) are listed as
they are, with no migration. ``<models_dir>/preferences.json`` holds the operator's choices
(``babelpress translation prefer en-hy MODEL``).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from babelpress.translation import argos_packages, model_families
from babelpress.translation.model_cards import licence_name, non_commercial
from babelpress.translation.models_folder import (
    MANIFEST,
    ModelPackageError,
    delete_model_folder,
    dir_size,
    install_lock,
    make_dir,
    resolve_dir,
)

logger = logging.getLogger(__name__)

PREFERENCES = "preferences.json"
LIST_HINT = "babelpress translation list-models"


@dataclass(frozen=True)
class LocalModel:
    """An installed model. A bilingual one (argos, opus-mt) has its one pair in ``pairs``; a
    multilingual one (nllb, m2m100, madlad) serves every ordered pair of its ``languages``."""

    name: str
    family: str
    path: Path
    languages: tuple[str, ...]
    pairs: tuple[tuple[str, str], ...] = ()
    licence: str = ""
    non_commercial: bool = False
    version: str = ""
    source: str = ""
    installed_at: str = ""
    source_spm: str = "sentencepiece.model"
    target_spm: str = "sentencepiece.model"
    #: Argos packages only: a token the output starts with (metadata "target_prefix").
    target_prefix: str = ""
    manifest: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def kind(self) -> model_families.ModelFamily:
        return model_families.get(self.family)

    @property
    def multilingual(self) -> bool:
        return self.kind.multilingual

    @property
    def pair(self) -> str:
        """"en-hy" for a bilingual model, "" for a multilingual one."""
        return "-".join(self.pairs[0]) if len(self.pairs) == 1 else ""

    def serves(self, source: str, target: str) -> bool:
        if source == target:
            return False
        if self.multilingual:
            return source in self.languages and target in self.languages
        return (source, target) in self.pairs

    def served_pairs(self, among=None) -> list[tuple[str, str]]:
        """The pairs this model serves, restricted to languages in ``among`` when given."""
        if not self.multilingual:
            return [p for p in self.pairs if among is None or set(p) <= set(among)]
        langs = [lang for lang in self.languages if among is None or lang in among]
        return [(s, t) for s in langs for t in langs if s != t]

    @property
    def model_dir(self) -> Path:
        """The CTranslate2 folder (model.bin, config.json, vocabulary)."""
        sub = self.kind.ct2_subdir
        return self.path / sub if sub else self.path

    @property
    def source_spm_path(self) -> Path:
        return self.path / self.source_spm

    @property
    def target_spm_path(self) -> Path:
        return self.path / self.target_spm

    @property
    def sentencepiece_path(self) -> Path:
        return self.source_spm_path

    @property
    def size(self) -> int:
        return dir_size(self.path)

    def __str__(self) -> str:
        if self.family == "argos":
            return f"{self.pairs[0][0]}→{self.pairs[0][1]} {self.version}"
        return f"{self.name} ({self.family})"


# --- Reading ----------------------------------------------------------------------------------------


def _from_argos(model: argos_packages.InstalledModel) -> LocalModel:
    licence = licence_name(str(model.metadata.get("license") or model.metadata.get("licence") or ""))
    return LocalModel(
        name=model.path.name, family="argos", path=model.path, languages=(model.from_code, model.to_code),
        pairs=((model.from_code, model.to_code),), licence=licence, non_commercial=non_commercial(licence),
        version=model.version, source=str(model.metadata.get("source_file") or ""),
        target_prefix=model.target_prefix, manifest=model.metadata,
    )


def read_manifest(path: Path) -> LocalModel:
    """The model installed in ``path`` from its manifest. Raises OSError/ValueError/KeyError when broken."""
    data = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    family = model_families.get(data["family"])
    pairs = tuple(tuple(p) for p in data.get("pairs", ()))
    if not family.multilingual and len(pairs) != 1:
        raise ValueError(f"a {family.name} model serves one pair, the manifest lists {len(pairs)}")
    return LocalModel(
        name=path.name, family=family.name, path=path, languages=tuple(data["languages"]), pairs=pairs,
        licence=str(data.get("licence", "")), non_commercial=bool(data.get("non_commercial", False)),
        version=str(data.get("version", "")), source=str(data.get("source", "")),
        installed_at=str(data.get("installed_at", "")), source_spm=data["source_spm"], target_spm=data["target_spm"],
        manifest=data,
    )


def write_manifest(path: Path, data: dict) -> None:
    (path / MANIFEST).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def list_models(models_dir: str | os.PathLike | None = None) -> list[LocalModel]:
    """Every installed model, sorted by name. Broken folders are skipped with a warning."""
    root = resolve_dir(models_dir)
    if not root.is_dir():
        return []
    found = [_from_argos(m) for m in argos_packages.list_installed(root)]
    for entry in sorted(root.iterdir()):
        if entry.name.startswith(".") or not (entry / MANIFEST).is_file():
            continue
        try:
            found.append(read_manifest(entry))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            logger.warning("Ignoring %s: its %s is damaged (%s). Remove the folder and install the model again.",
                           entry, MANIFEST, exc)
    return sorted(found, key=lambda m: m.name)


def get_model(name: str, models_dir: str | os.PathLike | None = None) -> LocalModel | None:
    return next((m for m in list_models(models_dir) if m.name == name), None)


def remove_model(name: str, models_dir: str | os.PathLike | None = None) -> tuple[LocalModel, list[str]]:
    """Uninstall a model by name (an Argos package also by its pair, "en-fr"); returns it and the
    pairs whose preference named it (those preferences are dropped)."""
    root = resolve_dir(models_dir)
    model = get_model(name, root)
    if model is None:
        names = ", ".join(m.name for m in list_models(root)) or "none"
        raise ModelPackageError(
            f"no model named {name!r} in {root} (installed: {names}). `{LIST_HINT}` shows the installed models."
        )
    with install_lock(root):
        delete_model_folder(model.path)
        prefs = read_preferences(root)
        dropped = sorted(pair for pair, chosen in prefs.items() if chosen == model.name)
        if dropped:
            _write_preferences(root, {p: c for p, c in prefs.items() if p not in dropped})
    logger.debug("Removed %s from %s", model, root)
    return model, dropped


# --- Preferences: which model serves which pair -------------------------------------------------------


def read_preferences(models_dir: str | os.PathLike | None = None) -> dict[str, str]:
    """{"en-hy": "nllb-200-distilled-600M", ...} as set with ``babelpress translation prefer``."""
    path = resolve_dir(models_dir) / PREFERENCES
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        logger.warning("Ignoring %s (%s): set the choices again with `babelpress translation prefer`.", path, exc)
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write_preferences(root: Path, prefs: dict[str, str]) -> None:
    handle, tmp = tempfile.mkstemp(prefix=".tmp-preferences-", dir=root)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(dict(sorted(prefs.items())), out, indent=2, ensure_ascii=False)
    os.chmod(tmp, 0o644)
    os.replace(tmp, root / PREFERENCES)


def set_preference(source: str, target: str, name: str | None, models_dir=None) -> LocalModel | None:
    """Make ``name`` the model for source→target (``None`` forgets the choice); returns the model."""
    root = make_dir(resolve_dir(models_dir))
    pair = f"{source}-{target}"
    model = None
    if name is not None:
        model = get_model(name, root)
        if model is None:
            names = ", ".join(m.name for m in list_models(root)) or "none"
            raise ModelPackageError(f"no model named {name!r} is installed (installed: {names}). `{LIST_HINT}`.")
        if not model.serves(source, target):
            raise ModelPackageError(
                f"{name} ({model.family}) cannot translate {source}→{target}: it serves "
                f"{describe_reach(model)}. Choose a model that serves the pair; `{LIST_HINT}` shows them."
            )
    with install_lock(root):
        prefs = read_preferences(root)
        if name is None:
            prefs.pop(pair, None)
        else:
            prefs[pair] = name
        _write_preferences(root, prefs)
    return model


def describe_reach(model: LocalModel, among=None) -> str:
    """"en→hy", or "34 languages: en, fr, hy, ru (+30 more)" for a multilingual model."""
    if not model.multilingual:
        return ", ".join(f"{s}→{t}" for s, t in model.pairs)
    shown = [lang for lang in model.languages if among is None or lang in among]
    rest = len(model.languages) - len(shown)
    more = f" (+{rest} more)" if rest and among is not None else ""
    return f"{len(model.languages)} languages: {', '.join(shown) or 'none of the site’s'}{more}"
