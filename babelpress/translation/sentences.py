"""Sentences of a text, by pysbd: where the segmenter may cut a long paragraph, and what the local
engine feeds its model one at a time.

pysbd has rules for about twenty languages; for the others, English's (". ! ?") are a fair guess,
and better than no split. Splitting is a nicety: if pysbd fails on some text, the text stays whole
(one "sentence"), with a warning in the log, and nothing is lost.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def pysbd_language(language: str) -> str:
    """The pysbd rules for a language code ("fr-CA" → "fr"), English's when pysbd has none."""
    from pysbd.languages import LANGUAGE_CODES  # on first use: web processes that never split skip it

    code = (language or "en").replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGE_CODES else "en"


def split_sentences(text: str, language: str) -> list[str]:
    """pysbd's sentences of ``text``, in order, as pysbd returns them (it may trim or alter spaces:
    callers find each one in ``text``); ``[text]`` when splitting fails."""
    import pysbd

    try:
        # A Segmenter keeps per-call state, so one per call (cheap) keeps threads apart.
        return pysbd.Segmenter(language=pysbd_language(language), clean=False).segment(text)
    except Exception:  # splitting is a nicety; never lose the text over it
        log.warning("sentence splitting failed for %r…; the text is kept whole.", text[:40], exc_info=True)
        return [text]
