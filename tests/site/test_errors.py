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
