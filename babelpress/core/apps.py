from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db import apps as tasks_db_apps


class CoreConfig(AppConfig):
    default = True  # this module holds a second config, for django-tasks-db
    name = "babelpress.core"
    label = "babelpress_core"
    verbose_name = "Babelpress"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from babelpress.core.login_lockout import forget_failures

        user_logged_in.connect(forget_failures, dispatch_uid="babelpress.forget_login_failures")


class BackgroundJobsConfig(tasks_db_apps.TasksAppConfig):
    """django-tasks-db under a name an editor understands: its own is "Tasks Database Backend",
    not marked for translation."""

    default = False
    verbose_name = _("Background jobs")
