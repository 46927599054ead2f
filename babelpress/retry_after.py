"""Reading a ``Retry-After`` header defensively: one home for the importer and the translation engines.

A partner's server or a translation API says how long to wait, as delay-seconds ("120") or an
HTTP-date (RFC 9110 §10.2.3). The header comes from outside: "²", "100000000000000000", "-5",
a date in the year 99999 or plain garbage must never crash the caller, nor make it wait for ever.
Unreadable values give None (the caller keeps its own backoff); readable ones are clamped to
0 … ``maximum`` seconds.

Neutral on purpose: ``babelpress.ingest`` and ``babelpress.translation`` may both import it, and
never each other.
"""

from __future__ import annotations

import email.utils
import re
from datetime import datetime, timezone

#: The longest wait honoured by default: a day.
MAX_SECONDS = 24 * 3600.0
#: Longer than any real date or delay: the rest is garbage, not worth parsing.
_MAX_LENGTH = 64
# ASCII digits only: str.isdigit() also accepts "²" and "٣", which int() then refuses.
_DELAY = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?", re.ASCII)


def parse_retry_after(value: str | bytes | None, *, now: datetime | None = None,
                      maximum: float = MAX_SECONDS) -> float | None:
    """Seconds to wait, between 0 and ``maximum``; None when absent or unreadable.

    A negative delay or a date in the past means 0; a huge delay or a far-future date means
    ``maximum``. ``now`` (aware) is the time an HTTP-date is measured from (default: the clock).
    """
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")  # header bytes, as HTTP defines them
    value = str(value).strip()
    if not value or len(value) > _MAX_LENGTH:
        return None
    if _DELAY.fullmatch(value):
        seconds = float(value)  # at most 64 digits: a large float, clamped below, never an error
    else:
        seconds = _seconds_until(value, now)
        if seconds is None:
            return None
    return min(max(seconds, 0.0), float(maximum))


def _seconds_until(value: str, now: datetime | None) -> float | None:
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):  # not a date, or year 99999
        return None
    if when is None:
        return None
    if when.tzinfo is None:  # "-0000": RFC 5322's "time zone unknown"; HTTP-dates are GMT
        when = when.replace(tzinfo=timezone.utc)
    try:
        return (when - (now or datetime.now(timezone.utc))).total_seconds()
    except OverflowError:  # pragma: no cover - datetimes span less than timedelta's range
        return None
