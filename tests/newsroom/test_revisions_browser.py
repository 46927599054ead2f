"""An editor in a real browser, in French: edits a story, opens its history, compares the two
revisions and restores the first. Screenshots go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest

from babelpress.newsroom import revisions
from babelpress.newsroom.models import Article

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# The browser and tab fixtures: tests/conftest.py.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_compares_two_revisions_and_restores_the_first(tab, live_server, newsroom, django_user_model):
    ARTIFACTS.mkdir(exist_ok=True)
    django_user_model.objects.create_superuser("claire", "claire@example.org", "un mot de passe solide")
    tab.set_extra_http_headers({"Accept-Language": "fr"})
    tab.goto(live_server.url + "/admin/login/")
    tab.fill("#id_username", "claire")
    tab.fill("#id_password", "un mot de passe solide")
    tab.click("input[type=submit]")

    before = revisions.of(newsroom.bridge).count()
    tab.goto(live_server.url + f"/admin/newsroom/article/{newsroom.bridge.pk}/change/")
    tab.fill("#id_headline", "Le pont de Valmont rouvre enfin")
    tab.click("input[name=_continue]")
    tab.click("a.historylink")
    assert tab.locator("html").get_attribute("lang") == "fr"
    assert tab.locator("#revision-history tbody tr").count() == before + 1
    tab.click("#content-main input[type=submit]")  # the two newest are chosen already

    assert tab.locator(".rd-field-headline ins").inner_text() == "enfin"
    assert tab.locator(".rd-field-headline .rd-block").get_attribute("lang") == "fr"
    tab.screenshot(path=str(ARTIFACTS / "revisions-compare-fr.png"), full_page=True)

    tab.locator(".revision-sides a.button").click()  # restore the older side
    tab.locator("#content-main input[type=submit]").click()
    tab.wait_for_selector(".messagelist .success")
    assert Article.objects.get(pk=newsroom.bridge.pk).headline == "Le pont de Valmont rouvre"
    assert revisions.of(newsroom.bridge).count() == before + 2
    tab.screenshot(path=str(ARTIFACTS / "revisions-history-fr.png"), full_page=True)
