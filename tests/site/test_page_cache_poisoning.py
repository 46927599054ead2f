"""Nothing one request sends ends up in the page the page cache keeps for everyone else.

Canonical, hreflang, og:url and JSON-LD addresses come from the route and the page number only;
the request's host is used only when BABELPRESS_SITE_URL is unset, and then the cache keys on it.
"""

from __future__ import annotations

import json
import logging
import re
from urllib.parse import quote, urlsplit

import lxml.html
import pytest
from django.core.cache import cache
from django.urls import URLPattern

from babelpress.site import urls as site_urls

SITE = "https://news.example.org"


def addresses(content: bytes) -> list[str]:
    """Every absolute address a page gives of itself: canonical, hreflang, og:url, JSON-LD."""
    doc = lxml.html.fromstring(content)
    found = [link.get("href") for link in doc.cssselect('link[rel="canonical"], link[rel="alternate"]')]
    found += [meta.get("content") for meta in doc.cssselect('meta[property="og:url"]')]
    for script in doc.cssselect('script[type="application/ld+json"]'):
        data = json.loads(script.text)
        found += [data["@id"], data["url"], data["mainEntityOfPage"], data["publisher"]["url"]]
        if "translationOfWork" in data:
            found.append(data["translationOfWork"]["@id"])
    return found


def assert_own_addresses(content: bytes, base: str) -> None:
    """All of the page's addresses are on ``base`` and carry no query but a page number."""
    found = addresses(content)
    assert found, "the page names none of its addresses"
    for address in found:
        assert address.startswith(base + "/"), address
        assert urlsplit(address).query in ("",) or re.fullmatch(r"page=[0-9]+", urlsplit(address).query), address


def canonical(content: bytes) -> str:
    return lxml.html.fromstring(content).cssselect('link[rel="canonical"]')[0].get("href")


@pytest.mark.parametrize("path", ["/fr/section/actualites/", "/fr/tag/transports/", "/fr/"])
def test_a_query_string_never_reaches_the_canonical_link(client, newsroom, page_cache, settings, path):
    settings.SITE_URL = SITE
    poisoned = client.get(path + "?ref=attacker.example/spam")
    assert canonical(poisoned.content) == SITE + path
    clean = client.get(path)
    assert clean.content == poisoned.content
    assert b"attacker.example" not in clean.content


def test_the_page_number_is_the_only_parameter_a_canonical_link_keeps(client, newsroom, page_cache, settings):
    settings.SITE_URL = SITE
    settings.BABELPRESS_PAGE_SIZE = 1
    second = client.get("/fr/section/actualites/?utm_source=x&page=2&ref=spam")
    assert canonical(second.content) == SITE + "/fr/section/actualites/?page=2"
    assert canonical(client.get("/fr/section/actualites/?page=1").content) == SITE + "/fr/section/actualites/"
    assert canonical(client.get("/fr/section/actualites/?page=02").content) == SITE + "/fr/section/actualites/?page=2"


def test_an_odd_port_on_an_allowed_host_does_not_reach_other_readers(client, newsroom, page_cache, settings):
    settings.SITE_URL = ""
    for path in ("/fr/", "/fr/section/actualites/", newsroom.bridge.get_absolute_url()):
        odd = client.get(path, HTTP_HOST="127.0.0.1:6666")
        assert_own_addresses(odd.content, "http://127.0.0.1:6666")  # the asker sees its own host …
        clean = client.get(path)
        assert_own_addresses(clean.content, "http://localhost")  # … and only the asker
        assert b"6666" not in clean.content and b"127.0.0.1" not in clean.content


def test_a_page_asked_for_over_https_is_not_served_over_http(client, newsroom, page_cache, settings):
    # gunicorn believes X-Forwarded-Proto from its allowed proxies: the scheme is the request's too.
    settings.SITE_URL = ""
    url = newsroom.bridge.get_absolute_url()
    assert_own_addresses(client.get(url, secure=True).content, "https://localhost")
    assert_own_addresses(client.get(url).content, "http://localhost")


def test_forwarded_host_headers_are_not_believed(client, newsroom, page_cache, settings):
    settings.SITE_URL = ""
    url = newsroom.bridge.get_absolute_url()
    response = client.get(url, HTTP_X_FORWARDED_HOST="attacker.example", HTTP_FORWARDED="host=attacker.example")
    assert_own_addresses(response.content, "http://localhost")


def test_with_a_site_url_the_host_is_neither_in_the_page_nor_in_the_key(client, newsroom, page_cache, settings):
    settings.SITE_URL = SITE
    url = newsroom.bridge.get_absolute_url()
    client.get(url, HTTP_HOST="127.0.0.1:6666")
    entries = len(cache._cache)
    clean = client.get(url)
    assert len(cache._cache) == entries  # served from the entry the odd host made …
    assert_own_addresses(clean.content, SITE)  # … which never held that host
    assert b"6666" not in clean.content


# --- The sweep: every public URL pattern × every naughty string ---------------------------------

SAMPLES = {  # a real page for each pattern of babelpress/site/urls.py
    "root": {},
    "home": {"lang": "fr"},
    "section": {"lang": "fr", "slug": "actualites"},
    "tag": {"lang": "fr", "slug": "transports"},
    "article": {"lang": "fr", "slug": "le-pont-de-valmont-rouvre"},
    "preview": {"lang": "fr", "token": "signed-in-the-test"},  # the draft's preview (never cached)
    "manifest": {"lang": "fr"},  # JSON with paths only, built once per language
}
ALLOWED = {200, 301, 302, 400, 404}
FORWARDING = ("HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT", "HTTP_X_FORWARDED_PROTO", "HTTP_FORWARDED")
EXTRA = ["127.0.0.1:6666", "6666", "attacker.example", "localhost:6666"]


def _route(pattern: URLPattern, values: dict[str, str]) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: quote(values[m.group(1)], safe=""), str(pattern.pattern))


def _hostile_requests(strings: list[str], only_host: bool = False):
    """(url, headers) putting each of ``strings`` into the Host header, the query, the forwarding
    headers and every path parameter of every pattern. Hostile hosts come first: if the cache mixed
    hosts up, a hostile page would be the one stored for the clean requests that follow. One
    request carries all the strings in its query (four forwarding headers, one string each), so
    the sweep renders a page once per four strings."""
    for s in strings:
        for pattern in site_urls.urlpatterns:
            url = _route(pattern, SAMPLES[pattern.name])
            yield url, {"HTTP_HOST": s}
            yield url, {"HTTP_HOST": f"localhost:{s}"}
    if only_host:
        return
    query = "&".join(f"ref={q}&{q}={q}" for q in (quote(s, safe="") for s in strings))
    for j, pattern in enumerate(site_urls.urlpatterns):
        # Rotated per pattern, so every string is in every forwarding header of some page.
        headers = {FORWARDING[(i + j) % len(FORWARDING)]: s for i, s in enumerate(strings)}
        yield f"{_route(pattern, SAMPLES[pattern.name])}?{query}", headers
    for s in strings:
        for pattern in site_urls.urlpatterns:
            yield f"{_route(pattern, SAMPLES[pattern.name])}?page={quote(s, safe='')}", {}
            for param in SAMPLES[pattern.name]:
                yield _route(pattern, {**SAMPLES[pattern.name], param: s}), {}


# Pages take the route and page number from the URL, and the host only when BABELPRESS_SITE_URL is
# unset: every string goes everywhere in that configuration; with a site URL, into the host.
@pytest.mark.parametrize("site_url", ["", SITE], ids=["host-from-request", "site-url"])
def test_sweep_no_naughty_string_breaks_a_public_page_or_stays_in_a_cached_one(
    client, newsroom, page_cache, settings, naughty_strings, site_url, caplog, monkeypatch
):
    from babelpress.site.preview import make_token

    caplog.set_level(logging.CRITICAL, logger="django.security")  # thousands of refused Host headers
    monkeypatch.setitem(SAMPLES, "preview", {"lang": "fr", "token": make_token(newsroom.draft)})
    assert {p.name for p in site_urls.urlpatterns} == set(SAMPLES), "give every public URL pattern a sample"
    settings.SITE_URL = site_url
    pages = [_route(p, SAMPLES[p.name]) for p in site_urls.urlpatterns if p.name != "root"]
    clean = {}
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        if not page.endswith(".webmanifest"):  # the manifest names no absolute address at all
            assert_own_addresses(response.content, site_url or "http://localhost")
        clean[page] = response.content
    strings = naughty_strings + EXTRA
    for chunk in (strings[n : n + len(FORWARDING)] for n in range(0, len(strings), len(FORWARDING))):
        cache.clear()  # hostile requests fill the cache first …
        stored = False
        for url, headers in _hostile_requests(chunk, only_host=bool(site_url)):
            response = client.get(url, **headers)
            assert response.status_code in ALLOWED, (chunk, url, headers, response.status_code)
            stored = stored or response.status_code == 200
        for page in pages if stored else ():  # … and readers arriving after them get the clean pages
            assert client.get(page).content == clean[page], (chunk, page)
