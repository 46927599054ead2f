"""The editor's desk, the admin's home page (babelpress/newsroom/desk.py): what needs the editor
today, block by block, each leading to the filtered list of it all.

The newsroom's own lists (my drafts, articles in review, scheduled stories) and the extension point
through which other apps add theirs are specified here; what translation and ingest add, with them
(tests/translation/test_desk.py, tests/ingest/test_desk.py); the page's query count across every
app in tests/test_desk_queries.py.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html

from babelpress.newsroom import admin_extensions, desk, desk_lists
from babelpress.newsroom.desk import Entry, Rows
from babelpress.newsroom.models import Article

from ..desk_data import log_edit


def open_desk(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def block(page, name):
    found = page.cssselect(f"#desk-{name}")
    return found[0] if found else None


def titles(section) -> list[str]:
    return [a.text_content().strip() for a in section.cssselect(".desk-list li > a")]


def count(section) -> int:
    return int(section.cssselect("h2 .desk-count")[0].text_content())


def links(section) -> list[str]:
    return [a.get("href") for a in section.cssselect(".desk-more a")]


def listed(client, url) -> list[str]:
    """The headlines the article list shows at ``url`` (a link of the desk)."""
    response = client.get(url)
    assert response.status_code == 200
    return sorted(str(article.headline) for article in response.context["cl"].result_list)


def draft(newsroom, headline, **fields):
    return Article.objects.create(language="fr", headline=headline, section=newsroom.news, **fields)


# --- My drafts -------------------------------------------------------------------------------------


def test_my_drafts_are_the_drafts_i_added_or_changed_in_the_admin(editor, newsroom, django_user_model):
    colleague = django_user_model.objects.create_superuser("collegue", "c@example.org", None)
    mine = draft(newsroom, "Mon brouillon")
    theirs = draft(newsroom, "Le brouillon d'un collègue")
    log_edit(editor.user, mine)
    log_edit(colleague, theirs)
    log_edit(editor.user, newsroom.bridge)  # published: not a draft any more

    drafts = block(open_desk(editor), "drafts")
    assert drafts.cssselect("h2")[0].text_content().split()[:2] == ["My", "drafts"]
    assert titles(drafts) == ["Mon brouillon"]
    assert count(drafts) == 1
    # The block's link opens the article list on the same drafts.
    [all_mine] = links(drafts)
    assert parse_qs(urlsplit(all_mine).query) == {"status__exact": ["draft"], "mine": ["yes"]}
    assert listed(editor, all_mine) == ["Mon brouillon"]


def test_my_drafts_are_the_ones_i_created_and_uncredited_ones_i_edited(editor, newsroom, django_user_model):
    colleague = django_user_model.objects.create_superuser("collegue", "c@example.org", None)
    created = draft(newsroom, "Créé par moi", created_by=editor.user)
    theirs = draft(newsroom, "Le brouillon d'un collègue", created_by=colleague)
    log_edit(editor.user, theirs)  # edited, but a colleague's draft: theirs
    log_edit(editor.user, newsroom.draft)  # nobody is recorded as its creator: mine, as I edited it

    drafts = block(open_desk(editor), "drafts")
    assert sorted(titles(drafts)) == sorted([created.headline, newsroom.draft.headline])
    assert sorted(listed(editor, links(drafts)[0])) == sorted([created.headline, newsroom.draft.headline])


def test_my_drafts_show_the_five_latest_and_how_many_there_are(editor, newsroom):
    for n in range(8):
        log_edit(editor.user, draft(newsroom, f"Brouillon {n}"))
    Article.objects.filter(headline__startswith="Brouillon ").update(updated_at=timezone.now())
    for n in range(8):  # saved one after the other: Brouillon 7 last
        Article.objects.filter(headline=f"Brouillon {n}").update(updated_at=timezone.now() + timedelta(minutes=n))

    drafts = block(open_desk(editor), "drafts")
    assert titles(drafts) == [f"Brouillon {n}" for n in (7, 6, 5, 4, 3)]
    assert count(drafts) == 8
    assert len(listed(editor, links(drafts)[0])) == 8


# --- Waiting for review, scheduled --------------------------------------------------------------------


def test_articles_submitted_for_review_wait_there_the_longest_waiting_first(editor, newsroom):
    first = draft(newsroom, "Soumis hier", status=Article.Status.REVIEW)
    draft(newsroom, "Soumis ce matin", status=Article.Status.REVIEW)
    Article.objects.filter(pk=first.pk).update(updated_at=timezone.now() - timedelta(days=1))

    review = block(open_desk(editor), "review")
    assert titles(review)[:2] == ["Soumis hier", "Soumis ce matin"]
    assert links(review)[0].endswith("?status__exact=review")
    assert listed(editor, links(review)[0]) == ["Soumis ce matin", "Soumis hier"]


def test_scheduled_stories_show_when_they_go_live_with_the_site_time_zone(editor, newsroom):
    when = timezone.now() + timedelta(days=2)
    draft(newsroom, "Publié après-demain", status=Article.Status.PUBLISHED, published_at=when)

    scheduled = block(open_desk(editor), "scheduled")
    assert titles(scheduled) == ["Publié après-demain"]  # not the stories already live
    shown = scheduled.cssselect("li time")[0]
    local = timezone.localtime(when)
    assert shown.text_content() == formats.date_format(local, "SHORT_DATETIME_FORMAT")
    assert shown.text_content().endswith(local.tzname())  # "… 14:05 CET"
    assert "goes live" in scheduled.cssselect("li .desk-details")[0].text_content()
    assert listed(editor, links(scheduled)[0]) == ["Publié après-demain"]


# --- The page -------------------------------------------------------------------------------------


def test_an_empty_desk_says_so_in_each_block_and_still_links_to_the_lists(editor, db):
    page = open_desk(editor)
    for name, (_title, empty) in desk.BLOCKS.items():
        section = block(page, name)
        assert count(section) == 0
        assert section.cssselect(".desk-empty")[0].text_content() == str(empty)
        assert not section.cssselect("li") and links(section)


def test_headlines_are_shown_as_text_in_their_language_and_direction(editor, newsroom):
    log_edit(editor.user, Article.objects.create(language="en", headline='<img src=x onerror="alert(1)"> & co',
                                                 section=newsroom.news))
    html = editor.get(reverse("admin:index")).content.decode()
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; co" in html
    link = block(lxml.html.fromstring(html), "drafts").cssselect("li > a")[0]
    assert (link.get("lang"), link.get("dir")) == ("en", "ltr")


def test_the_desk_says_which_time_zone_its_times_are_in(editor, db, settings):
    settings.TIME_ZONE = "America/New_York"
    text = open_desk(editor).cssselect(".desk-zone")[0].text_content()
    assert "Eastern" in text and ("EST" in text or "EDT" in text)


def test_someone_who_may_not_see_articles_gets_no_article_lists(client, newsroom, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", "clerk@example.org", None, is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_source"))
    client.force_login(clerk)
    page = open_desk(client)
    assert all(block(page, name) is None for name in ("drafts", "review", "scheduled"))


# --- The extension point --------------------------------------------------------------------------


@pytest.fixture
def extensions(monkeypatch):
    """admin_extensions, its desk registries restored after the test."""
    for registry in ("_desk_lists", "_desk_panels"):
        monkeypatch.setattr(admin_extensions, registry, dict(getattr(admin_extensions, registry)))
    return admin_extensions


def test_an_app_adds_a_list_to_a_block_and_a_panel_under_the_blocks(editor, db, extensions):
    def comments_to_moderate(request, limit):
        entry = Entry(title="Spam?", url="/admin/comments/1/", details=("3 reports",), note="Flagged by readers.",
                      tone="warning")
        return Rows([entry], 3, "/admin/comments/?flagged=1", "All flagged comments")

    extensions.register_desk_list("flagged_comments", "Comments", comments_to_moderate, block="review")
    extensions.register_desk_panel("moderation", lambda request: format_html("<p id='moderation'>{}</p>", "Calm day"))
    extensions.register_desk_panel("nothing", lambda request: "")

    page = open_desk(editor)
    review = block(page, "review")
    assert "Spam?" in titles(review) and "/admin/comments/?flagged=1" in links(review)
    assert "Flagged by readers." in review.cssselect(".desk-note--warning")[0].text_content()
    assert page.cssselect("#desk #moderation")[0].text_content() == "Calm day"


def test_a_list_hidden_from_this_user_and_a_block_with_nothing_registered_are_left_out(editor, db, extensions):
    extensions._desk_lists.clear()
    extensions.register_desk_list("secret", "Secret", lambda request, limit: None, block="drafts")
    assert open_desk(editor).cssselect("#desk .desk-block") == []


def test_a_list_names_a_block_the_desk_has(extensions):
    with pytest.raises(ImproperlyConfigured, match="drafts, review, scheduled, imported, failed"):
        extensions.register_desk_list("odd", "Odd", lambda request, limit: None, block="sidebar")
