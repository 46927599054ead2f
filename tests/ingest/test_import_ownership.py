"""An imported draft is the importing editor's, like one they wrote (Article.created_by, docs/roles.md)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from babelpress.ingest import pipeline
from babelpress.newsroom.models import Article

from .conftest import article_page, story


def page(headline: str) -> bytes:
    return article_page(headline, story(2, lang="fr"), lang="fr", sitename="Gazette").encode("utf-8")


def test_a_story_imported_in_the_admin_is_the_importing_editors(editor, sections):
    upload = SimpleUploadedFile("lanternes.html", page("Le festival des lanternes"), content_type="text/html")
    editor.post("/admin/ingest/importeditem/import/", {"file": upload, "language": "fr"})
    assert Article.objects.get().created_by == editor.user


def test_a_story_imported_by_the_worker_or_the_command_line_is_nobodys(sections):
    outcome = pipeline.import_file(page("Le marché de Noël"), filename="noel.html", language="fr")
    assert outcome.status == "new" and outcome.article.created_by is None
