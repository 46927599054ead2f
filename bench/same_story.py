#!/usr/bin/env python3
"""Importing many near-duplicate pages: time, peak memory and rows written (a script, not a test).

Generates look-alike article pages (one long story, each copy with a few words changed and its own
headline and address, so that every page is a near-duplicate of every other), sets Django up on a
temporary SQLite database (BABELPRESS_DATA_DIR in a temporary folder), and imports them through the
real import code path (``pipeline.import_file``, as the admin's upload and ``babelpress import
FILE`` do: extraction, dedup, same-story grouping, every database write), one call per page with
no index handed over, like separate editors' imports. No network.

Phase 1 imports N pages ("the earlier ones"), phase 2 imports N more look-alikes beside them. For
each phase it prints wall time, pages/s, the process's peak resident memory (getrusage), and the
rows written (INSERT/UPDATE/DELETE row counts seen by the database connection, per table). The
outcomes of a phase are kept until its end, as a feed poll's report keeps them.

    .venv/bin/python bench/same_story.py [--pages 500] [--tracemalloc] [--keep]

--tracemalloc adds the peak of Python allocations per phase (slower: timings are then not comparable).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WORDS = ("council mayor bridge river budget school harbour workers union museum festival railway station "
         "hospital doctors farmers market village election minister report court judge police storm water "
         "energy prices housing tenants students teachers library theatre garden forest mountain coast "
         "fishermen trade company factory engineers record season team coach players city region").split()
GLUE = "the a of and in on for with from after before".split()
_WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def base_story(seed: int = 1, paragraphs: int = 8, words: int = 60) -> list[list[str]]:
    rng = random.Random(seed)
    return [[rng.choice(WORDS if i % 3 else GLUE) for i in range(words)] for _ in range(paragraphs)]


def look_alike(base: list[list[str]], n: int, changes: int = 3) -> str:
    """Page ``n``: the base story with ``changes`` words replaced (Jaccard ≈ 0.9 with any other copy)."""
    rng = random.Random(1000 + n)
    paragraphs = [list(p) for p in base]
    for _ in range(changes):
        p = rng.randrange(len(paragraphs))
        paragraphs[p][rng.randrange(len(paragraphs[p]))] = f"word{n}x{rng.randrange(10**6)}"
    headline = f"Council approves the harbour plan, report {n}"
    body = "".join(f"<p>{escape(' '.join(p).capitalize())}.</p>" for p in paragraphs)
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{headline}</title>"
            f"<meta property='og:site_name' content='Wire {n % 7}'><meta name='author' content='Jane Doe'>"
            f"<meta property='article:published_time' content='2026-03-02T10:00:00+00:00'></head><body>"
            f"<main><article><h1>{headline}</h1>{body}</article></main></body></html>")


class WriteCounter:
    """A connection execute wrapper that adds up the rows each INSERT, UPDATE and DELETE touched."""

    def __init__(self):
        self.rows: Counter = Counter()
        self.statements = 0

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        self.statements += 1
        match = _WRITE.match(sql)
        if match:
            verb = match.group(1).split()[0].upper()
            count = context["cursor"].rowcount
            if count <= 0 and verb == "INSERT":  # SQLite: unknown for INSERT … RETURNING: count the rows
                count = len(params) if many else sql.count("), (") + 1
            self.rows[(match.group(2), verb)] += max(count, 0)
        return result


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def phase(name: str, pages: range, base, args) -> None:
    from django.db import connection

    from babelpress.ingest import pipeline

    counter = WriteCounter()
    if args.tracemalloc:
        tracemalloc.start()
    outcomes = []  # kept, as a feed report (Report.outcomes) and the command line's summary keep them
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        for n in pages:
            outcome = pipeline.import_file(look_alike(base, n), url=f"https://wire{n % 7}.example/story/{n}")
            outcomes.append(outcome)
            if not outcome.ok:
                sys.exit(f"page {n} failed: {outcome.reason}")
    statuses = Counter(o.status for o in outcomes)
    elapsed = time.perf_counter() - started
    traced = ""
    if args.tracemalloc:
        traced = f", Python allocations peak {tracemalloc.get_traced_memory()[1] / 2**20:,.1f} MiB"
        tracemalloc.stop()
    total = sum(counter.rows.values())
    print(f"{name}: {len(pages)} pages in {elapsed:.1f} s ({len(pages) / elapsed:.1f} pages/s), "
          f"peak RSS so far {peak_rss_mb():,.0f} MiB{traced}; {dict(statuses)}")
    print(f"  rows written: {total:,} in {counter.statements:,} statements")
    for (table, verb), rows in sorted(counter.rows.items()):
        print(f"    {verb:6s} {table:32s} {rows:>9,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500, help="N: pages imported first, and again beside them")
    parser.add_argument("--tracemalloc", action="store_true", help="also report Python allocation peaks (slower)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (and its database)")
    args = parser.parse_args()

    data = Path(tempfile.mkdtemp(prefix="babelpress-bench-same-story-"))
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "babelpress.settings",
        "BABELPRESS_DATA_DIR": str(data),
        "BABELPRESS_SECRET_KEY": "bench-only-not-secret-" + "x" * 40,
        "BABELPRESS_LOG_LEVEL": "WARNING",
        "BABELPRESS_TRANSLATION_AUTO": "0",  # measure the import alone: no translation jobs queued
    })
    for var in ("DATABASE_URL", "BABELPRESS_DEBUG"):
        os.environ.pop(var, None)
    sys.path.insert(0, str(ROOT))
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from babelpress.newsroom.models import Section

        call_command("migrate", verbosity=0)
        Section.objects.create(key="news")
        base = base_story()
        print(f"{args.pages} look-alike pages, then {args.pages} more beside them; SQLite in {data}; "
              f"peak RSS after setup {peak_rss_mb():,.0f} MiB")
        phase("earlier pages", range(args.pages), base, args)
        phase("look-alikes beside them", range(args.pages, 2 * args.pages), base, args)
    finally:
        if args.keep:
            print(f"kept {data}")
        else:
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
