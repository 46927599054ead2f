"""`babelpress serve`: the site under gunicorn (a production WSGI server) on an existing database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


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
        return [
            sys.executable, "-m", "gunicorn", "babelpress.wsgi:application",
            "--bind", bind, "--workers", str(options["workers"]), "--threads", str(options["threads"]),
            "--timeout", str(options.get("timeout") or DEFAULT_TIMEOUT),
            "--access-logfile", "-", "--graceful-timeout", "10", "--forwarded-allow-ips", "127.0.0.1",
        ]

    def serve(self, options, banner: str = "") -> None:
        host, port = options["host"], options["port"]
        self.allow_host(host)
        children = []
        if options.get("with_worker"):
            children.append(subprocess.Popen([sys.executable, "-m", "babelpress", "worker"]))
        cmd = self.gunicorn_command(options)
        shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
        self.stdout.write(banner or f"Babelpress is serving http://{shown}:{port}/  (admin: http://{shown}:{port}/admin/)")
        server = subprocess.Popen(cmd)
        children.insert(0, server)

        def stop(signum, frame):
            # Stopping `babelpress serve` stops what it started: no orphaned gunicorn or worker.
            for child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            server.wait()
        finally:
            stop(None, None)
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
        if server.returncode not in (0, -signal.SIGTERM, None):
            raise CommandError(f"gunicorn stopped with exit code {server.returncode}; see its messages above.")
