"""A reviewer in a real browser (Debian's Chromium through Playwright), the admin in French: a
machine draft's placeholders read as values, the columns never overlap at 1280 and 1024 px, the
keyboard moves between segments without getting in the way of typing, an Arabic draft is written
right to left, and a bad draft is approved only with a reason.

Screenshots go to test-artifacts/review/ (BABELPRESS_TEST_SHOTS names another folder)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.urls import reverse

from babelpress.newsroom.models import Article
from babelpress.translation import pipeline
from babelpress.translation.models import ApprovalOverride, GlossaryName, GlossaryTerm

from .fake_engines import PhrasebookEngine

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("BABELPRESS_TEST_SHOTS") or Path(__file__).resolve().parents[2] / "test-artifacts" / "review")
PASSWORD = "mot-de-passe-long"
WORKS = 'Les travaux du pont coûteront <x1/> euros, selon <g2>la mairie</g2> de l’<x3/>.'
COUNCIL = "Le conseil municipal a adopté hier soir le budget de la ville pour l'année prochaine, après un long débat."


@pytest.fixture
def desk_in_french(browser, live_server, django_user_model, settings, use_engines, make_story):  # noqa: F811
    """A reviewer logged in to the French admin, and a French story with a number, a link and a
    glossary term, machine-translated into English (well) and Arabic, and into Russian (badly)."""
    settings.BABELPRESS_CONTENT_LANGUAGES = ["fr", "en", "ru", "ar"]
    term = GlossaryTerm.objects.create(kind=GlossaryTerm.Kind.ORGANISATION)
    for lang, name in {"fr": "Nations unies", "en": "United Nations", "ru": "ООН", "ar": "الأمم المتحدة"}.items():
        GlossaryName.objects.create(term=term, language=lang, name=name, aliases="ONU" if lang == "fr" else "")
    use_engines({"phrasebook": (PhrasebookEngine, {"pairs": ["fr-en", "fr-ru", "fr-ar"], "phrases": {
        COUNCIL: "Last night the city council adopted the town's budget for next year, after a long debate.",
        WORKS: "The bridge works will cost <x1/> euros, according to <g2>the town hall</g2> of the <x3/>.",
        "Le budget de Valmont adopté": "Valmont budget adopted",
        "Un vote serré au conseil": "A close council vote",
    }})})
    story = make_story([COUNCIL, 'Les travaux du pont coûteront 1 240 euros, selon <a href="https://valmont.example/'
                        'mairie">la mairie</a> de l’ONU.'], language="fr", headline="Le budget de Valmont adopté",
                       alternative_headline="Un vote serré au conseil")
    drafts = {lang: pipeline.translate_article(story, lang).translation for lang in ("en", "ar")}
    use_engines({"phrasebook": (PhrasebookEngine, {"pairs": ["fr-ru"], "phrases": {
        COUNCIL: "Совет.", WORKS: "Работы.", "Le budget de Valmont adopté": "Бюджет",
        "Un vote serré au conseil": "Голосование"}})})
    drafts["ru"] = pipeline.translate_article(story, "ru").translation
    django_user_model.objects.create_superuser("relectrice", "relectrice@example.org", PASSWORD,
                                               first_name="Anne", last_name="Relectrice")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    tab = context.new_page()
    tab.goto(live_server.url + "/admin/login/")
    tab.fill("#id_username", "relectrice")
    tab.fill("#id_password", PASSWORD)
    tab.click("input[type=submit]")
    tab.wait_for_url("**/admin/")
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield type("Desk", (), {"tab": tab, "url": live_server.url, "drafts": drafts})
    context.close()


def open_review(desk, lang):
    desk.tab.goto(desk.url + reverse("admin:translation_translation_change", args=[desk.drafts[lang].pk]))
    return desk.tab


def columns_never_overlap(tab) -> None:
    """Every segment's three cells side by side, apart, inside the window; nothing wider than it."""
    width = tab.evaluate("window.innerWidth")
    assert tab.evaluate("document.documentElement.scrollWidth") <= width
    for row in tab.locator(".review-table tr.segment-body").all():
        source, machine, target = (row.locator(f"td.{name}").bounding_box() for name in ("source", "machine", "target"))
        assert source["x"] + source["width"] <= machine["x"] + 0.5
        assert machine["x"] + machine["width"] <= target["x"] + 0.5
        assert target["x"] + target["width"] <= width
        area = row.locator("textarea").bounding_box()
        assert target["x"] <= area["x"] and area["x"] + area["width"] <= target["x"] + target["width"] + 0.5


def test_a_machine_draft_reads_as_values_in_french_at_1280_and_1024_px(desk_in_french):
    tab = open_review(desk_in_french, "en")

    labels = tab.locator(".review-table .segment-field").all_inner_texts()
    assert labels == ["Titre", "Titre secondaire", "Corps du texte", "Corps du texte"]
    works = tab.locator(".review-table tbody.segment").nth(3)
    assert works.locator("td.machine mark").all_inner_texts() == ["1 240", "the town hall", "United Nations"]
    assert works.locator("td.machine mark").nth(1).get_attribute("title") == \
        "Le lien vers https://valmont.example/mairie"
    assert works.locator("textarea").input_value() == \
        "The bridge works will cost 1 240 euros, according to the town hall of the United Nations."
    assert "<x" not in tab.locator("#content").inner_text() and "<g" not in tab.locator("#content").inner_text()
    for width in (1280, 1024):
        tab.set_viewport_size({"width": width, "height": 900})
        columns_never_overlap(tab)
        tab.screenshot(path=str(SHOTS / f"review-fr-{width}.png"))
        tab.screenshot(path=str(SHOTS / f"review-fr-{width}-full.png"), full_page=True)


def test_the_keyboard_moves_between_segments_without_breaking_typing(desk_in_french):
    tab = open_review(desk_in_french, "en")
    assert "Alt+↓" in tab.locator("#review-keys").inner_text()
    boxes = tab.locator(".review-table textarea")

    boxes.nth(0).click()
    tab.keyboard.press("Alt+ArrowDown")
    assert tab.evaluate("document.activeElement.name") == "segment-1"
    tab.keyboard.press("End")
    tab.keyboard.type(" jk")  # j and k are letters while typing
    assert boxes.nth(1).input_value() == "A close council vote jk"
    tab.keyboard.press("Alt+ArrowUp")
    assert tab.evaluate("document.activeElement.name") == "segment-0"
    tab.keyboard.press("Escape")  # out of the box: j and k move
    tab.keyboard.press("j")
    tab.keyboard.press("j")
    assert tab.evaluate("document.activeElement.id") == "segment-2"
    assert tab.locator("tbody.segment.current").get_attribute("id") == "segment-2"
    assert boxes.nth(0).input_value() == "Valmont budget adopted"


def test_the_reviewers_edit_keeps_the_number_link_and_term_in_place(desk_in_french):
    tab = open_review(desk_in_french, "en")
    box = tab.locator("textarea[name=segment-3]")

    box.fill("According to the town hall of the United Nations, the bridge works will cost 1,240 euros.")
    with tab.expect_navigation():
        tab.locator('input[name="_save"]').click()

    segment = desk_in_french.drafts["en"].segments.get(position=3)
    assert segment.target_text == "According to <g2>the town hall</g2> of the <x3/>, the bridge works will cost <x1/> euros."
    assert tab.locator("textarea[name=segment-3]").input_value() == \
        "According to the town hall of the United Nations, the bridge works will cost 1 240 euros."


def test_an_arabic_draft_is_edited_right_to_left(desk_in_french):
    tab = open_review(desk_in_french, "ar")

    box = tab.locator("textarea[name=segment-3]")
    assert box.get_attribute("dir") == "rtl" and box.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert tab.locator("tbody.segment td.machine").first.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert tab.locator("tbody.segment td.source").first.evaluate("e => getComputedStyle(e).direction") == "ltr"
    tab.set_viewport_size({"width": 1024, "height": 900})
    columns_never_overlap(tab)
    tab.screenshot(path=str(SHOTS / "review-fr-ar-1024.png"))


def test_a_bad_draft_is_approved_only_with_a_reason_which_the_article_then_shows(desk_in_french):
    tab = open_review(desk_in_french, "ru")
    draft = desk_in_french.drafts["ru"]
    held = tab.locator("#approve-anyway")
    assert "Le contrôle qualité a relevé" in held.inner_text()  # "QA found … errors", in French
    assert "default" in tab.locator('input[name="_save"]').get_attribute("class")
    assert "default" not in (tab.locator('input[name="_approve"]').get_attribute("class") or "")
    tab.set_viewport_size({"width": 1024, "height": 900})
    held.scroll_into_view_if_needed()
    tab.screenshot(path=str(SHOTS / "review-fr-held-1024.png"))

    tab.locator('input[name="_approve"]').click()  # no reason: the browser asks for one first
    assert tab.locator("#id_reason").evaluate("e => e.validity.valueMissing")
    tab.fill("#id_reason", "   ")  # a blank reason: the server refuses it
    with tab.expect_navigation():
        tab.locator('input[name="_approve"]').click()
    assert "Non validée" in tab.locator(".messagelist").inner_text()  # "Not approved"
    assert Article.objects.get(pk=draft.article_id).status != Article.Status.PUBLISHED

    tab.fill("#id_reason", "Version courte voulue par l'agence.")
    with tab.expect_navigation():
        tab.locator('input[name="_approve"]').click()
    assert tab.url == desk_in_french.url + reverse("admin:translation_translation_changelist")
    assert Article.objects.get(pk=draft.article_id).status == Article.Status.PUBLISHED
    assert ApprovalOverride.objects.get().reason == "Version courte voulue par l'agence."
    tab.goto(desk_in_french.url + reverse("admin:newsroom_article_change", args=[draft.article_id]))
    panel = tab.locator(".field-approvals_panel")
    assert "Anne Relectrice" in panel.inner_text() and "Version courte voulue par l'agence." in panel.inner_text()
    panel.scroll_into_view_if_needed()
    tab.screenshot(path=str(SHOTS / "article-approval-panel-fr.png"))
