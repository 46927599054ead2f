"""The review screen a reviewer can trust: fields named in their language, placeholders shown as
what they stand for, and no plain "Approve" for a draft QA holds back (errors, or a length far
from the source's) — approving it anyway takes a reason, which is kept and shown on the article."""

from __future__ import annotations

import lxml.html
import pytest
from django.urls import reverse

from babelpress.newsroom.models import Article
from babelpress.translation import approval, pipeline, review
from babelpress.translation.models import ApprovalOverride, Translation
from babelpress.translation.placeholder_display import pieces

from .fake_engines import PhrasebookEngine

COUNCIL = "Le conseil municipal a adopté hier soir le budget de la ville pour l'année prochaine, après un long débat."
WORKS = "Les travaux du pont coûteront <x1/> euros, selon la mairie."


def text(node) -> str:
    return " ".join(node.text_content().split())


def page(client, state, status=200):
    response = client.get(reverse("admin:translation_translation_change", args=[state.pk]))
    assert response.status_code == status
    return lxml.html.fromstring(response.content.decode())


def post(client, state, follow=True, **fields):
    """The review form as the screen shows it, with ``fields`` changed."""
    doc = page(client, state)
    form = doc.get_element_by_id("review-form")
    data = {name: value for name, value in form.form_values()}
    data.update(fields)
    return client.post(reverse("admin:translation_translation_change", args=[state.pk]), data, follow=follow)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


@pytest.fixture
def reviewer(client, django_user_model):
    user = django_user_model.objects.create_superuser("marie", "marie@example.org", None,
                                                      first_name="Marie", last_name="Curie")
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return user


@pytest.fixture
def story(make_story):
    return make_story([COUNCIL, "Les travaux du pont coûteront 1 240 euros, selon la mairie."], language="fr",
                      headline="Le budget de Valmont adopté", alternative_headline="Un vote serré au conseil")


@pytest.fixture
def bad_draft(use_engines, story):
    """A machine draft that lost most of the story (a few % of its length) and the number."""
    use_engines({"phrasebook": (PhrasebookEngine, {"phrases": {
        COUNCIL: "The council.", WORKS: "Works.", "Le budget de Valmont adopté": "Budget",
        "Un vote serré au conseil": "Vote"}})})
    return pipeline.translate_article(story, "en").translation


@pytest.fixture
def short_draft(use_engines, story):
    """A draft without QA errors but a fraction of the source's length."""
    use_engines({"phrasebook": (PhrasebookEngine, {"phrases": {
        COUNCIL: "The council voted.", WORKS: "Works cost <x1/> euros.", "Le budget de Valmont adopté": "Budget",
        "Un vote serré au conseil": "Close vote"}})})
    return pipeline.translate_article(story, "en").translation


@pytest.fixture
def good_draft(use_engines, story):
    use_engines({"phrasebook": (PhrasebookEngine, {"phrases": {
        COUNCIL: "Last night the city council adopted the town's budget for next year, after a long debate.",
        WORKS: "The bridge works will cost <x1/> euros, according to the town hall.",
        "Le budget de Valmont adopté": "Valmont budget adopted", "Un vote serré au conseil": "A close council vote"}})})
    return pipeline.translate_article(story, "en").translation


# --- What the screen shows ------------------------------------------------------------------------------------


def test_fields_are_named_in_the_reviewers_language(client, reviewer, good_draft):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"

    doc = page(client, good_draft)

    labels = [text(label) for label in doc.cssselect(".review-table .segment-field")]
    assert labels == ["Titre", "Titre secondaire", "Corps du texte", "Corps du texte"]
    assert "alternative_headline" not in doc.text_content()


def test_placeholders_are_shown_as_the_values_they_stand_for_never_as_tags(client, reviewer, good_draft):
    doc = page(client, good_draft)

    works = doc.cssselect(".review-table tbody.segment")[3]
    assert [(m.get("class"), text(m)) for m in works.cssselect("td.source mark, td.machine mark")] == [
        ("placeholder placeholder-number", "1 240"), ("placeholder placeholder-number", "1 240")]
    assert works.cssselect("textarea")[0].text == "The bridge works will cost 1 240 euros, according to the town hall."
    assert "<x1/>" not in doc.get_element_by_id("review-form").text_content()


def test_saving_the_shown_text_keeps_the_placeholders(client, reviewer, good_draft):
    post(client, good_draft, **{"segment-3": "According to the town hall, the bridge works will cost 1 240 euros.",
                                "_save": "1"})

    row = good_draft.segments.get(position=3)
    assert row.target_text == "According to the town hall, the bridge works will cost <x1/> euros."
    assert row.qa == []


def test_a_clean_draft_is_approved_with_the_default_button_and_no_reason(client, reviewer, good_draft):
    doc = page(client, good_draft)
    assert doc.cssselect('input.default[name="_approve"]') and not doc.cssselect("#id_reason")

    response = post(client, good_draft, _approve="1", follow=False)

    assert response.status_code == 302
    assert reload(good_draft.article).is_published and not ApprovalOverride.objects.exists()


# --- The override ---------------------------------------------------------------------------------------------


def test_a_draft_with_errors_is_held_back_and_save_is_the_default_button(client, reviewer, bad_draft):
    doc = page(client, bad_draft)

    held = doc.get_element_by_id("approve-anyway")
    assert "QA found" in text(held) and "of the source's length" in text(held)
    assert doc.cssselect('input.default[name="_save"]')
    approve = doc.cssselect('input[name="_approve"]')[0]
    assert "default" not in (approve.get("class") or "") and approve.get("value") == "Approve anyway and publish"
    assert doc.get_element_by_id("id_reason").get("required") is not None


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_approving_a_held_draft_without_a_reason_is_refused_and_the_text_stays(client, reviewer, bad_draft, reason):
    typed = "Last night the city council adopted the budget."

    response = post(client, bad_draft, **{"segment-2": typed, "reason": reason, "_approve": "1"})

    assert response.redirect_chain[-1][0].endswith("#approve-anyway")
    [refusal] = messages_of(response)
    assert refusal.startswith("Not approved: QA found") and "Reason for approving anyway" in refusal
    assert not reload(bad_draft.article).is_published and not ApprovalOverride.objects.exists()
    doc = lxml.html.fromstring(response.content.decode())
    assert doc.cssselect("textarea[name=segment-2]")[0].text == typed  # the reviewer's text, on screen


def test_approving_a_held_draft_with_a_reason_publishes_it_and_keeps_the_reason(client, reviewer, bad_draft):
    response = post(client, bad_draft, reason="Short on purpose: the agency's brief.", _approve="1")

    assert "Approved and published." in messages_of(response)
    target = reload(bad_draft.article)
    assert target.is_published and target.reviewed_by == reviewer
    [kept] = ApprovalOverride.objects.all()
    assert (kept.article, kept.translation, kept.reviewer, kept.reviewer_name, kept.reason) == (
        target, bad_draft, reviewer, "Marie Curie", "Short on purpose: the agency's brief.")
    assert kept.errors == reload(bad_draft).qa_errors > 0 and kept.length_ratio < 0.2
    assert kept.length_bounds == [0.42, 1.67]
    assert {(i["position"], i["code"]) for i in kept.issues} >= {(3, "markup.missing")}


def test_an_approval_despite_qa_is_shown_on_the_article_and_on_the_review(client, reviewer, bad_draft):
    post(client, bad_draft, reason="Short on purpose: the agency's brief.", _approve="1")

    response = client.get(reverse("admin:newsroom_article_change", args=[bad_draft.article.pk]))
    panel = lxml.html.fromstring(response.content.decode()).cssselect(".field-approvals_panel")[0]
    assert "Marie Curie" in text(panel) and "Short on purpose: the agency's brief." in text(panel)
    assert "The number 1 240 was missing; it was added at the end." in text(panel)
    assert "Short on purpose" in text(page(client, bad_draft).cssselect(".approval-overrides")[0])


def test_a_draft_of_implausible_length_needs_a_reason_even_without_errors(client, reviewer, short_draft):
    assert reload(short_draft).qa_errors == 0

    refused = post(client, short_draft, _approve="1")
    approved = post(client, short_draft, reason="The agency sent a short version.", _approve="1")

    assert any("of the source's length" in m for m in messages_of(refused))
    assert "Approved and published." in messages_of(approved)
    assert ApprovalOverride.objects.get().errors == 0


def test_a_conflict_still_stops_an_approval_whatever_the_reason(reviewer, good_draft, story):
    review.save_review(good_draft, {2: "The council adopted the budget last night, after a long debate."}, reviewer,
                       approve=False)
    story.body = story.body.replace("hier soir", "lundi soir")
    story.save()
    state = pipeline.translate_article(reload(story), "en").translation

    with pytest.raises(review.ReviewError, match="edited before its source changed"):
        review.save_review(state, {}, reviewer, approve=True, reason="I checked it.")
    assert not ApprovalOverride.objects.exists() and reload(state).state != Translation.State.REVIEWED


# --- The bounds -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("source, target, bounds", [
    ("fr", "en", (0.42, 1.67)),  # English runs about a sixth shorter than French
    ("en", "fr", (0.6, 2.4)),
    ("en", "ar", (0.45, 1.8)),
    ("ru", "hy", (0.5, 2.0)),
    ("xx", "yy", (0.5, 2.0)),  # languages without a known factor: half to twice the source
])
def test_length_bounds_follow_the_language_pair(source, target, bounds):
    assert approval.length_bounds(source, target) == bounds


def test_a_source_too_short_to_judge_is_not_held_back_for_its_length():
    class Row:
        position, field, qa = 0, "headline", []
        source_text, target_text = "Vote", "Abstimmung über den Haushalt"

    assert approval.assess([Row()], "fr", "en").needs_override is False


def test_the_article_is_not_published_by_a_refused_approval(reviewer, bad_draft):
    with pytest.raises(review.OverrideRequired):
        review.save_review(bad_draft, {}, reviewer, approve=True)

    assert reload(bad_draft.article).status == Article.Status.REVIEW


# --- Naughty strings ------------------------------------------------------------------------------------------


def test_naughty_strings_are_inert_on_the_review_screen_and_round_trip(client, reviewer, use_engines, make_story):
    from django.utils.html import escape

    from .. import corpus

    naughty = [s for s in corpus.naughty_strings()[::6] if s.strip()]
    use_engines({"phrasebook": (PhrasebookEngine, {})})
    story = make_story([f"{escape(s)} 1 240 euros." for s in naughty], language="fr", headline="Des chaînes 1 240")
    state = pipeline.translate_article(story, "en").translation

    doc = page(client, state)
    table = doc.cssselect(".review-table")[0]
    assert {element.tag for element in table.iter()} <= {
        "table", "colgroup", "col", "thead", "tbody", "tr", "th", "td", "span", "mark", "br", "p", "textarea",
        "label", "input"}
    assert "<x" not in table.text_content()

    typed = {f"segment-{row.position}": f"{text} 1 240 !" for row, text in
             zip(state.segments.order_by("position")[1:], naughty)}
    post(client, state, _save="1", **typed)
    rows = list(state.segments.order_by("position"))
    items = review.placeholder_items(state, rows)
    assert [pieces(row.target_text, items[row.position]).text for row in rows[1:]] == [
        f"{text.replace(chr(13) + chr(10), chr(10)).replace(chr(0), '')} 1 240 !" for text in naughty]
    assert not [issue for row in rows[1:] for issue in row.qa if issue["check"] in ("markup", "leftover")]
