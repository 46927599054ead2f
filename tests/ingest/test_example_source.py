"""The source of docs/architecture.md, tested the way a new source is: one test file.

Press releases sent by e-mail, configured by dotted path in BABELPRESS_IMPORT_SOURCES as a newsroom
would add a source Babelpress does not ship, then used where editors and operators import: the
command line and the admin's upload field. Storing, dedup and attribution are the pipeline's, so
they work for it without a line of its own.
"""

from __future__ import annotations

import io

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from babelpress.ingest import pipeline
from babelpress.ingest.models import ImportedItem
from babelpress.ingest.sources import registry
from babelpress.ingest.sources.base import Document
from babelpress.ingest.sources.upload import UploadSource
from babelpress.newsroom.models import Article

from .conftest import story
from .example_source import SOURCE, EmailSource

IMPORT = "/admin/ingest/importeditem/import/"


def release(subject: str, *, seed: int = 1, sender: str = "Valmont Town Hall <press@valmont.example>",
            body: str | None = None) -> bytes:
    text = body if body is not None else "\n\n".join(story(seed, paragraphs=3, words=50))
    return (f"From: {sender}\nTo: desk@gazette.example\nSubject: {subject}\n"
            "Date: Tue, 03 Mar 2026 10:00:00 +0100\nMIME-Version: 1.0\n"
            f"Content-Type: text/plain; charset=utf-8\n\n{text}\n").encode()


@pytest.fixture
def with_email(settings):
    settings.BABELPRESS_IMPORT_SOURCES = {"email": {"CLASS": "tests.ingest.example_source.EmailSource",
                                                    "OPTIONS": {}}, **settings.BABELPRESS_IMPORT_SOURCES}


def test_the_example_is_the_documented_code_and_about_twenty_lines():
    assert "class EmailSource(ImportSource):" in SOURCE
    body = SOURCE[SOURCE.index("class EmailSource"):]
    assert len([line for line in body.splitlines() if line.strip()]) <= 26


def test_the_setting_adds_it_beside_the_built_in_sources(with_email):
    names = [source.name for source in registry.configured()]
    assert names == ["email", "page", "upload", "feed"]
    assert isinstance(registry.configured()[0], EmailSource)
    assert registry.file_types() == [".eml", "message/rfc822", ".html", ".htm", "text/html"]


def test_the_command_line_imports_an_eml_file_as_a_credited_draft(with_email, sections, tmp_path):
    path = tmp_path / "bridge.eml"
    path.write_bytes(release("Valmont bridge reopens on Monday"))
    out = io.StringIO()
    call_command("import", str(path), stdout=out, stderr=io.StringIO())

    article = Article.objects.get()
    assert "Summary: 1 new, 0 updated, 0 duplicate, 0 failed" in out.getvalue()
    assert (article.headline, article.language, article.status) == ("Valmont bridge reopens on Monday", "en", "review")
    assert article.author.name == "Valmont Town Hall" and article.source.name == "valmont.example"
    assert article.body.startswith("<p>") and story(1, paragraphs=1, words=50)[0][:80] in article.body
    item = article.import_record
    assert item.origin == "file" and item.original_published_at.isoformat() == "2026-03-03T09:00:00+00:00"
    assert "from an e-mail: check the byline and the source" in item.warnings
    assert item.language_declared is False


def test_the_same_release_again_is_a_duplicate_and_a_pasted_copy_joins_its_cluster(with_email, sections):
    first = pipeline.import_file(release("Water prices rise", seed=2), filename="water.eml")
    again = pipeline.import_file(release("Water prices rise", seed=2), filename="water (1).eml")
    assert first.status == "new" and again.status == "duplicate" and again.article == first.article
    assert again.reason == "the same text was already imported from a file"

    text = "\n\n".join(story(2, paragraphs=3, words=50)).replace("the", "a", 2)
    near = pipeline.import_file(release("Water prices to rise", seed=2, body=text), filename="water-2.eml")
    assert near.status == "new" and near.item.cluster_id == first.item.cluster_id
    assert Article.objects.count() == ImportedItem.objects.count() == 2


def test_the_admin_upload_field_offers_eml_and_imports_one(with_email, editor, sections):
    page = lxml.html.fromstring(editor.get(IMPORT).content)
    assert page.cssselect('input[name="file"]')[0].get("accept") == ".eml,message/rfc822,.html,.htm,text/html"

    upload = SimpleUploadedFile("budget.eml", release("Council adopts the budget", seed=3), "message/rfc822")
    response = editor.post(IMPORT, {"file": upload, "section": "", "language": ""}, follow=True)

    article = Article.objects.get()
    assert response.redirect_chain[-1][0] == f"/admin/newsroom/article/{article.pk}/change/"
    assert article.headline == "Council adopts the budget" and article.import_record.imported_by == editor.user


def test_a_message_without_text_is_refused_with_its_reason(with_email, sections, tmp_path):
    path = tmp_path / "empty.eml"
    path.write_bytes(b"From: press@valmont.example\nSubject: \nContent-Type: image/png\n\n\x89PNG")
    with pytest.raises(CommandError):
        call_command("import", str(path), stdout=(out := io.StringIO()), stderr=io.StringIO())
    assert f"failed: {path}: {path} has no subject or no plain text: forward it as plain text." in out.getvalue()
    assert Article.objects.count() == 0


def test_a_short_release_is_refused_by_the_shared_language_check(with_email, sections):
    outcome = pipeline.import_file(release("Closed today", body="Closed today."), filename="closed.eml")
    assert outcome.status == "failed" and outcome.reason.startswith(
        "The language of this story could not be determined (none declared, text too short to detect): "
        "choose it when importing")
    chosen = pipeline.import_file(release("Closed today", body="Closed today."), filename="closed.eml", language="en")
    assert chosen.status == "new" and chosen.item.language_declared is True


def test_without_the_setting_an_eml_file_is_read_as_a_page_and_refused(sections):
    assert not any(isinstance(s, EmailSource) for s in registry.configured())
    outcome = pipeline.import_file(release("Water prices rise"), filename="water.eml")
    assert outcome.status == "failed" and outcome.reason == "water.eml: This document could not be read as an HTML page."
    assert isinstance(registry.choose(Document.from_file(b"x", filename="a.eml"), registry.STORY), UploadSource)
