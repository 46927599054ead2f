"""What readers are told about a translation: the label under the byline, in the page's UI
language, and the translator in the JSON-LD. Translations are made through the workflow itself
(pipeline, then review), with the PhrasebookEngine."""

from __future__ import annotations

import json

import lxml.html
import pytest

from babelpress.translation import pipeline, review
from babelpress.translation.models import Translation

from .fake_engines import PhrasebookEngine

MACHINE = {
    "fr": "Traduit automatiquement de l'anglais",
    "en": "Machine-translated from French",
    "hy": "Մեքենայական թարգմանություն անգլերենից",
    "ru": "Автоматический перевод с английского",
    "ar": "ترجمة آلية عن الإنجليزية",
}
REVIEWED = {
    "fr": "Traduit de l'anglais, relu par Marie Curie",
    "en": "Translated from French, reviewed by Marie Curie",
    "hy": "Թարգմանված է անգլերենից, խմբագիր՝ Marie Curie",
    "ru": "Перевод с английского, редактор — Marie Curie",
    "ar": "مترجم عن الإنجليزية، مراجعة: Marie Curie",
}


@pytest.fixture(autouse=True)
def _arabic_stories_too(settings, use_engines):
    settings.BABELPRESS_CONTENT_LANGUAGES = ["fr", "en", "hy", "ru", "ar"]
    use_engines({"phrasebook": (PhrasebookEngine, {"pairs": ["en-fr", "fr-en", "en-hy", "en-ru", "en-ar"]})})


@pytest.fixture
def marie(django_user_model):
    return django_user_model.objects.create_user("mcurie", first_name="Marie", last_name="Curie", is_staff=True)


def original_for(language, make_story):
    """The story readers of ``language`` get as a translation: French for English readers, else English."""
    source = "fr" if language == "en" else "en"
    return make_story(["Rain fell today."], language=source, headline="Rain")


def page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200, response.content[:300]
    return lxml.html.fromstring(response.content.decode())


def label(doc) -> str:
    return " ".join(doc.cssselect(".provenance")[0].text_content().split())


def json_ld(doc) -> dict:
    return json.loads(doc.cssselect('script[type="application/ld+json"]')[0].text)


@pytest.mark.parametrize("language", list(MACHINE))
def test_a_machine_translation_published_at_once_is_labelled_in_the_ui_language(
    client, make_story, settings, language
):
    settings.BABELPRESS_TRANSLATION_POLICY = "publish"

    target = pipeline.translate_article(original_for(language, make_story), language).article

    doc = page(client, target)
    assert doc.get("lang") == language
    assert label(doc) == MACHINE[language]


@pytest.mark.parametrize("language", list(REVIEWED))
def test_a_reviewed_translation_names_its_reviewer_in_the_ui_language(client, make_story, marie, language):
    state = pipeline.translate_article(original_for(language, make_story), language).translation

    review.save_review(state, {}, marie, approve=True)

    assert label(page(client, state.article)) == REVIEWED[language]


def test_a_draft_held_for_review_is_not_shown_to_readers(client, make_story, settings):
    settings.BABELPRESS_TRANSLATION_POLICY = "review"

    target = pipeline.translate_article(original_for("fr", make_story), "fr").article

    assert client.get(target.get_absolute_url()).status_code == 404


def test_json_ld_names_the_engine_as_translator_of_a_machine_translation(client, make_story, settings):
    settings.BABELPRESS_TRANSLATION_POLICY = "publish"
    source = original_for("fr", make_story)

    data = json_ld(page(client, pipeline.translate_article(source, "fr").article))

    assert data["translator"] == {"@type": "SoftwareApplication", "name": "phrasebook"}
    assert data["translationOfWork"]["inLanguage"] == "en"
    assert "contributor" not in data


def test_json_ld_of_a_reviewed_translation_names_the_engine_and_the_reviewer(client, make_story, marie):
    state = pipeline.translate_article(original_for("fr", make_story), "fr").translation
    review.save_review(state, {}, marie, approve=True)

    data = json_ld(page(client, state.article))

    assert data["translator"] == {"@type": "SoftwareApplication", "name": "phrasebook"}
    assert data["contributor"] == {"@type": "Person", "name": "Marie Curie"}


def test_an_update_published_without_review_goes_back_to_the_machine_label(client, make_story, marie, settings):
    source = original_for("fr", make_story)
    state = pipeline.translate_article(source, "fr").translation
    review.save_review(state, {}, marie, approve=True)
    assert label(page(client, state.article)) == REVIEWED["fr"]
    settings.BABELPRESS_TRANSLATION_POLICY = "publish"
    source.headline = "Rain again"
    source.save()

    target = pipeline.translate_article(source, "fr").article

    assert label(page(client, target)) == MACHINE["fr"]
    assert Translation.objects.get(article=target).state == Translation.State.MACHINE
