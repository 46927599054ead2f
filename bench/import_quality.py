"""Article import quality and speed on the extraction benchmark (a script, not a test).

Runs babelpress.ingest.extract.extract_article and plain trafilatura.extract(include_comments=False)
over ../shared/corpus/articles/extraction-benchmark and scores both with the benchmark's metric
(scrapinghub/article-extraction-benchmark, evaluate.py): \\w+ tokens, 4-token shingles counted as
multisets, tp/fp/fn per page normalised to sum to 1, precision and recall averaged over pages, F1
from those means. Speed is CPU time per page, single process (pages/s per core).

    cd /work/main && .venv/bin/python bench/import_quality.py [--limit N] [--repeat N] [--truth FILE]
Also prints byline and date accuracy where the ground truth (or --truth FILE) has them.
Exit status 1 when the goals are missed (F1 at least trafilatura's own, >= 15 pages/s).
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / ".." / "shared" / "corpus" / "articles" / "extraction-benchmark"
F1_TOLERANCE = 0.0  # ours must be at least as good as trafilatura alone (issue 11)
MIN_PAGES_PER_SECOND = 15.0

_TOKEN_RE = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)


def shingles(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN_RE.findall(text or "")
    # As in the benchmark: a text shorter than n tokens is one (short) shingle, none if empty.
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i:i + n])


def tp_fp_fn(true: str, pred: str) -> tuple[float, float, float]:
    t, p = shingles(true), shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def precision(tp, fp, fn):
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall(tp, fp, fn):
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def metrics(scores: list[tuple[float, float, float]]) -> dict[str, float]:
    p = statistics.mean(precision(*s) for s in scores if s[0] + s[1] > 0)
    r = statistics.mean(recall(*s) for s in scores if s[0] + s[2] > 0)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    parser.add_argument("--repeat", type=int, default=1, help="timing passes (best is kept)")
    parser.add_argument("--truth", type=Path, help="more ground-truth metadata, by page id: authors, datePublished "
                                                   "(bench/metadata_accuracy.py)")
    args = parser.parse_args()

    # No django.setup() and no project settings: the extractor touches no database and only needs
    # translation machinery for its messages (English here) and a time zone (UTC, as outside a site).
    sys.path.insert(0, str(ROOT))
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_I18N=True, LANGUAGE_CODE="en", TIME_ZONE="UTC", USE_TZ=True)
    logging.disable(logging.WARNING)  # trafilatura logs every page it discards

    import trafilatura

    from babelpress.ingest.extract import ExtractionError, extract_article
    from babelpress.ingest.language import detect_language

    truth = json.loads((CORPUS / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id, extra in (json.loads(args.truth.read_text(encoding="utf-8")) if args.truth else {}).items():
        if page_id in truth:  # metadata of the benchmark's pages only
            truth[page_id].update(extra)
    ids = sorted(truth)[: args.limit or None]
    pages = {i: gzip.decompress((CORPUS / "html" / f"{i}.html.gz").read_bytes()) for i in ids}
    detect_language("warm the language model up before timing anything")

    def ours(page_id: str) -> str:
        try:
            return extract_article(pages[page_id], truth[page_id].get("url")).text
        except ExtractionError:
            return ""

    def theirs(page_id: str) -> str:
        return trafilatura.extract(pages[page_id], include_comments=False) or ""

    rows = []
    for name, run in (("babelpress extract_article", ours), ("trafilatura.extract", theirs)):
        best = None
        outputs: dict[str, str] = {}
        for _ in range(max(1, args.repeat)):
            start = time.process_time()
            outputs = {i: run(i) for i in ids}
            spent = time.process_time() - start
            best = spent if best is None else min(best, spent)
        scores = [tp_fp_fn(truth[i].get("articleBody", ""), outputs[i]) for i in ids]
        result = metrics(scores)
        result.update(name=name, pages_per_s=len(ids) / best, ms_per_page=1000 * best / len(ids),
                      empty=sum(1 for i in ids if not outputs[i].strip()))
        rows.append(result)

    print(f"{len(ids)} pages from {CORPUS.resolve()}")
    print(f"{'extractor':<28} {'precision':>9} {'recall':>7} {'F1':>7} {'pages/s':>8} {'ms/page':>8} {'empty':>6}")
    for row in rows:
        print(f"{row['name']:<28} {row['precision']:>9.4f} {row['recall']:>7.4f} {row['f1']:>7.4f} "
              f"{row['pages_per_s']:>8.1f} {row['ms_per_page']:>8.1f} {row['empty']:>6}")
    from metadata_accuracy import report  # beside this script

    def extracted(page_id: str):
        try:
            return extract_article(pages[page_id], truth[page_id].get("url"))
        except ExtractionError:
            return None

    for line in report(ids, truth, extracted):
        print(line)
    ours_row, theirs_row = rows
    gap = theirs_row["f1"] - ours_row["f1"]
    ok = gap <= F1_TOLERANCE and ours_row["pages_per_s"] >= MIN_PAGES_PER_SECOND
    print(f"F1 gap to trafilatura: {gap:+.4f} (goal <= {F1_TOLERANCE}); "
          f"speed {ours_row['pages_per_s']:.1f} pages/s per core (goal >= {MIN_PAGES_PER_SECOND:.0f}): "
          f"{'OK' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
