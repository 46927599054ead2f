"""Imports and editors writing one article: nobody's work is silently overwritten.

An import that updates an article in place, and "Apply the new version" on an import record, are
tried against an editor's admin form both ways: the form opened before the import's write (the
editor's save is refused with the reload message, nothing lost) and the import coming after the
editor's save (it must not undo it).
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from babelpress.ingest import pipeline
from babelpress.ingest.models import ImportedItem
from babelpress.newsroom.models import Article

from .conftest import story

STALE_FORM = "Someone else saved this article since you opened it."


def article_url(article) -> str:
    return reverse("admin:newsroom_article_change", args=[article.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def editors(db):
    """Two logged-in browsers: Eve and Ann (both may do anything)."""
    browsers = []
    for name in ("eve", "ann"):
        browser = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="en")
        browser.force_login(get_user_model().objects.create_superuser(name, f"{name}@example.org", None))
        browsers.append(browser)
    return browsers


def test_an_editors_form_opened_before_an_import_update_is_refused(partner, editors, open_form):
    eve, _ann = editors
    url = partner.page("/a", "Budget vote delayed", seed=1)
    article = pipeline.import_url(url).article
    form = open_form(eve, article_url(article))
    partner.page("/a", "Budget vote delayed to Friday", seed=1)
    assert pipeline.import_url(url).status == "updated"  # nobody had edited it: updated in place

    response = form.post(standfirst="Eve's standfirst")

    assert response.status_code == 200 and STALE_FORM in response.content.decode()
    article = Article.objects.get(pk=article.pk)
    assert (article.headline, article.standfirst) == ("Budget vote delayed to Friday", "")


def test_an_import_after_an_editors_save_keeps_the_editors_text_and_waits_as_a_diff(partner, editors, open_form):
    eve, _ann = editors
    url = partner.page("/b", "Museum reopens", seed=2)
    article = pipeline.import_url(url).article
    assert open_form(eve, article_url(article)).post(headline="Museum reopens (Eve)").status_code == 302
    partner.page("/b", "Museum reopens on Saturday", seed=2, paragraphs=story(2) + ["Tickets are free."])

    outcome = pipeline.import_url(url)

    assert outcome.status == "pending_update"
    assert Article.objects.get(pk=article.pk).headline == "Museum reopens (Eve)"
    assert outcome.item.pending_update["headline"] == "Museum reopens on Saturday"


@pytest.fixture
def waiting(partner, editors, open_form):
    """An imported article Eve edited, with a newer version waiting on its import record."""
    eve, _ann = editors
    url = partner.page("/c", "Railway station to close", seed=3)
    article = pipeline.import_url(url).article
    assert open_form(eve, article_url(article)).post(standfirst="Eve's standfirst.").status_code == 302
    partner.page("/c", "Railway station to close in May", seed=3)
    item = pipeline.import_url(url).item
    assert item.pending_update
    return item


def test_an_editors_form_opened_before_apply_the_new_version_is_refused(waiting, editors, open_form):
    eve, ann = editors
    form = open_form(eve, article_url(waiting.article))
    record = open_form(ann, reverse("admin:ingest_importeditem_change", args=[waiting.pk]))
    record.url = reverse("admin:ingest_importeditem_apply", args=[waiting.pk])  # the button's formaction
    assert record.post().status_code == 302

    response = form.post(summary="Eve's summary")

    assert response.status_code == 200 and STALE_FORM in response.content.decode()
    article = Article.objects.get(pk=waiting.article_id)
    assert (article.headline, article.summary) == ("Railway station to close in May", "")


def test_apply_the_new_version_from_a_page_opened_before_an_editors_save_is_refused_with_a_message(
    waiting, editors, open_form
):
    eve, ann = editors
    record = open_form(ann, reverse("admin:ingest_importeditem_change", args=[waiting.pk]))
    record.url = reverse("admin:ingest_importeditem_apply", args=[waiting.pk])
    assert open_form(eve, article_url(waiting.article)).post(headline="Station closes (Eve)").status_code == 302

    response = record.post()

    assert response.status_code == 302  # back to the import record, with the reason
    page = ann.get(response["Location"])
    assert any(m.startswith("Someone else saved this article since you opened it.") for m in messages_of(page))
    assert Article.objects.get(pk=waiting.article_id).headline == "Station closes (Eve)"
    assert ImportedItem.objects.get(pk=waiting.pk).pending_update  # still there to apply after a look
