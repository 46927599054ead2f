from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    name = "babelpress.newsroom"
    label = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self):
        from babelpress.newsroom import revisions

        revisions.connect()  # the tags of each revision
