"""The 404 page in a real browser (Debian's Chromium, tests/conftest.py's ``browser``): one
message, then the way home and to the sections, each below the other and nothing off-screen, at
desktop and phone widths, left to right and right to left. Screenshots go to test-artifacts/."""

from __future__ import annotations

import pytest

from ..browser import ARTIFACTS

pytestmark = pytest.mark.browser

PARTS = (".notice-page__title", ".notice-page__message", ".notice-page__home a")


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_404_page_stacks_one_message_and_the_way_home(browser, live_server, newsroom, lang, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    tab = context.new_page()
    try:
        response = tab.goto(f"{live_server.url}/{lang}/article/no-such-story/")
        assert response.status == 404
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"404-{lang}-{width}.png"), full_page=True)
        assert tab.locator(".notice-page__message").count() == 1
        boxes = [tab.locator(selector).bounding_box() for selector in PARTS]
        for above, below in zip(boxes, boxes[1:]):
            assert above["y"] + above["height"] <= below["y"], (lang, width, boxes)  # no overlap
        for box in boxes:
            assert 0 <= box["x"] and box["x"] + box["width"] <= width and box["y"] + box["height"] <= 800
        assert tab.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
        home = tab.locator(".notice-page__home a").bounding_box()
        # The way forward starts where the reader's lines start: the left, or the right in Arabic.
        assert (home["x"] + home["width"] > width / 2) if lang == "ar" else (home["x"] < width / 2)
        if lang == "fr":
            assert tab.locator(".notice-page__sections a").count() == 2
    finally:
        context.close()
