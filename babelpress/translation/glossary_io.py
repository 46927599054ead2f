"""Glossary import and export: CSV for spreadsheets, TBX (ISO 30042) for CAT tools and term bases.

CSV layout (``export_csv`` writes it, ``import_csv`` reads it)::

    id,kind,note,fr,fr_aliases,en,en_aliases,hy,hy_aliases,ru,ru_aliases

one column pair per content language, aliases joined with " | ". On import every column but one
language column is optional, the delimiter may be ",", ";" or a tab (French Excel writes ";"),
and a UTF-8 byte order mark is ignored.

TBX: ``export_tbx`` writes TBX-Basic in the TBX v3 core structure (ISO 30042:2019, DCA style);
``import_tbx`` reads that and the older TBX v2 ``martif`` files most term bases still export.

Both imports follow the same rules:

* a row/entry updates the term whose id it carries (CSV ``id`` column; TBX ``conceptEntry id="c12"``,
  trusted only in files that Babelpress exported, because other tools number their entries too);
  otherwise the term that has one of its preferred forms in the same language (case-insensitive);
  otherwise it creates a term;
* a language given in a row/entry replaces that language's preferred form (and its aliases, when
  the file gives aliases: always in TBX, when the ``<lang>_aliases`` column exists in CSV);
* blank cells leave things as they are, except in CSV rows that carry the id of an existing term:
  such a row is the term as exported, so a blank note clears the note and a blank language removes
  that language's name (only for the columns the file has);
* everything runs in one transaction: if any row has an error nothing is written, and the report
  lists every error with its line number. ``dry_run=True`` runs the whole import and rolls back.
"""

from __future__ import annotations

import copy
import csv
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from lxml import etree

from babelpress import languages
from babelpress.numbers import ascii_number
from babelpress.translation.models import GlossaryName, GlossaryTerm

__all__ = [
    "GlossaryImportError",
    "ImportReport",
    "export_csv",
    "export_tbx",
    "import_csv",
    "import_tbx",
]

ALIAS_SEPARATOR = " | "
TBX_NAMESPACE = "urn:iso:std:iso:30042:ed-2"
TBX_SOURCE = "Babelpress glossary"
PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

NAME_MAX = GlossaryName._meta.get_field("name").max_length
NOTE_MAX = GlossaryTerm._meta.get_field("note").max_length
KINDS = list(GlossaryTerm.Kind.values)
DELIMITERS = ",;\t"


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


# --- Shared helpers ---------------------------------------------------------------------------


def _clean(value: str | None) -> str:
    """NFC, trimmed, control characters dropped, runs of spaces/tabs/newlines collapsed (Excel
    cells, pretty-printed XML)."""
    if not value:
        return ""
    # Other control characters mean nothing in a term, and PostgreSQL cannot store NUL.
    value = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", value)
    return re.sub(r"[ \t\r\n]+", " ", unicodedata.normalize("NFC", value)).strip()


def _key(name: str) -> str:
    """The form used to compare names: case-insensitive for every script, not only ASCII."""
    return _clean(name).casefold()


def _unique_aliases(preferred: str, aliases: list[str]) -> list[str]:
    seen = {_key(preferred)}
    result = []
    for alias in aliases:
        alias = _clean(alias)
        if alias and _key(alias) not in seen:
            seen.add(_key(alias))
            result.append(alias)
    return result


def _terms(terms_qs):
    qs = GlossaryTerm.objects.all() if terms_qs is None else terms_qs
    return qs.order_by("pk").prefetch_related("names")


def _names_by_language(term: GlossaryTerm) -> dict[str, GlossaryName]:
    return {name.language: name for name in term.names.all()}


@dataclass
class _Entry:
    """One CSV row or TBX entry, parsed and checked, ready to be matched and applied."""

    where: str  # "line 4", "line 12 (entry c5)": the prefix of this entry's messages
    term_id: int | None = None
    kind: str | None = None  # None: not given
    note: str | None = None  # None: not given; "": blank cell
    #: language -> (preferred form, aliases); aliases None: keep the existing ones.
    names: dict[str, tuple[str, list[str] | None]] = field(default_factory=dict)
    #: languages left blank (CSV): removed only when the row carries the id of an existing term.
    blank_languages: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def error(self, message: str) -> None:
        self.errors.append(f"{self.where}: {message}")

    def check_kind(self, value: str) -> None:
        kind = _clean(value).lower()
        if not kind:
            return
        if kind in KINDS:
            self.kind = kind
        else:
            self.error(f"kind {_clean(value)!r} is not one of {', '.join(KINDS)}")

    def check_note(self, value: str) -> None:
        note = _clean(value)
        if len(note) > NOTE_MAX:
            self.error(f"the note is {len(note)} characters long; at most {NOTE_MAX} fit")
        self.note = note

    def add_name(self, language: str, preferred: str, aliases: list[str] | None) -> None:
        if len(preferred) > NAME_MAX:
            self.error(f"{language} {preferred[:40]!r}… is {len(preferred)} characters long; at most {NAME_MAX} fit")
        self.names[language] = (preferred, None if aliases is None else _unique_aliases(preferred, aliases))


@dataclass
class _State:
    """Every term's current forms, plus an index of preferred forms, kept up to date while importing."""

    terms: dict[int, dict]
    index: dict[tuple[str, str], set[int]]

    @classmethod
    def load(cls) -> _State:
        state = cls(terms={}, index={})
        for term in GlossaryTerm.objects.prefetch_related("names"):
            names = {n.language: (n.name, n.alias_list()) for n in term.names.all()}
            state.put(term.pk, {"kind": term.kind, "note": term.note, "names": names})
        return state

    def put(self, term_id: int, data: dict) -> None:
        old = self.terms.get(term_id)
        if old:
            for language, (name, _aliases) in old["names"].items():
                self.index.get((language, _key(name)), set()).discard(term_id)
        self.terms[term_id] = data
        for language, (name, _aliases) in data["names"].items():
            self.index.setdefault((language, _key(name)), set()).add(term_id)

    def owners(self, language: str, name: str) -> set[int]:
        return self.index.get((language, _key(name)), set())


class _Rollback(Exception):
    pass


def _apply(entries: list[_Entry], report: ImportReport) -> ImportReport:
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


def _apply_entry(entry: _Entry, state: _State, report: ImportReport) -> None:
    by_id = entry.term_id is not None and entry.term_id in state.terms
    if by_id:
        target = entry.term_id
    else:
        candidates: dict[int, str] = {}
        for language, (name, _aliases) in entry.names.items():
            for term_id in sorted(state.owners(language, name)):
                candidates.setdefault(term_id, f"{language} {name!r}")
        if len(candidates) > 1:
            found = "; ".join(f"#{term_id} by {how}" for term_id, how in candidates.items())
            entry.error(f"matches {len(candidates)} different terms ({found}); give the id of the term to update")
            report.errors.extend(entry.errors)
            return
        target = next(iter(candidates), None)

    if target is None:
        old = None
        new = {"kind": GlossaryTerm.Kind.TERM.value, "note": "", "names": {}}
    else:
        old = state.terms[target]
        new = copy.deepcopy(old)
    if entry.kind:
        new["kind"] = entry.kind
    if entry.note or (entry.note == "" and by_id):
        new["note"] = entry.note
    for language, (name, aliases) in entry.names.items():
        if aliases is None:  # no aliases in the file: keep the existing ones
            aliases = _unique_aliases(name, new["names"].get(language, ("", []))[1])
        new["names"][language] = (name, aliases)
    if by_id:
        for language in entry.blank_languages:
            new["names"].pop(language, None)

    for language, (name, _aliases) in entry.names.items():
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
    for language, (name, aliases) in new["names"].items():
        if old_names.get(language) != (name, aliases):
            GlossaryName.objects.update_or_create(
                term=term, language=language, defaults={"name": name, "aliases": "\n".join(aliases)}
            )
    state.put(term.pk, new)


# --- CSV --------------------------------------------------------------------------------------


def csv_header() -> list[str]:
    """The columns ``export_csv`` writes, for the current content languages."""
    header = ["id", "kind", "note"]
    for code in languages.content_language_codes():
        header += [code, f"{code}_aliases"]
    return header


def export_csv(terms_qs=None) -> str:
    """The glossary (or ``terms_qs``) as CSV text, one row per term, ordered by id.

    Terms without a name in any content language are left out: a row without a name cannot be
    imported back. The caller adds a byte order mark ("\\ufeff") if Excel should open the file.
    """
    codes = languages.content_language_codes()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(csv_header())
    for term in _terms(terms_qs):
        names = _names_by_language(term)
        if not any(code in names for code in codes):
            continue
        row = [term.pk, term.kind, term.note]
        for code in codes:
            name = names.get(code)
            row += [name.name, ALIAS_SEPARATOR.join(name.alias_list())] if name else ["", ""]
        writer.writerow(row)
    return out.getvalue()


def _sniff_delimiter(header_line: str) -> str:
    """The delimiter of the header line: csv.Sniffer, else the most frequent of , ; and tab."""
    try:
        delimiter = csv.Sniffer().sniff(header_line, delimiters=DELIMITERS).delimiter
    except csv.Error:
        delimiter = ""
    if delimiter and delimiter in DELIMITERS:
        return delimiter
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _split_aliases(value: str) -> list[str]:
    return [a for a in (_clean(part) for part in re.split(r"[|\r\n]", value or "")) if a]


def _parse_csv(text: str) -> list[_Entry]:
    text = text.removeprefix("\ufeff")
    first_line = 1
    delimiter = None
    lines = text.splitlines(keepends=True)
    # Excel honours (and some tools write) a first line "sep=;" naming the delimiter.
    if lines and re.fullmatch(r"sep=(.)\r?\n?", lines[0]):
        delimiter = lines[0][4]
        text = text[len(lines[0]):]
        first_line = 2
    if not text.strip():
        raise GlossaryImportError("The file is empty: it needs at least a header line, such as "
                                  f"{','.join(csv_header())}.")
    if delimiter is None:
        delimiter = _sniff_delimiter(next(line for line in text.splitlines() if line.strip()))

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    try:
        line_seen = 0
        for row in reader:
            rows.append((first_line + line_seen, row))
            line_seen = reader.line_num
    except csv.Error as exc:
        raise GlossaryImportError(f"line {first_line + reader.line_num - 1}: the CSV cannot be read: {exc}") from exc

    while rows and not any(cell.strip() for cell in rows[0][1]):
        rows.pop(0)  # blank lines before the header
    columns = _read_header(rows[0][1])

    entries = []
    for line, row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue  # empty rows (and Excel's rows of only delimiters) are skipped
        entries.append(_csv_entry(line, row, columns))
    return entries


def _read_header(header: list[str]) -> list[tuple[str, str | None] | None]:
    """Column roles: ("id"|"kind"|"note", None), ("name"|"aliases", language), None (blank header)."""
    codes = languages.content_language_codes()
    by_lower = {code.lower(): code for code in codes}
    columns: list[tuple[str, str | None] | None] = []
    unknown = []
    for cell in header:
        name = _clean(cell).lower()
        if not name:
            columns.append(None)
        elif name in ("id", "kind", "note"):
            columns.append((name, None))
        elif name in by_lower:
            columns.append(("name", by_lower[name]))
        elif name.endswith("_aliases") and name.removesuffix("_aliases") in by_lower:
            columns.append(("aliases", by_lower[name.removesuffix("_aliases")]))
        else:
            columns.append(None)
            unknown.append(_clean(cell))
    expected = ",".join(csv_header())
    if unknown:
        raise GlossaryImportError(
            f"Unknown column{'s' if len(unknown) > 1 else ''}: {', '.join(repr(u) for u in unknown)}. "
            f"Expected header: {expected} (id, kind, note and the _aliases columns are optional; "
            f"the content languages are {', '.join(codes)})."
        )
    present = [c for c in columns if c]
    duplicates = sorted({role if lang is None else (lang if role == "name" else f"{lang}_aliases")
                         for role, lang in present if present.count((role, lang)) > 1})
    if duplicates:
        raise GlossaryImportError(f"Duplicate column{'s' if len(duplicates) > 1 else ''}: {', '.join(duplicates)}. "
                                  f"Expected header: {expected}.")
    names = {lang for role, lang in present if role == "name"}
    if not names:
        raise GlossaryImportError(f"No language column: the header needs at least one of {', '.join(codes)}. "
                                  f"Expected header: {expected}.")
    orphans = [f"{lang}_aliases" for role, lang in present if role == "aliases" and lang not in names]
    if orphans:
        raise GlossaryImportError(f"{', '.join(orphans)} without the preferred-form column "
                                  f"{', '.join(o.removesuffix('_aliases') for o in orphans)}. Expected header: {expected}.")
    return columns


def _csv_entry(line: int, row: list[str], columns: list[tuple[str, str | None] | None]) -> _Entry:
    entry = _Entry(where=f"line {line}")
    if len(row) > len(columns) and any(cell.strip() for cell in row[len(columns):]):
        entry.error(f"the row has {len(row)} cells but the header only {len(columns)} columns")
    cells: dict[tuple[str, str | None], str] = {}
    for position, (column, cell) in enumerate(zip(columns, row), start=1):
        if column is None:
            if cell.strip():
                entry.error(f"a value in column {position}, which has no name in the header")
            continue
        cells[column] = cell
    present = {column for column in columns if column}

    if ("id", None) in present:
        raw = _clean(cells.get(("id", None), ""))
        if raw:
            entry.term_id = ascii_number(raw)
            if entry.term_id is None:
                entry.error(f"id {raw!r} is not a whole number")
    if ("kind", None) in present:
        entry.check_kind(cells.get(("kind", None), ""))
    if ("note", None) in present:
        entry.check_note(cells.get(("note", None), ""))

    name_languages = [column[1] for column in columns if column and column[0] == "name"]
    for language in name_languages:
        preferred = _clean(cells.get(("name", language), ""))
        has_aliases = ("aliases", language) in present
        aliases = _split_aliases(cells.get(("aliases", language), "")) if has_aliases else None
        if preferred:
            entry.add_name(language, preferred, aliases)
        elif aliases:
            entry.error(f"{language}_aliases is filled but {language}, the preferred form, is empty")
        else:
            entry.blank_languages.append(language)
    if not entry.names:
        entry.error(f"no name in any language: fill at least one of {', '.join(name_languages)}")
    return entry


def import_csv(text: str | bytes, *, dry_run: bool = False) -> ImportReport:
    """Import glossary terms from CSV text (see the module docstring for the rules).

    Raises GlossaryImportError when the file as a whole is unusable (unknown columns, no
    language column, unreadable CSV); row problems are listed in the report instead.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise GlossaryImportError(
                "The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 (comma delimited)”."
            ) from exc
    entries = _parse_csv(text)
    return _apply(entries, ImportReport(dry_run=dry_run))


# --- TBX --------------------------------------------------------------------------------------


def export_tbx(terms_qs=None) -> bytes:
    """The glossary (or ``terms_qs``) as a TBX-Basic document (TBX v3, DCA style), UTF-8 bytes.

    One ``conceptEntry id="c<id>"`` per term with a name in a content language: the kind as the
    subject field, the note as the definition, and per language the preferred form
    (preferredTerm-admn-sts) followed by the aliases (admittedTerm-admn-sts).
    """

    def tag(name: str) -> str:
        return f"{{{TBX_NAMESPACE}}}{name}"

    def sub(parent, name: str, text: str | None = None, **attrs):
        element = etree.SubElement(parent, tag(name), attrs)
        if text is not None:
            element.text = text
        return element

    root = etree.Element(tag("tbx"), nsmap={None: TBX_NAMESPACE})
    root.set("type", "TBX-Basic")
    root.set("style", "dca")
    root.set(XML_LANG, "en")
    source = sub(sub(sub(root, "tbxHeader"), "fileDesc"), "sourceDesc")
    sub(source, "p", TBX_SOURCE)
    body = sub(sub(root, "text"), "body")

    codes = languages.content_language_codes()
    for term in _terms(terms_qs):
        names = _names_by_language(term)
        if not any(code in names for code in codes):
            continue  # TBX requires at least one langSec per conceptEntry
        entry = sub(body, "conceptEntry", id=f"c{term.pk}")
        sub(entry, "descrip", term.kind, type="subjectField")
        if term.note:
            sub(entry, "descrip", term.note, type="definition")
        for code in codes:
            name = names.get(code)
            if name is None:
                continue
            lang_sec = sub(entry, "langSec")
            lang_sec.set(XML_LANG, code)
            for form, status in [(name.name, PREFERRED)] + [(alias, ADMITTED) for alias in name.alias_list()]:
                term_sec = sub(lang_sec, "termSec")
                sub(term_sec, "term", form)
                sub(term_sec, "termNote", status, type="administrativeStatus")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _parse_xml(data: bytes) -> etree._Element:
    """Parse untrusted XML: no entity expansion, no DTD loading, no network, libxml2's size limits."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        if "entit" in str(exc).lower():
            raise GlossaryImportError(f"Refused: the XML uses entities that cannot be read safely ({exc}).") from exc
        raise GlossaryImportError(f"The file is not well-formed XML: {exc}") from exc
    if root is None:
        raise GlossaryImportError("The file is not well-formed XML: it has no root element.")
    dtd = root.getroottree().docinfo.internalDTD
    declared = [entity.name for entity in dtd.iterentities()] if dtd is not None else []
    if declared or any(isinstance(node, etree._Entity) for node in root.iter()):
        raise GlossaryImportError(
            "Refused: the file declares or uses XML entities"
            + (f" ({', '.join(declared[:5])}{' …' if len(declared) > 5 else ''})" if declared else "")
            + ". Entities are how XXE and “billion laughs” attacks work, and TBX never needs them; "
            "export the file again without a DOCTYPE internal subset."
        )
    return root


def _local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element, *names: str):
    return [child for child in element if _local(child) in names]


def _data_categories(element, kind: str) -> list[etree._Element]:
    """``<descrip type=kind>`` (DCA) or ``<kind>`` (DCT) children of element, also inside *Grp groups."""
    found = []
    for child in element:
        name = _local(child)
        if name in ("descripGrp", "termNoteGrp"):
            found += _data_categories(child, kind)
        elif (name in ("descrip", "termNote") and child.get("type") == kind) or name == kind:
            found.append(child)
    return found


def _text(element) -> str:
    return _clean("".join(element.itertext()))


def _content_language(code: str, by_lower: dict[str, str]) -> str | None:
    code = code.strip().replace("_", "-").lower()
    return by_lower.get(code) or by_lower.get(code.split("-")[0])


def _parse_tbx(data: bytes) -> tuple[list[_Entry], list[str]]:
    root = _parse_xml(data)
    if _local(root) not in ("tbx", "martif"):
        raise GlossaryImportError(
            f"Not a TBX file: the root element is <{_local(root)}>, not <tbx> (TBX v3) or <martif> (TBX v2)."
        )
    # Entry ids are only ours in files we exported: other tools number their entries c1, c2 ... too.
    ours = any(_text(p) == TBX_SOURCE for desc in root.iter("{*}sourceDesc") for p in desc.iter("{*}p"))
    codes = languages.content_language_codes()
    by_lower = {code.lower(): code for code in codes}
    skipped_languages: Counter[str] = Counter()
    foreign_fields: Counter[str] = Counter()
    without_content_language = 0

    entries = []
    for element in root.iter("{*}conceptEntry", "{*}termEntry"):
        entry_id = element.get("id", "")
        entry = _Entry(where=f"line {element.sourceline}" + (f" (entry {entry_id})" if entry_id else ""))
        match = re.fullmatch(r"c(\d+)", entry_id)
        if ours and match:
            entry.term_id = int(match.group(1))

        subject = next((_text(e) for e in _data_categories(element, "subjectField") if _text(e)), "")
        if subject.lower() in KINDS or (subject and ours):
            entry.check_kind(subject)
        elif subject:
            foreign_fields[subject] += 1  # another tool's subject field ("Astronomy"): not a kind

        lang_secs = _children(element, "langSec", "langSet")
        forms: dict[str, list[tuple[str, bool]]] = {}
        any_term = False
        for lang_sec in lang_secs:
            raw_code = lang_sec.get(XML_LANG) or lang_sec.get("lang") or ""
            terms = []
            for term_sec in lang_sec.iter("{*}termSec", "{*}tig", "{*}ntig"):
                term = next(term_sec.iter("{*}term"), None)
                text = _text(term) if term is not None else ""
                if not text:
                    continue
                status = next((_text(e) for e in term_sec.iter("{*}termNote", "{*}administrativeStatus")
                               if _local(e) == "administrativeStatus" or e.get("type") == "administrativeStatus"), "")
                terms.append((text, status.startswith("preferred")))
            any_term = any_term or bool(terms)
            if not raw_code:
                entry.error(f"a language section (line {lang_sec.sourceline}) has no xml:lang")
                continue
            language = _content_language(raw_code, by_lower)
            if language is None:
                skipped_languages[raw_code] += 1
                continue
            forms.setdefault(language, []).extend(terms)

        for language in codes:  # settings order, like the CSV columns
            terms = forms.get(language)
            if not terms:
                continue
            preferred = next((text for text, is_preferred in terms if is_preferred), terms[0][0])
            entry.add_name(language, preferred, [text for text, _ in terms])

        definitions = _data_categories(element, "definition") + [
            d for lang_sec in lang_secs
            if _content_language(lang_sec.get(XML_LANG) or lang_sec.get("lang") or "", by_lower)
            for d in _data_categories(lang_sec, "definition")
        ]
        note = next((_text(d) for d in definitions if _text(d)), "")
        if note:
            entry.check_note(note)

        if not entry.names:
            if any_term and not entry.errors:
                without_content_language += 1  # only in languages this site does not publish in
                continue
            if not entry.errors:
                entry.error("no term in any language")
        entries.append(entry)

    if not entries and not without_content_language:
        raise GlossaryImportError("The TBX file has no conceptEntry (TBX v3) or termEntry (TBX v2) with a term.")
    warnings = []
    if skipped_languages:
        listed = ", ".join(f"{code} ({n} entr{'y' if n == 1 else 'ies'})" for code, n in sorted(skipped_languages.items()))
        warnings.append(f"Skipped languages that are not content languages ({', '.join(codes)}): {listed}.")
    if without_content_language:
        one = without_content_language == 1
        warnings.append(f"{without_content_language} entr{'y' if one else 'ies'} had no term in a content "
                        f"language and {'was' if one else 'were'} skipped.")
    if foreign_fields:
        listed = ", ".join(repr(name) for name in sorted(foreign_fields))
        warnings.append(f"Subject fields that are not Babelpress kinds were ignored: {listed}; "
                        "new terms from those entries get the kind 'term'.")
    return entries, warnings


def import_tbx(data: bytes | str, *, dry_run: bool = False) -> ImportReport:
    """Import glossary terms from TBX v3 or TBX v2 (martif) bytes (see the module docstring).

    Only content languages are read (others are reported as warnings); per language the first
    preferred term (or the first term) becomes the preferred form and the others aliases.
    Raises GlossaryImportError for files that are not TBX, not well-formed, or use entities.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    entries, warnings = _parse_tbx(data)
    return _apply(entries, ImportReport(dry_run=dry_run, warnings=warnings))
