"""Bad input gets a proper 404 page in a sensible language — never a 500."""

from __future__ import annotations

from urllib.parse import quote

import lxml.html
import pytest


@pytest.mark.parametrize(
    "url",
    [
        "/xx/",  # unknown language prefix
        "/de/article/le-pont-de-valmont-rouvre/",  # a language the site does not have
        "/fr/article/no-such-story/",  # unknown slug
        "/fr/article/brouillon-secret/",  # a draft
        "/ru/article/le-pont-de-valmont-rouvre/",  # exists in French, not in Russian
        "/fr/section/no-such-section/",
        "/fr/tag/nothing/",
        "/fr/section/actualites/?page=abc",
        "/fr/section/actualites/?page=-1",
        "/fr/section/actualites/?page=99999999999999999999",
        "/fr/section/actualites/?page=0",
    ],
)
def test_not_found_is_a_404_page(client, newsroom, url):
    response = client.get(url)
    assert response.status_code == 404
    doc = lxml.html.fromstring(response.content)
    assert doc.cssselect("h1")


def test_404_speaks_the_language_of_the_url(client, newsroom):
    response = client.get("/fr/article/no-such-story/")
    doc = lxml.html.fromstring(response.content)
    assert doc.get("lang") == "fr"
    assert doc.cssselect("h1")[0].text_content().strip() == "Page introuvable"


def test_404_outside_a_language_follows_the_browser(client, newsroom):
    response = client.get("/nothing-here/", HTTP_ACCEPT_LANGUAGE="ar")
    doc = lxml.html.fromstring(response.content)
    assert response.status_code == 404 and doc.get("lang") == "ar" and doc.get("dir") == "rtl"


def test_absurd_headers_and_query_strings_never_fail(client, newsroom):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="x" * 10000 + ";q=abc,,,;;").status_code == 302
    assert client.get(newsroom.bridge.get_absolute_url() + "?" + "a=" * 2000).status_code == 200
    assert client.post(newsroom.bridge.get_absolute_url()).status_code == 405


def test_naughty_strings_in_paths_and_queries_never_cause_a_500(client, newsroom, naughty_strings):
    for s in naughty_strings:
        encoded = quote(s, safe="")
        for url in (f"/fr/article/{encoded}/", f"/fr/section/actualites/?page={encoded}", f"/{encoded}/"):
            response = client.get(url)
            assert response.status_code in (200, 301, 302, 404), (s, url, response.status_code)


def test_a_refused_host_header_is_one_line_in_the_log_not_a_traceback(client, newsroom, monkeypatch):
    import io
    import logging

    handler = logging.getLogger("django.security").handlers[0]  # the console handler for refusals
    log = io.StringIO()
    monkeypatch.setattr(handler, "stream", log)
    assert client.get("/fr/", HTTP_HOST="attacker.example").status_code == 400
    assert log.getvalue().splitlines() == [
        "Invalid HTTP_HOST header: 'attacker.example'. You may need to add 'attacker.example' to ALLOWED_HOSTS."
    ]


# --- The 404 and 500 pages: one clear message, and a way forward ----------------------------------


def notice(response):
    doc = lxml.html.fromstring(response.content)
    return doc, doc.cssselect(".notice-page")[0]


def words(node) -> str:
    return " ".join(node.text_content().split())


def test_a_missing_story_says_so_once(client, newsroom):
    _, page = notice(client.get("/fr/article/no-such-story/"))
    assert [words(p) for p in page.cssselect("p.notice-page__message")] == [
        "Cet article n'existe pas dans cette langue ou n'est pas publié."
    ]
    assert "La page demandée" not in words(page)  # the general sentence is for addresses we know nothing of


def test_an_unknown_address_gets_the_general_sentence(client, newsroom):
    _, page = notice(client.get("/fr/nothing/here/"))
    assert [words(p) for p in page.cssselect("p.notice-page__message")] == [
        "La page demandée n'existe pas ou n'est plus en ligne."
    ]


def test_the_404_leads_home_and_to_the_sections_of_the_interface_language(client, newsroom):
    _, page = notice(client.get("/fr/tag/nothing/"))
    assert page.cssselect(".notice-page__home a")[0].get("href") == "/fr/"
    sections = {words(a): a.get("href") for a in page.cssselect(".notice-page__sections a")}
    assert sections == {"Actualités": "/fr/section/actualites/", "Culture": "/fr/section/culture/"}
    _, page = notice(client.get("/ru/article/nope/"))
    assert page.cssselect(".notice-page__home a")[0].get("href") == "/ru/"
    assert [words(a) for a in page.cssselect(".notice-page__sections a")] == ["Новости"]  # culture has no Russian name


def test_the_arabic_404_is_right_to_left_and_leads_to_the_arabic_home(client, newsroom):
    doc, page = notice(client.get("/ar/article/nope/"))
    assert doc.get("lang") == "ar" and doc.get("dir") == "rtl"
    assert page.cssselect(".notice-page__home a")[0].get("href") == "/ar/"


@pytest.fixture
def failing_article(monkeypatch):
    """The article page fails as a bug would."""
    from babelpress.site import pages

    def broken(*_args):
        raise RuntimeError("a bug")

    monkeypatch.setattr(pages, "article_for_page", broken)


@pytest.mark.parametrize("lang, direction", [("fr", "ltr"), ("ar", "rtl")])
def test_a_server_error_is_a_page_in_the_interface_language(client, newsroom, failing_article, lang, direction):
    client.raise_request_exception = False
    response = client.get(f"/{lang}/article/any-story/")
    assert response.status_code == 500
    doc, page = notice(response)
    assert doc.get("lang") == lang and doc.get("dir") == direction
    assert len(page.cssselect("h1")) == 1 and len(page.cssselect("p.notice-page__message")) == 1
    assert page.cssselect(".notice-page__home a")[0].get("href") == f"/{lang}/"
    assert b"Traceback" not in response.content and b"a bug" not in response.content


def test_the_500_page_reads_nothing_from_the_database(rf, db, django_assert_num_queries):
    from django.utils import translation

    from babelpress.site.views import server_error

    with translation.override("hy"), django_assert_num_queries(0):
        response = server_error(rf.get("/hy/article/x/"))
    assert response.status_code == 500 and b'lang="hy"' in response.content


def test_if_even_the_500_page_fails_a_plain_one_is_sent(rf, db, monkeypatch):
    from django.utils import translation

    from babelpress.site import views

    def broken(*_args, **_kwargs):
        raise ValueError("Missing staticfiles manifest entry")

    monkeypatch.setattr(views, "render", broken)
    with translation.override("fr"):
        response = views.server_error(rf.get("/fr/"))
    assert response.status_code == 500
    doc = lxml.html.fromstring(response.content)
    assert doc.get("lang") == "fr" and doc.cssselect("h1") and doc.cssselect('a[href="/"]')
