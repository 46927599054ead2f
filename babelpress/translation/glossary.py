"""Glossary enforcement: a term of the glossary is translated as its preferred target form,
everywhere, whatever the engine.

Three steps, all here:

1. **Protect.** ``Glossary.find`` locates the source forms of a language pair's terms (preferred
   form and aliases, whole words, any case, Armenian "և" read as "եվ"); the segmenter sends each
   as a placeholder ``<xN/>`` (a ``ProtectedTerm``), so no engine sees the words to translate
   them otherwise, and no engine needs a glossary of its own.
2. **Restore.** The placeholder comes back as the preferred target form (the source form when QA
   rebuilds the source to compare with).
3. **Check.** ``missing_terms`` (a QA check, run by ``qa.check_segment``): the preferred target
   form must be in the translation, since a reviewer may have edited it away.

``glossary_for`` reads a language pair's terms from the database. Import and export of the
glossary (CSV, TBX) is ``glossary_io``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from babelpress.translation.models import GlossaryName
from babelpress.translation.segmenter.items import Kept


def glossary_for(source: str, target: str) -> Glossary:
    """The glossary pairs (source forms → target preferred form) for a language pair."""
    names = GlossaryName.objects.filter(language__in=[source, target]).select_related("term")
    by_term: dict[int, dict[str, GlossaryName]] = {}
    for name in names:
        by_term.setdefault(name.term_id, {})[name.language] = name
    pairs = [
        (forms[source].forms(), forms[target].name)
        for forms in by_term.values()
        if source in forms and target in forms
    ]
    return Glossary.from_pairs(pairs)


class Glossary:
    """Source forms (preferred + aliases) → the preferred target form, found as whole words."""

    def __init__(self, forms: dict[str, tuple[str, str]], pattern: re.Pattern | None):
        self._forms = forms  # normalised source form → (source form as given, target form)
        self._pattern = pattern

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[Sequence[str], str]]) -> Glossary:
        forms: dict[str, tuple[str, str]] = {}
        for sources, target in pairs:
            target = (target or "").strip()
            if not target:
                continue
            if isinstance(sources, str):
                sources = [sources]
            for form in sources:
                key = _norm_form(form)
                if key and key not in forms:  # the first term claiming a form keeps it
                    forms[key] = (" ".join(form.split()), target)
        if not forms:
            return cls({}, None)
        # Longest first: the regex alternation takes the first alternative that matches. The
        # pattern uses the forms as given (re's case folding, not str.lower(), decides matches).
        alternatives = [
            _form_pattern(form) for form, _ in sorted(forms.values(), key=lambda f: len(f[0]), reverse=True)
        ]
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)
        return cls(forms, pattern)

    @classmethod
    def empty(cls) -> Glossary:
        return cls({}, None)

    def __len__(self) -> int:
        return len(self._forms)

    def __bool__(self) -> bool:
        return bool(self._forms)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, target form) of each occurrence, left to right, longest match first."""
        if self._pattern is None:
            return []
        found = []
        for m in self._pattern.finditer(text):
            entry = self._forms.get(_norm_form(m.group(0)))
            if entry is None:  # re and str.lower() fold some letters differently ("İ")
                entry = next(
                    (e for e in self._forms.values() if re.fullmatch(_form_pattern(e[0]), m.group(0), re.IGNORECASE)), None
                )
            if entry is not None:
                found.append((m.start(), m.end(), entry[1]))
        return found

    def protect(self, text: str) -> list[tuple[int, int, ProtectedTerm]]:
        """(start, end, placeholder item) of each term in ``text``, as ``find`` finds them."""
        return [(start, end, ProtectedTerm(text[start:end], target)) for start, end, target in self.find(text)]


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

    __slots__ = ()

    def __init__(self, source: str, target: str):
        super().__init__("glossary", text=target, source=source)

    def html(self, alts: dict, original: bool) -> str:
        return html.escape(self.source if original else self.text, quote=False)

    def identity(self) -> dict:
        return {"kind": "glossary", "value": self.text}


def missing_terms(source: str, target: str, terms) -> list[tuple[str, str]]:
    """What a reviewer must fix: the (source form, preferred target form) of each term of
    ``source`` whose preferred target form is not in ``target``. ``terms`` are (source form,
    target form) pairs, possibly the whole glossary."""
    missing = []
    source_folded, target_folded = source.casefold(), target.casefold()
    for source_form, target_form in terms:
        if not target_form:
            continue
        # Pairs may be the whole glossary: only terms present in this source matter.
        if source_form and source_form.casefold() not in source_folded:
            continue
        if target_form.casefold() not in target_folded:
            missing.append((source_form, target_form))
    return missing
