"""A reader in a real browser (Debian's Chromium driven by Playwright): pick a language, land on
the same story; Arabic renders right-to-left. Screenshots go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.browser


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


def test_an_editor_sees_ampersands_and_tag_lookalikes_as_text_on_the_review_screen_and_the_import_diff(
        tab, live_server, newsroom, django_user_model):
    from django.utils import timezone

    from babelpress.ingest.models import ImportedItem
    from babelpress.translation.models import Segment, Translation

    ARTIFACTS.mkdir(exist_ok=True)
    django_user_model.objects.create_superuser("editrice", "editrice@example.org", "mot-de-passe-long")
    from babelpress.translation.pipeline import article_fields
    from babelpress.translation.segmenter import source_digest

    review = Translation.objects.create(article=newsroom.bridge_en, source=newsroom.bridge, engine="phrasebook",
                                        source_digest=source_digest(article_fields(newsroom.bridge)))
    Segment.objects.create(translation=review, position=0, field="headline", source_hash="h",
                           source_text="Tom &amp; Jerry &lt;b&gt;gras&lt;/b&gt; &lt;script&gt;boom()&lt;/script&gt;",
                           machine_text="Tom &amp; Jerry &lt;b&gt;bold&lt;/b&gt; &lt;script&gt;boom()&lt;/script&gt;",
                           target_text="Tom &amp; Jerry &lt;b&gt;bold&lt;/b&gt; &lt;script&gt;boom()&lt;/script&gt;")
    item = ImportedItem.objects.create(
        article=newsroom.festival, content_hash="c" * 64, retrieved_at=timezone.now(), detected_language="en",
        pending_update={"headline": "Lanterns <b> & <i> drums", "standfirst": "A <script>boom()</script> night.",
                        "body": "<p>Fish &amp; chips &lt;b&gt; and <b>peas</b>.</p>", "content_hash": "d" * 64,
                        "retrieved_at": timezone.now().isoformat(), "url": ""})

    tab.goto(live_server.url + f"/admin/login/?next=/admin/translation/translation/{review.pk}/change/")
    tab.fill("#id_username", "editrice")
    tab.fill("#id_password", "mot-de-passe-long")
    tab.click("input[type=submit]")
    tab.wait_for_url(f"**/admin/translation/translation/{review.pk}/change/")
    cells = tab.locator(".review-table tbody tr").first.locator("td")
    assert cells.nth(0).inner_text().strip() == "titre"  # the field, in the editor's language
    assert cells.nth(1).inner_text().strip() == "Tom & Jerry <b>gras</b> <script>boom()</script>"
    assert cells.nth(2).inner_text().strip() == "Tom & Jerry <b>bold</b> <script>boom()</script>"
    assert tab.locator("textarea[name=segment-0]").input_value() == "Tom & Jerry <b>bold</b> <script>boom()</script>"
    tab.screenshot(path=str(ARTIFACTS / "admin-review-fr.png"), full_page=True)

    tab.goto(live_server.url + f"/admin/ingest/importeditem/{item.pk}/change/")
    newer = [" ".join(text.split()) for text in tab.locator("table.diff tbody tr td:nth-child(6)").all_inner_texts()]
    assert newer == ["Lanterns <b> & <i> drums", "A <script>boom()</script> night.", "Fish & chips <b> and peas."]
    tab.locator("table.diff").first.scroll_into_view_if_needed()
    tab.screenshot(path=str(ARTIFACTS / "admin-import-diff-fr.png"), full_page=True)
