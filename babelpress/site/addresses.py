"""Public page addresses, fast: what ``reverse("site:…")`` gives, without a reverse() per link.

A listing builds dozens of addresses (every card, the language picker, hreflang alternates) and
reverse() costs ~20 µs each, a few per cent of a rendered page. So each route's prefix is reversed
once per language and script prefix and the slug appended; a slug outside the ``slug`` converter's
characters goes through reverse() itself, which refuses it exactly as before.
"""

from __future__ import annotations

import functools
import re

from django.core.signals import setting_changed
from django.urls import get_script_prefix, reverse

_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_MARK = "babelpress-slug"


@functools.lru_cache(maxsize=512)
def _prefix(route: str, lang: str, script_prefix: str) -> str:
    if route in ("home", "manifest"):  # the routes without a slug
        return reverse(f"site:{route}", kwargs={"lang": lang})
    return reverse(f"site:{route}", kwargs={"lang": lang, "slug": _MARK}).removesuffix(f"{_MARK}/")


def public_path(route: str, lang: str, slug: str | None = None) -> str:
    """The path of a public page: ``public_path("article", "fr", slug)``, ``public_path("home", "fr")``."""
    if slug is None:
        return _prefix(route, lang, get_script_prefix())
    if not _SLUG.fullmatch(slug):
        return reverse(f"site:{route}", kwargs={"lang": lang, "slug": slug})
    return f"{_prefix(route, lang, get_script_prefix())}{slug}/"


def _forget(**_kwargs) -> None:
    # Tests and override_settings may change the URL configuration or the script prefix's source.
    _prefix.cache_clear()


setting_changed.connect(_forget, dispatch_uid="babelpress-site-addresses")
