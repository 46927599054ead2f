"""Public pages exist in content languages only (docs/decisions.md, "Public pages only in content
languages"). Arabic is one by default; a language the interface is offered in without content (an
interface-only language) has no public prefix, and nothing on the public site leads to one."""

from __future__ import annotations

import lxml.html
import pytest


def doc_of(response):
    return lxml.html.fromstring(response.content)


def addresses(doc) -> list[str]:
    return [e.get("href") for e in doc.cssselect("a[href], link[href]")]


def test_arabic_is_a_content_language_and_a_browser_asking_for_it_gets_the_arabic_site(client, newsroom, settings):
    assert "ar" in settings.BABELPRESS_CONTENT_LANGUAGES
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ar-EG,ar;q=0.9,fr;q=0.5")
    assert response.status_code == 302 and response["Location"] == "/ar/"
    doc = doc_of(client.get("/fr/"))
    assert "/ar/" in [a.get("href") for a in doc.cssselect("nav.language-picker a")]


@pytest.fixture
def arabic_interface_only(settings):
    """Arabic offered in the interface only, as a newsroom without Arabic stories would set it."""
    settings.BABELPRESS_CONTENT_LANGUAGES = [code for code in settings.BABELPRESS_CONTENT_LANGUAGES if code != "ar"]
    assert "ar" in settings.BABELPRESS_UI_LANGUAGES


@pytest.mark.parametrize("path", ["/ar/", "/ar/section/news/", "/ar/tag/transports/", "/ar/article/le-pont-de-valmont-rouvre/"])
def test_an_interface_only_language_has_no_public_pages(client, newsroom, arabic_interface_only, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="ar")

    assert response.status_code == 404
    doc = doc_of(response)
    # The 404 page speaks a content language, so that its own links lead to pages that exist.
    assert doc.get("lang") == "fr"
    assert not [href for href in addresses(doc) if href.startswith("/ar/")]


def test_nothing_on_the_public_site_leads_to_an_interface_only_language(client, newsroom, arabic_interface_only):
    for path in ("/fr/", "/fr/section/actualites/", "/fr/tag/transports/", newsroom.bridge.get_absolute_url()):
        doc = doc_of(client.get(path))
        assert not [href for href in addresses(doc) if "/ar/" in href], path
        assert "ar" not in {e.get("hreflang") for e in doc.cssselect("[hreflang]")}, path


def test_slash_chooses_among_content_languages_only(client, newsroom, arabic_interface_only):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ar,en;q=0.5")["Location"] == "/en/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ar")["Location"] == "/fr/"  # the default language


def test_the_admin_still_speaks_an_interface_only_language(client, newsroom, arabic_interface_only):
    doc = doc_of(client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="ar"))
    assert (doc.get("lang"), doc.get("dir")) == ("ar", "rtl")


def test_a_version_in_a_language_no_longer_published_in_is_not_offered(client, newsroom, settings):
    settings.BABELPRESS_CONTENT_LANGUAGES = ["fr", "en", "ru", "ar"]  # Armenian dropped; bridge_hy stays in the database

    doc = doc_of(client.get(newsroom.bridge.get_absolute_url()))

    assert "hy" not in {e.get("hreflang") for e in doc.cssselect("[hreflang]")}
    assert not [href for href in addresses(doc) if "/hy/" in href]
    assert client.get(newsroom.bridge_hy.get_absolute_url()).status_code == 404
