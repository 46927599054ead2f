"""The article admin's extension points (babelpress/newsroom/admin_extensions.py): other apps add
actions, panels, pages, admin-home tools and notices from their ready(), and the newsroom imports none of them.

Each test registers its own extension on a copy of the registries, so what the apps registered is
back afterwards. What translation and ingest register is specified with them
(tests/translation/test_article_admin.py, tests/ingest/test_import_admin.py).
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils.html import format_html

from babelpress.newsroom import admin_extensions
from babelpress.newsroom.models import Article


@pytest.fixture
def extensions(monkeypatch):
    """admin_extensions, its registries restored after the test."""
    for registry in ("_actions", "_panels", "_article_urls", "_tools", "_notices"):
        monkeypatch.setattr(admin_extensions, registry, dict(getattr(admin_extensions, registry)))
    return admin_extensions


def fieldsets(page) -> dict[str, list[str]]:
    """``{fieldset title: its field names}`` as the article page laid them out."""
    return {str(title or ""): [getattr(field, "name", field) for field in options["fields"]]
            for title, options in page.context["adminform"].fieldsets}


def change_page(client, article):
    return client.get(reverse("admin:newsroom_article_change", args=[article.pk]))


def word_count(article) -> str:
    return format_html("<b>{}</b> words", len(article.body.split())) if article.pk else ""


def test_a_panel_shows_in_its_fieldset_before_the_field_it_names(editor, newsroom, extensions):
    extensions.register_panel("word_count", "word count", word_count, fieldset="content", before="body")
    page = change_page(editor, newsroom.bridge)
    content = fieldsets(page)[""]
    assert content.index("word_count") == content.index("body") - 1
    html = page.content.decode()
    words = len(newsroom.bridge.body.split())
    assert "field-word_count" in html and "<label>Word count:</label>" in html and f"<b>{words}</b> words" in html


def test_a_panel_that_takes_the_request_shows_each_person_what_they_may_do(editor, newsroom, extensions):
    def who(article, request):
        return format_html("seen by <b>{}</b>", request.user.username)

    extensions.register_panel("who", "who", who, fieldset="record")
    assert "seen by <b>editor</b>" in change_page(editor, newsroom.bridge).content.decode()


def test_a_panel_without_a_place_goes_at_the_end_of_its_fieldset(editor, newsroom, extensions):
    extensions.register_panel("word_count", "word count", word_count, fieldset="record")
    assert fieldsets(change_page(editor, newsroom.bridge))["Record"][-1] == "word_count"


def test_an_action_runs_on_the_selected_articles(editor, newsroom, extensions):
    @admin.action(description="Mark as checked")
    def mark_checked(modeladmin, request, queryset):
        modeladmin.message_user(request, f"{queryset.count()} checked")

    extensions.register_action(mark_checked, permission="newsroom.change_article")
    changelist = reverse("admin:newsroom_article_changelist")
    assert "Mark as checked" in editor.get(changelist).content.decode()
    response = editor.post(changelist, {"action": "mark_checked", "_selected_action": [newsroom.bridge.pk]}, follow=True)
    assert "1 checked" in [str(m) for m in response.context["messages"]]


def test_an_article_page_is_named_after_the_article_admin_and_asks_for_a_login(rf, newsroom, extensions, editor):
    def preview(article_admin, request, pk):
        return HttpResponse(f"preview of {pk} for {request.user}")

    extensions.register_article_url("<int:pk>/preview/", preview, name="preview", permission="newsroom.view_article")
    pattern = next(p for p in admin.site._registry[Article].get_urls() if p.name == "newsroom_article_preview")
    request = rf.get("/admin/newsroom/article/1/preview/")
    request.user = AnonymousUser()
    assert pattern.callback(request, pk=1).status_code == 302  # to the admin's log-in page
    request.user = editor.user
    assert pattern.callback(request, pk=1).content == b"preview of 1 for editor"


def test_a_tool_is_listed_on_the_admin_home_after_those_the_apps_registered(editor, extensions):
    extensions.register_tool("site_home", "The site", "Where readers land.", url_name="site:root",
                             permission="newsroom.view_article")
    tools = editor.get(reverse("admin:index")).context["newsroom_tools"]
    assert [str(tool["label"]) for tool in tools] == ["Translation coverage", "Translation engines", "Import a story",
                                                     "The site"]
    assert tools[-1] == {"label": "The site", "description": "Where readers land.", "url": "/"}


def test_a_notice_opens_the_admin_home_when_it_has_something_to_say(editor, extensions):
    extensions.register_notice("moderation", lambda request: format_html(
        '<p id="moderation-notice">{} comments wait, {}.</p>', 3, request.user.get_username()))
    extensions.register_notice("quiet", lambda request: "")

    home = editor.get(reverse("admin:index"))

    assert home.context["newsroom_notices"][-1] == '<p id="moderation-notice">3 comments wait, editor.</p>'
    assert "" not in home.context["newsroom_notices"]
    page = home.content.decode()
    assert page.index('id="moderation-notice"') < page.index('id="babelpress-tools"')


def test_the_article_screens_work_with_nothing_registered(editor, newsroom, monkeypatch):
    for registry in ("_actions", "_panels", "_article_urls", "_tools", "_notices"):
        monkeypatch.setattr(admin_extensions, registry, {})
    page = change_page(editor, newsroom.bridge)
    assert page.status_code == 200
    assert fieldsets(page)["Translations"][0] == "translation_of"
    assert "babelpress-tools" in editor.get(reverse("admin:index")).content.decode()


@admin.action(description="Mark as checked")
def mark_checked(modeladmin, request, queryset):
    modeladmin.message_user(request, f"{queryset.count()} checked")


def test_an_action_a_page_and_a_tool_say_who_may_use_them(extensions):
    for register in (lambda **kw: extensions.register_action(mark_checked, **kw),
                     lambda **kw: extensions.register_article_url("<int:pk>/x/", str, name="x", **kw),
                     lambda **kw: extensions.register_tool("x", "X", "x", url_name="site:root", **kw)):
        with pytest.raises(ImproperlyConfigured, match="says nothing about who may use it: register it with permission="):
            register()
        with pytest.raises(ImproperlyConfigured, match="says nothing about who may use it"):
            register(permission="change_article")  # not app_label.codename


def test_an_action_is_offered_and_run_only_for_whom_its_permission_allows(client, newsroom, extensions,
                                                                          django_user_model):
    from django.contrib.auth.models import Permission

    extensions.register_action(mark_checked, permission="newsroom.delete_article")
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    clerk.user_permissions.add(*Permission.objects.filter(codename__in=["view_article", "change_article"]))
    client.force_login(clerk)
    changelist = reverse("admin:newsroom_article_changelist")
    offered = [name for name, _label in client.get(changelist).context["action_form"].fields["action"].choices]
    assert "submit_for_review" in offered and "mark_checked" not in offered
    response = client.post(changelist, {"action": "mark_checked", "_selected_action": [newsroom.bridge.pk]})
    assert response.status_code == 403  # sent anyway (by hand, or from a list opened before): refused
    assert "1 checked" not in [str(m) for m in client.get(changelist).context["messages"]]
    function = next(a for a in extensions.actions() if a.__name__ == "mark_checked")
    request = RequestFactory().post(changelist)
    request.user = clerk
    with pytest.raises(PermissionDenied):  # and called anyway (another list, a test): refused
        function(admin.site._registry[Article], request, Article.objects.all())


def test_a_page_answers_403_and_a_tool_is_not_listed_for_whom_the_permission_does_not_allow(
        client, rf, newsroom, extensions, django_user_model):
    extensions.register_article_url("<int:pk>/preview/", lambda article_admin, request, pk: HttpResponse("seen"),
                                    name="preview", permission=lambda request: request.user.username == "chief")
    extensions.register_tool("site_home", "The site", "Where readers land.", url_name="site:root",
                             permission="newsroom.publish_article")
    pattern = next(p for p in admin.site._registry[Article].get_urls() if p.name == "newsroom_article_preview")
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    request = rf.get("/admin/newsroom/article/1/preview/")
    request.user = clerk
    with pytest.raises(PermissionDenied):
        pattern.callback(request, pk=1)
    request.user = django_user_model.objects.create_user("chief", is_staff=True)
    assert pattern.callback(request, pk=1).content == b"seen"
    client.force_login(clerk)
    assert client.get(reverse("admin:index")).context["newsroom_tools"] == []


def test_one_name_cannot_mean_two_things(extensions):
    extensions.register_panel("word_count", "word count", word_count, fieldset="content")
    extensions.register_panel("word_count", "word count", word_count, fieldset="content")  # ready() again: fine
    with pytest.raises(ImproperlyConfigured, match="Two different panels are registered as 'word_count'"):
        extensions.register_panel("word_count", "words", str, fieldset="content")
    with pytest.raises(ImproperlyConfigured, match="Two different home-page notices are registered as 'word_count'"):
        extensions.register_notice("word_count", str)
        extensions.register_notice("word_count", repr)


def test_a_panel_names_a_fieldset_and_a_field_of_the_article_page(editor, newsroom, extensions):
    with pytest.raises(ImproperlyConfigured, match="content, placement, credits, translations, record"):
        extensions.register_panel("word_count", "word count", word_count, fieldset="sidebar")
    extensions.register_panel("word_count", "word count", word_count, fieldset="credits", before="headline")
    with pytest.raises(ImproperlyConfigured, match="'word_count' goes before 'headline', which is not in the 'credits'"):
        change_page(editor, newsroom.bridge)
