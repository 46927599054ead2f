"""`babelpress translation available` and `babelpress translation install PAIR|PACKAGE …`: the models
the index offers for the site's languages (``model_index``), downloaded (``model_download``) and
installed, or, offline, which file to fetch by hand and where from (docs/engines.md, "Installing
models from an index").
"""

from __future__ import annotations

import logging
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings

from babelpress.languages import language_name
from babelpress.translation import availability, model_store, registry
from babelpress.translation import models_cli
from babelpress.translation.model_install import install_model, site_languages
from babelpress.translation.models_folder import ModelPackageError
from babelpress.translation.model_download import (
    DownloadError,
    Interrupted,
    Unreachable,
    download,
    megabytes,
    part_path,
    remove_leftovers,
)
from babelpress.translation.model_index import (
    DOCS,
    PIVOT,
    Index,
    IndexEntry,
    IndexUnreachable,
    ModelIndexError,
    downloads_dir,
    http_client,
    load_index,
    version_key,
)

INSTALL_MODEL = "babelpress translation install-model"


class InstallStopped(Exception):
    """Installing from the index stopped; the message says what to do. ``returncode`` for the command."""

    def __init__(self, message: str, returncode: int = 1):
        super().__init__(message)
        self.returncode = returncode


@contextmanager
def quiet_http_log():
    """httpx logs each request at INFO; these commands say themselves what they fetch."""
    logger = logging.getLogger("httpx")
    before = logger.level
    logger.setLevel(max(before, logging.WARNING))
    try:
        yield
    finally:
        logger.setLevel(before)


# --- What the index offers for the content languages ----------------------------------------------


@dataclass
class Offer:
    """How the index covers the ordered pairs of ``languages``."""

    languages: list[str]
    direct: dict[tuple[str, str], IndexEntry] = field(default_factory=dict)
    through_english: dict[tuple[str, str], tuple[IndexEntry, IndexEntry]] = field(default_factory=dict)
    #: Languages no model of the index mentions at all.
    absent: list[str] = field(default_factory=list)
    impossible: list[tuple[str, str]] = field(default_factory=list)

    def packages(self) -> list[tuple[IndexEntry, str]]:
        """(entry, what it is for), each entry once: direct models first, then the English legs."""
        seen: dict[IndexEntry, str] = {}
        for (s, t), entry in self.direct.items():
            seen.setdefault(entry, f"{s}→{t}")
        for legs in self.through_english.values():
            for leg in legs:
                seen.setdefault(leg, f"{leg.from_code}→{leg.to_code} (English leg)")
        return list(seen.items())


def offer(index: Index, languages: list[str]) -> Offer:
    result = Offer(list(languages))
    for s in languages:
        for t in languages:
            if s == t:
                continue
            best = index.for_pair(s, t)
            if best:
                result.direct[(s, t)] = best[0]
                continue
            to_en, from_en = index.for_pair(s, PIVOT), index.for_pair(PIVOT, t)
            if PIVOT not in (s, t) and to_en and from_en:
                result.through_english[(s, t)] = (to_en[0], from_en[0])
            else:
                result.impossible.append((s, t))
    result.absent = [c for c in languages if not any(e.mentions(c) for e in index.entries)]
    return result


def _name(code: str) -> str:
    return f"{language_name(code, 'en')} ({code})"


def _installed(models_dir) -> dict[tuple[str, str], str]:
    """{(from, to): version} of the bilingual models installed now (a multilingual one has no one pair)."""
    return {m.pairs[0]: m.version for m in model_store.list_models(models_dir) if not m.multilingual and m.pairs}


def _status(entry: IndexEntry, installed: dict) -> str:
    if entry.multilingual:
        return ""
    version = installed.get((entry.from_code, entry.to_code))
    if version is None:
        return ""
    if version_key(version) < version_key(entry.version):
        return f"installed {version}, {entry.version} is newer"
    return "installed"


def _rows(write, rows: list[tuple[IndexEntry, str]], installed: dict) -> None:
    """One line per model: what it is for, name and version, size, licence, format, installed or not."""
    wide = max((len(purpose) for _, purpose in rows), default=0)
    named = max((len(entry.label) for entry, _ in rows), default=0)
    for entry, purpose in rows:
        extra = [megabytes(entry.size) if entry.size else "", entry.licence,
                 entry.format if entry.format != "argos" else "", _status(entry, installed)]
        write(f"  {purpose:<{wide}}  {entry.label:<{named}}  " + "  ".join(x for x in extra if x))


def _source_line(index: Index, clock=time.time) -> str:
    if not index.from_cache:
        return f"Model index {index.url} (fetched now)"
    minutes = max(0, int((clock() - index.fetched_at) // 60))
    return f"Model index {index.url} (kept from {minutes} min ago; --refresh fetches it again)"


def available(write, *, show_all: bool = False, refresh: bool = False, models_dir=None, client=None) -> None:
    """Write what the index offers for the content languages (everything with ``show_all``)."""
    index = _load(refresh, models_dir, client, write=write)
    installed = _installed(models_dir)
    languages = list(settings.BABELPRESS_CONTENT_LANGUAGES)
    write(_source_line(index))
    if show_all:
        write(f"All {len(index.entries)} models:")
        entries = sorted(index.entries, key=lambda e: (e.pair, version_key(e.version)))
        _rows(write, [(e, e.pair.replace("-", "→")) for e in entries], installed)
        return
    found = offer(index, languages)
    write(f"For the content languages {', '.join(_name(c) for c in languages)}:")
    _rows(write, found.packages(), installed)
    if not found.packages():
        write("  nothing")
    if found.through_english:
        write("Through English: " + ", ".join(f"{s}→{t} ({s}→{PIVOT}, {PIVOT}→{t})"
                                              for s, t in found.through_english) + ".")
    _write_impossible(write, found)
    missing = [e for e, _ in found.packages() if _status(e, installed) != "installed"]
    if missing:
        write(f"Install them with: babelpress translation install {' '.join(_spec(e) for e in missing)}")


def _spec(entry: IndexEntry) -> str:
    return entry.name if entry.multilingual else f"{entry.from_code}-{entry.to_code}"


def _write_impossible(write, found: Offer) -> None:
    others = [(s, t) for s, t in found.impossible if s not in found.absent and t not in found.absent]
    if not found.absent and not others:
        return
    write("Not possible with this index:")
    for code in found.absent:
        write(f"  {_name(code)}: the index has no model for {language_name(code, 'en')}; see docs/engines.md "
              f"for OPUS-MT and NLLB models, installed with `{INSTALL_MODEL}`.")
    if others:
        write("  " + ", ".join(f"{s}→{t}" for s, t in others) + ": no model, and no way through English.")


# --- Installing ------------------------------------------------------------------------------------


def _load(refresh: bool, models_dir, client, specs=(), write=None) -> Index:
    """The index; offline, the last copy for ``available`` (told through ``write``), else what to do by hand."""
    try:
        return load_index(models_dir=models_dir, refresh=refresh, client=client)
    except IndexUnreachable as exc:
        if exc.cached is not None and write is not None:
            write(f"Offline: cannot reach {exc.url} ({exc.reason}); showing the copy of the index fetched "
                  f"{_when(exc.cached.fetched_at)}.")
            return exc.cached
        if exc.cached is None or not specs:
            raise InstallStopped(_offline_without_index(exc, specs, models_dir)) from None
        try:
            entries = [exc.cached.find(spec) for spec in specs]
        except ModelIndexError as missing:
            raise InstallStopped(f"Offline ({exc.reason}), so this comes from the copy of the index fetched "
                                 f"{_when(exc.cached.fetched_at)}: {missing}") from None
        raise InstallStopped(_offline(entries, exc.reason, exc.cached, models_dir)) from None
    except ModelIndexError as exc:
        raise InstallStopped(_capital(str(exc))) from None


def _when(timestamp: float) -> str:
    return f"{datetime.fromtimestamp(timestamp).astimezone():%Y-%m-%d %H:%M %Z}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def install(write, specs: list[str], *, clean: bool = False, refresh: bool = False, models_dir=None,
            client=None, disk_usage=shutil.disk_usage, progress_for=None) -> list:
    """Download and install the newest package for each of ``specs``; the models installed."""
    folder = downloads_dir(models_dir)
    if clean:
        removed = remove_leftovers(folder)
        write(f"Removed {len(removed)} leftover download file(s) from {folder}." if removed
              else f"No leftover downloads in {folder}.")
    if not specs:
        return []
    owned = client is None
    client = client or http_client()
    try:
        index = _load(refresh, models_dir, client, specs, write=None)
        try:
            entries = list(dict.fromkeys(index.find(spec) for spec in specs))
        except ModelIndexError as exc:
            raise InstallStopped(_capital(str(exc))) from None
        done = []
        for position, entry in enumerate(entries):
            model = _install_one(write, entry, index, entries[position:], folder, models_dir, client, disk_usage,
                                 progress_for)
            if model is not None:
                done.append(model)
        return done
    except KeyboardInterrupt:  # while fetching the index or unpacking: an install is all or nothing
        raise InstallStopped("Interrupted. Nothing half-installed is left; run the same command again.",
                             returncode=130) from None
    finally:
        if owned:
            client.close()


def _install_one(write, entry, index, pending, folder, models_dir, client, disk_usage, progress_for):
    current = None if entry.multilingual else _installed(models_dir).get((entry.from_code, entry.to_code))
    if current is not None and version_key(current) >= version_key(entry.version):
        write(f"{entry.from_code}→{entry.to_code} {current} is already installed (the index has {entry.version}).")
        return None
    progress = progress_for(entry) if progress_for else _PlainProgress(write, entry)
    try:
        got = download(entry, folder, client=client, progress=progress, disk_usage=disk_usage)
    except Unreachable as exc:
        raise InstallStopped(_offline(pending, "; ".join(exc.reasons), index, models_dir)) from None
    except Interrupted as exc:
        raise InstallStopped(_resume_hint(str(exc), exc.part)) from None
    except DownloadError as exc:
        raise InstallStopped(_capital(str(exc))) from None
    except KeyboardInterrupt:
        part = part_path(entry, folder)
        raise InstallStopped(_resume_hint(f"Interrupted: the download of {entry.label} stopped.", part),
                             returncode=130) from None
    finally:
        getattr(progress, "close", lambda: None)()
    resumed = f", resumed at {megabytes(got.resumed_from)}" if got.resumed_from else ""
    write(f"Downloaded {got.path.name} from {got.url} ({megabytes(got.fetched)} fetched{resumed}).")
    try:
        model = _install_file(got.path, entry, models_dir)
    except ModelPackageError as exc:
        raise InstallStopped(f"{got.path.name} from {got.url} cannot be installed: {exc} "
                             f"The file stays in {got.path.parent}; `--clean` deletes it.") from None
    got.path.unlink(missing_ok=True)
    remove_leftovers(folder, entry.name)
    registry.clear_cache()  # engines and the "no engine for …" notices see the new model at once
    availability.forget()
    for line in models_cli.installed_lines(model, model_store.list_models(models_dir),
                                           models_cli.current_choices(models_dir), site_languages()):
        write(line)
    return model


def _install_file(path: Path, entry: IndexEntry, models_dir):
    # The one place a downloaded file is installed: every model family, checked as install-model checks it.
    if entry.format == "argos":  # an Argos package names its own folder (<from>-<to>) and version
        return install_model(path, models_dir, licence=entry.licence or None)
    pair = None if entry.multilingual else f"{entry.from_code}-{entry.to_code}"
    return install_model(path, models_dir, licence=entry.licence or None, name=entry.name, pair=pair,
                         version=entry.version or None)


def _resume_hint(message: str, part: Path) -> str:
    kept = part.stat().st_size if part.exists() else 0
    if not kept:
        return f"{message} Run the same command again."
    return (f"{message} {megabytes(kept)} are kept in {part}: run the same command again to resume the download "
            "(`--clean` deletes it instead). Nothing was installed.")


# --- Offline ----------------------------------------------------------------------------------------


def _offline(entries: list[IndexEntry], reason: str, index: Index, models_dir) -> str:
    folder = downloads_dir(models_dir)
    when = ""
    if index.from_cache:
        when = f" (links from the copy of the index fetched {_when(index.fetched_at)})"
    lines = [f"This machine cannot download the model ({reason}).",
             f"To install without a connection{when}:"]
    for entry in entries:
        target = folder / entry.filename
        facts = ", ".join(x for x in (megabytes(entry.size) if entry.size else "",
                                      f"SHA-256 {entry.sha256}" if entry.sha256 else "") if x)
        links = entry.http_links or list(entry.links)
        lines += [f"  {entry.label} ({entry.pair}):",
                  f"    1. On a machine that is online, download {links[0]}" + (f" ({facts})" if facts else ""),
                  *[f"       or {link}" for link in links[1:]],
                  f"    2. Copy it to this machine, to {target}",
                  f"    3. Run: {INSTALL_MODEL} {target}"]
    lines.append("Or run the same command again once this machine is online.")
    return "\n".join(lines)


def _offline_without_index(exc: IndexUnreachable, specs, models_dir) -> str:
    folder = downloads_dir(models_dir)
    asked = ", ".join(specs) or "a model"
    return "\n".join([
        f"This machine cannot reach the model index {exc.url} ({exc.reason}), and has no copy of it.",
        f"To install {asked} without a connection:",
        f"  1. On a machine that is online, open {exc.url}: it lists the packages; for each pair you want, find",
        "     the entry with its \"from_code\" and \"to_code\" and download the first address of its \"links\".",
        f"  2. Copy the file to this machine, for example into {folder}/",
        f"  3. Run: {INSTALL_MODEL} {folder}/FILE",
        f"Or run the same command again once this machine is online (or set BABELPRESS_MODEL_INDEX_URL to a "
        f"mirror this machine can reach; {DOCS}).",
    ])


# --- Progress ----------------------------------------------------------------------------------------


class _PlainProgress:
    """A line when the download starts, then one per tenth of the file (per 10 MB when its size is unknown)."""

    def __init__(self, write, entry: IndexEntry):
        self.write, self.entry, self.step = write, entry, None

    def __call__(self, done: int, total: int | None) -> None:
        step = 10 * done // total if total else done // 10_000_000
        if self.step is None:
            size = megabytes(total) if total else "size unknown"
            start = f"resuming at {megabytes(done)}" if done else "from the start"
            self.write(f"Downloading {self.entry.label} ({size}), {start}")
        elif step > self.step:
            share = f" of {megabytes(total)} ({100 * done // total}%)" if total else ""
            self.write(f"  {megabytes(done)}{share}")
        self.step = step


class RichProgress:
    """A progress bar with speed and time left, for a terminal."""

    def __init__(self, stream, entry: IndexEntry):
        from rich.console import Console
        from rich.progress import (BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn,
                                   TransferSpeedColumn)

        self.bar = Progress(TextColumn(entry.label), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                            TimeRemainingColumn(), console=Console(file=stream, highlight=False))
        self.task = self.bar.add_task(entry.label, total=None)
        self.bar.start()

    def __call__(self, done: int, total: int | None) -> None:
        self.bar.update(self.task, completed=done, total=total)

    def close(self) -> None:
        self.bar.stop()
