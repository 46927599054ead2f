"""`babelpress demo`: a working newsroom on this machine in one command.

Creates (or reuses) the SQLite database in the data folder, applies migrations, loads the demo
newsroom once, and serves it with gunicorn plus a background worker. Re-running keeps the data.

The demo editor is a superuser, so its password is random, printed at each run and kept in the data
folder (`demo_password`, mode 0600); and the demo will not put itself into a database that holds a
real newsroom's users or stories unless told to with --allow-existing-data.
"""

from __future__ import annotations

import ipaddress
from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from babelpress.core.management.commands.serve import Command as ServeCommand
from babelpress.datadir import ensure_private_dir
from babelpress.newsroom import demo_accounts, demo_loader


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


class Command(ServeCommand):
    help = "Set up and serve the demo site (SQLite in BABELPRESS_DATA_DIR, demo stories, demo editor)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(workers=2, with_worker=True)
        parser.add_argument("--no-serve", action="store_true", help="Set up the database and demo data, then exit.")
        parser.add_argument("--no-worker", dest="with_worker", action="store_false", help="Do not start a job worker.")
        parser.add_argument(
            "--allow-existing-data", action="store_true",
            help="Load the demo (stories and a superuser) even into a database that has other users or content.",
        )

    def handle(self, *args, **options):
        if not 0 < options["port"] < 65536:
            raise CommandError(f"--port {options['port']} is not a TCP port: use 1-65535.")
        ensure_private_dir(settings.DATA_DIR)
        self.stdout.write(f"Data folder: {settings.DATA_DIR}")
        loaded = demo_loader.is_loaded()
        if not loaded:
            self.refuse_a_real_newsroom(options["allow_existing_data"])  # before `migrate` changes anything
        call_command("migrate", interactive=False, verbosity=0)
        if loaded:
            self.stdout.write("Demo newsroom already loaded; keeping your data.")
        else:
            counts = demo_loader.load_demo(newest_at=timezone.now() - timedelta(hours=2))
            self.stdout.write(
                "Loaded the demo newsroom: {articles} articles, {sections} sections, {sources} sources, "
                "{authors} authors.".format(**counts)
            )
        username, password = demo_loader.ensure_editor(settings.DATA_DIR / "demo_password")
        login = self.describe_login(username, password)
        roles = self.describe_roles(demo_accounts.ensure_accounts(settings.DATA_DIR / "demo_password"))
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        if options["no_serve"]:
            self.stdout.write(f"Admin login: {login}\n{roles}")
            return
        host, port = options["host"], options["port"]
        if not is_loopback(host):
            self.warn_exposed(host, port)
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        banner = (
            f"\nBabelpress demo is running.\n"
            f"  Site:  http://{shown}:{port}/\n"
            f"  Admin: http://{shown}:{port}/admin/\n"
            f"  Admin login: {login}\n"
            f"{roles}\n"
            f"Press Ctrl-C to stop.\n"
        )
        self.serve(options, banner=banner)

    def refuse_a_real_newsroom(self, allow_existing_data: bool) -> None:
        foreign = demo_loader.foreign_data()
        if foreign and not allow_existing_data:
            found = ", ".join(f"{number} {kind if number > 1 else kind[:-1]}" for kind, number in foreign.items())
            raise CommandError(
                f"This database already holds a newsroom ({found}) and the demo would add its stories and a "
                f"superuser '{demo_loader.DEMO_USERNAME}' to it. For a separate demo, unset DATABASE_URL and point "
                "BABELPRESS_DATA_DIR to an empty folder; to load the demo here anyway, add --allow-existing-data."
            )

    def describe_login(self, username: str, password: str | None) -> str:
        if password is None:
            return (
                f"{username} / the password you gave it (set a new one with `babelpress changepassword {username}`)"
            )
        return f"{username} / password: {password}  (kept in {settings.DATA_DIR / 'demo_password'})"

    def describe_roles(self, accounts) -> str:
        """One line per demo account of a role (docs/roles.md), for trying the admin as each sees it."""
        lines = ["  Log in as a role, with the same password (docs/roles.md):"]
        for account, what, same_password in accounts:
            note = "" if same_password else "  (its own password: `babelpress changepassword " + account.username + "`)"
            lines.append(f"    {account.username:<14} {what}{note}")
        return "\n".join(lines)

    def warn_exposed(self, host: str, port: int) -> None:
        self.stderr.write(self.style.WARNING(
            f"\nWARNING: the demo listens on {host}:{port}, not only on this machine: anyone who can reach this "
            f"address on port {port} sees the demo site and may try to log in to its admin, over plain HTTP "
            "(passwords and session cookies travel unencrypted). Use --host 127.0.0.1 to keep it on this machine; "
            "for a real site run `babelpress serve` behind a TLS proxy.\n"
        ))
