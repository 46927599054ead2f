"""QA messages are stored as a code and named parameters and rendered in the viewer's language.

The project's catalogs are regenerated when a feature is merged, so a new message is English until
then. These tests give French a catalog of their own, made from the messages as xgettext-style
extraction finds them in the source: a message that was not marked for translation, or that is
rendered before the viewer's language is known, or that loses a parameter, fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from django.utils import translation

from babelpress.translation import approval, qa_messages
from babelpress.translation.qa import check_segment
from babelpress.translation.qa_messages import ITEMS, MESSAGES, describe_item, message, render

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "gettext_lazy": None, "ngettext_lazy": (1, 2)}
PARAMS = {  # a value for every parameter any message takes
    "item": {"kind": "number", "value": "1 240"}, "number": "1 240", "count": 2, "got": 1,
    "address": "https://valmont.example/pont", "source": "Nations unies", "target": "United Nations",
    "language": "en", "detected": "de", "expected": "en", "percent": 14, "times": 2.5,
    "forms": ["Nations Unies"], "stem": True, "found": "Nation unis",
}


def extracted(module) -> list:
    """The msgids marked for translation in ``module``'s source, as makemessages would find them."""
    return [msgid for _line, msgid, _comments, _context in
            extract_from_file("python", Path(module.__file__), keywords=KEYWORDS)]


@pytest.fixture
def pseudo_french(settings, tmp_path):
    """French from a catalog where every message of qa_messages and approval reads "«FR» …"."""
    catalog = Catalog(locale="fr")
    for msgid in extracted(qa_messages) + extracted(approval):
        if isinstance(msgid, tuple):  # one translation per plural form of French (CLDR: one, many, other)
            catalog.add(msgid, tuple("«FR» " + msgid[min(i, 1)] for i in range(catalog.num_plurals)))
        else:
            catalog.add(msgid, "«FR» " + msgid)
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "django.mo").open("wb") as mo:
        write_mo(mo, catalog)
    settings.LOCALE_PATHS = [tmp_path, *settings.LOCALE_PATHS]  # first: it wins
    with translation.override("fr"):
        yield


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_qa_message_is_marked_for_translation_and_rendered_in_the_viewers_language(pseudo_french, code):
    shown = render(code, PARAMS)

    assert shown.startswith("«FR» ")
    assert "%(" not in shown and "%%" not in shown  # every named parameter filled in


@pytest.mark.parametrize("kind", sorted(ITEMS))
def test_what_a_placeholder_stands_for_is_named_in_the_viewers_language(pseudo_french, kind):
    assert describe_item({"kind": kind, "value": "https://valmont.example"}).startswith("«FR» ")


def test_the_reasons_to_hold_a_draft_back_are_in_the_viewers_language(pseudo_french):
    gate = approval.Gate(errors=3, warnings=0, ratio=0.05, bounds=(0.42, 1.67))

    assert [reason[:5] for reason in gate.reasons()] == ["«FR» ", "«FR» "]


@pytest.fixture
def french(settings, tmp_path):
    """A few real French translations, as the catalog will have them."""
    catalog = Catalog(locale="fr")
    catalog.add("Number %(number)s is missing from the translation.", "Le nombre %(number)s manque dans la traduction.")
    times = "Le nombre %(number)s manque dans la traduction (%(count)s fois)."
    catalog.add(("Number %(number)s is missing from the translation (%(count)s time).",
                 "Number %(number)s is missing from the translation (%(count)s times)."),
                (times,) * catalog.num_plurals)
    catalog.add("The translation is still in %(language)s.", "La traduction est encore en %(language)s.")
    catalog.add("%(item)s was lost in the translation.", "Perdu dans la traduction : %(item)s.")
    catalog.add("the link to %(value)s", "le lien vers %(value)s")
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "django.mo").open("wb") as mo:
        write_mo(mo, catalog)
    settings.LOCALE_PATHS = [tmp_path, *settings.LOCALE_PATHS]


def test_a_stored_issue_is_read_in_whichever_language_the_reviewer_uses(french):
    with translation.override("en"):  # the worker's language when it checked the draft
        stored = [issue.as_dict() for issue in check_segment(
            "Le pont a coûté 1 240 euros. Le pont a été rouvert lundi après deux ans de travaux.",
            "Le pont a été rouvert lundi après deux années de travaux, pour un coût élevé.", "fr", "en")]

    assert all("message" not in issue for issue in stored)  # a code and its parameters, no sentence
    with translation.override("fr"):
        assert [message(issue) for issue in stored] == [
            "Le nombre 1 240 manque dans la traduction.", "La traduction est encore en français."]
    with translation.override("en"):
        assert [message(issue) for issue in stored] == [
            "Number 1 240 is missing from the translation.", "The translation is still in French."]


def test_a_markup_repair_names_what_was_lost_in_the_viewers_language(french):
    lost = {"check": "markup", "level": "error", "code": "markup.lost",
            "params": {"item": {"kind": "link", "value": "https://valmont.example/pont"}}}

    with translation.override("fr"):
        assert message(lost) == "Perdu dans la traduction : le lien vers https://valmont.example/pont."


def test_plural_messages_choose_their_form_by_count():
    with translation.override("en"):
        assert render("numbers.missing", {"number": "12", "count": 1}) == "Number 12 is missing from the translation."
        assert render("numbers.missing", {"number": "12", "count": 3}) == \
            "Number 12 is missing from the translation (3 times)."
        assert render("quotations", {"count": 1, "got": 0}) == "The source has 1 quotation but the translation has 0."


def test_an_issue_stored_before_messages_had_codes_is_shown_as_it_was_written():
    assert message({"check": "numbers", "level": "error", "message": "Number 12 is missing."}) == \
        "Number 12 is missing."


def test_an_unknown_code_is_shown_as_its_code_rather_than_nothing():
    assert render("from.a.newer.version", {}) == "from.a.newer.version"
