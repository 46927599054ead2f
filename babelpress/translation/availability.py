"""Which pairs of the site's content languages no translation engine can translate, and the notice
that tells editors so — and what to do — on the admin home page and the coverage page.

Asking every engine about every pair is cheap for installed models (a few file checks) and for
services whose language lists are cached, but a service that is down costs a timeout: the answer
is kept per process for ``CHECK_SECONDS`` and forgotten when the engines are configured again
(``registry.clear_cache``, which ``babelpress translation install-model`` calls).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string

from babelpress.languages import language_name
from babelpress.translation import registry
from babelpress.translation.argos_packages import INSTALL_HINT, PACKAGES_URL

CHECK_SECONDS = 120

_cache: dict = {}


def untranslatable_pairs() -> list[tuple[str, str]]:
    """(source, target) pairs of content languages that no configured engine can translate.

    A pair whose engine is unreachable right now is not listed: its work waits for the service.
    """
    codes = tuple(settings.BABELPRESS_CONTENT_LANGUAGES)
    key = (codes, registry.generation())
    now = time.monotonic()
    if _cache.get("key") == key and now - _cache["at"] < CHECK_SECONDS:
        return _cache["pairs"]
    pairs = [(s, t) for t in codes for s in codes if s != t and not registry.can_translate(s, t)]
    _cache.update(key=key, at=now, pairs=pairs)
    return pairs


def forget() -> None:
    _cache.clear()


def can_translate(source: str, target: str) -> bool:
    """``registry.can_translate`` from the cached answer (for screens that ask about many cells)."""
    return (source, target) not in set(untranslatable_pairs())


def pair_name(source: str, target: str) -> str:
    return f"{language_name(source)} → {language_name(target)}"


def notice_context() -> dict | None:
    """What the notice says, or None when every pair of content languages has an engine."""
    try:
        missing = untranslatable_pairs()
    except ImproperlyConfigured as exc:  # the settings name an engine that does not exist …
        return {"misconfigured": str(exc), "install_hint": INSTALL_HINT, "packages_url": PACKAGES_URL}
    if not missing:
        return None
    codes = list(settings.BABELPRESS_CONTENT_LANGUAGES)
    rows = []
    for target in codes:
        sources = [s for s, t in missing if t == target]
        if sources:
            rows.append({"target": language_name(target), "sources": [language_name(s) for s in sources],
                         "from_nowhere": len(sources) == len(codes) - 1})
    return {
        "nothing": len(missing) == len(codes) * (len(codes) - 1),
        "rows": rows,
        "install_hint": INSTALL_HINT,
        "packages_url": PACKAGES_URL,
    }


def notice(request) -> str:
    """The notice as HTML, "" when there is nothing to say or the user does not deal with translations."""
    if not request.user.has_perm("translation.view_translation"):
        return ""
    context = notice_context()
    if context is None:
        return ""
    return render_to_string("admin/translation/engine_notice.html", context, request=request)
