"""Glossary terms in languages that inflect them: what QA accepts, and which terms stay placeholders.

A glossary entry may list, per language, the inflected forms of its preferred form and may match
words by their Snowball stem (translation/stemming.py). QA accepts any of them in a translation;
a misspelt term is an error that names the accepted forms; a form nobody listed is a warning
saying how to list it. Only a term that inflects on neither side is frozen as a placeholder.
"""

from __future__ import annotations

import unicodedata

import pytest

from babelpress.translation.glossary import Glossary, TermForms, check_terms
from babelpress.translation.qa import check_segment
from babelpress.translation.segmenter import segment_article
from babelpress.translation.stemming import has_stemmer, stem

TURKAZ = TermForms("turco-azerbaïdjanais", ("turco-azerbaïdjanaise", "turco-azerbaïdjanaises"))
EN_TURKAZ = "Turkish-Azerbaijani"


@pytest.fixture(autouse=True)
def _messages_in_english():
    from django.utils import translation

    with translation.override("en"):
        yield


def glossary_issues(source, target, source_language, target_language, terms):
    issues = check_segment(source, target, source_language, target_language, glossary_terms=terms)
    return [(i.level, i.code, i.message) for i in issues if i.check == "glossary"]


# --- French agreement: listed forms -----------------------------------------------------------------


def test_an_inflected_form_listed_in_the_glossary_passes_qa():
    assert glossary_issues("The Turkish-Azerbaijani border reopened.", "La frontière turco-azerbaïdjanaise a rouvert.",
                           "en", "fr", [(EN_TURKAZ, TURKAZ)]) == []


def test_a_mangled_term_is_an_error_naming_the_forms_expected():
    issues = glossary_issues("The Turkish-Azerbaijani border reopened.", "La frontière turko-azerbajdjanaise a rouvert.",
                             "en", "fr", [(EN_TURKAZ, TURKAZ)])

    assert issues == [(
        "error", "glossary.mangled",
        "Glossary: “Turkish-Azerbaijani” must be translated as “turco-azerbaïdjanais”, “turco-azerbaïdjanaise” or "
        "“turco-azerbaïdjanaises”; the translation has “turko-azerbajdjanaise”, which looks like a misspelling.",
    )]


def test_a_term_left_out_is_an_error_listing_every_accepted_form():
    issues = glossary_issues("The Turkish-Azerbaijani border reopened.", "La frontière a rouvert.",
                             "en", "fr", [(EN_TURKAZ, TURKAZ)])

    assert issues == [(
        "error", "glossary.missing",
        "Glossary: “Turkish-Azerbaijani” must be translated as “turco-azerbaïdjanais”, “turco-azerbaïdjanaise” or "
        "“turco-azerbaïdjanaises”; the translation has none of them.",
    )]


def test_forms_are_compared_whole_word_in_any_case_and_unicode_composition():
    decomposed = unicodedata.normalize("NFD", "LA FRONTIÈRE TURCO-AZERBAÏDJANAISE")
    assert check_terms(None, decomposed, [(EN_TURKAZ, TURKAZ)], "fr") == []
    # Inside another word it is not the term.
    assert check_terms(None, "proturco-azerbaïdjanaise", [(EN_TURKAZ, TURKAZ)], "fr") != []


def test_accents_count():
    erevan = TermForms("Érevan")

    assert [p.kind for p in check_terms(None, "à Erevan", [("Yerevan", erevan)], "fr")] == ["mangled"]
    assert check_terms(None, "à ÉREVAN", [("Yerevan", erevan)], "fr") == []


# --- Russian cases: stems ----------------------------------------------------------------------------

YEREVAN_RU = TermForms("Ереван", stem=True)
NATO_RU = TermForms("НАТО")  # invariable: no forms, no stem


@pytest.mark.parametrize("target", ["Мост в Ереване.", "Мэр Еревана сказал.", "Ереван ждёт.", "ЕРЕВАНОМ"])
def test_russian_case_forms_pass_by_stem(target):
    assert glossary_issues("Le maire d’Erevan.", target, "fr", "ru", [("Erevan", YEREVAN_RU)]) == []


def test_a_russian_word_with_another_stem_is_not_the_term():
    issues = glossary_issues("Le maire d’Erevan.", "Мэр Ерэвана сказал.", "fr", "ru", [("Erevan", YEREVAN_RU)])

    assert [(level, code) for level, code, _ in issues] == [("error", "glossary.mangled")]
    assert "or another form of “Ереван” with the same stem" in issues[0][2]


def test_an_invariable_russian_term_passes_as_it_is_and_fails_when_replaced():
    assert glossary_issues("L’OTAN se réunit.", "Заседание НАТО.", "fr", "ru", [("OTAN", NATO_RU)]) == []
    assert glossary_issues("L’OTAN se réunit.", "Заседание альянса.", "fr", "ru", [("OTAN", NATO_RU)]) == [(
        "error", "glossary.missing",
        "Glossary: “OTAN” must be translated as “НАТО”, which is not in the translation.",
    )]


def test_a_case_form_of_a_term_entered_without_forms_is_a_warning_saying_how_to_list_it():
    issues = glossary_issues("Le maire d’Erevan.", "Мэр Еревана.", "fr", "ru", [("Erevan", TermForms("Ереван"))])

    assert issues == [(
        "warning", "glossary.unlisted",
        "Glossary: “Еревана” is not a listed form of “Ереван”, the translation of “Erevan”. If it is a correct form, "
        "add it to the term's inflected forms in the glossary.",
    )]


# --- Armenian: listed forms and stems -------------------------------------------------------------


@pytest.mark.parametrize("target", ["Երևանը գեղեցիկ է։", "Կամուրջ Երևանում։", "Երևանի քաղաքապետը", "ԵՐԵՎԱՆՈՒՄ"])
@pytest.mark.parametrize("term", [
    TermForms("Երևան", ("Երևանում", "Երևանի", "Երևանը")),  # listed
    TermForms("Երևան", stem=True),  # by stem
])
def test_armenian_forms_pass_listed_or_by_stem(target, term):
    assert glossary_issues("Мост в Ереване.", target, "ru", "hy", [("Ереване", term)]) == []


def test_armenian_ligature_and_its_two_letter_spelling_are_the_same_word():
    term = TermForms("Երևան", ("Երևանում",))

    assert check_terms(None, "Երեվանում", [("Yerevan", term)], "hy") == []
    assert check_terms(None, "Երեւանում", [("Yerevan", term)], "hy") == []


# --- Arabic: clitics --------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["قال الناتو", "والناتو يجتمع", "اجتماع للناتو", "بالناتو"])
def test_arabic_clitics_pass_by_stem(target):
    assert glossary_issues("L’OTAN se réunit.", target, "fr", "ar", [("OTAN", TermForms("الناتو", stem=True))]) == []


def test_arabic_short_vowels_do_not_count():
    assert check_terms(None, "قال النَّاتُو", [("OTAN", TermForms("الناتو"))], "ar") == []


def test_snowball_stemmers_exist_for_the_newsrooms_languages():
    assert all(has_stemmer(code) for code in ("fr", "ru", "hy", "ar", "en", "pt-BR"))
    assert not has_stemmer("ka")
    assert stem("ереване", "ru") == "ереван"


# --- Which terms are placeholders -------------------------------------------------------------------


def fr_glossary(**options):
    return Glossary.from_pairs([(["Union européenne"], "European Union"),
                                (["turco-azerbaïdjanaise"], TermForms("Turkish-Azerbaijani", stem=True))],
                               "fr", **options)


def test_only_a_term_that_does_not_inflect_is_a_placeholder():
    segmented = segment_article({"headline": "L’Union européenne et la frontière turco-azerbaïdjanaise"}, "fr",
                                glossary=fr_glossary())

    segment = segmented.segment("headline")
    assert segment.text == "L’<x1/> et la frontière turco-azerbaïdjanaise"
    # Both are checked by QA; the one left in the text is the engine's to translate.
    assert segment.glossary_terms == [("Union européenne", TermForms("European Union")),
                                      ("turco-azerbaïdjanaise", TermForms("Turkish-Azerbaijani", stem=True))]
    assert segment.terms_in_text == [("turco-azerbaïdjanaise", TermForms("Turkish-Azerbaijani", stem=True))]


def test_a_term_found_in_an_inflected_source_form_is_left_to_the_engine():
    from babelpress.translation.glossary import Entry

    # Armenian "Երևանում" is "in Yerevan": a placeholder for "Erevan" would lose the "in".
    glossary = Glossary([Entry(source=("Երևան",), source_inflected=("Երևանում",), target=TermForms("Erevan"))], "hy")
    segmented = segment_article({"headline": "Երևան և Երևանում"}, "hy", glossary=glossary)

    assert segmented.segment("headline").text == "<x1/> և Երևանում"
    assert segmented.segment("headline").glossary_terms == [("Երևան", TermForms("Erevan")),
                                                             ("Երևանում", TermForms("Erevan"))]


def test_a_source_term_is_found_by_stem_when_its_entry_allows_it():
    from babelpress.translation.glossary import Entry

    glossary = Glossary([Entry(source=("Ереван",), source_stem=True, target=TermForms("Erevan"))], "ru")

    assert [m.text for m in glossary.find("Из Еревана в Гюмри, потом в Ереван.")] == ["Еревана", "Ереван"]
    assert [(m.text, m.inflected) for m in glossary.find("В Ереване и Ереван")] == [("Ереване", True),
                                                                                   ("Ереван", False)]


def test_engines_that_take_instructions_get_no_placeholder_for_any_term():
    segmented = segment_article({"headline": "L’Union européenne et la frontière turco-azerbaïdjanaise"}, "fr",
                                glossary=fr_glossary(placeholders=False))

    assert segmented.segment("headline").text == "L’Union européenne et la frontière turco-azerbaïdjanaise"
    assert len(segmented.segment("headline").terms_in_text) == 2
