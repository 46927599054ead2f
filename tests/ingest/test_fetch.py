"""babelpress.ingest.fetch against a local server: limits, redirects, robots.txt, charsets and the
SSRF guard. The network jail in conftest fails any test that tries to reach beyond loopback."""

from __future__ import annotations

import gzip
import runpy
import ssl
import threading
import time
import tracemalloc
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

import babelpress
from babelpress import __version__
from babelpress.ingest import fetch as fetch_module
from babelpress.ingest import robots, ssrf
from babelpress.ingest.fetch import (
    BadContentType,
    ContentDecodingError,
    EmptyResponse,
    FetchError,
    ForbiddenAddress,
    HTTPStatusError,
    InvalidURL,
    RobotsDisallowed,
    Timeout,
    TLSError,
    TooLarge,
    TooManyRedirects,
    USER_AGENT,
    decode_bytes,
    fetch,
)

from .conftest import SLOW_HEADERS, gzip_bomb

HTML = "<!doctype html><html><head><title>t</title></head><body><p>{}</p></body></html>"
LOCAL = ["127.0.0.1/32"]  # what a deployment would open for one partner on its own network


# --- Basics --------------------------------------------------------------------------------------


def test_fetches_a_page_with_a_clear_user_agent(server):
    server.html("/a", HTML.format("Bonjour"), headers={"ETag": '"v1"', "Last-Modified": "Tue, 03 Mar 2024 10:00:00 GMT"})
    result = fetch(server.url("/a"), allow_private=True)
    assert result.status == 200 and not result.not_modified
    assert result.url == server.url("/a")
    assert "Bonjour" in result.text and result.encoding == "utf-8" and result.content_type == "text/html"
    assert result.etag == '"v1"' and result.last_modified == "Tue, 03 Mar 2024 10:00:00 GMT"
    seen = server.requests[-1]
    assert seen.headers["user-agent"] == USER_AGENT == f"Babelpress/{__version__} (+https://github.com/babelpress)"
    assert seen.headers["accept-encoding"] == "gzip, deflate"
    assert seen.headers["host"] == f"127.0.0.1:{server.port}"
    assert "text/html" in seen.headers["accept"]


def test_allow_private_defaults_to_the_setting(server, settings):
    server.html("/a", HTML.format("x"))
    settings.BABELPRESS_IMPORT_ALLOW_PRIVATE = False
    with pytest.raises(ForbiddenAddress):
        fetch(server.url("/a"))
    assert server.requests == []
    settings.BABELPRESS_IMPORT_ALLOW_PRIVATE = True
    assert fetch(server.url("/a")).status == 200


def test_conditional_get_gives_not_modified(server, allow_private):
    server.route("/feed", 304, headers={"ETag": '"v2"'})
    result = fetch(server.url("/feed"), etag='"v2"', last_modified="Tue, 03 Mar 2024 10:00:00 GMT")
    assert result.not_modified and result.status == 304 and result.content == b""
    assert result.etag == '"v2"'
    # the validators we sent stay valid when the server does not repeat them
    assert result.last_modified == "Tue, 03 Mar 2024 10:00:00 GMT"
    seen = server.requests[-1].headers
    assert seen["if-none-match"] == '"v2"' and seen["if-modified-since"] == "Tue, 03 Mar 2024 10:00:00 GMT"


def test_http_errors_say_what_happened(server, allow_private):
    server.route("/gone", 404, body=b"nope", headers={"Content-Type": "text/plain"})
    server.route("/busy", 503, body=b"busy", headers={"Retry-After": "120"})
    with pytest.raises(HTTPStatusError) as missing:
        fetch(server.url("/gone"))
    assert missing.value.status == 404 and missing.value.reason_code == "http_status"
    assert "404" in str(missing.value) and "check the address" in str(missing.value)
    with pytest.raises(HTTPStatusError) as busy:
        fetch(server.url("/busy"))
    assert busy.value.status == 503 and busy.value.retry_after == "120" and "try again later" in str(busy.value)


def test_empty_response_is_refused(server, allow_private):
    server.route("/empty", 200, body=b"  \n", headers={"Content-Type": "text/html"})
    with pytest.raises(EmptyResponse) as caught:
        fetch(server.url("/empty"))
    assert caught.value.reason_code == "empty_response" and caught.value.url == server.url("/empty")


def test_content_type_can_be_required(server, allow_private):
    server.html("/page", HTML.format("not a feed"))
    with pytest.raises(BadContentType) as caught:
        fetch(server.url("/page"), accept=fetch_module.FEED_ACCEPT,
              content_types=["application/rss+xml", "application/atom+xml", "application/xml", "text/xml"])
    assert "text/html" in str(caught.value)
    assert fetch(server.url("/page"), content_types=["text/*"]).status == 200


# --- Limits --------------------------------------------------------------------------------------


def test_hanging_server_times_out(server, allow_private):
    server.route("/hang", delay=10, body=b"late")
    start = time.monotonic()
    with pytest.raises(Timeout) as caught:
        fetch(server.url("/hang"), timeout=0.5)
    assert time.monotonic() - start < 3
    assert caught.value.reason_code == "timeout" and "try again later" in str(caught.value)


def test_dripping_server_hits_the_total_budget(server, allow_private):
    # Each byte comes well within the read timeout; only the wall-clock budget can stop this.
    server.route("/drip", body=[b"<p>x</p>"] * 100, drip=0.05, headers={"Content-Type": "text/html"})
    start = time.monotonic()
    with pytest.raises(Timeout):
        fetch(server.url("/drip"), timeout=2, total_timeout=0.6)
    assert time.monotonic() - start < 3


def test_headers_dribbled_a_byte_at_a_time_hit_the_total_budget(dribbling_server, allow_private):
    # Every byte arrives well within the read timeout: only a deadline over connect, headers and
    # body stops this (before, such a fetch ran until the server gave up, i.e. forever).
    slow = dribbling_server(SLOW_HEADERS, interval=0.05)
    start = time.monotonic()
    with pytest.raises(Timeout) as caught:
        fetch(slow.url("/story"), timeout=0.5, total_timeout=1, respect_robots=False)
    elapsed = time.monotonic() - start
    assert 0.9 < elapsed < 1.8, f"stopped after {elapsed:.2f} s, budget 1 s"
    assert caught.value.reason_code == "timeout" and caught.value.url == slow.url("/story")
    assert "longer than the 1 s allowed" in str(caught.value)
    assert "Try again later" in str(caught.value) and "BABELPRESS_IMPORT_FETCH_BUDGET" in str(caught.value)


def test_a_dribbling_robots_txt_spends_the_same_budget(dribbling_server, allow_private):
    slow = dribbling_server(SLOW_HEADERS, interval=0.05)  # robots.txt comes from the same slow server
    start = time.monotonic()
    with pytest.raises(Timeout) as caught:
        fetch(slow.url("/story"), timeout=0.5, total_timeout=1)
    assert time.monotonic() - start < 1.8
    assert "longer than the 1 s allowed" in str(caught.value)
    assert slow.connections == 1  # the page itself was never asked for


def test_a_silent_server_is_cut_by_the_budget_before_its_read_timeout(server, allow_private):
    server.route("/hang", delay=10, body=b"late")
    start = time.monotonic()
    with pytest.raises(Timeout) as caught:
        fetch(server.url("/hang"), timeout=30, total_timeout=0.5)
    assert time.monotonic() - start < 1.5 and "0.5 s allowed" in str(caught.value)


def test_server_stalling_mid_body_times_out(server, allow_private):
    server.route("/stall", body=[b"<p>start</p>", b"<p>end</p>"], drip=3, headers={"Content-Type": "text/html"})
    with pytest.raises(Timeout):
        fetch(server.url("/stall"), timeout=0.5)


def test_truncated_body_is_a_connection_error(server, allow_private):
    # Content-Length promises more than is sent, then the connection closes.
    server.route("/cut", body=[b"<p>only this</p>"], headers={"Content-Type": "text/html", "Content-Length": "5000"})
    with pytest.raises(FetchError) as caught:
        fetch(server.url("/cut"))
    assert caught.value.reason_code == "protocol_error"


def test_body_larger_than_the_limit_is_refused(server, allow_private):
    server.route("/big", body=b"x" * 200_000, headers={"Content-Type": "text/html"})
    with pytest.raises(TooLarge) as caught:
        fetch(server.url("/big"), max_bytes=100_000)
    assert "100,000 bytes" in str(caught.value) and "max_bytes" in str(caught.value)


def test_body_without_length_is_cut_while_streaming(server, allow_private):
    server.route("/stream", body=[b"x" * 10_000] * 50, headers={"Content-Type": "text/html"})
    with pytest.raises(TooLarge):
        fetch(server.url("/stream"), max_bytes=100_000)


def test_gzip_bomb_is_refused_without_inflating_it(server, allow_private):
    bomb = gzip_bomb(inflated_mb=1024)  # about 1 MB on the wire, 1 GiB inflated
    server.route("/bomb", body=bomb, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})
    tracemalloc.start()
    try:
        with pytest.raises(TooLarge) as caught:
            fetch(server.url("/bomb"), max_bytes=2_000_000)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "decompressed" in str(caught.value)
    assert peak < 40_000_000, f"peak memory {peak:,} bytes: the bomb was inflated"


def test_deflate_bomb_is_refused_too(server, allow_private):
    body = zlib.compress(b"\0" * 50_000_000, 9)
    server.route("/bomb", body=body, headers={"Content-Type": "text/html", "Content-Encoding": "deflate"})
    with pytest.raises(TooLarge):
        fetch(server.url("/bomb"), max_bytes=1_000_000)


@pytest.mark.parametrize("encoding, compress", [
    ("gzip", gzip.compress),
    ("deflate", zlib.compress),
    ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, as some servers send it
])
def test_compressed_bodies_are_decoded(server, allow_private, encoding, compress):
    page = HTML.format("Ереван " * 100).encode()
    server.route("/z", body=compress(page), headers={"Content-Type": "text/html; charset=utf-8", "Content-Encoding": encoding})
    assert fetch(server.url("/z")).content == page


def test_unrequested_content_encoding_is_refused(server, allow_private):
    server.route("/br", body=b"\x1b\x00\x00", headers={"Content-Type": "text/html", "Content-Encoding": "br"})
    with pytest.raises(ContentDecodingError) as caught:
        fetch(server.url("/br"))
    assert "'br'" in str(caught.value)


# --- Redirects -----------------------------------------------------------------------------------


def test_redirects_are_followed_and_recorded(server, allow_private):
    server.route("/old", 301, headers={"Location": "/mid"})
    server.route("/mid", 302, headers={"Location": server.url("/new")})
    server.html("/new", HTML.format("here"))
    result = fetch(server.url("/old"))
    assert result.url == server.url("/new")
    assert result.redirects == [(301, server.url("/mid")), (302, server.url("/new"))]


def test_redirect_limit(server, allow_private):
    for i in range(10):
        server.route(f"/r{i}", 302, headers={"Location": f"/r{i + 1}"})
    with pytest.raises(TooManyRedirects) as caught:
        fetch(server.url("/r0"), max_redirects=5)
    assert "more than 5 times" in str(caught.value)
    assert "/r6" not in server.paths()


def test_redirect_loop_is_reported(server, allow_private):
    server.route("/a", 302, headers={"Location": "/b"})
    server.route("/b", 302, headers={"Location": "/a"})
    with pytest.raises(TooManyRedirects) as caught:
        fetch(server.url("/a"))
    assert "loop" in str(caught.value)


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://example.com/x", "gopher://127.0.0.1:70/_x"])
def test_redirect_to_another_scheme_is_refused(server, allow_private, target):
    server.route("/go", 302, headers={"Location": target})
    with pytest.raises(InvalidURL) as caught:
        fetch(server.url("/go"))
    assert caught.value.reason_code == "unsupported_scheme"


# --- robots.txt ----------------------------------------------------------------------------------


def test_robots_disallow_is_respected(server, allow_private):
    server.route("/robots.txt", body=b"User-agent: Babelpress\nDisallow: /private/\n\nUser-agent: *\nDisallow: /\n",
                 headers={"Content-Type": "text/plain"})
    server.html("/private/a", HTML.format("secret"))
    server.html("/public", HTML.format("open"))
    with pytest.raises(RobotsDisallowed) as caught:
        fetch(server.url("/private/a"))
    assert "robots.txt" in str(caught.value) and "Babelpress" in str(caught.value)
    assert "/private/a" not in server.paths()
    assert fetch(server.url("/public")).status == 200  # our group allows it, "*" would not
    assert server.paths().count("/robots.txt") == 1  # cached per host
    assert fetch(server.url("/private/a"), respect_robots=False).status == 200


def test_robots_disallow_applies_after_a_redirect(server, allow_private):
    server.route("/robots.txt", body=b"User-agent: *\nDisallow: /members/\n", headers={"Content-Type": "text/plain"})
    server.route("/teaser", 302, headers={"Location": "/members/story"})
    server.html("/members/story", HTML.format("paywalled"))
    with pytest.raises(RobotsDisallowed):
        fetch(server.url("/teaser"))
    assert "/members/story" not in server.paths()


def test_robots_missing_means_allowed(server, allow_private):
    server.html("/a", HTML.format("x"))  # /robots.txt is a 404 on this server
    result = fetch(server.url("/a"))
    assert result.status == 200 and result.warnings == []


def test_robots_server_error_is_allowed_with_a_warning(server, allow_private, caplog):
    server.route("/robots.txt", 503, body=b"down")
    server.html("/a", HTML.format("x"))
    result = fetch(server.url("/a"))
    assert result.status == 200
    assert any("robots.txt could not be read" in w for w in result.warnings)
    assert "robots.txt could not be read" in caplog.text


def test_robots_timeout_is_allowed_with_a_warning(server, allow_private, monkeypatch):
    monkeypatch.setattr(robots, "ROBOTS_TIMEOUT", 0.3)
    server.route("/robots.txt", delay=5, body=b"User-agent: *\nDisallow: /\n")
    server.html("/a", HTML.format("x"))
    result = fetch(server.url("/a"))
    assert result.status == 200 and "timeout" in result.warnings[0]


def test_robots_txt_is_size_limited(server, allow_private):
    server.route("/robots.txt", body=b"# " + b"x" * (robots.ROBOTS_MAX_BYTES + 10) + b"\nUser-agent: *\nDisallow: /\n")
    server.html("/a", HTML.format("x"))
    result = fetch(server.url("/a"))
    assert result.status == 200 and "too_large" in result.warnings[0]


# --- Charsets ------------------------------------------------------------------------------------

RUSSIAN = "Правительство Армении сегодня объявило о новом законе о печати и свободе слова. " * 5


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}<title>t</title></head><body><p>{body}</p></body></html>"


@pytest.mark.parametrize("name, body, content_type, expected_codec", [
    ("declared in HTTP", page(RUSSIAN).encode("cp1251"), "text/html; charset=windows-1251", "cp1251"),
    ("declared, quoted", page(RUSSIAN).encode("koi8-r"), 'text/html; charset="KOI8-R"', "koi8-r"),
    ("BOM beats the header", b"\xef\xbb\xbf" + page(RUSSIAN).encode(), "text/html; charset=iso-8859-1", "utf-8"),
    ("UTF-16 BOM", page(RUSSIAN).encode("utf-16"), "text/html", "utf-16"),
    ("meta charset", page(RUSSIAN, '<meta charset="windows-1251">').encode("cp1251"), "text/html", "cp1251"),
    ("meta http-equiv", page(RUSSIAN, '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">').encode("koi8-r"),
     "text/html", "koi8-r"),
    ("XML declaration", ('<?xml version="1.0" encoding="windows-1251"?><rss><channel><title>' + RUSSIAN
                         + "</title></channel></rss>").encode("cp1251"), "application/xml", "cp1251"),
    ("missing, UTF-8", page(RUSSIAN).encode(), "text/html", "utf-8"),
    ("missing, legacy bytes sniffed", page(RUSSIAN).encode("cp1251"), "text/html", "cp1251"),
    ("wrong: latin-1 declared on UTF-8", page(RUSSIAN).encode(), "text/html; charset=iso-8859-1", "utf-8"),
    ("wrong: UTF-8 declared on cp1251 with meta", page(RUSSIAN, '<meta charset="windows-1251">').encode("cp1251"),
     "text/html; charset=utf-8", "cp1251"),
    ("unknown label ignored", page(RUSSIAN).encode(), "text/html; charset=utf-bogus", "utf-8"),
])
def test_charsets(server, allow_private, name, body, content_type, expected_codec):
    server.route("/p", body=body, headers={"Content-Type": content_type})
    result = fetch(server.url("/p"))
    assert result.encoding == expected_codec, name
    assert RUSSIAN.strip() in result.text, name


def test_latin1_label_decodes_as_windows_1252():
    # Browsers read "iso-8859-1" as windows-1252: curly quotes and the euro sign survive.
    text, codec = decode_bytes("“Prix : 5 €”".encode("cp1252"), "text/html; charset=ISO-8859-1")
    assert text == "“Prix : 5 €”" and codec == "cp1252"


def test_binary_content_is_not_decoded(server, allow_private):
    server.route("/img", body=b"\x89PNG\r\n\x1a\n" + bytes(range(256)), headers={"Content-Type": "image/png"})
    result = fetch(server.url("/img"))
    assert result.text == "" and result.encoding is None and result.content.startswith(b"\x89PNG")


# --- The SSRF guard ------------------------------------------------------------------------------

FORBIDDEN = [
    "http://127.0.0.1:{port}/",
    "http://localhost:{port}/",
    "http://10.0.0.1/",
    "http://10.255.255.254:8080/",
    "http://172.16.0.1/",
    "http://172.31.255.1/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://224.0.0.1/",
    "http://0.0.0.0:{port}/",
    "http://[::1]:{port}/",
    "http://[fe80::1]/",
    "http://[fe80::1%25eth0]/",
    "http://[::ffff:127.0.0.1]:{port}/",
    "http://[::ffff:169.254.169.254]/",
    "http://[::ffff:a00:1]/",
    "http://[64:ff9b::7f00:1]/",  # NAT64 of 127.0.0.1
    "http://[2002:a00:1::1]/",  # 6to4 of 10.0.0.1
    "http://[fc00::1]/",
    "http://100.64.0.1/",  # carrier-grade NAT
    "http://2130706433:{port}/",  # 127.0.0.1 as one number
    "http://0x7f.1:{port}/",
    "http://127.1:{port}/",
    "http://240.0.0.1/",
    "http://255.255.255.255/",
    "http://192.0.2.1/",  # documentation range: not public either
]


@pytest.mark.parametrize("template", FORBIDDEN)
def test_guard_refuses_every_non_public_address(server, settings, network_jail, template):
    settings.BABELPRESS_IMPORT_ALLOW_PRIVATE = False
    url = template.format(port=server.port)
    with pytest.raises(ForbiddenAddress) as caught:
        fetch(url)
    assert caught.value.reason_code == "forbidden_address"
    assert "BABELPRESS_IMPORT_ALLOW_PRIVATE" in str(caught.value)
    assert server.requests == []  # not even robots.txt was asked for
    assert network_jail.violations == []


def test_hostname_resolving_to_a_private_address_is_refused(dns, server):
    dns.resolve("intranet.example", "10.0.0.5")
    with pytest.raises(ForbiddenAddress) as caught:
        fetch("http://intranet.example/admin", allow_private=False)
    assert "intranet.example resolves to 10.0.0.5" in str(caught.value)


def test_any_private_address_among_several_refuses_the_host(dns):
    dns.resolve("mixed.example", "93.184.216.34", "127.0.0.1")
    with pytest.raises(ForbiddenAddress):
        fetch("http://mixed.example/", allow_private=False)


def test_allow_private_true_still_refuses_metadata_and_multicast():
    for url in ("http://169.254.169.254/latest/meta-data/", "http://224.0.0.1/", "http://0.0.0.0/"):
        with pytest.raises(ForbiddenAddress):
            fetch(url, allow_private=True)


def test_explicit_networks_open_only_those(server):
    server.html("/a", HTML.format("x"))
    assert fetch(server.url("/a"), allow_private=LOCAL).status == 200
    with pytest.raises(ForbiddenAddress):
        fetch("http://10.0.0.1/", allow_private=LOCAL)
    with pytest.raises(ImproperlyConfigured):
        fetch(server.url("/a"), allow_private=["not-a-network"])


@pytest.mark.parametrize("value, expected", [
    (False, False), (True, True), (None, False), ("", False), ("0", False), ("off", False), ("true", True),
    ("Yes", True), ("1", True),
    ("10.1.2.0/24,192.168.0.7", ("10.1.2.0/24", "192.168.0.7/32")),
    (" 10.1.2.0/24 , fd00:1::/64 ", ("10.1.2.0/24", "fd00:1::/64")),
    ("10.1.2.9/24", ("10.1.2.0/24",)),  # host bits are forgiven: the network is meant
    ("['10.1.2.0/24', '192.168.0.7']", ("10.1.2.0/24", "192.168.0.7/32")),  # as older messages wrote it
    (["127.0.0.1/32"], ("127.0.0.1/32",)),
])
def test_allow_private_is_a_boolean_or_a_list_of_networks(value, expected):
    parsed = ssrf.parse_allow_private(value)
    assert (parsed if isinstance(parsed, bool) else tuple(str(net) for net in parsed)) == expected


@pytest.mark.parametrize("value", ["nope", "10.1.2.0/33", "true,10.0.0.0/8", "10.1.2.0/24;10.9.0.0/16", 5, [None]])
def test_a_malformed_allow_private_is_refused_naming_the_variable_and_an_example(value):
    with pytest.raises(ImproperlyConfigured) as caught:
        ssrf.parse_allow_private(value)
    message = str(caught.value)
    assert message.startswith("BABELPRESS_IMPORT_ALLOW_PRIVATE: ") and "is not an IP address or network" in message
    assert "true or false" in message and "e.g. BABELPRESS_IMPORT_ALLOW_PRIVATE=10.1.2.0/24,192.168.0.7" in message


def test_allow_private_is_read_from_the_environment_as_a_list_of_networks(monkeypatch):
    settings_file = str(Path(babelpress.__file__).with_name("settings") / "base.py")
    monkeypatch.setenv("BABELPRESS_IMPORT_ALLOW_PRIVATE", "10.1.2.0/24,192.168.0.7")
    loaded = runpy.run_path(settings_file)["BABELPRESS_IMPORT_ALLOW_PRIVATE"]
    assert [str(net) for net in loaded] == ["10.1.2.0/24", "192.168.0.7/32"]
    monkeypatch.setenv("BABELPRESS_IMPORT_ALLOW_PRIVATE", "10.1.2.0/24,intranet")
    with pytest.raises(ImproperlyConfigured, match="'intranet' is not an IP address or network"):
        runpy.run_path(settings_file)


def test_the_guard_opens_a_listed_network_and_only_it(dns, server, settings, network_jail):
    settings.BABELPRESS_IMPORT_ALLOW_PRIVATE = ssrf.parse_allow_private("127.0.0.0/30,10.1.2.0/24")
    dns.resolve("partner.example", "127.0.0.1")  # inside 127.0.0.0/30
    dns.resolve("elsewhere.example", "127.0.0.9")  # loopback too, but outside the list
    dns.resolve("intranet.example", "10.9.0.5")  # private, outside the list
    server.html("/a", HTML.format("listed"))

    assert "listed" in fetch(f"http://partner.example:{server.port}/a").text
    for host in ("elsewhere.example", "intranet.example"):
        with pytest.raises(ForbiddenAddress) as caught:
            fetch(f"http://{host}:{server.port}/a")
        assert "BABELPRESS_IMPORT_ALLOW_PRIVATE=" in str(caught.value)
    assert [r.headers["host"] for r in server.requests if r.path == "/a"] == [f"partner.example:{server.port}"]
    assert network_jail.violations == []


def test_the_refusal_suggests_a_value_that_opens_just_that_address(dns, server, settings):
    settings.BABELPRESS_IMPORT_ALLOW_PRIVATE = False
    server.html("/a", HTML.format("partner on the LAN"))
    with pytest.raises(ForbiddenAddress) as caught:
        fetch(server.url("/a"))
    message = str(caught.value)
    assert "set BABELPRESS_IMPORT_ALLOW_PRIVATE to the networks to open, e.g. " \
           "BABELPRESS_IMPORT_ALLOW_PRIVATE=127.0.0.1/32 for this address only" in message
    suggested = message.split("e.g. BABELPRESS_IMPORT_ALLOW_PRIVATE=", 1)[1].split(" ", 1)[0]
    settings.BABELPRESS_IMPORT_ALLOW_PRIVATE = ssrf.parse_allow_private(suggested)  # as the operator would
    assert "partner on the LAN" in fetch(server.url("/a")).text


def test_the_refusal_of_a_metadata_address_does_not_suggest_true():
    with pytest.raises(ForbiddenAddress) as caught:
        fetch("http://169.254.169.254/latest/meta-data/", allow_private=False)
    assert "true does not open link-local addresses" in str(caught.value)
    assert "BABELPRESS_IMPORT_ALLOW_PRIVATE=169.254.169.254/32" in str(caught.value)


def test_redirect_from_an_allowed_host_to_a_forbidden_address_is_refused(dns, server):
    # partner.example is a real hop to the local server (its one address is opened, as for a
    # partner on the LAN); the redirect targets an internal name, the metadata service, ::1.
    dns.resolve("partner.example", "127.0.0.1")
    dns.resolve("internal.example", "127.0.0.2")
    server.route("/story", 302, headers={"Location": f"http://internal.example:{server.port}/secret"})
    server.route("/meta", 302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    server.route("/v6", 302, headers={"Location": f"http://[::1]:{server.port}/secret"})
    server.html("/secret", HTML.format("internal"))
    for path in ("/story", "/meta", "/v6"):
        with pytest.raises(ForbiddenAddress) as caught:
            fetch(f"http://partner.example:{server.port}{path}", allow_private=LOCAL)
        assert "redirect" not in caught.value.reason_code
    assert "/secret" not in server.paths()
    hops = [r for r in server.requests if r.path in ("/story", "/meta", "/v6")]
    assert len(hops) == 3 and all(r.headers["host"] == f"partner.example:{server.port}" for r in hops)


def test_connection_is_pinned_to_the_vetted_address(dns, server):
    # DNS rebinding: the first answer passes the check, later answers point elsewhere. The
    # connection must go to the first answer without asking the resolver again.
    answers = iter(["127.0.0.1"])
    dns.resolve("rebind.example")
    dns.names["rebind.example"] = lambda: [next(answers, "10.0.0.7")]
    server.html("/a", HTML.format("pinned"))
    result = fetch(f"http://rebind.example:{server.port}/a", allow_private=LOCAL, respect_robots=False)
    assert "pinned" in result.text
    assert dns.lookups.count("rebind.example") == 1
    assert server.requests[-1].headers["host"] == f"rebind.example:{server.port}"


def test_tls_keeps_sni_and_certificate_check_on_the_host_name(dns, tls_server, monkeypatch):
    context = ssl.create_default_context(cafile=str(tls_server.cafile))
    monkeypatch.setattr(fetch_module, "_ssl_context", lambda: context)
    dns.resolve("partner.example", "127.0.0.1")
    tls_server.html("/a", HTML.format("secure"))
    result = fetch(f"https://partner.example:{tls_server.port}/a", allow_private=LOCAL)
    assert "secure" in result.text
    assert "partner.example" in tls_server.server_names  # SNI carried the name, not the IP
    assert tls_server.requests[-1].headers["host"] == f"partner.example:{tls_server.port}"
    # the same server by IP: the certificate does not match, and that is an error
    with pytest.raises(TLSError) as caught:
        fetch(f"https://127.0.0.1:{tls_server.port}/a", allow_private=LOCAL, respect_robots=False)
    assert caught.value.reason_code == "tls_error"


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "ftp://example.com/file", "gopher://127.0.0.1:70/_stats", "data:text/html,hi",
    "javascript:alert(1)", "dict://127.0.0.1:11211/", "ldap://10.0.0.1/",
])
def test_other_schemes_are_refused(url, network_jail):
    with pytest.raises(InvalidURL) as caught:
        fetch(url, allow_private=True)
    assert caught.value.reason_code == "unsupported_scheme"
    assert "http:// and https://" in str(caught.value)
    assert network_jail.lookups == []


def test_credentials_in_the_url_are_refused(network_jail):
    with pytest.raises(InvalidURL) as caught:
        fetch("https://user:secret@partner.example/feed", allow_private=True)
    assert caught.value.reason_code == "credentials_in_url"
    assert "secret" not in str(caught.value)  # never echo a password
    assert network_jail.lookups == []


def test_unknown_host_gives_a_dns_error():
    with pytest.raises(FetchError) as caught:
        fetch("https://no-such-host.example/", allow_private=False)
    assert caught.value.reason_code == "dns_error" and "typos" in str(caught.value)


def test_hanging_dns_times_out(dns):
    # The resolver blocks until the test ends: only the fetch's own deadline can end the wait.
    release = threading.Event()
    dns.names["slow.example"] = lambda: release.wait(30) and ["93.184.216.34"]
    try:
        with pytest.raises(Timeout) as caught:
            fetch("http://slow.example/", timeout=0.3)
        assert "host name" in str(caught.value)
    finally:
        release.set()


def test_every_error_is_a_fetch_error_with_a_reason_code():
    for cls in (InvalidURL, ForbiddenAddress, Timeout, TooLarge, TooManyRedirects, RobotsDisallowed,
                EmptyResponse, BadContentType, ContentDecodingError, TLSError):
        error = cls("message", "https://x.example/")
        assert isinstance(error, FetchError) and error.reason_code != "fetch_error" and str(error) == "message"
    assert HTTPStatusError("m", "u", 418).status == 418
