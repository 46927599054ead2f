"""How fast each engine translates each pair: segments per second on a probe of a few sentences,
measured on request (``babelpress translation doctor``, the *Measure speed* button of the
*Translation engines* page) and kept in ``engine_speeds.json`` in the data folder, so the page
shows the last measurement without translating anything when it is opened.

A measurement belongs to an engine and its exact route (``PairRoute.key``: the models of each
step): replacing a model makes it stale, and it is then shown as not measured. A probe that fails
(a service down, a refused key) is kept too, with its reason, and shown as such.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone as dt_timezone
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.db import DatabaseError

from babelpress.translation import metering, registry
from babelpress.translation.engine_map import EngineMap, PairRoute

logger = logging.getLogger(__name__)

FILE_NAME = "engine_speeds.json"
#: Stop starting new probes after this many seconds on the admin page (a request must end well
#: within `babelpress serve --timeout`, 60 s by default); the pairs left are measured first next time.
PAGE_BUDGET_SECONDS = 20

# Short news sentences written for the probe, one set per language; a language without its own is
# measured on the generic set (names and numbers carry no language, and the rest is plain English).
PROBES = {
    "en": [
        "The city council approved the plan for the new bridge yesterday evening.",
        "Work will begin in the spring and should last about two years.",
        "Residents can send their comments to the town hall until the end of the month.",
        "The mayor promised that the road would stay open to buses during the works.",
    ],
    "fr": [
        "Le conseil municipal a approuvé hier soir le projet du nouveau pont.",
        "Les travaux commenceront au printemps et devraient durer environ deux ans.",
        "Les habitants peuvent envoyer leurs remarques à la mairie jusqu'à la fin du mois.",
        "La maire a promis que la route resterait ouverte aux bus pendant le chantier.",
    ],
    "hy": [
        "Քաղաքային խորհուրդը երեկ երեկոյան հաստատեց նոր կամրջի նախագիծը։",
        "Աշխատանքները կսկսվեն գարնանը և կտևեն մոտ երկու տարի։",
        "Բնակիչները կարող են իրենց դիտողություններն ուղարկել քաղաքապետարան մինչև ամսվա վերջ։",
        "Քաղաքապետը խոստացավ, որ շինարարության ընթացքում ճանապարհը բաց կմնա ավտոբուսների համար։",
    ],
    "ru": [
        "Городской совет вчера вечером утвердил проект нового моста.",
        "Работы начнутся весной и продлятся около двух лет.",
        "Жители могут направить свои замечания в мэрию до конца месяца.",
        "Мэр пообещал, что во время работ дорога останется открытой для автобусов.",
    ],
    "ar": [
        "وافق المجلس البلدي مساء أمس على مشروع الجسر الجديد.",
        "ستبدأ الأعمال في الربيع ومن المتوقع أن تستمر نحو عامين.",
        "يمكن للسكان إرسال ملاحظاتهم إلى البلدية حتى نهاية الشهر.",
        "وعد رئيس البلدية بأن يبقى الطريق مفتوحا أمام الحافلات خلال الأشغال.",
    ],
}
GENERIC_PROBE = [
    "Maria Lopez, 42, arrived in Geneva on 12 March 2024.",
    "The 2025 budget is 3.5 million euros, up 12% from 2024.",
    "Flight AF 1234 from Paris to Yerevan lands at 22:40.",
    "The concert of the Berlin Philharmonic is on Saturday at 20:00.",
]


def probe(language: str) -> list[str]:
    """The probe's segments for a source language, in the segment format (XML-escaped text)."""
    sentences = PROBES.get(language.replace("_", "-").split("-")[0].lower(), GENERIC_PROBE)
    return [escape(sentence) for sentence in sentences]


@dataclass(frozen=True)
class Speed:
    """One measurement: ``per_second`` segments per second, or ``error`` when the probe failed."""

    engine: str
    source: str
    target: str
    measured_at: str  # ISO 8601, UTC
    segments: int = 0
    seconds: float = 0.0
    per_second: float | None = None
    error: str = ""

    @property
    def when(self) -> datetime:
        return datetime.fromisoformat(self.measured_at)


# --- The store --------------------------------------------------------------------------------------


def store_path() -> Path:
    return Path(settings.DATA_DIR) / FILE_NAME


def load() -> dict[str, Speed]:
    """{PairRoute.key: Speed}; {} when nothing was measured or the file cannot be read."""
    try:
        raw = json.loads(store_path().read_text(encoding="utf-8"))
        return {key: Speed(**value) for key, value in raw.get("measurements", {}).items()}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        logger.warning("Ignoring the engine speeds in %s (%s): the next measurement rewrites it.", store_path(), exc)
        return {}


def save(measured: dict[str, Speed]) -> None:
    """Add ``measured`` to the store, replacing earlier measurements of the same routes (atomically)."""
    if not measured:
        return
    speeds = {**load(), **measured}
    path = store_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"version": 1, "measurements": {k: asdict(v) for k, v in sorted(speeds.items())}},
                      ensure_ascii=False, indent=1)
    handle, temporary = tempfile.mkstemp(prefix=".engine-speeds-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def speed_of(route: PairRoute, speeds: dict[str, Speed]) -> Speed | None:
    """The last measurement of this very route, if any."""
    return speeds.get(route.key) if route.translatable else None


# --- Measuring ----------------------------------------------------------------------------------------


def _now() -> str:
    return datetime.now(dt_timezone.utc).isoformat(timespec="seconds")


def measure(route: PairRoute, *, clock=None) -> Speed:
    """Translate the probe with the route's engine and time it; never raises for the engine's failures.

    A route through installed models translates one sentence first, untimed, so that loading the
    models is not counted. A paid engine's characters are counted in its month's usage like any
    other translation (and refused past its cap).
    """
    clock = clock or time.perf_counter
    engine = registry.configured_engines()[route.engine]
    segments = probe(route.source)
    result = {"engine": route.engine, "source": route.source, "target": route.target, "segments": len(segments)}
    charged = None
    characters = sum(len(s) for s in segments)
    try:
        charged = metering.reserve(engine, characters)
        if route.models:
            engine.translate_batch(segments[:1], route.source, route.target)
        start = clock()
        output = engine.translate_batch(segments, route.source, route.target)
        seconds = max(clock() - start, 1e-6)
    except metering.CapReached as exc:
        return Speed(**result, measured_at=_now(), error=str(exc))
    except DatabaseError as exc:
        return Speed(**result, measured_at=_now(), error=f"the usage meter cannot be read ({exc}): run `babelpress migrate`.")
    except Exception as exc:  # noqa: BLE001 — an engine of one's own may fail any way: say how, never crash
        metering.refund(engine, characters, charged)
        if not getattr(exc, "engine", None):
            logger.exception("The speed probe of %s for %s→%s failed", route.engine, route.source, route.target)
        return Speed(**result, measured_at=_now(), error=str(exc) or type(exc).__name__)
    if len(output) != len(segments):
        return Speed(**result, measured_at=_now(),
                     error=f"{route.engine} returned {len(output)} translations for {len(segments)} segments.")
    return Speed(**result, measured_at=_now(), seconds=round(seconds, 4), per_second=round(len(segments) / seconds, 2))


@dataclass
class Report:
    measured: list[Speed]
    left: int  # routes not measured for want of time

    @property
    def failed(self) -> list[Speed]:
        return [speed for speed in self.measured if speed.error]


def measure_map(engine_map: EngineMap, *, budget: float | None = None, clock=None,
                progress=None) -> Report:
    """Measure every translatable pair of the map and store the results.

    With a ``budget`` (seconds), no probe starts once it is spent: the routes never measured come
    first, then the oldest measurements, so pressing again measures what is left. ``progress(route)``
    is called before each probe.
    """
    clock = clock or time.perf_counter
    known = load()
    routes = [route for route in engine_map.routes() if route.translatable]
    routes.sort(key=lambda route: (route.key in known, known[route.key].measured_at if route.key in known else ""))
    started = clock()
    measured: dict[str, Speed] = {}
    for index, route in enumerate(routes):
        if budget is not None and clock() - started >= budget:
            save(measured)
            return Report(list(measured.values()), left=len(routes) - index)
        if progress is not None:
            progress(route)
        measured[route.key] = measure(route, clock=clock)
    save(measured)
    return Report(list(measured.values()), left=0)
