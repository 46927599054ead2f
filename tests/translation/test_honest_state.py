"""Honest translation state: nothing says a translation is on its way when no engine can make it.

On a fresh demo with no engine installed (the shipped default: the local engine, no model), the
admin home page and the coverage page say so, which pairs, and what to do; bulk translation queues
nothing and says why at once; `babelpress translate --all-untranslated` lists every cell it skips
with its reason and a total. A job that fails reads as failed, with its reason in words, in the
jobs list, the article's panel, the coverage page and the task results.
"""

from __future__ import annotations

import io
import re

import lxml.html
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from babelpress.newsroom import demo_loader
from babelpress.newsroom.models import Article
from babelpress.translation import availability, coverage, jobs, registry
from babelpress.translation.argos_packages import INSTALL_HINT, PACKAGES_URL
from babelpress.translation.models import TranslationJob

from .fake_engines import PhrasebookEngine

COVERAGE = "/admin/translation/coverage/"
LOCAL = "babelpress.translation.engines.local.LocalEngine"


def text(node) -> str:
    return " ".join(node.text_content().split())


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:400]
    return lxml.html.fromstring(response.content.decode())


def messages_of(response) -> list[str]:
    return [" ".join(str(m).split()) for m in response.context["messages"]]


@pytest.fixture
def no_engine(use_engines, tmp_path):
    """The shipped default: the local engine, with no model installed."""
    return use_engines({"local": (LOCAL, {"models_dir": str(tmp_path / "models")})})


@pytest.fixture
def demo(db):
    demo_loader.load_demo()


# --- The notice: admin home page and coverage page -------------------------------------------------------


def test_with_no_engine_the_admin_home_says_so_and_what_to_do(editor, no_engine, demo):
    notice = page(editor, reverse("admin:index")).get_element_by_id("engine-notice")

    said = text(notice)
    assert "No translation engine is set up: no story can be machine-translated." in said
    assert INSTALL_HINT in said and "BABELPRESS_TRANSLATION_ENGINE" in said
    assert "docs/engines.md" in said
    assert notice.cssselect(f'a[href="{PACKAGES_URL}"]')


@pytest.mark.usefixtures("four_content_languages")  # the pairs of fr, en, hy and ru
def test_the_notice_names_the_pairs_no_engine_can_translate(editor, phrasebook):
    # The phrasebook translates from French and English only.
    notice = page(editor, reverse("admin:index")).get_element_by_id("engine-notice")

    assert text(notice.cssselect("h2")[0]) == "Some languages cannot be machine-translated"
    assert [text(li) for li in notice.cssselect("ul")[0].cssselect("li")] == [
        "Armenian, Russian → French", "Armenian, Russian → English", "Russian → Armenian", "Armenian → Russian",
    ]


@pytest.mark.usefixtures("four_content_languages")  # the pairs of fr, en, hy and ru
def test_a_language_no_engine_translates_into_is_named_as_such(editor, use_engines):
    use_engines({"phrasebook": (PhrasebookEngine, {"pairs": [f"{s}-{t}" for s in ("fr", "en", "hy", "ru")
                                                             for t in ("fr", "en", "hy") if s != t]})})

    notice = page(editor, reverse("admin:index")).get_element_by_id("engine-notice")

    assert [text(li) for li in notice.cssselect("ul")[0].cssselect("li")] == ["Russian: from none of the other languages"]


@pytest.mark.usefixtures("four_content_languages")  # the pairs of fr, en, hy and ru
def test_no_notice_when_every_pair_has_an_engine(editor, use_engines):
    codes = ("fr", "en", "hy", "ru")
    use_engines({"phrasebook": (PhrasebookEngine, {"pairs": [f"{s}-{t}" for s in codes for t in codes if s != t]})})

    assert not page(editor, reverse("admin:index")).cssselect("#engine-notice")
    assert not page(editor, COVERAGE).cssselect("#engine-notice")


def test_the_notice_is_for_those_who_deal_with_translations(client, no_engine, django_user_model):
    writer = django_user_model.objects.create_user("writer", is_staff=True)
    client.force_login(writer)

    assert not page(client, reverse("admin:index")).cssselect("#engine-notice")


@pytest.mark.usefixtures("four_content_languages")  # the pairs of fr, en, hy and ru
def test_the_engines_are_asked_once_per_check_period_and_again_when_they_change(no_engine, monkeypatch):
    asked = []
    engine = registry.configured_engines()["local"]
    monkeypatch.setattr(engine, "supports", lambda s, t: asked.append((s, t)) or False)
    clock = [1000.0]
    monkeypatch.setattr(availability.time, "monotonic", lambda: clock[0])
    availability.forget()

    assert len(availability.untranslatable_pairs()) == 12  # 4 languages
    assert len(asked) == 12
    availability.untranslatable_pairs()
    assert len(asked) == 12  # kept
    clock[0] += availability.CHECK_SECONDS + 1
    availability.untranslatable_pairs()
    assert len(asked) == 24  # looked again: a model may have been installed by another process
    registry.clear_cache()  # what `babelpress translation install-model` does
    assert availability.untranslatable_pairs()  # a fresh engine, asked afresh


def test_coverage_with_no_engine_says_so_and_offers_no_checkbox_doomed_to_fail(editor, no_engine, demo):
    doc = page(editor, COVERAGE)

    assert "No translation engine is set up" in text(doc.get_element_by_id("engine-notice"))
    grid = doc.cssselect("table.coverage")[1]
    missing = grid.cssselect(".state-missing")
    assert missing and all(text(m.getparent().cssselect(".no-engine")[0]) == "no engine" for m in missing)
    assert not grid.cssselect('input[name="cell"]')


# --- Asking for translations no engine can make ------------------------------------------------------------


def test_bulk_translate_with_no_engine_queues_nothing_and_says_why_at_once(editor, no_engine, demo):
    two = list(Article.objects.published().filter(translation_method="", language="fr")[:2])

    response = editor.post(reverse("admin:newsroom_article_changelist"), {
        "action": "queue_translations", "_selected_action": [a.pk for a in two]}, follow=True)

    said = messages_of(response)
    assert TranslationJob.objects.count() == 0
    assert not any("queued." in m and "job" in m for m in said)
    assert said[0] == "Nothing was queued."
    assert re.search(r"\d+ translations cannot be made: no engine can translate French → (English|Armenian|Russian) "
                     r"\(\d\).* Install a model for each pair or configure an engine", said[1])


def test_ticked_cells_no_engine_can_translate_are_refused_with_the_reason(editor, no_engine, demo):
    story = Article.objects.published().filter(translation_method="", language="fr").first()
    missing = [lang for lang in ("en", "hy", "ru") if story.get_translation(lang) is None] or ["en"]

    response = editor.post(COVERAGE, {"cell": [f"{story.pk}:{lang}" for lang in missing]}, follow=True)

    assert TranslationJob.objects.count() == 0
    assert messages_of(response)[0] == "Nothing was queued."


def test_ticked_cells_say_what_was_queued_and_what_was_already(editor, phrasebook, make_story):
    story = make_story(language="fr")
    jobs.enqueue(story, ["en"])

    response = editor.post(COVERAGE, {"cell": [f"{story.pk}:en", f"{story.pk}:hy"]}, follow=True)

    assert messages_of(response) == ["1 translation job queued.", "1 translation was already queued."]


# --- babelpress translate --all-untranslated ---------------------------------------------------------------


def test_all_untranslated_lists_every_cell_it_skips_with_why_and_a_total(no_engine, demo):
    out = io.StringIO()
    missing = sum(counts["missing"] + counts["outdated"] + counts["failed"] for counts in coverage.totals().values())

    with pytest.raises(CommandError, match="Nothing could be translated: no engine can translate the pairs listed"):
        call_command("translate", all_untranslated=True, stdout=out)

    lines = out.getvalue().splitlines()
    assert missing > 0 and lines[0] == f"Not translated ({missing} of {missing} missing or outdated):"
    cells = [line for line in lines if re.match(r"  #\d+ \w\w→\w\w  ", line)]
    assert len(cells) == missing
    assert all(re.search(r": no engine can translate \w+ → \w+$", line) for line in cells)
    assert re.search(rf"^Skipped {missing}: {missing} with no engine for their pair \(.*fr→en ×\d", out.getvalue(), re.M)
    assert INSTALL_HINT in out.getvalue()
    assert "Nothing to translate" not in out.getvalue()


def test_all_untranslated_lists_the_cells_already_queued(phrasebook, make_story):
    story = make_story(language="fr", headline="Le pont rouvre")
    job = jobs.enqueue(story, ["en"])[0]
    out = io.StringIO()

    call_command("translate", all_untranslated=True, to="en,hy", stdout=out)

    said = out.getvalue()
    assert f"  #{story.pk} fr→en  Le pont rouvre: already queued (job #{job.pk})" in said
    assert "Skipped 1: 1 already queued for `babelpress worker`." in said
    assert "1 translated, 0 not translated" in said


def test_queue_never_queues_a_job_no_engine_can_do(phrasebook, make_story):
    story = make_story(language="hy", headline="Կամուրջ")  # the phrasebook cannot translate from Armenian
    out = io.StringIO()

    with pytest.raises(CommandError, match="Nothing could be translated"):
        call_command("translate", str(story.pk), to="en", queue=True, stdout=out)

    assert TranslationJob.objects.count() == 0
    assert f"#{story.pk} hy→en  Կամուրջ: no engine can translate Armenian → English" in out.getvalue()


@pytest.mark.usefixtures("four_content_languages")  # the pairs of fr, en, hy and ru
def test_status_names_the_pairs_no_engine_can_translate(no_engine, db):
    out = io.StringIO()

    call_command("translation", "status", stdout=out)

    assert "No engine can translate 12 pair(s) of content languages: en→fr, hy→fr, ru→fr," in out.getvalue()


# --- A job that fails reads as failed everywhere, with its reason ------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_jobs_failing_for_want_of_an_engine_read_as_failed_in_every_list(editor, use_engines, make_story, tmp_path,
                                                                       settings):
    settings.BABELPRESS_TRANSLATION_AUTO = False
    use_engines({"phrasebook": (PhrasebookEngine, {})})
    story = make_story(["Le pont rouvre."], language="fr", headline="Le pont rouvre")
    queued = jobs.enqueue(story, ["en", "ru"])  # queued while an engine could; then it was removed
    use_engines({"local": (LOCAL, {"models_dir": str(tmp_path / "models")})})

    call_command("worker", batch=True, interval=0, no_feeds=True, stdout=io.StringIO(), stderr=io.StringIO())

    assert set(TranslationJob.objects.values_list("status", flat=True)) == {"failed"}
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"FAILED"}
    reason = "no engine can translate fr→en"
    # The jobs list: a "Failed" badge and the reason, in the row.
    rows = page(editor, reverse("admin:translation_translationjob_changelist")).cssselect("#result_list tbody tr")
    assert {text(r.cssselect(".job-status")[0]) for r in rows} == {"Failed"}
    assert any(reason in text(r.cssselect(".job-reason")[0]) for r in rows)
    # The task results: failed, and why.
    rows = page(editor, reverse("admin:django_tasks_database_dbtaskresult_changelist")).cssselect("#result_list tbody tr")
    assert {text(r.cssselect(".task-status")[0]) for r in rows} == {"Failed"}
    assert any(f"translation job {queued[0].pk} failed: [translation] {reason}" in text(r) for r in rows)
    # The article's panel: failed, and why.
    panel = page(editor, reverse("admin:newsroom_article_change", args=[story.pk])).cssselect(
        ".field-translations_panel")[0]
    assert f"Machine translation failed: [translation] {reason}" in text(panel)
    # The coverage page: failed cells point to their reason, written on the page.
    doc = page(editor, COVERAGE)
    notes = doc.cssselect("table.coverage a.why")
    assert len(notes) == 2
    assert text(doc.cssselect(notes[0].get("href"))[0]).startswith(f"[translation] {reason}")
