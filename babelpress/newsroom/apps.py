from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    name = "babelpress.newsroom"
    label = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self):
        from babelpress.newsroom import admin_extensions, desk_lists, revisions

        revisions.connect()  # the tags of each revision

        # The newsroom's own lists on the desk (the admin's home page); other apps add theirs.
        admin_extensions.register_desk_list("my_drafts", _("Drafts"), desk_lists.my_drafts, block="drafts")
        admin_extensions.register_desk_list("articles_in_review", _("Articles submitted for review"),
                                            desk_lists.in_review, block="review")
        admin_extensions.register_desk_list("scheduled", _("Stories to be published"), desk_lists.scheduled,
                                            block="scheduled")
