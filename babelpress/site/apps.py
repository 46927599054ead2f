from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    name = "babelpress.site"
    label = "site"
    verbose_name = _("Public site")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from babelpress.newsroom import admin_extensions, models, public_urls
        from babelpress.newsroom.signals import article_went_live
        from babelpress.site import checks  # noqa: F401  (registers the deploy checks)
        from babelpress.site import urls
        from babelpress.site.cache import bump
        from babelpress.site.preview import preview_panel

        # The newsroom does not know the site's URLs: its get_absolute_url() asks what is registered here.
        public_urls.register(models.Article, urls.article_url)
        public_urls.register(models.SectionName, urls.section_url)
        public_urls.register(models.Tag, urls.tag_url)
        # Any article, draft or not, as readers will see it: a signed link on its admin page (preview.py).
        admin_extensions.register_panel("preview_panel", _("preview"), preview_panel, fieldset="placement",
                                        before="status")

        # Any change to what public pages show makes every cached page stale.
        for model in (models.Article, models.Section, models.SectionName, models.Tag, models.Source, models.Author,
                      models.Coauthor):
            post_save.connect(bump, sender=model, dispatch_uid=f"page-cache-save-{model.__name__}")
            post_delete.connect(bump, sender=model, dispatch_uid=f"page-cache-delete-{model.__name__}")
        m2m_changed.connect(bump, sender=models.Article.tags.through, dispatch_uid="page-cache-tags")
        # A scheduled story going live changes pages too (the cache also notices by itself: cache.py).
        article_went_live.connect(bump, sender=models.Article, dispatch_uid="page-cache-went-live")
