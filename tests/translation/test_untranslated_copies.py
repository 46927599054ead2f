""""Create a draft in this language" makes an untranslated copy: the original's text in a new
language version, marked as such (translation method "copy") until a person changes its words.
Coverage counts it as missing, not as a human translation; it is not published by mistake;
readers are never told it was translated; a machine translation asked for replaces it."""

from __future__ import annotations

import lxml.html
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from babelpress.newsroom import provenance
from babelpress.newsroom.models import Article
from babelpress.translation import coverage, jobs, pipeline
from babelpress.translation.models import TranslationJob

from ..migrating import migrate

COPY = Article.TranslationMethod.COPY


def text(node) -> str:
    return " ".join(node.text_content().split())


def reload(article) -> Article:
    return Article.objects.get(pk=article.pk)


def change_url(article) -> str:
    return reverse("admin:newsroom_article_change", args=[article.pk])


@pytest.fixture
def copy(editor, newsroom):
    """The bridge story (French) copied into Russian with "Create a draft in this language"."""
    editor.post(reverse("admin:newsroom_article_translate", args=[newsroom.bridge.pk, "ru"]))
    return newsroom.bridge.get_translation("ru")


def test_create_a_draft_makes_an_untranslated_copy(copy, newsroom):
    assert (copy.translation_method, copy.status, copy.translated_from) == (COPY, "draft", newsroom.bridge)
    assert (copy.headline, copy.body) == (newsroom.bridge.headline, newsroom.bridge.body)


def test_coverage_counts_a_copy_as_missing_and_shows_it_as_an_untranslated_copy(editor, copy, newsroom):
    doc = lxml.html.fromstring(editor.get("/admin/translation/coverage/").content.decode())

    link = doc.xpath(f'//a[@href="{change_url(copy)}"]')[0]
    assert (link.get("class"), text(link), link.get("data-copy")) == ("state state-missing", "untranslated copy", "")
    totals = coverage.totals()["ru"]
    assert (totals["missing"], totals["copies"], totals["human"]) == (2, 1, 1)  # bridge copied, festival missing


def test_the_panel_says_the_draft_is_an_untranslated_copy(editor, copy, newsroom):
    doc = lxml.html.fromstring(editor.get(change_url(copy)).content.decode())

    assert text(doc.cssselect(".field-translations_panel .untranslated-copy")[0]).startswith("Untranslated copy.")
    original = lxml.html.fromstring(editor.get(change_url(newsroom.bridge)).content.decode())
    assert "Draft, Untranslated copy" in text(original.cssselect(".field-translations_panel")[0])


def test_a_copy_becomes_a_human_translation_once_a_person_changes_its_words(editor, copy, open_form):
    response = open_form(editor, change_url(copy)).post("_continue", headline="Валмонский мост открылся")

    assert reload(copy).translation_method == "human"
    said = [str(m) for m in response.wsgi_request._messages]
    assert "You changed the text of this untranslated copy: it is now marked as a human translation." in said


def test_saving_a_copy_without_changing_its_words_keeps_it_a_copy(editor, copy, open_form):
    form = open_form(editor, change_url(copy))
    rewritten = form.values["body"][0].replace("</p>", "</p>\n")  # the same words, written otherwise

    response = form.post("_continue", body=rewritten, section=str(copy.section_id))

    assert response.status_code == 302
    assert reload(copy).translation_method == COPY


def test_an_untranslated_copy_is_not_published_by_mistake(editor, copy, open_form):
    response = open_form(editor, change_url(copy)).post("_continue", PUBLISH)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["status"] == [
        "This is still an untranslated copy of the French original: nobody has changed its text yet. Translate the "
        "headline and the text, then publish. To publish it as it is anyway, set “Translation method” to “Human "
        "translation”."]
    assert reload(copy).status == "draft"


PUBLISH = {"status": "published", "published_at_0": "2026-03-02", "published_at_1": "09:00:00"}


def test_an_editor_may_publish_a_copy_as_it_is_by_saying_so(editor, copy, open_form):
    open_form(editor, change_url(copy)).post("_continue", PUBLISH, translation_method="human")

    assert (reload(copy).status, reload(copy).translation_method) == ("published", "human")


def test_a_translated_copy_is_published_in_the_same_save(editor, copy, open_form):
    open_form(editor, change_url(copy)).post("_continue", PUBLISH, headline="Валмонский мост открылся")

    assert (reload(copy).status, reload(copy).translation_method) == ("published", "human")


def test_readers_are_never_told_a_copy_was_translated(copy):
    assert provenance.label(copy) == ""


def test_a_machine_translation_asked_for_replaces_the_copy_but_none_comes_on_its_own(phrasebook, copy, newsroom):
    jobs.on_article_saved(newsroom.bridge)  # what publishing an edit of the original does
    assert not TranslationJob.objects.filter(target_language="ru").exists()  # the copy waits for its person

    pipeline.translate_article(newsroom.bridge, "ru")

    translated = reload(copy)
    assert translated.translation_method == "machine" and translated.headline != newsroom.bridge.headline


# --- Drafts made before copies had a name ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_drafts_still_holding_their_originals_text_are_marked_as_copies():
    old = migrate([("newsroom", "0001_initial")])
    Article = old.get_model("newsroom", "Article")
    section = old.get_model("newsroom", "Section").objects.create(key="news")
    original = Article.objects.create(language="fr", slug="pont", headline="Le pont", body="<p>Il rouvre.</p>",
                                      section=section)
    common = {"translation_key": original.translation_key, "translated_from": original, "section": section,
              "translation_method": "human", "body": original.body}
    untouched = Article.objects.create(language="en", slug="pont", headline="Le pont", **common)
    translated = Article.objects.create(language="ru", slug="most", headline="Мост", **common)

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    from babelpress.newsroom.models import Article as Current

    assert Current.objects.get(pk=untouched.pk).translation_method == "copy"
    assert Current.objects.get(pk=translated.pk).translation_method == "human"
