"""A worker killed with SIGKILL in the middle of a job, and another started at once.

Real processes (`python -m babelpress worker`), a real database (an SQLite file in a temporary data
folder; PostgreSQL too when DATABASE_URL is set) and the LibreTranslate engine speaking to a local
fake server whose first answer never comes, so the first worker is caught mid-job. The lease is
short (LEASE seconds, renewed every HEARTBEAT), so the test takes seconds; every wait polls for a
condition with a deadline.

Before leases, the job stayed "running" forever: the new worker only recovered jobs 30 minutes old,
only when it started.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from ..waiting import wait_until
from .fake_servers import FakeLibreTranslate, Hang, serve

ROOT = Path(__file__).resolve().parents[2]
LEASE, HEARTBEAT = 2.0, 0.2
SETUP = """
import json
from django.core.management import call_command
call_command("migrate", verbosity=0)
from babelpress.newsroom.models import Article, Section
from babelpress.translation import jobs
section = Section.objects.create(key="news")
story = Article.objects.create(language="fr", headline="Le pont rouvre", section=section, status="published",
                               body="<p>Le pont rouvre ce matin.</p><p>Les voitures passent de nouveau.</p>")
job = jobs.enqueue(story, ["en"])[0]
print(json.dumps({"story": story.pk, "key": story.translation_key.hex, "job": job.pk}))
"""


class Database:
    """The database the workers use, read directly (no Django in this process)."""

    def __init__(self, kind: str, tmp_path: Path):
        self.kind, self.url = kind, ""
        if kind == "postgresql":
            base = os.environ.get("DATABASE_URL", "")
            if not base.startswith(("postgres://", "postgresql://")):
                pytest.skip("set DATABASE_URL to a PostgreSQL server to run this case there too")
            parts = urlsplit(base)
            self.name = parts.path.lstrip("/") + "_crash"
            self.url = urlunsplit(parts._replace(path="/" + self.name))
            self.admin_url = urlunsplit(parts._replace(path="/postgres"))
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)', f'CREATE DATABASE "{self.name}"')
        else:
            self.path = tmp_path / "data" / "babelpress.sqlite3"

    def _admin(self, *statements):
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)

    def rows(self, sql: str, *params) -> list[tuple]:
        if self.kind == "postgresql":
            import psycopg

            with psycopg.connect(self.url, autocommit=True) as conn:
                return conn.execute(sql, params).fetchall()
        with sqlite3.connect(self.path, timeout=20) as conn:
            return conn.execute(sql.replace("%s", "?"), params).fetchall()

    def drop(self):
        if self.kind == "postgresql":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    db = Database(request.param, tmp_path)
    yield db
    db.drop()


@pytest.fixture
def engine():
    """LibreTranslate on 127.0.0.1: the first /translate hangs (until the server stops), the rest answer."""
    with serve(FakeLibreTranslate()) as service:
        service.script("/translate", Hang(seconds=120))
        yield service


@pytest.fixture
def babelpress(database, engine, tmp_path):
    """babelpress(*args) runs the command as an operator would, against the test's own database."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1",
        "BABELPRESS_DATA_DIR": str(tmp_path / "data"), "BABELPRESS_SECRET_KEY": "crash-test-" + "x" * 40,
        "BABELPRESS_CONTENT_LANGUAGES": "fr,en", "BABELPRESS_TRANSLATION_AUTO": "0",
        "BABELPRESS_TRANSLATION_ENGINE": "libretranslate", "BABELPRESS_LIBRETRANSLATE_URL": engine.url,
        "BABELPRESS_TRANSLATION_LEASE_SECONDS": str(LEASE), "BABELPRESS_TRANSLATION_HEARTBEAT_SECONDS": str(HEARTBEAT),
    }
    if database.url:
        env["DATABASE_URL"] = database.url
    started = []

    def run(*args, background=False, log=None):
        command = [sys.executable, "-m", "babelpress", *args]
        if background:
            out = open(tmp_path / f"{log}.log", "w")
            started.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT))
            return started[-1]
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    yield run
    running = [p for p in started if p.poll() is None]
    for process in running:  # all at once: each takes a moment to stop
        process.send_signal(signal.SIGTERM)
    for process in running:
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def job_row(database, job_id):
    return database.rows(
        "SELECT status, attempts, lease_expires_at, worker, last_error, finished_at, lease_token "
        "FROM translation_translationjob WHERE id = %s", job_id)[0]


def started(log: Path) -> bool:
    return log.exists() and "Starting worker" in log.read_text()


def test_a_job_whose_worker_is_killed_mid_job_is_finished_once_by_the_next_worker(
    babelpress, database, engine, tmp_path
):
    ids = json.loads(babelpress("shell", "-c", SETUP).strip().splitlines()[-1])
    # Two workers: one takes the job and hangs in the engine call; the other must leave it alone.
    workers = [babelpress("worker", "--no-feeds", "--interval", "0.05", background=True, log=name)
               for name in ("one", "two")]
    wait_until(lambda: engine.calls("/translate"), 30, "a worker sends the story to the engine")
    status, attempts, lease, holder, *_ = job_row(database, ids["job"])
    victim = next(w for w in workers if holder.endswith(f":{w.pid}"))
    assert (status, attempts) == ("running", 1)
    wait_until(lambda: all(started(tmp_path / f"{name}.log") for name in ("one", "two")), 30, "both workers run")
    # Alive and stuck in the engine call, the worker keeps its lease; the other does not take the job.
    wait_until(lambda: job_row(database, ids["job"])[2] != lease, 10 * HEARTBEAT + 5, "a heartbeat renews the lease")
    assert job_row(database, ids["job"])[3] == holder and len(engine.calls("/translate")) == 1

    victim.kill()  # SIGKILL: no handler, no clean-up, mid-job
    victim.wait(10)
    babelpress("worker", "--no-feeds", "--interval", "0.05", background=True, log="restarted")  # at once

    wait_until(lambda: job_row(database, ids["job"])[0] == "done", LEASE + 30, "a live worker finishes the job")

    status, attempts, lease, worker, last_error, finished_at, token = job_row(database, ids["job"])
    assert (status, attempts, lease, last_error, token) == ("done", 2, None, "", "")
    assert finished_at is not None and worker != holder
    assert database.rows("SELECT count(*) FROM translation_translationjob") == [(1,)]
    assert len(engine.calls("/translate")) == 2  # the hung call, then one other worker's: translated once
    # Nothing half-written: one English article, one translation state, its segments whole.
    targets = database.rows(
        "SELECT id, headline, body, translation_method, status FROM newsroom_article "
        "WHERE language = 'en' AND translation_key = %s", ids["key"])
    assert [t[1:] for t in targets] == [
        ("LE PONT ROUVRE", "<p>LE PONT ROUVRE CE MATIN.</p><p>LES VOITURES PASSENT DE NOUVEAU.</p>", "machine", "review")]
    states = database.rows("SELECT id, state FROM translation_translation WHERE article_id = %s", targets[0][0])
    assert [s[1] for s in states] == ["machine"]
    segments = database.rows("SELECT position, source_text, target_text FROM translation_segment "
                             "WHERE translation_id = %s ORDER BY position", states[0][0])
    assert segments == [(0, "Le pont rouvre", "LE PONT ROUVRE"),
                        (1, "Le pont rouvre ce matin.", "LE PONT ROUVRE CE MATIN."),
                        (2, "Les voitures passent de nouveau.", "LES VOITURES PASSENT DE NOUVEAU.")]
    assert database.rows("SELECT count(*) FROM translation_segment") == [(3,)]
