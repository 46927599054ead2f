"""`babelpress translation status|install-model|list-models|remove-model|prefer|available|install|doctor`."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from babelpress.languages import language_name
from babelpress.translation import (
    availability, coverage, doctor, engine_map, engine_speed, index_commands, model_store, models_cli, registry,
)
from babelpress.translation.model_install import install_model, site_languages
from babelpress.translation.models import TranslationJob
from babelpress.translation.models_folder import INSTALL_HINT, ModelPackageError, default_models_dir


class Command(BaseCommand):
    help = "Translation models, coverage and jobs."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        install = sub.add_parser(
            "install-model", help="Install a model: an Argos .argosmodel, a CTranslate2 model folder (OPUS-MT, "
                                  "NLLB-200, M2M-100, MADLAD-400) or a .zip/.tar.gz of one.")
        install.add_argument("files", nargs="+")
        install.add_argument("--allow-downgrade", action="store_true", help="Argos: install an older version.")
        install.add_argument("--pair", help="The pair of a bilingual model whose name does not say it, e.g. en-hy.")
        install.add_argument("--licence", "--license", dest="licence", help="Record this licence (e.g. CC-BY-4.0).")
        install.add_argument("--name", help="Install under this name (default: from the folder or archive).")
        install.add_argument("--any-language", action="store_true",
                             help="Install even if the model serves none of the site's languages.")
        sub.add_parser("list-models", help="List installed models, their licences and the pairs they are used for.")
        remove = sub.add_parser("remove-model", help="Remove an installed model by name (an Argos package: 'en-fr').")
        remove.add_argument("name")
        prefer = sub.add_parser("prefer", help="Choose the model that translates a pair, e.g. 'prefer en-hy NAME'.")
        prefer.add_argument("pair")
        prefer.add_argument("model", nargs="?")
        prefer.add_argument("--clear", action="store_true", help="Forget the choice for the pair.")
        sub.add_parser("status", help="Coverage per language; queued and failed jobs.")
        offered = sub.add_parser("available", help="Models the index (BABELPRESS_MODEL_INDEX_URL) offers for the "
                                                   "content languages.")
        offered.add_argument("--all", action="store_true", dest="show_all", help="Every model of the index.")
        offered.add_argument("--refresh", action="store_true", help="Fetch the index again, even if kept recently.")
        fetch = sub.add_parser("install", help="Download and install models from the index, e.g. 'en-fr fr-en'.")
        fetch.add_argument("specs", nargs="*", metavar="PAIR|PACKAGE")
        fetch.add_argument("--clean", action="store_true", help="First delete partial downloads left behind.")
        fetch.add_argument("--refresh", action="store_true", help="Fetch the index again, even if kept recently.")
        doctor_parser = sub.add_parser(
            "doctor", help="Which engine translates each pair of content languages, how, and how fast; what is "
                           "missing and what to do. Exit code 1 when a language cannot be reached from any other.")
        doctor_parser.add_argument("--no-speed", action="store_true", help="Show the last speeds measured; measure none.")
        doctor_parser.add_argument("--json", action="store_true", help="The map as JSON, for scripts.")

    def handle(self, *args, action, **options):
        getattr(self, action.replace("-", "_"))(**options)

    def _say(self, lines):
        for line in lines:
            self.stdout.write(line)

    def _choices(self) -> dict[str, str]:
        return models_cli.current_choices(default_models_dir())

    def install_model(self, files, allow_downgrade, pair, licence, name, any_language, **_):
        for file in files:
            try:
                model = install_model(file, pair=pair, licence=licence, name=name, any_language=any_language,
                                      allow_downgrade=allow_downgrade)
            except ModelPackageError as exc:
                raise CommandError(str(exc)) from exc
            models = model_store.list_models(default_models_dir())
            self._say(models_cli.installed_lines(model, models, self._choices(), site_languages()))
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
        folder = default_models_dir()
        models = model_store.list_models(folder)
        if not models:
            self.stdout.write(f"No models in {folder}. Install one: {INSTALL_HINT} (docs/engines.md).")
            return
        self._say(models_cli.list_lines(models, self._choices(), model_store.read_preferences(folder),
                                        site_languages()))

    def remove_model(self, name, **_):
        try:
            model, dropped = model_store.remove_model(name, default_models_dir())
        except ModelPackageError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Removed {model.name} ({model.family}).")
        if dropped:
            self.stdout.write(f"It was your choice for {', '.join(dropped)}; those choices are forgotten.")
        registry.clear_cache()

    def prefer(self, pair, model, clear, **_):
        source, _sep, target = pair.partition("-")
        if not source or not target or bool(model) == bool(clear):
            raise CommandError("Usage: babelpress translation prefer en-hy MODEL_NAME (or: prefer en-hy --clear).")
        folder = default_models_dir()
        try:
            model_store.set_preference(source, target, None if clear else model, folder)
        except ModelPackageError as exc:
            raise CommandError(str(exc)) from exc
        options = models_cli.local_engine_choices()
        self._say(models_cli.prefer_lines(source, target, None if clear else model,
                                          model_store.list_models(folder), self._choices(), options))
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
                              + f". Install a model (`{INSTALL_HINT}`) or configure an engine "
                              "(docs/engines.md); `babelpress translation doctor` says which models would do.")
