"""Invisible characters are normalised once, on the way in (issue 11, cause 3): soft hyphens,
zero-width spaces, word joiners, BOMs, control characters and stray line breaks leave headlines,
standfirsts, bodies, bylines and captions, whatever source read the story (a page, an upload, a
feed); the joiners that carry meaning (Persian, Indic scripts, emoji) stay; the text is NFC."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from babelpress.ingest import pipeline
from babelpress.ingest.invisible import normalise_html, normalise_line, normalise_text

from .conftest import rss

SHY, ZWSP, ZWNJ, ZWJ, WJ, BOM = "\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"
INVISIBLE = (SHY, ZWSP, WJ, BOM, "\x0b", "\x85", "\u2028")


@pytest.mark.parametrize("raw, clean", [
    ("réac\u00adtion", "réaction"),
    (f"{BOM}Le maire", "Le maire"),
    (f"mi{ZWSP}nis{WJ}tre", "ministre"),
    ("e\u0301te\u0301", "été"),  # decomposed accents: NFC
    ("Le\u2028conseil\r\nmunicipal\x0bvote", "Le conseil municipal vote"),
    ("l\x92eau \x96 un \x93test\x94\x85", "l’eau – un “test”…"),  # windows-1252 read as ISO-8859-1
    ("bell\x07 and\x00 null", "bell and null"),
    (f"Auf{ZWNJ}lage", "Auflage"),  # a ligature hint in Latin text: not needed
])
def test_a_line_loses_its_invisible_characters(raw, clean):
    assert normalise_line(raw) == clean


@pytest.mark.parametrize("meaningful", [
    f"می{ZWNJ}خواهم",  # Persian: "I want", the non-joiner keeps the prefix apart
    f"क्{ZWJ}ष",  # Devanagari: a half form
    f"ന്{ZWJ}",  # Malayalam chillu: kept only between letters and marks, so followed by one
    f"👩{ZWJ}🔬",  # an emoji sequence: woman scientist
])
def test_joiners_that_carry_meaning_stay(meaningful):
    if meaningful.endswith(ZWJ):
        meaningful += "ന"
    assert normalise_line(meaningful) == meaningful


def test_plain_text_keeps_its_paragraphs():
    assert normalise_text("Un para\u00adgraphe.\u2029Deux\u2028lignes.\r\nTrois.") == \
        "Un paragraphe.\n\nDeux\nlignes.\nTrois."


def test_a_body_is_normalised_in_its_text_and_not_its_structure():
    body = (f"<p>{BOM}La réac{SHY}tion <em>du mi{ZWSP}nistre</em></p>"
            f"<p><br>Premier.<br><br><br>Second.<br></p>"
            f"<p>فارسی{ZWNJ}<em>ها</em></p>"
            f'<figure><img src="https://x.example/a.jpg" alt="Le pont{SHY}"><figcaption>Pho{SHY}to{WJ} X</figcaption></figure>'
            "<pre>ligne 1\n  ligne 2</pre>")
    assert normalise_html(body) == (
        "<p>La réaction <em>du ministre</em></p><p>Premier.</p><p>Second.</p>"
        f"<p>فارسی{ZWNJ}<em>ها</em></p>"  # the joiner's neighbour is found across the markup
        '<figure><img src="https://x.example/a.jpg" alt="Le pont"><figcaption>Photo X</figcaption></figure>'
        "<pre>ligne 1\n  ligne 2</pre>")


def page_with_invisible_characters() -> str:
    return f"""{BOM}<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>La réac{SHY}tion du mi{ZWSP}nistre</title>
<meta property="og:title" content="La réac{SHY}tion du mi{ZWSP}nistre">
<meta name="author" content="Jeanne{ZWSP} Du{SHY}pont">
<meta name="description" content="Une ré{SHY}ponse{WJ} attendue.">
<meta property="article:published_time" content="2026-03-02T10:00:00+00:00">
</head><body><main><article><h1>La réac{SHY}tion du mi{ZWSP}nistre</h1>
<p>Le conseil muni{SHY}cipal a voté mardi soir un bud{SHY}get de tran{SHY}sition pour la rénovation des écoles
du quartier, après un dé{ZWSP}bat de plus de trois heures entre la majorité et l{BOM}'opposition.</p>
<figure><img src="/pont.jpg" alt="Le pont"><figcaption>Le pont de Val{SHY}mont, pho{SHY}to X</figcaption></figure>
<p>Les travaux du pont com{SHY}menceront au printemps et dureront deux ans, selon l'adjointe chargée des
travaux, qui a présenté le calendrier aux habitants du quartier jeudi soir.</p>
</article></main></body></html>"""


def assert_no_invisible(*texts: str) -> None:
    for text in texts:
        found = [f"U+{ord(ch):04X}" for ch in INVISIBLE if ch in text]
        assert not found, f"{found} left in {text!r}"


def test_an_uploaded_page_is_stored_without_invisible_characters(sections):
    outcome = pipeline.import_file(page_with_invisible_characters().encode("utf-8"),
                                   url="https://journal.example/reaction")
    assert outcome.status == "new", outcome.reason
    article = outcome.article
    assert article.headline == "La réaction du ministre"
    assert article.standfirst == "Une réponse attendue."
    assert article.author.name == "Jeanne Dupont"
    assert "budget de transition" in article.body and "Le pont de Valmont, photo X" in article.body
    assert_no_invisible(article.headline, article.standfirst, article.body, article.author.name)
    # Dedup reads the same normalised words: the same page without the invisible characters is a duplicate.
    again = page_with_invisible_characters()
    for ch in (SHY, ZWSP, BOM):
        again = again.replace(ch, "")
    twin = pipeline.import_file(again.encode("utf-8"), url="https://journal.example/reaction-bis")
    assert twin.status == "duplicate", twin.reason


def test_a_feed_entry_is_stored_without_invisible_characters(sections):
    text = (f"<p>Le conseil muni{SHY}cipal a voté mardi soir un bud{SHY}get de tran{SHY}sition pour les écoles, "
            f"après un dé{ZWSP}bat de trois heures.</p><p>{BOM}Les travaux com{SHY}menceront au printemps.</p>")
    feed = rss([{"title": f"Le bud{SHY}get{ZWSP} adopté", "guid": "budget-1", "content": text,
                 "author": f"jeanne@journal.example (Jeanne{WJ} Dupont)",
                 "published": datetime(2026, 3, 2, 10, tzinfo=timezone.utc)}], language="fr")
    from babelpress.ingest.sources.base import Defaults, Document

    report = pipeline.import_stories(Document.from_file(feed, filename="journal.xml"), Defaults.of())
    [outcome] = report.outcomes
    assert outcome.status == "new", outcome.reason
    article = outcome.article
    assert article.headline == "Le budget adopté"
    assert "budget de transition" in article.body and "Les travaux commenceront" in article.body
    assert_no_invisible(article.headline, article.body, article.author.name if article.author else "")
