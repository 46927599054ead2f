"""Static files as WhiteNoise stores them — hashed names, and a brotli (``.br``) and gzip (``.gz``)
copy beside each text file, which WhiteNoise serves to browsers that accept them — without
compressing them again at every start.

``babelpress serve`` collects static files each time it starts, and WhiteNoise compresses every
file each time, brotli at its best quality: ≈ 4 MB of scripts (the admin's, the body editor's) took
6–9 s of CPU on a 2-core machine at every start, and source maps (devtools only) 12 s more. Here a
file whose ``.br``/``.gz`` copies already hold its exact content (checked by decompressing them,
which is fast) keeps them, so only new or changed files are compressed; source maps are not
compressed (WhiteNoise's own list of extensions, plus ``map``).

Each file's address is worked out once per process. ``{% static %}`` asks the storage on every page;
a manifest storage then parses the name, looks the hashed name up, joins and unquotes (~40 µs, a
few per cent of a rendered page). The manifest is read once when the process starts and does not
change while it runs, so neither does the answer for a name (per DEBUG, which switches hashing off).
"""

from __future__ import annotations

import gzip
import os
import zlib

import brotli
from django.conf import settings
from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage

SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
_DECODERS = ((".br", brotli.decompress), (".gz", gzip.decompress))


class ReusingCompressor(Compressor):
    """WhiteNoise's compressor, which keeps the copies a file already has when they hold it exactly."""

    def compress(self, path):
        with open(path, "rb") as f:
            stat_result = os.fstat(f.fileno())
            data = f.read()
        copies = [(path + suffix, decode) for suffix, decode in _DECODERS if os.path.exists(path + suffix)]
        first = ".br" if self.use_brotli else ".gz"  # copies made without brotli get their .br now
        if os.path.exists(path + first) and all(_holds(name, decode, data) for name, decode in copies):
            for name, _decode in copies:  # dated like their file, as WhiteNoise dates the copies it writes
                os.utime(name, (stat_result.st_atime, stat_result.st_mtime))
            return [name for name, _decode in copies]
        return super().compress(path)


def _holds(name: str, decode, data: bytes) -> bool:
    try:
        with open(name, "rb") as f:
            return decode(f.read()) == data
    except (OSError, EOFError, brotli.error, zlib.error, gzip.BadGzipFile):
        return False


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs):
        if kwargs.get("extensions") is None:  # WHITENOISE_SKIP_COMPRESS_EXTENSIONS, when set, wins
            kwargs["extensions"] = SKIP_COMPRESS_EXTENSIONS
        return ReusingCompressor(**kwargs)

    def url(self, name, force=False):
        if force:  # collectstatic's own rewriting of addresses inside files
            return super().url(name, force)
        urls = self.__dict__.setdefault("_remembered_urls", {})
        key = (name, settings.DEBUG)
        url = urls.get(key)
        if url is None:
            url = urls[key] = super().url(name)
        return url
