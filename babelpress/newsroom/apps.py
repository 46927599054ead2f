from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    name = "babelpress.newsroom"
    label = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self):
        from django.db.models.signals import post_migrate

        from babelpress.newsroom import admin_actions, admin_extensions, admin_publishing, desk_lists, revisions, roles

        # The role groups, made on a fresh install and repaired on every migrate (newsroom/roles.py).
        post_migrate.connect(roles.after_migrate, sender=self, dispatch_uid="babelpress.newsroom.roles")
        # The list's actions: publishing for whom may publish some article (each checks each one).
        for action in admin_publishing.ACTIONS:
            admin_extensions.register_action(action, permission=admin_publishing.publishes)
        admin_extensions.register_action(admin_actions.submit_for_review, permission="newsroom.change_article")
        revisions.connect()  # the tags of each revision

        # The newsroom's own lists on the desk (the admin's home page); other apps add theirs.
        admin_extensions.register_desk_list("my_drafts", _("Drafts"), desk_lists.my_drafts, block="drafts")
        admin_extensions.register_desk_list("articles_in_review", _("Articles submitted for review"),
                                            desk_lists.in_review, block="review")
        admin_extensions.register_desk_list("scheduled", _("Stories to be published"), desk_lists.scheduled,
                                            block="scheduled")
