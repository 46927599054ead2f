"""Activate the UI language from the URL prefix (/fr/, /ar/ ...), else from the browser.

Unlike Django's LocaleMiddleware this never redirects and never reads a cookie or session:
public pages stay identical for every reader of a language, so they can be cached whole.

Only content languages have public pages, so only their prefixes count, and a page outside any
prefix (a 404, `/`) speaks one of them too: its links (the home page, the sections) must lead to
pages that exist. The admin may speak any language of either list (BABELPRESS_UI_LANGUAGES).
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from babelpress import languages


def language_from_path(path: str) -> str | None:
    first = path.lstrip("/").split("/", 1)[0]
    return first if languages.is_content_language(first) else None


@functools.lru_cache(maxsize=8)
def _admin_path(script_prefix: str) -> str:
    return "/" + reverse("admin:index").removeprefix(script_prefix)


def interface_languages(path: str) -> list[str]:
    """The languages a page outside any language prefix may speak: any of the admin's, else a content language."""
    if path.startswith(_admin_path(get_script_prefix())):
        return [lang.code for lang in languages.all_languages()]
    return languages.content_language_codes()


def best_language(request, candidates: list[str]) -> str:
    """The first of ``candidates`` the browser accepts (Accept-Language), else the site default."""
    from django.utils.translation.trans_real import parse_accept_lang_header

    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    try:
        accepted = parse_accept_lang_header(header[:500])
    except Exception:  # an absurd header is no reason to fail a page
        accepted = ()
    for code, _q in accepted:
        code = code.lower()
        for candidate in candidates:
            if code == candidate or code.split("-")[0] == candidate:
                return candidate
    default = settings.BABELPRESS_DEFAULT_LANGUAGE
    return default if default in candidates else candidates[0]


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        code = language_from_path(request.path_info)
        from_path = code is not None
        if code is None:
            code = best_language(request, interface_languages(request.path_info))
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        if not from_path:
            patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", code)
        return response
