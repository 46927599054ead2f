from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    name = "babelpress.newsroom"
    label = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self):
        from django.db.models.signals import post_migrate

        from babelpress.newsroom import admin_actions, admin_extensions, roles

        # The role groups, made on a fresh install and repaired on every migrate (newsroom/roles.py).
        post_migrate.connect(roles.after_migrate, sender=self, dispatch_uid="babelpress.newsroom.roles")
        admin_extensions.register_action(admin_actions.submit_for_review, permission="newsroom.change_article")
