"""DeepL API v2 (https://developers.deepl.com): paid per character, free plan of 500,000 a month.

OPTIONS: ``api_key`` (required), ``url`` (default https://api-free.deepl.com for keys ending in
":fx", else https://api.deepl.com), ``formality`` (default/more/less/prefer_more/prefer_less),
``english_variant`` (EN-US or EN-GB, default EN-US), ``portuguese_variant`` (PT-PT or PT-BR,
default PT-PT), ``glossaries`` ({"fr-en": glossary_id}: glossaries kept in the DeepL account),
``timeout``, ``retries``, ``backoff``, ``languages_ttl`` (seconds, default 600),
``max_request_bytes`` (default 100000).

Babelpress's own glossary never reaches DeepL: its terms are placeholders (docs/decisions.md,
"Glossary terms are placeholders"), so it is not synchronised to DeepL glossaries.
"""

from __future__ import annotations

import json

import httpx
from django.core.exceptions import ImproperlyConfigured

from .base import EngineError, TranslationEngine, placeholders_in
from .http import (
    RETRY_STATUSES,
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

FREE_URL = "https://api-free.deepl.com"
PRO_URL = "https://api.deepl.com"
MAX_TEXTS = 50  # DeepL's documented limit of texts per /v2/translate request
_FORMALITY = {
    "default": None,
    "more": "prefer_more",
    "less": "prefer_less",
    "prefer_more": "prefer_more",
    "prefer_less": "prefer_less",
}


class DeepLEngine(TranslationEngine):
    name = "deepl"
    paid = True
    key_setting = "BABELPRESS_DEEPL_API_KEY"
    url_setting = "BABELPRESS_DEEPL_URL"

    def __init__(self, name: str | None = None, **options):
        super().__init__(name, **options)
        self.api_key = options.get("api_key")
        if not self.api_key:
            raise ImproperlyConfigured(
                f"Translation engine {self.name!r}: set {self.key_setting} (from deepl.com/your-account/keys)."
            )
        url = options.get("url") or (FREE_URL if self.api_key.endswith(":fx") else PRO_URL)
        formality = (options.get("formality") or "default").lower()
        if formality not in _FORMALITY:
            raise ImproperlyConfigured(
                f"Translation engine {self.name!r}: formality must be one of {', '.join(_FORMALITY)}."
            )
        # "more"/"less" are sent as "prefer_*": DeepL then ignores them for languages without formality
        # instead of rejecting the whole request.
        self.formality = _FORMALITY[formality]
        self.english = self._variant(options.get("english_variant", "EN-US"), ("EN-US", "EN-GB"), "english_variant")
        self.portuguese = self._variant(
            options.get("portuguese_variant", "PT-PT"), ("PT-PT", "PT-BR"), "portuguese_variant"
        )
        self.glossary_ids = {self._pair_key(k): v for k, v in (options.get("glossaries") or {}).items()}
        self.max_request_bytes = int(options.get("max_request_bytes", 100_000))  # DeepL caps a request at 128 KiB
        self.api = ApiClient(
            self.name,
            url,
            options=options,
            headers={"Authorization": f"DeepL-Auth-Key {self.api_key}"},
            key_setting=self.key_setting,
            url_setting=self.url_setting,
            retry_statuses=RETRY_STATUSES | {529},  # 529: DeepL's older "too many requests"
            on_error=self._error,
        )
        ttl = float(options.get("languages_ttl", 600))
        self._sources, self._targets = TTLCache(ttl), TTLCache(ttl)

    def _variant(self, value: str, allowed: tuple[str, ...], option: str) -> str:
        value = str(value).upper()
        if value not in allowed:
            raise ImproperlyConfigured(f"Translation engine {self.name!r}: {option} must be {' or '.join(allowed)}.")
        return value

    @staticmethod
    def _pair_key(key) -> tuple[str, str]:
        if isinstance(key, str):
            source, _, target = key.replace("→", "-").replace(":", "-").partition("-")
            return source.strip().lower(), target.strip().lower()
        source, target = key
        return source.lower(), target.lower()

    def describe(self) -> str:
        return f"{self.name} ({host_of(self.api.base_url)})"

    def close(self) -> None:
        self.api.close()

    # --- languages --------------------------------------------------------------------------

    @staticmethod
    def source_code(code: str) -> str:
        return code.replace("_", "-").split("-")[0].upper()

    def target_code(self, code: str) -> str:
        code = code.replace("_", "-").upper()
        mapped = {"EN": self.english, "PT": self.portuguese, "ZH": "ZH-HANS", "NO": "NB"}.get(code, code)
        targets = self._targets.peek()
        if targets and mapped not in targets and mapped.split("-")[0] in targets:
            return mapped.split("-")[0]  # an older server that only knows the plain code (e.g. "ZH")
        return mapped

    def _fetch(self, kind: str) -> frozenset[str]:
        data = self.api.get_json("/v2/languages", params={"type": kind})
        if not isinstance(data, list):
            raise self.api.shape_error(f"GET /v2/languages?type={kind} did not return a list")
        return frozenset(
            str(item["language"]).upper() for item in data if isinstance(item, dict) and item.get("language")
        )

    def source_languages(self) -> frozenset[str]:
        return self._sources.get(lambda: self._fetch("source"))

    def target_languages(self) -> frozenset[str]:
        return self._targets.get(lambda: self._fetch("target"))

    def supports(self, source: str, target: str) -> bool:
        if self.source_code(source) == self.source_code(target):
            return False  # DeepL translates between languages, not between variants of one
        sources, targets = self.source_languages(), self.target_languages()  # EngineError when down
        return self.source_code(source) in sources and self.target_code(target) in targets

    # --- translation ------------------------------------------------------------------------

    def translate_batch(self, segments: list[str], source: str, target: str) -> list[str]:
        results = list(segments)
        todo = [i for i, s in enumerate(segments) if needs_translation(s)]
        if not todo:
            return results
        glossary_id = self.glossary_ids.get((source.lower(), target.lower()))
        for group in chunks(todo, segments, max_items=MAX_TEXTS, max_bytes=self.max_request_bytes):
            self._translate(group, segments, results, source, target, glossary_id)
        return results

    def _translate(self, group, segments, results, source, target, glossary_id) -> None:
        texts = [segments[i] for i in group]
        tags = {t.strip("</>") for s in texts for t in placeholders_in(s)}
        payload = {
            "text": texts,
            "source_lang": self.source_code(source),
            "target_lang": self.target_code(target),
            "tag_handling": "xml",
        }
        # Our tags are inline markup: <gN> must not split sentences; <xN/> are protected (empty anyway).
        if inline := sorted(t for t in tags if t.startswith("g")):
            payload["non_splitting_tags"] = inline
        if protected := sorted(t for t in tags if t.startswith("x")):
            payload["ignore_tags"] = protected
        if self.formality:
            payload["formality"] = self.formality
        if glossary_id:
            payload["glossary_id"] = glossary_id
        try:
            data = self.api.post_json("/v2/translate", payload)
        except RequestTooLarge:
            if len(group) == 1:
                raise EngineError(
                    self.name, f"one segment of {len(texts[0])} characters is too large for DeepL; split it further.",
                    status=413,
                ) from None
            half = len(group) // 2
            self._translate(group[:half], segments, results, source, target, glossary_id)
            self._translate(group[half:], segments, results, source, target, glossary_id)
            return
        translations = data.get("translations") if isinstance(data, dict) else None
        if not isinstance(translations, list) or len(translations) != len(texts):
            raise self.api.shape_error(f"'translations' is not a list of {len(texts)} items")
        for i, item in zip(group, translations):
            text = item.get("text") if isinstance(item, dict) else None
            if not isinstance(text, str):
                raise self.api.shape_error("a translation has no 'text'")
            text = normalise_fragment(text)
            problem = markup_problem(segments[i], text)
            if problem:
                raise EngineError(
                    self.name, f"engine dropped markup ({problem}) in {segments[i][:80]!r} → {text[:80]!r}."
                )
            results[i] = text

    def _error(self, response: httpx.Response) -> EngineError | None:
        status, detail = response.status_code, error_detail(response)
        if status == 456:
            return EngineError(
                self.name,
                f"the DeepL quota for the current billing period is used up (HTTP 456: {detail}). Wait for the next "
                f"period, raise the Cost Control limit (Pro) or upgrade the plan (Free: 500,000 characters a month).",
                status=456,
            )
        if status == 403:
            hint = " (keys ending in ':fx' are for api-free.deepl.com, others for api.deepl.com)"
            return EngineError(
                self.name, f"DeepL refused the key (HTTP 403: {detail}): check {self.key_setting}{hint}.", status=403
            )
        if status == 404 and "glossar" in detail.lower():
            try:
                glossary_id = json.loads(response.request.content).get("glossary_id")
            except (ValueError, AttributeError):
                glossary_id = None
            return EngineError(
                self.name,
                f"glossary {glossary_id} not found (HTTP 404: {detail}): fix the engine's 'glossaries' option.",
                status=404,
            )
        if status == 400:
            return EngineError(self.name, f"DeepL rejected the request (HTTP 400: {detail}).", status=400)
        return None
