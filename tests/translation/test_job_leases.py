"""Leases on running translation jobs: claimed once, renewed while the worker lives, taken back
when it dies, never joined after that, and completed once.

The end-to-end case — a real worker killed with SIGKILL mid-job and another started at once — is in
test_worker_crash.py; here each rule is pinned down in-process.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from babelpress.core.periodic import Periodic
from babelpress.translation import jobs, leases
from babelpress.translation.engines.base import EngineError
from babelpress.translation.models import Segment, Translation, TranslationJob
from babelpress.translation.tasks import recover_stale_jobs, run_translation_job

from ..waiting import wait_until


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


@pytest.fixture
def french_story(make_story):
    return make_story(["Le pont rouvre ce matin.", "Les voitures passent de nouveau."], language="fr",
                      headline="Le pont")


def left_running(job, *, expires_in: float, worker="host-a:4242", attempts=1):
    """As a worker leaves a job it was running: its lease running out in ``expires_in`` seconds."""
    TranslationJob.objects.filter(pk=job.pk).update(
        status="running", worker=worker, lease_token="t0", attempts=attempts,
        lease_expires_at=timezone.now() + timedelta(seconds=expires_in),
    )
    return reload(job)


# --- Claiming ---------------------------------------------------------------------------------------------


def test_a_claim_takes_the_job_with_a_lease_the_worker_name_and_an_attempt(phrasebook, french_story, settings):
    settings.BABELPRESS_TRANSLATION_LEASE_SECONDS = 90
    job = jobs.enqueue(french_story, ["en"])[0]
    before = timezone.now()

    claimed = leases.claim(job.pk)

    assert (claimed.status, claimed.attempts, claimed.worker) == ("running", 1, leases.worker_name())
    assert ":" in claimed.worker and len(claimed.lease_token) == 32
    assert before + timedelta(seconds=90) <= claimed.lease_expires_at <= timezone.now() + timedelta(seconds=90)


def test_a_job_is_claimed_by_one_worker_only(phrasebook, french_story):
    job = jobs.enqueue(french_story, ["en"])[0]

    first, second = leases.claim(job.pk), leases.claim(job.pk)

    assert first is not None and second is None
    assert run_translation_job.call(job.pk) == "skipped: not queued"
    assert reload(job).attempts == 1


# --- A run that lost its lease ------------------------------------------------------------------------------


def test_a_run_whose_job_was_taken_over_writes_nothing_and_the_job_completes_once(phrasebook, french_story):
    job = jobs.enqueue(french_story, ["en"])[0]
    real = phrasebook.translate_batch
    second_run = []

    def stall_then_answer(segments, source, target):
        # This worker stalls past its lease: another worker takes the job over and finishes it.
        phrasebook.translate_batch = real
        TranslationJob.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
        assert recover_stale_jobs() == 1
        second_run.append(run_translation_job.call(job.pk))
        return real(segments, source, target)

    phrasebook.translate_batch = stall_then_answer

    first_run = run_translation_job.call(job.pk)

    assert second_run[0].startswith("done") and first_run.startswith("abandoned: another worker took the job over")
    job = reload(job)
    assert (job.status, job.attempts, job.last_error, job.lease_token) == ("done", 2, "", "")
    assert Translation.objects.count() == 1 and french_story.translations().count() == 1
    assert Segment.objects.count() == 3


def test_a_run_that_lost_its_lease_does_not_record_a_failure_either(phrasebook, french_story):
    job = jobs.enqueue(french_story, ["en"])[0]

    def stall_then_fail(segments, source, target):
        TranslationJob.objects.filter(pk=job.pk).update(lease_token="taken-over-by-another-worker")
        raise EngineError("phrasebook", "authentication refused (HTTP 403)")

    phrasebook.translate_batch = stall_then_fail

    assert run_translation_job.call(job.pk).startswith("abandoned")
    assert (reload(job).status, reload(job).last_error) == ("running", "")  # the other worker's, untouched


# --- Heartbeat ------------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_live_worker_renews_its_lease_while_the_engine_works(phrasebook, french_story, settings, caplog):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("the heartbeat's own connection needs a database other threads can write (file or server)")
    settings.BABELPRESS_TRANSLATION_LEASE_SECONDS = 1.0
    settings.BABELPRESS_TRANSLATION_HEARTBEAT_SECONDS = 0.05
    job = jobs.enqueue(french_story, ["en"])[0]
    real, seen = phrasebook.translate_batch, []

    def slow_engine(segments, source, target):
        first = reload(job).lease_expires_at
        wait_until(lambda: reload(job).lease_expires_at > first)  # renewed while we "translate"
        seen.append(first)
        return real(segments, source, target)

    phrasebook.translate_batch = slow_engine

    assert run_translation_job.call(job.pk).startswith("done")
    assert seen and reload(job).lease_expires_at is None and reload(job).status == "done"
    assert "lease lost" not in caplog.text  # a beat just after the job ended is no alarm


def test_the_heartbeat_renews_only_the_lease_of_its_own_run(phrasebook, french_story):
    job = leases.claim(jobs.enqueue(french_story, ["en"])[0].pk)

    assert leases.renew(job)
    TranslationJob.objects.filter(pk=job.pk).update(lease_token="another-run")
    assert not leases.renew(job)


# --- Recovery ---------------------------------------------------------------------------------------------------


def test_recovery_queues_again_only_the_jobs_whose_lease_ran_out(phrasebook, french_story,
                                                                django_capture_on_commit_callbacks):
    stale, alive, old = jobs.enqueue(french_story, ["en", "hy", "ru"])
    left_running(stale, expires_in=-1)
    left_running(alive, expires_in=+30)
    # Claimed by a worker from before leases: no lease, untouched for longer than one.
    TranslationJob.objects.filter(pk=old.pk).update(status="running", updated_at=timezone.now() - timedelta(hours=1))

    with django_capture_on_commit_callbacks(execute=True):
        assert recover_stale_jobs() == 2

    assert [reload(j).status for j in (stale, alive, old)] == ["queued", "running", "queued"]
    assert reload(stale).lease_token == "" and reload(stale).lease_expires_at is None
    assert sorted(t.args_kwargs["args"][0] for t in DBTaskResult.objects.all()) == sorted([stale.pk, old.pk])


def test_a_job_whose_worker_died_on_every_attempt_fails_with_a_note_instead_of_looping(
    phrasebook, french_story, settings
):
    settings.BABELPRESS_TRANSLATION_MAX_ATTEMPTS = 3
    job = left_running(jobs.enqueue(french_story, ["en"])[0], expires_in=-1, attempts=3)

    assert recover_stale_jobs() == 0

    job = reload(job)
    assert job.status == "failed" and job.finished_at is not None
    assert job.last_error == ("The worker running it (host-a:4242) stopped during the job (crashed or was killed), "
                              "and the job has used its 3 attempts. See that worker's log, then retry.")


def test_a_new_request_never_joins_a_job_whose_lease_ran_out(phrasebook, french_story,
                                                             django_capture_on_commit_callbacks):
    stuck = left_running(jobs.enqueue(french_story, ["en"])[0], expires_in=-1)

    with django_capture_on_commit_callbacks(execute=True):
        again = jobs.enqueue(french_story, ["en"])[0]

    assert again.pk == stuck.pk and again.status == "queued" and "stopped renewing its lease" in again.last_error
    assert [t.args_kwargs["args"] for t in DBTaskResult.objects.all()] == [[stuck.pk]]  # back in the task queue
    assert run_translation_job.call(again.pk).startswith("done")


def test_a_new_request_joins_a_job_whose_worker_is_alive(phrasebook, french_story,
                                                         django_capture_on_commit_callbacks):
    running = left_running(jobs.enqueue(french_story, ["en"])[0], expires_in=+30)

    with django_capture_on_commit_callbacks(execute=True) as scheduled:
        again = jobs.enqueue(french_story, ["en"])[0]

    assert (again.pk, again.status) == (running.pk, "running") and scheduled == []


def test_a_new_request_reopens_a_job_that_used_its_attempts_dying(phrasebook, french_story, settings):
    settings.BABELPRESS_TRANSLATION_MAX_ATTEMPTS = 2
    stuck = left_running(jobs.enqueue(french_story, ["en"])[0], expires_in=-1, attempts=2)

    again = jobs.enqueue(french_story, ["en"])[0]

    assert (again.pk, again.status, again.attempts) == (stuck.pk, "queued", 0)  # a person asked again


def test_the_worker_looks_for_expired_leases_continuously_not_only_at_start():
    """The worker's recovery thread (babelpress/core/periodic.py) runs every interval until stopped."""
    turns = []
    done = threading.Event()

    def recover():
        turns.append(1)
        if len(turns) == 3:
            done.set()

    thread = Periodic("test-recovery", recover, every=0.01)
    thread.start()
    assert done.wait(5)
    thread.stop()
    thread.join(5)
    assert not thread.is_alive()


def test_the_worker_command_keeps_recovering_while_it_runs_jobs(monkeypatch, settings):
    from babelpress.core.management.commands import worker
    from babelpress.newsroom import scheduling
    from babelpress.translation import tasks

    settings.BABELPRESS_TRANSLATION_HEARTBEAT_SECONDS = 0.01
    looks, enough = [], threading.Event()

    def recover():
        looks.append(threading.current_thread().name)
        if len(looks) >= 3:
            enough.set()
        return 0

    def db_worker(name, **options):  # the job loop: recovery must go on beside it
        assert name == "db_worker" and enough.wait(5)

    monkeypatch.setattr(tasks, "recover_stale_jobs", recover)
    monkeypatch.setattr(worker, "call_command", db_worker)
    monkeypatch.setattr(scheduling, "publish_due", lambda: [])  # its own thread: tests/newsroom/test_scheduling.py

    call_command("worker", no_feeds=True, stdout=_null())

    assert looks[0] == threading.current_thread().name  # once at start …
    assert set(looks[1:]) == {"babelpress-job-recovery"}  # … then from the recovery thread


def test_a_failing_turn_does_not_stop_the_recovery_thread():
    turns = []
    done = threading.Event()

    def flaky():
        turns.append(1)
        if len(turns) == 1:
            raise RuntimeError("database went away")
        done.set()

    thread = Periodic("test-recovery", flaky, every=0.01)
    thread.start()
    assert done.wait(5)
    thread.stop()


# --- Honest outcomes ----------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_failed_job_is_a_failed_task_in_the_task_queue(phrasebook, make_story):
    phrasebook.fail_with = EngineError("phrasebook", "authentication refused (HTTP 403)")
    make_story(["Le pont rouvre."], language="fr", headline="Le pont")  # published: jobs queued for en, hy, ru

    call_command("worker", batch=True, interval=0, no_feeds=True, stdout=_null(), stderr=_null())

    assert set(TranslationJob.objects.values_list("status", flat=True)) == {"failed"}
    tasks = list(DBTaskResult.objects.all())
    assert len(tasks) == 3 and {t.status for t in tasks} == {"FAILED"}  # never listed as a success
    assert {t.exception_class_path for t in tasks} == {"babelpress.translation.tasks.JobFailed"}
    assert all("authentication refused (HTTP 403)" in t.traceback for t in tasks)


def _null():
    import io

    return io.StringIO()


def test_settings_refuse_a_heartbeat_too_close_to_the_lease():
    import subprocess
    import sys

    env = {"BABELPRESS_TRANSLATION_LEASE_SECONDS": "10", "BABELPRESS_TRANSLATION_HEARTBEAT_SECONDS": "8",
           "BABELPRESS_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "babelpress.settings", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True,
                            text=True, timeout=60)

    assert result.returncode != 0
    assert "BABELPRESS_TRANSLATION_HEARTBEAT_SECONDS (8) must be at most half of " \
           "BABELPRESS_TRANSLATION_LEASE_SECONDS (10)" in result.stderr
