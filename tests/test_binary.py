"""Is this binary? One answer for the importer's pages, feeds and uploads (babelpress.binary)."""

from __future__ import annotations

import pytest

from babelpress.binary import looks_binary

PAGE = '<html><head><meta charset="utf-8"><title>Le pont</title></head><body><p>Le pont rouvre.</p></body></html>'


@pytest.mark.parametrize(("head", "why"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "an image"),
    (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "a zip archive"),
    (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", "gzip"),
    (bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15]) * 10, "control bytes without a NUL"),
])
def test_binary_data_is_recognised(head, why):
    assert looks_binary(head), why


@pytest.mark.parametrize(("head", "why"), [
    (PAGE.encode(), "a page"),
    (PAGE.encode("utf-16"), "UTF-16 with its byte-order mark"),
    (PAGE.encode("utf-16-le"), "UTF-16 without one: it still starts with '<'"),
    (PAGE.encode("utf-32-be"), "UTF-32 without one"),
    ('{"version": "https://jsonfeed.org/version/1.1"}'.encode("utf-16-be"), "a JSON Feed in UTF-16"),
    ("<p>東京都は月曜日、新しい橋の開通を発表した。</p>".encode("iso2022_jp") * 20, "ISO-2022-JP: two escapes a line"),
    (b"<p>Page one</p>\x0c<p>Page two</p>" * 8, "a form feed between pages"),
    (b"", "nothing"),
])
def test_text_in_any_encoding_is_not_binary(head, why):
    assert not looks_binary(head[:1024]), why
