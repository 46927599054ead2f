"""The task results list (babelpress/core/admin.py): what became of each background task, in
words, in the list itself — a failure's message, what a finished task reported."""

from __future__ import annotations

from django_tasks_db.models import DBTaskResult

from babelpress.core.admin import OUTCOME_CHARS, outcome

TRACEBACK = """Traceback (most recent call last):
  File "/srv/babelpress/translation/tasks.py", line 110, in _retry_or_fail
    raise JobFailed(f"translation job {job.pk} failed: {error}")
babelpress.translation.tasks.JobFailed: translation job 2 failed: [translation] no engine can translate fr→en
"""


def result(**fields) -> DBTaskResult:
    return DBTaskResult(task_path="babelpress.translation.tasks.run_translation_job", **fields)


def test_a_failed_task_says_its_message_without_the_exception_class():
    failed = result(status="FAILED", exception_class_path="babelpress.translation.tasks.JobFailed", traceback=TRACEBACK)

    assert outcome(failed) == "translation job 2 failed: [translation] no engine can translate fr→en"


def test_a_finished_task_says_what_it_reported():
    assert outcome(result(status="SUCCESSFUL", return_value="retry later: HTTP 503")) == "retry later: HTTP 503"
    assert outcome(result(status="READY")) == ""


def test_a_long_outcome_is_cut_at_a_word():
    said = outcome(result(status="SUCCESSFUL", return_value="word " * 200))

    assert len(said) <= OUTCOME_CHARS + 2 and said.endswith("word …")
