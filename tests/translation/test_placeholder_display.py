"""The review screen shows each placeholder as what it stands for, and takes the reviewer's plain
text back with every placeholder where it belongs (translation/placeholder_display.py,
translation/placeholder_mapping.py). No ``<x1/>``-style tag ever reaches the screen, the saved
article or the site; whatever the reviewer types is text."""

from __future__ import annotations

import html
from html.parser import HTMLParser

import lxml.html
import pytest
from django.utils import translation

from babelpress.translation.glossary import Glossary
from babelpress.translation.placeholder_display import kept_items, pieces, segment_html
from babelpress.translation.placeholder_mapping import segment_from_typed
from babelpress.translation.placeholders import TAG_LOOKALIKE
from babelpress.translation.segmenter import segment_article

from .. import corpus

UN = Glossary.from_pairs([(["Nations unies", "ONU"], "United Nations")])
BRIDGE = ('<p>Selon <a href="https://valmont.example/pont">la mairie</a>, le pont de l’ONU a coûté '
          '1 240 euros et <em>rouvre</em> lundi.</p>')


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def bridge():
    """The paragraph segmented as for an engine: "Selon <g1>la mairie</g1>, le pont de l’<x2/> a coûté
    <x3/> euros et <g4>rouvre</g4> lundi." — and a machine translation of it."""
    segmented = segment_article({"body": BRIDGE}, "fr", glossary=UN)
    segment = segmented.segments[0]
    assert segment.text == "Selon <g1>la mairie</g1>, le pont de l’<x2/> a coûté <x3/> euros et <g4>rouvre</g4> lundi."
    machine = "According to <g1>the town hall</g1>, the <x2/> bridge cost <x3/> euros and <g4>reopens</g4> Monday."
    return segmented, segment, machine


def marks(fragment) -> list[tuple[str, str, str]]:
    """(class, title, text) of each mark of an HTML fragment."""
    doc = lxml.html.fragment_fromstring(str(fragment), create_parent="div")
    return [(m.get("class"), m.get("title"), m.text_content()) for m in doc.iter("mark")]


def restored(segmented, segment, typed_segment) -> str:
    return segmented.restore(segment.key, typed_segment)


# --- What the columns show -------------------------------------------------------------------------------


def test_the_original_shows_numbers_links_and_glossary_terms_as_highlighted_values(bridge):
    segmented, segment, _machine = bridge

    shown = segment_html(segment.text, segment._items, original=True)

    assert marks(shown) == [
        ("placeholder placeholder-link", "The link to https://valmont.example/pont", "la mairie"),
        ("placeholder placeholder-glossary", "The glossary term “United Nations”", "ONU"),
        ("placeholder placeholder-number", "The number 1 240", "1 240"),
        ("placeholder placeholder-formatting", "The emphasis", "rouvre"),
    ]
    assert lxml.html.fragment_fromstring(str(shown), create_parent="div").text_content() == \
        "Selon la mairie, le pont de l’ONU a coûté 1 240 euros et rouvre lundi."


def test_the_draft_shows_the_glossary_term_in_the_target_language_and_the_number_as_written(bridge):
    _segmented, segment, machine = bridge

    shown = segment_html(machine, segment._items)

    assert [text for _class, _title, text in marks(shown)] == ["the town hall", "United Nations", "1 240", "reopens"]
    assert "<x" not in str(shown) and "<g" not in str(shown)


def test_the_editable_text_has_the_values_in_place_of_the_tags(bridge):
    _segmented, segment, machine = bridge

    assert pieces(machine, segment._items).text == \
        "According to the town hall, the United Nations bridge cost 1 240 euros and reopens Monday."
    assert [atom.shown for atom in kept_items(segment.text, segment._items)] == ["United Nations", "1 240"]


def test_a_tag_the_draft_cannot_explain_is_never_shown_as_a_tag(bridge):
    _segmented, segment, _machine = bridge

    shown = segment_html("It cost <x9/> euros <g7>here</g7> and </g1>.", segment._items)

    assert [(css, text) for css, _title, text in marks(shown)] == [  # <x9/>, <g7>, </g7>; </g1> was never open
        ("placeholder placeholder-stray", "?"), ("placeholder placeholder-stray", "?"),
        ("placeholder placeholder-stray", "?")]
    assert not TAG_LOOKALIKE.search(lxml.html.fragment_fromstring(str(shown), create_parent="div").text_content())


def test_an_outdated_draft_whose_items_are_unknown_shows_neutral_marks():
    shown = segment_html("It cost <x1/> euros, <g2>they said</g2>.", None)

    assert [(css, text) for css, _title, text in marks(shown)] == [
        ("placeholder placeholder-unknown", "◻"), ("placeholder placeholder-formatting", "they said")]


# --- What the reviewer sends back --------------------------------------------------------------------------


def test_text_left_as_shown_is_the_stored_segment_itself(bridge):
    _segmented, segment, machine = bridge

    assert segment_from_typed(pieces(machine, segment._items).text, machine, segment._items) == machine


@pytest.mark.parametrize("typed, expected", [
    # words changed around the placeholders: each stays where its words are
    ("According to the town hall, the United Nations bridge has cost 1 240 euros and reopens on Monday.",
     "According to <g1>the town hall</g1>, the <x2/> bridge has cost <x3/> euros and <g4>reopens</g4> on Monday."),
    # the sentence turned round: the number and the term move with it
    ("1 240 euros: the cost of the United Nations bridge, says the town hall; it reopens Monday.",
     "<x3/> euros: the cost of the <x2/> bridge, says <g1>the town hall</g1>; it <g4>reopens</g4> Monday."),
    # the link's words rewritten: they stay the link
    ("According to the mayor's office, the United Nations bridge cost 1 240 euros and reopens Monday.",
     "According to <g1>the mayor's office</g1>, the <x2/> bridge cost <x3/> euros and <g4>reopens</g4> Monday."),
    # words typed just outside a link stay outside, words typed inside stay inside
    ("According to the old town hall itself, the United Nations bridge cost 1 240 euros and reopens Monday.",
     "According to <g1>the old town hall</g1> itself, the <x2/> bridge cost <x3/> euros and <g4>reopens</g4> Monday."),
    # the number written the English way is the same number, put back as the original writes it
    ("According to the town hall, the United Nations bridge cost 1,240 euros and reopens Monday.",
     "According to <g1>the town hall</g1>, the <x2/> bridge cost <x3/> euros and <g4>reopens</g4> Monday."),
])
def test_placeholders_follow_the_reviewers_edits(bridge, typed, expected):
    _segmented, segment, machine = bridge

    assert segment_from_typed(typed, machine, segment._items) == expected


def test_a_changed_number_is_never_taken_for_the_original_one(bridge):
    segmented, segment, machine = bridge
    typed = "According to the town hall, the United Nations bridge cost 1 250 euros and reopens Monday."

    back = segment_from_typed(typed, machine, segment._items)

    assert "<x3/>" not in back
    assert restored(segmented, segment, back).endswith("1 250 euros and <em>reopens</em> Monday. 1 240")
    assert [str(problem) for problem in segmented.problems(segment.key)] == [
        "The number 1 240 was missing; it was added at the end."]


def test_a_number_the_engine_lost_is_its_placeholder_again_when_the_reviewer_types_it_back(bridge):
    segmented, segment, _machine = bridge
    lossy = "According to <g1>the town hall</g1>, the <x2/> bridge cost euros and <g4>reopens</g4> Monday."
    typed = "According to the town hall, the United Nations bridge cost 1 240 euros and reopens Monday."

    back = segment_from_typed(typed, lossy, segment._items)

    assert back == "According to <g1>the town hall</g1>, the <x2/> bridge cost <x3/> euros and <g4>reopens</g4> Monday."
    restored(segmented, segment, back)
    assert segmented.problems(segment.key) == []


def test_deleting_a_links_words_drops_the_link_and_the_repair_reports_it(bridge):
    segmented, segment, machine = bridge
    typed = "The United Nations bridge cost 1 240 euros and reopens Monday."

    back = segment_from_typed(typed, machine, segment._items)

    assert "<g1>" not in back
    restored(segmented, segment, back)
    assert [str(p) for p in segmented.problems(segment.key)] == [
        "The link to https://valmont.example/pont was lost in the translation."]


def test_typed_tags_and_markup_are_text(bridge):
    segmented, segment, machine = bridge
    typed = "<x3/> & <g1>the town hall</g1> <script>alert(1)</script> United Nations 1 240"

    back = segment_from_typed(typed, machine, segment._items)

    # The link's words are still the link; what looks like tags is text.
    assert back == ("&lt;x3/&gt; &amp; &lt;g1&gt;<g1>the town hall</g1>&lt;/g1&gt; &lt;script&gt;alert(1)&lt;/script&gt; "
                    "<x2/> <x3/>")
    body = restored(segmented, segment, back)
    assert "<script>" not in body and "&lt;x3/&gt;" in body  # text, shown as text (and flagged by QA, below)


def test_qa_flags_a_placeholder_lookalike_left_in_a_translation():
    from babelpress.translation.qa import check_segment

    issues = check_segment("Le pont a coûté cher.", "The bridge cost &lt;x1/&gt; a lot.", "fr", "en")

    assert [(i.code, i.level) for i in issues if i.check == "leftover"] == [("leftover", "error")]


# --- Naughty strings -----------------------------------------------------------------------------------------


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = set(), []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.add(tag)

    def handle_data(self, data):
        self.text.append(data)


def read(fragment) -> _Reader:
    reader = _Reader()
    reader.feed(str(fragment))
    reader.close()
    return reader


def only_marks(fragment) -> bool:
    """Nothing but highlighted text and line breaks: no element a string could have smuggled in."""
    return read(fragment).tags <= {"mark", "br"}


def test_naughty_sources_are_shown_inert_with_their_placeholders_as_values():
    for naughty in corpus.naughty_strings():
        fields = {"headline": naughty, "body": f"<p>{html.escape(naughty)} 1 240 <a href='https://x.example'>ici</a></p>"}
        segmented = segment_article(fields, "fr", glossary=UN)
        for segment in segmented.segments:
            shown = segment_html(segment.text, segment._items, original=True)
            assert only_marks(shown), (naughty, str(shown))
            text = "".join(read(shown).text)
            assert bool(TAG_LOOKALIKE.search(text)) == bool(TAG_LOOKALIKE.search(naughty)), naughty


def test_naughty_typed_text_comes_back_as_exactly_what_was_typed_and_renders_inert():
    segmented = segment_article({"headline": "L’ONU vote"}, "fr", glossary=UN)
    segment = segmented.segments[0]
    stored = "The <x1/> votes"
    for naughty in corpus.naughty_strings():
        typed = f"{naughty} United Nations"

        back = segment_from_typed(typed, stored, segment._items)

        assert pieces(back, segment._items).text == typed, naughty
        assert only_marks(segment_html(back, segment._items)), naughty
        assert segmented.restore(segment.key, back) == typed, naughty
