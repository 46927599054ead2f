"""How the glossary reaches each engine, and QA on what comes back (docs/decisions.md, "Glossary
terms that inflect").

- Placeholder engines (local, LibreTranslate, DeepL; here the PhrasebookEngine) get an invariable
  term as a placeholder and a term that inflects as words, which the engine translates: one that
  inflects the term passes QA, one that mangles it fails.
- The OpenAI-compatible engine takes the glossary as instructions in its prompt and no
  placeholder for any term (against the fake server of fake_servers.py); QA checks its answer.
"""

from __future__ import annotations

import json

import pytest

from babelpress.translation import pipeline, review
from babelpress.translation.engines.openai_compat import OpenAICompatibleEngine
from babelpress.translation.models import GlossaryName, GlossaryTerm, Segment, Translation

from .fake_engines import PhrasebookEngine
from .fake_servers import FakeChatCompletions, chat_completion, serve

SOURCE = "The Turkish-Azerbaijani border reopened."
INFLECTED = "La frontière turco-azerbaïdjanaise a rouvert."
MANGLED = "La frontière turko-azerbajdjanaise a rouvert."


@pytest.fixture
def turkaz(db):
    """en "Turkish-Azerbaijani" → fr "turco-azerbaïdjanais", which agrees with its noun."""
    term = GlossaryTerm.objects.create(kind=GlossaryTerm.Kind.TERM)
    GlossaryName.objects.create(term=term, language="en", name="Turkish-Azerbaijani")
    GlossaryName.objects.create(term=term, language="fr", name="turco-azerbaïdjanais",
                                inflected_forms="turco-azerbaïdjanaise\nturco-azerbaïdjanaises")
    return term


@pytest.fixture
def nato(db):
    """en "NATO" → fr "OTAN": invariable."""
    term = GlossaryTerm.objects.create(kind=GlossaryTerm.Kind.ORGANISATION)
    GlossaryName.objects.create(term=term, language="en", name="NATO")
    GlossaryName.objects.create(term=term, language="fr", name="OTAN")
    return term


def glossary_qa(article):
    return [(issue["level"], issue["code"]) for row in Segment.objects.filter(translation__article=article)
            for issue in row.qa if issue["check"] == "glossary"]


def phrasebook_with(use_engines, phrases):
    return use_engines({"phrasebook": (PhrasebookEngine, {"phrases": phrases})})["phrasebook"]


# --- Placeholder engines ------------------------------------------------------------------------------


def test_an_engine_that_inflects_the_term_passes_qa(use_engines, make_story, turkaz):
    engine = phrasebook_with(use_engines, {SOURCE: INFLECTED})

    result = pipeline.translate_article(make_story([SOURCE], headline="Border"), "fr")

    assert engine.calls[0][1] == SOURCE  # the words, not a placeholder: the engine makes them agree
    assert INFLECTED in result.article.body
    assert glossary_qa(result.article) == []


def test_an_engine_that_mangles_the_term_fails_qa(use_engines, make_story, turkaz):
    phrasebook_with(use_engines, {SOURCE: MANGLED})

    result = pipeline.translate_article(make_story([SOURCE], headline="Border"), "fr")

    assert glossary_qa(result.article) == [("error", "glossary.mangled")]
    assert result.errors == 1 and Translation.objects.get(article=result.article).qa_errors == 1


def test_an_invariable_term_is_still_a_placeholder(use_engines, make_story, nato):
    engine = phrasebook_with(use_engines, {})

    result = pipeline.translate_article(make_story(["NATO met today."], headline="Border"), "fr")

    assert engine.calls[0][1] == "<x1/> met today."
    assert "OTAN MET TODAY." in result.article.body
    assert glossary_qa(result.article) == []


def test_the_local_engine_gets_an_inflecting_term_as_words_and_qa_checks_its_output(local_engine, spy, make_story,
                                                                                    turkaz, nato):
    calls = spy(local_engine)

    result = pipeline.translate_article(make_story(["The Turkish-Azerbaijani border and NATO."], headline="Border"),
                                        "fr")

    assert calls[0][1] == "The Turkish-Azerbaijani border and <x1/>."
    # The tiny random model writes gibberish: the term is not there, and QA says so; OTAN was frozen.
    assert [code for _level, code in glossary_qa(result.article)] in (["glossary.missing"], ["glossary.mangled"])
    assert "OTAN" in result.article.body


def test_a_remembered_translation_without_the_term_is_made_again(use_engines, make_story, turkaz):
    engine = phrasebook_with(use_engines, {SOURCE: MANGLED})
    story = make_story([SOURCE], headline="Border")
    pipeline.translate_article(story, "fr")
    engine.phrases[SOURCE] = INFLECTED  # the engine does better now (or the glossary changed)

    result = pipeline.translate_article(story, "fr")

    assert engine.calls[-1] == [SOURCE]  # the headline came from the memory; the paragraph did not
    assert glossary_qa(result.article) == []


# --- An engine that takes instructions -----------------------------------------------------------------


@pytest.fixture
def chat(use_engines):
    with serve(FakeChatCompletions(model="tiny-translator")) as service:
        use_engines({"openai": (OpenAICompatibleEngine, {
            "url": service.url + "/v1", "model": "tiny-translator", "retries": 1, "timeout": 5,
        })})
        yield service


def sent(service):
    """(system prompt, segments) of each request the fake model received."""
    return [(call.json["messages"][0]["content"], json.loads(call.json["messages"][1]["content"]))
            for call in service.calls(FakeChatCompletions.PATH)]


def answer(*translations):
    return chat_completion(json.dumps({"translations": list(translations)}, ensure_ascii=False))


def test_the_openai_engine_gets_the_glossary_as_instructions_and_no_placeholder(chat, make_story, turkaz, nato):
    chat.script(FakeChatCompletions.PATH, answer("Frontière", INFLECTED, "L’OTAN s’est réunie."))
    story = make_story([SOURCE, "NATO met."], headline="Border")

    result = pipeline.translate_article(story, "fr")

    (system, segments), = sent(chat)
    assert segments == ["Border", SOURCE, "NATO met."]
    assert ('- Translate "Turkish-Azerbaijani" as "turco-azerbaïdjanais" (inflect it as the grammar of the sentence '
            'requires; its forms include "turco-azerbaïdjanaise", "turco-azerbaïdjanaises").') in system
    assert '- Translate "NATO" as "OTAN" (write it exactly so).' in system
    assert glossary_qa(result.article) == []


def test_what_the_openai_engine_writes_is_checked_by_qa(chat, make_story, turkaz):
    chat.script(FakeChatCompletions.PATH, answer("Frontière", MANGLED))

    result = pipeline.translate_article(make_story([SOURCE], headline="Border"), "fr")

    assert glossary_qa(result.article) == [("error", "glossary.mangled")]


def test_a_segment_without_terms_gets_no_glossary_instructions(chat, make_story, turkaz):
    pipeline.translate_article(make_story(["Rain today."], headline="Weather"), "fr")

    (system, _segments), = sent(chat)
    assert "Glossary" not in system


def test_the_fake_model_follows_the_instructions_when_not_scripted(chat, make_story, nato):
    result = pipeline.translate_article(make_story(["NATO met."], headline="Report"), "fr")

    assert "OTAN MET." in result.article.body
    assert glossary_qa(result.article) == []


def test_a_draft_made_with_instructions_is_reviewed_and_checked_again(chat, make_story, turkaz, django_user_model):
    chat.script(FakeChatCompletions.PATH, answer("Frontière", MANGLED))
    result = pipeline.translate_article(make_story([SOURCE], headline="Border"), "fr")
    reviewer = django_user_model.objects.create_user("marie", is_staff=True)
    state = Translation.objects.get(article=result.article)

    review.save_review(state, {1: INFLECTED}, reviewer, approve=True)

    state.refresh_from_db()
    assert state.state == Translation.State.REVIEWED and state.qa_errors == 0
    assert glossary_qa(result.article) == []


def test_the_review_screen_names_the_accepted_forms_of_a_term_left_in_the_text(admin_client, use_engines, make_story,
                                                                              turkaz):
    phrasebook_with(use_engines, {SOURCE: MANGLED})
    result = pipeline.translate_article(make_story([SOURCE], headline="Border"), "fr")
    state = Translation.objects.get(article=result.article)

    page = admin_client.get(f"/admin/translation/translation/{state.pk}/change/", HTTP_ACCEPT_LANGUAGE="en")

    html = page.content.decode()
    assert "Glossary: “turco-azerbaïdjanais”, “turco-azerbaïdjanaise” or “turco-azerbaïdjanaises”</p>" in html
    assert "the translation has “turko-azerbajdjanaise”, which looks like a misspelling." in html
