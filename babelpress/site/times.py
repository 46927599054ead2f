"""Times as readers see them: in the site's time zone, saying which, and "3 hours ago" for recent stories.

The zone. Every time is shown in ``BABELPRESS_TIME_ZONE`` and followed by its zone as
``BABELPRESS_TIME_ZONE_LABEL`` says (docs/settings.md): ``name``, CLDR's name of the zone in the
reader's language for that very moment ("heure normale d’Europe centrale", "Կենտրոնական Եվրոպայի
ստանդարտ ժամանակ", "توقيت وسط أوروبا الرسمي" — summer time has its own name); ``offset``, CLDR's
localized GMT format ("UTC+01:00", "GMT+04:00"); or ``none``. CLDR has a pattern for a time with
its zone only as the full time format, with seconds, so the zone is put after the date and time by
a translatable message ("%(time)s (%(zone)s)") that a language may order its own way.

Relative times. Listings (home, section, tag pages) show a story published less than
``RELATIVE_FOR`` ago as "il y a 3 heures", "3 ժամ առաջ", "قبل 3 ساعات" (CLDR, Babel's
``format_timedelta``), counted down to the whole minute under an hour and to the whole hour above,
so the words change at known moments: ``changes_at``. The absolute time stays in the ``<time>``
element's ``datetime`` and ``title``. Pages are cached whole (cache.py), so a listing is kept no
longer than its first label stays true: ``labels_hold`` gives the span, the views pass it to the cache.

Everything here takes the time ("now") as an argument: the functions are pure, and tests give the
moment they mean.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_datetime, format_timedelta
from django.conf import settings
from django.utils import timezone
from django.utils.translation import pgettext

RELATIVE_FOR = timedelta(hours=24)  # the last day's stories: "il y a 23 heures", then the date
MINUTE, HOUR = 60, 3600


def site_zone() -> ZoneInfo:
    return timezone.get_default_timezone()  # ZoneInfo(TIME_ZONE), remembered by Django


def local(moment: datetime) -> datetime:
    """``moment`` in the site's time zone (its ISO form carries the site's offset)."""
    return moment.astimezone(site_zone())


def zone_label(moment: datetime, locale: str) -> str:
    """The zone in force at ``moment`` as BABELPRESS_TIME_ZONE_LABEL says, in ``locale``; "" for none."""
    style = settings.BABELPRESS_TIME_ZONE_LABEL
    if style == "none":
        return ""
    return format_datetime(moment, "zzzz" if style == "name" else "ZZZZ", tzinfo=site_zone(), locale=locale)


def with_zone(shown: str, moment: datetime, locale: str) -> str:
    """``shown`` (``moment``'s date and time as the page writes it) followed by the zone."""
    zone = zone_label(moment, locale)
    if not zone:
        return shown
    return pgettext("a date and time, then its time zone", "%(time)s (%(zone)s)") % {"time": shown, "zone": zone}


def _step(age: float) -> tuple[int, int] | None:
    """The label of a story ``age`` seconds old: (count, unit in seconds), None outside the window.

    Whole minutes under an hour (at least one: a story of a few seconds is "1 minute ago"), whole
    hours above, counted down (3 h 59 min is "3 hours ago"), so each label holds for a whole unit.
    """
    if age < 0 or age >= RELATIVE_FOR.total_seconds():
        return None
    if age < HOUR:
        return max(1, int(age // MINUTE)), MINUTE
    return int(age // HOUR), HOUR


def relative(moment: datetime, now: datetime, locale: str) -> str | None:
    """"il y a 3 heures" for a ``moment`` less than RELATIVE_FOR before ``now``; None otherwise."""
    step = _step((now - moment).total_seconds())
    if step is None:
        return None
    count, unit = step
    # Exactly ``count`` units, and a threshold of 1, so Babel says them in that unit (59 minutes
    # stay "59 minutes", not its default rounding's "1 hour").
    return format_timedelta(timedelta(seconds=-count * unit), threshold=1, add_direction=True, format="long",
                            locale=locale)


def changes_at(moment: datetime, now: datetime) -> datetime | None:
    """When the label of ``moment``, as shown at ``now``, stops being true; None when it never does
    (a date shown once the story is older than RELATIVE_FOR)."""
    age = (now - moment).total_seconds()
    if age < 0:
        return moment  # not published yet: its label changes when it is
    step = _step(age)
    if step is None:
        return None
    count, unit = step
    return moment + timedelta(seconds=(count + 1) * unit)


def shown_since(moment: datetime, now: datetime) -> datetime:
    """Since when ``moment``'s label at ``now`` has been shown (the page's text changed then)."""
    age = (now - moment).total_seconds()
    step = _step(age)
    if step is None:
        return moment + RELATIVE_FOR if age >= 0 else moment
    count, unit = step
    return moment + timedelta(seconds=count * unit if count > 1 or unit == HOUR else 0)


def labels_hold(moments, now: datetime) -> tuple[datetime | None, datetime | None]:
    """(since, until): the span during which a page labelling ``moments`` at ``now`` says the same
    — from the latest change already shown to the first one to come (None: no label changes)."""
    moments = [m for m in moments if m is not None]
    changes = [c for c in (changes_at(m, now) for m in moments) if c is not None]
    since = max((shown_since(m, now) for m in moments), default=None)
    return since, min(changes, default=None)
