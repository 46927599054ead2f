"""Publication dates as pages and feeds write them (ISO 8601, RFC 2822), made aware."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from django.utils.translation import gettext_noop

from .messages import Message

#: A publication date further ahead than this is a mistake of the page, not a date.
FUTURE_TOLERANCE = timedelta(days=2)


def parse_datetime(value: str | None) -> tuple[datetime | None, str | None]:
    """(aware datetime, note) from ISO 8601 or RFC 2822 text; the note says what was assumed."""
    if not value:
        return None, None
    value = value.strip()
    parsed = None
    try:
        parsed = datetime.fromisoformat(value.replace(" ", "T", 1) if len(value) > 10 else value)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None, None
    if parsed is None:
        return None, None
    note = None
    if len(value) <= 10 and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        # A date without a time: noon UTC is the same calendar day in every time zone.
        parsed = parsed.replace(hour=12, tzinfo=timezone.utc)
        note = Message(gettext_noop("the publication date has no time; 12:00 UTC assumed"))
    elif parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
        note = Message(gettext_noop("the publication time has no time zone; UTC assumed"))
    return parsed, note


def publication_date(values, warnings: list[str]) -> datetime | None:
    """The first of ``values`` that reads as a date, unless it lies in the future; what was assumed
    (no time, no time zone), ignored or missing is added to ``warnings``."""
    published_at, note = None, None
    for value in values:
        published_at, note = parse_datetime(value)
        if published_at is not None:
            break
    if published_at is not None and published_at > datetime.now(timezone.utc) + FUTURE_TOLERANCE:
        warnings.append(Message(gettext_noop("publication date %(date)s is in the future; ignored"),
                                date=published_at.isoformat()))
        published_at, note = None, None
    if published_at is None:
        warnings.append(Message(gettext_noop("no publication date found")))
    elif note:
        warnings.append(note)
    return published_at
