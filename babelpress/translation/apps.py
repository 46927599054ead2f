from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslationConfig(AppConfig):
    name = "babelpress.translation"
    label = "translation"
    verbose_name = _("Translation")

    def ready(self):
        from django.db.models.signals import post_save

        from babelpress.newsroom.models import Article

        post_save.connect(_article_saved, sender=Article, dispatch_uid="babelpress.translation.article_saved")


def _article_saved(sender, instance, raw=False, **kwargs):
    if raw:  # fixtures being loaded
        return
    from django.db import transaction

    from babelpress.translation import workflow

    # After commit: the job must see the saved text, and a rolled-back save queues nothing.
    transaction.on_commit(lambda: workflow.on_article_saved(instance))
