"""`babelpress serve`: the site under gunicorn (a production WSGI server) on an existing database.

Once it has checked the database and collected the static files, the command becomes gunicorn by
``os.execv``: the process that loaded Django for those checks does not stay resident beside the
processes that serve. gunicorn loads the application once, in its master (``--preload``), and forks
its workers from it; with --with-worker, the job worker too (core/gunicorn_worker.py).
"""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections


#: Seconds gunicorn lets one request run before it restarts the worker serving it. Chosen, not
#: inherited (gunicorn's default is 30 s): no request waits on another site (importing a URL runs in
#: `babelpress worker`, whose fetches have their own BABELPRESS_IMPORT_FETCH_BUDGET; translations run
#: there too). The slowest request left is an uploaded HTML file of BABELPRESS_IMPORT_MAX_BYTES
#: (10 MB: about 7 s to extract and store on a small 2-core machine), so 60 s leaves a wide margin
#: and still frees a worker stuck on a bug.
DEFAULT_TIMEOUT = 60


def default_workers() -> int:
    return max(2, (os.cpu_count() or 1) + 1)


class Command(BaseCommand):
    help = "Serve Babelpress with gunicorn on an existing database (run `babelpress migrate` first)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8000, help="Port (default 8000).")
        parser.add_argument("--workers", type=int, default=default_workers(), help="gunicorn worker processes.")
        parser.add_argument("--threads", type=int, default=1, help="Threads per worker.")
        parser.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT,
                            help=f"Seconds a request may take before gunicorn restarts its worker (default "
                                 f"{DEFAULT_TIMEOUT}; imports of URLs run in the background worker, not in requests).")
        parser.add_argument("--with-worker", action="store_true", help="Also run a background job worker.")
        parser.add_argument("--no-collectstatic", action="store_true", help="Skip collecting static files.")

    def handle(self, *args, **options):
        if not 0 < options["port"] < 65536:
            raise CommandError(f"--port {options['port']} is not a TCP port: use 1-65535.")
        if options["timeout"] < 1:
            raise CommandError(f"--timeout {options['timeout']} is too short: give seconds, at least 1 "
                               f"(default {DEFAULT_TIMEOUT}).")
        self.check_database()
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        self.serve(options)

    def check_database(self):
        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor

        # A database that cannot be opened raises here; the `babelpress` command explains it in one line.
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            raise CommandError("The database is not up to date: run `babelpress migrate` first.")

    def allow_host(self, host: str) -> None:
        hosts = [h for h in os.environ.get("BABELPRESS_ALLOWED_HOSTS", ",".join(settings.ALLOWED_HOSTS)).split(",") if h]
        if host not in ("0.0.0.0", "::") and host not in hosts:
            hosts.append(host)
        os.environ["BABELPRESS_ALLOWED_HOSTS"] = ",".join(hosts)

    def gunicorn_command(self, options) -> list[str]:
        host, port = options["host"], options["port"]
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        command = [
            sys.executable, "-m", "gunicorn", "babelpress.wsgi:application",
            "--bind", bind, "--workers", str(options["workers"]), "--threads", str(options["threads"]),
            "--timeout", str(options.get("timeout") or DEFAULT_TIMEOUT),
            "--access-logfile", "-", "--graceful-timeout", "10", "--forwarded-allow-ips", "127.0.0.1",
            # The application is loaded once, in the master, before the workers are forked: they share
            # its memory (copy-on-write) instead of each loading its own copy (babelpress/wsgi.py).
            "--preload",
            # No gunicornc control socket: one path per account ($HOME/.gunicorn/gunicorn.ctl) that two
            # sites would share, and an asyncio thread in the master (stopped and started around each
            # fork) that nothing of Babelpress uses.
            "--no-control-socket",
        ]
        if options.get("with_worker"):
            command += ["--config", "python:babelpress.core.gunicorn_worker"]  # the job worker: forked too
        return command

    def serve(self, options, banner: str = "") -> None:
        """Become gunicorn: this process, which loaded Django for its checks, does not stay beside it."""
        host, port = options["host"], options["port"]
        self.allow_host(host)
        shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
        self.stdout.write(banner or f"Babelpress is serving http://{shown}:{port}/  (admin: http://{shown}:{port}/admin/)")
        command = self.gunicorn_command(options)
        connections.close_all()  # goodbye to the database server; gunicorn opens its own
        self.stdout.flush()
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(command[0], command)
