from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class CoreConfig(AppConfig):
    name = "babelpress.core"
    label = "babelpress_core"
    verbose_name = "Babelpress"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from babelpress.core.login_lockout import forget_failures

        user_logged_in.connect(forget_failures, dispatch_uid="babelpress.forget_login_failures")


class BackgroundJobsConfig(TasksAppConfig):
    """django-tasks-db under a name an editor understands: its own is "Tasks Database Backend",
    not marked for translation."""

    default = False
    verbose_name = _("Background jobs")
