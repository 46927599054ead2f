"""Specifications of the segmenter: article → segments for an engine → translated article.

Fake "engines" here are plain functions over the segment format (escaped text + <gN>/<xN/> tags),
so each test shows exactly what an engine sees and what comes back.
"""

from __future__ import annotations

import re

import pytest

from babelpress.newsroom.sanitize import clean_body
from babelpress.translation.engines.base import placeholders_in, split_on_placeholders
from babelpress.translation.glossary import Glossary, TermForms
from babelpress.translation.segmenter import plain_text, segment_article, source_digest

from .. import corpus


def problems(segmented, key: str) -> list[str]:
    """The repairs of one segment, as an English-speaking reviewer reads them."""
    from django.utils import translation

    with translation.override("en"):
        return [str(problem) for problem in segmented.problems(key)]


# One line per block, as editors' HTML usually is; whitespace between blocks is kept as it is.
RICH_BODY = (
    "<h2>Deux ans de travaux</h2>\n"
    '<p>Le pont a été <a href="https://lumiere.example.org/p">reconstruit</a> en <em>un temps record</em>.</p>\n'
    "<h3>Le chantier</h3>\n"
    "<ul><li>Acier</li><li>Béton <strong>armé</strong></li></ul>\n"
    "<ol><li>Démolition</li><li>Reconstruction</li></ol>\n"
    "<blockquote><p>Enfin !</p><p>Nous l’attendions.</p></blockquote>\n"
    '<figure><img src="https://lumiere.example.org/pont.jpg" alt="Le pont au lever du soleil">'
    "<figcaption>Le pont, vu du nord.</figcaption></figure>\n"
    '<pre><code>pont.rouvrir(date="lundi")\nif x &lt; 2: pass</code></pre>'
)

BRIDGE = {
    "headline": "Le pont de Valmont rouvre",
    "alternative_headline": "Un chantier de deux ans",
    "standfirst": "Après deux ans de travaux, les voitures repassent.",
    "summary": "Le pont rouvre lundi.",
    "body": RICH_BODY,
}


def identity(segmented):
    return {s.key: s.text for s in segmented.segments}


def engine(segmented, change_text):
    """A fake engine: ``change_text`` applied to the unescaped text between tags; tags kept."""
    import html

    def translate(fragment):
        return "".join(
            run if kind == "tag" else html.escape(change_text(html.unescape(run)), quote=False)
            for kind, run in split_on_placeholders(fragment)
        )

    return {s.key: translate(s.text) for s in segmented.segments}


def texts(segmented):
    return {s.key: s.text for s in segmented.segments}


# --- Round trip and layout ------------------------------------------------------------------------


def test_identity_translation_gives_the_same_fields_back():
    segmented = segment_article(BRIDGE, "fr")

    rebuilt = segmented.rebuild(identity(segmented))

    assert rebuilt == {**BRIDGE, "body": clean_body(RICH_BODY)}


def test_segments_come_in_document_order_one_per_text_block():
    segmented = segment_article(BRIDGE, "fr")

    assert [(s.key, plain_text(s.text)) for s in segmented.segments] == [
        ("headline", "Le pont de Valmont rouvre"),
        ("alternative_headline", "Un chantier de deux ans"),
        ("standfirst", "Après deux ans de travaux, les voitures repassent."),
        ("summary", "Le pont rouvre lundi."),
        ("body:1", "Deux ans de travaux"),
        ("body:2", "Le pont a été reconstruit en un temps record."),
        ("body:3", "Le chantier"),
        ("body:4", "Acier"),
        ("body:5", "Béton armé"),
        ("body:6", "Démolition"),
        ("body:7", "Reconstruction"),
        ("body:8", "Enfin !"),
        ("body:9", "Nous l’attendions."),
        ("body:alt:1", "Le pont au lever du soleil"),
        ("body:10", "Le pont, vu du nord."),
    ]


def test_segment_fields_name_where_the_text_comes_from():
    segmented = segment_article(BRIDGE, "fr")

    fields = {s.key: s.field for s in segmented.segments}

    assert (fields["headline"], fields["body:2"], fields["body:alt:1"]) == ("headline", "body", "alt")


def test_empty_fields_produce_no_segments():
    segmented = segment_article(
        {"headline": "Le pont rouvre", "alternative_headline": "", "standfirst": "   ", "summary": "", "body": ""}, "fr"
    )

    assert [s.key for s in segmented.segments] == ["headline"]
    assert segmented.rebuild({"headline": "The bridge reopens"}) == {
        "headline": "The bridge reopens", "alternative_headline": "", "standfirst": "", "summary": "", "body": "",
    }


def test_code_blocks_are_not_translated():
    segmented = segment_article({"body": RICH_BODY}, "fr")

    rebuilt = segmented.rebuild(engine(segmented, str.upper))

    assert not any("rouvrir" in plain_text(s.text) for s in segmented.segments)
    assert '<pre><code>pont.rouvrir(date="lundi")\nif x &lt; 2: pass</code></pre>' in rebuilt["body"]


def test_blockquote_of_paragraphs_gives_one_segment_per_paragraph():
    segmented = segment_article({"body": "<blockquote><p>Enfin !</p><p>Oui.</p></blockquote>"}, "fr")

    assert texts(segmented) == {"body:1": "Enfin !", "body:2": "Oui."}
    assert segmented.rebuild({"body:1": "At last!", "body:2": "Yes."})["body"] == (
        "<blockquote><p>At last!</p><p>Yes.</p></blockquote>"
    )


def test_nested_list_items_are_separate_segments_and_keep_their_nesting():
    body = "<ul><li>Acier <em>inox</em><ul><li>Poutres</li></ul></li><li>Béton</li></ul>"
    segmented = segment_article({"body": body}, "fr")

    rebuilt = segmented.rebuild({"body:1": "Stainless <g1>steel</g1>", "body:2": "Beams", "body:3": "Concrete"})

    assert texts(segmented) == {"body:1": "Acier <g1>inox</g1>", "body:2": "Poutres", "body:3": "Béton"}
    assert rebuilt["body"] == "<ul><li>Stainless <em>steel</em><ul><li>Beams</li></ul></li><li>Concrete</li></ul>"


def test_line_breaks_inside_a_block_are_sent_as_single_spaces():
    segmented = segment_article({"body": "<p>Le pont\n    rouvre lundi.</p>"}, "fr")

    assert texts(segmented) == {"body:1": "Le pont rouvre lundi."}


def test_text_is_xml_escaped_and_comes_back_as_plain_text():
    segmented = segment_article({"headline": "Fish & chips <3 > tout"}, "fr")

    assert texts(segmented) == {"headline": "Fish &amp; chips &lt;<x1/> &gt; tout"}
    assert segmented.rebuild(identity(segmented)) == {"headline": "Fish & chips <3 > tout"}


# --- Inline markup --------------------------------------------------------------------------------


def test_link_keeps_its_href_which_is_never_sent_to_the_engine():
    body = '<p>Lire <a href="https://lumiere.example.org/p" title="Agence">le rapport</a>.</p>'
    segmented = segment_article({"body": body}, "fr")

    rebuilt = segmented.rebuild({"body:1": "Read <g1>the report</g1>."})

    assert texts(segmented) == {"body:1": "Lire <g1>le rapport</g1>."}
    assert "lumiere" not in " ".join(s.text for s in segmented.segments)
    assert rebuilt["body"] == (
        '<p>Read <a href="https://lumiere.example.org/p" title="Agence" rel="noopener noreferrer">the report</a>.</p>'
    )


def test_text_inside_pairs_is_translated_but_attributes_are_not():
    body = '<p>Voir <a href="https://example.org/rapport" title="rapport">le <em>rapport</em></a> et <abbr title="organisation">ONU</abbr>.</p>'
    segmented = segment_article({"body": body}, "fr")

    rebuilt = segmented.rebuild(engine(segmented, str.upper))

    assert rebuilt["body"] == (
        '<p>VOIR <a href="https://example.org/rapport" title="rapport" rel="noopener noreferrer">LE <em>RAPPORT</em></a>'
        ' ET <abbr title="organisation">ONU</abbr>.</p>'
    )


def test_inline_markup_tags_each_become_a_pair():
    body = "<p><em>a</em> <strong>b</strong> <b>c</b> <i>d</i> <u>e</u> <q>f</q> <cite>g</cite> <span>h</span> H<sub>2</sub>O x<sup>2</sup></p>"
    segmented = segment_article({"body": body}, "fr")

    assert texts(segmented)["body:1"] == (
        "<g1>a</g1> <g2>b</g2> <g3>c</g3> <g4>d</g4> <g5>e</g5> <g6>f</g6> <g7>g</g7> <g8>h</g8> H<g9><x10/></g9>O x<g11><x12/></g11>"
    )


def test_line_breaks_and_inline_code_are_kept_as_placeholders():
    segmented = segment_article({"body": "<p>Tapez <code>ls -la</code> puis<br>Entrée.</p>"}, "fr")

    rebuilt = segmented.rebuild({"body:1": "Type <x1/> then<x2/>Enter."})

    assert texts(segmented) == {"body:1": "Tapez <x1/> puis<x2/>Entrée."}
    assert rebuilt["body"] == "<p>Type <code>ls -la</code> then<br>Enter.</p>"


def test_placeholder_numbers_are_unique_within_a_segment_and_start_at_one():
    body = '<p>En <a href="https://a.example">2026</a>, <em>1 200</em> personnes ont écrit à info@example.org.</p><p>Le <em>3</em>.</p>'
    segmented = segment_article({"body": body}, "fr")

    for segment in segmented.segments:
        numbers = [int(re.search(r"\d+", tag).group()) for tag in placeholders_in(segment.text) if not tag.startswith("</")]
        assert numbers == list(range(1, len(numbers) + 1)), segment.text


# --- Images ---------------------------------------------------------------------------------------


def test_image_alt_text_is_its_own_segment_and_comes_back_translated():
    body = '<figure><img src="https://example.org/pont.jpg" alt="Le pont"><figcaption>Vu du nord.</figcaption></figure>'
    segmented = segment_article({"body": body}, "fr")

    rebuilt = segmented.rebuild({"body:alt:1": "The bridge", "body:1": "Seen from the north."})

    assert texts(segmented) == {"body:alt:1": "Le pont", "body:1": "Vu du nord."}
    assert rebuilt["body"] == (
        '<figure><img src="https://example.org/pont.jpg" alt="The bridge"><figcaption>Seen from the north.</figcaption></figure>'
    )


def test_image_inside_a_paragraph_is_a_placeholder_in_its_block():
    body = '<p>Le logo <img src="https://example.org/logo.png" alt="Logo de la ville"> est neuf.</p>'
    segmented = segment_article({"body": body}, "fr")

    rebuilt = segmented.rebuild({"body:1": "The <x1/> logo is new.", "body:alt:1": "City logo"})

    assert texts(segmented) == {"body:1": "Le logo <x1/> est neuf.", "body:alt:1": "Logo de la ville"}
    assert rebuilt["body"] == '<p>The <img src="https://example.org/logo.png" alt="City logo"> logo is new.</p>'


def test_alt_text_in_quotes_is_escaped_in_the_attribute():
    segmented = segment_article({"body": '<p><img src="https://example.org/a.png" alt="Le « pont »"></p>'}, "fr")

    rebuilt = segmented.rebuild({"body:alt:1": 'The "bridge" <script>'})

    assert rebuilt["body"] == '<p><img src="https://example.org/a.png" alt="The &quot;bridge&quot; &lt;script&gt;"></p>'


# --- Protected text -------------------------------------------------------------------------------


def test_urls_emails_and_numbers_become_placeholders():
    segmented = segment_article(
        {"standfirst": "Écrire à presse@valmont.fr avant le 15/03/2026 ou voir https://valmont.fr/pont et www.valmont.fr."}, "fr"
    )

    assert texts(segmented) == {
        "standfirst": "Écrire à <x1/> avant le <x2/>/<x3/>/<x4/> ou voir <x5/> et <x6/>."
    }


@pytest.mark.parametrize("number", ["2026", "3,5", "15.03.2026", "1 200,50", "1\u00a0200,50", "1\u202f200", "12 000 000"])
def test_a_number_is_one_placeholder_and_comes_back_exactly(number):
    segmented = segment_article({"headline": f"Le pont a coûté {number} euros"}, "fr")

    rebuilt = segmented.rebuild({"headline": "The bridge cost <x1/> euros"})

    assert texts(segmented) == {"headline": "Le pont a coûté <x1/> euros"}
    assert rebuilt == {"headline": f"The bridge cost {number} euros"}


def test_numbers_glued_to_letters_are_left_to_the_engine():
    # "1er" must become "1st"; a placeholder inside a word would stop the engine from doing so.
    segmented = segment_article({"headline": "Le 1er vol de l’A320 en 5km"}, "fr")

    assert texts(segmented) == {"headline": "Le 1er vol de l’A320 en 5km"}


def test_protected_text_comes_back_verbatim_even_if_the_engine_mangles_digits():
    article = {"body": '<p>Le pont a coûté 1 200,50 euros en 2026 (https://valmont.fr/budget-2026, info@valmont.fr).</p>'}
    segmented = segment_article(article, "fr")

    rebuilt = segmented.rebuild(engine(segmented, lambda t: re.sub(r"\d", "9", t.replace("coûté", "cost"))))

    assert rebuilt["body"] == (
        "<p>Le pont a cost 1 200,50 euros en 2026 (https://valmont.fr/budget-2026, info@valmont.fr).</p>"
    )


def test_sentence_punctuation_after_a_url_is_not_part_of_it():
    segmented = segment_article({"headline": "Voir https://valmont.fr/pont."}, "fr")

    assert texts(segmented) == {"headline": "Voir <x1/>."}


# --- Glossary -------------------------------------------------------------------------------------

AZERI = Glossary.from_pairs([(["Turquie-Azerbaïdjan", "turco-azérie"], "turco-azerbaïdjanaise")])


def test_glossary_alias_comes_out_as_the_preferred_target_form():
    segmented = segment_article({"headline": "La frontière turco-azérie rouvre"}, "fr", glossary=AZERI)

    rebuilt = segmented.rebuild({"headline": "The <x1/> border reopens"})

    assert texts(segmented) == {"headline": "La frontière <x1/> rouvre"}
    assert rebuilt == {"headline": "The turco-azerbaïdjanaise border reopens"}


def test_glossary_records_which_term_was_applied():
    segmented = segment_article({"headline": "La frontière turco-azérie rouvre"}, "fr", glossary=AZERI)

    assert segmented.segment("headline").glossary_terms == [("turco-azérie", TermForms("turco-azerbaïdjanaise"))]


def test_glossary_target_form_survives_an_engine_that_drops_the_placeholder():
    segmented = segment_article({"headline": "La frontière turco-azérie rouvre"}, "fr", glossary=AZERI)

    rebuilt = segmented.rebuild({"headline": "The Turkish-Azerbaijani border reopens"})

    assert rebuilt == {"headline": "The Turkish-Azerbaijani border reopens turco-azerbaïdjanaise"}
    assert problems(segmented, "headline") == [
        "The glossary term “turco-azerbaïdjanaise” was missing; it was added at the end."
    ]


def test_glossary_matches_whole_words_in_any_case():
    segmented = segment_article(
        {"headline": "TURCO-AZÉRIE, turco-azériennes, Turquie-Azerbaïdjan"}, "fr", glossary=AZERI
    )

    assert texts(segmented) == {"headline": "<x1/>, turco-azériennes, <x2/>"}


def test_glossary_prefers_the_longest_form():
    glossary = Glossary.from_pairs([(["Valmont"], "Valmont"), (["pont de Valmont"], "Valmont Bridge")])
    segmented = segment_article({"headline": "Le pont de Valmont et Valmont"}, "fr", glossary=glossary)

    rebuilt = segmented.rebuild({"headline": "The <x1/> and <x2/>"})

    assert rebuilt == {"headline": "The Valmont Bridge and Valmont"}


@pytest.mark.parametrize("language, text, form", [
    ("ru", "МИНИСТЕРСТВО ОБОРОНЫ заявило", "министерство обороны"),
    ("hy", "ԵՐԵՎԱՆ քաղաքում", "Երևան"),
])
def test_glossary_is_case_insensitive_in_cyrillic_and_armenian(language, text, form):
    glossary = Glossary.from_pairs([([form], "TERM")])

    segmented = segment_article({"headline": text}, language, glossary=glossary)

    assert texts(segmented)["headline"].startswith("<x1/>")


def test_restored_source_shows_glossary_terms_as_written():
    segmented = segment_article({"headline": "La frontière turco-azérie"}, "fr", glossary=AZERI)

    assert segmented.restore_source("headline") == "La frontière turco-azérie"
    assert segmented.restore("headline", "The <x1/> border") == "The turco-azerbaïdjanaise border"


# --- Splitting long blocks ------------------------------------------------------------------------

LONG = (
    "<p>Le pont a coûté 1 200,50 euros. M. Dupont l’a inauguré lundi. "
    "Les voitures repassent depuis mardi. Les piétons aussi.</p>"
)


def test_long_block_is_split_at_sentence_boundaries():
    segmented = segment_article({"body": LONG}, "fr", max_chars=40)

    assert texts(segmented) == {
        "body:1.1": "Le pont a coûté <x1/> euros.",
        "body:1.2": "M. Dupont l’a inauguré lundi.",
        "body:1.3": "Les voitures repassent depuis mardi.",
        "body:1.4": "Les piétons aussi.",
    }


def test_split_sentences_are_rejoined_with_a_space():
    segmented = segment_article({"body": LONG}, "fr", max_chars=40)

    rebuilt = segmented.rebuild({
        "body:1.1": "The bridge cost <x1/> euros.", "body:1.2": "Mr Dupont opened it on Monday.\n",
        "body:1.3": " Cars have been back since Tuesday.", "body:1.4": "Pedestrians too.",
    })

    assert rebuilt["body"] == (
        "<p>The bridge cost 1 200,50 euros. Mr Dupont opened it on Monday. "
        "Cars have been back since Tuesday. Pedestrians too.</p>"
    )


def test_split_packs_several_sentences_up_to_max_chars():
    segmented = segment_article({"body": LONG}, "fr", max_chars=70)

    assert texts(segmented) == {
        "body:1.1": "Le pont a coûté <x1/> euros. M. Dupont l’a inauguré lundi.",
        "body:1.2": "Les voitures repassent depuis mardi. Les piétons aussi.",
    }


def test_split_never_cuts_inside_a_pair():
    body = "<p>Premier point. <em>Deuxième point. Troisième point.</em> Quatrième point.</p>"
    segmented = segment_article({"body": body}, "fr", max_chars=20)

    assert texts(segmented) == {
        "body:1.1": "Premier point.",
        "body:1.2": "<g1>Deuxième point. Troisième point.</g1>",
        "body:1.3": "Quatrième point.",
    }


def test_blocks_within_max_chars_are_not_split():
    segmented = segment_article({"body": LONG}, "fr", max_chars=1000)

    assert list(texts(segmented)) == ["body:1"]


def test_languages_pysbd_lacks_are_split_with_english_rules():
    segmented = segment_article({"headline": "Ein Satz hier. Noch ein Satz dort."}, "xx", max_chars=20)

    assert texts(segmented) == {"headline.1": "Ein Satz hier.", "headline.2": "Noch ein Satz dort."}


# --- Translations that break the rules ------------------------------------------------------------

PARA = {"body": '<p>Le pont de <a href="https://valmont.fr">Valmont</a> a coûté <em>2026</em> euros.</p>'}


def test_segment_missing_from_the_translations_keeps_its_source_text():
    segmented = segment_article({"headline": "Le pont", "summary": "Il rouvre."}, "fr")

    assert segmented.rebuild({"headline": "The bridge"}) == {"headline": "The bridge", "summary": "Il rouvre."}


def test_dropped_pair_does_not_crash_and_is_reported():
    segmented = segment_article(PARA, "fr")

    rebuilt = segmented.rebuild({"body:1": "The Valmont bridge cost <g2><x3/></g2> euros."})

    assert rebuilt["body"] == "<p>The Valmont bridge cost <em>2026</em> euros.</p>"
    assert problems(segmented, "body:1") == ["The link to https://valmont.fr was lost in the translation."]


def test_duplicated_tags_are_dropped_and_reported():
    segmented = segment_article(PARA, "fr")

    rebuilt = segmented.rebuild({"body:1": "The <g1>Valmont</g1> <g1>bridge</g1> cost <g2><x3/></g2> <x3/> euros."})

    assert rebuilt["body"] == (
        '<p>The <a href="https://valmont.fr" rel="noopener noreferrer">Valmont</a> bridge cost <em>2026</em>  euros.</p>'
    )
    assert problems(segmented, "body:1") == [
        "The link to https://valmont.fr appeared twice; the extra copy was removed.",
        "The number 2026 appeared twice; the extra copy was removed.",
    ]


def test_misnested_and_unclosed_pairs_are_closed_and_reported():
    segmented = segment_article(PARA, "fr")

    rebuilt = segmented.rebuild({"body:1": "The <g1>Valmont <g2>bridge</g1> cost</g2> <x3/> euros <g9>x</g9>."})

    assert rebuilt["body"] == (
        '<p>The <a href="https://valmont.fr" rel="noopener noreferrer">Valmont <em>bridge</em></a> cost 2026 euros x.</p>'
    )
    assert problems(segmented, "body:1") == [
        "The emphasis overlapped other markup; it was closed early.",
        "A marker the engine added does not belong to this text; it was removed.",
        "A marker the engine added does not belong to this text; it was removed.",
    ]


def test_missing_protected_items_are_added_at_the_end():
    segmented = segment_article(PARA, "fr")

    rebuilt = segmented.rebuild({"body:1": "The <g1>Valmont</g1> bridge cost <g2>a lot</g2>."})

    assert rebuilt["body"] == (
        '<p>The <a href="https://valmont.fr" rel="noopener noreferrer">Valmont</a> bridge cost <em>a lot</em>. 2026</p>'
    )
    assert problems(segmented, "body:1") == ["The number 2026 was missing; it was added at the end."]


def test_tags_reserialised_by_an_html_service_are_accepted():
    segmented = segment_article(PARA, "fr")

    rebuilt = segmented.rebuild({"body:1": "The < g1 >Valmont</g1 > bridge cost <g2><x3></x3></g2> euros."})

    assert rebuilt["body"].startswith('<p>The <a href="https://valmont.fr"')
    assert problems(segmented, "body:1") == []


def test_markup_written_by_the_engine_is_escaped_not_obeyed():
    segmented = segment_article({"body": "<p>Le pont.</p>"}, "fr")

    rebuilt = segmented.rebuild({"body:1": 'The <b onclick="x()">bridge</b> <script>alert(1)</script>.'})

    assert rebuilt["body"] == (
        '<p>The &lt;b onclick="x()"&gt;bridge&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt;.</p>'
    )


def test_restore_gives_one_segment_as_html_for_qa():
    segmented = segment_article(PARA, "fr")

    assert segmented.restore("body:1", "The <g1>Valmont</g1> bridge cost <g2><x3/></g2> euros.") == (
        'The <a href="https://valmont.fr" rel="noopener noreferrer">Valmont</a> bridge cost <em>2026</em> euros.'
    )
    assert problems(segmented, "body:1") == []


# --- Digest and plain text ------------------------------------------------------------------------


def test_source_digest_ignores_layout_whitespace_and_empty_fields():
    a = source_digest({"headline": "Le pont", "body": "<p>Le pont\nrouvre.</p>", "summary": ""})
    b = source_digest({"headline": "Le pont ", "body": "<p>Le pont rouvre.</p>"})

    assert a == b and re.fullmatch(r"[0-9a-f]{64}", a)


@pytest.mark.parametrize("change", [
    {"headline": "Le pont rouvre"},
    {"body": "<p>Le pont rouvre en 2027.</p>"},
    {"body": '<p>Le pont <a href="https://b.example">rouvre</a> en 2026.</p>'},
])
def test_source_digest_changes_when_translatable_content_changes(change):
    base = {"headline": "Le pont", "body": '<p>Le pont <a href="https://a.example">rouvre</a> en 2026.</p>'}

    assert source_digest({**base, **change}) != source_digest(base)


def test_plain_text_removes_tags_and_unescapes():
    assert plain_text("Fish &amp; <g1>chips</g1> &lt;<x2/>") == "Fish & chips <"


# --- Naughty strings ------------------------------------------------------------------------------


def naughty_strings():
    return corpus.naughty_strings()


def test_naughty_paragraphs_survive_segmenting_and_rebuilding_unchanged():
    failures = []
    for text in naughty_strings():
        body = clean_body(f"<p>{text}</p>")
        segmented = segment_article({"headline": text, "body": body}, "en", max_chars=30)
        rebuilt = segmented.rebuild(identity(segmented))
        # Inside a block, runs of HTML whitespace are sent (and so come back) as one space.
        same = re.sub(r"[ \t\n\r\f]+", " ", rebuilt["body"]) == re.sub(r"[ \t\n\r\f]+", " ", body)
        if not same or rebuilt["headline"] != (text if text.strip() else ""):
            failures.append(text)
    assert failures == []


def test_naughty_translations_cannot_inject_markup():
    segmented = segment_article({"body": "<p>Le pont.</p><p><img src='https://example.org/a.png' alt='Pont'></p>"}, "fr")
    failures = []
    for text in naughty_strings():
        for key in ("body:1", "body:alt:1"):
            body = segmented.rebuild({key: text})["body"]
            if clean_body(body) != body or "<script" in body.lower() or body.count("<p>") != 2:
                failures.append((key, text))
    assert failures == []
