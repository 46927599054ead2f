"""The icons and the web manifest: /favicon.ico answers, every page links its icons and its
language's manifest, and the manifest names the site in that language, right-to-left included."""

from __future__ import annotations

import importlib.util
import json
import re
import struct
from pathlib import Path

import lxml.html
import pytest

from babelpress.site import icons

ROOT = Path(__file__).resolve().parents[2]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_favicon_ico_answers_at_the_root_with_three_sizes_kept_a_week(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    assert response["Cache-Control"] == "public, max-age=604800"
    data = body(response)
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = []
    for n in range(count):
        width, height, _c, _r, _planes, _bits, length, offset = struct.unpack("<BBBBHHII", data[6 + 16 * n: 22 + 16 * n])
        assert png_size(data[offset: offset + length]) == (width, height)
        sizes.append(width)
    assert sizes == [16, 32, 48]


def test_ios_finds_its_icon_at_the_root_too(client, db):
    response = client.get("/apple-touch-icon.png")
    assert response.status_code == 200 and png_size(body(response)) == (180, 180)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_every_page_links_the_icons_its_manifest_and_the_theme_colour(client, newsroom, lang):
    doc = lxml.html.fromstring(client.get(f"/{lang}/").content)
    head = doc.find("head")
    links = {(link.get("rel"), link.get("type")): link.get("href") for link in head.cssselect("link")}
    assert links[("manifest", None)] == f"/{lang}/manifest.webmanifest"
    assert links[("icon", "image/svg+xml")].endswith("/babelpress/icons/favicon.svg")
    assert links[("icon", None)].endswith("/babelpress/icons/favicon.ico")
    assert links[("apple-touch-icon", None)].endswith("/babelpress/icons/apple-touch-icon.png")
    for href in (links[("icon", "image/svg+xml")], links[("icon", None)], links[("apple-touch-icon", None)]):
        assert client.get(href).status_code == 200, href
    assert head.cssselect('meta[name="theme-color"]')[0].get("content") == icons.THEME_COLOUR


def test_the_error_pages_link_them_too(client, newsroom):
    doc = lxml.html.fromstring(client.get("/fr/article/no-such-story/").content)
    assert doc.cssselect('head link[rel="manifest"]')[0].get("href") == "/fr/manifest.webmanifest"


def manifest(client, lang: str):
    response = client.get(f"/{lang}/manifest.webmanifest")
    assert response.status_code == 200
    return response, json.loads(response.content)


@pytest.mark.parametrize("lang, direction", [("fr", "ltr"), ("hy", "ltr"), ("ar", "rtl")])
def test_the_manifest_speaks_the_language_of_its_address(client, newsroom, lang, direction, settings):
    response, data = manifest(client, lang)
    assert response["Content-Type"] == "application/manifest+json"
    assert data["lang"] == lang and data["dir"] == direction
    assert data["start_url"] == f"/{lang}/" and data["scope"] == "/"
    assert data["name"] == settings.SITE_NAME
    # Its description is the home page's own heading, in the same words.
    home = lxml.html.fromstring(client.get(f"/{lang}/").content)
    assert data["description"] == home.cssselect("h1")[0].text_content().strip()
    assert data["theme_color"] == icons.THEME_COLOUR and data["background_color"] == icons.BACKGROUND_COLOUR


def test_the_manifest_icons_exist_at_the_sizes_it_says(client, newsroom):
    _, data = manifest(client, "fr")
    purposes = set()
    for icon in data["icons"]:
        response = client.get(icon["src"])
        assert response.status_code == 200 and response["Content-Type"] == icon["type"], icon
        if icon["type"] == "image/png":
            width, height = png_size(body(response))
            assert icon["sizes"] == f"{width}x{height}"
        purposes.add(icon["purpose"])
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in data["icons"]}
    assert purposes == {"any", "maskable"}


def test_the_manifest_is_kept_a_day_revalidated_by_etag_and_costs_no_query(client, newsroom,
                                                                            django_assert_num_queries):
    first, _ = manifest(client, "fr")
    assert first["Cache-Control"] == "public, max-age=86400"
    with django_assert_num_queries(0):
        again = client.get("/fr/manifest.webmanifest", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_the_colours_are_the_stylesheets():
    css = (ROOT / "babelpress/site/static/babelpress/site.css").read_text()
    variables = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))
    assert icons.THEME_COLOUR == variables["accent"] and icons.BACKGROUND_COLOUR == variables["paper"]
    base = (ROOT / "babelpress/site/templates/base.html").read_text()
    assert f'<meta name="theme-color" content="{icons.THEME_COLOUR}">' in base


def test_the_committed_icons_are_what_the_script_draws():
    spec = importlib.util.spec_from_file_location("make_icons", ROOT / "scripts/make_icons.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.FOLDER == icons.FOLDER
    assert (icons.FOLDER / "favicon.svg").read_text() == script.svg()
    assert bytes(script.ACCENT).hex() == icons.THEME_COLOUR[1:] and bytes(script.PAPER).hex() == icons.BACKGROUND_COLOUR[1:]
    assert (icons.FOLDER / "favicon.ico").read_bytes() == script.ico()  # the small ones are cheap to redraw
