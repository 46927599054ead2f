"""Plain text from HTML, as the importer (dedup, standfirsts, feed titles, bylines) and the admin's
previews read it: one function, babelpress.html_text.html_to_text."""

from __future__ import annotations

import pytest

from babelpress.html_text import html_to_text

BODY = (
    "<h2>Deux ans de travaux</h2><p>Le pont a été <a href='/p'>re<b>construit</b></a>.</p>"
    "<ul><li>Acier</li><li>Béton</li></ul><p>Ligne<br>suivante</p>"
)


def test_one_line_keeps_words_apart_where_blocks_end_and_together_inside_them():
    assert html_to_text(BODY) == "Deux ans de travaux Le pont a été reconstruit. Acier Béton Ligne suivante"


def test_paragraphs_are_separated_by_a_blank_line():
    assert html_to_text(BODY, paragraphs=True).split("\n\n") == [
        "Deux ans de travaux", "Le pont a été reconstruit.", "Acier", "Béton", "Ligne", "suivante",
    ]


def test_scripts_and_styles_go_with_their_content():
    assert html_to_text("<p>Avant<script>alert(1)</script><style>p{}</style> après</p>") == "Avant après"


@pytest.mark.parametrize(("fragment", "text"), [
    ("Fish &amp; chips", "Fish & chips"),
    ("&amp;lt;b&amp;gt; is a tag", "&lt;b&gt; is a tag"),  # decoded once: what the author wrote
    ("&lt;b&gt; is a tag", "<b> is a tag"),
    ("tab\there, \u00a0 spaces\r\n and new lines  ", "tab here, spaces and new lines"),
    ("", ""),
    (None, ""),
])
def test_entities_are_decoded_once_and_white_space_collapsed(fragment, text):
    assert html_to_text(fragment) == text


def test_any_input_gives_tidy_paragraphs(naughty_strings):
    for fragment in naughty_strings:
        for paragraph in html_to_text(fragment, paragraphs=True).split("\n\n"):
            assert paragraph == " ".join(paragraph.split()), fragment
