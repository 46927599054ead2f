"""Which language a text is in: py3langid's model, loaded once per process and shared.

The importer asks it what language a page is in (ingest/extract.py) and translation QA whether a
translation is in the target language (translation/qa.py). Loading the model takes about half a
second and some memory, so both use the one identifier made here, on first use.
"""

from __future__ import annotations

import copy
import threading
from functools import lru_cache

_lock = threading.Lock()
_model = None


def identifier():
    """py3langid's LanguageIdentifier over every language it knows (probabilities normalised)."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _model = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _model


@lru_cache(maxsize=1)
def known_languages() -> frozenset[str]:
    """The codes the model can answer (ISO 639-1 where one exists)."""
    return frozenset(identifier().labels)


@lru_cache(maxsize=32)
def identifier_among(languages: frozenset[str]):
    """An identifier that answers only one of ``languages`` (each must be in known_languages()).

    set_languages mutates the identifier, so each set gets its own shallow copy: the model's arrays
    are shared, only the column subset is new.
    """
    restricted = copy.copy(identifier())
    restricted.set_languages(sorted(languages))
    return restricted
