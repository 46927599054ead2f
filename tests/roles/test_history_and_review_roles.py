"""An article's revisions and the review screen's "approve anyway", as each role.

Everyone who reads an article reads its history and compares its revisions; restoring one is
changing the article, so it is for whom may change that article (a writer, their own drafts; a
translator, the translations in their languages). Approving a held-back machine draft anyway, with
a reason, is approving: for whom may approve in that language.
"""

from __future__ import annotations

import lxml.html
import pytest
from django.urls import reverse

from babelpress.newsroom import revisions
from babelpress.newsroom.models import Article
from babelpress.translation import pipeline, registry
from babelpress.translation.models import ApprovalOverride

from .conftest import client_of

pytestmark = pytest.mark.django_db


def history_url(article) -> str:
    return reverse("admin:newsroom_article_history", args=[article.pk])


def restore_url(article) -> str:
    first = revisions.of(article).last()
    return reverse("admin:newsroom_article_history_restore", args=[article.pk, first.history_id])


def test_whoever_reads_an_article_reads_its_history_and_restore_is_offered_to_whom_may_change_it(people, world):
    cases = [(people.writer, world.own_draft, True), (people.writer, world.published, False),
             (people.translator, world.translation_hy, True), (people.translator, world.published, False),
             (people.editor, world.published, True)]
    for person, article, restores in cases:
        page = client_of(person).get(history_url(article))
        assert page.status_code == 200 and page.context["can_restore"] is restores, (person, article)


def test_a_writer_restores_a_revision_of_their_own_draft_and_of_nobody_elses(people, world):
    writer = client_of(people.writer)
    world.own_draft.headline = "Mon brouillon, raturé"
    world.own_draft.save()

    response = writer.post(restore_url(world.own_draft), {"loaded_version": world.own_draft.version})

    assert response.status_code == 302
    assert Article.objects.get(pk=world.own_draft.pk).headline == "Mon brouillon"
    before = Article.objects.get(pk=world.published.pk)
    assert writer.get(restore_url(world.published)).status_code == 403
    assert writer.post(restore_url(world.published), {"loaded_version": before.version}).status_code == 403
    assert Article.objects.get(pk=world.published.pk).version == before.version


# --- Approving a held-back draft anyway -----------------------------------------------------------

STORY = ("Le conseil municipal a adopté hier soir le budget de la ville pour l'année prochaine, après un long "
         "débat sur le coût des travaux du pont.")


@pytest.fixture
def held_back(world, settings):
    """Machine drafts of one story into Armenian (the translator's) and English (not theirs), each a
    few words long: their length holds them back from a plain approval."""
    settings.BABELPRESS_TRANSLATION_ENGINES = {"phrasebook": {
        "CLASS": "tests.translation.fake_engines.PhrasebookEngine",
        "OPTIONS": {"phrases": {STORY: "Budget.", "Le budget adopté": "Budget"}}}}
    registry.clear_cache()
    story = Article.objects.create(language="fr", headline="Le budget adopté", body=f"<p>{STORY}</p>",
                                   section=world.section, status=Article.Status.DRAFT)
    return {code: pipeline.translate_article(story, code).translation for code in ("hy", "en")}


def review_form(client, state) -> dict:
    page = client.get(reverse("admin:translation_translation_change", args=[state.pk]))
    assert page.status_code == 200
    form = lxml.html.fromstring(page.content.decode()).get_element_by_id("review-form")
    return dict(form.form_values())


def approve_anyway(client, state, form):
    return client.post(reverse("admin:translation_translation_change", args=[state.pk]),
                       {**form, "_approve": "1", "reason": "The short version is what the desk wants."})


def test_approving_anyway_is_for_whom_may_approve_in_that_language(people, held_back, clients):
    editor_form = {code: review_form(clients["E"], state) for code, state in held_back.items()}
    assert "reason" in editor_form["hy"]  # held back: the reason's box is on the form

    for letter, code in (("W", "hy"), ("T", "en"), ("N", "hy")):
        assert approve_anyway(clients[letter], held_back[code], editor_form[code]).status_code == 403, (letter, code)
    assert not ApprovalOverride.objects.exists()

    assert approve_anyway(clients["T"], held_back["hy"], review_form(clients["T"], held_back["hy"])).status_code == 302
    override = ApprovalOverride.objects.get()
    assert (override.article.language, override.reviewer) == ("hy", people.translator)
    assert approve_anyway(clients["E"], held_back["en"], editor_form["en"]).status_code == 302
    assert ApprovalOverride.objects.count() == 2
