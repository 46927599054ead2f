"""The background tasks' results (django-tasks-db's "Task results" list), told honestly: a failed
task stands out, and every row says in words what became of it — the error of a failed task, what
a finished one reported ("retry later: …", "done: …") — in the list itself, not only on its page."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

#: The longest outcome the list shows (the task's page has the whole traceback).
OUTCOME_CHARS = 300
_BADGE = "padding:1px 6px;border-radius:3px;white-space:nowrap;"
BADGES = {
    "FAILED": _BADGE + "background:#ba2121;color:#fff;font-weight:bold;",
    "SUCCESSFUL": _BADGE + "background:#d7f0d7;color:#333;",
    "RUNNING": _BADGE + "background:#dbe8f7;color:#333;",
}


def outcome(result: DBTaskResult) -> str:
    """What became of the task, in words: a failure's message (the traceback's last line), or what
    a finished task returned."""
    if result.status == "FAILED":
        last = (result.traceback or "").strip().splitlines()[-1:] or [result.exception_class_path]
        # "package.module.JobFailed: translation job 2 failed: …" → the message, without the class path
        text = last[0].partition(": ")[2] or last[0]
    elif result.status == "SUCCESSFUL" and result.return_value is not None:
        text = str(result.return_value)
    else:
        return ""
    return text if len(text) <= OUTCOME_CHARS else text[:OUTCOME_CHARS].rsplit(" ", 1)[0] + " …"


class TaskResultAdmin(DBTaskResultAdmin):
    list_display = ("id", "task_name", "status_shown", "outcome_shown", "enqueued_at", "finished_at", "queue_name")

    @admin.display(description=_("status"), ordering="status")
    def status_shown(self, obj):
        return format_html('<span class="task-status task-{}" style="{}">{}</span>', obj.status.lower(),
                           BADGES.get(obj.status, ""), obj.get_status_display())

    @admin.display(description=_("outcome"))
    def outcome_shown(self, obj):
        return outcome(obj)


if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)
