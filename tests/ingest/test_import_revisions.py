"""An imported story keeps revisions like any article: its import names who imported it, and an
update from its source says so (the newsroom's revisions: tests/newsroom/test_revisions.py)."""

from __future__ import annotations

from django.utils import translation

from babelpress.ingest import pipeline, store
from babelpress.newsroom import revisions

from .conftest import article_page, story


def test_an_import_keeps_a_first_revision_naming_who_imported_it(sections, django_user_model):
    importer = django_user_model.objects.create_user("iris")
    outcome = pipeline.import_file(article_page("Valmont bridge reopens", story(1)),
                                   url="https://partner.example/bridge", user=importer)

    revision = revisions.of(outcome.article).get()
    assert revision.history_type == "+" and revision.history_user == importer
    assert revision.headline == "Valmont bridge reopens" and revision.body == outcome.article.body
    with translation.override("en"):
        assert revisions.how_label(revision) == "Imported"


def test_an_update_from_the_source_keeps_a_revision_that_says_so(sections):
    first = pipeline.import_file(article_page("Valmont bridge reopens", story(1)), url="https://partner.example/bridge")
    again = pipeline.import_file(article_page("Valmont bridge reopens on Monday", story(1)),
                                 url="https://partner.example/bridge")
    assert again.status == store.UPDATED, again.reason

    newest, oldest = revisions.of(first.article)
    assert newest.headline == "Valmont bridge reopens on Monday" and oldest.headline == "Valmont bridge reopens"
    with translation.override("en"):
        assert revisions.how_label(newest) == "Updated from its source"
