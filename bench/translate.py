#!/usr/bin/env python3
"""What the translation pipeline costs beyond the engine, and what an edit costs.

Builds a random-weight Argos package (babelpress.translation.testing, Transformer-base sized by
default, so the engine's share of the time is realistic) in a temporary folder, sets Django up on
a temporary SQLite database there (BABELPRESS_DATA_DIR), creates a 20-paragraph English story and
prints, as medians over --repeat runs:

  (a) raw engine time: LocalEngine.translate_batch on the story's segment texts, nothing else;
  (b) full pipeline time for the same story, from scratch (no memory, no previous translation):
      segmenting, memory look-up, the engine, restoring markup, QA, and every database write;
  (c) the pipeline's overhead: (b) minus the engine time measured inside the same run, in
      milliseconds and as a percentage of the engine time (goal: under 5 %);
  (d) the engine calls and segments sent when one paragraph of the 20 is edited (expected: 1, 1).

Usage: bench/translate.py [--repeat 7] [--d-model 512] [--layers 6] [--ffn 2048] [--heads 8]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PARAGRAPHS = [
    "The city council voted today on the new water price after a long week of talks with workers.",
    "The minister said the government would report to the court before the election next year.",
    "People at the market said prices rose again this week, and many families are worried.",
    "Police said the strike at the school ended when health workers met the council on Monday.",
    "Rain fell on the city for a third day, and the river rose above its highest level since 2019.",
    "The report said the new school will open next year if the government keeps its promise.",
    "Workers at the water plant said they will strike again if the talks fail this week.",
    "The court said the election results will stand, a decision the minister welcomed today.",
    "Health officials said the rain has not affected the water, which remains safe to drink.",
    "The market will move to a new site by the river, the council said in a short statement.",
    "People who live near the river were told to leave their homes before the night.",
    "The government said the new price of water will not change until the end of the year.",
    "Teachers at the school said the strike was about pay and about the state of the buildings.",
    "The police report said no one was hurt when the old market roof fell in the storm.",
    "The minister visited the city today and met people whose homes were damaged by the rain.",
    "The council said it will spend more on the river banks next year to stop new floods.",
    "Workers said the talks with the government were the best in years, but nothing is signed.",
    "The election will take place in the spring, a week later than planned, the court said.",
    "People at the market said the new site by the river is too far from the city centre.",
    "The report will be published next week, the council said, together with the new budget.",
]


def median_ms(values) -> float:
    return statistics.median(values) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="Timed runs per measurement (median reported).")
    parser.add_argument("--d-model", type=int, default=512)
    parser.add_argument("--layers", type=int, default=6)
    parser.add_argument("--heads", type=int, default=8)
    parser.add_argument("--ffn", type=int, default=2048)
    parser.add_argument("--max-decoding-length", type=int, default=64,
                        help="Random weights do not know when a sentence ends: cap outputs near sentence length.")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary folder.")
    args = parser.parse_args()

    data = Path(tempfile.mkdtemp(prefix="babelpress-bench-translate-"))
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "babelpress.settings",
        "BABELPRESS_DATA_DIR": str(data),
        "BABELPRESS_SECRET_KEY": "bench-only-not-secret-" + "x" * 40,
        "BABELPRESS_LOG_LEVEL": "WARNING",
        "BABELPRESS_TRANSLATION_ENGINE": "local",
        "BABELPRESS_TRANSLATION_AUTO": "0",  # nothing queued behind our back
        "BABELPRESS_LOCAL_MAX_DECODING_LENGTH": str(args.max_decoding_length),
    })
    for var in ("DATABASE_URL", "BABELPRESS_MODELS_DIR", "BABELPRESS_DEBUG"):
        os.environ.pop(var, None)
    sys.path.insert(0, str(ROOT))
    try:
        run(args, data)
    finally:
        if args.keep:
            print(f"kept {data}")
        else:
            shutil.rmtree(data, ignore_errors=True)


def run(args, data: Path) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from babelpress.newsroom.models import Article, Section
    from babelpress.translation import pipeline, registry
    from babelpress.translation.argos_packages import install_package
    from babelpress.translation.models import MemoryEntry
    from babelpress.translation.segmenter import segment_article
    from babelpress.translation.testing import build_tiny_argos_package

    started = time.perf_counter()
    package = build_tiny_argos_package(
        data / "packages", "en", "fr", d_model=args.d_model, layers=args.layers, heads=args.heads, ffn=args.ffn,
    )
    install_package(package, data / "models")
    built = time.perf_counter() - started
    call_command("migrate", verbosity=0)

    section = Section.objects.create(key="news")
    story = Article.objects.create(
        language="en", headline="Floods, strikes and a new water price", section=section,
        body="".join(f"<p>{p}</p>" for p in PARAGRAPHS), status=Article.Status.PUBLISHED,
    )
    engine = registry.engine_for("en", "fr")
    texts = [s.text for s in segment_article(pipeline.article_fields(story), "en").segments]
    print(f"model: random Transformer d_model={args.d_model}, {args.layers}+{args.layers} layers, ffn={args.ffn}, "
          f"{package.stat().st_size / 1e6:.0f} MB (built and installed in {built:.1f} s); "
          f"engine {engine.describe()}, compute_type {engine.compute_type}, beam {engine.beam_size}, "
          f"{os.cpu_count()} CPUs")
    print(f"story: headline + {len(PARAGRAPHS)} paragraphs = {len(texts)} segments, "
          f"{sum(len(t) for t in texts)} characters; {args.repeat} timed runs each, medians")

    # The engine time inside each pipeline run, to subtract exactly what the engine spent.
    inside: list[float] = []
    calls: list[list[str]] = []
    real = engine.translate_batch

    def timed(segments, source, target):
        calls.append(list(segments))
        t0 = time.perf_counter()
        try:
            return real(segments, source, target)
        finally:
            inside.append(time.perf_counter() - t0)

    engine.translate_batch = timed

    def from_scratch():
        Article.objects.filter(translation_key=story.translation_key, language="fr").delete()
        MemoryEntry.objects.all().delete()
        inside.clear()
        t0 = time.perf_counter()
        result = pipeline.translate_article(Article.objects.get(pk=story.pk), "fr")
        total = time.perf_counter() - t0
        assert result.engine_calls == 1 and result.segments_from_memory == 0
        return total, inside[0]

    # Warm-up: model load, tokenizer, QA's language identifier, database pages.
    real(texts, "en", "fr")
    from_scratch()

    raw, totals, overheads, engine_in_pipeline = [], [], [], []
    for _ in range(args.repeat):  # interleaved, so drift in machine speed hits both alike
        t0 = time.perf_counter()
        real(texts, "en", "fr")
        raw.append(time.perf_counter() - t0)
        total, spent = from_scratch()
        totals.append(total)
        engine_in_pipeline.append(spent)
        overheads.append(total - spent)

    overhead_ms = median_ms(overheads)
    engine_ms = median_ms(engine_in_pipeline)
    print(f"(a) raw engine: LocalEngine.translate_batch, {len(texts)} segments   {median_ms(raw):8.1f} ms")
    print(f"(b) full pipeline, from scratch                      {median_ms(totals):8.1f} ms "
          f"(engine inside it: {engine_ms:.1f} ms)")
    print(f"(c) pipeline overhead: (b) minus its engine time     {overhead_ms:8.1f} ms = "
          f"{100 * overhead_ms / engine_ms:.1f} % of the engine time (goal < 5 %)")
    print(f"    (b) vs (a), separate runs: {100 * (median_ms(totals) - median_ms(raw)) / median_ms(raw):+.1f} % "
          f"(engine run-to-run noise included)")

    # (d) Edit one paragraph of the 20 and translate again.
    edited = list(PARAGRAPHS)
    edited[6] = "Workers at the water plant said they will not strike, whatever happens in the talks."
    story.body = "".join(f"<p>{p}</p>" for p in edited)
    story.save()
    calls.clear()
    inside.clear()
    t0 = time.perf_counter()
    result = pipeline.translate_article(Article.objects.get(pk=story.pk), "fr")
    total = time.perf_counter() - t0
    sent = sum(len(c) for c in calls)
    print(f"(d) one paragraph of {len(PARAGRAPHS)} edited: {len(calls)} engine call(s), {sent} segment(s) sent "
          f"({calls[0][0][:48] + '…' if calls else '-'}), {result.segments_from_memory} from memory; "
          f"{total * 1000:.1f} ms in all, {sum(inside) * 1000:.1f} ms in the engine")
    if (len(calls), sent) != (1, 1):
        sys.exit("FAIL: an edit of one paragraph should cost one engine call with one segment")


if __name__ == "__main__":
    main()
