"""A table in a body to translate (issue 11, cause 1): its caption and each cell with words are
segments in reading order, cells of figures alone are not sent to an engine, the translated table
comes back with its caption, head, scopes and spans, and QA checks the numbers of each cell."""

from __future__ import annotations

import html

import lxml.html
import pytest

from babelpress.translation.engines.base import split_on_placeholders
from babelpress.translation.pipeline import rebuild_and_check
from babelpress.translation.segmenter import segment_article

BODY = ("<p>Les résultats du premier tour.</p>"
        "<table><caption>Participation au 1er tour</caption>"
        '<thead><tr><th scope="col">Commune</th><th scope="col">Votants</th><th scope="col">Participation</th></tr></thead>'
        '<tbody><tr><th scope="row">Valmont</th><td>7 012</td><td>58,3 %</td></tr>'
        '<tr><th scope="row">Saint-Roch</th><td>4 012</td><td>47,5 %</td></tr>'
        '<tr><td colspan="2">Ensemble des 2 communes</td><td>53,9 %</td></tr></tbody></table>')
WORDS = {"Les résultats du premier tour.": "First-round results.", "Participation au 1er tour": "Turnout, 1st round",
         "Commune": "Town", "Votants": "Voters", "Participation": "Turnout", "Valmont": "Valmont",
         "Saint-Roch": "Saint-Roch", "Ensemble des ": "Both ", " communes": " towns"}


def translated(segmented, words=WORDS):
    """A fake engine that knows these words; placeholders kept as they are."""
    def translate(fragment):
        out = []
        for kind, run in split_on_placeholders(fragment):
            out.append(run if kind == "tag" else html.escape(words.get(html.unescape(run), html.unescape(run)),
                                                              quote=False))
        return "".join(out)

    return {segment.key: translate(segment.text) for segment in segmented.segments}


def test_the_caption_and_each_cell_with_words_are_segments_in_reading_order():
    segmented = segment_article({"body": BODY}, "fr")
    assert [s.text for s in segmented.segments] == [
        "Les résultats du premier tour.", "Participation au 1er tour", "Commune", "Votants", "Participation",
        "Valmont", "Saint-Roch", "Ensemble des <x1/> communes"]  # "7 012", "58,3 %" …: nothing to translate


def test_the_translated_table_keeps_its_caption_head_scopes_and_spans():
    segmented = segment_article({"body": BODY}, "fr")
    body = lxml.html.fragment_fromstring(segmented.rebuild(translated(segmented))["body"], create_parent="div")
    [table] = body.iter("table")
    assert table.findtext("caption") == "Turnout, 1st round"
    assert [(th.text, th.get("scope")) for th in table.findall("thead/tr/th")] == [
        ("Town", "col"), ("Voters", "col"), ("Turnout", "col")]
    rows = [[(cell.tag, cell.text_content(), cell.get("colspan")) for cell in row] for row in table.findall("tbody/tr")]
    assert rows == [[("th", "Valmont", None), ("td", "7 012", None), ("td", "58,3 %", None)],
                    [("th", "Saint-Roch", None), ("td", "4 012", None), ("td", "47,5 %", None)],
                    [("td", "Both 2 towns", "2"), ("td", "53,9 %", None)]]
    assert all(th.get("scope") == "row" for th in table.findall("tbody/tr/th"))


def test_qa_checks_the_numbers_of_each_cell():
    segmented = segment_article({"body": BODY}, "fr")
    draft = translated(segmented)
    keys = {s.text: s.key for s in segmented.segments}
    draft[keys["Ensemble des <x1/> communes"]] = "Both towns"  # the number's placeholder lost
    draft[keys["Participation au 1er tour"]] = "Turnout, 2nd round"  # "1er" is the engine's to write
    from django.utils import translation

    with translation.override("en"):
        rebuilt, issues = rebuild_and_check(segmented, draft, "fr", "en")
        found = {key: [(i.check, i.level, i.code) for i in found] for key, found in issues.items() if found}
    assert ("markup", "error", "markup.missing") in found[keys["Ensemble des <x1/> communes"]]
    assert ("numbers", "error", "numbers.missing") in found[keys["Participation au 1er tour"]]
    assert len(found) == 2, found
    # The lost number is put back, in its cell.
    assert "Both towns 2" in rebuilt["body"]


@pytest.mark.parametrize("cell", ["1 200", "58,3 %", "https://valmont.example/resultats", "—", "12 / 15"])
def test_a_cell_without_words_is_kept_as_it_is(cell):
    segmented = segment_article({"body": f"<table><tbody><tr><td>Votants</td><td>{cell}</td></tr></tbody></table>"},
                                "fr")
    assert [s.text for s in segmented.segments] == ["Votants"]
    assert html.escape(cell, quote=False) in segmented.rebuild({segmented.segments[0].key: "Voters"})["body"]
