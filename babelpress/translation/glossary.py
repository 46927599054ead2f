"""Glossary enforcement: a term of the glossary is translated as its target form, everywhere,
whatever the engine.

1. **Find.** ``Glossary.find`` locates a language pair's terms in a source text: the source
   language's preferred form and aliases, its inflected forms, and (entries that allow it) words
   with the preferred form's Snowball stem — whole words, any case, Armenian "և" read as "եվ".
2. **Protect or leave.** A placeholder carries one form, never a grammatical case, so a term is
   frozen only where neither side inflects: found as its preferred form or an alias, and
   translated into a language where its entry lists no inflected forms and does not match by
   stem (``TermForms.invariable``). The segmenter sends such a term as an ``<xN/>``
   (a ``ProtectedTerm``), put back as the preferred target form (or as the source form when QA
   rebuilds the source to compare with). Any other term stays in the text for the engine to
   translate, and QA checks what it wrote. Engines that take instructions
   (``glossary_mode = "instructions"``, docs/engines.md) get no placeholder at all: the
   pipeline tells them each term of a segment (``TermInstruction``) so they inflect it.
3. **Check.** ``check_terms`` (a QA check, run by ``qa.check_segment``): the translation has the
   preferred target form, one of its inflected forms or (entries that allow it) a word with its
   stem (``translation/stemming.py``); a reviewer may have edited it away, an engine mangled it.

``glossary_for`` reads a language pair's terms from the database. Import and export of the
glossary (CSV, TBX) is ``glossary_io``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from babelpress.translation import stemming
from babelpress.translation.engines.base import TermInstruction
from babelpress.translation.models import GlossaryName
from babelpress.translation.segmenter.items import Kept


@dataclass(frozen=True)
class TermForms:
    """A term in the language it is translated into: its preferred form, the inflected forms a
    translation may use instead, and whether words with the preferred form's stem count too."""

    preferred: str
    inflected: tuple[str, ...] = ()
    stem: bool = False

    @property
    def invariable(self) -> bool:
        return not self.inflected and not self.stem

    @property
    def accepted(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.preferred, *self.inflected)))


@dataclass(frozen=True)
class Entry:
    """One term of a language pair: its forms in the source language and what it becomes."""

    source: tuple[str, ...]  # the preferred form and the aliases
    target: TermForms
    source_inflected: tuple[str, ...] = ()
    source_stem: bool = False


@dataclass(frozen=True)
class Mention:
    """A term found in a text: where, as what, and whether as an inflected form (or by stem)."""

    start: int
    end: int
    text: str
    target: TermForms
    inflected: bool = False


def glossary_for(source: str, target: str, *, placeholders: bool = True) -> Glossary:
    """The glossary of a language pair. ``placeholders``: invariable terms become placeholders
    (False for engines that take the glossary as instructions)."""
    names = GlossaryName.objects.filter(language__in=[source, target]).select_related("term")
    by_term: dict[int, dict[str, GlossaryName]] = {}
    for name in names:
        by_term.setdefault(name.term_id, {})[name.language] = name
    entries = [
        Entry(
            source=tuple(forms[source].forms()),
            target=TermForms(forms[target].name.strip(), tuple(forms[target].inflected_form_list()),
                             forms[target].match_stem),
            source_inflected=tuple(forms[source].inflected_form_list()),
            source_stem=forms[source].match_stem,
        )
        for _term, forms in sorted(by_term.items())
        if source in forms and target in forms
    ]
    return Glossary(entries, source, placeholders=placeholders)


class Glossary:
    """A language pair's terms, found in source texts (see the module docstring)."""

    def __init__(self, entries: Iterable[Entry], language: str | None = None, *, placeholders: bool = True):
        self.language = language or ""
        self.placeholders = placeholders
        # normalised source form → (form as given, target, found as an inflected form?). The first
        # term claiming a form keeps it; preferred forms and aliases before any inflected form.
        forms: dict[str, tuple[str, TermForms, bool]] = {}
        entries = [e for e in entries if e.target.preferred.strip()]
        for inflected in (False, True):
            for entry in entries:
                for form in entry.source_inflected if inflected else entry.source:
                    key = _norm_form(form)
                    if key and key not in forms:
                        forms[key] = (" ".join(form.split()), entry.target, inflected)
        self._forms = forms
        self._pattern = None
        if forms:
            # Longest first: the regex alternation takes the first alternative that matches. The
            # pattern uses the forms as given (re's case folding, not str.lower(), decides matches).
            alternatives = [_form_pattern(f[0]) for f in sorted(forms.values(), key=lambda f: len(f[0]), reverse=True)]
            self._pattern = re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)
        stems = stemming.has_stemmer(self.language)
        stemmed = [(stemming.form_words(e.source[0]), e.target) for e in entries
                   if stems and e.source_stem and e.source and stemming.form_words(e.source[0])]
        self._stemmed = sorted(stemmed, key=lambda s: len(s[0]), reverse=True)  # longest first

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[Sequence[str], str | TermForms]], language: str | None = None, *,
                   placeholders: bool = True) -> Glossary:
        """A glossary from (source forms, target) pairs; the target a preferred form or ``TermForms``."""
        entries = []
        for sources, target in pairs:
            target = target if isinstance(target, TermForms) else TermForms((target or "").strip())
            entries.append(Entry(source=(sources,) if isinstance(sources, str) else tuple(sources), target=target))
        return cls(entries, language, placeholders=placeholders)

    @classmethod
    def empty(cls) -> Glossary:
        return cls([])

    def __len__(self) -> int:
        return len(self._forms) + len(self._stemmed)

    def __bool__(self) -> bool:
        return bool(self._forms or self._stemmed)

    def find(self, text: str) -> list[Mention]:
        """Each term of ``text``, left to right: listed forms first (longest first), then words
        found by stem where no listed form is."""
        found = []
        for m in self._pattern.finditer(text) if self._pattern is not None else ():
            entry = self._forms.get(_norm_form(m.group(0)))
            if entry is None:  # re and str.lower() fold some letters differently ("İ")
                entry = next((e for e in self._forms.values()
                              if re.fullmatch(_form_pattern(e[0]), m.group(0), re.IGNORECASE)), None)
            if entry is not None:
                found.append(Mention(m.start(), m.end(), m.group(0), entry[1], entry[2]))
        return sorted(found + self._by_stem(text, found), key=lambda mention: mention.start)

    def _by_stem(self, text: str, taken: list[Mention]) -> list[Mention]:
        if not self._stemmed:
            return []
        tokens = stemming.words(text)
        stems = {stemming.stem(word, self.language) for _s, _e, word in tokens}
        # What a term's first word may be for a text word to match it: its stem, or the start of its stem.
        heads = stems | {s[:k] for s in stems for k in range(3, len(s))}
        found: list[Mention] = []
        for wanted, target in self._stemmed:
            first = wanted[0]
            # Arabic: "و" before a word changes its stem, so every term is tried there.
            if stemming.stem(first, self.language) not in stems and first not in heads and self.language != "ar":
                continue
            spans = stemming.find_sequence(tokens, text, wanted,
                                           lambda word, term: stemming.same_word(word, term, self.language))
            for start, end in spans:
                if all(end <= m.start or start >= m.end for m in taken + found):
                    found.append(Mention(start, end, text[start:end], target, inflected=True))
        return found

    def frozen(self, mention: Mention) -> bool:
        """Does this mention become a placeholder (see the module docstring)?"""
        return self.placeholders and mention.target.invariable and not mention.inflected

    def protect(self, text: str) -> list[tuple[int, int, ProtectedTerm]]:
        """(start, end, placeholder item) of each term of ``text`` that is frozen."""
        return [(m.start, m.end, ProtectedTerm(m.text, m.target)) for m in self.find(text) if self.frozen(m)]

    def left_in_text(self, text: str) -> list[tuple[str, TermForms]]:
        """(source text, target) of each term of ``text`` that is not frozen: the engine translates it."""
        return [(m.text, m.target) for m in self.find(text) if not self.frozen(m)]


def _form_pattern(form: str) -> str:
    # Any run of spaces matches a space; Armenian "և" and "եվ" are the same letters (see below).
    words = [re.escape(word) for word in _armenian_ev(form).split(" ")]
    return r"\s+".join(words).replace("եվ", "(?:եվ|և)").replace("ԵՎ", "(?:ԵՎ|և)").replace("Եվ", "(?:Եվ|և)")


def _armenian_ev(text: str) -> str:
    return text.replace("և", "եվ")


def _norm_form(form: str) -> str:
    # Armenian "և" has no capital of its own: "Երևան" is written "ԵՐԵՎԱՆ", so և counts as եվ.
    return _armenian_ev(" ".join(form.split()).lower())


class ProtectedTerm(Kept):
    """A glossary term behind an ``<xN/>``: put back as its preferred target form, or as the source
    form it was found as when the source is rebuilt (``original``)."""

    __slots__ = ("term",)

    def __init__(self, source: str, term: TermForms | str):
        term = term if isinstance(term, TermForms) else TermForms(term)
        super().__init__("glossary", text=term.preferred, source=source)
        self.term = term

    def html(self, alts: dict, original: bool) -> str:
        return html.escape(self.source if original else self.text, quote=False)

    def identity(self) -> dict:
        return {"kind": "glossary", "value": self.text}


@dataclass(frozen=True)
class TermProblem:
    """A term QA did not find in a translation. ``kind``: "missing"; "mangled" (``found``: the words
    that look like a misspelling of it); "unlisted" (``found``: words that look like a form of it the
    glossary does not list, e.g. a case ending a reviewer gave a term entered without its forms)."""

    source: str
    term: TermForms
    kind: str = "missing"
    found: str | None = None


def check_terms(source: str | None, target: str, terms, language: str) -> list[TermProblem]:
    """What a reviewer must fix: each term of ``source`` that the translation ``target`` lacks —
    neither its preferred form, nor an inflected form, nor (when allowed) a word with its stem.
    ``terms`` are (source form, ``TermForms`` or preferred form) pairs, possibly the whole glossary:
    only those whose source form is in ``source`` count (all of them when ``source`` is None)."""
    problems, seen = [], set()
    source_folded = source.casefold() if source is not None else None
    for source_form, term in terms:
        term = term if isinstance(term, TermForms) else TermForms((term or "").strip())
        if not term.preferred or (source_form, term) in seen:
            continue
        seen.add((source_form, term))
        if source_folded is not None and source_form and source_form.casefold() not in source_folded:
            continue
        if stemming.occurs(target, term.accepted, language, stem_of=term.preferred if term.stem else None):
            continue
        if unlisted := stemming.unlisted_form(target, term.accepted, language):
            problems.append(TermProblem(source_form, term, "unlisted", unlisted))
        elif mangled := stemming.near_miss(target, term.accepted):
            problems.append(TermProblem(source_form, term, "mangled", mangled))
        else:
            problems.append(TermProblem(source_form, term))
    return problems


def keeps_terms(segment, fragment: str, language: str) -> bool:
    """Does ``fragment``, a translation of ``segment`` (a segmenter ``Segment``), have each term the
    engine had to translate itself (those not behind a placeholder)? A remembered translation that
    does not is made again: the glossary changed since."""
    from babelpress.translation.segmenter import plain_text

    terms = segment.terms_in_text
    return not terms or not check_terms(None, plain_text(fragment), terms, language)


def instructions_for(terms) -> tuple[TermInstruction, ...]:
    """A segment's glossary terms ((source form, ``TermForms``) pairs) as instructions, each once."""
    return tuple(dict.fromkeys(
        TermInstruction(source=source, target=term.preferred, forms=term.inflected, inflect=not term.invariable)
        for source, term in terms
    ))
