from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "babelpress.core"
    label = "babelpress_core"
    verbose_name = "Babelpress"
