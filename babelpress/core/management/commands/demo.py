"""`babelpress demo`: a working newsroom on this machine in one command.

Creates (or reuses) the SQLite database in the data folder, applies migrations, loads the demo
newsroom once, and serves it with gunicorn plus a background worker. Re-running keeps the data.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from babelpress.core.management.commands.serve import Command as ServeCommand
from babelpress.newsroom import demo_loader


class Command(ServeCommand):
    help = "Set up and serve the demo site (SQLite in BABELPRESS_DATA_DIR, demo stories, demo editor)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(workers=2, with_worker=True)
        parser.add_argument("--no-serve", action="store_true", help="Set up the database and demo data, then exit.")
        parser.add_argument("--no-worker", dest="with_worker", action="store_false", help="Do not start a job worker.")

    def handle(self, *args, **options):
        if not 0 < options["port"] < 65536:
            raise CommandError(f"--port {options['port']} is not a TCP port: use 1-65535.")
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        self.stdout.write(f"Data folder: {settings.DATA_DIR}")
        call_command("migrate", interactive=False, verbosity=0)
        if demo_loader.is_loaded():
            self.stdout.write("Demo newsroom already loaded; keeping your data.")
        else:
            counts = demo_loader.load_demo()
            self.stdout.write(
                "Loaded the demo newsroom: {articles} articles, {sections} sections, {sources} sources, "
                "{authors} authors.".format(**counts)
            )
        call_command("collectstatic", interactive=False, verbosity=0)
        if options["no_serve"]:
            return
        host, port = options["host"], options["port"]
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        username, password = demo_loader.DEMO_EDITOR
        banner = (
            f"\nBabelpress demo is running.\n"
            f"  Site:  http://{shown}:{port}/\n"
            f"  Admin: http://{shown}:{port}/admin/  (login: {username} / password: {password})\n"
            f"Press Ctrl-C to stop.\n"
        )
        self.serve(options, banner=banner)
