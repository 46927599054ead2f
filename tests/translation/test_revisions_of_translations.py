"""Revisions and translation: a translation job's and a reviewer's saves keep revisions naming who
asked or approved; when the original is revised, its translation says so, with what changed in the
original since the translation was made (its article page and its review screen)."""

from __future__ import annotations

import lxml.html
import pytest
from django.urls import reverse
from django.utils import translation

from babelpress.newsroom import revisions
from babelpress.newsroom.models import Article
from babelpress.translation import jobs, pipeline, review
from babelpress.translation.models import Translation
from babelpress.translation.tasks import run_translation_job

from .fake_engines import PhrasebookEngine


@pytest.fixture(autouse=True)
def _admin_in_english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def reviewer(client, django_user_model):
    user = django_user_model.objects.create_superuser("rosa", "rosa@example.org", None)
    client.force_login(user)
    return user


@pytest.fixture
def story(use_engines, make_story, settings):
    """A French original (review policy) with the phrasebook engine translating it."""
    settings.BABELPRESS_TRANSLATION_POLICY = "review"
    use_engines({"phrasebook": (PhrasebookEngine, {})})
    return make_story(["Le pont rouvre ce matin.", "Les voitures passent."], language="fr", headline="Le pont")


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


def revise(source, **fields) -> Article:
    source = reload(source)
    for name, value in fields.items():
        setattr(source, name, value)
    source.save()
    return source


def panel(client, article):
    response = client.get(reverse("admin:newsroom_article_change", args=[article.pk]))
    assert response.status_code == 200
    found = lxml.html.fromstring(response.content.decode()).cssselect(".source-changes")
    return found[0] if found else None


def words(node, selector) -> list[str]:
    return [" ".join(n.text_content().split()) for n in node.cssselect(selector)]


# --- Saves by translation ---------------------------------------------------------------------------


def test_a_translation_job_keeps_a_revision_naming_who_asked_for_it(story, reviewer):
    job = jobs.enqueue(story, ["en"], user=reviewer)[0]
    run_translation_job.call(job.pk)

    target = Article.objects.get(translation_key=story.translation_key, language="en")
    revision = revisions.of(target).first()
    assert revision.history_type == "+" and revision.headline == "LE PONT"
    with translation.override("en"):
        assert revision.history_user == reviewer and revisions.how_label(revision) == "Machine translation"


def test_approving_a_translation_keeps_a_revision_naming_the_reviewer(story, reviewer, client):
    state = pipeline.translate_article(story, "en").translation
    response = client.post(reverse("admin:translation_translation_change", args=[state.pk]), {
        **{f"segment-{s.position}": s.target_text for s in state.segments.all()}, "_approve": "1"})
    assert response.status_code == 302

    revision = revisions.of(state.article).first()
    with translation.override("en"):
        assert revision.history_user == reviewer and revisions.how_label(revision) == "Translation approved"
    assert revision.status == "published" and revision.reviewed_by_id == reviewer.pk


# --- An outdated translation shows what changed in its original --------------------------------------


def test_a_translation_whose_original_changed_shows_the_change_on_its_page(story, reviewer, client):
    target = pipeline.translate_article(story, "en").article
    assert panel(client, target) is None  # up to date: nothing to say

    revise(story, headline="Le pont de Valmont", body=story.body.replace("ce matin", "ce soir"))

    shown = panel(client, target)
    assert "The original changed since this translation was made." in shown.text_content()
    assert words(shown, ".rd-field-headline ins") == ["de Valmont"]
    assert words(shown, ".rd-field-body del") == ["matin"] and words(shown, ".rd-field-body ins") == ["soir"]
    assert shown.cssselect(".rd-block")[0].get("lang") == "fr"


def test_a_reviewed_translation_left_outdated_by_a_retranslation_shows_the_change_since_it_was_made(
        story, reviewer, client):
    state = pipeline.translate_article(story, "en").translation
    review.save_review(state, {}, reviewer, approve=True)
    first_revision_of_source = revisions.of(story).first()
    revise(story, body=story.body.replace("Les voitures passent.", "Les voitures et les vélos passent."))
    pipeline.translate_article(reload(story), "en")  # published and approved: the text waits for a reviewer
    assert reload(state).state == Translation.State.OUTDATED

    shown = panel(client, state.article)

    assert words(shown, ".rd-field-body ins") == ["et les vélos"]
    assert f"a={first_revision_of_source.history_id}" in shown.cssselect("a")[-1].get("href")


def test_the_review_screen_shows_what_changed_in_the_original(story, reviewer, client):
    state = pipeline.translate_article(story, "en").translation
    revise(story, headline="Le pont neuf")

    response = client.get(reverse("admin:translation_translation_change", args=[state.pk]))

    doc = lxml.html.fromstring(response.content.decode())
    assert words(doc, ".source-changes .rd-field-headline ins") == ["neuf"]


def test_a_human_translation_shows_the_originals_changes_since_it_was_started(newsroom, reviewer, client):
    draft = newsroom.festival.create_translation("fr", headline="La fête des lanternes")
    assert panel(client, draft) is None

    revise(newsroom.festival, headline="Lantern festival draws record crowds")

    assert words(panel(client, draft), ".rd-field-headline ins") == ["record"]


def test_without_the_history_of_the_original_the_panel_says_it_cannot_show_the_change(story, reviewer, client):
    state = pipeline.translate_article(story, "en").translation
    revisions.of(story).delete()  # as for an original saved before revisions were kept
    revise(story, headline="Le pont neuf")

    shown = panel(client, state.article)

    assert "does not reach back" in shown.text_content() and not shown.cssselect(".revision-diff")
