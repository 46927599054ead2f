"""`babelpress translation status|install-model|list-models|remove-model|available|install`."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from babelpress.translation import argos_packages, availability, coverage, index_commands, registry
from babelpress.translation.models import TranslationJob


class Command(BaseCommand):
    help = "Translation models, coverage and jobs."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        install = sub.add_parser("install-model", help="Install an Argos Translate package (.argosmodel).")
        install.add_argument("files", nargs="+")
        install.add_argument("--allow-downgrade", action="store_true")
        sub.add_parser("list-models", help="List installed models.")
        remove = sub.add_parser("remove-model", help="Remove an installed model, e.g. 'en-fr'.")
        remove.add_argument("pair")
        sub.add_parser("status", help="Coverage per language; queued and failed jobs.")
        offered = sub.add_parser("available", help="Models the index (BABELPRESS_MODEL_INDEX_URL) offers for the "
                                                   "content languages.")
        offered.add_argument("--all", action="store_true", dest="show_all", help="Every model of the index.")
        offered.add_argument("--refresh", action="store_true", help="Fetch the index again, even if kept recently.")
        fetch = sub.add_parser("install", help="Download and install models from the index, e.g. 'en-fr fr-en'.")
        fetch.add_argument("specs", nargs="*", metavar="PAIR|PACKAGE")
        fetch.add_argument("--clean", action="store_true", help="First delete partial downloads left behind.")
        fetch.add_argument("--refresh", action="store_true", help="Fetch the index again, even if kept recently.")

    def handle(self, *args, action, **options):
        getattr(self, action.replace("-", "_"))(**options)

    def install_model(self, files, allow_downgrade, **_):
        for file in files:
            try:
                model = argos_packages.install_package(file, allow_downgrade=allow_downgrade)
            except argos_packages.ModelPackageError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"Installed {model.from_code}→{model.to_code} (version {model.version}) in {model.path}")
        registry.clear_cache()

    def available(self, show_all, refresh, **_):
        try:
            with index_commands.quiet_http_log():
                index_commands.available(self.stdout.write, show_all=show_all, refresh=refresh)
        except index_commands.InstallStopped as exc:
            raise CommandError(str(exc), returncode=exc.returncode) from exc

    def install(self, specs, clean, refresh, **_):
        if not specs and not clean:
            raise CommandError("Name what to install, e.g. `babelpress translation install en-fr` "
                               "(`babelpress translation available` lists the models), or pass --clean.")
        stream = getattr(self.stdout, "_out", None)
        rich = stream is not None and self.stdout.isatty()
        progress = (lambda entry: index_commands.RichProgress(stream, entry)) if rich else None
        try:
            with index_commands.quiet_http_log():
                index_commands.install(self.stdout.write, specs, clean=clean, refresh=refresh, progress_for=progress)
        except index_commands.InstallStopped as exc:
            raise CommandError(str(exc), returncode=exc.returncode) from exc

    def list_models(self, **_):
        models = argos_packages.list_installed()
        if not models:
            self.stdout.write(f"No models in {settings.BABELPRESS_MODELS_DIR}. {argos_packages.INSTALL_HINT}")
            return
        for m in models:
            self.stdout.write(f"{m.from_code}→{m.to_code}  version {m.version}  {m.size / 1e6:.1f} MB  {m.path}")

    def remove_model(self, pair, **_):
        source, _, target = pair.partition("-")
        try:
            model = argos_packages.remove(source, target)
        except argos_packages.ModelPackageError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Removed {model.from_code}→{model.to_code}.")

    def status(self, **_):
        table = coverage.totals()
        self.stdout.write("Coverage of published originals per language:")
        header = ["language", "stories", "original", "human", "reviewed", "machine", "outdated", "queued", "failed",
                  "missing"]
        self.stdout.write("  ".join(f"{h:>9}" for h in header))
        for lang, counts in table.items():
            self.stdout.write("  ".join([f"{lang:>9}"] + [f"{counts.get(k, 0):>9}" for k in header[1:]]))
        queued = TranslationJob.objects.filter(status__in=["queued", "running", "waiting"]).count()
        failed = TranslationJob.objects.filter(status="failed")
        self.stdout.write(f"Jobs: {queued} queued or running, {failed.count()} failed.")
        for job in failed[:20]:
            self.stdout.write(f"  #{job.pk} article {job.source_id} → {job.target_language}: {job.last_error}")
        engines = registry.configured_engines()
        self.stdout.write("Engines: " + ", ".join(e.describe() for e in engines.values()))
        missing = availability.untranslatable_pairs()
        if missing:
            self.stdout.write(f"No engine can translate {len(missing)} pair(s) of content languages: "
                              + ", ".join(f"{s}→{t}" for s, t in missing)
                              + f". Install a model (`{argos_packages.INSTALL_HINT}`) or configure an engine "
                              "(docs/engines.md).")
