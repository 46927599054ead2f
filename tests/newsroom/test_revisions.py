"""Revisions: every save of an article keeps one, with who and when; any two compare as readable
text; any one can be restored, as a new revision, never over someone else's newer save.

The save paths of other apps are specified with them: tests/translation/test_revisions_of_translations.py
(translation jobs, review approval, the outdated-translation panel), tests/ingest/test_import_revisions.py."""

from __future__ import annotations

import lxml.html
import pytest
from django.contrib import admin as django_admin
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from babelpress.newsroom import admin_extensions, revisions
from babelpress.newsroom.models import Article, StaleEdit, Tag

from .test_admin import form_data


def history_url(article) -> str:
    return reverse("admin:newsroom_article_history", args=[article.pk])


def compare_url(article, a, b) -> str:
    return reverse("admin:newsroom_article_history_compare", args=[article.pk]) + f"?a={a.history_id}&b={b.history_id}"


def restore_url(article, revision) -> str:
    return reverse("admin:newsroom_article_history_restore", args=[article.pk, revision.history_id])


def page(response) -> lxml.html.HtmlElement:
    assert response.status_code == 200, response.content[:400]
    return lxml.html.fromstring(response.content.decode())


def text(node) -> str:
    return " ".join(node.text_content().split())


def latest(article):
    return revisions.of(article).first()


def edit_in_admin(client, article, **changes):
    """Save ``article`` from its admin form as a browser sends it back, with ``changes``."""
    article.refresh_from_db()
    data = form_data(article, **changes)
    if article.published_at:  # the form shows local time, to the second
        shown = timezone.localtime(article.published_at)
        data.update(published_at_0=shown.strftime("%Y-%m-%d"), published_at_1=shown.strftime("%H:%M:%S"))
    data["tags"] = changes.get("tags", [t.pk for t in article.tags.all()])
    response = client.post(reverse("admin:newsroom_article_change", args=[article.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    article.refresh_from_db()
    return article


# --- Every save keeps a revision --------------------------------------------------------------------


def test_the_admin_form_keeps_a_revision_per_save_with_the_editor(editor, newsroom):
    response = editor.post(reverse("admin:newsroom_article_add"), {
        "language": "fr", "headline": "Une ligne de tram", "body": "<p>Douze stations.</p>",
        "section": newsroom.news.pk, "status": "draft", "tags": [newsroom.tag_transport.pk],
    })
    assert response.status_code == 302
    tram = Article.objects.get(headline="Une ligne de tram")
    edit_in_admin(editor, tram, headline="Une ligne de tram en mars", tags=[])

    created, edited = reversed(revisions.of(tram))
    assert created.history_type == "+" and created.history_user == editor.user
    assert created.tags_snapshot == [[newsroom.tag_transport.pk, "Transports"]]  # the tags saved with it
    assert edited.headline == "Une ligne de tram en mars" and edited.history_user == editor.user
    assert edited.tags_snapshot == [] and edited.version == 2
    assert revisions.of(tram).count() == 2  # the tags went into each save's revision, not one of their own


def test_an_admin_action_keeps_a_revision_with_the_user_who_ran_it(editor, newsroom):
    @django_admin.action(description="Move to review")
    def move_to_review(modeladmin, request, queryset):
        for article in queryset:
            article.status = Article.Status.REVIEW
            article.save()

    admin_extensions.register_action(move_to_review, permission="newsroom.change_article")
    try:
        response = editor.post(reverse("admin:newsroom_article_changelist"), {
            "action": "move_to_review", "_selected_action": [newsroom.draft.pk]})
    finally:
        admin_extensions._actions.pop("move_to_review")
    assert response.status_code == 302
    revision = latest(newsroom.draft)
    assert revision.status == "review" and revision.history_user == editor.user


def test_creating_a_draft_in_another_language_keeps_its_first_revision_with_the_user(editor, newsroom):
    response = editor.post(reverse("admin:newsroom_article_translate", args=[newsroom.festival.pk, "fr"]))
    assert response.status_code == 302
    draft = Article.objects.get(translation_key=newsroom.festival.translation_key, language="fr")
    assert latest(draft).history_type == "+" and latest(draft).history_user == editor.user


def test_a_save_outside_a_request_keeps_a_revision_attributed_when_the_writer_says_by_whom(newsroom, django_user_model):
    script = Article.objects.get(pk=newsroom.budget.pk)
    script.headline = "Budget adopté"
    script.save()
    assert latest(script).history_user is None and latest(script).history_change_reason is None

    robot = django_user_model.objects.create_user("robot")
    revisions.attribute(script, user=robot, reason="import-update")
    script.standfirst = "Vote serré."
    script.save()
    assert latest(script).history_user == robot and revisions.how_label(latest(script)) == "Updated from its source"

    script.summary = "Adopté."
    script.save()  # the attribution was for one save only
    assert latest(script).history_user is None and revisions.how_label(latest(script)) == "Edited"


def test_tags_changed_on_their_own_make_a_revision_of_their_own(newsroom, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.festival.headline = "Lantern festival draws record crowds"
        newsroom.festival.save()
    before = revisions.of(newsroom.festival).count()
    culture = Tag.objects.create(language="en", name="Festivals")

    newsroom.festival.tags.add(culture)

    assert revisions.of(newsroom.festival).count() == before + 1
    assert latest(newsroom.festival).tags_snapshot == [[culture.pk, "Festivals"]]
    assert latest(newsroom.festival).headline == "Lantern festival draws record crowds"


def test_a_refused_stale_save_keeps_no_revision(newsroom):
    first, second = Article.objects.get(pk=newsroom.bridge.pk), Article.objects.get(pk=newsroom.bridge.pk)
    first.headline = "First"
    first.save()
    count = revisions.of(newsroom.bridge).count()
    second.headline = "Second"
    with pytest.raises(StaleEdit):
        second.save()
    assert revisions.of(newsroom.bridge).count() == count


# --- The history page and the comparison ----------------------------------------------------------


@pytest.fixture
def edited(editor, newsroom):
    """The bridge story edited twice in the admin: a word of a paragraph and the status; then a
    paragraph added, a tag removed and the headline reworded."""
    bridge = newsroom.bridge
    edit_in_admin(editor, bridge, status="review", tags=[newsroom.tag_transport.pk],
                  body=bridge.body.replace("a été", "est enfin"))
    edit_in_admin(editor, bridge, headline="Le pont de Valmont rouvre lundi", tags=[],
                  body=bridge.body + "<p>Les cyclistes ont leur piste.</p>")
    return bridge


def test_the_history_lists_each_revision_with_who_when_and_what_changed(editor, edited):
    doc = page(editor.get(history_url(edited)))

    rows = [[text(cell) for cell in row.cssselect("td, th")] for row in doc.cssselect("#revision-history tbody tr")]
    assert len(rows) == 3
    newest, middle, first = rows
    assert "(current)" in newest[1] and newest[2] == "editor" and newest[3] == "Edited"
    assert newest[4] == "Headline, Body, Tags"
    assert middle[4] == "Body, Status"
    assert first[3] == "Created" and first[2] == "—"  # saved by the test fixture, outside any request
    assert len(doc.cssselect('a[href*="/restore/"]')) == 2  # every revision but the current one
    assert "3 revisions" in text(doc.cssselect(".paginator")[0])


def test_the_change_forms_history_button_leads_to_the_revisions(editor, edited):
    doc = page(editor.get(reverse("admin:newsroom_article_change", args=[edited.pk])))
    assert doc.cssselect(f'a.historylink[href="{history_url(edited)}"]')


def test_comparing_two_revisions_marks_insertions_and_deletions_as_text(editor, edited):
    first, *_middle, newest = reversed(revisions.of(edited))
    doc = page(editor.get(compare_url(edited, newest, first)))  # either order: the older is "From"

    assert [text(h) for h in doc.cssselect(".revision-sides h2")][0].startswith("From:")
    headline = doc.cssselect(".rd-field-headline")[0]
    assert [text(n) for n in headline.cssselect("ins")] == ["lundi"] and not headline.cssselect("del")
    body = doc.cssselect(".rd-field-body")[0]
    changed = body.cssselect(".rd-changed")[0]
    assert text(changed) == "Le pont a été est enfin reconstruit."
    assert [text(n) for n in changed.cssselect("del")] == ["a été"] and [text(n) for n in changed.cssselect("ins")] == [
        "est enfin"]
    assert text(body.cssselect(".rd-added")[0]) == "Les cyclistes ont leur piste."
    assert "<" not in text(body)  # paragraphs and headings as text, never their tags
    status = doc.cssselect(".rd-field-status .rd-value")[0]
    assert text(status.cssselect("del")[0]) == "Published" and text(status.cssselect("ins")[0]) == "In review"
    assert text(doc.cssselect(".rd-field-tags .rd-value del")[0]) == "Transports"


def test_unchanged_paragraphs_far_from_a_change_fold_into_one_row(editor, newsroom):
    long = Article.objects.create(language="en", headline="Long", section=newsroom.news,
                                  body="".join(f"<p>Paragraph {n}.</p>" for n in range(1, 11)))
    long.body = long.body.replace("Paragraph 9.", "Paragraph nine.")
    long.save()
    old, new = reversed(revisions.of(long))
    doc = page(editor.get(compare_url(long, old, new)))
    rows = [text(p) for p in doc.cssselect(".rd-field-body p")]
    assert rows == ["…", "Paragraph 8.", "Paragraph 9nine.", "Paragraph 10."]
    assert [text(n) for n in doc.cssselect(".rd-changed del, .rd-changed ins")] == ["9", "nine"]


def test_comparing_needs_two_revisions_of_this_article(editor, edited, newsroom):
    other = latest(newsroom.festival)
    response = editor.get(compare_url(edited, latest(edited), other))
    assert response.status_code == 302 and response.url == history_url(edited)
    response = editor.get(reverse("admin:newsroom_article_history_compare", args=[edited.pk]) + "?a=x&b=%00")
    assert response.status_code == 302
    response = editor.get(reverse("admin:newsroom_article_history_restore", args=[edited.pk, 10**30]))
    assert response.status_code == 302 and response.url == history_url(edited)


def test_a_comparison_of_naughty_strings_is_inert_text(editor, newsroom, naughty_strings):
    """Each naughty string as a headline and as a paragraph of the body, then changed: the page
    shows it as text (escaped), and no markup of it reaches the page."""
    import html

    story = Article.objects.create(language="en", headline="Start", section=newsroom.news, body="<p>Start</p>")
    for chunk in range(0, len(naughty_strings), 60):
        strings = [s for s in naughty_strings[chunk:chunk + 60] if s.strip()]
        story.headline = " ".join(strings)[:300]
        story.body = "".join(f"<p>{html.escape(s)}</p>" for s in strings)
        story.save()
        story.body = "".join(f"<p>{html.escape(s)} changed</p>" for s in strings)
        story.standfirst = strings[0]
        story.save()
        newer, older = list(revisions.of(story)[:2])
        doc = page(editor.get(compare_url(story, older, newer)))
        diff = doc.cssselect(".revision-diff")[0]
        assert {el.tag for el in diff.iter() if isinstance(el.tag, str)} <= {"div", "p", "h3", "ins", "del", "span",
                                                                              "style"}
        assert not [name for el in diff.iter() if isinstance(el.tag, str) for name in el.attrib
                    if name.startswith("on")]
        assert text(diff).count("changed") >= len(strings)  # every paragraph is there, as text
        for other in (history_url(story), restore_url(story, older)):  # the headline is in their titles
            whole = page(editor.get(other))
            assert not [el for el in whole.iter() if isinstance(el.tag, str) for name in el.attrib
                        if name.startswith("on")]
            assert not [s for s in whole.cssselect("script") if "alert" in (s.text or "")]


# --- Restore ----------------------------------------------------------------------------------------


def test_restoring_brings_back_the_text_and_tags_as_a_new_revision(editor, edited, newsroom):
    first = revisions.of(edited).last()
    shown = page(editor.get(restore_url(edited, first)))
    assert [text(n) for n in shown.cssselect(".rd-field-headline del")] == ["lundi"]  # what restoring changes

    response = editor.post(restore_url(edited, first), {"loaded_version": edited.version})

    assert response.status_code == 302 and response.url == history_url(edited)
    edited.refresh_from_db()
    assert edited.headline == "Le pont de Valmont rouvre" and edited.body == first.body
    assert list(edited.tags.all()) == [newsroom.tag_transport]
    assert edited.status == "review"  # the status stays as it is now
    restored = latest(edited)
    assert restored.history_user == editor.user and restored.version == 4
    assert revisions.how_label(restored).startswith("Restored the revision of")
    assert revisions.of(edited).count() == 4  # the restore, tags included, is one new revision


def test_restoring_over_a_newer_save_is_refused_and_writes_nothing(editor, edited):
    first = revisions.of(edited).last()
    loaded = edited.version
    edit_in_admin(editor, edited, headline="Someone else's headline")
    count = revisions.of(edited).count()

    response = editor.post(restore_url(edited, first), {"loaded_version": loaded}, follow=True)

    assert "Someone else saved this article since you opened its history" in response.content.decode()
    edited.refresh_from_db()
    assert edited.headline == "Someone else's headline" and revisions.of(edited).count() == count


def test_restore_refuses_a_concurrent_save_between_its_check_and_its_write(edited, editor):
    first = revisions.of(edited).last()
    with pytest.raises(StaleEdit):
        revisions.restore(edited.pk, first, user=editor.user, loaded_version=edited.version - 1)


# --- Permissions ----------------------------------------------------------------------------------


def staff_with(django_user_model, client, *codenames):
    user = django_user_model.objects.create_user(f"staff-{'-'.join(codenames)}", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return user


def test_a_user_who_may_only_view_sees_the_history_but_cannot_restore(client, edited, django_user_model):
    staff_with(django_user_model, client, "view_article")
    first = revisions.of(edited).last()

    doc = page(client.get(history_url(edited)))
    assert len(doc.cssselect("#revision-history tbody tr")) == 3 and not doc.cssselect('a[href*="/restore/"]')
    assert client.get(compare_url(edited, first, latest(edited))).status_code == 200
    assert client.get(restore_url(edited, first)).status_code == 403
    assert client.post(restore_url(edited, first), {"loaded_version": edited.version}).status_code == 403
    edited.refresh_from_db()
    assert edited.headline == "Le pont de Valmont rouvre lundi"


def test_a_user_with_the_change_permission_alone_restores(client, edited, django_user_model):
    # Changing any article (not only one's own drafts) is what an editor may: docs/roles.md.
    user = staff_with(django_user_model, client, "change_article", "change_any_article")
    first = revisions.of(edited).last()

    assert client.get(history_url(edited)).status_code == 200
    response = client.post(restore_url(edited, first), {"loaded_version": edited.version})

    assert response.status_code == 302
    assert latest(edited).history_user == user and latest(edited).headline == "Le pont de Valmont rouvre"


def test_a_user_without_article_permissions_sees_no_history(client, edited, django_user_model):
    staff_with(django_user_model, client, "view_section")
    assert client.get(history_url(edited)).status_code == 403
    assert client.get(compare_url(edited, revisions.of(edited).last(), latest(edited))).status_code == 403
