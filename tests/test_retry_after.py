"""Retry-After, read defensively (babelpress/retry_after.py): the importer's feed polls and the
translation engines share this one reader. Hostile values never raise: they are clamped to
0 … maximum, or ignored (None) so the caller keeps its own backoff."""

from __future__ import annotations

import random
from datetime import datetime, timezone

import pytest

from babelpress.retry_after import MAX_SECONDS, parse_retry_after

NOW = datetime(2026, 3, 2, 10, 0, 0, tzinfo=timezone.utc)
DAY = 24 * 3600.0


@pytest.mark.parametrize("value, expected", [
    ("120", 120.0),
    ("  7 ", 7.0),
    ("0", 0.0),
    ("1.5", 1.5),
    (b"30", 30.0),
    ("Mon, 02 Mar 2026 10:05:00 GMT", 300.0),  # an HTTP-date five minutes after NOW
    ("Monday, 02-Mar-26 10:05:00 GMT", 300.0),  # the obsolete RFC 850 form
    ("Mon, 02 Mar 2026 10:05:00 -0000", 300.0),  # "zone unknown": read as GMT
])
def test_delay_seconds_and_http_dates_are_read(value, expected):
    assert parse_retry_after(value, now=NOW) == expected


@pytest.mark.parametrize("value, expected", [
    ("100000000000000000", DAY),  # int() is fine, timedelta(seconds=...) overflows: clamped
    ("9" * 64, DAY),
    ("-5", 0.0),  # negative: "now"
    ("-100000000000000000", 0.0),
    ("Fri, 31 Dec 9999 23:59:59 GMT", DAY),  # far future: clamped
    ("Thu, 01 Jan 1970 00:00:00 GMT", 0.0),  # in the past: now
])
def test_hostile_but_readable_values_are_clamped(value, expected):
    assert parse_retry_after(value, now=NOW) == expected


@pytest.mark.parametrize("value", [
    None, "", "   ", "²", "³⁴", "٣٠", "１２０", "soon", "NaN", "inf", "-inf", "1e9", "0x10", "12 s", "1,5",
    "Thu, 01 Jan 99999 00:00:00 GMT",  # year out of range (ValueError in datetime)
    "Mon, 32 Mar 2026 10:00:00 GMT", "Mon, 02 Foo 2026 10:00:00 GMT", "Mon, 02 Mar 2026 25:61:61 GMT",
    "9" * 65,  # longer than any real value: garbage
    "\x00\x01\x02", "\ud800", "Retry-After: 5",
])
def test_unreadable_values_are_ignored(value):
    assert parse_retry_after(value, now=NOW) is None


def test_the_maximum_is_the_callers(monkeypatch):
    assert parse_retry_after("3600", maximum=60) == 60
    assert parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now=NOW, maximum=10) == 10
    assert MAX_SECONDS == DAY


def test_random_garbage_never_raises():
    rng = random.Random(7)
    alphabet = "0123456789 -+.,:GMTMonDecJan²³¹⁰٣１\x00\t\r\n" + "".join(map(chr, range(0x20, 0x7f)))
    for _ in range(3000):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        result = parse_retry_after(value, now=NOW)
        assert result is None or 0.0 <= result <= DAY, (value, result)
