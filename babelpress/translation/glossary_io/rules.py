"""The rules every glossary import follows, CSV or TBX (see the package docstring): an entry read
from a file is matched to a term (by id, else by a preferred form), merged into it, and written;
all entries in one transaction, nothing written when any has an error or on a dry run.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from dataclasses import dataclass, field

from django.db import transaction

from babelpress.translation.models import FORM_MAX, GlossaryName, GlossaryTerm, unique_forms
from babelpress.translation.stemming import has_stemmer, stemmer_languages

NAME_MAX = GlossaryName._meta.get_field("name").max_length
NOTE_MAX = GlossaryTerm._meta.get_field("note").max_length
KINDS = list(GlossaryTerm.Kind.values)


class GlossaryImportError(ValueError):
    """The file as a whole cannot be imported (wrong columns, not TBX, unsafe XML ...).

    Problems with single rows do not raise: they are listed in ``ImportReport.errors``.
    """


@dataclass
class ImportReport:
    """What an import did, or would have done.

    Nothing was written when ``errors`` is non-empty or ``dry_run`` is true (see ``written``);
    the counts then say what the rows without errors would have done.
    """

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def written(self) -> bool:
        return not self.dry_run and not self.errors


def clean(value: str | None) -> str:
    """NFC, trimmed, control characters dropped, runs of spaces/tabs/newlines collapsed (Excel
    cells, pretty-printed XML)."""
    if not value:
        return ""
    # Other control characters mean nothing in a term, and PostgreSQL cannot store NUL.
    value = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", value)
    return re.sub(r"[ \t\r\n]+", " ", unicodedata.normalize("NFC", value)).strip()


def _key(name: str) -> str:
    """The form used to compare names: case-insensitive for every script, not only ASCII."""
    return clean(name).casefold()


def _unique_aliases(preferred: str, aliases: list[str]) -> list[str]:
    seen = {_key(preferred)}
    result = []
    for alias in aliases:
        alias = clean(alias)
        if alias and _key(alias) not in seen:
            seen.add(_key(alias))
            result.append(alias)
    return result


def terms_for_export(terms_qs):
    qs = GlossaryTerm.objects.all() if terms_qs is None else terms_qs
    return qs.order_by("pk").prefetch_related("names")


def names_by_language(term: GlossaryTerm) -> dict[str, GlossaryName]:
    return {name.language: name for name in term.names.all()}


@dataclass
class Entry:
    """One CSV row or TBX entry, parsed and checked, ready to be matched and applied."""

    where: str  # "line 4", "line 12 (entry c5)": the prefix of this entry's messages
    term_id: int | None = None
    kind: str | None = None  # None: not given
    note: str | None = None  # None: not given; "": blank cell
    #: language -> (preferred form, aliases, inflected forms, match by stem); None: keep the existing ones.
    names: dict[str, tuple[str, list[str] | None, list[str] | None, bool | None]] = field(default_factory=dict)
    #: languages left blank (CSV): removed only when the row carries the id of an existing term.
    blank_languages: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def error(self, message: str) -> None:
        self.errors.append(f"{self.where}: {message}")

    def check_kind(self, value: str) -> None:
        kind = clean(value).lower()
        if not kind:
            return
        if kind in KINDS:
            self.kind = kind
        else:
            self.error(f"kind {clean(value)!r} is not one of {', '.join(KINDS)}")

    def check_note(self, value: str) -> None:
        note = clean(value)
        if len(note) > NOTE_MAX:
            self.error(f"the note is {len(note)} characters long; at most {NOTE_MAX} fit")
        self.note = note

    def add_name(self, language: str, preferred: str, aliases: list[str] | None,
                 forms: list[str] | None = None, stem: bool | None = None) -> None:
        if len(preferred) > NAME_MAX:
            self.error(f"{language} {preferred[:40]!r}… is {len(preferred)} characters long; at most {NAME_MAX} fit")
        if forms is not None:
            forms = unique_forms(preferred, forms)
            for form in forms:
                if len(form) > FORM_MAX:
                    self.error(f"the {language} inflected form {form[:40]!r}… is {len(form)} characters long; at most "
                               f"{FORM_MAX} fit (one form per line, or between “|”)")
        if stem and not has_stemmer(language):
            self.error(f"there is no stemmer for {language}, so its words cannot be matched by stem; list its "
                       f"inflected forms instead (stemmers exist for {', '.join(stemmer_languages())})")
        self.names[language] = (preferred, None if aliases is None else _unique_aliases(preferred, aliases), forms, stem)


@dataclass
class _State:
    """Every term's current forms, plus an index of preferred forms, kept up to date while importing."""

    terms: dict[int, dict]
    index: dict[tuple[str, str], set[int]]

    @classmethod
    def load(cls) -> _State:
        state = cls(terms={}, index={})
        for term in GlossaryTerm.objects.prefetch_related("names"):
            names = {n.language: (n.name, n.alias_list(), n.inflected_form_list(), n.match_stem)
                     for n in term.names.all()}
            state.put(term.pk, {"kind": term.kind, "note": term.note, "names": names})
        return state

    def put(self, term_id: int, data: dict) -> None:
        old = self.terms.get(term_id)
        if old:
            for language, (name, *_rest) in old["names"].items():
                self.index.get((language, _key(name)), set()).discard(term_id)
        self.terms[term_id] = data
        for language, (name, *_rest) in data["names"].items():
            self.index.setdefault((language, _key(name)), set()).add(term_id)

    def owners(self, language: str, name: str) -> set[int]:
        return self.index.get((language, _key(name)), set())


class _Rollback(Exception):
    pass


def apply(entries: list[Entry], report: ImportReport) -> ImportReport:
    """Match and write every entry in one transaction; roll it all back on any error or a dry run."""
    try:
        with transaction.atomic():
            state = _State.load()
            for entry in entries:
                if entry.errors:
                    report.errors.extend(entry.errors)
                else:
                    _apply_entry(entry, state, report)
            if report.errors or report.dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return report


def _apply_entry(entry: Entry, state: _State, report: ImportReport) -> None:
    by_id = entry.term_id is not None and entry.term_id in state.terms
    target = entry.term_id if by_id else _match(entry, state)
    if entry.errors:
        report.errors.extend(entry.errors)
        return
    old = state.terms[target] if target is not None else None
    new = _merged(entry, old, by_id)
    for language, (name, *_rest) in entry.names.items():
        others = state.owners(language, name) - {target}
        if others:
            owners = ", ".join(f"#{term_id}" for term_id in sorted(others))
            entry.error(f"{language} {name!r} is already the preferred form of another term ({owners})")
    if not new["names"]:
        entry.error("the term would have no name left in any language")
    if entry.errors:
        report.errors.extend(entry.errors)
        return
    if old == new:
        report.unchanged += 1
        return
    term = _write(target, old, new, report)
    state.put(term.pk, new)


def _match(entry: Entry, state: _State) -> int | None:
    """The one term that has a preferred form of the entry, or None; an error on the entry when
    several terms do."""
    candidates: dict[int, str] = {}
    for language, (name, *_rest) in entry.names.items():
        for term_id in sorted(state.owners(language, name)):
            candidates.setdefault(term_id, f"{language} {name!r}")
    if len(candidates) > 1:
        found = "; ".join(f"#{term_id} by {how}" for term_id, how in candidates.items())
        entry.error(f"matches {len(candidates)} different terms ({found}); give the id of the term to update")
        return None
    return next(iter(candidates), None)


def _merged(entry: Entry, old: dict | None, by_id: bool) -> dict:
    """The term as it will be: ``old`` (None for a new term) with what the entry gives."""
    new = copy.deepcopy(old) if old is not None else {"kind": GlossaryTerm.Kind.TERM.value, "note": "", "names": {}}
    if entry.kind:
        new["kind"] = entry.kind
    if entry.note or (entry.note == "" and by_id):
        new["note"] = entry.note
    for language, (name, aliases, forms, stem) in entry.names.items():
        _old_name, old_aliases, old_forms, old_stem = new["names"].get(language, ("", [], [], False))
        if aliases is None:  # no aliases in the file: keep the existing ones
            aliases = _unique_aliases(name, old_aliases)
        if forms is None:  # nor inflected forms
            forms = unique_forms(name, old_forms)
        new["names"][language] = (name, aliases, forms, old_stem if stem is None else stem)
    if by_id:
        for language in entry.blank_languages:
            new["names"].pop(language, None)
    return new


def _write(target: int | None, old: dict | None, new: dict, report: ImportReport) -> GlossaryTerm:
    if target is None:
        term = GlossaryTerm.objects.create(kind=new["kind"], note=new["note"])
        report.created += 1
    else:
        term = GlossaryTerm.objects.get(pk=target)
        term.kind, term.note = new["kind"], new["note"]
        term.save()  # also when only names changed: updated_at tells when the term last changed
        report.updated += 1
    old_names = old["names"] if old else {}
    removed = [language for language in old_names if language not in new["names"]]
    if removed:
        GlossaryName.objects.filter(term=term, language__in=removed).delete()
    for language, (name, aliases, forms, stem) in new["names"].items():
        if old_names.get(language) != (name, aliases, forms, stem):
            GlossaryName.objects.update_or_create(term=term, language=language, defaults={
                "name": name, "aliases": "\n".join(aliases), "inflected_forms": "\n".join(forms), "match_stem": stem,
            })
    return term
