"""An old story imported today does not silently become the newest story: published without a
time of its own, or with "Publish now", a story its source first published more than
``OLD_STORY_AGE`` ago keeps the date its story has on the site, else its original date; the
article page shows the editor both dates and asks which one the site uses (newsroom/publication.py,
admin_publishing.py; docs/publishing.md). The clock is ``clock`` (tests/conftest.py)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone as tz

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from babelpress.newsroom import publication, roles, scheduling
from babelpress.newsroom.admin_publishing import when
from babelpress.newsroom.models import Article

ORIGINAL = datetime(2019, 3, 12, 9, 0, tzinfo=tz.utc)


def reload(article) -> Article:
    return Article.objects.get(pk=article.pk)


def change_url(article) -> str:
    return reverse("admin:newsroom_article_change", args=[article.pk])


@pytest.fixture
def old_story(newsroom):
    """A 2019 story imported today, waiting for review, as the importer stores it."""
    return Article.objects.create(
        language="fr", headline="Le pont Neuf rouvre", body="<p>Après deux ans de travaux.</p>", section=newsroom.news,
        source=newsroom.agency, original_url="https://lumiere.example.org/2019/pont-neuf",
        originally_published_at=ORIGINAL, status=Article.Status.REVIEW)


# --- The rule (every write path) -------------------------------------------------------------------------


def test_an_old_story_published_without_a_time_keeps_its_original_date(old_story, clock):
    old_story.status = Article.Status.PUBLISHED
    old_story.save()
    assert old_story.published_at == ORIGINAL and old_story.is_published


def test_a_story_first_published_less_than_the_threshold_ago_is_dated_now(newsroom, clock):
    recent = clock.now - publication.OLD_STORY_AGE + timedelta(minutes=5)
    story = Article.objects.create(language="fr", headline="Hier soir", section=newsroom.news,
                                   originally_published_at=recent, status=Article.Status.PUBLISHED)
    assert story.published_at == clock.now


def test_an_explicit_time_wins(old_story, clock):
    old_story.status, old_story.published_at = Article.Status.PUBLISHED, clock.now - timedelta(minutes=1)
    old_story.save()
    assert reload(old_story).published_at == clock.now - timedelta(minutes=1)


def test_publish_now_from_the_list_keeps_an_old_story_s_date(old_story, clock):
    [done] = scheduling.publish_now(Article.objects.filter(pk=old_story.pk))
    assert done.published_at == ORIGINAL and done.is_published


def test_a_language_version_takes_the_date_its_story_has_on_the_site(old_story, clock):
    old_story.status, old_story.published_at = Article.Status.PUBLISHED, clock.now - timedelta(hours=1)  # "now"
    old_story.save()
    english = old_story.create_translation("en", headline="Pont Neuf reopens")
    assert english.originally_published_at == ORIGINAL  # inherited, like the source and the address
    english.status = Article.Status.PUBLISHED
    english.save()
    assert english.published_at == clock.now - timedelta(hours=1)


def test_a_translation_of_an_old_story_kept_at_its_date_takes_that_date(old_story, clock):
    old_story.status = Article.Status.PUBLISHED
    old_story.save()
    russian = old_story.create_translation("ru", headline="Новый мост открыт", status=Article.Status.PUBLISHED)
    assert russian.published_at == ORIGINAL


# --- The article page: both dates, and the choice -------------------------------------------------------------


def test_the_publishing_panel_shows_both_dates_and_asks_which_one_the_site_uses(editor, old_story, clock):
    page = editor.get(change_url(old_story)).content.decode()
    assert "Publication date on the site" in page
    assert f"Its original date, {when(ORIGINAL)}" in page
    assert "Now: it appears as the newest story, at the top of the home page" in page
    assert 'name="site_date" value="original"' in page and "checked" in page.split('value="original"')[1][:40]
    assert "Agence Lumière first published this story on" in page
    assert 'name="originally_published_at_0" value="2019-03-12"' in page  # Credits: the original date itself


def test_publish_now_keeps_the_original_date_by_default(editor, old_story, clock, open_form):
    response = open_form(editor, change_url(old_story)).post("_publish_now")
    assert response.status_code == 302
    assert reload(old_story).published_at == ORIGINAL
    said = editor.get(response.url).content.decode()
    assert "is published, dated" in said and "not at the top of the home page" in said


def test_publish_now_with_now_chosen_dates_it_now(editor, old_story, clock, open_form):
    response = open_form(editor, change_url(old_story)).post("_publish_now", site_date="now")
    assert response.status_code == 302
    assert reload(old_story).published_at == clock.now


def test_status_published_follows_the_choice_too(editor, old_story, clock, open_form):
    open_form(editor, change_url(old_story)).post(status="published", site_date="now")
    assert reload(old_story).published_at == clock.now
    old_story = reload(old_story)
    old_story.status, old_story.published_at = Article.Status.REVIEW, None
    old_story.save()
    open_form(editor, change_url(old_story)).post(status="published")
    assert reload(old_story).published_at == ORIGINAL


def test_the_choice_is_not_asked_of_a_recent_story_a_published_one_or_a_writer(editor, client, old_story, newsroom,
                                                                                  clock):
    assert "Publication date on the site" not in editor.get(change_url(newsroom.draft)).content.decode()
    writer = get_user_model().objects.create_user("wanda", password=None, is_staff=True)
    writer.groups.add(Group.objects.get(name=roles.ROLES["writer"].group))
    mine = Article.objects.create(language="fr", headline="Mon import", section=newsroom.news, created_by=writer,
                                  originally_published_at=ORIGINAL)
    client.force_login(writer)
    page = client.get(change_url(mine), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "Publication date on the site" not in page.content.decode()
    old_story.status = Article.Status.PUBLISHED
    old_story.save()
    assert "Publication date on the site" not in editor.get(change_url(old_story)).content.decode()


def test_the_list_action_says_which_stories_kept_their_date(editor, old_story, newsroom, clock):
    response = editor.post(reverse("admin:newsroom_article_changelist"), {
        "action": "publish_now", "_selected_action": [old_story.pk, newsroom.draft.pk]}, follow=True)
    page = response.content.decode()
    assert "2 articles published" in page
    assert "1 imported story keeps the date it has on the site, its source" in page and "Le pont Neuf rouvre" in page
    assert reload(old_story).published_at == ORIGINAL and reload(newsroom.draft).published_at == clock.now
