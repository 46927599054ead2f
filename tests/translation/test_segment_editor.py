"""The review screen's body segments in the body editor (translation/segment_editor.py): each
placeholder tag is one piece the reviewer cannot type into, the editing area is in the target
language, and what the form sends is the segment as a plain text box would send it."""

from __future__ import annotations

import json

import lxml.html
import pytest
from django.urls import reverse

from babelpress.translation import pipeline
from babelpress.translation.models import Segment

from .fake_engines import PhrasebookEngine

PARAGRAPHS = ['Le pont <a href="https://example.org/p">rouvre</a> le 12 mars.', "Les voitures repassent."]


@pytest.fixture
def arabic_draft(use_engines, make_story, settings):
    """A French story machine-translated into Arabic: the first paragraph has a link and a number."""
    settings.BABELPRESS_CONTENT_LANGUAGES = [*settings.BABELPRESS_CONTENT_LANGUAGES, "ar"]
    use_engines({"phrasebook": (PhrasebookEngine, {"pairs": ["fr-ar"]})})
    story = make_story(PARAGRAPHS, language="fr", headline="Le pont")
    return pipeline.translate_article(story, "ar").translation


def review_url(state) -> str:
    return reverse("admin:translation_translation_change", args=[state.pk])


def body_rows(state):
    return list(state.segments.filter(field="body").order_by("position"))


def test_body_segments_are_edited_in_the_body_editor_and_plain_fields_in_text_boxes(editor, arabic_draft):
    response = editor.get(review_url(arabic_draft))
    doc = lxml.html.fromstring(response.content.decode())
    boxes = {box.get("name"): box for box in doc.cssselect(".review-table textarea")}
    first = body_rows(arabic_draft)[0]
    # The box holds the segment as a reviewer types it: the editor reads it there and writes it back.
    box = boxes[f"segment-{first.position}"]
    assert box.get("data-segment-editor") is not None and box.text == "LE PONT <g1>ROUVRE</g1> LE <x2/> MARS."
    assert (box.get("lang"), box.get("dir")) == ("ar", "rtl")
    assert boxes["segment-0"].get("data-segment-editor") is None  # the headline
    importmap = json.loads(doc.xpath("//script[@type='importmap']")[0].text)
    modules = [s.get("src") for s in doc.cssselect("script[type=module]")]
    assert "django-prose-editor/editor" in importmap["imports"]
    assert any("translation/segment_editor" in src for src in modules)
    for address in [*importmap["imports"].values(), *modules]:
        assert editor.get(address).status_code == 200, address


def log_in(tab, live_server, django_user_model, url):
    django_user_model.objects.create_superuser("relectrice", "relectrice@example.org", "mot-de-passe-long")
    tab.goto(f"{live_server.url}/admin/login/?next={url}")
    tab.fill("#id_username", "relectrice")
    tab.fill("#id_password", "mot-de-passe-long")
    tab.click("input[type=submit]")
    tab.wait_for_url(f"**{url}")


@pytest.mark.browser
def test_a_reviewer_edits_a_body_segment_around_its_placeholders(tab, live_server, django_user_model, arabic_draft):
    first, second = body_rows(arabic_draft)
    log_in(tab, live_server, django_user_model, review_url(arabic_draft))
    areas = tab.locator(".review-table .prose-editor > .ProseMirror")
    assert areas.count() == 2
    area = areas.first
    assert (area.get_attribute("lang"), area.get_attribute("dir")) == ("ar", "rtl")
    pieces = area.locator(".segment-tag")
    assert pieces.all_inner_texts() == ["<g1>", "</g1>", "<x2/>"]
    assert {piece.get_attribute("contenteditable") for piece in pieces.all()} == {"false"}

    area.click()
    tab.keyboard.press("Control+End")
    tab.keyboard.type(" Fin")
    tab.keyboard.press("Enter")  # a segment is one block: nothing happens
    assert area.locator("p").count() == 1
    with tab.expect_navigation():
        tab.click("input[name=_save]")

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.target_text == "LE PONT <g1>ROUVRE</g1> LE <x2/> MARS. Fin"
    assert first.human_edited
    # The untouched segment went through the editor and back unchanged: not counted as an edit.
    assert (second.target_text, second.human_edited) == ("LES VOITURES REPASSENT.", False)
    assert Segment.objects.get(translation=arabic_draft, field="headline").human_edited is False
