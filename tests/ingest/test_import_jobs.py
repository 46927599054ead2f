""""Import a story" runs in the worker, not in the web request: the editor lands on a progress page
that reloads itself (no JavaScript) until the job ends, then on the draft with the same messages as
before, or on the import form with the reason in words. Checked with the database task backend and
a real `babelpress worker` run, and with the immediate backend used in development."""

from __future__ import annotations

import io
import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from babelpress.ingest import pipeline, tasks
from babelpress.ingest.models import ImportJob
from babelpress.newsroom.models import Article

from .conftest import SLOW_HEADERS

IMPORT = "/admin/ingest/importeditem/import/"


def job_url(job) -> str:
    return reverse("admin:ingest_import_job", args=[job.pk])


def article_url(article) -> str:
    return reverse("admin:newsroom_article_change", args=[article.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# Real commits: the worker checks its database connection between jobs, and would close the
# connection a rolled-back test transaction lives on (PostgreSQL).
@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_the_worker_imports_while_the_editor_watches(editor, partner):
    url = partner.page("/harbour", "Harbour reopens to ferries", seed=1, author=None)

    response = editor.post(IMPORT, {"url": url, "section": partner.sections.culture.pk, "language": ""})

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job_url(job)
    assert (job.status, job.url, job.section, job.requested_by) == ("queued", url, partner.sections.culture,
                                                                     editor.user)
    assert [t.task_path for t in DBTaskResult.objects.all()] == ["babelpress.ingest.tasks.import_story"]
    assert Article.objects.count() == 0 and partner.server.paths() == []  # nothing fetched in the request

    waiting = editor.get(job_url(job))
    page = waiting.content.decode()
    assert waiting.status_code == 200
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "<strong>Waiting for the worker</strong>" in page and url in page
    assert "No worker has picked this import up yet" not in page  # only after a while

    call_command("worker", "--batch", "--no-feeds", stdout=io.StringIO(), stderr=io.StringIO())

    done = editor.get(job_url(job), follow=True)
    article = Article.objects.get()
    assert done.redirect_chain == [(article_url(article), 302)]
    shown = messages_of(done)
    assert shown[0] == "Imported “Harbour reopens to ferries” (In review). Check it against the original, then publish."
    assert "no author found" in shown
    assert article.section == partner.sections.culture and article.import_record.imported_by == editor.user
    job.refresh_from_db()
    assert (job.status, job.outcome, job.article) == ("done", "new", article)


def test_with_the_immediate_backend_the_editor_lands_on_the_draft_at_once(editor, partner, immediate_tasks):
    url = partner.page("/museum", "Museum opens on Sundays", seed=2)

    first = editor.post(IMPORT, {"url": url}, follow=True)
    again = editor.post(IMPORT, {"url": url}, follow=True)

    article = Article.objects.get()
    jobs = list(ImportJob.objects.order_by("created_at"))
    assert first.redirect_chain == [(job_url(jobs[0]), 302), (article_url(article), 302)]
    assert again.redirect_chain == [(job_url(jobs[1]), 302), (article_url(article), 302)]
    assert messages_of(again)[0].startswith("Already imported, and unchanged since: here it is.")


def test_an_origin_that_dribbles_its_headers_gives_an_error_in_words_within_the_budget(
        editor, partner, dribbling_server, settings, immediate_tasks):
    settings.BABELPRESS_IMPORT_FETCH_BUDGET = 1
    slow = dribbling_server(SLOW_HEADERS, interval=0.05)

    started = time.monotonic()
    response = editor.post(IMPORT, {"url": slow.url("/story")}, follow=True)

    assert time.monotonic() - started < 2.5
    page = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in page
    assert "the fetch took longer than the 1 s allowed for it" in page and "Try again later" in page
    assert f'value="{slow.url("/story")}"' in page  # the form is filled in again, ready to retry
    assert Article.objects.count() == 0 and ImportJob.objects.get().status == "failed"


def test_the_progress_page_tells_the_editor_when_no_worker_picks_the_import_up(editor, partner):
    job = tasks.queue_import(partner.url("/x"), user=editor.user)  # database backend: stays queued
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=2))

    page = editor.get(job_url(job)).content.decode()

    assert "No worker has picked this import up yet" in page and "babelpress worker" in page
    assert '<meta http-equiv="refresh" content="10">' in page  # slower once the wait is long


def test_an_import_whose_worker_stopped_says_so_and_offers_to_try_again(editor, partner, settings):
    settings.BABELPRESS_IMPORT_FETCH_BUDGET = 60
    job = tasks.queue_import(partner.url("/x"), user=editor.user)
    ImportJob.objects.filter(pk=job.pk).update(status="running", started_at=timezone.now() - timedelta(seconds=30))
    assert "<strong>Importing</strong>" in editor.get(job_url(job)).content.decode()

    ImportJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(minutes=4))
    page = editor.get(job_url(job)).content.decode()

    assert "The import did not finish: the worker running it stopped" in page and "http-equiv" not in page
    assert f'value="{partner.url("/x")}"' in page


def test_a_crash_in_the_job_is_shown_in_words_not_as_a_traceback(editor, partner, immediate_tasks, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(pipeline, "import_url", crash)
    response = editor.post(IMPORT, {"url": partner.url("/x")}, follow=True)

    page = response.content.decode()
    assert response.status_code == 200
    assert "The import stopped because of an internal error; the worker&#x27;s log has the details." in page
    assert "RuntimeError" not in page and "Traceback" not in page
    assert ImportJob.objects.get().status == "failed"


def test_a_job_queued_twice_imports_once(partner, sections):
    job = tasks.queue_import(partner.page("/once", "Bridge reopens", seed=3))

    assert tasks.import_story.call(str(job.pk)).startswith("new: ")
    assert tasks.import_story.call(str(job.pk)) == "skipped: not queued"
    assert Article.objects.count() == 1 and partner.server.paths().count("/once") == 1


def test_only_the_editor_who_asked_follows_an_import(editor, client, partner, sections):
    job = tasks.queue_import(partner.url("/x"), user=editor.user)
    colleague = get_user_model().objects.create_user("colleague", password=None, is_staff=True)
    colleague.user_permissions.add(Permission.objects.get(codename="add_article"),  # may import too (an editor)
                                   Permission.objects.get(codename="add_importjob"),
                                   Permission.objects.get(codename="view_importeditem"))
    client.force_login(colleague)
    assert client.get(job_url(job)).status_code == 404
    assert client.get(job_url(ImportJob(pk="00000000-0000-0000-0000-000000000000"))).status_code == 404
    viewer = get_user_model().objects.create_user("viewer", password=None, is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_importeditem"))
    client.force_login(viewer)
    assert client.get(job_url(job)).status_code == 403


def test_finished_jobs_are_forgotten_after_a_month(partner, sections):
    old = tasks.queue_import(partner.url("/old"))
    ImportJob.objects.filter(pk=old.pk).update(status="done", created_at=timezone.now() - timedelta(days=31))
    waiting = tasks.queue_import(partner.url("/waiting"))
    ImportJob.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(days=31))

    tasks.queue_import(partner.url("/new"))

    assert set(ImportJob.objects.values_list("url", flat=True)) == {partner.url("/waiting"), partner.url("/new")}
