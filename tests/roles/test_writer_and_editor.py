"""A writer writes drafts and submits them for review; an editor publishes. As each would, in the admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from babelpress.newsroom.models import Article

from ..admin_sweep.support import page_forms
from .conftest import client_of

pytestmark = pytest.mark.django_db

ADD = reverse("admin:newsroom_article_add")
CHANGELIST = reverse("admin:newsroom_article_changelist")


def change_url(article) -> str:
    return reverse("admin:newsroom_article_change", args=[article.pk])


def opened_form(client, url) -> dict:
    """The article form as the browser holds it once the page is open."""
    page = client.get(url)
    assert page.status_code == 200
    return next(fields for action, fields, _text in page_forms(page.content.decode(), url) if "logout" not in action)


def status_choices(client, url) -> list[str]:
    return [value for value, _label in client.get(url).context["adminform"].form.fields["status"].choices]


def reload(article) -> Article:
    return Article.objects.get(pk=article.pk)


def test_a_writer_writes_a_draft_and_it_is_theirs(people, world):
    writer = client_of(people.writer)
    form = opened_form(writer, ADD)
    assert "translation_of" not in form and "published_at" not in form  # set by editors
    assert status_choices(writer, ADD) == ["draft", "review"]

    response = writer.post(ADD, {**form, "language": "fr", "headline": "Les cerisiers fleurissent",
                                 "body": "<p>Au parc.</p>", "section": world.section.pk, "status": "draft"})

    assert response.status_code == 302
    article = Article.objects.get(headline="Les cerisiers fleurissent")
    assert article.created_by == people.writer and article.status == "draft"
    assert "writer" in client_of(people.editor).get(change_url(article)).content.decode()  # "Created by" on the page


def test_a_writer_who_tries_to_publish_is_told_how_to_submit_instead(people, world):
    writer = client_of(people.writer)
    form = opened_form(writer, ADD)

    response = writer.post(ADD, {**form, "language": "fr", "headline": "Scoop", "section": world.section.pk,
                                 "status": "published"})

    assert response.status_code == 200 and not Article.objects.filter(headline="Scoop").exists()
    assert response.context["adminform"].form.errors["status"] == [
        "Only an editor can publish. Choose “In review” to submit the article: an editor then publishes it."]


def test_a_submitted_draft_is_the_editors_the_writer_may_read_it_but_no_longer_change_it(people, world):
    writer = client_of(people.writer)
    url = change_url(world.own_draft)
    form = opened_form(writer, url)

    assert writer.post(url, {**form, "headline": "Mon brouillon, relu", "status": "review"}).status_code == 302

    submitted = reload(world.own_draft)
    assert (submitted.headline, submitted.status) == ("Mon brouillon, relu", "review")
    page = writer.get(url)
    assert page.status_code == 200 and page.context["has_change_permission"] is False
    assert writer.post(url, {**form, "headline": "Encore", "status": "draft"}).status_code == 403
    assert reload(world.own_draft).headline == "Mon brouillon, relu"


def test_submit_for_review_moves_the_writers_own_drafts_and_leaves_the_rest(people, world):
    writer = client_of(people.writer)

    response = writer.post(CHANGELIST, {"action": "submit_for_review", "index": "0",
                                        "_selected_action": [world.own_draft.pk, world.other_draft.pk]}, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "1 draft submitted for review: an editor will publish it.",
        "1 article left as it was: only a draft you may edit can be submitted for review."]
    assert reload(world.own_draft).status == "review" and reload(world.other_draft).status == "draft"


def test_a_writer_sees_every_article_and_finds_their_own_with_a_filter(people, world):
    writer = client_of(people.writer)
    everything = writer.get(CHANGELIST).context["cl"].result_count
    mine = writer.get(CHANGELIST, {"written_by": "me"}).context["cl"].result_list
    assert everything == Article.objects.count()
    assert {a.pk for a in mine} == {world.own_draft.pk, world.own_submitted.pk}


def test_the_list_filters_articles_in_review(people, world):
    editor = client_of(people.editor)
    page = editor.get(CHANGELIST, {"status__exact": "review"})
    assert "In review" in page.content.decode()
    assert {a.status for a in page.context["cl"].result_list} == {"review"}


def test_an_editor_publishes_a_submitted_article(people, world):
    editor = client_of(people.editor)
    url = change_url(world.own_submitted)
    assert status_choices(editor, url) == ["draft", "review", "published"]

    response = editor.post(url, {**opened_form(editor, url), "status": "published",
                                 "published_at_0": "2026-01-01", "published_at_1": "09:00:00"})

    assert response.status_code == 302 and reload(world.own_submitted).is_published


def test_an_article_in_review_is_not_on_the_site(people, world, client):
    page = client.get(world.own_submitted.get_absolute_url())
    assert page.status_code == 404
    assert world.own_submitted.headline not in client.get("/fr/").content.decode()
    assert world.published.headline in client.get("/fr/").content.decode()
