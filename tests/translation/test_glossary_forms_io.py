"""Inflected forms and stem matching in and out of the glossary: CSV and TBX round trips, what an
import refuses, and the glossary admin (in French) with its checks."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from lxml import etree

from babelpress.translation.glossary_io import export_csv, export_tbx, import_csv, import_tbx
from babelpress.translation.models import GlossaryName, GlossaryTerm

NS = {"t": "urn:iso:std:iso:30042:ed-2"}


@pytest.fixture
def yerevan(db):
    term = GlossaryTerm.objects.create(kind="place")
    GlossaryName.objects.create(term=term, language="fr", name="Erevan", aliases="Yerevan")
    GlossaryName.objects.create(term=term, language="ru", name="Ереван", inflected_forms="Ереване\nЕревана",
                                match_stem=True)
    GlossaryName.objects.create(term=term, language="hy", name="Երևան", inflected_forms="Երևանում\nԵրևանի")
    turkaz = GlossaryTerm.objects.create(kind="term")
    GlossaryName.objects.create(term=turkaz, language="fr", name="turco-azerbaïdjanais",
                                inflected_forms="turco-azerbaïdjanaise\nturco-azerbaïdjanaises")
    GlossaryName.objects.create(term=turkaz, language="en", name="Turkish-Azerbaijani")
    return term


def everything():
    return {(n.term.kind, n.language, n.name, tuple(n.alias_list()), tuple(n.inflected_form_list()), n.match_stem)
            for n in GlossaryName.objects.select_related("term")}


# --- CSV ----------------------------------------------------------------------------------------------


def test_csv_export_has_forms_joined_by_a_bar_and_the_stem_flag(yerevan):
    header, row, *_ = export_csv().splitlines()

    columns = dict(zip(header.split(","), row.split(",")))
    assert columns["ru"] == "Ереван"
    assert columns["ru_forms"] == "Ереване | Еревана" and columns["ru_stem"] == "yes"
    assert columns["hy_forms"] == "Երևանում | Երևանի" and columns["hy_stem"] == "no"
    assert columns["fr_aliases"] == "Yerevan" and columns["fr_forms"] == ""


def test_csv_round_trip_keeps_forms_and_stems(yerevan):
    before, text = everything(), export_csv()
    GlossaryTerm.objects.all().delete()

    report = import_csv(text)

    assert report.errors == [] and report.created == 2
    assert everything() == before


def test_csv_forms_column_replaces_the_forms_and_a_file_without_it_keeps_them(yerevan):
    import_csv(f"id,ru,ru_forms,ru_stem\n{yerevan.pk},Ереван,Ереване | Ереваном;Еревану,no\n")
    ru = GlossaryName.objects.get(term=yerevan, language="ru")
    assert ru.inflected_form_list() == ["Ереване", "Ереваном;Еревану"] and ru.match_stem is False

    import_csv(f"id,ru\n{yerevan.pk},Ереван\n")  # an older layout: forms and stem left alone
    assert GlossaryName.objects.get(term=yerevan, language="ru").inflected_form_list() == ["Ереване",
                                                                                           "Ереваном;Еревану"]


def test_csv_forms_are_trimmed_and_each_kept_once(db):
    import_csv("fr,fr_forms\nturco-azerbaïdjanais,  turco-azerbaïdjanaise | TURCO-AZERBAÏDJANAISE | turco-azerbaïdjanais\n")

    assert GlossaryName.objects.get(language="fr").inflected_form_list() == ["turco-azerbaïdjanaise"]


def test_csv_errors_in_forms_and_stems_say_what_to_fix(db, settings):
    settings.BABELPRESS_CONTENT_LANGUAGES = ["fr", "ru", "ka"]
    text = ("fr,ru,ru_forms,ru_stem,ka,ka_stem\n"
            "Erevan,Ереван,,perhaps,,\n"            # line 2
            "Erevan,,Ереване,,,\n"                   # line 3
            "Tbilissi,,,,თბილისი,yes\n"              # line 4
            f"Moscou,Москва,{'М' * 201},,,\n")       # line 5

    report = import_csv(text)

    assert report.errors == [
        "line 2: ru_stem 'perhaps' is not yes or no (1/0 and true/false work too)",
        "line 3: ru_forms is filled but ru, the preferred form, is empty",
        "line 4: there is no stemmer for ka, so its words cannot be matched by stem; list its inflected forms "
        "instead (stemmers exist for ar, ca, cs, da, de, el, en, eo, es, et, eu, fa, fi, fr, ga, hi, hu, hy, id, "
        "it, lt, nb, ne, nl, no, pl, pt, ro, ru, sr, sv, ta, tr, yi)",
        "line 5: the ru inflected form 'ММММММММММММММММММММММММММММММММММММММММ'… is 201 characters long; at most "
        "200 fit (one form per line, or between “|”)",
    ]
    assert not GlossaryTerm.objects.exists()


def test_csv_forms_without_their_language_column_are_refused(db):
    from babelpress.translation.glossary_io import GlossaryImportError

    with pytest.raises(GlossaryImportError, match="ru_forms, ru_stem without the preferred-form column ru"):
        import_csv("fr,ru_forms,ru_stem\nErevan,Ереване,yes\n")


# --- TBX ----------------------------------------------------------------------------------------------


def test_tbx_writes_forms_as_variant_terms_and_the_stem_as_a_note(yerevan):
    root = etree.fromstring(export_tbx())

    ru = root.xpath(f"//t:conceptEntry[@id='c{yerevan.pk}']/t:langSec[@xml:lang='ru']", namespaces=NS)[0]
    assert ru.xpath("t:note/text()", namespaces=NS) == ["Babelpress: match by stem"]
    terms = [(sec.xpath("t:term/text()", namespaces=NS)[0], sec.xpath("t:termNote[@type='termType']/text()",
                                                                      namespaces=NS),
              sec.xpath("t:termNote[@type='administrativeStatus']/text()", namespaces=NS)[0])
             for sec in ru.xpath("t:termSec", namespaces=NS)]
    assert terms == [("Ереван", [], "preferredTerm-admn-sts"), ("Ереване", ["variant"], "admittedTerm-admn-sts"),
                     ("Еревана", ["variant"], "admittedTerm-admn-sts")]
    fr = root.xpath(f"//t:conceptEntry[@id='c{yerevan.pk}']/t:langSec[@xml:lang='fr']", namespaces=NS)[0]
    assert fr.xpath("t:note", namespaces=NS) == []


def test_tbx_round_trip_keeps_forms_and_stems(yerevan):
    before, data = everything(), export_tbx()
    GlossaryTerm.objects.all().delete()

    report = import_tbx(data)

    assert report.errors == [] and report.created == 2
    assert everything() == before


def test_tbx_from_another_tool_variants_are_inflected_forms(db):
    import_tbx("""<?xml version="1.0"?>
<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="en"><text><body>
<conceptEntry id="c7">
  <langSec xml:lang="en"><termSec><term>NATO</term></termSec></langSec>
  <langSec xml:lang="ru">
    <termSec><term>НАТО</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
    <termSec><term>Североатлантический альянс</term></termSec>
    <termSec><term>НАТОвский</term><termNote type="termType">variant</termNote></termSec>
  </langSec>
</conceptEntry></body></text></tbx>""")

    ru = GlossaryName.objects.get(language="ru")
    assert (ru.name, ru.alias_list(), ru.inflected_form_list(), ru.match_stem) == (
        "НАТО", ["Североатлантический альянс"], ["НАТОвский"], False)


# --- The model's checks and the admin ----------------------------------------------------------------------


def test_a_name_with_stems_in_a_language_without_a_stemmer_is_refused_saying_what_to_do(db):
    term = GlossaryTerm.objects.create()
    name = GlossaryName(term=term, language="ka", name="თბილისი", match_stem=True)  # Georgian: no Snowball

    with pytest.raises(ValidationError) as caught:
        name.clean()

    assert "list its forms under “inflected forms” instead" in caught.value.message_dict["match_stem"][0]


def test_the_model_tidies_the_forms_it_is_given(db):
    term = GlossaryTerm.objects.create()
    name = GlossaryName(term=term, language="ru", name="Ереван", inflected_forms=" Ереване \n\nЕРЕВАНЕ\nЕреван\n Еревана")

    name.full_clean()

    assert name.inflected_forms == "Ереване\nЕревана"


def test_the_glossary_admin_edits_forms_and_stems(admin_client, db):
    data = {
        "kind": "place", "note": "",
        "names-TOTAL_FORMS": "2", "names-INITIAL_FORMS": "0", "names-MIN_NUM_FORMS": "1", "names-MAX_NUM_FORMS": "1000",
        "names-0-language": "fr", "names-0-name": "Erevan", "names-0-aliases": "", "names-0-inflected_forms": "",
        "names-1-language": "ru", "names-1-name": "Ереван", "names-1-aliases": "",
        "names-1-inflected_forms": "Ереване\nЕревана", "names-1-match_stem": "on",
    }

    response = admin_client.post("/admin/translation/glossaryterm/add/", data, HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 302, response.content.decode()[:2000]
    ru = GlossaryName.objects.get(language="ru")
    assert (ru.inflected_form_list(), ru.match_stem) == (["Ереване", "Еревана"], True)
    page = admin_client.get(f"/admin/translation/glossaryterm/{ru.term_id}/change/").content.decode()
    assert "inflected_forms" in page and "match_stem" in page
