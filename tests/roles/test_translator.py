"""A translator (here of Armenian and Russian) works on the translations and the review queue of
their languages, and on nothing else."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from babelpress.newsroom.models import Article
from babelpress.translation import pipeline
from babelpress.translation.models import Translation

from ..admin_sweep.support import page_forms
from .conftest import client_of

pytestmark = pytest.mark.django_db


def opened_form(client, url) -> dict:
    page = client.get(url)
    assert page.status_code == 200
    return next(fields for action, fields, _text in page_forms(page.content.decode(), url) if "logout" not in action)


def article_url(article) -> str:
    return reverse("admin:newsroom_article_change", args=[article.pk])


def review_url(state) -> str:
    return reverse("admin:translation_translation_change", args=[state.pk])


def test_a_translator_edits_and_publishes_a_translation_in_their_language_but_cannot_move_it_to_another(
        people, world):
    translator = client_of(people.translator)
    url = article_url(world.translation_hy)
    form = translator.get(url).context["adminform"].form
    assert form.fields["language"].disabled
    assert [value for value, _label in form.fields["status"].choices] == ["draft", "review", "published"]

    response = translator.post(url, {**opened_form(translator, url), "headline": "Կամուրջը բացվեց",
                                     "language": "fr", "status": "published",
                                     "published_at_0": "2026-01-01", "published_at_1": "09:00:00"})

    assert response.status_code == 302
    saved = Article.objects.get(pk=world.translation_hy.pk)
    assert (saved.headline, saved.language, saved.status) == ("Կամուրջը բացվեց", "hy", "published")


def test_a_translator_reads_originals_and_other_languages_but_cannot_change_them(people, world):
    translator = client_of(people.translator)
    for article in (world.published, world.translation_fr, world.own_draft):
        page = translator.get(article_url(article))
        assert page.status_code == 200 and page.context["has_change_permission"] is False, article
        assert translator.post(article_url(article), {"headline": "x"}).status_code == 403


def test_a_translator_starts_a_draft_in_their_language_only(people, world):
    translator = client_of(people.translator)
    translate = "admin:newsroom_article_translate"

    assert translator.post(reverse(translate, args=[world.published.pk, "en"])).status_code == 403
    response = translator.post(reverse(translate, args=[world.published.pk, "ru"]))

    draft = Article.objects.get(translation_key=world.published.translation_key, language="ru")
    assert response["Location"] == article_url(draft)
    assert draft.created_by == people.translator and draft.status == "draft"
    assert not Article.objects.filter(translation_key=world.published.translation_key, language="en").exists()


def test_the_review_queue_of_a_translator_holds_their_languages_only(people, world):
    queue = client_of(people.translator).get(reverse("admin:translation_translation_changelist"))
    assert list(queue.context["cl"].result_list) == [world.review_hy]
    everything = client_of(people.editor).get(reverse("admin:translation_translation_changelist"))
    assert set(everything.context["cl"].result_list) == {world.review_hy, world.review_fr}


def test_a_translator_approves_a_machine_draft_in_their_language(people, world):
    state = pipeline.translate_article(world.published, "ru").translation
    translator = client_of(people.translator)

    response = translator.post(review_url(state), {**opened_form(translator, review_url(state)), "_approve": "1"})

    assert response.status_code == 302
    state = Translation.objects.select_related("article").get(pk=state.pk)
    assert state.state == Translation.State.REVIEWED and state.article.reviewed_by == people.translator


def test_a_reviewer_of_armenian_cannot_approve_a_french_translation(people, world):
    editor, translator = client_of(people.editor), client_of(people.translator)
    form = opened_form(editor, review_url(world.review_fr))

    response = translator.post(review_url(world.review_fr), {**form, "segment-0": "Le marché est ouvert",
                                                             "_approve": "1"})

    assert response.status_code == 403
    state = Translation.objects.get(pk=world.review_fr.pk)
    assert state.state == Translation.State.MACHINE and state.segments.get().target_text == "Le marché ouvre"


def test_an_article_page_offers_a_draft_only_in_the_languages_the_person_may_start_one(people, world):
    def offered(person):
        page = client_of(person).get(article_url(world.published)).content.decode()
        return sorted(re.findall(r"translate/(\w+)/", page))

    assert offered(people.translator) == ["ru"]  # hy exists already; en is not theirs
    assert offered(people.editor) == ["ar", "en", "ru"]
    assert offered(people.writer) == []
    assert "English: not translated yet" in client_of(people.writer).get(article_url(world.published)).content.decode()


def test_coverage_offers_bulk_translation_only_to_whom_may_queue_it(people, world):
    coverage = reverse("translation_coverage")
    assert 'name="cell"' not in client_of(people.translator).get(coverage).content.decode()
    assert 'name="cell"' in client_of(people.editor).get(coverage).content.decode()


def test_the_job_list_offers_retry_only_to_whom_may_retry(people, world):
    jobs = reverse("admin:translation_translationjob_changelist")
    assert "/retry/" not in client_of(people.translator).get(jobs).content.decode()
    assert "/retry/" in client_of(people.editor).get(jobs).content.decode()
