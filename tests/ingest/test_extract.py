"""babelpress.ingest.extract (with bylines.py, dates.py, language.py): structure kept in our body
format, bylines cleaned, language and dates, refusals, hostile markup."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from lxml import html as lxml_html

from babelpress.ingest.bylines import clean_byline
from babelpress.ingest.dates import parse_datetime
from babelpress.ingest.extract import ExtractionError, extract_article
from babelpress.ingest.language import normalize_language

URL = "https://journal.example/2024/03/budget-ecoles?utm_source=feed"
FR = ("Le conseil municipal a voté mardi soir un budget de transition pour la rénovation des écoles du "
      "quartier, après un débat de plus de trois heures entre la majorité et l'opposition.")
EN = ("The city council voted on Tuesday evening for a transition budget to renovate the schools of the "
      "district, after a debate of more than three hours between the majority and the opposition.")
RU = ("Городской совет во вторник вечером проголосовал за переходный бюджет на ремонт школ района после "
      "дебатов, которые продолжались более трёх часов между большинством и оппозицией.")
HY = ("Ավագանին երեքշաբթի երեկոյան քվեարկեց թաղամասի դպրոցների վերանորոգման անցումային բյուջեի օգտին՝ "
      "մեծամասնության և ընդդիմության միջև ավելի քան երեք ժամ տևած բանավեճից հետո։")


def article(paragraph: str = FR, *, lang: str | None = "fr-FR", head: str = "", body: str = "", byline: str = "") -> str:
    lang_attr = f' lang="{lang}"' if lang else ""
    return f"""<!doctype html>
<html{lang_attr}><head><meta charset="utf-8">
<title>Le budget des écoles adopté | Journal Exemple</title>
<meta property="og:title" content="Le budget des écoles adopté">
<meta property="og:site_name" content="Journal Exemple">
<meta name="description" content="Un budget de transition pour les écoles.">
<meta property="og:image" content="/img/ecole.jpg">
<meta property="og:image:alt" content="La façade de l'école Jules-Ferry">
<link rel="canonical" href="/2024/03/budget-ecoles">
{head}
</head><body>
<header><nav><a href="/">Accueil</a> <a href="/politique">Politique</a></nav></header>
<main><article>
<h1>Le budget des écoles adopté</h1>
{byline}
<p>{paragraph} <em>Un compromis</em>, <strong>une première étape</strong>.</p>
<p>{paragraph} Voir <a href="/dossiers/ecoles">notre dossier</a>.</p>
{body}
<p>{paragraph}</p>
<p>{paragraph}</p>
</article></main>
<footer><p>© Journal Exemple — Mentions légales — Contact</p></footer>
</body></html>"""


STRUCTURE = f"""
<h2>Ce qui change</h2>
<p>{FR}</p>
<ul><li>Rénovation thermique de six écoles élémentaires du quartier nord</li>
<li>Nouvelles cantines avec des produits locaux et de saison</li>
<li>Cours d'école végétalisées d'ici à la rentrée 2025</li></ul>
<h3>Le calendrier</h3>
<p>{FR}</p>
<blockquote><p>Nous tenons enfin une solution durable pour nos enfants, a déclaré l'adjointe chargée de l'éducation.</p></blockquote>
<figure><img src="../../img/chantier.jpg" alt="Le chantier de l'école Jules-Ferry"></figure>
<ol><li>Vote du budget en mars prochain</li><li>Appel d'offres au printemps</li><li>Début des travaux en juillet</li></ol>
"""


def fragment(html: str):
    return lxml_html.fragment_fromstring(html, create_parent="div")


def test_structure_is_kept_in_the_body_format():
    result = extract_article(article(body=STRUCTURE, byline="<p>Par Jean Dupont</p>"), URL)
    body = fragment(result.body_html)
    assert [h.text for h in body.iter("h2")] == ["Ce qui change"]
    assert [h.text for h in body.iter("h3")] == ["Le calendrier"]
    assert not list(body.iter("h1")), "the headline has its own field"
    assert [len(list(ul.iter("li"))) for ul in body.iter("ul")] == [3]
    assert [len(list(ol.iter("li"))) for ol in body.iter("ol")] == [3]
    assert "solution durable" in body.find(".//blockquote").text_content()
    assert body.find(".//em").text == "Un compromis" and body.find(".//strong").text == "une première étape"
    links = [a.get("href") for a in body.iter("a")]
    assert "https://journal.example/dossiers/ecoles" in links  # absolute against the page URL
    image = body.find(".//img")
    assert image.get("src") == "https://journal.example/img/chantier.jpg"
    assert image.get("alt") == "Le chantier de l'école Jules-Ferry"
    assert len(list(body.iter("p"))) >= 5
    # plain text keeps paragraphs apart and has no markup
    assert "\n\n" in result.text and "<" not in result.text
    assert result.text.count(FR) >= 4 and "Ce qui change" in result.text


def test_metadata():
    head = '<meta property="article:published_time" content="2024-03-05T18:30:00+01:00">'
    byline = '<p class="byline">Par Jean Dupont, publié le 5 mars 2024</p>'
    result = extract_article(article(head=head, byline=byline), URL)
    assert result.headline == "Le budget des écoles adopté"
    assert result.author == "Jean Dupont"
    assert result.published_at == datetime(2024, 3, 5, 17, 30, tzinfo=timezone.utc)
    assert result.published_at.utcoffset() == timedelta(hours=1)
    assert result.canonical_url == "https://journal.example/2024/03/budget-ecoles"
    assert result.lead_image_url == "https://journal.example/img/ecole.jpg"
    assert result.lead_image_alt == "La façade de l'école Jules-Ferry"
    assert result.sitename == "Journal Exemple"
    assert result.description == "Un budget de transition pour les écoles."
    assert result.language == "fr"
    assert result.warnings == []


def test_publication_date_from_json_ld():
    head = """<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
      {"@type": "NewsArticle", "datePublished": "2024-03-05T08:00:00-05:00", "inLanguage": "fr"}]}</script>"""
    result = extract_article(article(head=head), URL)
    assert result.published_at == datetime(2024, 3, 5, 13, 0, tzinfo=timezone.utc)


def test_date_without_time_is_noon_utc_with_a_warning():
    result = extract_article(article(head='<meta name="date" content="2024-03-05">'), URL)
    assert result.published_at == datetime(2024, 3, 5, 12, 0, tzinfo=timezone.utc)
    assert any("no time" in w for w in result.warnings)


def test_missing_metadata_is_reported():
    page = f"<html><body><article><p>{EN}</p><p>{EN}</p></article></body></html>"
    result = extract_article(page)
    assert "no headline found" in result.warnings
    assert "no author found" in result.warnings
    assert "no publication date found" in result.warnings
    assert any(w.startswith("body very short") for w in result.warnings)
    assert result.published_at is None and result.author is None and result.canonical_url is None


# --- Bylines -------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw, expected", [
    # fr
    ("Par Jean Dupont", "Jean Dupont"),
    ("Écrit par Marie Curie", "Marie Curie"),
    ("Par Jean Dupont, publié le 3 mars 2024 à 10h00", "Jean Dupont"),
    ("Jean Dupont et Marie Curie", "Jean Dupont, Marie Curie"),
    ("Par Jean Dupont avec AFP", "Jean Dupont"),
    ("Auteur : Jeanne Martin | Mis à jour le 04/03/2024", "Jeanne Martin"),
    # en
    ("By Jane Doe and John Roe", "Jane Doe, John Roe"),
    ("By Jane Doe | Reuters", "Jane Doe"),
    ("By Jane Doe, Updated 3:45 PM EST, Tue March 3, 2024", "Jane Doe"),
    ("Posted by Jane Doe on March 3, 2024", "Jane Doe"),
    ("By JANE DOE, Associated Press", "Jane Doe"),
    ("Jane Doe, Staff Writer", "Jane Doe"),
    ("Jane Doe - 3 hours ago", "Jane Doe"),
    ("Sarah E Needleman", "Sarah E Needleman"),
    ("STEVE PEOPLES; AP National Political Writer", "Steve Peoples"),
    ("By DANIEL MCDONALD", "Daniel McDonald"),
    ("Reuters", "Reuters"),
    # e-mail addresses and handles
    ("Jane Doe (jane.doe@example.com)", "Jane Doe"),
    ("jane@example.com (Jane Doe)", "Jane Doe"),
    ("Jane Doe <jane@example.com>", "Jane Doe"),
    ("By Jane Doe @janedoe", "Jane Doe"),
    # de
    ("Von Max Mustermann", "Max Mustermann"),
    ("Von Max Mustermann, dpa", "Max Mustermann"),
    ("Max Mustermann und Erika Musterfrau", "Max Mustermann, Erika Musterfrau"),
    ("Von Max Mustermann | Stand: 03.03.2024 10:00 Uhr", "Max Mustermann"),
    # ru
    ("Автор: Иван Петров", "Иван Петров"),
    ("Текст: Иван Петров, 3 марта 2024", "Иван Петров"),
    ("Иван Петров и Мария Иванова", "Иван Петров, Мария Иванова"),
    ("Автор текста: Анна Смирнова", "Анна Смирнова"),
    # hy
    ("Հեղինակ՝ Արամ Պետրոսյան", "Արամ Պետրոսյան"),
    ("Հեղինակ: Անի Սարգսյան", "Անի Սարգսյան"),
    ("Տեքստը՝ Արամ Պետրոսյան", "Արամ Պետրոսյան"),
    # nothing usable
    ("Admin", None),
    ("by", None),
    ("", None),
    (None, None),
])
def test_byline_cleaning(raw, expected):
    assert clean_byline(raw) == expected


def test_byline_from_the_page_is_cleaned():
    result = extract_article(article(byline='<p class="byline">By <a href="/authors/jd">Jane Doe</a> | Reuters</p>',
                                     head='<meta name="author" content="By Jane Doe | Reuters">'), URL)
    assert result.author == "Jane Doe"


# --- Language ------------------------------------------------------------------------------------


def test_declared_language_wins():
    result = extract_article(article(lang="fr-FR"), URL)
    assert result.language == "fr"
    assert not any("detected" in w for w in result.warnings)


def test_language_from_metadata_when_html_lang_is_missing():
    result = extract_article(article(lang=None, head='<meta http-equiv="content-language" content="fr">'), URL)
    assert result.language == "fr" and not any("detected" in w for w in result.warnings)


@pytest.mark.parametrize("paragraph, code", [(FR, "fr"), (EN, "en"), (RU, "ru"), (HY, "hy")])
def test_language_detected_when_not_declared(paragraph, code):
    result = extract_article(article(paragraph, lang=None), URL)
    assert result.language == code
    assert any(w.startswith("language detected, not declared") for w in result.warnings)


def test_declared_language_contradicting_the_text_is_flagged():
    result = extract_article(article(RU, lang="en"), URL)
    assert result.language == "en"
    assert any("looks like 'ru'" in w for w in result.warnings)


def test_caller_can_override_the_language():
    result = extract_article(article(HY, lang="en"), URL, declared_language="hy-AM")
    assert result.language == "hy"


@pytest.mark.parametrize("value, code", [
    ("en-US", "en"), ("hy_AM", "hy"), ("FR", "fr"), ("fra", "fr"), ("hye", "hy"), ("iw", "he"),
    ("und", None), ("x-default", None), ("", None), (None, None),
])
def test_normalize_language(value, code):
    assert normalize_language(value) == code


def test_parse_datetime_assumptions(settings):
    settings.TIME_ZONE = "Europe/Paris"
    assert parse_datetime("2024-03-05T10:00:00Z")[0] == datetime(2024, 3, 5, 10, tzinfo=timezone.utc)
    when, note = parse_datetime("2024-03-05 10:00")  # no zone: the site's, said (tests/ingest/test_dates.py)
    assert when == datetime(2024, 3, 5, 9, tzinfo=timezone.utc) and "Europe/Paris" in note
    assert parse_datetime("Tue, 05 Mar 2024 10:00:00 +0100")[0].utcoffset() == timedelta(hours=1)
    assert parse_datetime("yesterday") == (None, None)


# --- Input handling and refusals -----------------------------------------------------------------


def test_bytes_with_a_meta_charset_are_decoded():
    page = article(RU, lang=None).replace('<meta charset="utf-8">', '<meta charset="windows-1251">')
    page = page.replace("Le budget des écoles adopté", "Бюджет школ принят")
    result = extract_article(page.encode("cp1251", "xmlcharrefreplace"), URL)
    assert RU in result.text and result.headline == "Бюджет школ принят" and result.language == "ru"


@pytest.mark.parametrize("content, words", [
    ("", "empty"),
    (b"   \n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    ("Just some plain text, no markup at all.", "plain text"),
    ("<html><head><title>Home</title></head><body><nav><a href='/a'>A</a></nav></body></html>", "No article text"),
    ("<html><head><title>Home</title></head><body><nav><a href='/a'>Politique</a> <a href='/b'>Culture</a> "
     "<a href='/c'>Sport</a></nav><footer>© 2024 Journal</footer></body></html>", "No article text"),
])
def test_no_article_raises_a_clear_error(content, words):
    with pytest.raises(ExtractionError) as caught:
        extract_article(content, URL)
    assert words in str(caught.value)


def test_hostile_markup_is_stripped():
    hostile = f"""
<p>{FR} <a href="javascript:alert(1)">piège</a> <a href=" JaVaScRiPt:alert(3)">autre</a>
<img src="/photo.jpg" onerror="alert(2)" alt="photo"> <span onclick="steal()">clic</span></p>
<script>document.cookie</script><style>body{{display:none}}</style>
<iframe src="https://evil.example/"></iframe>
<p>{FR} <img src="data:image/svg+xml;base64,PHN2Zz4=" alt="svg"> <a href="data:text/html,x">data</a></p>
<form action="https://evil.example/"><input name="q"></form>
"""
    result = extract_article(article(body=hostile), URL)
    lowered = result.body_html.lower()
    for needle in ("<script", "onerror", "onclick", "javascript:", "<iframe", "<style", "<form", "<input", "data:"):
        assert needle not in lowered, needle
    assert "document.cookie" not in result.text and "alert(" not in result.text
    assert "https://journal.example/photo.jpg" in result.body_html


def test_widget_cruft_and_repeated_captions_are_folded():
    caption = "Le maire Jean Martin visite le chantier de l'école Jules-Ferry avec les parents d'élèves"
    body = f"""<p><img src="/chantier.jpg" alt="{caption}" title="{caption}, le 4 mars."></p>
<p>{caption}</p><p><a href="#">... more</a></p><p>https://journal.example/print/budget-ecoles</p>"""
    result = extract_article(article(body=body), URL)
    assert result.text.count("Le maire Jean Martin") == 0  # the caption is not prose
    assert "... more" not in result.body_html and "/print/" not in result.text
    assert "chantier.jpg" in result.body_html
