"""Is a glossary term in a text? Any of its listed forms, or (when its entry allows it) a word with
its Snowball stem; whole words, any case.

Words are compared folded (``fold``): NFKC, case-folded, the Russian "ё" read as "е", Armenian
"և" as "եվ" (its capital is "ԵՎ"), Arabic short vowels and tatweel left out. Accents count: "Erevan"
is not "Érevan" (but a decomposed "é" is the composed one).

Stems come from PyStemmer (Snowball: French, Russian, Armenian, Arabic, English and 30 more,
``has_stemmer``). A word matches a term's word when its stem is the term word's stem, or when its
stem begins with the whole term word — the stemmer left an ending it does not know ("Երևանից",
"from Yerevan", keeps its "-ից") — and, in Arabic, also after the proclitic "و"/"ف" ("and",
"so": "والناتو"). Stemmers are made once per thread and stems are cached: matching costs a dict
lookup per word once a text's words have been seen.
"""

from __future__ import annotations

import difflib
import functools
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence

#: ISO 639-1 code → Snowball algorithm (the ones PyStemmer ships are kept, see ``has_stemmer``).
_ALGORITHMS = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech", "da": "danish",
    "nl": "dutch", "en": "english", "eo": "esperanto", "et": "estonian", "fi": "finnish", "fr": "french",
    "de": "german", "el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ga": "irish",
    "it": "italian", "lt": "lithuanian", "ne": "nepali", "no": "norwegian", "nb": "norwegian", "fa": "persian",
    "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian", "es": "spanish",
    "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}


@functools.cache
def _available() -> frozenset[str]:
    # PyStemmer is imported on first use: a web process that never checks a glossary term loads none of it.
    import Stemmer

    return frozenset(Stemmer.algorithms())


# A word: letters and digits with the combining marks that belong to them (decomposed accents,
# Arabic and Hebrew vowel signs, which Python's \w leaves out).
_MARKS = "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06ed"
WORD = re.compile(rf"(?:[^\W_]|[{_MARKS}])+")
# What may separate the words of a term in a text: spaces, hyphens, apostrophes ("l’Atlantique").
_JOINER = re.compile(r"[\s\u00a0\u202f\u2009'’\-\u2010\u2011]{1,3}")
_ARABIC_MARKS = re.compile(r"[\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06ed]")
_ARABIC_PROCLITICS = ("و", "ف")
#: A word this close to an accepted form (difflib's ratio, folded) is reported as a misspelling.
NEAR_MISS = 0.75

_local = threading.local()


def language_code(language: str) -> str:
    return (language or "").replace("_", "-").split("-")[0].lower()


def has_stemmer(language: str) -> bool:
    """Does Snowball stem ``language`` (an ISO 639-1 code, maybe with a region)?"""
    return _ALGORITHMS.get(language_code(language)) in _available()


def stemmer_languages() -> list[str]:
    """The language codes ``has_stemmer`` says yes to, sorted."""
    return sorted(code for code, algorithm in _ALGORITHMS.items() if algorithm in _available())


def fold(text: str) -> str:
    """``text`` as words are compared (see the module docstring)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    # "İ" folds to "i" + a combining dot; the dotless reading is the one a text uses.
    text = text.replace("i\u0307", "i").replace("ё", "е").replace("եւ", "եվ")
    return _ARABIC_MARKS.sub("", text)


def _stemmer(language: str):
    # PyStemmer's objects are not thread-safe: one per thread and language.
    stemmers = _local.__dict__.setdefault("stemmers", {})
    algorithm = _ALGORITHMS.get(language_code(language))
    if algorithm not in _available():
        return None
    if algorithm not in stemmers:
        import Stemmer

        stemmers[algorithm] = Stemmer.Stemmer(algorithm)
    return stemmers[algorithm]


@functools.lru_cache(maxsize=65536)
def stem(folded_word: str, language: str) -> str:
    """The Snowball stem of a folded word (the word itself where ``language`` has no stemmer)."""
    stemmer = _stemmer(language)
    return stemmer.stemWord(folded_word) if stemmer is not None else folded_word


@functools.lru_cache(maxsize=256)  # QA looks for every term of a segment in the same text
def words(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, folded word) of each word of ``text``, offsets in ``text`` as given."""
    return tuple((m.start(), m.end(), fold(m.group(0))) for m in WORD.finditer(text))


def form_words(form: str) -> tuple[str, ...]:
    """The folded words of a term's form ("turco-azerbaïdjanaise" → ("turco", "azerbaïdjanaise"))."""
    return tuple(fold(w) for w in WORD.findall(form))


def same_word(word: str, term_word: str, language: str) -> bool:
    """Does the folded text word ``word`` stand for the folded term word ``term_word`` (same word,
    or an inflection of it by its stem)?"""
    if word == term_word:
        return True
    if not has_stemmer(language):
        return False
    term_stem = stem(term_word, language)
    candidates = [word]
    if language_code(language) == "ar" and word.startswith(_ARABIC_PROCLITICS) and len(word) > 3:
        candidates.append(word[1:])
    for candidate in candidates:
        found = stem(candidate, language)
        if found == term_stem or candidate == term_word or (len(term_word) >= 3 and found.startswith(term_word)):
            return True
    return False


def find_sequence(tokens: Sequence[tuple[int, int, str]], text: str, wanted: Sequence[str], match) -> list[tuple[int, int]]:
    """(start, end) in ``text`` of each run of consecutive ``tokens`` whose words ``match`` the
    ``wanted`` words one by one (``match(text word, wanted word)``), joined only by spaces,
    hyphens or apostrophes."""
    found, n = [], len(wanted)
    if not n:
        return found
    for i in range(len(tokens) - n + 1):
        if not match(tokens[i][2], wanted[0]):
            continue
        ok = all(
            _JOINER.fullmatch(text[tokens[i + k - 1][1]:tokens[i + k][0]]) and match(tokens[i + k][2], wanted[k])
            for k in range(1, n)
        )
        if ok:
            found.append((tokens[i][0], tokens[i + n - 1][1]))
    return found


def occurs(text: str, forms: Iterable[str], language: str, *, stem_of: str | None = None) -> bool:
    """Is any of ``forms`` in ``text`` as whole words, or (``stem_of``: a form) a run of words
    with that form's stems?"""
    tokens = words(text)
    folded_text = None
    for form in forms:
        wanted = form_words(form)
        if not wanted:
            continue
        if _only_words(form):
            if find_sequence(tokens, text, wanted, str.__eq__):
                return True
        else:  # "C++", "U.S.": compare the characters themselves
            folded_text = fold(text) if folded_text is None else folded_text
            if fold(form) in folded_text:
                return True
    if stem_of and has_stemmer(language):
        wanted = form_words(stem_of)
        return bool(find_sequence(tokens, text, wanted, lambda word, term: same_word(word, term, language)))
    return False


def unlisted_form(text: str, forms: Sequence[str], language: str) -> str | None:
    """The words of ``text`` (as written there) that look like a form of one of ``forms`` nobody
    listed: a word that begins with the form's word ("Երևանում" for "Երևան"), or has its stem where
    the language has a stemmer; None when there are none."""
    tokens = words(text)

    def inflected(word: str, term_word: str) -> bool:
        return word.startswith(term_word) or same_word(word, term_word, language)

    for form in forms:
        for start, end in find_sequence(tokens, text, form_words(form), inflected):
            return text[start:end]
    return None


def near_miss(text: str, forms: Sequence[str]) -> str | None:
    """The words of ``text`` that look most like a misspelling of one of ``forms`` (as written in
    ``text``), or None when nothing comes close (``NEAR_MISS``)."""
    tokens = words(text)
    best, best_ratio = None, NEAR_MISS
    for form in forms:
        wanted = " ".join(form_words(form))
        n = len(form_words(form))
        if not wanted:
            continue
        for size in {max(1, n - 1), n, n + 1}:
            for i in range(len(tokens) - size + 1):
                window = " ".join(token[2] for token in tokens[i:i + size])
                matcher = difflib.SequenceMatcher(None, window, wanted, autojunk=False)
                if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
                    continue
                ratio = matcher.ratio()
                if ratio >= best_ratio and window != wanted:
                    best, best_ratio = text[tokens[i][0]:tokens[i + size - 1][1]], ratio
    return best


def _only_words(form: str) -> bool:
    """Is ``form`` words joined by spaces, hyphens or apostrophes, nothing before or after?"""
    spans = [m.span() for m in WORD.finditer(form.strip())]
    stripped = form.strip()
    if not spans or spans[0][0] != 0 or spans[-1][1] != len(stripped):
        return False
    return all(_JOINER.fullmatch(stripped[a[1]:b[0]]) for a, b in zip(spans, spans[1:]))
