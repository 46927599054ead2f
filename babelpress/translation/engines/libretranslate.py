"""LibreTranslate (https://libretranslate.com, or self-hosted): free software, Argos models.

OPTIONS: ``url`` (required), ``api_key``, ``timeout``, ``retries``, ``backoff``,
``languages_ttl`` (seconds, default 600), ``max_segments_per_request`` (default 50),
``max_chars_per_request`` (default 20000; set it to the server's ``--char-limit``). A paragraph
longer than ``max_chars_per_request`` is cut between sentences before it is sent.
"""

from __future__ import annotations

from collections.abc import Iterable

import httpx
from django.core.exceptions import ImproperlyConfigured

from .base import EngineError, TranslationEngine, UnsupportedLanguagePair
from .http import (
    ApiClient,
    RequestTooLarge,
    TTLCache,
    chunks,
    error_detail,
    host_of,
    markup_problem,
    needs_translation,
    normalise_fragment,
)

# Platform codes whose LibreTranslate spelling differs (LibreTranslate compares codes exactly).
_ALIASES = {
    "zh": ["zh-hans", "zh"],
    "zh-hans": ["zh-hans", "zh"],
    "zh-hant": ["zt", "zh-hant"],
    "no": ["nb"],
    "nb": ["nb", "no"],
}


class LibreTranslateEngine(TranslationEngine):
    name = "libretranslate"
    url_setting = "BABELPRESS_LIBRETRANSLATE_URL"
    key_setting = "BABELPRESS_LIBRETRANSLATE_API_KEY"

    def __init__(self, name: str | None = None, **options):
        super().__init__(name, **options)
        url = options.get("url")
        if not url:
            raise ImproperlyConfigured(
                f"Translation engine {self.name!r}: set {self.url_setting} (e.g. http://127.0.0.1:5000)."
            )
        self.api_key = options.get("api_key") or None
        self.max_items = int(options.get("max_segments_per_request", 50))
        self.max_chars = int(options.get("max_chars_per_request", 20000))
        # A longer segment could never be sent: the segmenter cuts such paragraphs between sentences.
        self.max_segment_chars = self.max_chars
        self.api = ApiClient(
            self.name, url, options=options, key_setting=self.key_setting, url_setting=self.url_setting,
            on_error=self._error,
        )
        self._languages = TTLCache(float(options.get("languages_ttl", 600)))

    def describe(self) -> str:
        return f"{self.name} ({host_of(self.api.base_url)})"

    def close(self) -> None:
        self.api.close()

    # --- languages --------------------------------------------------------------------------

    def languages(self) -> dict[str, set[str]]:
        """{source code: target codes} as the server spells them, cached for ``languages_ttl``."""
        return self._languages.get(self._fetch_languages)

    def _fetch_languages(self) -> dict[str, set[str]]:
        data = self.api.get_json("/languages")
        if not isinstance(data, list):
            raise self.api.shape_error("GET /languages did not return a list")
        return {
            str(item["code"]): {str(t) for t in item.get("targets") or []}
            for item in data
            if isinstance(item, dict) and item.get("code")
        }

    def _server_code(self, code: str, known: Iterable[str]) -> str | None:
        by_lower = {c.lower(): c for c in known}
        code = code.lower().replace("_", "-")
        for candidate in [code, *_ALIASES.get(code, []), code.split("-")[0]]:
            if candidate in by_lower:
                return by_lower[candidate]
        return None

    def _pair(self, source: str, target: str) -> tuple[str, str] | None:
        langs = self.languages()
        src = self._server_code(source, langs)
        if src is None:
            return None
        tgt = self._server_code(target, langs[src])
        return (src, tgt) if tgt and tgt != src else None

    def supports(self, source: str, target: str) -> bool:
        return self._pair(source, target) is not None  # EngineError when the server is down

    # --- translation ------------------------------------------------------------------------

    def translate_batch(self, segments: list[str], source: str, target: str) -> list[str]:
        results = list(segments)
        todo = [i for i, s in enumerate(segments) if needs_translation(s)]
        if not todo:
            return results
        pair = self._pair(source, target)
        if pair is None:
            raise UnsupportedLanguagePair(self.name, source, target, f"{self.describe()} has no model for this pair.")
        for group in chunks(todo, segments, max_items=self.max_items, max_bytes=self.max_chars):
            self._translate(group, segments, results, *pair)
        return results

    def _translate(self, group: list[int], segments: list[str], results: list[str], source: str, target: str) -> None:
        texts = [segments[i] for i in group]
        payload = {"q": texts, "source": source, "target": target, "format": "html"}
        if self.api_key:
            payload["api_key"] = self.api_key
        try:
            data = self.api.post_json("/translate", payload)
        except RequestTooLarge:
            if len(group) == 1:
                raise
            half = len(group) // 2  # the server's batch or character limit is lower than ours: halve
            self._translate(group[:half], segments, results, source, target)
            self._translate(group[half:], segments, results, source, target)
            return
        translated = data.get("translatedText") if isinstance(data, dict) else None
        if isinstance(translated, str) and len(texts) == 1:
            translated = [translated]
        if not (isinstance(translated, list) and len(translated) == len(texts)) or not all(
            isinstance(t, str) for t in translated
        ):
            raise self.api.shape_error(f"'translatedText' is not a list of {len(texts)} strings")
        for i, text in zip(group, translated):
            # format=html: the server parses our tags as HTML and re-serialises them (<x2/> may come back
            # as <x2></x2>, text unescaped); normalise, then insist every tag survived.
            text = normalise_fragment(text)
            problem = markup_problem(segments[i], text)
            if problem:
                raise EngineError(
                    self.name,
                    f"engine dropped markup ({problem}) in {segments[i][:80]!r} → {text[:80]!r}; "
                    f"this segment needs another engine or a human.",
                )
            results[i] = text

    def _error(self, response: httpx.Response) -> EngineError | None:
        status, detail = response.status_code, error_detail(response)
        if status == 403:
            return EngineError(
                self.name,
                f"LibreTranslate refused the API key (HTTP 403: {detail}): check {self.key_setting}.",
                status=403,
            )
        if status == 400:
            lowered = detail.lower()
            if "api key" in lowered:  # a key is required and none (or an unknown one) was sent
                return EngineError(self.name, f"bad request (HTTP 400: {detail}): set {self.key_setting}.", status=400)
            if "exceeds text limit" in lowered:
                return RequestTooLarge(self.name, f"request too large (HTTP 400: {detail}).", status=400)
            return EngineError(self.name, f"bad request (HTTP 400: {detail}).", status=400)
        return None

