"""Local stand-ins for the LibreTranslate, DeepL and OpenAI-compatible APIs, for the engine tests.

Each fake is a real HTTP server on 127.0.0.1 (port 0, in a thread) that checks requests the way
the documented API does (credentials, JSON shape, parameters) and answers in the documented shape.
The "translation" is deterministic: text outside the tags in capitals, tags kept.

Every request is recorded (``service.requests``). ``service.script(path, *actions)`` queues what
the next requests to ``path`` get instead of the normal answer: a ``Reply`` (any status, headers,
raw body), a ``Hang`` (no answer for a while, to trip client timeouts) or a fake-specific mode
string (e.g. "drop_tag", "prose", "wrong_count").
"""

from __future__ import annotations

import html
import json
import re
import threading
import uuid
from collections import defaultdict, deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from babelpress.translation.engines.base import split_on_placeholders
from babelpress.translation.placeholders import TAG as _TAG

_MISSING = object()


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class Reply:
    status: int = 200
    json: Any = _MISSING
    body: bytes | str | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Hang:
    """Say nothing for ``seconds`` (released early when the server stops), then hang up."""

    seconds: float = 5.0


def shout(segment: str, glossary: dict[str, str] | None = None) -> str:
    """The fakes' "translation": text outside tags in capitals, glossary terms replaced."""
    out = []
    for kind, run in split_on_placeholders(segment):
        if kind == "tag":
            out.append(run)
            continue
        text = html.unescape(run).upper()
        for term, replacement in (glossary or {}).items():
            text = text.replace(term.upper(), replacement)
        out.append(html.escape(text, quote=False))
    return "".join(out)


def drop_first_tag(segment: str) -> str:
    return _TAG.sub("", segment, count=1)


class FakeService:
    url = ""

    def __init__(self):
        self.requests: list[Request] = []
        self._script: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()
        self.stopping = threading.Event()

    def script(self, path: str, *actions) -> None:
        with self._lock:
            self._script[path].extend(actions)

    def calls(self, path: str | None = None, method: str | None = None) -> list[Request]:
        with self._lock:
            return [
                r for r in self.requests if (path is None or r.path == path) and (method is None or r.method == method)
            ]

    def dispatch(self, request: Request) -> Reply | Hang:
        with self._lock:
            self.requests.append(request)
            queue = self._script.get(request.path)
            action = queue.popleft() if queue else None
        if isinstance(action, (Reply, Hang)):
            return action
        try:
            return self.handle(request, action)
        except Exception as exc:  # a bug in a fake shows up as a 500 with the reason, not as a hang
            return Reply(500, {"error": f"fake server error: {exc!r}"})

    def handle(self, request: Request, mode: str | None) -> Reply:
        raise NotImplementedError


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: don't wait 40 ms for an ACK
    service: FakeService

    def log_message(self, format, *args):  # keep test output quiet
        pass

    def _serve(self):
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = Request(
            self.command, parts.path, parse_qs(parts.query), {k.lower(): v for k, v in self.headers.items()}, body
        )
        reply = self.service.dispatch(request)
        if isinstance(reply, Hang):
            self.service.stopping.wait(reply.seconds)
            self.close_connection = True
            return
        if reply.body is not None:
            payload = reply.body.encode() if isinstance(reply.body, str) else reply.body
            content_type = "text/html; charset=utf-8"
        elif reply.json is not _MISSING:
            payload = json.dumps(reply.json, ensure_ascii=False).encode()
            content_type = "application/json"
        else:
            payload, content_type = b"", None
        self.send_response(reply.status)
        headers = dict(reply.headers)
        if content_type and "Content-Type" not in headers:
            headers["Content-Type"] = content_type
        headers["Content-Length"] = str(len(payload))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if payload and self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_DELETE = _serve


@contextmanager
def serve(service: FakeService):
    """Run ``service`` on 127.0.0.1 for the duration of the block; ``service.url`` is its root."""
    handler = type("Handler", (_Handler,), {"service": service})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    service.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield service
    finally:
        service.stopping.set()  # release hanging handlers
        server.shutdown()
        server.server_close()
        thread.join(timeout=2)


def _json_body(request: Request) -> tuple[Any, Reply | None]:
    if not request.headers.get("content-type", "").startswith("application/json"):
        return None, Reply(400, {"error": "Invalid request: expected a JSON body"})
    try:
        return request.json, None
    except ValueError:
        return None, Reply(400, {"error": "Invalid JSON format"})


# --- LibreTranslate ---------------------------------------------------------------------------


class FakeLibreTranslate(FakeService):
    """LibreTranslate's /languages and /translate (JSON, q as a list, format=html).

    Like the real server in HTML mode, answers re-serialise empty tags as <xN></xN> and come back
    HTML-unescaped. ``batch_limit`` mimics --batch-limit, ``char_limit`` --char-limit (characters
    of all texts of a request).
    """

    LANGUAGES = {
        "en": ["ar", "de", "es", "fr", "ru", "zh-Hans"],
        "fr": ["en", "de", "es", "ru"],
        "ru": ["en", "fr"],
        "de": ["en", "fr"],
        "es": ["en", "fr"],
        "ar": ["en"],
        "zh-Hans": ["en"],
    }

    def __init__(self, api_key: str | None = None, batch_limit: int | None = None, char_limit: int | None = None):
        super().__init__()
        self.api_key, self.batch_limit, self.char_limit = api_key, batch_limit, char_limit

    def handle(self, request: Request, mode: str | None) -> Reply:
        if request.path == "/languages" and request.method == "GET":
            return Reply(json=[{"code": c, "name": c.upper(), "targets": t} for c, t in self.LANGUAGES.items()])
        if request.path != "/translate" or request.method != "POST":
            return Reply(404, body="<h1>Not Found</h1>")
        data, error = _json_body(request)
        if error:
            return error
        if self.api_key:
            key = data.get("api_key")
            if key and key != self.api_key:
                return Reply(403, {"error": "Invalid API key"})
            if not key:
                return Reply(400, {"error": "Visit https://portal.libretranslate.com to get an API key"})
        q, source, target = data.get("q"), data.get("source"), data.get("target")
        for name, value in (("q", q), ("source", source), ("target", target)):
            if not value:
                return Reply(400, {"error": f"Invalid request: missing {name} parameter"})
        if data.get("format") != "html":
            return Reply(400, {"error": "fake: the engine must send format=html so that tags survive"})
        if not isinstance(q, list) or not all(isinstance(t, str) for t in q):
            return Reply(400, {"error": "fake: q must be a list of strings"})
        if self.batch_limit and len(q) > self.batch_limit:
            return Reply(400, {"error": f"Invalid request: request ({len(q)}) exceeds text limit ({self.batch_limit})"})
        if self.char_limit and sum(len(t) for t in q) > self.char_limit:
            size = sum(len(t) for t in q)
            return Reply(400, {"error": f"Invalid request: request ({size}) exceeds text limit ({self.char_limit})"})
        if source not in self.LANGUAGES:
            return Reply(400, {"error": f"{source} is not supported"})
        if target not in self.LANGUAGES[source]:
            return Reply(400, {"error": f"{target} is not available as a target language from {source}"})
        out = [shout(text) for text in q]
        if mode == "drop_tag":
            out = [drop_first_tag(text) for text in out]
        # What BeautifulSoup's html.parser and LibreTranslate's final unescape() do to our fragments.
        out = [html.unescape(re.sub(r"<(x\d+)/>", r"<\1></\1>", text)) for text in out]
        return Reply(json={"translatedText": out})


# --- DeepL ------------------------------------------------------------------------------------


class FakeDeepL(FakeService):
    """DeepL API v2: /v2/languages, /v2/translate, and POST /v2/glossaries (as an operator makes one).

    ``max_body_bytes`` makes /v2/translate answer 413 above that size, as DeepL does above 128 KiB.
    """

    SOURCES = ["DE", "EN", "ES", "FR", "IT", "PT", "RU", "ZH", "AR"]
    TARGETS = ["DE", "EN-GB", "EN-US", "ES", "FR", "IT", "PT-BR", "PT-PT", "RU", "ZH", "ZH-HANS", "AR"]
    GLOSSARY_PAIRS = [("fr", "en"), ("en", "fr"), ("de", "en"), ("en", "de")]
    FORMALITY = {"default", "more", "less", "prefer_more", "prefer_less"}

    def __init__(self, auth_key: str = "deepl-secret:fx", max_body_bytes: int | None = None):
        super().__init__()
        self.auth_key, self.max_body_bytes = auth_key, max_body_bytes
        self.glossaries: dict[str, dict] = {}
        self.character_count = 0  # what DeepL bills, as its /v2/usage would report it

    def handle(self, request: Request, mode: str | None) -> Reply:
        if request.headers.get("authorization") != f"DeepL-Auth-Key {self.auth_key}":
            return Reply(403, {"message": "Authorization failure, check auth_key"})
        route = (request.method, request.path)
        if route == ("GET", "/v2/languages"):
            kind = (request.query.get("type") or ["source"])[0]
            codes = self.TARGETS if kind == "target" else self.SOURCES
            return Reply(json=[{"language": c, "name": c, "supports_formality": c in {"DE", "FR"}} for c in codes])
        if route == ("POST", "/v2/glossaries"):
            return self._create_glossary(request)
        if route == ("POST", "/v2/translate"):
            return self._translate(request, mode)
        return Reply(404, {"message": "Not found"})

    @staticmethod
    def _meta(glossary: dict) -> dict:
        return {k: v for k, v in glossary.items() if k != "entries"}

    def _create_glossary(self, request: Request) -> Reply:
        data, error = _json_body(request)
        if error:
            return Reply(400, {"message": "Bad request"})
        missing = [k for k in ("name", "source_lang", "target_lang", "entries", "entries_format") if not data.get(k)]
        if missing:
            return Reply(400, {"message": f"Missing parameters: {', '.join(missing)}"})
        if data["entries_format"] not in ("tsv", "csv"):
            return Reply(400, {"message": "Unsupported entries format"})
        if (data["source_lang"], data["target_lang"]) not in self.GLOSSARY_PAIRS:
            return Reply(400, {"message": "Unsupported glossary language pair"})
        entries = {}
        for line in data["entries"].split("\n"):
            parts = line.split("\t")
            if len(parts) != 2 or not all(p and p == p.strip() for p in parts) or parts[0] in entries:
                return Reply(400, {"message": f"Invalid glossary entries: {line!r}"})
            entries[parts[0]] = parts[1]
        glossary = {
            "glossary_id": str(uuid.uuid4()),
            "name": data["name"],
            "ready": True,
            "source_lang": data["source_lang"],
            "target_lang": data["target_lang"],
            "creation_time": datetime.now(timezone.utc).isoformat(),
            "entry_count": len(entries),
            "entries": entries,
        }
        self.glossaries[glossary["glossary_id"]] = glossary
        return Reply(201, self._meta(glossary))

    def _translate(self, request: Request, mode: str | None) -> Reply:
        if self.max_body_bytes and len(request.body) > self.max_body_bytes:
            return Reply(413, {"message": "Request Entity Too Large"})
        data, error = _json_body(request)
        if error:
            return Reply(400, {"message": "Bad request"})
        texts = data.get("text")
        if not isinstance(texts, list) or not texts or not all(isinstance(t, str) for t in texts):
            return Reply(400, {"message": "Parameter 'text' not specified."})
        if len(texts) > 50:
            return Reply(400, {"message": "Too many texts: at most 50 per request"})
        if data.get("target_lang") not in self.TARGETS:
            return Reply(400, {"message": "Value for 'target_lang' not supported."})
        if data.get("source_lang") is not None and data["source_lang"] not in self.SOURCES:
            return Reply(400, {"message": "Value for 'source_lang' not supported."})
        if data.get("tag_handling") != "xml":
            return Reply(400, {"message": "fake: the engine must send tag_handling=xml"})
        if data.get("formality") is not None and data["formality"] not in self.FORMALITY:
            return Reply(400, {"message": "Value for 'formality' not supported."})
        glossary_entries = None
        if data.get("glossary_id"):
            if not data.get("source_lang"):
                return Reply(400, {"message": "Use of a glossary requires the source_lang parameter to be set."})
            glossary = self.glossaries.get(data["glossary_id"])
            if glossary is None:
                return Reply(404, {"message": "Glossary not found"})
            glossary_entries = glossary["entries"]
        self.character_count += sum(len(t) for t in texts)
        out = [shout(text, glossary_entries) for text in texts]
        if mode == "drop_tag":
            out = [drop_first_tag(text) for text in out]
        source = data.get("source_lang") or "FR"
        return Reply(json={"translations": [{"detected_source_language": source, "text": t} for t in out]})


# --- OpenAI-compatible chat completions -------------------------------------------------------


class FakeChatCompletions(FakeService):
    """POST /v1/chat/completions as llama.cpp, vLLM and OpenAI answer it.

    The "model" reads the JSON array of segments from the first user message and answers
    {"translations": [...]} in capitals, writing each glossary term the system prompt names
    (``Translate "X" as "Y"``) as told. Modes make it misbehave like small models do:
    "fenced" (```json block), "prose" (chatter around the JSON), "wrong_count", "drop_tag",
    "not_json", "think" (a <think> block first).
    """

    PATH = "/v1/chat/completions"

    def __init__(self, model: str = "tiny-translator", api_key: str | None = None):
        super().__init__()
        self.model, self.api_key = model, api_key

    @staticmethod
    def _error(status: int, message: str, code: str | None = None) -> Reply:
        error = {"message": message, "type": "invalid_request_error", "param": None, "code": code}
        return Reply(status, {"error": error})

    def handle(self, request: Request, mode: str | None) -> Reply:
        if self.api_key and request.headers.get("authorization") != f"Bearer {self.api_key}":
            return self._error(401, "Incorrect API key provided.", "invalid_api_key")
        if (request.method, request.path) != ("POST", self.PATH):
            return self._error(404, f"Unknown request URL: {request.method} {request.path}", "unknown_url")
        data, error = _json_body(request)
        if error:
            return self._error(400, "We could not parse the JSON body of your request.")
        if data.get("model") != self.model:
            return self._error(404, f"The model `{data.get('model')}` does not exist", "model_not_found")
        messages = data.get("messages")
        if not isinstance(messages, list) or not messages or not all(
            isinstance(m, dict)
            and m.get("role") in {"system", "user", "assistant"}
            and isinstance(m.get("content"), str)
            for m in messages
        ):
            return self._error(400, "'messages' must be a list of {role, content}")
        user = next(m["content"] for m in messages if m["role"] == "user")
        segments = json.loads(user)
        system = next((m["content"] for m in messages if m["role"] == "system"), "")
        glossary = dict(re.findall(r'Translate "([^"]+)" as "([^"]+)"', system))
        translations = [shout(s, glossary) for s in segments]
        if mode == "wrong_count":
            translations = translations[:-1]
        if mode == "drop_tag":
            translations = [drop_first_tag(t) for t in translations]
        answer = json.dumps({"translations": translations}, ensure_ascii=False)
        content = {
            "fenced": f"```json\n{answer}\n```",
            "prose": f"Sure! Here are the translations:\n\n{answer}\n\nLet me know if you need anything else.",
            "not_json": "I'm sorry, but I can only translate one sentence at a time.",
            "think": f"<think>The user wants capitals. {{not json}}</think>\n{answer}",
        }.get(mode, answer)
        return chat_completion(content, self.model)


def chat_completion(content: str, model: str = "tiny-translator") -> Reply:
    """A chat completion answering ``content``, as the fake (and OpenAI) sends it; script it with
    ``service.script(FakeChatCompletions.PATH, chat_completion(...))`` to make the model say
    exactly that."""
    return Reply(json={
        "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
        "object": "chat.completion",
        "created": int(datetime.now(timezone.utc).timestamp()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    })
