"""A model package index: which translation models exist and where to download them.

The index is a JSON file at ``settings.BABELPRESS_MODEL_INDEX_URL``, by default the Argos Translate
index that ``argospm`` reads. Its format (docs/engines.md, "Installing models from an index") is
Argos's: a list of packages, each with ``package_version``, ``from_code``/``to_code`` (or, for a
multilingual model, ``languages``) and ``links``; ``code``, ``from_name``, ``to_name``,
``argos_version`` and ``type`` are read when present. Babelpress also reads optional fields a
mirror may add: ``sha256``, ``size`` (bytes), ``licence``/``license`` and ``format``.

The fetched index is kept in ``<models_dir>/.downloads/index.json`` for ``CACHE_SECONDS``, so that
``available`` then ``install`` fetch it once; a copy older than that still tells an offline
machine which file to fetch. An index that is not a list of packages is refused, naming the URL
and the setting to fix.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import httpx

from babelpress.translation.argos_packages import version_key
from babelpress.translation.argos_packages import default_models_dir

DEFAULT_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
SETTING = "BABELPRESS_MODEL_INDEX_URL"
DOCS = "docs/engines.md, \"Installing models from an index\""
#: How long a fetched index is used without asking the server again.
CACHE_SECONDS = 15 * 60
#: Downloads in progress (``*.part``) and the cached index, inside the models folder.
DOWNLOADS = ".downloads"
CACHE_FILE = "index.json"
#: The real Argos index is about 40 kB; anything this big is not an index.
MAX_INDEX_BYTES = 20 * 1024**2
PIVOT = "en"

_LANG = re.compile(r"^[a-z]{2,3}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class ModelIndexError(Exception):
    """The index cannot be read or has no such model. The message says what to do."""


class IndexUnreachable(ModelIndexError):
    """No answer from the index server (offline, DNS, refused, timed out); ``cached`` is the last copy, if any."""

    def __init__(self, url: str, reason: str, cached: Index | None):
        super().__init__(f"cannot reach the model index {url} ({reason}).")
        self.url, self.reason, self.cached = url, reason, cached


def fix_hint(url: str) -> str:
    where = "the default, the Argos index" if url == DEFAULT_INDEX_URL else f"the default is {DEFAULT_INDEX_URL}"
    return (f"Check {SETTING} (now {url}, {where}) or point it at a mirror of the index ({DOCS}).")


@dataclass(frozen=True)
class IndexEntry:
    name: str
    version: str
    links: tuple[str, ...]
    from_code: str = ""
    to_code: str = ""
    from_name: str = ""
    to_name: str = ""
    #: A multilingual model: every language it translates from and into.
    languages: tuple[str, ...] = ()
    sha256: str = ""
    #: Bytes of the file to download, when the index says.
    size: int | None = None
    licence: str = ""
    format: str = "argos"
    raw: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def multilingual(self) -> bool:
        return bool(self.languages)

    def serves(self, source: str, target: str) -> bool:
        if source == target:
            return False
        if self.multilingual:
            return source in self.languages and target in self.languages
        return (self.from_code, self.to_code) == (source, target)

    def mentions(self, code: str) -> bool:
        return code in self.languages or code in (self.from_code, self.to_code)

    @property
    def pair(self) -> str:
        return "+".join(self.languages) if self.multilingual else f"{self.from_code}-{self.to_code}"

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}"

    @property
    def http_links(self) -> list[str]:
        return [link for link in self.links if urlsplit(link).scheme in ("http", "https")]

    @property
    def filename(self) -> str:
        """A safe local file name: the first link's, else the package's name and version."""
        for link in self.http_links:
            base = PurePosixPath(unquote(urlsplit(link).path)).name
            if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,150}", base or ""):
                return base
        safe = re.sub(r"[^A-Za-z0-9._+-]", "_", f"{self.name}-{self.version}").lstrip(".")
        return f"{safe}.argosmodel"


# --- Reading the index --------------------------------------------------------------------------


def _problems_of(item, position: int) -> tuple[str, list[str]]:
    """(name shown in messages, what is wrong with this entry)."""
    if not isinstance(item, dict):
        return f"entry {position}", [f"is a JSON {type(item).__name__}, not an object"]
    shown = f"entry {position} ({item.get('code') or item.get('name') or '?'})"
    problems = []
    links = item.get("links")
    if not isinstance(links, list) or not links or not all(isinstance(x, str) and x for x in links):
        problems.append("has no \"links\" (a list of download URLs)")
    version = item.get("package_version")
    if not isinstance(version, (str, int, float)) or not str(version).strip():
        problems.append("has no \"package_version\"")
    languages = _languages(item.get("languages"))
    if languages is None:
        problems.append("has \"languages\" that are not language codes")
    elif not languages:
        for key in ("from_code", "to_code"):
            if not isinstance(item.get(key), str) or not _LANG.match(item[key]):
                problems.append(f"has no valid \"{key}\" (got {item.get(key)!r}; a code like \"en\")")
    sha = _sha256(item)
    if sha is None:
        problems.append("has a \"sha256\" that is not 64 hexadecimal digits")
    size = item.get("size")
    if size is not None and (not isinstance(size, int) or isinstance(size, bool) or size <= 0):
        problems.append(f"has a \"size\" that is not a number of bytes ({size!r})")
    return shown, problems


def _languages(value) -> tuple[str, ...] | None:
    """Argos writes ``[{"code": "en", "name": "English"}, …]``; plain codes are fine too."""
    if value in (None, []):
        return ()
    if not isinstance(value, list):
        return None
    codes = [v.get("code") if isinstance(v, dict) else v for v in value]
    if len(codes) < 2 or not all(isinstance(c, str) and _LANG.match(c) for c in codes):
        return None
    return tuple(dict.fromkeys(codes))


def _sha256(item: dict) -> str | None:
    """The hex digest, "" when the entry gives none, None when it gives a malformed one."""
    value = item.get("sha256")
    if value is None and isinstance(item.get("checksum"), str) and item["checksum"].startswith("sha256:"):
        value = item["checksum"].removeprefix("sha256:")
    if value is None:
        return ""
    value = str(value).strip().lower()
    return value if _SHA256.match(value) else None


def _entry(item: dict) -> IndexEntry:
    languages = _languages(item.get("languages")) or ()
    from_code, to_code = ("", "") if languages else (item["from_code"], item["to_code"])
    name = item.get("code") or item.get("name") or f"translate-{from_code}_{to_code}"
    return IndexEntry(
        name=str(name), version=str(item["package_version"]).strip(), links=tuple(item["links"]),
        from_code=from_code, to_code=to_code,
        from_name=str(item.get("from_name") or ""), to_name=str(item.get("to_name") or ""),
        languages=languages, sha256=_sha256(item) or "", size=item.get("size"),
        licence=str(item.get("licence") or item.get("license") or ""),
        format=str(item.get("format") or "argos"), raw=item,
    )


def parse_index(body: bytes, url: str, content_type: str = "") -> list[IndexEntry]:
    """The translation packages of an index file; ModelIndexError naming ``url`` when it is not one."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        if "html" in content_type.lower() or body.lstrip()[:1] == b"<":
            raise ModelIndexError(f"the model index {url} returned an HTML page, not the JSON list of packages: "
                                  f"the URL points at a web page (or a login or error page). {fix_hint(url)}") from None
        raise ModelIndexError(f"the model index {url} is not valid JSON ({exc}). {fix_hint(url)}") from None
    if not isinstance(data, list):
        raise ModelIndexError(f"the model index {url} is a JSON {type(data).__name__}, not a list of packages "
                              f"(\"[{{\"from_code\": …, \"links\": […]}}, …]\"). {fix_hint(url)}")
    entries, broken = [], []
    for position, item in enumerate(data, start=1):
        if isinstance(item, dict) and item.get("type", "translate") != "translate":
            continue  # Argos lists other kinds of packages (sentence boundaries …) that Babelpress does not use
        shown, problems = _problems_of(item, position)
        if problems:
            broken.append(f"{shown} {' and '.join(problems)}")
        else:
            entries.append(_entry(item))
    if broken:
        listed = "; ".join(broken[:3]) + (f"; and {len(broken) - 3} more" if len(broken) > 3 else "")
        raise ModelIndexError(f"the model index {url} has {len(broken)} broken entr{'y' if len(broken) == 1 else 'ies'}: "
                              f"{listed}. If it is your mirror, fix those entries; otherwise {fix_hint(url)}")
    return entries


# --- The index, fetched or cached ----------------------------------------------------------------


@dataclass
class Index:
    url: str
    entries: list[IndexEntry]
    #: When it was fetched (seconds since the epoch).
    fetched_at: float
    from_cache: bool = False

    def for_pair(self, source: str, target: str) -> list[IndexEntry]:
        """Entries that translate source → target, best first: one-pair models, then the newest."""
        found = [e for e in self.entries if e.serves(source, target)]
        return sorted(found, key=lambda e: (not e.multilingual, version_key(e.version)), reverse=True)

    def find(self, spec: str) -> IndexEntry:
        """The newest entry named ``spec``: a pair ("en-hy", "en_hy") or a package name ("translate-en_hy")."""
        text = spec.strip()
        named = [e for e in self.entries if text in (e.name, e.label, e.filename)]
        if named:
            return max(named, key=lambda e: version_key(e.version))
        match = re.fullmatch(r"([a-z]{2,3})[-_]([a-z]{2,3})", text.lower())
        if not match:
            raise ModelIndexError(f"{spec!r} is neither a language pair (like en-fr) nor the name of a package of "
                                  f"the index {self.url}. `babelpress translation available --all` lists them.")
        source, target = match.groups()
        found = self.for_pair(source, target)
        if found:
            return found[0]
        raise ModelIndexError(self.no_model_message(source, target))

    def no_model_message(self, source: str, target: str) -> str:
        message = f"the index {self.url} has no model for {source}→{target}."
        if PIVOT not in (source, target) and self.for_pair(source, PIVOT) and self.for_pair(PIVOT, target):
            return (message + f" It has {source}→{PIVOT} and {PIVOT}→{target}, which translate {source}→{target} "
                    f"through English: `babelpress translation install {source}-{PIVOT} {PIVOT}-{target}`.")
        absent = [code for code in (source, target) if not any(e.mentions(code) for e in self.entries)]
        if absent:
            return (message + f" It has no model at all for {', '.join(absent)}: see docs/engines.md for OPUS-MT "
                    "and NLLB models, installed with `babelpress translation install-model`.")
        return message + " `babelpress translation available --all` lists what it has."


def http_client(timeout: httpx.Timeout | float | None = None) -> httpx.Client:
    """Redirects followed at most 5 times; a server that stops answering fails after 60 s."""
    return httpx.Client(follow_redirects=True, max_redirects=5, headers={"User-Agent": "babelpress"},
                        timeout=timeout if timeout is not None else httpx.Timeout(60.0, connect=15.0))


def transport_reason(exc: httpx.TransportError) -> str:
    """A few words on why a request got no answer, for messages."""
    text = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if any(s in text for s in ("Name or service not known", "nodename nor servname", "getaddrinfo",
                               "Temporary failure in name resolution", "No address associated")):
        try:
            host = exc.request.url.host
        except RuntimeError:  # an error raised without its request
            host = "the server's name"
        return f"{host} does not resolve: the machine is probably offline"
    if "Connection refused" in text:
        return "connection refused"
    return text


def downloads_dir(models_dir: str | os.PathLike | None = None) -> Path:
    return Path(models_dir if models_dir is not None else default_models_dir()).expanduser() / DOWNLOADS


def read_cached(url: str, models_dir=None) -> Index | None:
    """The last index fetched from ``url``, however old; None when there is none (or it is unreadable)."""
    path = downloads_dir(models_dir) / CACHE_FILE
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        if saved.get("url") != url:
            return None
        entries = parse_index(json.dumps(saved["packages"]).encode(), url)
        return Index(url, entries, float(saved["fetched_at"]), from_cache=True)
    except (OSError, ValueError, KeyError, TypeError, ModelIndexError):
        return None


def _write_cache(url: str, packages: list, fetched_at: float, models_dir) -> None:
    folder = downloads_dir(models_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".{CACHE_FILE}.{os.getpid()}"
        temporary.write_text(json.dumps({"url": url, "fetched_at": fetched_at, "packages": packages}), "utf-8")
        os.replace(temporary, folder / CACHE_FILE)
    except OSError:
        pass  # a read-only models folder only costs a second fetch


def load_index(url: str | None = None, models_dir=None, *, refresh: bool = False,
               client: httpx.Client | None = None, clock=time.time) -> Index:
    """The index at ``url`` (default: the setting), from the cache when fetched less than CACHE_SECONDS ago."""
    if url is None:
        from django.conf import settings

        url = settings.BABELPRESS_MODEL_INDEX_URL
    cached = read_cached(url, models_dir)
    if cached and not refresh and 0 <= clock() - cached.fetched_at < CACHE_SECONDS:
        return cached
    body, content_type = _fetch(url, client, cached)
    entries = parse_index(body, url, content_type)
    now = clock()
    _write_cache(url, [e.raw for e in entries], now, models_dir)
    return Index(url, entries, now)


def _fetch(url: str, client: httpx.Client | None, cached: Index | None) -> tuple[bytes, str]:
    owned = client is None
    client = client or http_client()
    try:
        with client.stream("GET", url) as response:
            if response.status_code != 200:
                raise ModelIndexError(f"the model index {url} answered HTTP {response.status_code} "
                                      f"({response.reason_phrase}). {fix_hint(url)}")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_INDEX_BYTES:
                    raise ModelIndexError(f"the model index {url} is larger than {MAX_INDEX_BYTES // 1024**2} MB, "
                                          f"so it is not a package index. {fix_hint(url)}")
                chunks.append(chunk)
            return b"".join(chunks), response.headers.get("content-type", "")
    except httpx.TooManyRedirects:
        raise ModelIndexError(f"the model index {url} redirects too many times. {fix_hint(url)}") from None
    except httpx.UnsupportedProtocol as exc:
        raise ModelIndexError(f"the model index {url} redirects to an address that is not http or https ({exc}). "
                              f"{fix_hint(url)}") from None
    except httpx.TransportError as exc:
        raise IndexUnreachable(url, transport_reason(exc), cached) from None
    finally:
        if owned:
            client.close()
