"""Fixtures for the importer's lowest layers: a scriptable local HTTP(S) server, a fake DNS and a
network jail that fails any test whose code tries to reach anything but 127.0.0.1/::1."""

from __future__ import annotations

import gzip
import ipaddress
import socket
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from babelpress.ingest import fetch as fetch_module


# --- Network jail and fake DNS -------------------------------------------------------------------


@dataclass
class Jail:
    violations: list = field(default_factory=list)
    names: dict[str, list[str]] = field(default_factory=dict)  # fake DNS: name -> addresses
    lookups: list[str] = field(default_factory=list)

    def resolve(self, name: str, *addresses: str) -> None:
        self.names[name.lower()] = list(addresses)


@pytest.fixture(autouse=True)
def network_jail(monkeypatch):
    """Every socket connect must go to loopback, every name lookup to the fake DNS."""
    jail = Jail()
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def check(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            ip = ipaddress.ip_address(str(address[0]).split("%", 1)[0])
            if not ip.is_loopback:
                jail.violations.append(address)
                raise OSError(101, f"network jail: test tried to reach {address}")

    def connect(sock, address):
        check(sock, address)
        return real_connect(sock, address)

    def connect_ex(sock, address):
        check(sock, address)
        return real_connect_ex(sock, address)

    def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
        name = host.decode() if isinstance(host, bytes) else str(host)
        jail.lookups.append(name)
        try:
            ipaddress.ip_address(name.split("%", 1)[0])
            return real_getaddrinfo(host, port, family, type, proto, flags)
        except ValueError:
            pass
        if name.lower() in jail.names:
            answers = jail.names[name.lower()]
            if callable(answers):
                answers = answers()
            result = []
            for address in answers:
                ip = ipaddress.ip_address(address)
                fam = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
                sockaddr = (address, port or 0, 0, 0) if ip.version == 6 else (address, port or 0)
                result.append((fam, socket.SOCK_STREAM, 6, "", sockaddr))
            return result
        if name.lower() == "localhost":
            return real_getaddrinfo("127.0.0.1", port, family, type, proto, flags)
        raise socket.gaierror(socket.EAI_NONAME, f"fake DNS: {name} is unknown")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    fetch_module.clear_robots_cache()
    yield jail
    fetch_module.clear_robots_cache()
    assert not jail.violations, f"a request tried to leave 127.0.0.1: {jail.violations}"


@pytest.fixture
def dns(network_jail) -> Jail:
    return network_jail


# --- Scriptable local server ---------------------------------------------------------------------


@dataclass
class Route:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | Iterable[bytes] | Callable[[], Iterable[bytes]] = b""
    delay: float = 0.0  # before the status line (a hanging server)
    drip: float = 0.0  # between body chunks (a slow server)


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.server.owner.requests.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}))
        route = self.server.owner.routes.get(self.path) or self.server.owner.routes.get(self.path.split("?")[0])
        if route is None:
            route = Route(404, {"Content-Type": "text/plain"}, b"not found")
        stop = self.server.owner.stopping
        if route.delay and stop.wait(route.delay):
            return
        body = route.body() if callable(route.body) else route.body
        self.send_response(route.status)
        headers = dict(route.headers)
        if isinstance(body, bytes):
            headers.setdefault("Content-Length", str(len(body)))
        else:
            headers["Connection"] = "close"  # length unknown: the end of the body is the close
            self.close_connection = True
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        try:
            for chunk in [body] if isinstance(body, bytes) else body:
                if route.drip and stop.wait(route.drip):
                    return
                self.wfile.write(chunk)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, which is what most tests want

    def log_message(self, format, *args):  # keep test output quiet
        pass

    def handle_one_request(self):
        try:
            super().handle_one_request()
        except (BrokenPipeError, ConnectionResetError, TimeoutError, ssl.SSLError):
            self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    owner: LocalServer

    def handle_error(self, request, client_address):
        pass  # aborted connections are routine here


class LocalServer:
    def __init__(self, ssl_context: ssl.SSLContext | None = None):
        self.routes: dict[str, Route] = {}
        self.requests: list[Seen] = []
        self.stopping = threading.Event()
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.owner = self
        if ssl_context is not None:
            self.httpd.socket = ssl_context.wrap_socket(self.httpd.socket, server_side=True)
        self.scheme = "https" if ssl_context else "http"
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def route(self, path: str, status: int = 200, body: bytes | Iterable[bytes] | Callable = b"",
              headers: dict[str, str] | None = None, **kwargs) -> Route:
        route = Route(status, dict(headers or {}), body, **kwargs)
        self.routes[path] = route
        return route

    def html(self, path: str, html: str | bytes, charset: str | None = "utf-8", **kwargs) -> Route:
        content_type = "text/html" + (f"; charset={charset}" if charset else "")
        body = html.encode(charset or "utf-8") if isinstance(html, str) else html
        return self.route(path, body=body, headers={"Content-Type": content_type, **kwargs.pop("headers", {})}, **kwargs)

    def paths(self) -> list[str]:
        return [seen.path for seen in self.requests]

    def close(self):
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    srv = LocalServer()
    yield srv
    srv.close()


@pytest.fixture
def allow_private(settings):
    """The guard opened for the local test server, as a deployment on a LAN would set it."""
    settings.BABELPRESS_IMPORT_ALLOW_PRIVATE = True
    return True


@pytest.fixture(scope="session")
def tls_material(tmp_path_factory):
    """A throwaway self-signed certificate for partner.example (needs the openssl command)."""
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    try:
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
             "-days", "2", "-subj", "/CN=partner.example", "-addext", "subjectAltName=DNS:partner.example"],
            check=True, capture_output=True, timeout=60,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"openssl is needed to make a test certificate: {exc}")
    return key, cert


@pytest.fixture
def tls_server(tls_material):
    key, cert = tls_material
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server_names: list[str | None] = []

    def remember(sock, name, ctx):
        server_names.append(name)

    context.sni_callback = remember
    srv = LocalServer(context)
    srv.server_names = server_names
    srv.cafile = cert
    yield srv
    srv.close()


class DribblingServer:
    """A raw TCP server on 127.0.0.1 that answers every connection by sending ``payload`` one byte
    every ``interval`` seconds (a slowloris in reverse: each byte comes well within any read
    timeout, so only a deadline over the whole response can stop the client)."""

    def __init__(self, payload: bytes, interval: float = 0.05):
        self.payload, self.interval = payload, interval
        self.stopping = threading.Event()
        self.connections = 0
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            threading.Thread(target=self._dribble, args=(conn,), daemon=True).start()

    def _dribble(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.settimeout(1)
                conn.recv(65536)  # the request
                for byte in self.payload:
                    if self.stopping.wait(self.interval):
                        return
                    conn.sendall(bytes([byte]))
            except OSError:
                pass  # the client hung up: what the tests expect

    def close(self) -> None:
        self.stopping.set()
        self.sock.close()


@pytest.fixture
def dribbling_server():
    """Make a DribblingServer; all are closed after the test."""
    made = []

    def make(payload: bytes, interval: float = 0.05) -> DribblingServer:
        made.append(DribblingServer(payload, interval))
        return made[-1]

    yield make
    for srv in made:
        srv.close()


#: A status line, then headers that never end (a 10 000-byte header line, dribbled).
SLOW_HEADERS = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Slow: " + b"a" * 10_000 + b"\r\n\r\n"


def gzip_bomb(inflated_mb: int = 1024, member_mb: int = 16) -> bytes:
    """A gzip body of about 1 MB that inflates to ``inflated_mb`` MB (repeated members)."""
    member = gzip.compress(b"\0" * (member_mb * 1024 * 1024), compresslevel=9)
    return member * (inflated_mb // member_mb)


# --- Stories, pages and feeds for the importer's end-to-end specifications --------------------------

import random as _random  # noqa: E402
from email.utils import format_datetime as _format_datetime  # noqa: E402
from html import escape as _escape  # noqa: E402
from types import SimpleNamespace as _NS  # noqa: E402

_WORDS = {
    "en": ("council mayor bridge river budget school harbour workers union museum festival railway station "
           "hospital doctors farmers market village election minister report court judge police storm water "
           "energy prices housing tenants students teachers library theatre garden forest mountain coast "
           "fishermen trade company factory engineers record season team coach players city region").split(),
    "fr": ("conseil maire pont rivière budget école port ouvriers syndicat musée festival chemin gare hôpital "
           "médecins agriculteurs marché village élection ministre rapport tribunal juge police tempête eau "
           "énergie prix logement locataires étudiants enseignants bibliothèque théâtre jardin forêt montagne "
           "côte pêcheurs commerce entreprise usine ingénieurs saison équipe ville région").split(),
    "de": ("Rat Bürgermeister Brücke Fluss Haushalt Schule Hafen Arbeiter Gewerkschaft Museum Bahnhof "
           "Krankenhaus Ärzte Bauern Markt Dorf Wahl Minister Bericht Gericht Richter Polizei Sturm Wasser "
           "Energie Preise Wohnungen Mieter Studenten Lehrer Bibliothek Theater Garten Wald Küste Stadt").split(),
}
_GLUE = {"en": "the a of and in on for with from after before".split(),
         "fr": "le la les de et dans sur pour avec après avant".split(),
         "de": "der die das und mit für nach vor über unter".split()}


def story(seed: int, paragraphs: int = 5, words: int = 60, lang: str = "en") -> list[str]:
    """Paragraphs of plausible, distinct prose (distinct seeds share almost no 5-word shingles)."""
    rng = _random.Random(seed)
    out = []
    for _ in range(paragraphs):
        tokens = [rng.choice(_WORDS[lang] if i % 3 else _GLUE[lang]) for i in range(words)]
        text = " ".join(tokens)
        out.append(text[0].upper() + text[1:] + ".")
    return out


def article_page(headline: str, paragraphs: list[str], *, lang: str | None = "en", author: str | None = "Jane Doe",
                 published: str | None = "2026-03-02T10:00:00+00:00", canonical: str | None = None,
                 sitename: str = "Partner Daily", description: str | None = None) -> str:
    head = [f"<title>{_escape(headline)} | {_escape(sitename)}</title>",
            f'<meta property="og:site_name" content="{_escape(sitename)}">',
            f'<meta property="og:title" content="{_escape(headline)}">']
    if author:
        head.append(f'<meta name="author" content="{_escape(author)}">')
    if published:
        head.append(f'<meta property="article:published_time" content="{published}">')
    if canonical:
        head.append(f'<link rel="canonical" href="{_escape(canonical)}">')
    if description:
        head.append(f'<meta name="description" content="{_escape(description)}">')
    body = "".join(f"<p>{_escape(p)}</p>" for p in paragraphs)
    lang_attr = f' lang="{lang}"' if lang else ""
    return (f"<!doctype html><html{lang_attr}><head><meta charset='utf-8'>{''.join(head)}</head><body>"
            f"<header><nav><a href='/'>Home</a> <a href='/world'>World</a></nav></header>"
            f"<main><article><h1>{_escape(headline)}</h1><p class='byline'>By {_escape(author or '')}</p>"
            f"{body}</article></main><footer>© Partner</footer></body></html>")


def rss(items: list[dict], *, title: str = "Partner feed", link: str = "https://partner.example/",
        language: str | None = "en") -> bytes:
    """An RSS 2.0 document; each item: title, link, guid, description, content, author, published (datetime)."""
    parts = []
    for item in items:
        fields = []
        for tag in ("title", "link", "guid", "description", "author"):
            if item.get(tag):
                attrs = ' isPermaLink="false"' if tag == "guid" else ""
                fields.append(f"<{tag}{attrs}>{_escape(item[tag])}</{tag}>")
        if item.get("content"):
            fields.append(f"<content:encoded><![CDATA[{item['content']}]]></content:encoded>")
        if item.get("published"):
            fields.append(f"<pubDate>{_format_datetime(item['published'])}</pubDate>")
        parts.append(f"<item>{''.join(fields)}</item>")
    lang = f"<language>{language}</language>" if language else ""
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            f'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>{_escape(title)}</title>'
            f"<link>{_escape(link)}</link>{lang}{''.join(parts)}</channel></rss>").encode("utf-8")


@pytest.fixture
def sections(db):
    """Two sections, named in French and English; "news" comes first."""
    from babelpress.newsroom.models import Section, SectionName

    news = Section.objects.create(key="news", position=1)
    SectionName.objects.create(section=news, language="fr", name="Actualités")
    SectionName.objects.create(section=news, language="en", name="News")
    culture = Section.objects.create(key="culture", position=2)
    SectionName.objects.create(section=culture, language="fr", name="Culture", slug="culture-fr")
    SectionName.objects.create(section=culture, language="en", name="Arts", slug="arts")
    return _NS(news=news, culture=culture)


@pytest.fixture
def immediate_tasks(settings):
    """Jobs run as soon as they are queued, in the same thread (django-tasks' immediate backend)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def partner(server, allow_private, sections):
    """A partner site on the local server, with helpers to publish pages and feeds on it."""

    class Partner:
        def __init__(self):
            self.server, self.sections = server, sections

        def url(self, path: str) -> str:
            return server.url(path)

        def page(self, path: str, headline: str, seed: int, **kwargs) -> str:
            paragraphs = kwargs.pop("paragraphs", None) or story(seed, lang=kwargs.get("lang") or "en")
            kwargs.setdefault("canonical", server.url(path))
            server.html(path, article_page(headline, paragraphs, **kwargs))
            return server.url(path)

        def feed(self, path: str, items: list[dict], headers: dict | None = None, **kwargs) -> str:
            server.route(path, body=rss(items, **kwargs),
                         headers={"Content-Type": "application/rss+xml; charset=utf-8", **(headers or {})})
            return server.url(path)

    server.route("/robots.txt", body=b"User-agent: *\nAllow: /\n", headers={"Content-Type": "text/plain"})
    return Partner()
