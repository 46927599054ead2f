"""The *Translation engines* page (``translation_engines``, /admin/translation/engines/): the engine
map as a grid — a row per source language, a column per target — saying for each pair which engine
translates it, directly or through which language, with which models and licences, and how fast
it went when last measured; then what is missing and what would give it an engine.

Shown to whoever may view translations; the *Measure speed* button (a POST) to whoever may queue
translation jobs, as it makes every engine translate a probe (``translation/engine_speed.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _, ngettext

from babelpress.languages import language_name
from babelpress.newsroom.admin_time_zone import shown
from babelpress.translation import availability, engine_map, engine_speed, registry

VIEW_PERMISSION = "translation.view_translation"
MEASURE_PERMISSION = "translation.add_translationjob"


def engines_view(request):
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    if request.method == "POST":
        if not request.user.has_perm(MEASURE_PERMISSION):
            raise PermissionDenied
        measure_now(request)
        return HttpResponseRedirect(request.path)
    context = {
        **admin.site.each_context(request),
        "title": _("Translation engines"),
        "can_measure": request.user.has_perm(MEASURE_PERMISSION),
        "budget": engine_speed.PAGE_BUDGET_SECONDS,
        "probe_size": len(engine_speed.probe("en")),
    }
    try:
        found = availability.current_map(fresh=True)  # this page is the place to see a change at once
    except ImproperlyConfigured as exc:
        context["misconfigured"] = str(exc)
        return TemplateResponse(request, "admin/translation/engines.html", context)
    context.update(grid_context(found, engine_speed.load()))
    return TemplateResponse(request, "admin/translation/engines.html", context)


def measure_now(request) -> None:
    """Measure the pairs the time allows and say what happened."""
    try:
        found = availability.current_map(fresh=True)
    except ImproperlyConfigured as exc:
        messages.error(request, str(exc))
        return
    if not any(route.translatable for route in found.routes()):
        messages.warning(request, _("No pair has an engine: there is nothing to measure."))
        return
    report = engine_speed.measure_map(found, budget=engine_speed.PAGE_BUDGET_SECONDS)
    done = len(report.measured) - len(report.failed)
    if done:
        messages.success(request, ngettext("Speed measured for %(count)d pair.", "Speed measured for %(count)d pairs.",
                                           done) % {"count": done})
    if report.failed:
        messages.warning(request, ngettext(
            "The probe failed for %(count)d pair: the grid says why.",
            "The probe failed for %(count)d pairs: the grid says why.", len(report.failed)) % {"count": len(report.failed)})
    if report.left:
        messages.info(request, ngettext(
            "%(count)d pair was not measured for want of time: press the button again to measure it.",
            "%(count)d pairs were not measured for want of time: press the button again to measure them.",
            report.left) % {"count": report.left})


class _Notes:
    """Distinct reasons shown once under the grid, numbered; cells point to their number."""

    def __init__(self):
        self.texts: dict[str, int] = {}

    def number(self, text: str) -> int:
        return self.texts.setdefault(text, len(self.texts) + 1)

    def listed(self) -> list[dict]:
        return [{"number": n, "text": text} for text, n in self.texts.items()]


def grid_context(found: engine_map.EngineMap, speeds: dict) -> dict:
    """The grid's rows and what the page says under it."""
    notes = _Notes()
    names = {code: language_name(code) for code in found.languages}
    rows = []
    for source in found.languages:
        cells = []
        for target in found.languages:
            route = found.get(source, target)
            cells.append({"target": target, "same": route is None} if route is None else
                         cell(route, speeds, names, notes))
        rows.append({"code": source, "name": names[source], "cells": cells})
    engines = list(registry.configured_engines())
    return {
        "languages": [{"code": code, "name": names[code]} for code in found.languages],
        "rows": rows,
        "notes": notes.listed(),
        "engines": engines,
        "pair_rules": [(rule, ", ".join(order)) for rule, order in settings.BABELPRESS_TRANSLATION_PAIRS.items()],
        "unreachable": [names[code] for code in found.unreachable_languages()],
        "needs": [need_context(need, names) for need in found.needs()],
        "not_in_argos": [names[code] for code in found.without_argos_models()],
        "models_to_install": [f"{s}-{t}" for s, t in found.models_to_install()],
        "has_local": bool(engine_map.local_engines()),
        "measured_any": any(c.get("speed") for row in rows for c in row["cells"]),
    }


def cell(route: engine_map.PairRoute, speeds: dict, names: dict, notes: _Notes) -> dict:
    speed = engine_speed.speed_of(route, speeds)
    passed_over = [text for text in route.passed_over if not text.endswith(": pair not supported")]
    found = {
        "target": route.target, "route": route, "kind": route.kind,
        "via": ", ".join(names.get(code) or language_name(code) for code in route.via),
        "steps": [{"pair": f"{step.source} → {step.target}", "model": step.model, "family": step.family,
                   "licence": step.licence, "non_commercial": step.non_commercial} for step in route.steps
                  if step.model or step.licence],
        "speed": speed,
        "measured_at": shown(speed.when) if speed else "",
        "notes": [notes.number(text) for text in [*passed_over, route.problem] if text],
    }
    if speed is not None and speed.error:
        found["speed_note"] = notes.number(speed.error)
    return found


def need_context(need: engine_map.Need, names: dict) -> dict:
    return {
        "pair": f"{names[need.source]} → {names[need.target]}",
        "direct": f"{need.source}-{need.target}",
        "through": names.get(need.through, ""),
        "halves": [f"{s}-{t}" for s, t in need.halves_missing],
    }
