"""Downloading one model file named by the index (``model_index.IndexEntry``), resumably.

The file grows as ``<models_dir>/.downloads/<file>.part``, next to ``<file>.part.json`` (the URL,
its ETag / Last-Modified and its total size). After an interruption — Ctrl-C, a dropped connection,
a crash — the next attempt asks for the rest with an HTTP ``Range`` request; when the server
ignores it, or the file changed on the server (another ETag, another size), it starts again from
the first byte. A file bigger than the index or the server announced is stopped; its size and
SHA-256 are checked when the index gives them, and a file that fails is deleted. Free disk space
is checked first. Only http and https links are followed (redirects too, at most 5 times).

Nothing is installed here: the caller installs the complete file and then deletes it.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from babelpress.translation.model_index import IndexEntry, transport_reason

#: Room a package takes while it is installed: the archive plus what it unpacks to (about 1.2 times its size).
SPACE_FACTOR = 2.2
PART = ".part"
#: Bytes as stored, so sizes, ranges and checksums are those of the file (no gzip on the way).
IDENTITY = {"Accept-Encoding": "identity"}

Progress = Callable[[int, "int | None"], None]


class DownloadError(Exception):
    """A model file could not be downloaded. The message says what to do."""


class NotEnoughSpace(DownloadError):
    pass


class Interrupted(DownloadError):
    """The transfer stopped part way; ``part`` keeps what arrived, for the next attempt to resume."""

    def __init__(self, message: str, part: Path, kept: int):
        super().__init__(message)
        self.part, self.kept = part, kept


class Unreachable(DownloadError):
    """No link answered at all: the machine is probably offline."""

    def __init__(self, message: str, reasons: list[str]):
        super().__init__(message)
        self.reasons = reasons


class _LinkFailed(Exception):
    def __init__(self, reason: str, unreachable: bool = False):
        super().__init__(reason)
        self.unreachable = unreachable


@dataclass(frozen=True)
class Downloaded:
    path: Path
    url: str
    #: Bytes received in this run (not those kept from an earlier, interrupted one).
    fetched: int
    resumed_from: int


def megabytes(size: int | float) -> str:
    """A size for people: "92.4 MB", or "230 kB" for the small ones."""
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} kB"


def part_path(entry: IndexEntry, folder: Path) -> Path:
    return folder / (entry.filename + PART)


def _state_path(part: Path) -> Path:
    return part.with_name(part.name + ".json")


def check_space(folder: Path, label: str, size: int | None, have: int = 0,
                disk_usage=shutil.disk_usage) -> None:
    """Refuse, with the numbers, when ``folder``'s disk cannot hold the download and its unpacked model."""
    if not size:
        return
    need = int(size * SPACE_FACTOR) - have
    free = disk_usage(folder).free
    if need > free:
        raise NotEnoughSpace(
            f"not enough disk space in {folder}: {label} needs about {megabytes(need)} "
            f"({megabytes(size - have)} to download, {megabytes(size * (SPACE_FACTOR - 1))} to unpack) and "
            f"{megabytes(free)} are free. Free some space, or set BABELPRESS_MODELS_DIR to a folder on a larger disk."
        )


@contextmanager
def _exclusive(part: Path):
    """One download of a file at a time (two commands run side by side would write the same .part)."""
    lock = part.with_name(part.name + ".lock")
    with open(lock, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DownloadError(f"another babelpress process is downloading {part.name} into {part.parent}; "
                                "wait for it to finish, then run the command again.") from None
        try:
            yield
        finally:
            lock.unlink(missing_ok=True)
            fcntl.flock(handle, fcntl.LOCK_UN)


def download(entry: IndexEntry, folder: Path, *, client: httpx.Client, progress: Progress | None = None,
             disk_usage=shutil.disk_usage) -> Downloaded:
    """Download ``entry`` into ``folder``, trying its links in order; returns the complete, checked file."""
    folder.mkdir(parents=True, exist_ok=True)
    links = entry.http_links
    if not links:
        raise DownloadError(f"{entry.label}: the index gives no http or https link ({', '.join(entry.links)}); "
                            "download the file some other way and install it with "
                            "`babelpress translation install-model FILE`.")
    part = part_path(entry, folder)
    with _exclusive(part):
        saved = _read_state(part)
        have = part.stat().st_size if part.exists() and saved else 0
        check_space(folder, entry.label, entry.size, have, disk_usage)
        failures: list[tuple[str, _LinkFailed]] = []
        for link in links:
            try:
                return _from_link(entry, link, part, client, progress, disk_usage)
            except _LinkFailed as exc:
                failures.append((link, exc))
    reasons = [f"{link}: {str(exc).rstrip('.')}" for link, exc in failures]
    if all(exc.unreachable for _, exc in failures):
        raise Unreachable(f"cannot reach {', '.join(links)}.", reasons)
    raise DownloadError(f"could not download {entry.label}: " + "; ".join(reasons)
                        + ". Run the command again later, or tell whoever keeps the index.")


def _read_state(part: Path) -> dict | None:
    try:
        state = json.loads(_state_path(part).read_text(encoding="utf-8"))
        return state if isinstance(state, dict) and isinstance(state.get("url"), str) else None
    except (OSError, ValueError):
        return None


def _discard(part: Path) -> None:
    for path in (part, _state_path(part)):
        path.unlink(missing_ok=True)


def _resume_headers(part: Path, link: str) -> tuple[int, dict, dict]:
    """(bytes kept, request headers, saved state) to continue ``part`` from ``link``; 0 bytes to start over."""
    saved = _read_state(part)
    if not saved or saved["url"] != link or not part.exists() or part.stat().st_size == 0:
        _discard(part)
        return 0, dict(IDENTITY), {}
    have = part.stat().st_size
    headers = {"Range": f"bytes={have}-", **IDENTITY}
    etag = saved.get("etag") or ""
    validator = etag if etag and not etag.startswith("W/") else saved.get("last_modified")
    if validator:
        headers["If-Range"] = validator  # a changed file comes back whole (200), not as a mismatched tail
    return have, headers, saved


_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+|\*)$")


def _continues(response: httpx.Response, saved: dict, have: int) -> bool:
    """Is this 206 the rest of the very file we kept the start of?"""
    match = _CONTENT_RANGE.match(response.headers.get("content-range", "").strip())
    if not match or int(match[1]) != have:
        return False
    total = None if match[3] == "*" else int(match[3])
    if saved.get("total") and total is not None and total != saved["total"]:
        return False
    etag = response.headers.get("etag")
    return not (saved.get("etag") and etag and etag != saved["etag"])


def _expected_total(response: httpx.Response, offset: int) -> int | None:
    match = _CONTENT_RANGE.match(response.headers.get("content-range", "").strip())
    if response.status_code == 206 and match and match[3] != "*":
        return int(match[3])
    length = response.headers.get("content-length", "")
    return offset + int(length) if length.isdigit() else None


def _from_link(entry, link, part, client, progress, disk_usage) -> Downloaded:
    for _attempt in range(2):  # a second time from the first byte when the kept part cannot be continued
        have, headers, saved = _resume_headers(part, link)
        try:
            with client.stream("GET", link, headers=headers) as response:
                if have and (response.status_code == 416
                             or (response.status_code == 206 and not _continues(response, saved, have))):
                    _discard(part)
                    continue
                if response.status_code not in (200, 206):
                    raise _LinkFailed(f"HTTP {response.status_code} {response.reason_phrase}")
                offset = have if response.status_code == 206 else 0  # 200: Range ignored or the file changed
                fetched = _receive(entry, link, response, part, offset, progress, disk_usage)
        except httpx.TransportError as exc:
            raise _LinkFailed(transport_reason(exc), unreachable=isinstance(exc, (httpx.ConnectError,
                                                                                  httpx.ConnectTimeout))) from None
        except httpx.HTTPError as exc:  # too many redirects, a redirect to another scheme
            raise _LinkFailed(str(exc)) from None
        return Downloaded(_finish(entry, link, part), link, fetched, offset)
    raise _LinkFailed("the server refuses to resume the download and to send it again")


def _receive(entry, link, response, part, offset, progress, disk_usage) -> int:
    """Write the body into ``part`` from ``offset``; the bytes received. Interrupted keeps the part."""
    total = _expected_total(response, offset)
    if entry.size and total and total != entry.size:
        _discard(part)
        raise _LinkFailed(f"the server's file has {total} bytes, the index says {entry.size}: the index or the "
                          "mirror is out of date, so the file was not downloaded")
    limit = entry.size or total
    if not entry.size:  # only now do we know how big it is
        check_space(part.parent, entry.label, total, offset, disk_usage)
    state = {"url": link, "package": entry.name, "version": entry.version, "total": limit,
             "etag": response.headers.get("etag", ""), "last_modified": response.headers.get("last-modified", "")}
    _state_path(part).write_text(json.dumps(state), encoding="utf-8")
    done, fetched = offset, 0
    if progress:
        progress(done, limit)
    try:
        with open(part, "r+b" if offset else "wb") as out:
            out.truncate(offset)
            out.seek(offset)
            for chunk in response.iter_raw():  # as it arrives: what came before a failure is kept
                if limit is not None and done + len(chunk) > limit:
                    out.close()
                    _discard(part)
                    raise _LinkFailed(f"the server sent more than the {limit} bytes announced; the file was deleted")
                out.write(chunk)
                done += len(chunk)
                fetched += len(chunk)
                if progress:
                    progress(done, limit)
    except httpx.TransportError as exc:
        raise Interrupted(f"The download of {entry.label} stopped after {megabytes(done)} "
                          f"({transport_reason(exc)}).", part, done) from None
    if limit is not None and done < limit:
        raise Interrupted(f"The server closed the connection after {megabytes(done)} of {megabytes(limit)} "
                          f"of {entry.label}.", part, done)
    return fetched


def _finish(entry: IndexEntry, link: str, part: Path) -> Path:
    """Check the SHA-256 and give the complete file its own name (no .part)."""
    if entry.sha256:
        digest = hashlib.sha256()
        with open(part, "rb") as handle:
            for block in iter(lambda: handle.read(1024 * 1024), b""):
                digest.update(block)
        if digest.hexdigest() != entry.sha256:
            _discard(part)
            raise _LinkFailed(f"its SHA-256 is {digest.hexdigest()}, the index says {entry.sha256}: the file is "
                              "damaged or not the one the index describes, so it was deleted")
    complete = part.with_name(entry.filename)
    os.replace(part, complete)
    _state_path(part).unlink(missing_ok=True)
    return complete


# --- Leftovers -----------------------------------------------------------------------------------


def leftovers(folder: Path) -> list[Path]:
    """Partial downloads, their notes and locks, and complete files not yet installed."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")
                  and p.name != "index.json")


def remove_leftovers(folder: Path, package: str | None = None) -> list[Path]:
    """Delete every leftover, or with ``package`` only its partial downloads (and those nothing names)."""
    removed = []
    for path in leftovers(folder):
        if package is not None and not _partial_of(path, package):
            continue
        try:
            path.unlink()
            removed.append(path)
        except OSError:
            pass
    return removed


def _partial_of(path: Path, package: str) -> bool:
    base = path.name.removesuffix(".json").removesuffix(".lock")
    if not base.endswith(PART):
        return False  # a complete file not yet installed: only --clean removes it
    state = _read_state(path.parent / base)
    return state is None or state.get("package") == package
