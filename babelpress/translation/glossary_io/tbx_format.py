"""Glossary TBX files (ISO 30042): ``export_tbx`` writes TBX-Basic in the TBX v3 core structure
(DCA style); ``import_tbx`` reads that and the older TBX v2 ``martif`` files most term bases still
export. The XML comes from outside: it is parsed without entities, DTDs or network access.
"""

from __future__ import annotations

import re
from collections import Counter

from lxml import etree

from babelpress import languages
from babelpress.translation.glossary_io.rules import (
    KINDS,
    Entry,
    GlossaryImportError,
    ImportReport,
    apply,
    clean,
    names_by_language,
    terms_for_export,
)

TBX_NAMESPACE = "urn:iso:std:iso:30042:ed-2"
TBX_SOURCE = "Babelpress glossary"
PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"
#: The term type of an inflected form (TBX-Basic's picklist: "one of the alternate forms of a term").
VARIANT = "variant"
#: The note on a language section whose words are also matched by stem.
STEM_NOTE = "Babelpress: match by stem"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def export_tbx(terms_qs=None) -> bytes:
    """The glossary (or ``terms_qs``) as a TBX-Basic document (TBX v3, DCA style), UTF-8 bytes.

    One ``conceptEntry id="c<id>"`` per term with a name in a content language: the kind as the
    subject field, the note as the definition, and per language the preferred form
    (preferredTerm-admn-sts) followed by the aliases (admittedTerm-admn-sts), the inflected forms
    (admittedTerm-admn-sts, term type "variant") and, when its words match by stem, the note
    ``STEM_NOTE``.
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
    for term in terms_for_export(terms_qs):
        names = names_by_language(term)
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
            if name.match_stem:
                sub(lang_sec, "note", STEM_NOTE)  # auxiliary information comes before the terms
            terms = [(name.name, PREFERRED, None)] + [(alias, ADMITTED, None) for alias in name.alias_list()]
            terms += [(form, ADMITTED, VARIANT) for form in name.inflected_form_list()]
            for form, status, term_type in terms:
                term_sec = sub(lang_sec, "termSec")
                sub(term_sec, "term", form)
                if term_type:
                    sub(term_sec, "termNote", term_type, type="termType")
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
    return clean("".join(element.itertext()))


def _content_language(code: str, by_lower: dict[str, str]) -> str | None:
    code = code.strip().replace("_", "-").lower()
    return by_lower.get(code) or by_lower.get(code.split("-")[0])


def _parse_tbx(data: bytes) -> tuple[list[Entry], list[str]]:
    root = _parse_xml(data)
    if _local(root) not in ("tbx", "martif"):
        raise GlossaryImportError(
            f"Not a TBX file: the root element is <{_local(root)}>, not <tbx> (TBX v3) or <martif> (TBX v2)."
        )
    reader = _EntryReader(root)
    entries = [entry for entry in map(reader.entry, root.iter("{*}conceptEntry", "{*}termEntry")) if entry is not None]
    if not entries and not reader.without_content_language:
        raise GlossaryImportError("The TBX file has no conceptEntry (TBX v3) or termEntry (TBX v2) with a term.")
    return entries, reader.warnings()


class _EntryReader:
    """Reads a document's entries one by one, counting what it skips for the report's warnings."""

    def __init__(self, root):
        # Entry ids are only ours in files we exported: other tools number their entries c1, c2 ... too.
        self.ours = any(_text(p) == TBX_SOURCE for desc in root.iter("{*}sourceDesc") for p in desc.iter("{*}p"))
        self.codes = languages.content_language_codes()
        self.by_lower = {code.lower(): code for code in self.codes}
        self.skipped_languages: Counter[str] = Counter()
        self.foreign_fields: Counter[str] = Counter()
        self.without_content_language = 0

    def entry(self, element) -> Entry | None:
        """The entry of a conceptEntry/termEntry; None when it has terms only in other languages."""
        entry_id = element.get("id", "")
        entry = Entry(where=f"line {element.sourceline}" + (f" (entry {entry_id})" if entry_id else ""))
        match = re.fullmatch(r"c(\d+)", entry_id)
        if self.ours and match:
            entry.term_id = int(match.group(1))

        subject = next((_text(e) for e in _data_categories(element, "subjectField") if _text(e)), "")
        if subject.lower() in KINDS or (subject and self.ours):
            entry.check_kind(subject)
        elif subject:
            self.foreign_fields[subject] += 1  # another tool's subject field ("Astronomy"): not a kind

        lang_secs = _children(element, "langSec", "langSet")
        any_term = self.add_names(entry, lang_secs)

        definitions = _data_categories(element, "definition") + [
            d for lang_sec in lang_secs
            if _content_language(lang_sec.get(XML_LANG) or lang_sec.get("lang") or "", self.by_lower)
            for d in _data_categories(lang_sec, "definition")
        ]
        note = next((_text(d) for d in definitions if _text(d)), "")
        if note:
            entry.check_note(note)

        if not entry.names:
            if any_term and not entry.errors:
                self.without_content_language += 1  # only in languages this site does not publish in
                return None
            if not entry.errors:
                entry.error("no term in any language")
        return entry

    def add_names(self, entry: Entry, lang_secs) -> bool:
        """Give the entry its names in content languages; True if there was any term at all."""
        forms: dict[str, list[tuple[str, bool, bool]]] = {}
        stems: set[str] = set()
        any_term = False
        for lang_sec in lang_secs:
            raw_code = lang_sec.get(XML_LANG) or lang_sec.get("lang") or ""
            terms = _terms_of(lang_sec)
            any_term = any_term or bool(terms)
            if not raw_code:
                entry.error(f"a language section (line {lang_sec.sourceline}) has no xml:lang")
                continue
            language = _content_language(raw_code, self.by_lower)
            if language is None:
                self.skipped_languages[raw_code] += 1
                continue
            forms.setdefault(language, []).extend(terms)
            if any(_text(note).casefold() == STEM_NOTE.casefold() for note in _children(lang_sec, "note")):
                stems.add(language)

        for language in self.codes:  # settings order, like the CSV columns
            terms = forms.get(language)
            if not terms:
                continue
            preferred = next((text for text, is_preferred, _v in terms if is_preferred), terms[0][0])
            entry.add_name(language, preferred, [text for text, _p, variant in terms if not variant],
                           [text for text, _p, variant in terms if variant and text != preferred], language in stems)
        return any_term

    def warnings(self) -> list[str]:
        warnings = []
        if self.skipped_languages:
            listed = ", ".join(f"{code} ({n} entr{'y' if n == 1 else 'ies'})"
                               for code, n in sorted(self.skipped_languages.items()))
            warnings.append(f"Skipped languages that are not content languages ({', '.join(self.codes)}): {listed}.")
        if self.without_content_language:
            count = self.without_content_language
            one = count == 1
            warnings.append(f"{count} entr{'y' if one else 'ies'} had no term in a content "
                            f"language and {'was' if one else 'were'} skipped.")
        if self.foreign_fields:
            listed = ", ".join(repr(name) for name in sorted(self.foreign_fields))
            warnings.append(f"Subject fields that are not Babelpress kinds were ignored: {listed}; "
                            "new terms from those entries get the kind 'term'.")
        return warnings


def _terms_of(lang_sec) -> list[tuple[str, bool, bool]]:
    """(term, is it the preferred one?, is it a variant — an inflected form?) of a language section, in order."""
    terms = []
    for term_sec in lang_sec.iter("{*}termSec", "{*}tig", "{*}ntig"):
        term = next(term_sec.iter("{*}term"), None)
        text = _text(term) if term is not None else ""
        if not text:
            continue
        status = next((_text(e) for e in term_sec.iter("{*}termNote", "{*}administrativeStatus")
                       if _local(e) == "administrativeStatus" or e.get("type") == "administrativeStatus"), "")
        term_type = next((_text(e) for e in term_sec.iter("{*}termNote", "{*}termType")
                          if _local(e) == "termType" or e.get("type") == "termType"), "")
        terms.append((text, status.startswith("preferred"), term_type == VARIANT))
    return terms


def import_tbx(data: bytes | str, *, dry_run: bool = False) -> ImportReport:
    """Import glossary terms from TBX v3 or TBX v2 (martif) bytes (see the module docstring).

    Only content languages are read (others are reported as warnings); per language the first
    preferred term (or the first term) becomes the preferred form and the others aliases.
    Raises GlossaryImportError for files that are not TBX, not well-formed, or use entities.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    entries, warnings = _parse_tbx(data)
    return apply(entries, ImportReport(dry_run=dry_run, warnings=warnings))
