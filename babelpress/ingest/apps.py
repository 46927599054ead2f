from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _, pgettext_lazy


class IngestConfig(AppConfig):
    name = "babelpress.ingest"
    label = "ingest"
    verbose_name = pgettext_lazy("app name", "Import")

    def ready(self):
        from babelpress.ingest import desk
        from babelpress.ingest.admin_panels import provenance_html
        from babelpress.newsroom import admin_extensions, roles

        from . import clusters  # noqa: F401 - connects the signal that keeps cluster sizes right

        # What the importer adds to the newsroom's admin (the newsroom imports no other app).
        admin_extensions.register_panel("import_provenance", _("import provenance"), provenance_html,
                                        fieldset="credits")
        admin_extensions.register_tool(
            "import", _("Import a story"),
            _("Paste an article URL or upload an HTML file to get an attributed draft."),
            url_name="admin:ingest_import", permission="ingest.add_importjob")
        admin_extensions.register_desk_list("recent_imports", _("Imported"), desk.recent_imports, block="imported")
        admin_extensions.register_desk_list("failed_imports", _("Imports that failed"), desk.failed_imports,
                                            block="imported")
        admin_extensions.register_desk_list("failing_feeds", _("Feeds"), desk.failing_feeds, block="failed")
        # Imports and feeds are editors' work (docs/roles.md).
        roles.grant("editor", *roles.model_permissions("ingest", "feed importeditem importjob"))
