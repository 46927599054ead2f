"""Static files get brotli and gzip copies at collectstatic, made again only when a file changes
(babelpress/site/static_files.py): `babelpress serve` collects them at every start. Their addresses
are worked out once per process."""

from __future__ import annotations

import gzip

import brotli
import pytest

from babelpress.site import static_files
from babelpress.site.static_files import ReusingCompressor, StaticFilesStorage

SCRIPT = b"function hello(name) { return 'Bonjour, ' + name + ' !'; }\n" * 200


@pytest.fixture
def counted(monkeypatch):
    """How many times each coding was computed."""
    calls = []
    real_br, real_gz = ReusingCompressor.compress_brotli, ReusingCompressor.compress_gzip
    monkeypatch.setattr(ReusingCompressor, "compress_brotli", staticmethod(lambda d: calls.append("br") or real_br(d)))
    monkeypatch.setattr(ReusingCompressor, "compress_gzip", staticmethod(lambda d: calls.append("gzip") or real_gz(d)))
    return calls


def test_copies_are_made_once_and_again_when_the_file_changes(tmp_path, counted):
    script = tmp_path / "site.js"
    script.write_bytes(SCRIPT)
    compressor = ReusingCompressor(quiet=True)
    made = compressor.compress(str(script))
    assert sorted(made) == [f"{script}.br", f"{script}.gz"] and counted == ["br", "gzip"]
    assert brotli.decompress((tmp_path / "site.js.br").read_bytes()) == SCRIPT
    assert gzip.decompress((tmp_path / "site.js.gz").read_bytes()) == SCRIPT
    assert sorted(compressor.compress(str(script))) == sorted(made) and counted == ["br", "gzip"]  # kept
    script.write_bytes(SCRIPT.replace(b"Bonjour", b"Barev"))
    compressor.compress(str(script))
    assert counted == ["br", "gzip", "br", "gzip"]
    assert b"Barev" in brotli.decompress((tmp_path / "site.js.br").read_bytes())


def test_a_damaged_or_missing_copy_is_made_again(tmp_path, counted):
    script = tmp_path / "site.js"
    script.write_bytes(SCRIPT)
    ReusingCompressor(quiet=True).compress(str(script))
    (tmp_path / "site.js.gz").write_bytes(b"not gzip")
    ReusingCompressor(quiet=True).compress(str(script))
    (tmp_path / "site.js.br").unlink()  # e.g. copies made before brotli was installed: .gz only
    ReusingCompressor(quiet=True).compress(str(script))
    assert counted == ["br", "gzip"] * 3
    assert gzip.decompress((tmp_path / "site.js.gz").read_bytes()) == SCRIPT


def test_source_maps_are_not_compressed(settings):
    settings.WHITENOISE_SKIP_COMPRESS_EXTENSIONS = None
    compressor = StaticFilesStorage(location="/nonexistent").create_compressor(extensions=None, quiet=True)
    assert not compressor.should_compress("editor.js.map") and not compressor.should_compress("logo.png")
    assert compressor.should_compress("editor.js") and "map" in static_files.SKIP_COMPRESS_EXTENSIONS


def test_static_addresses_are_the_manifest_s_worked_out_once(tmp_path, settings):
    from django.contrib.staticfiles.storage import ManifestStaticFilesStorage

    (tmp_path / "staticfiles.json").write_text('{"paths": {"babelpress/site.css": "babelpress/site.0123abcd.css"}, '
                                                '"version": "1.1", "hash": "x"}')
    settings.DEBUG = False
    storage = StaticFilesStorage(location=tmp_path, base_url="/static/")
    expected = ManifestStaticFilesStorage(location=tmp_path, base_url="/static/").url("babelpress/site.css")
    assert storage.url("babelpress/site.css") == expected == "/static/babelpress/site.0123abcd.css"
    storage.hashed_files.clear()  # remembered: the manifest is not read again
    assert storage.url("babelpress/site.css") == expected
    with pytest.raises(ValueError):
        storage.url("babelpress/missing.css")  # refused as the manifest storage refuses it
