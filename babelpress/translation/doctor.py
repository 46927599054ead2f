"""`babelpress translation doctor`: the engine map on the command line — per pair of content
languages the engine, the route (direct, through which language, none), the models, their licence
(non-commercial ones flagged) and the speed measured on a probe — then what is missing and exactly
what to do. Exit code 1 when a content language cannot be reached from any other one.

The map is ``translation/engine_map.py``'s, the speeds ``translation/engine_speed.py``'s (measured
now unless ``--no-speed``, and kept for the *Translation engines* admin page). The command speaks
English, like the other `translation` commands.
"""

from __future__ import annotations

import io
import json
import shutil

from babelpress.languages import language_name
from babelpress.translation import engine_map, engine_speed
from babelpress.translation.argos_packages import PACKAGES_URL
from babelpress.translation.engine_map import DIRECT, THROUGH, WAITING, EngineMap, PairRoute

HEADER = ["pair", "engine", "route", "models", "licence", "speed"]


def route_words(route: PairRoute) -> str:
    if route.kind == DIRECT:
        return "direct"
    if route.kind == THROUGH:
        return "via " + ", ".join(route.via)
    return "UNREACHABLE ENGINE" if route.kind == WAITING else "NO ENGINE"


def licence_words(route: PairRoute) -> str:
    licences = []
    for step in route.steps:
        if step.licence or step.non_commercial:
            word = step.licence or "licence unknown"
            licences.append(f"{word} NON-COMMERCIAL" if step.non_commercial else word)
    return ", ".join(dict.fromkeys(licences))


def speed_words(speed: engine_speed.Speed | None, notes: dict[str, int]) -> str:
    if speed is None:
        return "not measured"
    if speed.error:
        return f"probe failed [{notes.setdefault(speed.error, len(notes) + 1)}]"
    return f"{speed.per_second:.1f} seg/s"


def rows(found: EngineMap, speeds: dict, notes: dict[str, int]) -> list[list[str]]:
    table = []
    for route in found.routes():
        models = ", ".join(f"{m} ({s.family})" if s.family else m
                           for s, m in ((s, s.model) for s in route.steps) if m)
        for text in [*route.passed_over, route.problem]:
            if text and not text.endswith(": pair not supported"):
                notes.setdefault(text, len(notes) + 1)
        table.append([f"{route.source}→{route.target}", route.engine or "—", route_words(route), models or "—",
                      licence_words(route) or "—", speed_words(engine_speed.speed_of(route, speeds), notes)
                      if route.translatable else "—"])
    return table


def plain_table(table: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in [HEADER, *table]) for i in range(len(HEADER))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in [HEADER, *table]]
    return "\n".join(lines) + "\n"


def rich_table(table: list[list[str]]) -> str:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    grid = Table(*HEADER, title="Translation engines, pair by pair")
    for row in table:
        style = "red" if row[2] in ("NO ENGINE", "UNREACHABLE ENGINE") else ("yellow" if "NON-COMMERCIAL" in row[4] else None)
        grid.add_row(*(escape(cell) for cell in row), style=style)
    buffer = io.StringIO()
    Console(file=buffer, force_terminal=True, width=shutil.get_terminal_size((120, 40)).columns).print(grid)
    return buffer.getvalue()


def advice(found: EngineMap, local: list[str]) -> list[str]:
    """What is missing and exactly what to do, as lines."""
    lines = []
    unreachable = found.unreachable_languages()
    if unreachable:
        names = ", ".join(f"{language_name(code, 'en')} ({code})" for code in unreachable)
        lines.append(f"Cannot be reached from any other content language: {names}.")
    needs = found.needs()
    if needs:
        missing = "; ".join(f"{', '.join(n.source for n in needs if n.target == target)} → {target}"
                            for target in dict.fromkeys(n.target for n in needs))
        lines.append(f"No engine for: {missing}.")
        lines.append(f"Models that would translate them: {', '.join(f'{s}-{t}' for s, t in found.models_to_install())}"
                     + (f" (a pair without its own model goes through {language_name(engine_map.PIVOT_LANGUAGE, 'en')})."
                        if any(n.through for n in needs) else "."))
    waiting = [route for route in found.routes() if route.kind == WAITING]
    if waiting:
        lines.append(f"{len(waiting)} pair(s) wait for an engine that does not answer now (notes below); "
                     "their work is tried again.")
    if needs:
        lines += todo(found, local)
    for model, entry in found.non_commercial_models().items():
        pairs = ", ".join(f"{s}→{t}" for s, t in entry["pairs"])
        lines.append(f"Licence: {model} is {entry['licence'] or 'licensed'} — non-commercial use only; it translates "
                     f"{pairs}. A site that earns money (advertising, subscriptions) should replace it.")
    return lines


def todo(found: EngineMap, local: list[str]) -> list[str]:
    lines = ["What to do:"]
    if local:
        lines += [
            "  - online: `babelpress translation available` lists the models the package index offers for the "
            "site's languages; `babelpress translation install PAIR` (e.g. en-fr) downloads and installs one;",
            "  - offline: fetch the model on another machine and run `babelpress translation install-model FILE` "
            f"(an Argos .argosmodel from {PACKAGES_URL}, or a CTranslate2 model folder or archive);",
        ]
    else:
        lines.append("  - to use installed models, add the local engine to BABELPRESS_TRANSLATION_ENGINE "
                     "(e.g. BABELPRESS_TRANSLATION_ENGINE=deepl,local);")
    for code in found.without_argos_models():
        lines.append(
            f"  - {language_name(code, 'en')} ({code}): the Argos index has no {code} model. Use OPUS-MT "
            f"(Helsinki-NLP opus-mt-en-{code} / opus-mt-{code}-en, Apache-2.0) converted with `ct2-opus-mt-converter` "
            "(it ships with ctranslate2), or NLLB-200 (one model for every pair; CC-BY-NC-4.0: non-commercial use "
            "only), then `babelpress translation install-model FOLDER`;")
    lines.append("  - or use a translation service: BABELPRESS_TRANSLATION_ENGINE=libretranslate|deepl|openai with its "
                 "variables, or BABELPRESS_TRANSLATION_ENGINES for an engine of your own (docs/engines.md, "
                 "docs/settings.md).")
    return lines


def as_json(found: EngineMap, speeds: dict, local: list[str]) -> str:
    def speed(route):
        measured = engine_speed.speed_of(route, speeds)
        if measured is None:
            return None
        return {"segments_per_second": measured.per_second, "segments": measured.segments,
                "seconds": measured.seconds, "measured_at": measured.measured_at, "error": measured.error or None}

    pairs = [{
        "source": route.source, "target": route.target, "engine": route.engine or None, "route": route.kind,
        "via": route.via, "non_commercial": route.non_commercial,
        "steps": [{"source": s.source, "target": s.target, "model": s.model, "family": s.family,
                   "licence": s.licence, "non_commercial": s.non_commercial} for s in route.steps],
        "speed": speed(route) if route.translatable else None,
        "passed_over": list(route.passed_over), "problem": route.problem or None,
    } for route in found.routes()]
    return json.dumps({
        "languages": found.languages,
        "pairs": pairs,
        "unreachable_languages": found.unreachable_languages(),
        "missing": [{"source": n.source, "target": n.target, "through": n.through or None,
                     "halves_missing": [f"{s}-{t}" for s, t in n.halves_missing]} for n in found.needs()],
        "models_to_install": [f"{s}-{t}" for s, t in found.models_to_install()],
        "advice": advice(found, local),
    }, ensure_ascii=False, indent=2) + "\n"


def text_report(found: EngineMap, speeds: dict, local: list[str], *, rich: bool) -> str:
    notes: dict[str, int] = {}
    table = rows(found, speeds, notes)
    names = ", ".join(f"{code} {language_name(code, 'en')}" for code in found.languages)
    out = [f"Content languages: {names}.\n"]
    out.append(rich_table(table) if rich else plain_table(table))
    if notes:
        out.append("Notes:\n" + "".join(f"  [{n}] {text}\n" for text, n in notes.items()))
    lines = advice(found, local)
    if lines:
        out.append("\n".join(lines) + "\n")
    else:
        out.append("Every pair of content languages has an engine.\n")
    return "".join(out)


def measuring(stderr):
    def progress(route: PairRoute) -> None:
        stderr.write(f"Measuring {route.source}→{route.target} with {route.engine}…\n")
    return progress

