"""An editor in a real browser (Debian's Chromium driven by Playwright), in the French admin:
publishes a story without touching the date, schedules one a minute ahead and sees it appear on the
(cached) site on time, and previews a draft — the link opened by a colleague without an account.
The clock is ``clock`` (tests/conftest.py): the live server's thread reads it too. Screenshots go to
test-artifacts/."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone

from babelpress.newsroom.models import Article

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.browser


@pytest.fixture
def desk(tab, live_server, newsroom, django_user_model, settings):
    """The French admin, logged in as an editor, with the page cache on as in production."""
    settings.BABELPRESS_PAGE_CACHE = True
    cache.clear()
    ARTIFACTS.mkdir(exist_ok=True)
    django_user_model.objects.create_superuser("redactrice", "r@example.org", "mot-de-passe-long")
    tab.goto(live_server.url + "/admin/login/?next=/admin/newsroom/article/")
    tab.fill("#id_username", "redactrice")
    tab.fill("#id_password", "mot-de-passe-long")
    tab.click("input[type=submit]")
    tab.wait_for_url("**/admin/newsroom/article/")
    yield tab
    cache.clear()


def write(tab, live_server, newsroom, headline: str) -> None:
    tab.goto(live_server.url + "/admin/newsroom/article/add/")
    tab.select_option("#id_language", "fr")
    tab.fill("#id_headline", headline)
    body = tab.locator(".prose-editor > .ProseMirror")  # the rich editor (newsroom/body_editor.py)
    body.click()
    body.type("Les rames sont prêtes.")
    tab.select_option("#id_section", str(newsroom.news.pk))


def test_publishing_without_touching_the_date(desk, live_server, newsroom, clock):
    write(desk, live_server, newsroom, "Le tram part ce matin")
    desk.select_option("#id_status", "published")
    assert desk.input_value("#id_published_at_0") == ""
    desk.click("input[name=_save]")
    desk.wait_for_url("**/admin/newsroom/article/")
    assert desk.locator(".messagelist .error, .errornote").count() == 0
    assert Article.objects.get(headline="Le tram part ce matin").published_at == clock.now
    desk.goto(live_server.url + "/fr/")
    assert "Le tram part ce matin" in desk.locator("main").inner_text()


def test_a_story_scheduled_a_minute_ahead_appears_on_the_site_on_time(desk, live_server, newsroom, clock):
    at = timezone.localtime(clock.now + timedelta(minutes=1))
    write(desk, live_server, newsroom, "Le tram arrive à minuit")
    desk.fill("#id_published_at_0", at.strftime("%Y-%m-%d"))
    desk.fill("#id_published_at_1", at.strftime("%H:%M:%S"))
    desk.click("input[name=_schedule]")
    desk.wait_for_url("**/admin/newsroom/article/")
    row = desk.locator("#result_list tr", has_text="Le tram arrive à minuit")
    assert "Scheduled for" in row.inner_text() or "Programmé" in row.inner_text()
    desk.screenshot(path=str(ARTIFACTS / "admin-scheduled.png"), full_page=True)

    desk.goto(live_server.url + "/fr/")
    assert "Le tram arrive à minuit" not in desk.locator("main").inner_text()
    clock.advance(seconds=59)
    desk.reload()
    assert "Le tram arrive à minuit" not in desk.locator("main").inner_text()
    clock.advance(seconds=1)  # its time: no save, no worker
    desk.reload()
    assert "Le tram arrive à minuit" in desk.locator("main").inner_text()
    desk.screenshot(path=str(ARTIFACTS / "site-scheduled-story-live.png"), full_page=True)


def test_previewing_a_draft_and_sending_the_link_to_a_colleague(desk, browser, live_server, newsroom):
    desk.goto(live_server.url + f"/admin/newsroom/article/{newsroom.draft.pk}/change/")
    desk.screenshot(path=str(ARTIFACTS / "admin-preview-button.png"), full_page=True)
    with desk.context.expect_page() as opened:
        desk.click("a.preview-link")
    preview = opened.value
    preview.wait_for_load_state()
    assert preview.locator("h1").inner_text() == "Brouillon secret"
    assert preview.locator(".preview-banner").is_visible()
    assert preview.locator('meta[name="robots"]').get_attribute("content") == "noindex"
    preview.screenshot(path=str(ARTIFACTS / "preview-draft.png"), full_page=True)

    colleague = browser.new_context(locale="fr-FR")  # no account, no session
    try:
        page = colleague.new_page()
        response = page.goto(preview.url)
        assert response.status == 200 and response.headers["cache-control"] == "private, no-store"
        assert page.locator("h1").inner_text() == "Brouillon secret"
    finally:
        colleague.close()
