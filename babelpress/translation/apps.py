from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslationConfig(AppConfig):
    name = "babelpress.translation"
    label = "translation"
    verbose_name = _("Translation")

    def ready(self):
        from django.db.models.signals import post_save

        from babelpress.newsroom import admin_extensions, roles
        from babelpress.newsroom.models import Article
        from babelpress.newsroom.signals import article_went_live
        from babelpress.translation import article_admin, availability, desk, source_changes

        post_save.connect(_article_saved, sender=Article, dispatch_uid="babelpress.translation.article_saved")
        # A scheduled original is translated when its time comes, in the scheduler's transaction.
        article_went_live.connect(_article_went_live, sender=Article, dispatch_uid="babelpress.translation.went_live")

        # What translation adds to the newsroom's admin (the newsroom imports no other app).
        admin_extensions.register_panel("translations_panel", _("this story in other languages"),
                                        article_admin.translations_panel, fieldset="translations",
                                        before="translation_of")
        admin_extensions.register_panel("source_changes_panel", _("changes to the original"),
                                        source_changes.source_changes_panel, fieldset="translations",
                                        before="translation_of")
        admin_extensions.register_panel("approvals_panel", _("approved despite QA"), article_admin.approvals_panel,
                                        fieldset="translations")
        admin_extensions.register_article_url("<int:pk>/translate/<str:lang>/", article_admin.create_translation_view,
                                              name="translate", permission=article_admin.may_translate)
        admin_extensions.register_action(article_admin.queue_translations, permission="translation.add_translationjob")
        admin_extensions.register_tool(
            "translation_coverage", _("Translation coverage"),
            _("Which story exists in which language, and what needs translating or review."),
            url_name="translation_coverage", permission="translation.view_translation")
        admin_extensions.register_tool(
            "translation_engines", _("Translation engines"),
            _("Which engine translates each pair of languages, through which models and licences, and how fast."),
            url_name="translation_engines", permission="translation.view_translation")
        admin_extensions.register_desk_list("machine_drafts", _("Machine translations"), desk.machine_drafts,
                                            block="review")
        admin_extensions.register_desk_list("failed_translation_jobs", _("Translation jobs"), desk.failed_jobs,
                                            block="failed")
        admin_extensions.register_desk_panel("translation_coverage", desk.coverage_panel)
        admin_extensions.register_notice("translation_engines", availability.notice)

        # What the roles may do with translation's own models (docs/roles.md); a translator's
        # rows are those of their languages (scoped_by_language in admin.py).
        roles.grant("editor", *roles.model_permissions(
            "translation", "translation segment translationjob glossaryterm glossaryname memoryentry"),
            "translation.view_engineusage")
        roles.grant("translator", *roles.model_permissions("translation", "translation segment", ["change", "view"]),
                    *roles.model_permissions("translation", "translationjob glossaryterm glossaryname memoryentry",
                                             ["view"]))


def _article_saved(sender, instance, raw=False, **kwargs):
    if raw:  # fixtures being loaded
        return
    from django.db import transaction

    from babelpress.translation import jobs

    # After commit: the job must see the saved text, and a rolled-back save queues nothing.
    transaction.on_commit(lambda: jobs.on_article_saved(instance))


def _article_went_live(sender, article, **kwargs):
    from babelpress.translation import jobs

    jobs.on_article_saved(article)  # in the transaction that announces it: once, or not at all
