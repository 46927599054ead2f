"""`babelpress translate ARTICLE_ID|--all-untranslated --to fr,en`: translate now, with progress.

``--all-untranslated`` takes every cell the coverage page shows as missing, outdated or failed
(worklist.py) and lists those it leaves out, with why: no engine for the pair, already queued.
``--queue`` never queues a job no engine can do."""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from babelpress.newsroom.models import Article, StaleEdit
from babelpress.translation import argos_packages, jobs, metering, pipeline, worklist
from babelpress.translation.engines.base import EngineError


class _Stream:
    """The command's stdout as a file for rich (so call_command(stdout=...) captures the progress)."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def write(self, text: str) -> int:
        self.wrapper.write(text, ending="")
        return len(text)

    def flush(self) -> None:
        self.wrapper.flush()

    def isatty(self) -> bool:
        return self.wrapper.isatty()


class Command(BaseCommand):
    help = "Translate stories now (in this process), or queue them for the worker with --queue."

    def add_arguments(self, parser):
        parser.add_argument("article_ids", nargs="*", type=int, help="Ids of original articles.")
        parser.add_argument("--all-untranslated", action="store_true",
                            help="Every published original missing a language or translated from older text.")
        parser.add_argument("--to", default="", help="Target languages, comma-separated (default: all content languages).")
        parser.add_argument("--queue", action="store_true", help="Queue jobs for `babelpress worker` instead.")

    def handle(self, *args, **options):
        targets = [c.strip() for c in options["to"].split(",") if c.strip()] or list(settings.BABELPRESS_CONTENT_LANGUAGES)
        unknown = set(targets) - set(settings.BABELPRESS_CONTENT_LANGUAGES)
        if unknown:
            raise CommandError(f"--to names languages the site does not publish in: {', '.join(sorted(unknown))} "
                               f"(content languages: {', '.join(settings.BABELPRESS_CONTENT_LANGUAGES)}).")
        with translation.override("en"):  # the command speaks English, language names included
            if options["all_untranslated"]:
                found = worklist.everything_missing()
                work = [(source, lang) for source, lang in found.todo if lang in targets]
                skipped = [cell for cell in found.skipped if cell.language in targets]
            elif options["article_ids"]:
                work = [(source, lang) for source in self.named_originals(options["article_ids"])
                        for lang in targets if lang != source.language]
                if options["queue"]:  # a job sure to fail is not queued; one already queued is joined
                    found = worklist.build(work)
                    work, skipped = found.todo, found.skipped
                else:  # translated now: each failure is reported with the engine's own words
                    skipped = []
            else:
                raise CommandError("Name article ids, or use --all-untranslated.")
        if skipped:
            asked = "missing or outdated" if options["all_untranslated"] else "asked for"
            self.report_skipped(skipped, f"{len(skipped)} of {len(work) + len(skipped)} {asked}")
        if not work:
            if any(cell.reason == worklist.NO_ENGINE for cell in skipped):
                raise CommandError("Nothing could be translated: no engine can translate the pairs listed above.")
            self.stdout.write("Nothing more to translate." if skipped else
                              "Nothing to translate: every published original exists in every language asked for.")
            return
        if options["queue"]:
            for source, lang in work:
                jobs.enqueue(source, [lang])
            self.stdout.write(f"Queued {len(work)} translation job(s); `babelpress worker` will run them.")
            return
        self.translate_now(work)

    def named_originals(self, ids: list[int]) -> list[Article]:
        found = {a.pk: a for a in Article.objects.filter(pk__in=ids).select_related("section")}
        missing = set(ids) - set(found)
        if missing:
            raise CommandError(f"No article with id {', '.join(map(str, sorted(missing)))}.")
        copies = [a for a in found.values() if a.translation_method]
        if copies:
            raise CommandError("; ".join(
                f"Article {a.pk} is a translation ({a.language}); translate its original"
                + (f", article {a.translated_from_id}" if a.translated_from_id else "")
                for a in sorted(copies, key=lambda a: a.pk)
            ) + ".")
        return sorted(found.values(), key=lambda a: a.pk)

    def translate_now(self, work: list[tuple[Article, str]]) -> None:
        done = failed = calls = from_memory = 0
        console = Console(file=_Stream(self.stdout), highlight=False)
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=console, transient=False) as progress:
            bar = progress.add_task("Translating", total=len(work))
            for source, lang in work:
                progress.update(bar, description=f"{source.language}→{lang} #{source.pk}")
                try:
                    result = pipeline.translate_article(source, lang)
                    done += 1
                    calls += result.engine_calls
                    from_memory += result.segments_from_memory
                    if result.errors:
                        progress.console.print(f"[yellow]#{source.pk} → {lang}: {result.errors} QA error(s), held for review")
                except (EngineError, metering.CapReached, pipeline.HumanTranslationExists, StaleEdit) as exc:
                    failed += 1
                    progress.console.print(f"[red]#{source.pk} → {lang}: {escape(str(exc))}")
                progress.advance(bar)
        self.stdout.write(f"{done} translated, {failed} not translated; {calls} engine call(s), "
                          f"{from_memory} segment(s) from memory.")
        if failed and not done:
            raise CommandError("Nothing could be translated; see the messages above.")

    def report_skipped(self, skipped: list[worklist.Skipped], share: str) -> None:
        """Each story × language left out, with its reason; then the totals and what to do."""
        self.stdout.write(f"Not translated ({share}):")
        for cell in sorted(skipped, key=lambda c: (c.source.pk, c.language)):
            headline = cell.source.headline if len(cell.source.headline) <= 50 else cell.source.headline[:49] + "…"
            self.stdout.write(f"  #{cell.source.pk} {cell.source.language}→{cell.language}  {headline}: {cell.detail}")
        counts = Counter(cell.reason for cell in skipped)
        parts = []
        if counts[worklist.NO_ENGINE]:
            pairs = Counter(f"{c.source.language}→{c.language}" for c in skipped if c.reason == worklist.NO_ENGINE)
            listed = ", ".join(f"{pair} ×{n}" for pair, n in sorted(pairs.items()))
            parts.append(f"{counts[worklist.NO_ENGINE]} with no engine for their pair ({listed})")
        if counts[worklist.QUEUED]:
            parts.append(f"{counts[worklist.QUEUED]} already queued for `babelpress worker`")
        if counts[worklist.HUMAN]:
            parts.append(f"{counts[worklist.HUMAN]} human translation(s), never replaced")
        self.stdout.write(f"Skipped {len(skipped)}: " + "; ".join(parts) + ".")
        if counts[worklist.NO_ENGINE]:
            self.stdout.write(
                f"To translate them, install a model for each pair (`{argos_packages.INSTALL_HINT}`; packages: "
                f"{argos_packages.PACKAGES_URL}; a pair without its own model goes through English), or configure "
                "an engine (BABELPRESS_TRANSLATION_ENGINE; docs/engines.md). Or translate them by hand.")
