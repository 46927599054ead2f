"""Translating one story into one language: memory, human edits, conflicts, glossary, QA, provenance.

The memory specifications run the real local engine (CTranslate2 + SentencePiece on the tiny
models of conftest.py) with a spy on its ``translate_batch``; the others use the deterministic
PhrasebookEngine (tests/translation/fake_engines.py), which writes text in capitals.
"""

from __future__ import annotations

import pytest

from babelpress.newsroom.models import Article
from babelpress.translation import pipeline, review
from babelpress.translation.engines.base import EngineError
from babelpress.translation.models import (
    EngineUsage, GlossaryName, GlossaryTerm, MemoryEntry, Segment, Translation,
)

from .fake_engines import PhrasebookEngine

TWENTY_PARAGRAPHS = [
    "The council met today.",
    "The minister said the price was new.",
    "People went to the market.",
    "Rain fell on the city.",
    "The river rose this week.",
    "Workers said the strike was over.",
    "The school report was new.",
    "Police went to the court.",
    "The election was this year.",
    "Health workers met the minister.",
    "The water price rose.",
    "The government said the vote was today.",
    "The market was new this year.",
    "People said the rain was over.",
    "The court met this week.",
    "The city school was new.",
    "The river report said the water rose.",
    "Police workers met today.",
    "The strike was in the news.",
    "The council said the week was over.",
]


def segments_of(article: Article) -> list[Segment]:
    return list(Segment.objects.filter(translation__article=article).order_by("position"))


def body_with(paragraphs) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def edit_source(story: Article, **fields) -> Article:
    for name, value in fields.items():
        setattr(story, name, value)
    story.save()
    return Article.objects.get(pk=story.pk)


# --- Memory: only what changed goes to the engine (real local engine) ---------------------------------


def test_a_new_translation_sends_every_segment_in_one_engine_call(local_engine, spy, make_story):
    story = make_story(TWENTY_PARAGRAPHS, headline="Rain in the city")
    calls = spy(local_engine)

    result = pipeline.translate_article(story, "fr")

    assert len(calls) == 1
    assert calls[0] == ["Rain in the city", *TWENTY_PARAGRAPHS]
    assert (result.engine_calls, result.segments_total, result.segments_from_memory) == (1, 21, 0)
    assert MemoryEntry.objects.filter(source_language="en", target_language="fr", engine="local").count() == 21


def test_editing_one_paragraph_of_twenty_sends_exactly_one_segment(local_engine, spy, make_story):
    story = make_story(TWENTY_PARAGRAPHS)
    pipeline.translate_article(story, "fr")
    before = {s.position: s.target_text for s in segments_of(story.get_translation("fr"))}
    edited = list(TWENTY_PARAGRAPHS)
    edited[6] = "The school report was late."
    story = edit_source(story, body=body_with(edited))
    calls = spy(local_engine)

    result = pipeline.translate_article(story, "fr")

    assert calls == [["The school report was late."]]
    assert (result.engine_calls, result.segments_from_memory) == (1, 20)
    after = {s.position: s.target_text for s in segments_of(result.article)}
    unchanged = lambda texts: {p: t for p, t in texts.items() if p != 7}  # 7: paragraph 7 (headline is 0)
    assert unchanged(after) == unchanged(before)
    assert segments_of(result.article)[7].source_text == "The school report was late."


def test_retranslating_an_unchanged_story_calls_no_engine(local_engine, spy, make_story):
    story = make_story(TWENTY_PARAGRAPHS[:3])
    first = pipeline.translate_article(story, "fr")
    calls = spy(local_engine)

    again = pipeline.translate_article(story, "fr")

    assert calls == []
    assert (again.engine_calls, again.segments_from_memory) == (0, 4)
    assert again.article.pk == first.article.pk and again.article.body == first.article.body


def test_a_paragraph_known_from_another_story_comes_from_memory(local_engine, spy, make_story):
    pipeline.translate_article(make_story(["The council met today."], headline="Council"), "fr")
    calls = spy(local_engine)

    result = pipeline.translate_article(make_story(["The council met today.", "Rain fell."], headline="Rain"), "fr")

    assert calls == [["Rain", "Rain fell."]]
    assert result.segments_from_memory == 1


def test_a_repeated_paragraph_is_sent_once(local_engine, spy, make_story):
    story = make_story(["Police went to the court.", "Rain fell.", "Police went to the court."], headline="Court")
    calls = spy(local_engine)

    pipeline.translate_article(story, "fr")

    assert calls == [["Court", "Police went to the court.", "Rain fell."]]
    rows = segments_of(story.get_translation("fr"))
    assert rows[1].target_text == rows[3].target_text


def test_the_memory_is_per_language_pair(local_engine, spy, make_story):
    story = make_story(["The council met today."], headline="Council")
    pipeline.translate_article(story, "fr")
    calls = spy(local_engine)

    pipeline.translate_article(story, "hy")

    assert calls == [["Council", "The council met today."]]


# --- Human edits and conflicts -------------------------------------------------------------------------


@pytest.fixture
def reviewer(django_user_model):
    return django_user_model.objects.create_user("marie", first_name="Marie", last_name="Curie", is_staff=True)


@pytest.fixture
def bridge_story(phrasebook, make_story):
    """A French story in three paragraphs, machine-translated into English (positions 1-3)."""
    story = make_story(["Le pont rouvre.", "Les voitures passent.", "Le maire parle."], language="fr",
                       headline="Le pont")
    pipeline.translate_article(story, "en")
    return story


def state_of(story, language="en") -> Translation:
    return Translation.objects.get(article=story.get_translation(language))


def test_a_reviewers_edit_survives_a_retranslation(bridge_story, reviewer, phrasebook):
    review.save_review(state_of(bridge_story), {2: "Cars are driving again."}, reviewer, approve=False)
    story = edit_source(bridge_story, body=body_with(["Le pont rouvre.", "Les voitures passent.", "Le maire se tait."]))

    result = pipeline.translate_article(story, "en")

    edited = segments_of(result.article)[2]
    assert (edited.target_text, edited.human_edited, edited.conflict) == ("Cars are driving again.", True, False)
    assert edited.machine_text == "LES VOITURES PASSENT."
    assert "Cars are driving again." in result.article.body
    assert phrasebook.calls[-1] == ["Le maire se tait."]


def test_a_source_change_under_a_human_edit_is_a_conflict_not_an_overwrite(bridge_story, reviewer):
    review.save_review(state_of(bridge_story), {2: "Cars are driving again."}, reviewer, approve=False)
    story = edit_source(bridge_story, body=body_with(["Le pont rouvre.", "Les camions passent.", "Le maire parle."]))

    result = pipeline.translate_article(story, "en")

    row = segments_of(result.article)[2]
    assert row.conflict is True
    assert row.target_text == "Cars are driving again."  # the edit is kept...
    assert row.machine_text == "LES CAMIONS PASSENT."  # ...next to the new machine text
    assert (row.source_text, row.edited_source_text) == ("Les camions passent.", "Les voitures passent.")
    assert result.translation.conflicts == 1 and result.conflicts == 1


def test_a_conflict_stays_flagged_through_later_retranslations(bridge_story, reviewer):
    review.save_review(state_of(bridge_story), {2: "Cars are driving again."}, reviewer, approve=False)
    story = edit_source(bridge_story, body=body_with(["Le pont rouvre.", "Les camions passent.", "Le maire parle."]))
    pipeline.translate_article(story, "en")
    story = edit_source(story, headline="Le pont de Valmont")

    result = pipeline.translate_article(story, "en")

    row = segments_of(result.article)[2]
    assert (row.conflict, row.target_text) == (True, "Cars are driving again.")
    assert result.translation.conflicts == 1


def test_inserting_a_paragraph_leaves_a_human_edit_on_its_own_paragraph(bridge_story, reviewer):
    review.save_review(state_of(bridge_story), {2: "Cars are driving again."}, reviewer, approve=False)
    story = edit_source(bridge_story, body=body_with(
        ["Le pont rouvre.", "Il a fallu deux ans.", "Les voitures passent.", "Le maire parle."]
    ))

    result = pipeline.translate_article(story, "en")

    rows = segments_of(result.article)
    assert [(r.target_text, r.human_edited, r.conflict) for r in rows[1:]] == [
        ("LE PONT ROUVRE.", False, False),
        ("IL A FALLU DEUX ANS.", False, False),
        ("Cars are driving again.", True, False),
        ("LE MAIRE PARLE.", False, False),
    ]


def test_a_human_translation_is_never_overwritten(phrasebook, newsroom):
    before = Article.objects.get(pk=newsroom.bridge_en.pk)

    with pytest.raises(pipeline.HumanTranslationExists, match="human translation"):
        pipeline.translate_article(newsroom.bridge, "en")

    after = Article.objects.get(pk=newsroom.bridge_en.pk)
    assert (after.headline, after.body, after.translation_method) == (before.headline, before.body, "human")
    assert phrasebook.calls == [] and not Translation.objects.exists()


def test_a_machine_draft_an_editor_took_over_by_hand_is_left_alone(bridge_story, phrasebook):
    target = bridge_story.get_translation("en")
    Article.objects.filter(pk=target.pk).update(translation_method=Article.TranslationMethod.HUMAN,
                                                body="<p>Rewritten by hand.</p>")

    with pytest.raises(pipeline.HumanTranslationExists):
        pipeline.translate_article(bridge_story, "en")

    assert Article.objects.get(pk=target.pk).body == "<p>Rewritten by hand.</p>"


# --- Glossary ---------------------------------------------------------------------------------------


@pytest.fixture
def un_term(db):
    term = GlossaryTerm.objects.create(kind=GlossaryTerm.Kind.ORGANISATION)
    GlossaryName.objects.create(term=term, language="en", name="United Nations", aliases="UN")
    GlossaryName.objects.create(term=term, language="fr", name="Nations unies")
    return term


def test_a_glossary_term_comes_out_in_its_glossary_form(local_engine, make_story, un_term):
    story = make_story(["The United Nations said the water rose.", "The UN met today."],
                       headline="United Nations report")

    result = pipeline.translate_article(story, "fr")

    target = result.article
    assert target.headline.count("Nations unies") == 1
    assert target.body.count("Nations unies") == 2  # the preferred form, and the alias "UN"
    assert "United Nations" not in target.body and "UN " not in target.body
    glossary_issues = [i for s in segments_of(target) for i in s.qa if i["check"] == "glossary"]
    assert glossary_issues == []


def test_a_new_glossary_form_applies_without_calling_the_engine(local_engine, spy, make_story, un_term):
    story = make_story(["The United Nations met today."], headline="Report")
    pipeline.translate_article(story, "fr")
    GlossaryName.objects.filter(term=un_term, language="fr").update(name="Organisation des Nations unies")
    calls = spy(local_engine)

    result = pipeline.translate_article(story, "fr")

    assert calls == []
    assert "Organisation des Nations unies" in result.article.body


def test_glossary_terms_are_never_sent_to_the_engine(phrasebook, make_story, un_term):
    story = make_story(["The UN met today."], headline="Report")

    pipeline.translate_article(story, "fr")

    assert phrasebook.calls == [["Report", "The <x1/> met today."]]


# --- Segments, QA, provenance -------------------------------------------------------------------------


def test_segments_are_stored_aligned_with_their_source(bridge_story):
    rows = segments_of(bridge_story.get_translation("en"))

    assert [(r.position, r.field, r.source_text, r.machine_text, r.target_text) for r in rows] == [
        (0, "headline", "Le pont", "LE PONT", "LE PONT"),
        (1, "body", "Le pont rouvre.", "LE PONT ROUVRE.", "LE PONT ROUVRE."),
        (2, "body", "Les voitures passent.", "LES VOITURES PASSENT.", "LES VOITURES PASSENT."),
        (3, "body", "Le maire parle.", "LE MAIRE PARLE.", "LE MAIRE PARLE."),
    ]


def test_qa_issues_are_stored_on_their_segment_and_counted(use_engines, make_story):
    phrases = {"Le pont coûte <x1/> euros.": "The bridge costs euros."}  # the engine lost the number
    use_engines({"phrasebook": (PhrasebookEngine, {"phrases": phrases})})
    story = make_story(["Le pont rouvre.", "Le pont coûte 12 euros."], language="fr", headline="Le pont")

    result = pipeline.translate_article(story, "en")

    rows = segments_of(result.article)
    assert [r.qa for r in rows[:2]] == [[], []]
    assert {i["check"] for i in rows[2].qa} >= {"markup"} and all(i["level"] == "error" for i in rows[2].qa)
    assert result.translation.qa_errors == len(rows[2].qa) == result.errors
    assert "12" in result.article.body  # the lost number was put back, and flagged


def test_a_new_translation_records_its_provenance(bridge_story):
    target = bridge_story.get_translation("en")

    assert target.translated_from == bridge_story
    assert (target.translation_method, target.translation_engine) == ("machine", "phrasebook")
    assert (target.section, target.author) == (bridge_story.section, bridge_story.author)
    assert target.headline == "LE PONT"
    assert target.body == "<p>LE PONT ROUVRE.</p><p>LES VOITURES PASSENT.</p><p>LE MAIRE PARLE.</p>"


def test_a_new_translation_inherits_the_credits_and_the_original_date_of_its_original(phrasebook, make_story):
    from datetime import datetime, timezone

    from babelpress.newsroom.models import Source

    story = make_story(["Le pont rouvre."], language="fr", headline="Le pont")
    story.source = Source.objects.create(name="Le Quotidien du Sud")
    story.original_url = "https://quotidien-du-sud.example/2019/pont"
    story.originally_published_at = datetime(2019, 3, 12, 9, tzinfo=timezone.utc)
    story.save()
    target = pipeline.translate_article(story, "en").article
    assert (target.source, target.original_url, target.originally_published_at) == (
        story.source, story.original_url, story.originally_published_at)


def test_markup_links_and_numbers_survive_the_round_trip(phrasebook, make_story):
    story = make_story(['Voir <a href="https://example.org/x">le rapport</a> de 2026.'], language="fr",
                       headline="Rapport")

    result = pipeline.translate_article(story, "en")

    assert result.article.body == (
        '<p>VOIR <a href="https://example.org/x" rel="noopener noreferrer">LE RAPPORT</a> DE 2026.</p>'
    )
    assert phrasebook.calls == [["Rapport", "Voir <g1>le rapport</g1> de <x2/>."]]


# --- Engine choice and failures ----------------------------------------------------------------------


def test_the_pair_preference_decides_the_engine(use_engines, make_story):
    engines = use_engines(
        {"first": (PhrasebookEngine, {}), "second": (PhrasebookEngine, {})},
        pairs={"fr-en": ["second", "first"], "*": ["first"]},
    )
    story = make_story(["Le pont rouvre."], language="fr", headline="Le pont")

    assert pipeline.translate_article(story, "en").engine == "second"
    assert pipeline.translate_article(story, "ru").engine == "first"
    assert len(engines["second"].calls) == 1 and len(engines["first"].calls) == 1


def test_an_engine_without_the_pair_is_skipped_for_the_next(use_engines, make_story):
    use_engines({"narrow": (PhrasebookEngine, {"pairs": ["en-fr"]}), "wide": (PhrasebookEngine, {})})
    story = make_story(["Le pont rouvre."], language="fr", headline="Le pont")

    assert pipeline.translate_article(story, "en").engine == "wide"


def test_no_engine_for_the_pair_says_how_to_fix_it(use_engines, make_story):
    use_engines({"narrow": (PhrasebookEngine, {"pairs": ["en-fr"]})})
    story = make_story(["Le pont rouvre."], language="fr", headline="Le pont")

    with pytest.raises(EngineError) as caught:
        pipeline.translate_article(story, "hy")

    assert caught.value.retryable is False
    assert "fr→hy" in str(caught.value) and "install-model" in str(caught.value)


def test_an_engine_failure_writes_nothing(use_engines, make_story):
    engine = use_engines({"deepl": (PhrasebookEngine, {"paid": True})})["deepl"]
    engine.fail_with = EngineError("deepl", "HTTP 503", retryable=True)
    story = make_story(["Le pont rouvre."], language="fr", headline="Le pont")

    with pytest.raises(EngineError):
        pipeline.translate_article(story, "en")

    assert story.get_translation("en") is None
    assert not Translation.objects.exists() and not MemoryEntry.objects.exists()
    assert EngineUsage.objects.filter(characters__gt=0).count() == 0  # nothing was spent


def test_a_story_is_not_translated_into_its_own_language(phrasebook, make_story):
    with pytest.raises(ValueError):
        pipeline.translate_article(make_story(language="en"), "en")


class _PaidEngine:
    name, paid = "deepl", True


@pytest.mark.django_db
def test_a_reservation_past_the_monthly_cap_is_refused_and_counts_nothing(settings):
    from babelpress.translation.models import EngineUsage
    from babelpress.translation.metering import CapReached, reserve

    settings.BABELPRESS_TRANSLATION_MONTHLY_CAPS = {"deepl": 1000}
    assert reserve(_PaidEngine(), 600) is not None
    with pytest.raises(CapReached, match="600 of its 1000"):
        reserve(_PaidEngine(), 600)  # a second worker asking at the same time gets no room
    assert reserve(_PaidEngine(), 400) is not None  # exactly up to the cap is fine
    assert EngineUsage.objects.get(engine="deepl").characters == 1000


@pytest.mark.django_db
def test_a_failed_call_gives_its_reservation_back(settings):
    from babelpress.translation.models import EngineUsage
    from babelpress.translation.metering import refund, reserve

    settings.BABELPRESS_TRANSLATION_MONTHLY_CAPS = {"deepl": 1000}
    charged = reserve(_PaidEngine(), 700)
    refund(_PaidEngine(), 700, charged)
    usage = EngineUsage.objects.get(engine="deepl")
    assert (usage.characters, usage.requests) == (0, 0)
