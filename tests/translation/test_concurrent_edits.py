"""Two writers on one translation: nobody's work is silently overwritten.

Each path that writes a translated article — review approval, translation jobs, the release of
translations waiting for their original — is tried against an editor's admin form both ways:
the form opened before the other write (the editor's save is refused with the reload message,
nothing lost) and the other write coming after the editor's save (it must not undo it).
"""

from __future__ import annotations

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse

from babelpress.newsroom.models import Article
from babelpress.translation import jobs, pipeline, review
from babelpress.translation.models import Translation, TranslationJob
from babelpress.translation.tasks import run_translation_job

STALE_FORM = "Someone else saved this article since you opened it."


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


def article_url(article) -> str:
    return reverse("admin:newsroom_article_change", args=[article.pk])


def review_url(state) -> str:
    return reverse("admin:translation_translation_change", args=[state.pk])


def logged_in(user) -> Client:
    browser = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(user)
    return browser


@pytest.fixture
def people(django_user_model):
    """Two browsers: Eve edits articles, Rémi reviews translations (both may do anything)."""
    eve = django_user_model.objects.create_superuser("eve", "eve@example.org", None)
    remi = django_user_model.objects.create_superuser("remi", "remi@example.org", None)
    return type("People", (), {"eve": logged_in(eve), "remi": logged_in(remi), "remi_user": remi})


@pytest.fixture
def draft(phrasebook, make_story, settings):
    """A published French story with a machine draft in English, held for review:
    segments LE PONT / LE PONT ROUVRE CE MATIN."""
    settings.BABELPRESS_TRANSLATION_POLICY = "review"
    story = make_story(["Le pont rouvre ce matin."], language="fr", headline="Le pont")
    return pipeline.translate_article(story, "en").translation


def during_the_engine_call(engine, action):
    """Run ``action`` once, while the engine is translating (the job has read the rows already)."""
    real = engine.translate_batch

    def translate_batch(segments, source, target):
        engine.translate_batch = real
        action()
        return real(segments, source, target)

    engine.translate_batch = translate_batch


def edit_source(story, body="<p>Le pont rouvre ce soir.</p>"):
    story = reload(story)
    story.body = body
    story.save()
    return story


# --- Review approval --------------------------------------------------------------------------------------


def test_an_editors_form_opened_before_an_approval_cannot_undo_it(people, draft, open_form):
    target = draft.article
    editors_form = open_form(people.eve, article_url(target))
    review = open_form(people.remi, review_url(draft))
    assert review.post("_approve", {"segment-1": "The bridge reopens this morning."}).status_code == 302

    response = editors_form.post(headline="LE PONT (edited)")

    assert response.status_code == 200 and STALE_FORM in response.content.decode()
    target = reload(target)
    assert target.is_published and target.reviewed_by == people.remi_user
    assert (target.headline, target.body) == ("LE PONT", "<p>The bridge reopens this morning.</p>")


def test_an_approval_from_a_review_opened_before_an_editors_save_is_refused_and_keeps_both(
    people, draft, open_form
):
    review = open_form(people.remi, review_url(draft))
    assert open_form(people.eve, article_url(draft.article)).post(headline="The bridge").status_code == 302

    response = review.post("_approve", {"segment-1": "The bridge reopens this morning."})

    assert response.status_code == 409
    page = lxml.html.fromstring(response.content.decode())
    assert "Someone else saved this translation's article since you opened the review." in " ".join(
        page.xpath("//ul[@class='messagelist']//text()"))
    assert page.cssselect("textarea[name=segment-1]")[0].text == "The bridge reopens this morning."  # kept
    target = reload(draft.article)
    assert (target.headline, target.status, target.reviewed_by) == ("The bridge", "review", None)
    assert draft.segments.get(position=1).target_text == "LE PONT ROUVRE CE MATIN."  # nothing half-saved


def test_a_review_opened_before_a_re_translation_shows_the_reviewers_text_beside_the_new_draft(
    people, draft, open_form
):
    review = open_form(people.remi, review_url(draft))
    pipeline.translate_article(edit_source(draft.source), "en")  # the job replaces the draft

    response = review.post("_save", {"segment-1": "The bridge reopens this morning."})

    assert response.status_code == 409
    page = lxml.html.fromstring(response.content.decode())
    assert "This draft changed since you opened it" in " ".join(page.xpath("//ul[@class='messagelist']//text()"))
    row = page.cssselect(".review-table tbody.segment")[1]
    assert row.cssselect("textarea")[0].text == "LE PONT ROUVRE CE SOIR."  # the new draft …
    assert "The bridge reopens this morning." in row.cssselect(".unsaved")[0].text_content()  # … and theirs
    assert draft.segments.get(position=1).target_text == "LE PONT ROUVRE CE SOIR."
    assert not draft.segments.filter(human_edited=True).exists()
    # The page now carries the new draft's token: applying the text again is accepted.
    again = open_form(people.remi, review_url(draft)).post("_save", {"segment-1": "The bridge reopens tonight."})
    assert again.status_code == 302 and draft.segments.get(position=1).target_text == "The bridge reopens tonight."


# --- Translation jobs -----------------------------------------------------------------------------------------


def test_an_editors_form_opened_before_a_job_wrote_the_draft_is_refused(people, draft, open_form):
    editors_form = open_form(people.eve, article_url(draft.article))
    job = jobs.enqueue(edit_source(draft.source), ["en"])[0]
    assert run_translation_job.call(job.pk).startswith("done")

    response = editors_form.post(headline="LE PONT (edited)")

    assert response.status_code == 200 and STALE_FORM in response.content.decode()
    target = reload(draft.article)
    assert target.body == "<p>LE PONT ROUVRE CE SOIR.</p>" and target.translation_method == "machine"


def test_a_job_translating_while_an_editor_rewrites_the_draft_leaves_the_editors_text_alone(
    people, draft, phrasebook, open_form
):
    target = draft.article
    job = jobs.enqueue(edit_source(draft.source), ["en"])[0]

    def editor_rewrites():
        assert open_form(people.eve, article_url(target)).post(headline="The bridge, by hand").status_code == 302

    during_the_engine_call(phrasebook, editor_rewrites)

    assert run_translation_job.call(job.pk) == "skipped: human translation"

    target = reload(target)
    assert (target.headline, target.body, target.translation_method) == (
        "The bridge, by hand", "<p>LE PONT ROUVRE CE MATIN.</p>", "human")
    job = reload(job)
    assert job.status == "done" and "is a human translation into en" in job.last_error
    assert phrasebook.calls  # the engine was called before the editor's save: its text is only in the memory


def test_a_job_translating_while_an_editor_publishes_the_draft_keeps_it_published(
    people, draft, phrasebook, open_form
):
    target = draft.article
    job = jobs.enqueue(edit_source(draft.source), ["en"])[0]

    def editor_publishes():
        form = open_form(people.eve, article_url(target))
        assert form.post(changes={"status": "published", "published_at_0": "2026-01-02",
                                  "published_at_1": "08:00:00"}).status_code == 302

    during_the_engine_call(phrasebook, editor_publishes)

    assert run_translation_job.call(job.pk).startswith("done")

    target = reload(target)
    # Decided on the row as the editor left it: live under the review policy, so the new draft waits.
    assert target.is_published and target.body == "<p>LE PONT ROUVRE CE MATIN.</p>"
    assert reload(draft).state == Translation.State.OUTDATED
    assert draft.segments.get(position=1).machine_text == "LE PONT ROUVRE CE SOIR."


def test_a_job_that_keeps_losing_the_race_is_parked_with_a_note_and_writes_nothing(draft, phrasebook, monkeypatch):
    from babelpress.newsroom.models import StaleEdit

    job = jobs.enqueue(edit_source(draft.source), ["en"])[0]
    writes = []

    def always_moved(*args):
        writes.append(args)
        raise StaleEdit("moved")

    monkeypatch.setattr(pipeline, "_write", always_moved)
    phrasebook.calls.clear()

    assert run_translation_job.call(job.pk).startswith("retry later")

    job = reload(job)
    assert job.status == "queued" and job.next_attempt_at is not None
    assert "saved by someone else each time this job tried to write it; nothing was overwritten" in job.last_error
    assert len(writes) == pipeline.WRITE_ATTEMPTS and len(phrasebook.calls) == 1  # planned again, not paid again
    assert reload(draft.article).body == "<p>LE PONT ROUVRE CE MATIN.</p>"


# --- Translations released with their original ------------------------------------------------------------------


def test_an_editors_form_opened_before_a_translation_was_released_is_refused(
    people, phrasebook, make_story, open_form, django_capture_on_commit_callbacks
):
    story = make_story(["Le pont rouvre."], language="fr", headline="Le pont", published=False)
    state = pipeline.translate_article(story, "en").translation
    review.save_review(state, {1: "The bridge reopens."}, None, approve=True)  # waits for the original
    editors_form = open_form(people.eve, article_url(state.article))

    with django_capture_on_commit_callbacks(execute=True):
        story.status = Article.Status.PUBLISHED
        story.save()
    assert reload(state.article).is_published

    response = editors_form.post(standfirst="A standfirst")

    assert response.status_code == 200 and STALE_FORM in response.content.decode()
    assert reload(state.article).is_published and reload(state.article).standfirst == ""


def test_a_release_after_an_editors_save_keeps_the_editors_work(
    people, phrasebook, make_story, open_form, django_capture_on_commit_callbacks
):
    story = make_story(["Le pont rouvre."], language="fr", headline="Le pont", published=False)
    state = pipeline.translate_article(story, "en").translation
    review.save_review(state, {1: "The bridge reopens."}, None, approve=True)
    assert open_form(people.eve, article_url(state.article)).post(summary="Open again.").status_code == 302

    with django_capture_on_commit_callbacks(execute=True):
        story.status = Article.Status.PUBLISHED
        story.save()

    target = reload(state.article)
    assert target.is_published and target.summary == "Open again." and target.body == "<p>The bridge reopens.</p>"
    assert not TranslationJob.objects.filter(status="failed").exists()
