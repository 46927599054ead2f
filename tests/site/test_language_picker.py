"""The language choice at the top of every public page: the languages the page exists in, by
their own names, the current one marked; the same for every reader. And ``/`` picks among all
content languages from what the browser asks for."""

from __future__ import annotations

import lxml.html
import pytest

from babelpress.newsroom.models import Article

ALL_HOMES = {"fr": "/fr/", "en": "/en/", "hy": "/hy/", "ru": "/ru/", "ar": "/ar/"}


def doc_of(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:300]
    return lxml.html.fromstring(response.content)


def picker(doc):
    """The picker's links as {code: (href, native name, aria-current)}, after checking each says its language."""
    nav = doc.cssselect("nav.language-picker")[0]
    links = {}
    for a in nav.cssselect(".language-picker__available a"):
        assert a.get("lang") == a.get("hreflang") and a.get("dir") in ("ltr", "rtl")
        links[a.get("hreflang")] = (a.get("href"), a.text_content(), a.get("aria-current"))
    return links


def test_the_picker_comes_first_on_the_page_before_the_masthead_and_the_story(client, arabic):
    doc = doc_of(client, "/ar/")
    body = doc.cssselect("body")[0]
    first_nav = body.cssselect("nav")[0]
    assert "language-picker" in first_nav.get("class")
    assert first_nav.getparent().get("class") == "masthead"
    assert not doc.cssselect("footer nav")  # one language choice per page, not a second list below


def test_home_offers_every_content_language_by_its_native_name(client, arabic):
    links = picker(doc_of(client, "/ar/"))
    assert {code: href for code, (href, _name, _current) in links.items()} == ALL_HOMES
    assert links["ar"] == ("/ar/", "العربية", "page")
    assert links["hy"][1] == "Հայերեն" and links["ru"][1] == "Русский" and links["fr"][1] == "Français"
    assert [code for code, (_h, _n, current) in links.items() if current] == ["ar"]


def test_its_label_speaks_the_interface_language(client, arabic):
    doc = doc_of(client, "/fr/")
    nav = doc.cssselect("nav.language-picker")[0]
    label = doc.get_element_by_id(nav.get("aria-labelledby"))
    assert label.text_content() == "Choisissez votre langue"


def test_a_section_offers_the_languages_it_is_named_in(client, arabic):
    links = picker(doc_of(client, "/ar/section/akhbar/"))
    assert {code: href for code, (href, _n, _c) in links.items()} == {
        "fr": "/fr/section/actualites/", "en": "/en/section/news/", "hy": "/hy/section/lurer/",
        "ru": "/ru/section/novosti/", "ar": "/ar/section/akhbar/",
    }
    assert links["ar"][2] == "page"
    culture = picker(doc_of(client, "/fr/section/culture/"))  # named in French and English only
    assert set(culture) == {"fr", "en"}


def test_an_article_offers_its_published_translations_and_the_rest_apart(client, arabic):
    doc = doc_of(client, arabic.bridge_ar.get_absolute_url())
    links = picker(doc)
    assert {code: href for code, (href, _n, _c) in links.items()} == {
        "fr": arabic.bridge.get_absolute_url(), "en": arabic.bridge_en.get_absolute_url(),
        "hy": arabic.bridge_hy.get_absolute_url(), "ar": arabic.bridge_ar.get_absolute_url(),
    }
    assert list(links) == ["fr", "en", "hy", "ar"]  # the site's order on every page
    assert links["ar"][2] == "page"
    missing = doc.cssselect(".language-picker__missing a")
    assert [(a.get("hreflang"), a.get("href"), a.get("lang")) for a in missing] == [("ru", "/ru/", "ru")]


def test_a_draft_translation_is_not_offered(client, arabic):
    Article.objects.filter(pk=arabic.bridge_hy.pk).update(status=Article.Status.DRAFT)
    assert "hy" not in picker(doc_of(client, arabic.bridge.get_absolute_url()))


def test_a_tag_which_has_no_equivalents_offers_the_home_pages(client, arabic):
    links = picker(doc_of(client, "/ar/tag/alnaql/"))
    assert {code: href for code, (href, _n, _c) in links.items()} == ALL_HOMES
    assert links["ar"][2] == "true"  # the reader's language, though not this very page


@pytest.mark.parametrize("url", ["/ar/article/no-such-story/", "/ar/section/nothing/"])
def test_a_missing_page_offers_the_home_pages(client, arabic, url):
    links = picker(doc_of(client, url, status=404))
    assert {code: href for code, (href, _n, _c) in links.items()} == ALL_HOMES


def test_the_picker_is_the_same_whatever_the_reader_sends(client, arabic):
    plain = client.get("/fr/section/actualites/")
    other = client.get("/fr/section/actualites/", HTTP_ACCEPT_LANGUAGE="ar,hy;q=0.5", HTTP_REFERER="/hy/")
    assert plain.content == other.content


@pytest.mark.parametrize(
    "header, home",
    [
        ("ar-EG,ar;q=0.9,fr;q=0.8", "/ar/"),
        ("fr;q=0.3, ar;q=0.9", "/ar/"),  # by preference, not by position
        ("de-DE, hy;q=0.5", "/hy/"),  # the first language the site has
        ("ru-RU", "/ru/"),
        ("de-DE", "/fr/"),  # none: the default language
        ("", "/fr/"),
    ],
)
def test_root_picks_among_all_content_languages(client, arabic, header, home):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=header)
    assert response.status_code == 302 and response["Location"] == home
    assert "Accept-Language" in response["Vary"]


def test_pages_with_the_picker_cost_no_more_queries(client, arabic, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        doc_of(client, "/ar/")
    with django_assert_max_num_queries(7):
        doc_of(client, arabic.bridge_ar.get_absolute_url())
