"""`babelpress import URL|FILE|FEED-URL`: attributed drafts from the command line.

A URL is fetched once, or a FILE read; the source that recognises what came back reads it
(ingest/sources/registry.py): a feed (RSS, Atom, JSON Feed) has each entry imported, with a
progress bar; a web page or an HTML file is one article; so is or are whatever the sources
configured in BABELPRESS_IMPORT_SOURCES read. The summary counts new / updated / duplicate /
failed (with reasons); the exit code is 1 when nothing could be imported.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, no_translations
from django.db.models import Q
from django.urls import reverse

from babelpress.ingest import conf, pipeline, polling
from babelpress.ingest.fetch import FetchError
from babelpress.ingest.language import normalize_language
from babelpress.ingest.models import Feed
from babelpress.ingest.outcomes import FAILED, NEW, PENDING, UPDATED, ImportFailed, counts_line, failed
from babelpress.ingest.sources import registry
from babelpress.ingest.sources.base import Defaults, Document, fetch_document
from babelpress.newsroom.models import Section


class Command(BaseCommand):
    help = "Import an article URL, a feed URL or a local HTML/feed file as attributed drafts (in review)."

    def add_arguments(self, parser):
        parser.add_argument("target", help="An article URL, a feed URL, or the path of an HTML or feed file.")
        parser.add_argument("--section", help="Section key or slug (default: the feed's, else the first section).")
        parser.add_argument("--language", help="Language of the stories, e.g. fr (default: declared, else detected).")
        parser.add_argument("--trusted", action="store_true", help="Publish at once instead of leaving drafts in review.")
        parser.add_argument("--follow", action="store_true",
                            help="For a feed URL: also follow it, so `babelpress worker` polls it from now on.")
        parser.add_argument("--limit", type=int, default=None,
                            help="Most feed entries to fetch in this run (default BABELPRESS_IMPORT_MAX_ITEMS_PER_POLL).")
        parser.add_argument("--url", dest="page_url", help="For a FILE: the address it was published at.")
        parser.add_argument("--no-robots", action="store_true",
                            help="Ignore robots.txt (only when an agreement with the publisher allows it).")

    @no_translations  # the messages are English; keep status names in the same language
    def handle(self, *args, **options):
        if options["verbosity"] < 2:
            # One INFO line per HTTP request would bury the progress bar and the summary.
            logging.getLogger("httpx").setLevel(logging.WARNING)
        section = self._section(options["section"])
        language = self._language(options["language"])
        common = {"section": section, "language": language, "trusted": options["trusted"]}
        target = options["target"]
        if "://" in target:
            self._url(target, common, options)
        else:
            if options["follow"]:
                raise CommandError("--follow needs a feed URL: a local file cannot be polled.")
            self._file(Path(target).expanduser(), common, options)

    # --- arguments ---------------------------------------------------------------------------

    def _section(self, value):
        if not value:
            return None
        found = Section.objects.filter(Q(key=value) | Q(names__slug=value)).distinct().first()
        if found is None:
            keys = ", ".join(Section.objects.values_list("key", flat=True)) or "none yet: create one in the admin"
            raise CommandError(f"No section {value!r}. Use a section key or slug; sections: {keys}.")
        return found

    def _language(self, value):
        if not value:
            return None
        code = normalize_language(value)
        allowed = settings.BABELPRESS_CONTENT_LANGUAGES
        if code not in allowed:
            raise CommandError(f"--language {value!r} is not one of this site's languages ({', '.join(allowed)}).")
        return code

    # --- targets -----------------------------------------------------------------------------

    def _url(self, url, common, options):
        try:
            document = fetch_document(url, accept=registry.accept(registry.ANY), respect_robots=not options["no_robots"])
        except FetchError as exc:
            raise CommandError(f"{exc.message}\nNothing was imported.", returncode=1) from None
        self._import(document, common, options)

    def _file(self, path: Path, common, options):
        if not path.is_file():
            raise CommandError(f"{path} is neither an http(s):// URL nor a readable file.")
        if path.stat().st_size > conf.max_bytes():
            raise CommandError(f"{path} is larger than the {conf.max_bytes():,} bytes allowed "
                               "(BABELPRESS_IMPORT_MAX_BYTES).")
        self._import(Document.from_file(path.read_bytes(), filename=str(path), url=options["page_url"] or "",
                                        file_url=path.resolve().as_uri()), common, options)

    def _import(self, document: Document, common, options):
        """Whatever source reads the document: one story, or all of many (a feed), or follow it."""
        defaults = Defaults.of(**common, respect_robots=not options["no_robots"])
        try:
            source = registry.choose(document, registry.ANY)
        except ImportFailed as exc:
            return self._single(failed(document.shown, str(exc)))
        if options["follow"] and not source.followable:
            raise CommandError(f"--follow needs a feed, and {document.requested_url or document.url} is {source.label}. "
                               "Import it without "
                               "--follow, or give the address of the site's RSS/Atom feed.")
        if not source.many:
            return self._single(pipeline.import_story(document, defaults, source=source))
        if options["follow"]:
            feed = self._follow(document.requested_url or document.url, common, options)
            report = polling.poll(feed, progress=self._progress(), limit=options["limit"])
        else:
            report = pipeline.import_stories(document, defaults, source=source, progress=self._progress(),
                                             limit=options["limit"])
        self._stop_progress()
        self._report(report)

    def _follow(self, url, common, options) -> Feed:
        feed, created = Feed.objects.get_or_create(url=url, defaults={
            "section": common["section"], "language": common["language"] or "", "trusted": common["trusted"],
            "respect_robots": not options["no_robots"]})
        self.stdout.write(f"{'Following' if created else 'Already following'} {url} "
                          f"(every {feed.interval_minutes} minutes; `babelpress worker` polls it).")
        return feed

    # --- output ------------------------------------------------------------------------------

    _bar = None

    def _progress(self):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        # On stderr, so the summary on stdout stays clean for scripts; invisible when not a terminal.
        console = Console(file=getattr(self.stderr, "_out", None) or self.stderr, stderr=True)
        self._bar = Progress(TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                             TimeElapsedColumn(), console=console, transient=True)
        task_id = None

        def update(done, total, outcome):
            nonlocal task_id
            if task_id is None:
                self._bar.start()
                task_id = self._bar.add_task("", total=total)
            self._bar.update(task_id, completed=done, description=outcome.status.replace("_", " "))

        return update

    def _stop_progress(self):
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def _article_line(self, outcome) -> str:
        article = outcome.article
        if article is None:
            return ""
        return (f"“{article.headline}” [{article.language}, {article.get_status_display()}] "
                f"{reverse('admin:newsroom_article_change', args=[article.pk])}")

    def _counts_line(self, counts: dict) -> str:
        return counts_line(counts)

    def _single(self, outcome):
        if not outcome.ok:
            self.stdout.write(f"failed: {outcome.url}: {outcome.reason}")
            self.stdout.write("Summary: " + self._counts_line({FAILED: 1}))
            raise CommandError("Nothing was imported.", returncode=1)
        self.stdout.write(f"{outcome.status.replace('_', ' ')}: {self._article_line(outcome)}")
        if outcome.status != NEW and outcome.reason:
            self.stdout.write(f"  {outcome.reason}")
        for warning in outcome.warnings:
            self.stdout.write(f"  warning: {warning}")
        if outcome.near_duplicate:
            article, score = outcome.near_duplicate
            self.stdout.write(f"  near-duplicate of “{article.headline}” ({score:.0%} similar): same story as "
                              f"{outcome.same_story_count} other import(s), listed on its import record")
        self.stdout.write("Summary: " + self._counts_line({outcome.status: 1}))

    def _report(self, report):
        title = f"{report.title} ({report.url})" if report.title else report.url
        self.stdout.write(f"Feed: {title}")
        for warning in report.warnings:
            self.stdout.write(f"  feed warning: {warning}")
        if report.error:
            self.stdout.write(f"failed: {report.error}")
            raise CommandError("Nothing was imported: the feed could not be read.", returncode=1)
        if report.not_modified:
            self.stdout.write("Not modified since the last poll: nothing to import.")
            return
        for outcome in report.outcomes:
            if outcome.status in (NEW, UPDATED, PENDING):
                self.stdout.write(f"  {outcome.status.replace('_', ' ')}: {self._article_line(outcome)}")
        for link, reason in report.failed:
            self.stdout.write(f"  failed: {link}: {reason}")
        if report.remaining:
            self.stdout.write(f"  {report.remaining} more entries not fetched in this run (raise --limit, or run again).")
        self.stdout.write(f"Summary: {report.entries} entries: " + self._counts_line(report.counts))
        if report.everything_failed:
            raise CommandError("Nothing was imported: every entry failed (reasons above).", returncode=1)
