"""Publication dates as pages and feeds write them (ISO 8601, RFC 2822), made aware.

Which date: ``publication_date`` takes the first of the values it is given that reads as a date;
extract.py gives them most reliable first — the JSON-LD ``datePublished`` of the page's own
article, the publication meta tags, ``<time itemprop="datePublished">`` (metadata.py), then
htmldate's guess — and a date without a time is completed by another of the page's statements
giving a time that same day (``with_time``). docs/publishing.md, "An imported story's date".

Which zone, for a timestamp that states none ("2019-03-12T10:00"): never silently UTC. In order,

1. the page's own zone: the offset of another timestamp on the same page (its dateModified, an
   ``article:modified_time``, a ``<time datetime>``, "… UTC"), read as the site's named zone when
   that zone has this offset at that moment (so summer and winter time both come out right), else
   as the fixed offset;
2. the zone the caller knows (``fallback``): the feed's, when the page is a feed entry's and the
   feed states an offset (``feed_zone``, ``entry_dates``);
3. the site's ``TIME_ZONE``.

The warning added says which zone was assumed, for the editor to check.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from django.utils.translation import gettext_noop

from .messages import Message

#: A publication date further ahead than this is a mistake of the page, not a date.
FUTURE_TOLERANCE = timedelta(days=2)
_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
NO_DATE = Message(gettext_noop("no publication date found"))


@dataclass(frozen=True)
class Zone:
    """A time zone assumed for times that state none, and how the editor is told where it came from."""

    tz: tzinfo
    said: Message  # "the page's own zone (UTC+04:00, as its other timestamps say)"


def site_zone_name() -> str:
    """The site's TIME_ZONE; UTC where no Babelpress settings can be read (a script such as the bench)."""
    try:
        return settings.TIME_ZONE
    except ImproperlyConfigured:
        return "UTC"


def site_zone() -> Zone:
    name = site_zone_name()
    return Zone(ZoneInfo(name), Message(gettext_noop("the site's time zone (%(name)s)"), name=name))


def offset_name(offset: timedelta) -> str:
    """UTC+01:00, UTC-05:00, UTC+05:45."""
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


_UTC_WORD = re.compile(r"(\d)\s*(?:UTC|GMT)$", re.IGNORECASE)


def _parse(value: str) -> datetime | None:
    """Naive or aware, as written; None when it is not a timestamp. "2019-11-19 02:24:00 UTC" is UTC."""
    if _UTC_WORD.search(value) and value[:4].isdigit():
        parsed = _parse(_UTC_WORD.sub(r"\1", value).strip())
        return parsed.replace(tzinfo=timezone.utc) if parsed is not None and parsed.tzinfo is None else parsed
    try:
        return datetime.fromisoformat(value.replace(" ", "T", 1) if len(value) > 10 else value)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value)  # naive for no zone and for "-0000" ("zone unknown", RFC 5322)
    except (TypeError, ValueError, IndexError):
        return None


def _aware(value) -> datetime | None:
    parsed = _parse(value.strip()) if isinstance(value, str) and value.strip() else None
    return parsed if parsed is not None and parsed.tzinfo is not None else None


def stated_zone(value: str | None, whose: Message, evidence: Message) -> Zone | None:
    """The zone ``value`` states by its offset, None when it states none or is not a date: the
    site's zone when it has that offset at that moment (summer and winter time then both come out
    right), else the fixed offset. Warnings name it "<whose> (<zone>, as <evidence>)"."""
    parsed = _aware(value)
    if parsed is None:
        return None
    offset, site = parsed.utcoffset(), site_zone().tz
    if site.utcoffset(parsed.replace(tzinfo=None)) == offset:
        return Zone(site, Message(gettext_noop("%(whose)s (%(zone)s, as %(evidence)s: %(offset)s on %(date)s)"),
                                  whose=whose, zone=site.key, evidence=evidence, offset=offset_name(offset),
                                  date=f"{parsed:%Y-%m-%d}"))
    return Zone(timezone(offset), Message(gettext_noop("%(whose)s (%(offset)s, as %(evidence)s)"), whose=whose,
                                          offset=offset_name(offset), evidence=evidence))


def page_zone(timestamps, fallback: Zone | None = None) -> Zone:
    """The zone a page's zone-less times are in: the page's own (that of the first of its
    ``timestamps`` stating an offset), else ``fallback`` (the feed's), else the site's."""
    for value in timestamps:
        found = stated_zone(value, Message(gettext_noop("the page's own zone")),
                            Message(gettext_noop("its other timestamps say")))
        if found is not None:
            return found
    return fallback or site_zone()


def from_struct_time(value) -> datetime | None:
    """feedparser's parsed date (a UTC struct_time) as an aware datetime."""
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def entry_dates(raw, zone: Zone) -> tuple[datetime | None, datetime | None, Zone, str | None]:
    """A feed entry's publication and update dates (feedparser's entry ``raw``), a date stating no
    zone read in ``zone`` (``feed_zone``); the zone of the zone-less times of the entry's page (its
    date's, else ``zone``); what was assumed, for the editor."""
    # dict.get: FeedParserDict answers a missing "updated" with the published date (and a
    # DeprecationWarning per entry); we want to know there is none.
    published, note = feed_date(dict.get(raw, "published"), from_struct_time(dict.get(raw, "published_parsed")), zone)
    published = published or from_struct_time(dict.get(raw, "created_parsed"))
    updated, updated_note = feed_date(dict.get(raw, "updated"), from_struct_time(dict.get(raw, "updated_parsed")), zone)
    page = stated_zone(dict.get(raw, "published") or dict.get(raw, "updated"), Message(gettext_noop("the feed's zone")),
                       Message(gettext_noop("its date for this entry says")))
    return published, updated, page or zone, note if published else updated_note


def feed_zone(dates) -> Zone:
    """The zone a feed's zone-less dates are in: that of the first of its ``dates`` stating an
    offset, else the site's."""
    for value in dates:
        found = stated_zone(value, Message(gettext_noop("the feed's zone")), Message(gettext_noop("its other dates say")))
        if found is not None:
            return found
    return site_zone()


def feed_date(text: str | None, parsed: datetime | None, zone: Zone) -> tuple[datetime | None, str | None]:
    """One date of a feed entry: feedparser's reading (``parsed``) of ``text``, unless ``text``
    states no zone (feedparser then takes UTC, or drops an RFC 822 date): ``text`` read in ``zone``."""
    if isinstance(text, str) and text.strip():
        ours = _parse(text.strip())
        if ours is not None and ours.tzinfo is None:
            return parse_datetime(text, zone)
    return parsed, None


def with_time(value: str | None, others) -> str | None:
    """``value``; when it is a date without a time, the first of ``others`` (the page's other
    statements of its publication) that gives a time on that same day."""
    if not isinstance(value, str) or not _DATE_ONLY.fullmatch(value.strip()):
        return value
    for other in others:
        if isinstance(other, str) and other.strip()[:10] == value.strip() and len(other.strip()) > 10 \
                and _parse(other.strip()) is not None:
            return other.strip()
    return value


def parse_datetime(value: str | None, zone: Zone | None = None) -> tuple[datetime | None, str | None]:
    """(aware datetime, note) from ISO 8601 or RFC 2822 text; the note says what was assumed: a
    date without a time is 12:00 UTC (the same calendar day in every zone); a time without a zone is
    in ``zone`` (by default the site's)."""
    if not value or not isinstance(value, str):
        return None, None
    value = value.strip()
    parsed = _parse(value)
    if parsed is None:
        return None, None
    if len(value) <= 10 and _DATE_ONLY.fullmatch(value):
        return parsed.replace(hour=12, tzinfo=timezone.utc), Message(
            gettext_noop("the publication date has no time; 12:00 UTC assumed"))
    if parsed.tzinfo is not None:
        return parsed, None
    zone = zone or site_zone()
    # ZoneInfo resolves a wall time that happens twice (autumn) or never (spring) by fold=0: the earlier.
    aware = parsed.replace(tzinfo=zone.tz)
    note = Message(gettext_noop("the publication time %(time)s gives no time zone: %(zone)s was assumed; "
                                "check the time"), time=parsed.strftime("%Y-%m-%d %H:%M"), zone=zone.said)
    return aware, note


def publication_date(values, warnings: list[str], zone: Zone | None = None) -> datetime | None:
    """The first of ``values`` that reads as a date, unless it lies in the future; a time without
    a zone is read in ``zone`` (``page_zone``); what was assumed (no time, which zone), ignored or
    missing is added to ``warnings``."""
    published_at, note = None, None
    for value in values:
        published_at, note = parse_datetime(value, zone)
        if published_at is not None:
            break
    if published_at is not None and published_at > datetime.now(timezone.utc) + FUTURE_TOLERANCE:
        warnings.append(Message(gettext_noop("publication date %(date)s is in the future; ignored"),
                                date=published_at.isoformat()))
        published_at, note = None, None
    if published_at is None:
        warnings.append(NO_DATE)
    elif note:
        warnings.append(note)
    return published_at
