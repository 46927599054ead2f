"""Public pages are sent in gzip or brotli to the readers who ask for it, in identity to the others,
compressed once per stored page; validators work for each variant (babelpress/site/compression.py)."""

from __future__ import annotations

import gzip

import brotli
import pytest
from django.core.cache import cache

from babelpress.site import compression
from babelpress.site.compression import negotiate
from babelpress.site.preview import preview_path

DECODE = {None: lambda body: body, "gzip": gzip.decompress, "br": brotli.decompress}


@pytest.fixture(params=["stored", "per response"])
def path(request, settings):
    """Each test runs with the page cache (bodies compressed when stored) and without (per response)."""
    settings.BABELPRESS_PAGE_CACHE = request.param == "stored"
    cache.clear()
    yield request.param
    cache.clear()


def identity_of(client, url) -> bytes:
    response = client.get(url)
    assert "Content-Encoding" not in response
    return response.content


def vary(response) -> set[str]:
    return {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}


@pytest.mark.parametrize(
    "accept, coding",
    [
        ("br", "br"),
        ("gzip", "gzip"),
        ("gzip, deflate, br", "br"),  # both: brotli preferred
        ("br;q=0.5, gzip", "gzip"),  # unless the reader prefers gzip
        ("gzip;q=0.8, br;q=0.8", "br"),
        ("x-gzip", "gzip"),
        ("*", "br"),
        ("br;q=0, *", "gzip"),
        ("identity;q=0, gzip", "gzip"),
        ("identity", None),
        ("gzip;q=0, br;q=0", None),
        ("deflate", None),
        ("", None),
        (None, None),  # no Accept-Encoding at all
        ("zstd, identity;q=0", None),  # nothing we have is acceptable: identity all the same
        ("br;q=abc", None),  # malformed: ignored
    ],
)
def test_the_body_comes_in_the_coding_the_reader_accepts(client, newsroom, path, accept, coding):
    url = newsroom.bridge.get_absolute_url()
    headers = {} if accept is None else {"HTTP_ACCEPT_ENCODING": accept}
    response = client.get(url, **headers)
    assert response.status_code == 200
    assert response.get("Content-Encoding") == coding
    assert int(response["Content-Length"]) == len(response.content)
    assert "accept-encoding" in vary(response)  # another reader may get another body
    assert DECODE[coding](response.content) == identity_of(client, url)


def test_vary_keeps_the_values_it_had(client, newsroom, path):
    response = client.get("/fr/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip" and "accept-encoding" in vary(response)
    not_found = client.get("/doesnotexist/", HTTP_ACCEPT_ENCODING="br")  # no language in the path
    assert {"accept-encoding", "accept-language"} <= vary(not_found)


def test_every_page_type_and_the_404_page_are_compressed(client, newsroom, path):
    for url in ("/fr/", "/fr/section/actualites/", newsroom.bridge.get_absolute_url(), "/fr/article/nothing-here/"):
        response = client.get(url, HTTP_ACCEPT_ENCODING="br")
        assert response["Content-Encoding"] == "br", url
        assert b"</html>" in brotli.decompress(response.content), url


def test_a_compressed_body_never_reaches_a_reader_who_did_not_ask_whoever_came_first(client, newsroom, page_cache):
    url = newsroom.bridge.get_absolute_url()
    first = client.get(url, HTTP_ACCEPT_ENCODING="br")
    assert first["Content-Encoding"] == "br"  # stored now
    for accept in (None, "identity", "gzip;q=0, br;q=0"):
        plain = client.get(url, **({} if accept is None else {"HTTP_ACCEPT_ENCODING": accept}))
        assert "Content-Encoding" not in plain and plain.content.lower().startswith(b"<!doctype html>"), accept
    assert client.get(url, HTTP_ACCEPT_ENCODING="gzip")["Content-Encoding"] == "gzip"


def test_a_stored_page_is_compressed_once_not_per_request(client, newsroom, page_cache, monkeypatch):
    calls = []
    real = compression.encode
    monkeypatch.setattr(compression, "encode", lambda body, coding, levels: calls.append(coding) or real(body, coding, levels))
    url = newsroom.bridge.get_absolute_url()
    for accept in ("gzip", "br", "gzip, br", "identity", "br", "gzip"):
        client.get(url, HTTP_ACCEPT_ENCODING=accept)
        client.head(url, HTTP_ACCEPT_ENCODING=accept)
    assert sorted(calls) == ["br", "gzip"]  # each coding once, when the page was stored
    newsroom.bridge.headline = "Le pont de Valmont rouvre enfin"
    newsroom.bridge.save()  # a new content version: the page is stored, and compressed, again
    client.get(url, HTTP_ACCEPT_ENCODING="br")
    client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert sorted(calls) == ["br", "br", "gzip", "gzip"]


def test_a_stored_page_no_coding_makes_smaller_is_sent_in_identity_and_never_compressed_again(
    client, newsroom, page_cache, monkeypatch
):
    calls = []
    monkeypatch.setattr(compression, "encode", lambda body, coding, levels: calls.append(coding) or body + b"more")
    url = newsroom.bridge.get_absolute_url()
    for _ in range(3):
        response = client.get(url, HTTP_ACCEPT_ENCODING="br, gzip")
        assert "Content-Encoding" not in response and response.content.lower().startswith(b"<!doctype html>")
    assert sorted(calls) == ["br", "gzip"]  # tried once when stored, not per request after that


def test_a_stored_page_is_sent_as_stored(client, newsroom, page_cache):
    url = newsroom.bridge.get_absolute_url()
    first = client.get(url, HTTP_ACCEPT_ENCODING="br")  # the miss that stores the page
    hit = client.get(url, HTTP_ACCEPT_ENCODING="br")
    assert hit.content == first.content
    for header in ("ETag", "Content-Length", "Content-Encoding", "Vary", "Last-Modified", "Cache-Control"):
        assert hit[header] == first[header], header


# --- Validators per variant ----------------------------------------------------------------------


def test_each_variant_has_its_own_etag_named_after_the_identity_body(client, newsroom, path):
    url = newsroom.bridge.get_absolute_url()
    tags = {accept: client.get(url, HTTP_ACCEPT_ENCODING=accept)["ETag"] for accept in ("identity", "gzip", "br")}
    plain = tags["identity"]
    assert plain == compression.etag_for(identity_of(client, url))
    weak = "W/" if path == "per response" else ""  # compressed per response: the same page, not the same bytes
    assert tags["gzip"] == f'{weak}{plain[:-1]}-gzip"'
    assert tags["br"] == f'{weak}{plain[:-1]}-br"'


@pytest.mark.parametrize("accept", ["identity", "gzip", "br"])
def test_if_none_match_gets_304_for_the_variant_the_reader_has(client, newsroom, path, accept):
    url = newsroom.bridge.get_absolute_url()
    first = client.get(url, HTTP_ACCEPT_ENCODING=accept)
    again = client.get(url, HTTP_ACCEPT_ENCODING=accept, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    assert "accept-encoding" in vary(again) and "Content-Encoding" not in again


@pytest.mark.parametrize("had, asks", [("gzip", "br"), ("br", "identity"), ("identity", "gzip")])
def test_another_variants_etag_gets_the_whole_page(client, newsroom, path, had, asks):
    url = newsroom.bridge.get_absolute_url()
    stored = client.get(url, HTTP_ACCEPT_ENCODING=had)["ETag"]
    response = client.get(url, HTTP_ACCEPT_ENCODING=asks, HTTP_IF_NONE_MATCH=stored)
    assert response.status_code == 200
    assert response.get("Content-Encoding") == (None if asks == "identity" else asks)


def test_a_cache_holding_every_variant_gets_304_naming_the_right_one(client, newsroom, path):
    url = newsroom.bridge.get_absolute_url()
    tags = [client.get(url, HTTP_ACCEPT_ENCODING=accept)["ETag"] for accept in ("identity", "gzip", "br")]
    again = client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=", ".join(tags))
    assert again.status_code == 304 and again["ETag"] == tags[1]


@pytest.mark.parametrize("accept", ["identity", "gzip", "br"])
def test_if_modified_since_gets_304_in_every_variant(client, newsroom, path, accept):
    url = newsroom.bridge.get_absolute_url()
    first = client.get(url, HTTP_ACCEPT_ENCODING=accept)
    again = client.get(url, HTTP_ACCEPT_ENCODING=accept, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304 and "Content-Encoding" not in again


def test_an_edit_changes_every_variants_etag(client, newsroom, path):
    url = newsroom.bridge.get_absolute_url()
    first = client.get(url, HTTP_ACCEPT_ENCODING="br")
    newsroom.bridge.headline = "Le pont de Valmont rouvre enfin"
    newsroom.bridge.save()
    again = client.get(url, HTTP_ACCEPT_ENCODING="br", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and "rouvre enfin" in brotli.decompress(again.content).decode()


@pytest.mark.parametrize("accept, coding", [("gzip", "gzip"), ("br", "br"), (None, None)])
def test_head_sends_the_headers_of_the_same_get(client, newsroom, path, accept, coding):
    url = newsroom.bridge.get_absolute_url()
    headers = {} if accept is None else {"HTTP_ACCEPT_ENCODING": accept}
    head = client.head(url, **headers)
    get = client.get(url, **headers)
    assert head.status_code == 200 and head.content == b""
    assert head.get("Content-Encoding") == coding
    for header in ("Content-Length", "ETag", "Vary", "Content-Type"):
        assert head[header] == get[header], header


# --- What is never compressed --------------------------------------------------------------------


def test_pages_with_a_csrf_token_or_a_reader_of_their_own_are_not_compressed(client, newsroom, admin_client):
    login = client.get("/admin/login/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert login.status_code == 200 and b"csrfmiddlewaretoken" in login.content
    assert "Content-Encoding" not in login and "accept-encoding" not in vary(login)
    admin = admin_client.get("/admin/newsroom/article/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert admin.status_code == 200 and "Content-Encoding" not in admin
    preview = client.get(preview_path(newsroom.draft), HTTP_ACCEPT_ENCODING="gzip, br")
    assert preview.status_code == 200 and "Content-Encoding" not in preview


def test_tiny_responses_are_not_compressed(client, newsroom, path):
    redirect = client.get("/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert redirect.status_code == 302 and "Content-Encoding" not in redirect
    assert "accept-encoding" not in vary(redirect)


@pytest.mark.parametrize(
    "accept, available, coding",
    [
        ("br, gzip", ("identity",), "identity"),  # a tiny page stored without compressed bodies
        ("br, gzip", ("identity", "gzip"), "gzip"),
        ("BR", ("identity", "gzip", "br"), "br"),
        ("gzip;q=1.0, br;q=0.999", ("identity", "gzip", "br"), "gzip"),
        ("gzip;q=0.1", ("identity", "gzip"), "gzip"),  # identity not named: it comes last
        ("gzip;q=0.1, identity;q=0.5", ("identity", "gzip"), "identity"),
        ("*;q=0", ("identity", "gzip", "br"), "identity"),  # refuses all: identity all the same
        ("br;q=2", ("identity", "br"), "identity"),  # q above 1 is no q-value
    ],
)
def test_negotiation(accept, available, coding):
    assert negotiate(accept, available) == coding
