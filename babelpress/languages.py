"""The site's languages: codes, native names and writing direction, from settings and CLDR.

Two lists matter:
* content languages (``BABELPRESS_CONTENT_LANGUAGES``): the languages stories are published in,
  and the only languages of the public site: each has a URL prefix (``/fr/``, ``/ar/`` ...) where
  the interface speaks it too;
* UI languages (``BABELPRESS_UI_LANGUAGES``): the languages the interface is offered in, for the
  admin. A UI language that is not a content language has no public pages: ``/xx/`` is a 404 and
  no language list, hreflang or redirect leads there (docs/decisions.md, "Public pages only in
  content languages").

Names and directions come from CLDR through Babel unless settings give them explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from babel import Locale, UnknownLocaleError


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # native name, e.g. "Français"
    direction: str  # "ltr" or "rtl"

    @property
    def bidi(self) -> bool:
        return self.direction == "rtl"


def describe(code: str, name: str | None = None, direction: str | None = None) -> Language:
    """Build a Language, filling the native name and direction from CLDR."""
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError) as exc:
        raise ValueError(
            f"Unknown language code {code!r} in Babelpress settings: use an ISO 639 code "
            f"that CLDR knows, such as 'fr', 'en', 'hy', 'ru' or 'ar'."
        ) from exc
    if name is None:
        native = language_name(code, in_language=code)
        name = native[:1].upper() + native[1:]
    if direction is None:
        direction = "rtl" if locale.character_order == "right-to-left" else "ltr"
    if direction not in ("ltr", "rtl"):
        raise ValueError(f"Language {code!r}: direction must be 'ltr' or 'rtl', not {direction!r}.")
    return Language(code=code, name=name, direction=direction)


def language_name(code: str, in_language: str | None = None) -> str:
    """CLDR's name of the language ``code`` in the language ``in_language`` (default: the active UI
    language): "anglais", "Armenian", "Brazilian Portuguese"; ``code`` itself when CLDR has none.

    The one home for language names: the reader's provenance line, the admin, QA messages and the
    prompts of LLM engines all use it. CLDR's own name for a language with a region or script comes
    first ("British English"), then "language (region)", then the bare language's name.
    """
    if in_language is None:
        from django.utils import translation

        in_language = translation.get_language() or "en"
    return _language_name(code, in_language) or code


@lru_cache(maxsize=1024)
def _language_name(code: str, in_language: str) -> str | None:
    try:
        locale = Locale.parse(in_language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None
    key = code.replace("-", "_")
    names = locale.languages
    if key in names:
        return names[key]
    try:
        return Locale.parse(key).get_display_name(locale) or None
    except (UnknownLocaleError, ValueError):
        return names.get(key.split("_")[0])


def parse_codes(value: str) -> list[str]:
    codes = [c.strip() for c in value.split(",") if c.strip()]
    if not codes:
        raise ValueError("A language list must name at least one language code, e.g. 'fr,en'.")
    return list(dict.fromkeys(codes))


@lru_cache(maxsize=None)
def _by_code() -> dict[str, Language]:
    from django.conf import settings

    return {lang.code: lang for lang in settings.BABELPRESS_LANGUAGES}


def get(code: str) -> Language | None:
    return _by_code().get(code)


def all_languages() -> list[Language]:
    from django.conf import settings

    return list(settings.BABELPRESS_LANGUAGES)


def content_languages() -> list[Language]:
    from django.conf import settings

    return [get(code) for code in settings.BABELPRESS_CONTENT_LANGUAGES]


def content_language_codes() -> list[str]:
    from django.conf import settings

    return list(settings.BABELPRESS_CONTENT_LANGUAGES)


def is_content_language(code: str) -> bool:
    """Whether ``code`` is a content language, so has public pages (``/code/``)."""
    from django.conf import settings

    return code in settings.BABELPRESS_CONTENT_LANGUAGES


def choices() -> list[tuple[str, str]]:
    return [(lang.code, lang.name) for lang in content_languages()]


def clear_cache() -> None:
    _by_code.cache_clear()
