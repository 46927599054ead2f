"""bench/metadata_accuracy.py: byline and date accuracy against ground-truth metadata, as
bench/import_quality.py prints it — and what it says when the ground truth has none."""

from __future__ import annotations

import importlib.util
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("metadata_accuracy", ROOT / "bench" / "metadata_accuracy.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

PARIS = timezone(timedelta(hours=1))


def found(author=None, published_at=None):
    return SimpleNamespace(author=author, published_at=published_at)


def test_a_ground_truth_without_metadata_says_so():
    truth = {"a": {"articleBody": "…", "url": "https://x.example/a"}}
    assert bench.report(["a"], truth, lambda i: found("Jane Doe")) == [
        "Bylines and dates: no byline/date in the ground truth (add them with --truth FILE; see "
        "bench/metadata_accuracy.py)"]


def test_bylines_are_right_when_they_name_exactly_the_same_people():
    truth = {
        "both": {"authors": ["Jean Dupont", "Marie Curie"]},
        "order": {"author": "Marie Curie and Jean Dupont"},  # any order, "and" or commas
        "outlet": {"author": None},  # the outlet's own story: nobody is right
        "missed": {"authors": [{"name": "Ann Lee"}]},
        "unknown": {"articleBody": "…"},  # says nothing of its byline: not counted
    }
    ours = {"both": found("Jean Dupont, Marie Curie"), "order": found("jean dupont, Marie  Curie"),
            "outlet": found(None), "missed": found("Paul Autre"), "unknown": found("Whoever")}
    lines = bench.report(list(truth), truth, ours.get)
    assert lines[0] == ("Bylines: 3/4 pages name exactly the right people (75.0%); names: precision 0.8000, "
                        "recall 0.8000")
    assert lines[1] == "Dates: no date in the ground truth"


def test_dates_are_right_to_the_day_in_the_truths_zone_and_to_the_minute_where_it_has_a_time():
    truth = {
        "exact": {"datePublished": "2024-03-05T18:30:00+01:00"},
        "late_evening": {"datePublished": "2024-03-05T23:30:00+01:00"},  # the 5th in Paris, the 5th in UTC too
        "day_only": {"datePublished": "2024-03-05"},
        "wrong": {"datePublished": "2024-03-05T10:00:00Z"},
        "refused": {"datePublished": "2024-03-05T10:00:00Z"},  # the importer refused the page
    }
    ours = {
        "exact": found(published_at=datetime(2024, 3, 5, 17, 30, tzinfo=timezone.utc)),
        "late_evening": found(published_at=datetime(2024, 3, 5, 22, 30, 20, tzinfo=timezone.utc)),
        "day_only": found(published_at=datetime(2024, 3, 5, 12, 0, tzinfo=timezone.utc)),
        "wrong": found(published_at=datetime(2024, 3, 4, 10, 0, tzinfo=PARIS)),
        "refused": None,
    }
    lines = bench.report(list(truth), truth, ours.get)
    assert lines == ["Bylines: no byline in the ground truth", "Dates: 3/5 right to the day (60.0%); 2/4 to the minute"]
