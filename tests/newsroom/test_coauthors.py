"""Co-authors (newsroom/coauthors.py): one Author per person, credited after the article's author in
the order chosen; the page lists them the way its language lists names (CLDR, through Babel)."""

from __future__ import annotations

import json

import lxml.html
from django.urls import reverse

from babelpress.newsroom.coauthors import credited_authors, set_coauthors
from babelpress.newsroom.models import Article, Author

from .test_admin import form_data


def byline_and_data(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    doc = lxml.html.fromstring(response.content)
    data = json.loads(doc.xpath('//script[@type="application/ld+json"]')[0].text)
    return " ".join(doc.cssselect(".byline")[0].text_content().split()), data


def people(newsroom):
    return Author.objects.create(name="Marc Petit"), Author.objects.create(name="Anna Roy")


def test_the_page_names_every_author_the_way_its_language_lists_names(client, newsroom):
    marc, anna = people(newsroom)
    for article in (newsroom.bridge, newsroom.bridge_en, newsroom.bridge_hy):
        set_coauthors(article, [marc, anna])

    french, data = byline_and_data(client, newsroom.bridge)
    assert french.startswith("Par Claire Dubois, Marc Petit et Anna Roy, Agence Lumière")
    assert data["author"] == [{"@type": "Person", "name": name} for name in ("Claire Dubois", "Marc Petit", "Anna Roy")]
    english, _ = byline_and_data(client, newsroom.bridge_en)
    assert english.startswith("By Claire Dubois, Marc Petit, and Anna Roy, Agence Lumière")
    armenian, _ = byline_and_data(client, newsroom.bridge_hy)
    assert "Claire Dubois, Marc Petit և Anna Roy" in armenian


def test_one_author_is_named_alone_and_a_change_of_co_authors_reaches_the_cached_page(client, newsroom):
    marc, _ = people(newsroom)
    alone, _ = byline_and_data(client, newsroom.bridge)
    assert alone.startswith("Par Claire Dubois, Agence Lumière")
    set_coauthors(newsroom.bridge, [marc])
    both, _ = byline_and_data(client, newsroom.bridge)
    assert both.startswith("Par Claire Dubois et Marc Petit, Agence Lumière")


def test_a_new_translation_credits_the_same_people(newsroom):
    marc, anna = people(newsroom)
    set_coauthors(newsroom.bridge, [anna, marc])
    russian = newsroom.bridge.create_translation("ru")
    assert [a.name for a in credited_authors(russian)] == ["Claire Dubois", "Anna Roy", "Marc Petit"]


def test_the_author_is_not_credited_twice(newsroom):
    marc, _ = people(newsroom)
    set_coauthors(newsroom.bridge, [newsroom.claire, marc, marc])
    assert [a.name for a in credited_authors(newsroom.bridge)] == ["Claire Dubois", "Marc Petit"]


def test_an_editor_chooses_co_authors_in_order_and_the_form_shows_them_so(editor, newsroom):
    marc, anna = people(newsroom)
    article = newsroom.bridge
    url = reverse("admin:newsroom_article_change", args=[article.pk])
    response = editor.post(url, form_data(article, coauthors=[anna.pk, marc.pk]))
    assert response.status_code == 302, response.content[:2000]
    assert [a.name for a in credited_authors(Article.objects.get(pk=article.pk))] == ["Claire Dubois", "Anna Roy",
                                                                                      "Marc Petit"]
    page = lxml.html.fromstring(editor.get(url).content)
    chosen = page.cssselect('select[name="coauthors"] option[selected]')
    assert [o.text_content() for o in chosen] == ["Anna Roy", "Marc Petit"]  # not by name: as credited

    article.refresh_from_db()
    editor.post(url, form_data(article, coauthors=[marc.pk, anna.pk]))
    assert [a.name for a in credited_authors(article)] == ["Claire Dubois", "Marc Petit", "Anna Roy"]


def test_co_authors_without_an_author_make_the_first_of_them_the_author(editor, newsroom):
    marc, anna = people(newsroom)
    article = newsroom.budget  # no author
    url = reverse("admin:newsroom_article_change", args=[article.pk])
    response = editor.post(url, form_data(article, coauthors=[marc.pk, anna.pk]))
    assert response.status_code == 302, response.content[:2000]
    article.refresh_from_db()
    assert article.author == marc and [a.name for a in credited_authors(article)] == ["Marc Petit", "Anna Roy"]
