"""`babelpress translation status|install-model|list-models|remove-model|doctor`."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from babelpress.languages import language_name
from babelpress.translation import argos_packages, availability, coverage, doctor, engine_map, engine_speed, registry
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
        doctor_parser = sub.add_parser(
            "doctor", help="Which engine translates each pair of content languages, how, and how fast; what is "
                           "missing and what to do. Exit code 1 when a language cannot be reached from any other.")
        doctor_parser.add_argument("--no-speed", action="store_true", help="Show the last speeds measured; measure none.")
        doctor_parser.add_argument("--json", action="store_true", help="The map as JSON, for scripts.")

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
        registry.clear_cache()

    def doctor(self, no_speed, json, **_):
        with translation.override("en"):  # the command speaks English, language names included
            try:
                found = engine_map.build()
                local = engine_map.local_engines()
            except ImproperlyConfigured as exc:
                raise CommandError(f"The translation engines are not set up correctly: {exc}", returncode=2) from None
            if not no_speed:
                engine_speed.measure_map(found, progress=doctor.measuring(self.stderr))
            speeds = engine_speed.load()
            if json:
                self.stdout.write(doctor.as_json(found, speeds, local), ending="")
            else:
                self.stdout.write(doctor.text_report(found, speeds, local, rich=self.stdout.isatty()), ending="")
            unreachable = found.unreachable_languages()
        if unreachable:
            names = ", ".join(f"{language_name(code, 'en')} ({code})" for code in unreachable)
            raise CommandError(f"No other content language can be translated into {names}: see what to do above.",
                               returncode=1)

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
                              "(docs/engines.md); `babelpress translation doctor` says which models would do.")
