"""Which pairs of the site's content languages no translation engine can translate, and the notice
that tells editors so — and what to do — on the admin home page and the coverage page.

Both read the engine map (``translation/engine_map.py``), the same answer ``babelpress translation
doctor`` prints and the *Translation engines* page draws. Asking every engine about every pair is
cheap for installed models (a few file checks) and for services whose language lists are cached,
but a service that is down costs a timeout: the map is kept per process for ``CHECK_SECONDS`` and
forgotten when the engines are configured again (``registry.clear_cache``, which ``babelpress
translation install-model`` calls) or a local engine's models folder changes (a model installed or
removed by another process, such as the command).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string

from babelpress.languages import language_name
from babelpress.translation import engine_map, registry
from babelpress.translation.argos_packages import INSTALL_HINT, PACKAGES_URL

CHECK_SECONDS = 120

_cache: dict = {}


def current_map(*, fresh: bool = False) -> engine_map.EngineMap:
    """The engine map of the content languages, asked again after ``CHECK_SECONDS``, when the
    engines are configured again, when a model is installed or removed (by any process), or when
    ``fresh`` (the *Translation engines* page). Raises ImproperlyConfigured when the engine
    settings are wrong."""
    codes = tuple(settings.BABELPRESS_CONTENT_LANGUAGES)
    key = (codes, registry.generation(), engine_map.models_stamp())
    now = time.monotonic()
    if not fresh and _cache.get("key") == key and now - _cache["at"] < CHECK_SECONDS:
        return _cache["map"]
    found = engine_map.build(list(codes))
    _cache.update(key=key, at=now, map=found)
    return found


def untranslatable_pairs() -> list[tuple[str, str]]:
    """(source, target) pairs of content languages that no configured engine can translate.

    A pair whose engine is unreachable right now is not listed: its work waits for the service.
    When the engine settings are wrong, every pair is listed (the notice says what to fix).
    """
    try:
        return current_map().untranslatable()
    except ImproperlyConfigured:
        codes = settings.BABELPRESS_CONTENT_LANGUAGES
        return [(s, t) for t in codes for s in codes if s != t]


def forget() -> None:
    _cache.clear()


def can_translate(source: str, target: str) -> bool:
    """``registry.can_translate`` from the cached answer (for screens that ask about many cells)."""
    return (source, target) not in set(untranslatable_pairs())


def pair_name(source: str, target: str) -> str:
    return f"{language_name(source)} → {language_name(target)}"


def notice_context() -> dict | None:
    """What the notice says, or None when every pair of content languages has an engine and no
    model in use forbids commercial use. Pairs that go through another language are named too,
    when the notice is shown."""
    try:
        found = current_map()
    except ImproperlyConfigured as exc:  # the settings name an engine that does not exist …
        return {"misconfigured": str(exc), "install_hint": INSTALL_HINT, "packages_url": PACKAGES_URL}
    missing = found.untranslatable()
    non_commercial = found.non_commercial_models()
    if not missing and not non_commercial:
        return None
    codes = found.languages
    rows = []
    for target in codes:
        sources = [s for s, t in missing if t == target]
        if sources:
            rows.append({"target": language_name(target), "sources": [language_name(s) for s in sources],
                         "from_nowhere": len(sources) == len(codes) - 1})
    return {
        "nothing": len(missing) == len(codes) * (len(codes) - 1),
        "rows": rows,
        "through": through_rows(found),
        "not_in_argos": [language_name(code) for code in found.without_argos_models()],
        "non_commercial": [{"model": model, "licence": entry["licence"],
                            "pairs": [pair_name(s, t) for s, t in entry["pairs"]]}
                           for model, entry in non_commercial.items()],
        "install_hint": INSTALL_HINT,
        "packages_url": PACKAGES_URL,
    }


def through_rows(found: engine_map.EngineMap) -> list[dict]:
    """The pairs translated through other languages, grouped by the way they go: [{"via": "English",
    "models": 2, "pairs": ["Armenian → French", …]}]."""
    groups: dict[tuple, dict] = {}
    for route in found.through_another_language():
        via = tuple(route.via)
        group = groups.setdefault(via, {"via": ", ".join(language_name(code) for code in via),
                                        "models": len(route.steps), "pairs": []})
        group["pairs"].append(pair_name(route.source, route.target))
    return list(groups.values())


def notice(request) -> str:
    """The notice as HTML, "" when there is nothing to say or the user does not deal with translations."""
    if not request.user.has_perm("translation.view_translation"):
        return ""
    context = notice_context()
    if context is None:
        return ""
    return render_to_string("admin/translation/engine_notice.html", context, request=request)
