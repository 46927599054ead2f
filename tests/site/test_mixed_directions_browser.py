"""Right to left in a real browser (Debian's Chromium), phone-sized: the Arabic pages mirror, the
language choice is the first thing on screen, and text of the other direction keeps its order —
a French card's headline and the Arabic date inside it, Latin names in an Arabic byline. Orders
are read from where Chromium draws each word (the Range API). Screenshots go to test-artifacts/."""

from __future__ import annotations

import pytest

from pathlib import Path

import babelpress

from ..browser import ARTIFACTS

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
STYLESHEET = Path(babelpress.__file__).parent / "site" / "static" / "babelpress" / "site.css"

# Each word of an element's text, in reading order, with the box Chromium draws it in.
WORD_BOXES = """(element) => {
  const words = [];
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.data.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const box = range.getBoundingClientRect();
      words.push({text: match[0], left: box.left, right: box.right, top: box.top});
    }
  }
  return words;
}"""


@pytest.fixture
def phone(browser):
    """A fresh page the size of a phone (390 × 844), asking for Arabic."""
    context = browser.new_context(viewport=PHONE, locale="ar")
    page = context.new_page()
    yield page
    context.close()


def words(locator):
    return locator.evaluate(WORD_BOXES)


def read_in_order(boxes, direction):
    """True when each word comes after the previous one the way ``direction`` reads: further
    along the same line (rightwards for ltr, leftwards for rtl), or on a later line."""
    for before, after in zip(boxes, boxes[1:]):
        same_line = abs(after["top"] - before["top"]) < 4
        if same_line and (after["left"] <= before["left"] if direction == "ltr" else after["right"] >= before["right"]):
            return False
        if not same_line and after["top"] < before["top"]:
            return False
    return True


def shoot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def test_arabic_pages_mirror_with_the_language_choice_first_on_a_phone(phone, live_server, arabic):
    phone.goto(live_server.url + "/ar/")
    assert phone.locator("html").get_attribute("dir") == "rtl"
    picker = phone.locator("nav.language-picker")
    box = picker.bounding_box()
    assert box["y"] == 0 and box["y"] + box["height"] < PHONE["height"] / 8  # at the top, and small
    for link in picker.locator("a").all():  # every choice on screen without scrolling
        link_box = link.bounding_box()
        assert 0 <= link_box["x"] and link_box["x"] + link_box["width"] <= PHONE["width"]
        assert link_box["y"] + link_box["height"] <= PHONE["height"] and link.is_visible()
    # Mirrored: the picker's label, the first Arabic choice and the title start on the right-hand side.
    label = picker.locator(".language-picker__title").bounding_box()
    assert label["x"] + label["width"] > PHONE["width"] - 30
    title = phone.locator(".masthead__title").bounding_box()
    assert title["x"] + title["width"] > PHONE["width"] - 30 and title["y"] > box["y"] + box["height"] - 1
    assert phone.locator('.language-picker a[aria-current="page"]').inner_text() == "العربية"
    shoot(phone, "phone-home-ar.png")


def test_an_arabic_cards_date_and_latin_source_read_from_the_right(phone, live_server, arabic):
    from datetime import timedelta

    from babelpress.newsroom.models import Article

    # Older than a day, so the card shows its date (today's stories say "منذ 3 ساعات").
    Article.objects.filter(pk=arabic.bridge_ar.pk).update(published_at=arabic.bridge_ar.published_at - timedelta(days=3))
    phone.goto(live_server.url + "/ar/")
    meta = phone.locator(".card--lead .card__meta")
    date, source = words(meta.locator("time")), words(meta.locator("bdi"))
    day, month, year = date
    assert abs(day["top"] - year["top"]) < 4 and day["left"] > month["left"] > year["left"]
    assert [w["text"] for w in source] == ["Agence", "Lumière"] and read_in_order(source, "ltr")
    assert year["left"] > source[-1]["right"]  # then the source, further left


def test_a_french_card_on_an_arabic_page_keeps_its_headline_and_its_arabic_date_in_order(phone, french_card_in_arabic):
    # The card as any Arabic page would hold it, with the site's stylesheet.
    phone.set_content(f'<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><style>{STYLESHEET.read_text()}'
                      f'</style></head><body><main><div class="grid">{french_card_in_arabic}</div></main></body></html>')
    card = phone.locator(".card")
    headline = words(card.locator(".card__headline"))
    assert [w["text"] for w in headline] == ["«", "Enfin", "»", ":", "le", "pont", "rouvre", "après", "2", "ans", "!"]
    assert read_in_order(headline, "ltr")
    date = card.locator(".card__meta time")
    day, month, year = words(date)
    assert (day["text"], month["text"], year["text"]) == ("26", "نوفمبر", "2026")
    assert abs(day["top"] - year["top"]) < 4 and day["left"] > month["left"] > year["left"]  # read from the right
    shoot(phone, "phone-french-card-on-arabic-page.png")
    # The controls: without the marks of their languages the same words scramble.
    card.locator(".card__meta").evaluate("(meta) => { meta.removeAttribute('dir'); meta.removeAttribute('lang'); }")
    day, month, year = words(date)
    assert not day["left"] > month["left"] > year["left"]  # "26 2026 نوفمبر"
    card.evaluate("(card) => { card.removeAttribute('dir'); card.removeAttribute('lang'); }")
    assert not read_in_order(words(card.locator(".card__headline")), "ltr")  # "!" and "«" swap ends


def test_latin_names_in_an_arabic_byline_keep_their_order(tab, live_server, arabic):
    tab.goto(live_server.url + arabic.bridge_ar.get_absolute_url())
    byline = tab.locator(".byline")
    names = byline.locator("bdi")
    author, source = words(names.nth(0)), words(names.nth(1))
    assert [w["text"] for w in author] == ["Claire", "Dubois"] and read_in_order(author, "ltr")
    assert read_in_order(source, "ltr")
    # In the Arabic sentence, "بقلم" (by) first, then the author, then the source: right to left.
    by = words(byline)[0]
    assert by["text"] == "بقلم" and by["left"] > author[-1]["right"] > source[-1]["right"]


def test_reading_from_the_arabic_home_stays_in_arabic(phone, live_server, arabic):
    phone.goto(live_server.url + "/")  # the browser asks for Arabic
    phone.wait_for_url("**/ar/")
    phone.locator(".card__headline a", has_text="جسر فالمون").first.click()
    phone.wait_for_url("**" + arabic.bridge_ar.get_absolute_url())
    assert phone.locator("html").get_attribute("lang") == "ar"
    shoot(phone, "phone-article-ar.png")
    phone.locator(".tags a").first.click()
    phone.wait_for_url("**/ar/tag/alnaql/")
    phone.locator(".sections-nav a", has_text="أخبار").click()
    phone.wait_for_url("**/ar/section/akhbar/")
    assert phone.locator("html").get_attribute("dir") == "rtl"
    phone.locator('.language-picker a[hreflang="fr"]').click()
    phone.wait_for_url("**/fr/section/actualites/")
    assert phone.locator("html").get_attribute("dir") == "ltr"
    shoot(phone, "phone-section-fr.png")
    phone.goto(live_server.url + arabic.bridge.get_absolute_url())
    shoot(phone, "phone-article-fr.png")
    phone.locator('.language-picker a[hreflang="ar"]').click()
    phone.wait_for_url("**" + arabic.bridge_ar.get_absolute_url())
