"""The admin's server errors found by the attack (issue 7, item 7), one by one: each fails on
the code before the fix and passes after."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:DateTimeField .* received a naive datetime:RuntimeWarning"),
]


def test_a_superscript_section_number_on_the_coverage_page_shows_every_section(sweeper, world):
    response = sweeper.send("get", "/admin/translation/coverage/", {"section": "⁰⁴⁵"})  # isdigit(), yet int() refuses
    assert response.status_code == 200
    assert "Le pont rouvre" in response.content.decode()


def test_a_superscript_story_number_in_a_coverage_cell_is_skipped(sweeper, world):
    from babelpress.translation.models import TranslationJob

    response = sweeper.send("post", "/admin/translation/coverage/", {"cell": ["⁰⁴⁵:en", "１２３:en"]})
    assert response.status_code == 302
    assert not TranslationJob.objects.filter(target_language="en").exists()


def test_a_review_address_that_is_not_a_number_says_the_review_does_not_exist(sweeper, world):
    response = sweeper.client.get("/admin/translation/translation/abc/change/", follow=True)
    assert response.redirect_chain == [("/admin/", 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "translation with ID “abc” doesn’t exist. Perhaps it was deleted?"]


@pytest.mark.parametrize("drilldown", [
    {"published_at__year": "1", "published_at__month": "1"},  # starts in year 0 in UTC, from Paris
    {"published_at__year": "9999", "published_at__month": "12", "published_at__day": "31"},  # ends in year 10000
    {"published_at__year": "9999"},
])
def test_a_date_drilldown_outside_the_calendar_shows_the_whole_list_with_a_warning(sweeper, world, drilldown):
    response = sweeper.send("get", "/admin/newsroom/article/", drilldown)
    assert response.status_code == 302 and response["Location"] == "/admin/newsroom/article/?e=1"
    listing = sweeper.client.get(response["Location"])
    shown = [str(m) for m in listing.context["messages"]]
    assert shown == ["The list could not be filtered that way, so it shows everything: choose a filter or a date "
                     "from the list instead."]


def test_a_date_filter_the_database_cannot_convert_shows_the_whole_list_with_a_warning(sweeper, world):
    response = sweeper.send("get", "/admin/newsroom/article/", {"published_at__gte": "0001-01-01"})
    if connection.vendor == "sqlite":  # SQLite's driver converts to UTC in Python: year 0
        assert response.status_code == 302 and response["Location"] == "/admin/newsroom/article/?e=1"
    else:  # PostgreSQL takes year 1 with Paris's offset of 1911 as it is
        assert response.status_code == 200 and response.context["cl"].result_count == 1


def test_an_action_on_a_selection_that_is_not_a_list_of_keys_changes_nothing(sweeper, world):
    from babelpress.newsroom.models import Section

    for selection in (["abc"], ["9" * 30], [str(world[Section].pk), "⁰⁴⁵"]):
        response = sweeper.send("post", "/admin/newsroom/section/", {
            "action": "delete_selected", "index": "0", "post": "yes", "_selected_action": selection})
        assert response.status_code == 302
    assert Section.objects.filter(pk=world[Section].pk).exists()


def test_every_model_admin_is_registered_hardened(world):
    # The admin site mixes HardenedModelAdminMixin into every ModelAdmin registered on it,
    # Django's own (users, groups) and the task backend's included.
    from babelpress.newsroom.admin_site import HardenedModelAdminMixin, NewsroomAdminSite

    assert isinstance(admin.site, NewsroomAdminSite)
    assert all(isinstance(model_admin, HardenedModelAdminMixin) for model_admin in admin.site._registry.values())
