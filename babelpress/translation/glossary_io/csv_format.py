"""Glossary CSV files: ``export_csv`` writes them, ``import_csv`` reads them (layout and rules in
the package docstring)."""

from __future__ import annotations

import csv
import io
import re

from babelpress import languages
from babelpress.booleans import is_boolean_word, parse_bool
from babelpress.numbers import ascii_number
from babelpress.translation.glossary_io.rules import (
    Entry,
    GlossaryImportError,
    ImportReport,
    apply,
    clean,
    names_by_language,
    terms_for_export,
)

ALIAS_SEPARATOR = " | "  # between aliases, and between inflected forms
DELIMITERS = ",;\t"
#: Per language, the columns after the preferred form's (named "<code>_aliases" …), in this order.
SUFFIXES = ("aliases", "forms", "stem")


def csv_header() -> list[str]:
    """The columns ``export_csv`` writes, for the current content languages."""
    header = ["id", "kind", "note"]
    for code in languages.content_language_codes():
        header += [code, *(f"{code}_{suffix}" for suffix in SUFFIXES)]
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
    for term in terms_for_export(terms_qs):
        names = names_by_language(term)
        if not any(code in names for code in codes):
            continue
        row = [term.pk, term.kind, term.note]
        for code in codes:
            name = names.get(code)
            row += [name.name, ALIAS_SEPARATOR.join(name.alias_list()), ALIAS_SEPARATOR.join(name.inflected_form_list()),
                    "yes" if name.match_stem else "no"] if name else ["", "", "", ""]
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
    return [a for a in (clean(part) for part in re.split(r"[|\r\n]", value or "")) if a]


def _parse_csv(text: str) -> list[Entry]:
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
    """Column roles: ("id"|"kind"|"note", None), ("name"|"aliases"|"forms"|"stem", language), None (blank header)."""
    codes = languages.content_language_codes()
    by_lower = {code.lower(): code for code in codes}
    columns: list[tuple[str, str | None] | None] = []
    unknown = []
    for cell in header:
        name = clean(cell).lower()
        if not name:
            columns.append(None)
        elif name in ("id", "kind", "note"):
            columns.append((name, None))
        elif name in by_lower:
            columns.append(("name", by_lower[name]))
        elif "_" in name and name.rsplit("_", 1)[1] in SUFFIXES and name.rsplit("_", 1)[0] in by_lower:
            code, suffix = name.rsplit("_", 1)
            columns.append((suffix, by_lower[code]))
        else:
            columns.append(None)
            unknown.append(clean(cell))
    expected = ",".join(csv_header())
    if unknown:
        raise GlossaryImportError(
            f"Unknown column{'s' if len(unknown) > 1 else ''}: {', '.join(repr(u) for u in unknown)}. "
            f"Expected header: {expected} (id, kind, note and the _aliases, _forms and _stem columns are optional; "
            f"the content languages are {', '.join(codes)})."
        )
    present = [c for c in columns if c]
    duplicates = sorted({role if lang is None else (lang if role == "name" else f"{lang}_{role}")
                         for role, lang in present if present.count((role, lang)) > 1})
    if duplicates:
        raise GlossaryImportError(f"Duplicate column{'s' if len(duplicates) > 1 else ''}: {', '.join(duplicates)}. "
                                  f"Expected header: {expected}.")
    names = {lang for role, lang in present if role == "name"}
    if not names:
        raise GlossaryImportError(f"No language column: the header needs at least one of {', '.join(codes)}. "
                                  f"Expected header: {expected}.")
    orphans = [(f"{lang}_{role}", lang) for role, lang in present if role in SUFFIXES and lang not in names]
    if orphans:
        raise GlossaryImportError(f"{', '.join(o for o, _lang in orphans)} without the preferred-form column "
                                  f"{', '.join(dict.fromkeys(lang for _o, lang in orphans))}. Expected header: {expected}.")
    return columns


def _csv_entry(line: int, row: list[str], columns: list[tuple[str, str | None] | None]) -> Entry:
    entry = Entry(where=f"line {line}")
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
        raw = clean(cells.get(("id", None), ""))
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
        preferred = clean(cells.get(("name", language), ""))
        aliases, forms = (_split_aliases(cells.get((role, language), "")) if (role, language) in present else None
                          for role in ("aliases", "forms"))
        stem = _stem_cell(entry, language, cells.get(("stem", language))) if ("stem", language) in present else None
        if preferred:
            entry.add_name(language, preferred, aliases, forms, stem)
        elif aliases or forms or stem:
            filled = "_aliases" if aliases else "_forms" if forms else "_stem"
            entry.error(f"{language}{filled} is filled but {language}, the preferred form, is empty")
        else:
            entry.blank_languages.append(language)
    if not entry.names:
        entry.error(f"no name in any language: fill at least one of {', '.join(name_languages)}")
    return entry


def _stem_cell(entry: Entry, language: str, value: str | None) -> bool:
    """A ``<lang>_stem`` cell: yes/no (1/0, true/false, on/off; blank is no)."""
    value = clean(value)
    if value and not is_boolean_word(value):
        entry.error(f"{language}_stem {value!r} is not yes or no (1/0 and true/false work too)")
        return False
    return parse_bool(value) if value else False


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
    return apply(entries, ImportReport(dry_run=dry_run))


