"""A reader in a real browser (Debian's Chromium driven by Playwright): pick a language, land on
the same story; Arabic renders right-to-left. Screenshots go to test-artifacts/."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM = os.environ.get("BABELPRESS_TEST_CHROMIUM", "/usr/bin/chromium")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium (apt-get install chromium).")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # sync_playwright keeps an asyncio loop on this thread; Django's guard would then refuse the
    # fixtures' (synchronous, same-thread) database work although nothing runs concurrently.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()


def test_reader_switches_language_and_lands_on_the_same_story(tab, live_server, newsroom):
    ARTIFACTS.mkdir(exist_ok=True)
    tab.goto(live_server.url + newsroom.bridge.get_absolute_url())
    assert tab.locator("html").get_attribute("lang") == "fr"
    assert tab.locator("html").get_attribute("dir") == "ltr"
    assert tab.locator("h1").inner_text() == "Le pont de Valmont rouvre"
    assert tab.locator(".language-picker__title").inner_text().strip().lower() == "choisissez votre langue"
    tab.screenshot(path=str(ARTIFACTS / "article-fr.png"), full_page=True)

    tab.locator('.language-picker__available a[hreflang="en"]').click()
    tab.wait_for_url("**" + newsroom.bridge_en.get_absolute_url())
    assert tab.locator("html").get_attribute("lang") == "en"
    assert tab.locator("h1").inner_text() == "Valmont bridge reopens"
    # The same story: the picker now marks English as current and links back to the French text.
    assert tab.locator('.language-picker a[aria-current="page"]').get_attribute("hreflang") == "en"
    assert tab.locator('.language-picker__available a[hreflang="fr"]').get_attribute("href") == newsroom.bridge.get_absolute_url()


def test_arabic_interface_is_right_to_left(tab, live_server, newsroom):
    ARTIFACTS.mkdir(exist_ok=True)
    tab.goto(live_server.url + "/ar/")
    assert tab.locator("html").get_attribute("dir") == "rtl"
    assert tab.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # Mirrored layout: the masthead title sits on the right-hand side.
    box = tab.locator(".masthead__title").bounding_box()
    assert box["x"] > 1280 / 2
    tab.screenshot(path=str(ARTIFACTS / "home-ar.png"), full_page=True)


def test_skip_link_is_first_and_visible_on_focus(tab, live_server, newsroom):
    tab.goto(live_server.url + newsroom.bridge.get_absolute_url())
    tab.keyboard.press("Tab")
    focused = tab.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert tab.locator(".skip-link").bounding_box()["y"] >= 0
