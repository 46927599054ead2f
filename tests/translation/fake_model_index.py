"""A local stand-in for the Argos package index and the server its links point to, for the tests of
`babelpress translation available|install` (and for trying them by hand).

``FakeModelIndex`` is a real HTTP server on 127.0.0.1 (port 0, threads). ``/index.json`` answers
``index.packages`` (or whatever ``index.index_reply`` says: a status, a body, a content type);
``/files/NAME`` answers the file added with ``add_package``, honouring ``Range`` and ``If-Range``
(strong ETags) as a web server does. Files can misbehave: ``drop_after`` hangs up after so many
bytes of the body (once), ``ignore_range`` sends the whole file to every request, ``if_range=False``
answers ranges of a file that changed since, ``no_length``
sends no Content-Length (the body then ends when the connection closes), ``pause`` waits that long
between 64 KiB blocks (for trying an interruption by hand; tests never use it). Every request is
recorded: ``index.requests`` as (path, headers, status, body bytes sent). ``index.redirects`` maps
paths to the Location they redirect to.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest


@dataclass
class Served:
    path: str
    headers: dict[str, str]
    status: int = 0
    sent: int = 0


@dataclass
class FakeFile:
    data: bytes
    etag: str
    drop_after: int | None = None
    ignore_range: bool = False
    #: False: answer a Range request even when its If-Range no longer matches (an old or sloppy server).
    if_range: bool = True
    no_length: bool = False
    pause: float = 0.0
    status: int = 200


@dataclass
class IndexReply:
    status: int = 200
    body: bytes | None = None
    content_type: str = "application/json"


class FakeModelIndex:
    def __init__(self):
        self.url = ""
        self.packages: list[dict] = []
        self.index_reply: IndexReply | None = None
        self.files: dict[str, FakeFile] = {}
        #: path → Location: answered 302 (a path of its own makes a loop).
        self.redirects: dict[str, str] = {}
        self.requests: list[Served] = []
        self.lock = threading.Lock()

    @property
    def index_url(self) -> str:
        return f"{self.url}/index.json"

    def add_package(self, archive: Path, *, sha256: bool | str = True, size: bool | int = True, **extra) -> dict:
        """Serve ``archive`` (a tiny .argosmodel) and list it in the index as argospm would, with
        Babelpress's ``sha256`` and ``size`` (False leaves them out); ``extra`` overrides or adds
        fields of the entry (``sha256="0" * 64``, ``size=10``)."""
        from zipfile import ZipFile

        data = archive.read_bytes()
        with ZipFile(archive) as zf:
            meta = json.loads(next(zf.read(n) for n in zf.namelist() if n.endswith("/metadata.json")))
        name = archive.name
        self.files[name] = FakeFile(data, etag=f'"{hashlib.md5(data).hexdigest()}"')
        entry = {
            "package_version": meta["package_version"], "argos_version": meta.get("argos_version", "1.9"),
            "from_code": meta["from_code"], "from_name": meta["from_code"], "to_code": meta["to_code"],
            "to_name": meta["to_code"], "links": [f"{self.url}/files/{name}"],
            "code": f"translate-{meta['from_code']}_{meta['to_code']}",
            **({"sha256": hashlib.sha256(data).hexdigest() if sha256 is True else sha256} if sha256 else {}),
            **({"size": len(data) if size is True else size} if size else {}),
            **extra,
        }
        self.packages.append(entry)
        return entry

    def add_archive(self, archive: Path, **entry) -> dict:
        """Serve ``archive`` (any model archive) and list it with the index ``entry`` fields given."""
        data = archive.read_bytes()
        self.files[archive.name] = FakeFile(data, etag=f'"{hashlib.md5(data).hexdigest()}"')
        entry = {"argos_version": "1.9", "links": [f"{self.url}/files/{archive.name}"],
                 "sha256": hashlib.sha256(data).hexdigest(), "size": len(data), **entry}
        self.packages.append(entry)
        return entry

    def file(self, name: str) -> FakeFile:
        return self.files[name]

    def served(self, prefix: str = "/files/") -> list[Served]:
        with self.lock:
            return [r for r in self.requests if r.path.startswith(prefix)]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    index: FakeModelIndex

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        record = Served(self.path, {k.lower(): v for k, v in self.headers.items()})
        with self.index.lock:
            self.index.requests.append(record)
        if self.path in self.index.redirects:
            self._send(record, 302, b"", {"Location": self.index.redirects[self.path]})
            return
        if self.path == "/index.json":
            reply = self.index.index_reply or IndexReply(body=json.dumps(self.index.packages).encode())
            self._send(record, reply.status, reply.body or b"", {"Content-Type": reply.content_type})
            return
        fake = self.index.files.get(self.path.removeprefix("/files/"))
        if fake is None:
            self._send(record, 404, b"<h1>Not Found</h1>", {"Content-Type": "text/html"})
            return
        if fake.status != 200:
            self._send(record, fake.status, b"error", {"Content-Type": "text/plain"})
            return
        self._send_file(record, fake)

    def _send_file(self, record: Served, fake: FakeFile):
        start, status, headers = 0, 200, {"ETag": fake.etag, "Content-Type": "application/zip",
                                          "Accept-Ranges": "none" if fake.ignore_range else "bytes"}
        asked = record.headers.get("range", "")
        if_range = record.headers.get("if-range")
        if asked.startswith("bytes=") and not fake.ignore_range and (if_range is None or if_range == fake.etag or not fake.if_range):
            start = int(asked.removeprefix("bytes=").split("-")[0])
            if start >= len(fake.data):
                self._send(record, 416, b"", {"Content-Range": f"bytes */{len(fake.data)}"})
                return
            status = 206
            headers["Content-Range"] = f"bytes {start}-{len(fake.data) - 1}/{len(fake.data)}"
        body = fake.data[start:]
        cut = None
        if fake.drop_after is not None:
            cut, fake.drop_after = fake.drop_after, None  # once
        self._send(record, status, body, headers, cut=cut, length=not fake.no_length, pause=fake.pause)

    def _send(self, record, status, body, headers, *, cut=None, length=True, pause=0.0):
        record.status = status
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if length:
            self.send_header("Content-Length", str(len(body)))
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        out = body if cut is None else body[:cut]
        for block in range(0, len(out), 65536):
            self.wfile.write(out[block:block + 65536])
            self.wfile.flush()
            record.sent += len(out[block:block + 65536])
            if pause:
                time.sleep(pause)  # only for trying an interruption by hand
        if cut is not None or not length:
            self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that hangs up on a file it refuses is fine
            super().handle_error(request, client_address)


@contextmanager
def serve_index(index: FakeModelIndex | None = None, port: int = 0):
    """Run the fake index on 127.0.0.1 for the block; ``index.url`` is its root."""
    index = index or FakeModelIndex()
    server = _Server(("127.0.0.1", port), type("Handler", (_Handler,), {"index": index}))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    index.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield index
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=2)


# --- Fixtures (imported by the test modules that use them) -------------------------------------------

INDEX_PAIRS = [("en", "fr"), ("fr", "en"), ("en", "ru"), ("ru", "en")]


@pytest.fixture(scope="session")
def index_packages(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """Tiny real packages for en↔fr and en↔ru: an index like Argos's, which has no Armenian."""
    from babelpress.translation.testing import build_tiny_argos_package

    folder = tmp_path_factory.mktemp("index-packages")
    return {pair: build_tiny_argos_package(folder, *pair) for pair in INDEX_PAIRS}


@pytest.fixture
def model_index(settings, tmp_path):
    """A fake index (empty: add packages) as BABELPRESS_MODEL_INDEX_URL, the models folder in tmp_path,
    the content languages French, English, Armenian and Russian."""
    with serve_index() as index:
        settings.BABELPRESS_MODEL_INDEX_URL = index.index_url
        settings.BABELPRESS_MODELS_DIR = tmp_path / "models"
        settings.BABELPRESS_CONTENT_LANGUAGES = ["fr", "en", "hy", "ru"]
        yield index
