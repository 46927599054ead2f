from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "babelpress.core"
    label = "babelpress_core"
    verbose_name = "Babelpress"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from babelpress.core.login_lockout import forget_failures

        user_logged_in.connect(forget_failures, dispatch_uid="babelpress.forget_login_failures")
