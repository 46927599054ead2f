"""Any OpenAI-compatible chat completions API: llama.cpp server, vLLM, Ollama, LocalAI, OpenAI...

OPTIONS: ``url`` (base URL ending in /v1, required), ``model`` (required), ``api_key``,
``temperature`` (default 0), ``max_segments_per_request`` (default 20), ``languages`` (codes the
model handles, list or comma-separated; default: a common set), ``json_mode`` (send
response_format=json_object, for servers that support it; default False), ``max_tokens``,
``timeout`` (default read timeout 120 s: models are slow), ``retries``, ``backoff``.

A model's output is checked, never trusted: valid JSON, one string per segment, every tag kept.
On a bad answer it is told what was wrong once, then the segments go one by one.
"""

from __future__ import annotations

import json
import logging
import re

import httpx
from django.core.exceptions import ImproperlyConfigured

from babelpress.booleans import parse_bool
from babelpress.languages import language_name

from .base import EngineError, TranslationEngine, UnsupportedLanguagePair
from .http import (
    ApiClient,
    chunks,
    error_detail,
    host_of,
    markup_problem,
    needs_translation,
    normalise_fragment,
    options_list,
)

log = logging.getLogger("babelpress.translation.engines")

DEFAULT_LANGUAGES = (
    "fr,en,hy,ru,ar,de,es,it,pt,nl,pl,uk,tr,fa,zh,ja,ko,el,ro,sv,da,no,fi,cs,he,ka,az,hi,id,vi"
)

SYSTEM_PROMPT = """You are a professional news translator. Translate each segment from {source} to {target}.
Rules:
- The user sends a JSON array of {n} segments. Each segment is an XML fragment.
- Keep every tag exactly as written, each exactly once: <g1> and </g1> wrap words (translate the words
  between them and keep the tags around the translation); <x2/> stands for protected text (copy it unchanged).
- Keep &amp;, &lt; and &gt; as they are. Add no other markup.
- Do not add explanations, notes, quotation marks or any text before or after the answer.
- Return ONLY a JSON object {{"translations": [...]}} holding exactly {n} strings: the translations,
  in the same order as the input."""

# The glossary terms of the segments sent, one line each (``glossary_prompt``).
GLOSSARY_PROMPT = """
Glossary: translate these terms as given.
{lines}"""
GLOSSARY_INFLECT = '- Translate "{source}" as "{target}" (inflect it as the grammar of the sentence requires{forms}).'
GLOSSARY_EXACT = '- Translate "{source}" as "{target}" (write it exactly so).'


def glossary_prompt(instructions) -> str:
    """The lines added to the system prompt for a group's glossary terms ("" when there are none)."""
    lines = []
    for term in dict.fromkeys(instructions):
        if term.inflect:
            forms = f"; its forms include {', '.join(json.dumps(f, ensure_ascii=False) for f in term.forms)}" \
                if term.forms else ""
            lines.append(GLOSSARY_INFLECT.format(source=term.source, target=term.target, forms=forms))
        else:
            lines.append(GLOSSARY_EXACT.format(source=term.source, target=term.target))
    return GLOSSARY_PROMPT.format(lines="\n".join(lines)) if lines else ""


CORRECTION = (
    "Your answer could not be used: {problem}. Answer again with ONLY the JSON object "
    '{{"translations": [...]}} holding exactly {n} strings, one per input segment in order, each keeping all its tags.'
)

_FENCE = re.compile(r"```[a-zA-Z]*\s*\n?(.*?)```", re.DOTALL)
_THINK = re.compile(r"<think>.*?</think>", re.DOTALL)  # reasoning models put this before the answer


def parse_reply(content: str | None, n: int) -> list:
    """The list of translations in a model's reply; ValueError says what is wrong with it."""
    text = _THINK.sub("", content or "").strip()
    if not text:
        raise ValueError("the reply was empty")
    if fence := _FENCE.search(text):
        text = fence.group(1).strip()
    try:
        data = json.loads(text)
    except ValueError:
        # Prose around the JSON: take the first object that decodes and has "translations".
        data, decoder = None, json.JSONDecoder()
        for match in re.finditer(r"\{", text):
            try:
                candidate, _ = decoder.raw_decode(text, match.start())
            except ValueError:
                continue
            if isinstance(candidate, dict) and "translations" in candidate:
                data = candidate
                break
        if data is None:
            raise ValueError("the reply is not JSON") from None
    if isinstance(data, dict):
        data = data.get("translations")
    if not isinstance(data, list):
        raise ValueError('the reply has no "translations" list')
    if len(data) != n:
        raise ValueError(f"expected {n} translations, got {len(data)}")
    return data


class OpenAICompatibleEngine(TranslationEngine):
    name = "openai"
    # A model can inflect a term it is told about; a placeholder hides the words it must agree with.
    glossary_mode = "instructions"
    url_setting = "BABELPRESS_OPENAI_URL"
    key_setting = "BABELPRESS_OPENAI_API_KEY"
    model_setting = "BABELPRESS_OPENAI_MODEL"

    def __init__(self, name: str | None = None, **options):
        super().__init__(name, **options)
        # A hosted API bills per token: OPTIONS {"paid": True} meters it like DeepL (monthly caps).
        try:
            self.paid = parse_bool(options.get("paid", False))
        except ValueError as exc:
            raise ImproperlyConfigured(f"Translation engine {self.name!r}: option 'paid' {exc}") from None
        url, self.model = options.get("url"), options.get("model")
        if not url:
            raise ImproperlyConfigured(
                f"Translation engine {self.name!r}: set {self.url_setting} (e.g. http://127.0.0.1:8080/v1)."
            )
        if not self.model:
            raise ImproperlyConfigured(
                f"Translation engine {self.name!r}: set {self.model_setting} (the model name the server serves)."
            )
        self.temperature = float(options.get("temperature", 0))
        self.max_items = max(1, int(options.get("max_segments_per_request", 20)))
        self.json_mode = bool(options.get("json_mode", False))
        self.max_tokens = options.get("max_tokens")
        self.languages = {c.lower() for c in options_list(options.get("languages") or DEFAULT_LANGUAGES)}
        headers = {"Authorization": f"Bearer {options['api_key']}"} if options.get("api_key") else {}
        self.api = ApiClient(
            self.name, url, options=options, headers=headers, key_setting=self.key_setting,
            url_setting=self.url_setting, on_error=self._error, default_read_timeout=120.0,
        )

    def describe(self) -> str:
        return f"{self.name} ({self.model} @ {host_of(self.api.base_url)})"

    def close(self) -> None:
        self.api.close()

    def supports(self, source: str, target: str) -> bool:
        source, target = source.lower(), target.lower()
        return source != target and source in self.languages and target in self.languages

    # --- translation ------------------------------------------------------------------------

    def translate_batch(self, segments: list[str], source: str, target: str, *, glossary=None) -> list[str]:
        """``glossary``: one tuple of ``TermInstruction`` per segment (or None): each group's terms
        are added to its system prompt."""
        if not self.supports(source, target):
            hint = "Add the languages to the engine's 'languages' option if the model knows them."
            raise UnsupportedLanguagePair(self.name, source, target, hint)
        results = list(segments)
        terms = list(glossary) if glossary is not None else [()] * len(segments)
        todo = [i for i, s in enumerate(segments) if needs_translation(s)]
        names = language_name(source, "en"), language_name(target, "en")  # prompts are in English
        for group in chunks(todo, segments, max_items=self.max_items):
            texts, group_terms = [segments[i] for i in group], [terms[i] for i in group]
            for i, text in zip(group, self._translate_group(texts, *names, group_terms)):
                results[i] = text
        return results

    def _system(self, source: str, target: str, n: int, terms) -> dict:
        prompt = SYSTEM_PROMPT.format(source=source, target=target, n=n)
        return {"role": "system", "content": prompt + glossary_prompt(t for ts in terms for t in ts)}

    def _translate_group(self, texts: list[str], source: str, target: str, terms) -> list[str]:
        n = len(texts)
        messages = [
            self._system(source, target, n, terms),
            {"role": "user", "content": json.dumps(texts, ensure_ascii=False)},
        ]
        best: list[str | None] = [None] * n
        for attempt in (1, 2):
            content = self._chat(messages)
            items, problem = self._check(content, texts)
            best = [b if b is not None else it for b, it in zip(best, items)]
            if all(b is not None for b in best):
                return best
            log.warning("%s: unusable answer (attempt %d, %d segments): %s", self.name, attempt, n, problem)
            messages = [
                *messages,
                {"role": "assistant", "content": content or ""},
                {"role": "user", "content": CORRECTION.format(problem=problem, n=n)},
            ]
        if n == 1:
            raise self._format_error(problem)
        # Small models lose track in long lists: one segment at a time, only for those still missing.
        for k, text in enumerate(texts):
            if best[k] is None:
                content = self._chat([
                    self._system(source, target, 1, [terms[k]]),
                    {"role": "user", "content": json.dumps([text], ensure_ascii=False)},
                ])
                (item,), problem = self._check(content, [text])
                if item is None:
                    raise self._format_error(problem)
                best[k] = item
        return best

    def _format_error(self, problem: str | None) -> EngineError:
        return EngineError(
            self.name,
            f"model did not follow the translation format ({problem}); try a stronger instruction-following "
            f"model ({self.model_setting}) or a smaller max_segments_per_request.",
        )

    def _check(self, content: str | None, texts: list[str]) -> tuple[list[str | None], str | None]:
        """Usable translations (None where unusable) and what was wrong, if anything."""
        try:
            values = parse_reply(content, len(texts))
        except ValueError as exc:
            return [None] * len(texts), str(exc)
        items: list[str | None] = []
        problems = []
        for k, (source, value) in enumerate(zip(texts, values), start=1):
            if not isinstance(value, str):
                items.append(None)
                problems.append(f"item {k} is not a string")
                continue
            # Models trim; boundary spaces matter when a paragraph was cut into segments.
            lead, trail = source[: len(source) - len(source.lstrip())], source[len(source.rstrip()):]
            value = lead + normalise_fragment(value.strip()) + trail
            problem = markup_problem(source, value)
            items.append(None if problem else value)
            if problem:
                problems.append(f"segment {k}: {problem}")
        return items, "; ".join(problems) or None

    def _chat(self, messages: list[dict]) -> str | None:
        body = {"model": self.model, "messages": messages, "temperature": self.temperature, "stream": False}
        if self.json_mode:
            body["response_format"] = {"type": "json_object"}
        if self.max_tokens:
            body["max_tokens"] = int(self.max_tokens)
        data = self.api.post_json("/chat/completions", body)
        try:
            choice = data["choices"][0]
            content = choice["message"].get("content")
        except (KeyError, IndexError, TypeError, AttributeError):
            raise self.api.shape_error("no choices[0].message in the chat completion") from None
        if choice.get("finish_reason") == "length":
            log.warning(
                "%s: answer cut at the token limit; lower max_segments_per_request or raise max_tokens", self.name
            )
        if isinstance(content, list):  # some servers return content parts
            content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
        return content

    def _error(self, response: httpx.Response) -> EngineError | None:
        status, detail = response.status_code, error_detail(response)
        try:
            err = response.json().get("error") or {}
            code = f"{err.get('code')} {err.get('type')}" if isinstance(err, dict) else ""
        except (ValueError, AttributeError):
            code = ""
        if status == 429 and "insufficient_quota" in code:
            return EngineError(
                self.name, f"the account's quota is used up (HTTP 429: {detail}): check billing.", status=429
            )
        if status == 400 and "context_length" in code:
            return EngineError(
                self.name,
                f"request longer than the model's context (HTTP 400: {detail}): lower max_segments_per_request.",
                status=400,
            )
        if status == 404:
            return EngineError(
                self.name,
                f"not found (HTTP 404: {detail}): check {self.url_setting} (the base URL, ending in /v1) "
                f"and {self.model_setting}.",
                status=404,
            )
        return None
