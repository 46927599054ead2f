"""Text whose language or direction differs from the page's is marked and isolated, so it never
scrambles: a French card on an Arabic page says it is French and left to right, its date (written
in the interface's language) says it is Arabic; names, sources, licences and tags inside a sentence
are each their own isolated run (``<bdi>``, or an element with ``dir``). The rendered order is
checked in a real browser in test_mixed_directions_browser.py."""

from __future__ import annotations

import lxml.html

from babelpress.newsroom.models import Article, Source


def doc_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return lxml.html.fromstring(response.content)


def text(node):
    return " ".join(node.text_content().split())


def test_a_card_in_another_language_carries_its_own_and_its_date_the_interfaces(french_card_in_arabic):
    card = lxml.html.fragment_fromstring(french_card_in_arabic)
    assert (card.get("lang"), card.get("dir")) == ("fr", "ltr")
    meta = card.cssselect(".card__meta")[0]
    assert (meta.get("lang"), meta.get("dir")) == ("ar", "rtl")  # the date is Arabic text
    assert text(meta.cssselect("time")[0]) == "26 نوفمبر 2026"
    assert text(meta.cssselect("bdi")[0]) == "Agence Lumière"


def test_a_card_in_the_pages_language_needs_no_marks(client, arabic):
    card = doc_of(client, "/ar/").cssselect(".card")[0]
    assert card.get("lang") is None and card.cssselect(".card__meta")[0].get("lang") is None


def test_names_in_a_byline_are_isolated_one_by_one(client, arabic):
    from babelpress.newsroom.coauthors import set_coauthors
    from babelpress.newsroom.models import Author

    set_coauthors(arabic.bridge_ar, [Author.objects.create(name="Marie Curie 2")])
    byline = doc_of(client, arabic.bridge_ar.get_absolute_url()).cssselect(".byline")[0]
    assert [text(b) for b in byline.cssselect("bdi")] == ["Claire Dubois", "Marie Curie 2", "Agence Lumière"]
    assert " و" in text(byline)  # listed the Arabic way (CLDR), the names left as they are


def test_a_name_with_markup_in_it_stays_text(client, arabic):
    Source.objects.filter(pk=arabic.agency.pk).update(name="<b>Agence</b> & Cie")
    byline = doc_of(client, arabic.bridge_ar.get_absolute_url()).cssselect(".byline")[0]
    assert byline.cssselect("bdi")[-1].text_content() == "<b>Agence</b> & Cie"


def test_source_licence_and_address_keep_their_own_direction(client, arabic):
    Article.objects.filter(pk=arabic.bridge_ar.pk).update(original_url="")
    doc = doc_of(client, arabic.bridge_ar.get_absolute_url())
    licence = doc.cssselect(".licence")[0]
    assert [text(b) for b in licence.cssselect("bdi")] == ["Agence Lumière", "CC BY 4.0"]
    address = doc.cssselect(".byline a")[0]
    assert address.get("dir") == "ltr" and address.text_content() == "https://lumiere.example.org"


def test_section_and_tag_names_in_sentences_are_isolated_with_their_direction(client, arabic):
    doc = doc_of(client, arabic.bridge_ar.get_absolute_url())
    section = doc.cssselect(".story__header .kicker bdi")[0]
    assert (text(section), section.get("dir")) == ("أخبار", "rtl")
    tag = doc_of(client, "/ar/tag/alnaql/").cssselect("h1 bdi")[0]
    assert (text(tag), tag.get("dir")) == ("النقل", "rtl")


def test_the_reviewers_name_is_isolated_in_the_provenance_line(client, arabic, django_user_model):
    marie = django_user_model.objects.create_user("mcurie", first_name="Marie", last_name="Curie")
    Article.objects.filter(pk=arabic.bridge_ar.pk).update(reviewed_by=marie)
    line = doc_of(client, arabic.bridge_ar.get_absolute_url()).cssselect(".provenance")[0]
    assert [text(b) for b in line.cssselect("bdi")] == ["Marie Curie"]


def test_a_story_in_the_pages_language_is_not_marked_again(client, arabic):
    doc = doc_of(client, arabic.bridge_ar.get_absolute_url())
    assert doc.get("lang") == "ar"
    for selector in (".story", ".story__headline", ".story__standfirst", ".story__body", ".tags a"):
        assert doc.cssselect(selector)[0].get("lang") is None, selector


def test_every_language_name_in_the_picker_says_its_language_and_direction(client, arabic):
    doc = doc_of(client, arabic.bridge.get_absolute_url())
    names = doc.cssselect(".language-picker a")
    assert {(a.get("lang"), a.get("dir")) for a in names} == {
        ("fr", "ltr"), ("en", "ltr"), ("hy", "ltr"), ("ru", "ltr"), ("ar", "rtl")}
