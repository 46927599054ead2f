#!/usr/bin/env python3
"""Translation quality per engine and language pair: chrF++ and BLEU on a parallel test set.

Scores every configured translation engine (BABELPRESS_TRANSLATION_ENGINES, as `babelpress` sees
them with this environment), or those named with --engine, on every pair it supports among the
site's content languages (or --pairs), with sacrebleu:

  chrF++  CHRF(word_order=2), the headline figure: character n-grams (plus word bigrams) give
          partial credit for a right stem with a wrong ending, which matters for Armenian,
          Russian and Arabic morphology, where word-level BLEU counts it as a plain miss;
  BLEU    BLEU with the '13a' tokenizer ('zh' for Chinese, 'char' for Japanese, Korean, Thai...).
          Published FLORES-200 figures are usually spBLEU (the 'flores200' SentencePiece
          tokenizer, which sacrebleu downloads): not comparable, and not used here.

The test set is two aligned files, one sentence per line (--source, --reference, --pair en-hy), or
a FLORES-200-style folder (--flores DIR): FLORES-200 (DIR/devtest/eng_Latn.devtest) or FLORES+
(DIR/devtest/devtest.eng_Latn, or DIR/devtest/eng_Latn.txt); DIR may also be the folder holding
the unpacked one. Each sentence goes through the engine's translate_batch exactly as the pipeline
sends segments (XML-escaped & < >; the answer unescaped), --batch-size sentences per call. One
warm-up sentence is translated first (loading a model is not translation speed); segments/s is
sentences over the time spent in translate_batch. A pair an engine fails on gets a row saying why.

Usage:
  bench/translation_quality.py --flores ~/flores200_dataset [--split devtest] [--limit 200]
      [--pairs en-hy,fr-hy] [--engine local] [--json results.json] [--translations out/]
  bench/translation_quality.py --source news.en.txt --reference news.hy.txt --pair en-hy
Exit status: 0 when at least one row was scored, 1 when none was, 2 for bad input.
"""

from __future__ import annotations

import argparse
import html
import itertools
import json
import os
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))  # parallel_test_sets, beside this file

from parallel_test_sets import BadInput, ParallelSet, file_set, flores_sets, parse_pair  # noqa: E402

# BLEU's tokenizer per target language: sacrebleu's '13a' splits on spaces and punctuation, which
# does not segment these scripts; 'zh' and 'char' ship with sacrebleu (no download, no MeCab).
BLEU_TOKENIZERS = {"zh": "zh", "ja": "char", "ko": "char", "th": "char", "my": "char", "km": "char", "lo": "char"}


@dataclass
class Row:
    engine: str
    pair: str
    sentences: int
    chrf: float | None = None
    bleu: float | None = None
    seconds: float | None = None
    route: str = ""
    problem: str = ""
    translations: list[str] = field(default_factory=list, repr=False)

    @property
    def segments_per_second(self) -> float | None:
        return self.sentences / self.seconds if self.seconds else None


# --- Scoring -----------------------------------------------------------------------------------------


def bleu_tokenizer(target: str) -> str:
    from babelpress.translation.language_tokens import base_language

    return BLEU_TOKENIZERS.get(base_language(target), "13a")


def scores(hypotheses: list[str], references: list[str], target: str) -> tuple[float, float]:
    """(chrF++, BLEU) of a whole test set, both 0–100, as sacrebleu computes them."""
    from sacrebleu.metrics import BLEU, CHRF

    chrf = CHRF(word_order=2).corpus_score(hypotheses, [references]).score
    bleu = BLEU(tokenize=bleu_tokenizer(target)).corpus_score(hypotheses, [references]).score
    return chrf, bleu


def describe_route(engine, source: str, target: str) -> str:
    """"direct (opus-mt-en-hy)", "via en (fr-en, en-hy)", or "direct" for a service (no model named)."""
    steps = engine.route(source, target)
    if not steps:
        return "no route"
    models = [step.model + (" NON-COMMERCIAL" if step.non_commercial else "") for step in steps if step.model]
    way = "direct" if len(steps) == 1 else "via " + ", ".join(step.target for step in steps[:-1])
    return f"{way} ({', '.join(models)})" if models else way


def translate(engine, sentences: list[str], source: str, target: str, batch_size: int, clock) -> tuple[list, float]:
    """The engine's translations of ``sentences`` and the seconds spent in translate_batch."""
    out, spent = [], 0.0
    for start in range(0, len(sentences), batch_size):
        batch = [html.escape(s, quote=False) for s in sentences[start:start + batch_size]]
        began = clock()
        answers = engine.translate_batch(batch, source, target)
        spent += clock() - began
        if len(answers) != len(batch):
            raise RuntimeError(f"translate_batch returned {len(answers)} texts for {len(batch)} segments")
        out += [html.unescape(a) for a in answers]
    return out, spent


def score_pair(name: str, engine, test: ParallelSet, batch_size: int, clock) -> Row:
    from babelpress.translation.engines.base import EngineError

    row = Row(name, test.pair, len(test.sources))
    s, t = test.source_language, test.target_language
    try:
        row.route = describe_route(engine, s, t)
        translate(engine, test.sources[:1], s, t, 1, clock)  # warm-up: loads the model
        row.translations, row.seconds = translate(engine, test.sources, s, t, batch_size, clock)
    except EngineError as exc:
        row.problem = str(exc)
        return row
    except Exception as exc:  # an engine bug must not stop the run: the row says what happened
        row.problem = f"{type(exc).__name__}: {exc}"
        return row
    row.chrf, row.bleu = scores(row.translations, test.references, t)
    return row


def run_bench(engines: dict, sets: list[ParallelSet], *, batch_size: int = 32, allow_paid: bool = False,
              clock=time.perf_counter) -> tuple[list[Row], dict[str, list[str]]]:
    """Rows for every engine × pair it supports, and {engine: pairs it does not support}."""
    from babelpress.translation.engines.base import EngineError

    rows, unsupported = [], {}
    for name, engine in engines.items():
        for test in sets:
            try:
                supported = engine.supports(test.source_language, test.target_language)
            except EngineError as exc:
                rows.append(Row(name, test.pair, len(test.sources), problem=str(exc)))
                continue
            if not supported:
                unsupported.setdefault(name, []).append(test.pair)
            elif engine.paid and not allow_paid:
                characters = sum(len(s) for s in test.sources)
                rows.append(Row(name, test.pair, len(test.sources), problem=(
                    f"paid engine, not run: it would be charged for {characters:,} characters "
                    "(pass --allow-paid to score it)")))
            else:
                rows.append(score_pair(name, engine, test, batch_size, clock))
    return rows, unsupported


# --- Report --------------------------------------------------------------------------------------------


def print_report(rows: list[Row], unsupported: dict[str, list[str]], notes: list[str], console) -> None:
    from rich.table import Table

    if not rows:
        console.print("Nothing to score: no engine supports these pairs.")
    table = Table(title="Translation quality (chrF++ and BLEU, 0–100)", title_justify="left")
    for column in ("Engine", "Pair", "chrF++", "BLEU", "Sentences", "Segments/s"):
        table.add_column(column, justify="left" if column in ("Engine", "Pair") else "right")
    table.add_column("Route / problem", overflow="fold")
    for row in rows:
        figures = (f"{row.chrf:.1f}", f"{row.bleu:.1f}") if row.chrf is not None else ("—", "—")
        speed = f"{row.segments_per_second:.1f}" if row.segments_per_second else "—"
        last = f"[red]{row.problem}[/red]" if row.problem else row.route
        table.add_row(row.engine, row.pair.replace("-", "→"), *figures, str(row.sentences), speed, last)
    if rows:
        console.print(table)
    for name, pairs in unsupported.items():
        console.print(f"{name} does not support: {', '.join(p.replace('-', '→') for p in pairs)}")
    for note in notes:
        console.print(f"Note: {note}")
    console.print("chrF++ = sacrebleu CHRF(word_order=2); BLEU = sacrebleu BLEU, tokenizer 13a (not the spBLEU "
                  "of published FLORES-200 tables). Segments/s: time in translate_batch, after one warm-up "
                  "sentence.")


def write_json(rows: list[Row], unsupported: dict[str, list[str]], sets: list[ParallelSet], target: str) -> None:
    document = {
        "metrics": {"chrf++": "sacrebleu CHRF(word_order=2)", "bleu": "sacrebleu BLEU",
                    "bleu_tokenizers": {s.target_language: bleu_tokenizer(s.target_language) for s in sets}},
        "test_sets": {s.pair: {"origin": s.origin, "sentences": len(s.sources)} for s in sets},
        "rows": [{**{k: v for k, v in asdict(r).items() if k != "translations"},
                  "segments_per_second": r.segments_per_second} for r in rows],
        "unsupported": unsupported,
    }
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if target == "-":
        sys.stdout.write(text)
    else:
        Path(target).write_text(text, encoding="utf-8")


def write_translations(rows: list[Row], folder: Path) -> None:
    """ENGINE.SRC-TGT.txt per scored row: the engine's output, one line per sentence, to read or re-score."""
    folder.mkdir(parents=True, exist_ok=True)
    for row in rows:
        if row.chrf is not None:
            lines = [t.replace("\n", " ") for t in row.translations]
            (folder / f"{row.engine}.{row.pair}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


# --- Command line --------------------------------------------------------------------------------------


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    given = parser.add_argument_group("test set (either a FLORES-style folder or two aligned files)")
    given.add_argument("--flores", type=Path, metavar="DIR", help="FLORES-200 or FLORES+ folder.")
    given.add_argument("--split", choices=("dev", "devtest"), default="devtest", help="FLORES split (default devtest).")
    given.add_argument("--pairs", help="Pairs to score with --flores, e.g. en-hy,fr-hy (default: every pair of "
                                       "the site's content languages).")
    given.add_argument("--source", type=Path, metavar="FILE", help="Sentences to translate, one per line.")
    given.add_argument("--reference", type=Path, metavar="FILE", help="Their reference translations, aligned.")
    given.add_argument("--pair", help="Languages of --source and --reference, e.g. en-hy.")
    parser.add_argument("--limit", type=int, metavar="N", help="Score the first N sentences only.")
    parser.add_argument("--engine", action="append", metavar="NAME",
                        help="Engine to score (as named in BABELPRESS_TRANSLATION_ENGINES); repeat for several. "
                             "Default: every configured engine.")
    parser.add_argument("--batch-size", type=int, default=32, help="Sentences per translate_batch call.")
    parser.add_argument("--allow-paid", action="store_true", help="Also score paid engines (they charge for it).")
    parser.add_argument("--json", metavar="FILE", help="Also write the results as JSON ('-' for stdout).")
    parser.add_argument("--translations", type=Path, metavar="DIR", help="Write each engine's output there.")
    args = parser.parse_args(argv)
    if bool(args.flores) == bool(args.source or args.reference):
        parser.error("give either --flores DIR or --source FILE --reference FILE --pair SRC-TGT")
    if args.source and not (args.reference and args.pair):
        parser.error("--source needs --reference FILE and --pair SRC-TGT (e.g. en-hy)")
    if args.reference and not args.source:
        parser.error("--reference needs --source FILE")
    if (args.limit is not None and args.limit < 1) or args.batch_size < 1:
        parser.error("--limit and --batch-size must be at least 1")
    return args


def setup_django() -> None:
    """Settings as the `babelpress` command loads them (data folder, secret key); nothing is written."""
    from django.apps import apps

    if apps.ready:  # already set up (tests, or a caller that configured Django itself)
        return
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "babelpress.settings.base")
    from babelpress import cli, datadir

    cli.ensure_secret_key(datadir.data_dir(), create=False)
    cli.load_settings()
    import django

    django.setup()


def chosen_engines(names: list[str] | None) -> dict:
    from babelpress.translation import registry

    engines = registry.configured_engines()
    unknown = [n for n in names or [] if n not in engines]
    if unknown:
        raise BadInput(f"No engine named {', '.join(unknown)}: configured engines are "
                       f"{', '.join(engines) or 'none'} (BABELPRESS_TRANSLATION_ENGINES in docs/settings.md).")
    return {n: engines[n] for n in names} if names else dict(engines)


def load_test_sets(args) -> tuple[list[ParallelSet], list[str]]:
    if args.source:
        return [file_set(args.source, args.reference, args.pair, args.limit)], []
    from babelpress.languages import content_language_codes

    if args.pairs:
        pairs = list(dict.fromkeys(parse_pair(p) for p in args.pairs.split(",") if p.strip()))
    else:
        pairs = list(itertools.permutations(content_language_codes(), 2))
    return flores_sets(args.flores, args.split, pairs, bool(args.pairs), args.limit)


def main(argv: list[str] | None = None, console=None) -> int:
    from django.core.exceptions import ImproperlyConfigured
    from rich.console import Console

    args = arguments(argv)
    # With --json -, stdout is the JSON alone: the table goes to stderr.
    console = console or Console(stderr=args.json == "-")
    try:
        setup_django()
        engines = chosen_engines(args.engine)
        sets, notes = load_test_sets(args)
    except BadInput as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    except ImproperlyConfigured as exc:  # the settings say what to set
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # a set-up problem: say it in one line, as `babelpress` does
        print(f"Error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    rows, unsupported = run_bench(engines, sets, batch_size=args.batch_size, allow_paid=args.allow_paid)
    print_report(rows, unsupported, notes, console)
    if args.json:
        write_json(rows, unsupported, sets, args.json)
    if args.translations:
        write_translations(rows, args.translations)
    return 0 if any(row.chrf is not None for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
