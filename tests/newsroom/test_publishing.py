"""Publishing from the newsroom: "Publish" never fails for want of a date, a time ahead schedules
the story, an editor can publish now, unpublish and schedule from the article page and the list,
and one embargo time holds a story back in every language. The clock is ``clock`` (tests/conftest.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from babelpress.newsroom.admin_publishing import when
from babelpress.newsroom.models import Article

CHANGELIST = "admin:newsroom_article_changelist"


def reload(article) -> Article:
    return Article.objects.get(pk=article.pk)


def local(moment) -> dict:
    """The admin form's two inputs for a time, in the site's time zone."""
    moment = timezone.localtime(moment)
    return {"published_at_0": moment.strftime("%Y-%m-%d"), "published_at_1": moment.strftime("%H:%M:%S")}


def status_column(editor) -> dict[str, str]:
    response = editor.get(reverse(CHANGELIST))
    admin = response.context["cl"].model_admin
    return {a.headline: str(admin.publication(a)) for a in response.context["cl"].result_list}


@pytest.fixture
def imported_draft(newsroom):
    """A draft as the importer stores it: credited, with its original address, and no date."""
    return Article.objects.create(
        language="en", headline="Harbour cranes replaced", body="<p>Three new cranes.</p>", section=newsroom.news,
        source=newsroom.agency, author=newsroom.claire, original_url="https://lumiere.example.org/cranes",
    )


# --- Publish without a date ---------------------------------------------------------------------


def test_saving_as_published_without_a_time_publishes_now(newsroom, clock):
    story = Article.objects.create(language="fr", headline="Tout de suite", section=newsroom.news, status="published")
    assert story.published_at == clock.now and story.is_published and not story.publication_pending


def test_a_new_article_is_published_from_the_admin_without_touching_the_date(editor, newsroom, clock):
    response = editor.post(reverse("admin:newsroom_article_add"), {
        "language": "fr", "headline": "Une nouvelle ligne de tram", "section": newsroom.news.pk,
        "status": "published", "published_at_0": "", "published_at_1": "",
    })
    assert response.status_code == 302
    story = Article.objects.get(headline="Une nouvelle ligne de tram")
    assert story.published_at == clock.now
    assert "is published: readers can see it now" in editor.get(response.url).content.decode()


def test_an_imported_draft_is_published_from_the_admin_without_touching_the_date(editor, imported_draft, clock,
                                                                                   open_form):
    form = open_form(editor, reverse("admin:newsroom_article_change", args=[imported_draft.pk]))
    response = form.post(status="published")
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert reload(imported_draft).published_at == clock.now


# --- Scheduling ---------------------------------------------------------------------------------


def test_a_time_ahead_schedules_the_story_until_that_time(newsroom, clock):
    story = Article.objects.create(language="fr", headline="Demain", section=newsroom.news, status="published",
                                   published_at=clock.now + timedelta(hours=1))
    assert story.publication_pending and not story.is_published
    assert not Article.objects.published().filter(pk=story.pk).exists()
    clock.advance(hours=1)
    assert Article.objects.published().filter(pk=story.pk).exists()


def test_the_list_says_scheduled_for_with_the_time_and_its_zone(editor, newsroom, clock, settings):
    settings.TIME_ZONE = "Asia/Yerevan"
    Article.objects.create(language="fr", headline="Demain", section=newsroom.news, status="published",
                           published_at=clock.now + timedelta(days=1))
    column = status_column(editor)
    assert column["Demain"] == f"Scheduled for {when(clock.now + timedelta(days=1))}"
    assert column["Demain"].endswith("+04")  # Yerevan's zone, as the time is shown in it
    assert column["Brouillon secret"] == "Draft" and column["Le pont de Valmont rouvre"] == "Published"


def test_the_date_field_says_what_an_empty_or_a_future_time_does(editor, newsroom):
    page = editor.get(reverse("admin:newsroom_article_change", args=[newsroom.draft.pk])).content.decode()
    assert "Leave empty to publish now when you publish. A time in the future schedules the story" in page


# --- The article page's buttons -------------------------------------------------------------------


def test_publish_now_publishes_at_once_even_with_a_time_ahead_in_the_form(editor, newsroom, clock, open_form):
    form = open_form(editor, reverse("admin:newsroom_article_change", args=[newsroom.draft.pk]))
    response = form.post("_publish_now", changes=local(clock.now + timedelta(days=2)))
    assert response.status_code == 302
    story = reload(newsroom.draft)
    assert (story.status, story.published_at) == ("published", clock.now)


def test_schedule_publishes_at_the_time_given(editor, newsroom, clock, open_form):
    form = open_form(editor, reverse("admin:newsroom_article_change", args=[newsroom.draft.pk]))
    later = clock.now + timedelta(hours=3)
    response = form.post("_schedule", changes=local(later))
    assert response.status_code == 302
    story = reload(newsroom.draft)
    assert (story.status, story.published_at, story.publication_pending) == ("published", later, True)
    assert f"is scheduled for {when(later)}" in editor.get(response.url).content.decode()


@pytest.mark.parametrize("moment", [None, timedelta(minutes=-5)], ids=["no-time", "a-past-time"])
def test_schedule_needs_a_time_ahead_and_says_so_beside_the_date(editor, newsroom, clock, open_form, moment):
    form = open_form(editor, reverse("admin:newsroom_article_change", args=[newsroom.draft.pk]))
    times = {"published_at_0": "", "published_at_1": ""} if moment is None else local(clock.now + moment)
    response = form.post("_schedule", changes=times)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["published_at"] == ["Choose the time to publish at, in the future, then press “Schedule” again."]
    assert reload(newsroom.draft).status == "draft"


def test_unpublish_takes_a_story_back_to_draft_and_keeps_its_date(editor, newsroom, open_form):
    first_date = newsroom.budget.published_at.replace(microsecond=0)  # the form shows whole seconds
    form = open_form(editor, reverse("admin:newsroom_article_change", args=[newsroom.budget.pk]))
    response = form.post("_unpublish")
    assert response.status_code == 302
    story = reload(newsroom.budget)
    assert (story.status, story.published_at) == ("draft", first_date)
    assert "is unpublished: readers no longer see it" in editor.get(response.url).content.decode()


def test_the_buttons_come_after_save_so_enter_still_saves(editor, newsroom):
    page = editor.get(reverse("admin:newsroom_article_change", args=[newsroom.budget.pk])).content.decode()
    assert page.index('name="_save"') < page.index('name="_publish_now"') < page.index('name="_unpublish"')
    draft_page = editor.get(reverse("admin:newsroom_article_change", args=[newsroom.draft.pk])).content.decode()
    assert 'name="_schedule"' in draft_page and 'name="_unpublish"' not in draft_page


# --- The list's actions -------------------------------------------------------------------------


def act(editor, action: str, *articles, **more):
    data = {"action": action, "_selected_action": [a.pk for a in articles], **more}
    return editor.post(reverse(CHANGELIST), data, follow=True)


def test_the_publish_now_action(editor, newsroom, clock):
    response = act(editor, "publish_now", newsroom.draft)
    assert "1 article published: readers can see it now." in response.content.decode()
    assert reload(newsroom.draft).published_at == clock.now


def test_publish_now_says_which_other_languages_stay_scheduled(editor, newsroom, clock):
    later = clock.now + timedelta(hours=5)
    Article.objects.filter(pk=newsroom.bridge.pk).update(published_at=later, publication_pending=True)
    page = act(editor, "publish_now", newsroom.bridge_en).content.decode()
    assert "Other languages of these stories stay scheduled: Le pont de Valmont rouvre [fr]" in page


def test_the_unpublish_action(editor, newsroom):
    response = act(editor, "unpublish", newsroom.budget, newsroom.budget_ru)
    assert "2 articles are drafts again: readers no longer see them." in response.content.decode()
    assert {reload(a).status for a in (newsroom.budget, newsroom.budget_ru)} == {"draft"}


def test_the_schedule_action_asks_for_the_time_then_schedules(editor, newsroom, clock):
    page = act(editor, "schedule", newsroom.draft, newsroom.festival)
    assert page.status_code == 200 and "Publish at" in page.content.decode()
    later = clock.now + timedelta(days=1)
    times = {"when_0": local(later)["published_at_0"], "when_1": local(later)["published_at_1"]}
    done = editor.post(reverse(CHANGELIST), {"action": "schedule", "apply": "1",
                                             "_selected_action": [newsroom.draft.pk, newsroom.festival.pk], **times},
                       follow=True)
    assert f"2 articles scheduled for {when(later)}" in done.content.decode()
    assert {(reload(a).status, reload(a).published_at) for a in (newsroom.draft, newsroom.festival)} == {
        ("published", later)}


def test_the_schedule_action_refuses_a_past_time_beside_the_field(editor, newsroom, clock):
    earlier = local(clock.now - timedelta(hours=1))
    response = editor.post(reverse(CHANGELIST), {
        "action": "schedule", "apply": "1", "_selected_action": [newsroom.draft.pk],
        "when_0": earlier["published_at_0"], "when_1": earlier["published_at_1"]})
    assert response.status_code == 200
    assert response.context["form"].errors["when"][0].startswith("Choose a time in the future.")
    assert reload(newsroom.draft).status == "draft"


# --- One embargo for every language ---------------------------------------------------------------


def embargo(editor, moment, *articles):
    times = local(moment)
    return editor.post(reverse(CHANGELIST), {
        "action": "schedule_all_languages", "apply": "1", "_selected_action": [a.pk for a in articles],
        "when_0": times["published_at_0"], "when_1": times["published_at_1"]}, follow=True)


def test_one_embargo_time_holds_back_every_published_language_of_the_story(editor, newsroom, clock):
    lift = clock.now + timedelta(hours=6)
    embargo(editor, lift, newsroom.bridge)
    for version in (newsroom.bridge, newsroom.bridge_en, newsroom.bridge_hy):
        assert (reload(version).status, reload(version).published_at) == ("published", lift)
    assert not Article.objects.published().filter(translation_key=newsroom.bridge.translation_key).exists()
    clock.advance(hours=6)
    assert Article.objects.published().filter(translation_key=newsroom.bridge.translation_key).count() == 3


def test_a_draft_chosen_for_the_embargo_is_scheduled_and_other_stories_are_untouched(editor, newsroom, clock):
    lift = clock.now + timedelta(hours=6)
    embargo(editor, lift, newsroom.draft)
    assert (reload(newsroom.draft).status, reload(newsroom.draft).published_at) == ("published", lift)
    assert reload(newsroom.budget).published_at == newsroom.budget.published_at


def test_a_translation_published_later_without_a_time_waits_for_the_embargo(editor, newsroom, clock, open_form):
    lift = clock.now + timedelta(hours=6)
    embargo(editor, lift, newsroom.budget)
    late = newsroom.budget.create_translation("en", headline="Budget adopted")  # drafted since
    form = open_form(editor, reverse("admin:newsroom_article_change", args=[late.pk]))
    assert form.post(status="published").status_code == 302
    assert (reload(late).published_at, reload(late).publication_pending) == (lift, True)


def test_once_the_embargo_has_passed_a_version_published_without_a_time_goes_out_now(newsroom, clock):
    lift = clock.now + timedelta(hours=1)
    Article.objects.filter(translation_key=newsroom.bridge.translation_key).update(published_at=lift)
    clock.advance(hours=2)
    late = newsroom.bridge.create_translation("ru", headline="Мост открыт")
    late.status = "published"
    late.save()
    assert late.published_at == clock.now


def test_unpublishing_a_scheduled_story_cancels_its_publication(editor, newsroom, clock):
    story = Article.objects.create(language="fr", headline="Demain", section=newsroom.news, status="published",
                                   published_at=clock.now + timedelta(hours=1))
    act(editor, "unpublish", story)
    assert (reload(story).status, reload(story).publication_pending) == ("draft", False)
    clock.advance(hours=2)
    assert not Article.objects.published().filter(pk=story.pk).exists()


def test_publishing_edits_are_version_checked_like_any_other(editor, newsroom, open_form):
    form = open_form(editor, reverse("admin:newsroom_article_change", args=[newsroom.draft.pk]))
    act(editor, "publish_now", newsroom.draft)  # meanwhile, from the list
    response = form.post("_unpublish")
    assert response.status_code == 200 and "Someone else saved this article" in response.content.decode()
    assert reload(newsroom.draft).status == "published"



def test_view_on_site_is_offered_only_for_a_story_readers_can_see(editor, newsroom, clock):
    def link(article):
        page = editor.get(reverse("admin:newsroom_article_change", args=[article.pk])).content.decode()
        return 'class="viewsitelink"' in page
    scheduled = Article.objects.create(language="fr", headline="Demain", section=newsroom.news, status="published",
                                       published_at=clock.now + timedelta(hours=1))
    assert link(newsroom.bridge) and not link(newsroom.draft) and not link(scheduled)  # the Preview shows those


def test_the_embargo_page_lists_every_version_it_will_hold_back(editor, newsroom):
    page = act(editor, "schedule_all_languages", newsroom.bridge).content.decode()
    for version in (newsroom.bridge, newsroom.bridge_en, newsroom.bridge_hy):
        assert f"{version.headline}</span> [{version.language}]" in page
    assert newsroom.budget.headline not in page
