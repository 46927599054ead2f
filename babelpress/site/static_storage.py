"""Static files as production serves them (WhiteNoise: hashed names, compressed copies), with each
file's address worked out once per process.

``{% static %}`` asks the storage for a file's address on every page; a manifest storage then parses
the name, looks the hashed name up and joins and unquotes the result (~40 µs, a few per cent of a
rendered page). The manifest is read once when the process starts and never changes while it runs,
so the answer for a name does not change either: it is remembered (per name, and per DEBUG, which
switches hashing off).
"""

from __future__ import annotations

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class RememberedManifestStorage(CompressedManifestStaticFilesStorage):
    def url(self, name, force=False):
        if force:  # collectstatic's own rewriting of addresses inside files
            return super().url(name, force)
        urls = self.__dict__.setdefault("_remembered_urls", {})
        key = (name, settings.DEBUG)
        url = urls.get(key)
        if url is None:
            url = urls[key] = super().url(name)
        return url
