"""DeepL API v2 (https://developers.deepl.com): paid per character, free plan of 500,000 a month.

OPTIONS: ``api_key`` (required), ``url`` (default https://api-free.deepl.com for keys ending in
":fx", else https://api.deepl.com), ``formality`` (default/more/less/prefer_more/prefer_less),
``english_variant`` (EN-US or EN-GB, default EN-US), ``portuguese_variant`` (PT-PT or PT-BR,
default PT-PT), ``glossaries`` ({"fr-en": glossary_id} made beforehand), ``timeout``, ``retries``,
``backoff``, ``languages_ttl`` (seconds, default 600), ``max_request_bytes`` (default 100000).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading

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

log = logging.getLogger("babelpress.translation.engines")

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
_GLOSSARY_PREFIX = "babelpress"


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
        self._sources, self._targets, self._glossary_pairs = TTLCache(ttl), TTLCache(ttl), TTLCache(ttl)
        self._glossary_cache: dict[tuple[str, str, str], str] = {}
        self._glossary_lock = threading.Lock()

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

    def check_supports(self, source: str, target: str) -> bool:
        if self.source_code(source) == self.source_code(target):
            return False  # DeepL translates between languages, not between variants of one
        sources, targets = self.source_languages(), self.target_languages()
        return self.source_code(source) in sources and self.target_code(target) in targets

    def supports(self, source: str, target: str) -> bool:
        try:
            return self.check_supports(source, target)
        except EngineError as exc:
            if not exc.retryable:
                raise  # bad key or URL: the operator must see it
            log.warning(
                "%s: language list unavailable, treating %s→%s as unsupported for now: %s",
                self.name, source, target, exc,
            )
            return False

    def usage(self) -> dict:
        """Characters used and allowed in the current billing period: {"character_count", "character_limit"}."""
        return self.api.get_json("/v2/usage")

    # --- glossaries -------------------------------------------------------------------------

    def glossary_supported(self, source: str, target: str) -> bool:
        def fetch():
            data = self.api.get_json("/v2/glossary-language-pairs")
            pairs = data.get("supported_languages") if isinstance(data, dict) else None
            if not isinstance(pairs, list):
                raise self.api.shape_error("GET /v2/glossary-language-pairs has no 'supported_languages' list")
            return frozenset((str(p["source_lang"]).lower(), str(p["target_lang"]).lower()) for p in pairs)

        return (self.source_code(source).lower(), self.source_code(target).lower()) in self._glossary_pairs.get(fetch)

    def ensure_glossary(self, source: str, target: str, entries: dict[str, str]) -> str:
        """The id of a DeepL glossary holding exactly ``entries``, created if needed.

        Glossaries are immutable: the name carries a digest of the entries, so a changed term list
        makes a new glossary and the engine's older ones for the pair are deleted (an account may
        hold 1000 glossaries).
        """
        src, tgt = self.source_code(source).lower(), self.source_code(target).lower()
        rows = {}
        for term, translation in entries.items():
            term, translation = " ".join(str(term).split()), " ".join(str(translation).split())
            if term and translation:  # TSV can hold neither tabs nor newlines: whitespace is folded above
                rows[term] = translation
        if not rows:
            raise ValueError("ensure_glossary needs at least one non-empty entry")
        tsv = "\n".join(f"{term}\t{rows[term]}" for term in sorted(rows))
        digest = hashlib.sha256(f"{src}\n{tgt}\n{tsv}".encode()).hexdigest()[:16]
        prefix = f"{_GLOSSARY_PREFIX} {src}-{tgt} "
        name = prefix + digest
        with self._glossary_lock:
            cached = self._glossary_cache.get((src, tgt, digest))
            if cached:
                return cached
            listing = self.api.get_json("/v2/glossaries")
            existing = listing.get("glossaries") if isinstance(listing, dict) else None
            if not isinstance(existing, list):
                raise self.api.shape_error("GET /v2/glossaries has no 'glossaries' list")
            glossary_id = next((g["glossary_id"] for g in existing if g.get("name") == name), None)
            if glossary_id is None:
                created = self.api.post_json(
                    "/v2/glossaries",
                    {"name": name, "source_lang": src, "target_lang": tgt, "entries": tsv, "entries_format": "tsv"},
                )
                glossary_id = created.get("glossary_id") if isinstance(created, dict) else None
                if not glossary_id:
                    raise self.api.shape_error("POST /v2/glossaries returned no 'glossary_id'")
                log.info("%s: created glossary %s (%s→%s, %d entries)", self.name, glossary_id, src, tgt, len(rows))
            for old in existing:
                if str(old.get("name", "")).startswith(prefix) and old.get("glossary_id") != glossary_id:
                    try:
                        self.api.request("DELETE", f"/v2/glossaries/{old['glossary_id']}")
                    except EngineError as exc:  # clean-up only: never fail a translation over it
                        log.warning(
                            "%s: could not delete stale glossary %s: %s", self.name, old.get("glossary_id"), exc
                        )
            for key in [k for k in self._glossary_cache if k[:2] == (src, tgt)]:
                del self._glossary_cache[key]
            self._glossary_cache[(src, tgt, digest)] = glossary_id
            return glossary_id

    # --- translation ------------------------------------------------------------------------

    def translate_batch(
        self, segments: list[str], source: str, target: str, *, glossary: dict[str, str] | None = None
    ) -> list[str]:
        results = list(segments)
        todo = [i for i, s in enumerate(segments) if needs_translation(s)]
        if not todo:
            return results
        glossary_id = self.glossary_ids.get((source.lower(), target.lower()))
        if glossary and any(k.strip() and v.strip() for k, v in glossary.items()):
            if self.glossary_supported(source, target):
                glossary_id = self.ensure_glossary(source, target, glossary)
            else:
                log.info("%s: DeepL has no glossaries for %s→%s; translating without", self.name, source, target)
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
            if glossary_id in self.glossary_ids.values():
                return EngineError(
                    self.name,
                    f"glossary {glossary_id} not found (HTTP 404: {detail}): fix the engine's 'glossaries' option.",
                    status=404,
                )
            with self._glossary_lock:
                self._glossary_cache.clear()  # deleted elsewhere (another worker's clean-up): recreate next time
            return EngineError(
                self.name,
                f"glossary {glossary_id} not found (HTTP 404: {detail}); it is recreated on the next attempt.",
                retryable=True,
                status=404,
            )
        if status == 400:
            return EngineError(self.name, f"DeepL rejected the request (HTTP 400: {detail}).", status=400)
        return None
