"""Home, section and tag pages per language."""

from __future__ import annotations

import lxml.html

from babelpress.newsroom.models import Article


def doc_of(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status
    return lxml.html.fromstring(response.content)


def test_root_sends_readers_to_their_language(client, newsroom):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9,en;q=0.5")
    assert response.status_code == 302 and response["Location"] == "/ru/"
    assert "Accept-Language" in response["Vary"]
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE")["Location"] == "/fr/"  # the default language


def test_home_shows_latest_stories_by_section_in_its_language(client, newsroom):
    doc = doc_of(client, "/fr/")
    headlines = [" ".join(a.text_content().split()) for a in doc.cssselect(".card__headline a")]
    assert headlines[0] == "Le pont de Valmont rouvre"  # the lead: newest
    assert "Le budget municipal adopté" in headlines
    assert "Brouillon secret" not in headlines and "Lantern festival draws crowds" not in headlines
    assert [h.text_content().strip() for h in doc.cssselect(".section-block__title")] == ["Actualités"]


def test_section_page_paginates(client, newsroom, settings):
    settings.BABELPRESS_PAGE_SIZE = 1
    doc = doc_of(client, "/fr/section/actualites/")
    assert len(doc.cssselect(".card")) == 1
    assert doc.cssselect('a[rel="next"]')[0].get("href") == "?page=2"
    doc = doc_of(client, "/fr/section/actualites/?page=2")
    assert " ".join(doc.cssselect(".card__headline a")[0].text_content().split()) == "Le budget municipal adopté"
    doc_of(client, "/fr/section/actualites/?page=3", status=404)


def test_section_page_alternates_point_to_the_section_in_other_languages(client, newsroom):
    doc = doc_of(client, "/fr/section/actualites/")
    alternates = {l.get("hreflang"): l.get("href") for l in doc.cssselect('link[rel="alternate"]')}
    assert alternates["en"] == "http://localhost/en/section/news/"


def test_tag_page(client, newsroom):
    doc = doc_of(client, "/fr/tag/transports/")
    assert [a.get("href") for a in doc.cssselect(".card__headline a")] == [newsroom.bridge.get_absolute_url()]


def test_home_costs_a_fixed_number_of_queries(client, newsroom, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        doc_of(client, "/fr/")
    for i in range(10):
        Article.objects.create(language="fr", headline=f"Nouvelle {i}", section=newsroom.culture, status="published")
    with django_assert_max_num_queries(3):
        doc_of(client, "/fr/")
