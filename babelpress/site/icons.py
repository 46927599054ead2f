"""The site's icons and colours, for browser tabs, bookmarks and home screens.

The icons are drawn by scripts/make_icons.py into static/babelpress/icons/ (committed). Pages link
them through the static files (hashed names, kept a year: docs/settings.md, BABELPRESS_STATIC_ROOT),
and WhiteNoise also serves that folder at the site's root, because browsers ask for
``/favicon.ico`` and iOS for ``/apple-touch-icon.png`` without being told: settings/base.py sets
``WHITENOISE_ROOT`` to ``FOLDER`` and ``WHITENOISE_ADD_HEADERS_FUNCTION`` to ``root_file_headers``.

Imported by the settings: nothing here may read them, nor import Django.
"""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "static" / "babelpress" / "icons"

# The colours of static/babelpress/site.css (tests/site/test_icons.py holds them equal):
THEME_COLOUR = "#8a1c1c"  # --accent: the browser's bar (meta theme-color, the manifest's theme_color)
BACKGROUND_COLOUR = "#fdfcf8"  # --paper: the splash screen of a page opened from a home screen

# A file at the root has a fixed address, so no year-long "immutable" promise as for hashed names:
# a week, then a revalidation (WhiteNoise answers If-None-Match / If-Modified-Since with 304).
ROOT_FILE_MAX_AGE = 7 * 24 * 3600


def root_file_headers(headers, path: str, url: str) -> None:
    """WhiteNoise's header hook: the files it serves at the root (``/favicon.ico``) are kept a week."""
    if "/" not in url.lstrip("/"):
        headers["Cache-Control"] = f"public, max-age={ROOT_FILE_MAX_AGE}"


# The manifest's icons: (file in FOLDER, sizes, type, purpose).
MANIFEST_ICONS = (
    ("favicon.svg", "any", "image/svg+xml", "any"),
    ("icon-192.png", "192x192", "image/png", "any"),
    ("icon-512.png", "512x512", "image/png", "any"),
    ("icon-maskable-512.png", "512x512", "image/png", "maskable"),
)
