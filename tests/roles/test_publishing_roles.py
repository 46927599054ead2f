"""Publishing as each role: the article page's Publish now / Schedule / Unpublish buttons, the list's
actions, the scheduling and embargo pages, and the preview link.

Whoever may publish an article (an editor, an administrator; a translator, the translations in
their languages) sees the buttons on its page and runs the actions on it; anyone else does not
see them, and sending them anyway changes nothing. An action run on a mixed selection publishes what
the person may publish and says what it left.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.admin import helpers
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from babelpress.newsroom.models import Article
from babelpress.site.preview import preview_panel

from ..admin_sweep.support import page_forms
from .conftest import client_of

pytestmark = pytest.mark.django_db

ADD = reverse("admin:newsroom_article_add")
CHANGELIST = reverse("admin:newsroom_article_changelist")
BUTTONS = ("_publish_now", "_schedule", "_unpublish")


def change_url(article) -> str:
    return reverse("admin:newsroom_article_change", args=[article.pk])


def buttons_on(client, url) -> set[str]:
    page = client.get(url)
    assert page.status_code == 200
    return {name for name in BUTTONS if f'name="{name}"' in page.content.decode()}


def opened_form(client, url) -> dict:
    page = client.get(url)
    return next(fields for action, fields, _text in page_forms(page.content.decode(), url) if "logout" not in action)


def run(client, action: str, *articles, **more):
    return client.post(CHANGELIST, {"action": action, "index": "0", helpers.ACTION_CHECKBOX_NAME: [a.pk for a in articles],
                                    **more}, follow="apply" in more)


def told(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def reload(article) -> Article:
    return Article.objects.get(pk=article.pk)


def tomorrow() -> dict:
    moment = timezone.localtime() + timedelta(days=1)
    return {"apply": "1", "when_0": moment.strftime("%Y-%m-%d"), "when_1": "09:00:00"}


# --- The article page's buttons -------------------------------------------------------------------


def test_the_publishing_buttons_are_shown_to_whom_may_publish_the_article(people, world):
    writer, editor, translator = client_of(people.writer), client_of(people.editor), client_of(people.translator)

    assert buttons_on(writer, change_url(world.own_draft)) == set()  # Save, and "In review" to submit
    assert buttons_on(writer, ADD) == set()
    assert buttons_on(editor, change_url(world.own_draft)) == {"_publish_now", "_schedule"}
    assert buttons_on(editor, change_url(world.published)) == {"_publish_now", "_schedule", "_unpublish"}
    assert buttons_on(editor, ADD) == {"_publish_now", "_schedule"}
    assert buttons_on(translator, change_url(world.translation_hy)) == {"_publish_now", "_schedule"}
    assert buttons_on(translator, change_url(world.translation_fr)) == set()  # read only: not their language


@pytest.mark.parametrize("button", BUTTONS)
def test_a_writer_who_sends_a_publishing_button_by_hand_is_told_and_nothing_is_published(people, world, button):
    writer = client_of(people.writer)
    url = change_url(world.own_draft)

    response = writer.post(url, {**opened_form(writer, url), "headline": "Mon scoop", button: "1"})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"] == [
        "Only an editor can publish. Choose “In review” to submit the article: an editor then publishes it."]
    assert (reload(world.own_draft).headline, reload(world.own_draft).status) == ("Mon brouillon", "draft")


def test_a_translator_publishes_a_translation_of_their_language_with_the_button(people, world):
    translator = client_of(people.translator)
    url = change_url(world.translation_hy)

    response = translator.post(url, {**opened_form(translator, url), "_publish_now": "1"})

    assert response.status_code == 302 and reload(world.translation_hy).is_published


# --- The list's actions -------------------------------------------------------------------------


def offered(client) -> set[str]:
    return {name for name, _label in client.get(CHANGELIST).context["action_form"].fields["action"].choices}


def test_the_publishing_actions_are_offered_to_whom_may_publish(people, world):
    publishing = {"publish_now", "unpublish", "schedule", "schedule_all_languages"}
    assert offered(client_of(people.writer)) & publishing == set()
    assert offered(client_of(people.editor)) >= publishing
    assert offered(client_of(people.translator)) >= publishing


@pytest.mark.parametrize("action", ["publish_now", "unpublish", "schedule", "schedule_all_languages"])
def test_a_writer_who_sends_a_publishing_action_by_hand_is_refused(people, world, action):
    writer = client_of(people.writer)

    assert run(writer, action, world.own_draft).status_code == 403  # the scheduling pages too
    assert run(writer, action, world.own_draft, **tomorrow()).status_code == 403
    assert reload(world.own_draft).status == "draft" and reload(world.published).is_published


def test_a_translator_publishes_the_selected_translations_of_their_languages_and_leaves_the_rest(people, world):
    translator = client_of(people.translator)

    response = run(translator, "publish_now", world.translation_hy, world.translation_fr, world.own_draft)

    assert response.status_code == 302
    assert reload(world.translation_hy).is_published
    assert reload(world.translation_fr).status == "review" and reload(world.own_draft).status == "draft"
    assert told(translator.get(CHANGELIST)) == [
        "2 selected articles left as they were: you may not publish, schedule or unpublish them (an editor can).",
        "1 article published: readers can see it now."]


def test_the_scheduling_page_lists_only_what_the_person_may_schedule(people, world):
    translator = client_of(people.translator)

    page = run(translator, "schedule", world.translation_hy, world.translation_fr)

    assert page.status_code == 200 and [a.pk for a in page.context["queryset"]] == [world.translation_hy.pk]
    response = run(translator, "schedule", world.translation_hy, world.translation_fr, **tomorrow())
    assert reload(world.translation_hy).status == "published" and not reload(world.translation_hy).is_published
    assert reload(world.translation_fr).status == "review"
    assert "1 article scheduled for" in " ".join(told(response))


def test_nothing_the_person_may_publish_selected_leaves_the_list_as_it_was(people, world):
    translator = client_of(people.translator)

    response = run(translator, "schedule", world.translation_fr)

    assert response.status_code == 302  # back to the list, with no page asking for a time
    assert reload(world.translation_fr).status == "review"
    assert told(translator.get(CHANGELIST)) == [
        "1 selected article left as it was: you may not publish, schedule or unpublish it (an editor can)."]


def test_an_embargo_reaches_a_story_only_when_the_person_may_publish_every_language_it_changes(people, world):
    translator, editor = client_of(people.translator), client_of(people.editor)

    # The Armenian version's story has a published French original: a translator may not re-time it.
    response = run(translator, "schedule_all_languages", world.translation_hy, **tomorrow())
    assert "its story has versions you may not publish" in " ".join(told(response))
    assert reload(world.published).is_published and reload(world.translation_hy).status == "review"

    # A story whose published versions are all translations into the translator's languages.
    now = timezone.now()
    hy = world.other_draft.create_translation("hy", headline="Սևագիր", translation_method="machine",
                                              status=Article.Status.PUBLISHED, published_at=now)
    ru = world.other_draft.create_translation("ru", headline="Черновик", translation_method="machine",
                                              status=Article.Status.PUBLISHED, published_at=now)
    run(translator, "schedule_all_languages", hy, **tomorrow())
    assert not reload(hy).is_published and not reload(ru).is_published  # both wait for the same time
    assert reload(hy).published_at == reload(ru).published_at > now
    assert reload(world.other_draft).status == "draft"

    run(editor, "schedule_all_languages", world.translation_hy, **tomorrow())
    assert not reload(world.published).is_published and not reload(world.translation_hy).is_published


# --- The preview link ------------------------------------------------------------------------------


def test_the_preview_link_is_given_to_whom_may_read_the_article(people, world):
    for person in (people.writer, people.editor, people.translator, people.administrator):
        page = client_of(person).get(change_url(world.other_draft))
        assert 'class="button preview-link"' in page.content.decode(), person

    request = RequestFactory().get("/")
    request.user = people.nobody  # staff, in no role: no article page, and no link either
    assert client_of(people.nobody).get(change_url(world.other_draft)).status_code == 403
    assert preview_panel(world.other_draft, request) == ""
