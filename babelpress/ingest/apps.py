from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class IngestConfig(AppConfig):
    name = "babelpress.ingest"
    label = "ingest"
    verbose_name = pgettext_lazy("app name", "Import")

    def ready(self):
        from . import clusters  # noqa: F401 - connects the signal that keeps cluster sizes right
