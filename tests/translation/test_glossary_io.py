"""Glossary import and export: CSV for spreadsheets, TBX for CAT tools.

Named examples (content languages fr, en, hy, ru):

- ``turkaz``: the term "Turkish–Azerbaijani" — fr preferred "turco-azerbaïdjanaise", alias "turco-azérie";
  en "Turkish–Azerbaijani", alias "Turkish-Azeri"; a note; no hy or ru.
- ``yerevan``: a place — fr "Erevan" (aliases "Érévan", "Yerevan"), en "Yerevan", hy "Երևան", ru "Ереван".
- ``eu``: an organisation — fr "Union européenne" (alias "UE"), en "European Union" (alias "EU").
"""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from lxml import etree

from babelpress.translation.glossary_io import (
    GlossaryImportError,
    ImportReport,
    export_csv,
    export_tbx,
    import_csv,
    import_tbx,
)
from babelpress.translation.models import GlossaryName, GlossaryTerm  # noqa: E402

# Examples written for a site publishing in fr, en, hy and ru (conftest.py).
pytestmark = pytest.mark.usefixtures("four_content_languages")

NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: A header without the inflected-form columns, as files made before them have it: still imported as it is.
HEADER = "id,kind,note,fr,fr_aliases,en,en_aliases,hy,hy_aliases,ru,ru_aliases"
#: What export_csv writes: per language the preferred form, aliases, inflected forms, stem matching.
EXPORT_HEADER = ",".join(["id,kind,note", *(f"{c},{c}_aliases,{c}_forms,{c}_stem" for c in ("fr", "en", "hy", "ru"))])
KIND_ERROR = "kind 'city' is not one of organisation, person, place, term"


def make_term(kind="term", note="", **names):
    """make_term("place", fr=("Erevan", ["Érévan"]), en="Yerevan")"""
    term = GlossaryTerm.objects.create(kind=kind, note=note)
    for language, value in names.items():
        name, aliases = (value, []) if isinstance(value, str) else value
        GlossaryName.objects.create(term=term, language=language, name=name, aliases="\n".join(aliases))
    return term


def snapshot():
    """The whole glossary, without ids or dates: {(kind, note, ((lang, name, (aliases...)), ...)), ...}."""
    return {
        (
            term.kind,
            term.note,
            tuple(sorted((n.language, n.name, tuple(n.alias_list())) for n in term.names.all())),
        )
        for term in GlossaryTerm.objects.prefetch_related("names")
    }


def forms(term):
    """{language: (preferred, [aliases])} of one term, fresh from the database."""
    return {n.language: (n.name, n.alias_list()) for n in GlossaryName.objects.filter(term_id=term.pk)}


@pytest.fixture
def glossary(db):
    g = SimpleNamespace()
    g.turkaz = make_term(
        "term",
        "Adjective, as in « le gazoduc turco-azerbaïdjanais »",
        fr=("turco-azerbaïdjanaise", ["turco-azérie"]),
        en=("Turkish–Azerbaijani", ["Turkish-Azeri"]),
    )
    g.yerevan = make_term(
        "place", fr=("Erevan", ["Érévan", "Yerevan"]), en="Yerevan", hy="Երևան", ru="Ереван"
    )
    g.eu = make_term("organisation", fr=("Union européenne", ["UE"]), en=("European Union", ["EU"]))
    return g


def report_of(report: ImportReport):
    return (report.created, report.updated, report.unchanged, report.errors)


# --- CSV export -------------------------------------------------------------------------------


def test_csv_export_has_one_row_per_term_with_aliases_joined_by_a_bar(glossary):
    GlossaryTerm.objects.create(kind="person")  # no name in any language: cannot be imported back, left out

    lines = export_csv().splitlines()

    assert lines[0] == EXPORT_HEADER
    assert lines[1:] == [
        f'{glossary.turkaz.pk},term,"Adjective, as in « le gazoduc turco-azerbaïdjanais »",'
        "turco-azerbaïdjanaise,turco-azérie,,no,Turkish–Azerbaijani,Turkish-Azeri,,no,,,,,,,,",
        f"{glossary.yerevan.pk},place,,Erevan,Érévan | Yerevan,,no,Yerevan,,,no,Երևան,,,no,Ереван,,,no",
        f"{glossary.eu.pk},organisation,,Union européenne,UE,,no,European Union,EU,,no,,,,,,,,",
    ]


def test_csv_export_of_a_queryset_and_of_other_content_languages(glossary, settings):
    settings.BABELPRESS_CONTENT_LANGUAGES = ["en", "ru"]

    text = export_csv(GlossaryTerm.objects.filter(kind="place"))

    assert text.splitlines() == ["id,kind,note,en,en_aliases,en_forms,en_stem,ru,ru_aliases,ru_forms,ru_stem",
                                 f"{glossary.yerevan.pk},place,,Yerevan,,,no,Ереван,,,no"]


# --- CSV import -------------------------------------------------------------------------------


def test_csv_round_trip_into_an_empty_glossary_gives_the_same_terms(glossary):
    before = snapshot()
    text = export_csv()
    GlossaryTerm.objects.all().delete()

    report = import_csv(text)

    assert report_of(report) == (3, 0, 0, [])
    assert report.written and report.warnings == []
    assert snapshot() == before


def test_csv_importing_an_unedited_export_changes_nothing(glossary):
    updated_at = GlossaryTerm.objects.get(pk=glossary.eu.pk).updated_at

    report = import_csv(export_csv())

    assert report_of(report) == (0, 0, 3, [])
    assert GlossaryTerm.objects.get(pk=glossary.eu.pk).updated_at == updated_at


def test_csv_row_with_an_id_updates_that_term_and_blank_cells_clear(glossary):
    pk = glossary.turkaz.pk
    text = (
        f"{HEADER}\n"
        f"{pk},place,,turco-azerbaïdjanais,turco-azérie | turco-azéri,,,թուրք-ադրբեջանական,,,\n"
    )

    report = import_csv(text)

    assert report_of(report) == (0, 1, 0, [])
    term = GlossaryTerm.objects.get(pk=pk)
    assert (term.kind, term.note) == ("place", "")  # the blank note cell cleared the note
    assert forms(term) == {
        "fr": ("turco-azerbaïdjanais", ["turco-azérie", "turco-azéri"]),
        "hy": ("թուրք-ադրբեջանական", []),  # en was blank in a row with an id: removed
    }
    assert GlossaryTerm.objects.count() == 3


def test_csv_columns_missing_from_the_file_are_left_alone(glossary):
    report = import_csv(f"id,hy\n{glossary.turkaz.pk},թուրք-ադրբեջանական\n")

    assert report_of(report) == (0, 1, 0, [])
    term = GlossaryTerm.objects.get(pk=glossary.turkaz.pk)
    assert term.note.startswith("Adjective")
    assert forms(term)["fr"] == ("turco-azerbaïdjanaise", ["turco-azérie"])
    assert forms(term)["hy"] == ("թուրք-ադրբեջանական", [])


def test_csv_row_without_id_matches_a_preferred_form_in_any_language_case_insensitively(glossary):
    # "ЕРЕВАН" only matches "Ереван" with Unicode case folding (SQLite's LIKE folds ASCII only).
    text = "kind,fr,ru,ru_aliases\nplace,,ЕРЕВАН,Эривань\n,TURCO-AZERBAÏDJANAISE,,\n"

    report = import_csv(text)

    assert report_of(report) == (0, 2, 0, [])
    assert forms(glossary.yerevan)["ru"] == ("ЕРЕВАН", ["Эривань"])
    assert forms(glossary.yerevan)["fr"] == ("Erevan", ["Érévan", "Yerevan"])  # blank without id: kept
    # Matched whatever the case; the row's spelling becomes the preferred form.
    assert forms(glossary.turkaz)["fr"] == ("TURCO-AZERBAÏDJANAISE", ["turco-azérie"])
    assert GlossaryTerm.objects.count() == 3


def test_csv_preferred_form_matching_ignores_aliases_and_creates_new_terms(glossary):
    # "turco-azérie" is only an alias, so it does not match; an unknown id is not reused either.
    text = f"{HEADER}\n999,term,,turco-azérie,,,,,,,\n,person,Prime minister,Nikol Pachinian,,Nikol Pashinyan,,Նիկոլ Փաշինյան,,,\n"

    report = import_csv(text)

    assert report_of(report) == (2, 0, 0, [])
    assert not GlossaryTerm.objects.filter(pk=999).exists()
    pashinyan = GlossaryName.objects.get(language="en", name="Nikol Pashinyan").term
    assert (pashinyan.kind, pashinyan.note) == ("person", "Prime minister")
    assert forms(pashinyan) == {
        "fr": ("Nikol Pachinian", []),
        "en": ("Nikol Pashinyan", []),
        "hy": ("Նիկոլ Փաշինյան", []),
    }


def test_csv_kind_defaults_to_term_and_only_a_language_column_is_required(db):
    report = import_csv("fr\nturco-azerbaïdjanaise\nErevan\n")

    assert report_of(report) == (2, 0, 0, [])
    assert set(GlossaryTerm.objects.values_list("kind", flat=True)) == {"term"}


def test_csv_rows_of_the_same_file_see_each_other(db):
    # The second row matches the term the first one created, instead of creating a duplicate.
    report = import_csv("fr,en\nErevan,\nerevan,Yerevan\n")

    assert report_of(report) == (1, 1, 0, [])
    assert snapshot() == {("term", "", (("en", "Yerevan", ()), ("fr", "erevan", ())))}


def test_csv_dry_run_reports_but_writes_nothing(glossary):
    before = snapshot()
    text = f"{HEADER}\n{glossary.eu.pk},organisation,,Union européenne,UE | l’Union,European Union,EU,,,,\n,,,Bakou,,Baku,,,,,\n"

    report = import_csv(text, dry_run=True)

    assert report_of(report) == (1, 1, 0, [])
    assert report.dry_run and not report.written
    assert snapshot() == before


def test_csv_every_row_error_is_reported_with_its_line_number_and_nothing_is_written(glossary):
    before = snapshot()
    text = (
        "id,kind,note,fr,fr_aliases,en\n"  # line 1
        ",place,,Bakou,,Baku\n"  # line 2: fine on its own, yet not written
        "\n"  # line 3: empty rows are skipped
        ",city,,Gyumri,,Gyumri\n"  # line 4
        "abc,term,,Shushi,,Shusha\n"  # line 5
        ',term,"a note\nover two lines",,,\n'  # lines 6-7: no name
        ",term,,,Artsakh,\n"  # line 8: aliases without a preferred form
        ",term,,Stepanakert,,Stepanakert,extra\n"  # line 9
        f",term,,{'x' * 201},,\n"  # line 10
        f",term,{'n' * 301},Goris,,\n"  # line 11
        f"{glossary.eu.pk},organisation,,Erevan,,\n"  # line 12: another term's preferred form
        ",term,,Union européenne,,Yerevan\n"  # line 13: matches two different terms
        ",,,,,\n"  # line 14: a row of delimiters only, skipped
    )

    report = import_csv(text)

    eu, yerevan = glossary.eu.pk, glossary.yerevan.pk
    assert report.errors == [
        f"line 4: {KIND_ERROR}",
        "line 5: id 'abc' is not a whole number",
        "line 6: no name in any language: fill at least one of fr, en",
        "line 8: fr_aliases is filled but fr, the preferred form, is empty",
        "line 8: no name in any language: fill at least one of fr, en",
        "line 9: the row has 7 cells but the header only 6 columns",
        f"line 10: fr {'x' * 40!r}… is 201 characters long; at most 200 fit",
        "line 11: the note is 301 characters long; at most 300 fit",
        f"line 12: fr 'Erevan' is already the preferred form of another term (#{yerevan})",
        f"line 13: matches 2 different terms (#{eu} by fr 'Union européenne'; #{yerevan} by en 'Yerevan'); "
        "give the id of the term to update",
    ]
    assert not report.written
    assert snapshot() == before
    assert not GlossaryName.objects.filter(name="Bakou").exists()


def test_csv_ids_in_other_digits_are_row_errors_not_crashes(db):
    # "⁰⁴⁵".isdigit() is true, yet int() refuses it; "１２" is fullwidth, which no export writes.
    report = import_csv("id,fr\n⁰⁴⁵,Erevan\n１２,Gyumri\n")

    assert report.errors == ["line 2: id '⁰⁴⁵' is not a whole number", "line 3: id '１２' is not a whole number"]


def test_csv_control_characters_are_dropped_from_names_and_notes(db):
    report = import_csv("note,fr\nla\x00 capitale,Ere\x00van\x07\n")

    assert report_of(report) == (1, 0, 0, [])
    assert snapshot() == {("term", "la capitale", (("fr", "Erevan", ()),))}


def test_csv_unknown_columns_are_refused_with_the_expected_header(db):
    with pytest.raises(GlossaryImportError) as caught:
        import_csv("id,kind,French,de,fr\n,term,Erevan,Jerewan,Erevan\n")

    message = str(caught.value)
    assert "Unknown columns: 'French', 'de'." in message
    assert f"Expected header: {EXPORT_HEADER}" in message
    assert GlossaryTerm.objects.count() == 0


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "The file is empty"),
        ("\ufeff\r\n", "The file is empty"),
        ("id,kind,note\n1,term,x\n", "No language column"),
        ("fr,en,FR\nErevan,Yerevan,Erevan\n", "Duplicate column: fr."),
        ("en,fr_aliases\nYerevan,Érévan\n", "fr_aliases without the preferred-form column fr."),
    ],
)
def test_csv_files_that_cannot_be_imported_at_all(db, text, message):
    with pytest.raises(GlossaryImportError, match=message):
        import_csv(text)


def test_csv_semicolon_file_from_a_french_excel_with_bom(glossary):
    # "CSV UTF-8" from a French Excel: BOM, ";" between cells, CRLF, quotes only where needed.
    text = (
        "\ufeffid;kind;note;fr;fr_aliases;en;en_aliases;hy;hy_aliases;ru;ru_aliases\r\n"
        f"{glossary.turkaz.pk};term;Adjectif, « turco-azerbaïdjanais » au masculin;turco-azerbaïdjanaise;"
        "turco-azérie | turco-azerbaïdjanais;Turkish–Azerbaijani;Turkish-Azeri;;;;\r\n"
        ';place;"Ville; capitale régionale";Gumri;Gyumri;Gyumri;;Գյումրի;;Гюмри;\r\n'
    )

    report = import_csv(text)

    assert report_of(report) == (1, 1, 0, [])
    turkaz = GlossaryTerm.objects.get(pk=glossary.turkaz.pk)
    assert turkaz.note == "Adjectif, « turco-azerbaïdjanais » au masculin"
    assert forms(turkaz)["fr"] == ("turco-azerbaïdjanaise", ["turco-azérie", "turco-azerbaïdjanais"])
    gyumri = GlossaryName.objects.get(language="hy", name="Գյումրի").term
    assert gyumri.note == "Ville; capitale régionale"
    assert forms(gyumri)["ru"] == ("Гюмри", [])
    # The same file as bytes, straight from the upload, reads the same.
    assert report_of(import_csv(text.encode("utf-8"))) == (0, 0, 2, [])


def test_csv_tab_delimited_and_excel_sep_line(db):
    assert report_of(import_csv("fr\ten\nErevan\tYerevan\n")) == (1, 0, 0, [])
    # Excel's "sep=" first line names the delimiter; line numbers still count it.
    report = import_csv("sep=;\nfr;en;kind\nBakou;Baku;city\n")
    assert report.errors == [f"line 3: {KIND_ERROR}"]


def test_csv_that_is_not_utf8_is_refused(db):
    with pytest.raises(GlossaryImportError, match="CSV UTF-8"):
        import_csv("fr;en\nÉrévan;Yerevan\n".encode("cp1252"))


def test_csv_line_numbers_count_lines_inside_quoted_cells(db):
    text = 'fr,kind\n"Erevan",place\n"Bakou\n(Azerbaïdjan)",city\n'

    assert import_csv(text).errors == [f"line 3: {KIND_ERROR}"]


# --- TBX export -------------------------------------------------------------------------------


def test_tbx_export_is_tbx_basic_v3_with_preferred_and_admitted_terms(glossary):
    data = export_tbx()

    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<tbx ")
    assert b"\n  <tbxHeader>" in data  # pretty-printed
    root = etree.fromstring(data)
    assert root.tag == f"{{{NS}}}tbx"
    assert (root.get("type"), root.get("style"), root.get(XML_LANG)) == ("TBX-Basic", "dca", "en")
    ns = {"t": NS}
    assert root.xpath("t:tbxHeader/t:fileDesc/t:sourceDesc/t:p/text()", namespaces=ns) == ["Babelpress glossary"]
    entries = root.xpath("t:text/t:body/t:conceptEntry", namespaces=ns)
    assert [e.get("id") for e in entries] == [f"c{glossary.turkaz.pk}", f"c{glossary.yerevan.pk}", f"c{glossary.eu.pk}"]

    turkaz = entries[0]
    assert turkaz.xpath("t:descrip[@type='subjectField']/text()", namespaces=ns) == ["term"]
    assert turkaz.xpath("t:descrip[@type='definition']/text()", namespaces=ns) == [glossary.turkaz.note]
    assert [s.get(XML_LANG) for s in turkaz.xpath("t:langSec", namespaces=ns)] == ["fr", "en"]
    fr = turkaz.xpath("t:langSec[@xml:lang='fr']/t:termSec", namespaces=ns)
    assert [
        (s.findtext(f"{{{NS}}}term"), s.xpath("t:termNote[@type='administrativeStatus']/text()", namespaces=ns))
        for s in fr
    ] == [
        ("turco-azerbaïdjanaise", ["preferredTerm-admn-sts"]),
        ("turco-azérie", ["admittedTerm-admn-sts"]),
    ]
    # No note, no definition; languages in settings order.
    yerevan = entries[1]
    assert yerevan.xpath("t:descrip[@type='definition']", namespaces=ns) == []
    assert [s.get(XML_LANG) for s in yerevan.xpath("t:langSec", namespaces=ns)] == ["fr", "en", "hy", "ru"]
    assert yerevan.xpath("t:langSec[@xml:lang='hy']/t:termSec/t:term/text()", namespaces=ns) == ["Երևան"]


# --- TBX import -------------------------------------------------------------------------------


def test_tbx_round_trip_into_an_empty_glossary_gives_the_same_terms(glossary):
    before = snapshot()
    data = export_tbx()
    GlossaryTerm.objects.all().delete()

    report = import_tbx(data)

    assert report_of(report) == (3, 0, 0, [])
    assert report.warnings == []
    assert snapshot() == before
    # ... and importing it once more changes nothing.
    assert report_of(import_tbx(data)) == (0, 0, 3, [])


def test_tbx_from_babelpress_updates_by_entry_id(glossary):
    pk = glossary.turkaz.pk
    data = export_tbx(GlossaryTerm.objects.filter(pk=pk))
    data = data.replace("turco-azerbaïdjanaise".encode(), "turco-azerbaïdjanais".encode())
    data = data.replace(b"<descrip type=\"subjectField\">term</descrip>", b"<descrip type=\"subjectField\">place</descrip>")

    report = import_tbx(data)

    assert report_of(report) == (0, 1, 0, [])
    term = GlossaryTerm.objects.get(pk=pk)
    assert term.kind == "place"
    assert forms(term)["fr"] == ("turco-azerbaïdjanais", ["turco-azérie"])


def tbx_v3(body: str, source: str = "Exported from a term base") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="{NS}">\n'
        f"<tbxHeader><fileDesc><sourceDesc><p>{source}</p></sourceDesc></fileDesc></tbxHeader>\n"
        f"<text><body>\n{body}</body></text>\n</tbx>\n"
    ).encode("utf-8")


def test_tbx_entry_ids_from_other_tools_are_not_taken_for_babelpress_ids(glossary):
    # Other tools number their entries c1, c2 ... too: only names match in their files.
    data = tbx_v3(
        f'<conceptEntry id="c{glossary.eu.pk}"><langSec xml:lang="fr"><termSec><term>Bakou</term></termSec></langSec>'
        "</conceptEntry>\n"
    )

    report = import_tbx(data)

    assert report_of(report) == (1, 0, 0, [])
    assert forms(glossary.eu)["fr"] == ("Union européenne", ["UE"])


def test_tbx_v2_martif_import(glossary):
    data = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">
<martif type="TBX-Basic" xml:lang="en-US">
  <martifHeader><fileDesc><sourceDesc><p>MultiTerm export</p></sourceDesc></fileDesc></martifHeader>
  <text><body>
    <termEntry id="c1">
      <descripGrp><descrip type="subjectField">Geography</descrip></descripGrp>
      <langSet xml:lang="fr-FR">
        <descripGrp><descrip type="definition">Capitale de l’Azerbaïdjan.</descrip></descripGrp>
        <tig><term>Bakou</term><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></tig>
        <tig><term>Baky</term></tig>
        <ntig><termGrp><term>Bakou (ville)</term>
          <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termGrp></ntig>
      </langSet>
      <langSet xml:lang="EN"><tig><term>Baku</term></tig></langSet>
      <langSet xml:lang="de"><tig><term>Baku</term></tig></langSet>
    </termEntry>
    <termEntry id="c2">
      <descrip type="subjectField">organisation</descrip>
      <langSet xml:lang="en"><ntig><termGrp><term>european union</term></termGrp></ntig></langSet>
      <langSet xml:lang="ru"><tig><term>Европейский союз</term></tig><tig><term>ЕС</term></tig></langSet>
    </termEntry>
  </body></text>
</martif>
""".encode()

    report = import_tbx(data)

    assert report_of(report) == (1, 1, 0, [])
    baku = GlossaryName.objects.get(language="en", name="Baku").term
    assert (baku.kind, baku.note) == ("term", "Capitale de l’Azerbaïdjan.")  # "Geography" is not a kind
    assert forms(baku) == {"fr": ("Bakou (ville)", ["Bakou", "Baky"]), "en": ("Baku", [])}
    # c2 is not our id (not a Babelpress file): it matched the EU by its English name.
    assert forms(glossary.eu) == {
        "fr": ("Union européenne", ["UE"]),
        "en": ("european union", []),  # a language in an entry is replaced as a whole
        "ru": ("Европейский союз", ["ЕС"]),
    }
    assert report.warnings == [
        "Skipped languages that are not content languages (fr, en, hy, ru): de (1 entry).",
        "Subject fields that are not Babelpress kinds were ignored: 'Geography'; new terms from those entries get the kind 'term'.",
    ]


def test_tbx_v3_with_dct_style_and_another_namespace_edition(db):
    # The TBX-Basic dialect's newer samples use urn:iso:std:iso:30042:ed:3.0; read it all the same.
    data = """<?xml version="1.0" encoding="utf-8"?>
<tbx type="TBX-Basic" style="dct" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed:3.0"
     xmlns:min="http://www.tbxinfo.net/ns/min" xmlns:basic="http://www.tbxinfo.net/ns/basic">
  <tbxHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></tbxHeader>
  <text><body><conceptEntry id="a">
    <min:subjectField>place</min:subjectField>
    <langSec xml:lang="hy"><termSec><term>Գյումրի</term>
      <min:administrativeStatus>preferredTerm-admn-sts</min:administrativeStatus></termSec>
      <termSec><term>Լենինական</term><min:administrativeStatus>supersededTerm-admn-sts</min:administrativeStatus>
    </termSec></langSec>
  </conceptEntry></body></text>
</tbx>""".encode()

    report = import_tbx(data)

    assert report_of(report) == (1, 0, 0, [])
    term = GlossaryTerm.objects.get()
    assert term.kind == "place"
    assert forms(term) == {"hy": ("Գյումրի", ["Լենինական"])}


def test_tbx_entries_only_in_other_languages_are_skipped_with_a_warning(glossary):
    data = tbx_v3(
        '<conceptEntry id="x1"><langSec xml:lang="de"><termSec><term>Eriwan</term></termSec></langSec>'
        '<langSec xml:lang="es"><termSec><term>Ereván</term></termSec></langSec></conceptEntry>\n'
        '<conceptEntry id="x2"><langSec xml:lang="de"><termSec><term>Baku</term></termSec></langSec>'
        '<langSec xml:lang="en"><termSec><term>Baku</term></termSec></langSec></conceptEntry>\n'
    )

    report = import_tbx(data)

    assert report_of(report) == (1, 0, 0, [])
    assert report.warnings == [
        "Skipped languages that are not content languages (fr, en, hy, ru): de (2 entries), es (1 entry).",
        "1 entry had no term in a content language and was skipped.",
    ]
    assert not GlossaryName.objects.filter(name="Eriwan").exists()


def test_tbx_errors_have_line_numbers_and_nothing_is_written(glossary):
    before = snapshot()
    data = tbx_v3(
        '<conceptEntry id="c1"><descrip type="subjectField">city</descrip>\n'  # line 5
        '<langSec xml:lang="fr"><termSec><term>Bakou</term></termSec></langSec></conceptEntry>\n'
        '<conceptEntry id="c2"><langSec xml:lang="fr"><termSec><term>Gyumri</term></termSec></langSec></conceptEntry>\n'
        '<conceptEntry id="c3"><langSec xml:lang="fr"><termSec><term> </term></termSec></langSec></conceptEntry>\n'
        '<conceptEntry id="c4"><langSec><termSec><term>Goris</term></termSec></langSec></conceptEntry>\n',
        source="Babelpress glossary",  # ours: subject fields must be kinds
    )

    report = import_tbx(data)

    assert report.errors == [
        f"line 5 (entry c1): {KIND_ERROR}",
        "line 8 (entry c3): no term in any language",
        "line 9 (entry c4): a language section (line 9) has no xml:lang",
    ]
    assert snapshot() == before


def test_tbx_dry_run_writes_nothing(glossary):
    before = snapshot()
    data = tbx_v3('<conceptEntry><langSec xml:lang="en"><termSec><term>Baku</term></termSec></langSec></conceptEntry>')

    report = import_tbx(data, dry_run=True)

    assert report_of(report) == (1, 0, 0, [])
    assert snapshot() == before


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE martif [<!ENTITY secret SYSTEM "file://%s">]>
<martif><text><body><termEntry><langSet xml:lang="fr"><tig><term>&secret;</term></tig></langSet></termEntry>
</body></text></martif>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE tbx [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<tbx xmlns="urn:iso:std:iso:30042:ed-2"><text><body><conceptEntry>
<langSec xml:lang="en"><termSec><term>&lol9;</term></termSec></langSec></conceptEntry></body></text></tbx>"""


def test_tbx_with_an_external_entity_is_refused_without_reading_the_file(db, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")

    with pytest.raises(GlossaryImportError, match="Refused: the file declares or uses XML entities") as caught:
        import_tbx(XXE % str(secret).encode())

    assert "TOP-SECRET-VALUE" not in str(caught.value)
    assert GlossaryTerm.objects.count() == 0


def test_tbx_billion_laughs_is_refused_not_expanded(db):
    started = time.monotonic()
    with pytest.raises(GlossaryImportError, match="Refused: .*entities"):
        import_tbx(BILLION_LAUGHS)
    assert time.monotonic() - started < 2
    assert GlossaryTerm.objects.count() == 0


def test_tbx_parameter_entities_are_refused_and_nothing_is_fetched(db):
    data = b"""<?xml version="1.0"?>
<!DOCTYPE tbx [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<tbx xmlns="urn:iso:std:iso:30042:ed-2"><text><body/></text></tbx>"""

    with pytest.raises(GlossaryImportError, match="Refused"):
        import_tbx(data)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"<tbx><text><body>", "not well-formed XML"),
        (b"not xml at all", "not well-formed XML"),
        (b'<xliff version="2.0"/>', r"Not a TBX file: the root element is <xliff>"),
        (tbx_v3(""), "has no conceptEntry"),
    ],
)
def test_files_that_are_not_usable_tbx(db, data, message):
    with pytest.raises(GlossaryImportError, match=message):
        import_tbx(data)
