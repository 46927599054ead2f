"""Byline and date accuracy of the importer against ground-truth metadata (import_quality.py prints it).

The benchmark's ground truth holds the article text and address only; metadata comes where a page's
entry has it, in the benchmark's file or in one given with ``--truth FILE`` (a JSON object keyed by
page id, merged over the benchmark's entries):

    {"<page id>": {"authors": ["Jane Doe", "John Roe"], "datePublished": "2019-11-18T10:30:00-05:00"}}

``author`` (a string: "Jane Doe and John Roe", names separated by commas, semicolons or "and") may
stand for ``authors``; an empty list, "" or null says the page credits no person (its outlet, or
nobody). A ``datePublished`` without a time is checked to the day.

Bylines: a page is right when the importer names exactly the same people (in any order, letter
case and spacing aside); precision and recall count names over all pages. Dates: right to the day
(in the ground truth's own time zone) and right to the minute (where the ground truth has a time).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

_SPLIT = re.compile(r"\s*(?:[,;]|\band\b|&)\s*")


def people(entry: dict) -> list[str] | None:
    """The names the ground truth credits, None when it says nothing of the byline."""
    if "authors" in entry:
        value = entry["authors"]
    elif "author" in entry:
        value = entry["author"]
    else:
        return None
    if not value:
        return []
    if isinstance(value, str):
        value = _SPLIT.split(value)
    names = [item.get("name", "") if isinstance(item, dict) else str(item) for item in value]
    return [" ".join(name.split()) for name in names if name and name.strip()]


def _fold(names) -> set[str]:
    return {" ".join(name.split()).casefold() for name in names}


def byline_scores(pairs: list[tuple[list[str], list[str]]]) -> dict:
    """``pairs`` of (expected names, found names): pages right, and name precision and recall."""
    right = sum(1 for expected, found in pairs if _fold(expected) == _fold(found))
    hits = sum(len(_fold(expected) & _fold(found)) for expected, found in pairs)
    found_total = sum(len(_fold(found)) for _, found in pairs)
    expected_total = sum(len(_fold(expected)) for expected, _ in pairs)
    return {"pages": len(pairs), "right": right,
            "precision": hits / found_total if found_total else 1.0,
            "recall": hits / expected_total if expected_total else 1.0}


def _truth_date(value) -> tuple[datetime | None, bool]:
    """(the ground truth's date, whether it has a time)."""
    if not isinstance(value, str) or not value.strip():
        return None, False
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")), len(value) > 10
    except ValueError:
        return None, False


def date_scores(pairs: list[tuple[str, datetime | None]]) -> dict:
    """``pairs`` of (expected datePublished, found datetime): right to the day, to the minute."""
    day = minute = timed = 0
    for expected, found in pairs:
        truth, has_time = _truth_date(expected)
        if truth is None or found is None:
            timed += has_time
            continue
        if truth.tzinfo is not None:
            found = found.astimezone(truth.tzinfo)
        else:
            found = found.replace(tzinfo=None)  # a wall-clock time: compared as the page wrote it
        day += found.date() == truth.date()
        if has_time:
            timed += 1
            minute += abs((found - truth).total_seconds()) < 60
    return {"pages": len(pairs), "day": day, "timed": timed, "minute": minute}


def report(ids: list[str], truth: dict[str, dict], extract: Callable[[str], object]) -> list[str]:
    """Lines to print: byline and date accuracy of ``extract(page_id)`` (an Extracted, or None when
    the importer refused the page) on the pages whose ground truth has that metadata."""
    with_byline = [i for i in ids if people(truth[i]) is not None]
    with_date = [i for i in ids if truth[i].get("datePublished")]
    if not with_byline and not with_date:
        return ["Bylines and dates: no byline/date in the ground truth (add them with --truth FILE; see "
                "bench/metadata_accuracy.py)"]
    found = {i: extract(i) for i in sorted(set(with_byline) | set(with_date))}
    lines = []
    if with_byline:
        pairs = [(people(truth[i]), _names(found[i])) for i in with_byline]
        s = byline_scores(pairs)
        lines.append(f"Bylines: {s['right']}/{s['pages']} pages name exactly the right people "
                     f"({s['right'] / s['pages']:.1%}); names: precision {s['precision']:.4f}, "
                     f"recall {s['recall']:.4f}")
    else:
        lines.append("Bylines: no byline in the ground truth")
    if with_date:
        s = date_scores([(truth[i]["datePublished"], getattr(found[i], "published_at", None)) for i in with_date])
        minute = f"; {s['minute']}/{s['timed']} to the minute" if s["timed"] else ""
        lines.append(f"Dates: {s['day']}/{s['pages']} right to the day ({s['day'] / s['pages']:.1%}){minute}")
    else:
        lines.append("Dates: no date in the ground truth")
    return lines


def _names(extracted) -> list[str]:
    author = getattr(extracted, "author", None)
    return [name.strip() for name in author.split(",")] if author else []
