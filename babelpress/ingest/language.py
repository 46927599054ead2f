"""A story's language: the codes pages and feeds write ("en-US", "fra", "iw"), detection from
the text, and the choice between what a page declares and what its text looks like."""

from __future__ import annotations

import re

from django.utils.translation import gettext_noop

from babelpress import language_detection

from .messages import Message, percent

#: Below this, detecting a language from the text is guesswork.
MIN_DETECT_CHARS = 40
MIN_DETECT_CONFIDENCE = 0.6
#: A declared language is questioned only when the text clearly says otherwise.
MISMATCH_CONFIDENCE, MISMATCH_MIN_CHARS = 0.95, 200
#: What a warning about a detected (not declared) language starts with.
DETECTED_PREFIX = "language detected, not declared"

_ISO639_2 = {
    "eng": "en", "fra": "fr", "fre": "fr", "deu": "de", "ger": "de", "rus": "ru", "hye": "hy", "arm": "hy",
    "spa": "es", "ita": "it", "por": "pt", "ara": "ar", "zho": "zh", "chi": "zh", "jpn": "ja", "ukr": "uk",
    "tur": "tr", "nld": "nl", "dut": "nl", "pol": "pl", "fas": "fa", "per": "fa", "kor": "ko", "heb": "he",
    "kat": "ka", "geo": "ka", "ell": "el", "gre": "el", "ary": "ar", "arz": "ar", "azj": "az",
}
_LEGACY = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv"}


def normalize_language(value: str | None) -> str | None:
    """'en-US' -> 'en', 'hy_AM' -> 'hy', 'fra' -> 'fr'; None for unusable values ('und', 'x-default')."""
    if not value:
        return None
    primary = re.split(r"[-_\s,;]", str(value).strip().lower(), maxsplit=1)[0]
    if len(primary) == 2 and primary.isascii() and primary.isalpha():
        return _LEGACY.get(primary, primary)
    return _ISO639_2.get(primary)


def detect_language(text: str) -> tuple[str | None, float]:
    """(code, confidence) from py3langid; (None, 0) for text too short to tell."""
    sample = " ".join((text or "").split())[:3000]
    if len(sample) < MIN_DETECT_CHARS:
        return None, 0.0
    code, confidence = language_detection.identifier().classify(sample)
    return normalize_language(code) or code, float(confidence)



def page_language(declared: str | None, candidates, text: str, warnings: list[str]) -> str | None:
    """The language of a page's story: ``declared`` (the importer's choice) when given, else the
    first usable code the page declares among ``candidates``, else the one detected from ``text``.
    What was assumed, or looks wrong, is added to ``warnings``."""
    language = normalize_language(declared)
    if language is None:
        language = next((code for code in map(normalize_language, candidates) if code), None)
    detected, confidence = detect_language(text)
    if language is None:
        if detected and confidence >= MIN_DETECT_CONFIDENCE:
            language = detected
            warnings.append(detected_warning(detected, confidence))
        else:
            warnings.append(Message(gettext_noop("language not declared and could not be detected: set it by hand")))
    elif detected and detected != language and confidence >= MISMATCH_CONFIDENCE and len(text) >= MISMATCH_MIN_CHARS:
        warnings.append(Message(gettext_noop("the page declares language %(declared)s but the text looks like "
                                             "%(detected)s: check it"), declared=repr(language), detected=repr(detected)))
    return language


def detected_warning(detected: str, confidence: float) -> Message:
    """The warning for a language found from the text (it starts with ``DETECTED_PREFIX`` in English)."""
    return Message(gettext_noop("language detected, not declared: %(code)s (%(confidence)s confidence)"),
                   code=detected, confidence=percent(confidence))
