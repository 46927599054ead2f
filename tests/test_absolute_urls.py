"""Absolute URLs both ways (babelpress.absolute_urls): our pages' addresses, and the links and
images found in a partner's page or feed."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from babelpress.absolute_urls import absolute_url, resolve

BASE = "https://partner.example/news/2026/story.html"


@pytest.mark.parametrize(("link", "absolute"), [
    ("/photos/bridge.jpg", "https://partner.example/photos/bridge.jpg"),
    ("other.html", "https://partner.example/news/2026/other.html"),
    ("//cdn.example/a.jpg", "https://cdn.example/a.jpg"),
    ("  https://partner.example/a  ", "https://partner.example/a"),
    ("/photos/my bridge.jpg", "https://partner.example/photos/my%20bridge.jpg"),  # as a browser asks for it
    ("/l'été-à-valmont", "https://partner.example/l'été-à-valmont"),  # an apostrophe is a URL character
    ("/a\n/b", "https://partner.example/a/b"),  # tabs and newlines dropped, as browsers do
])
def test_a_partners_link_is_made_absolute(link, absolute):
    assert resolve(link, BASE) == absolute


@pytest.mark.parametrize("link", [
    "javascript:alert(1)", "data:image/png;base64,AAAA", "mailto:desk@partner.example", "ftp://partner.example/a",
    "http://", 'https://partner.example/"onmouseover="x', "https://partner.example/<b>",
    "http://[::1", "", "   ", None, 42,
])
def test_a_link_that_is_not_a_web_address_is_dropped(link):
    assert resolve(link, BASE) is None


def test_a_web_address_needs_a_host():
    assert resolve("https:///path-without-host", None) is None and resolve("https:relative", None) is None


def test_other_schemes_only_when_asked_for():
    assert resolve("mailto:desk@partner.example", BASE, ("http", "https", "mailto")) == "mailto:desk@partner.example"


def test_our_pages_are_on_the_site_url_when_set(settings):
    request = RequestFactory().get("/fr/", HTTP_HOST="localhost:8000")
    settings.SITE_URL = "https://news.example.org"
    assert absolute_url(request, "/fr/a/le-pont/") == "https://news.example.org/fr/a/le-pont/"
    settings.SITE_URL = ""
    assert absolute_url(request, "/fr/a/le-pont/") == "http://localhost:8000/fr/a/le-pont/"
