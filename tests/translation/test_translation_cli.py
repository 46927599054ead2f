"""`babelpress translate …` and `babelpress translation status|install-model|list-models|remove-model`."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from babelpress.newsroom.models import Article
from babelpress.translation import jobs, pipeline
from babelpress.translation.models import TranslationJob
from babelpress.translation.tasks import JobFailed, run_translation_job
from babelpress.translation.testing import build_tiny_argos_package

from ..commands import babelpress, run_env
from .fake_engines import PhrasebookEngine


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def languages_of(story) -> set[str]:
    return set(story.translations().values_list("language", flat=True))


# --- babelpress translate ------------------------------------------------------------------------------


def test_translate_an_article_into_the_named_languages(local_engine, make_story):
    story = make_story(["The river rose today.", "Rain fell."])

    out = run("translate", str(story.pk), to="fr,hy")

    assert languages_of(story) == {"fr", "hy"}
    assert "2 translated, 0 not translated; 2 engine call(s), 0 segment(s) from memory." in out
    assert story.get_translation("fr").translation_method == "machine"


def test_translate_shows_its_progress(local_engine, make_story):
    story = make_story()

    out = run("translate", str(story.pk), to="fr,hy")

    assert "2/2" in out and "━" in out


def test_translating_again_takes_everything_from_memory(local_engine, make_story):
    story = make_story(["The river rose today.", "Rain fell."])
    run("translate", str(story.pk), to="fr")

    out = run("translate", str(story.pk), to="fr")

    assert "1 translated, 0 not translated; 0 engine call(s), 3 segment(s) from memory." in out


def test_all_untranslated_translates_what_is_missing_or_outdated_where_an_engine_can(local_engine, make_story):
    done = make_story(["The river rose today."], headline="River")
    run("translate", str(done.pk), to="fr,hy")
    fresh = make_story(["Rain fell."], headline="Rain")
    done.headline = "River news"
    done.save()
    make_story(["Not yet."], headline="Draft", published=False)

    out = run("translate", all_untranslated=True, to="fr,ru")

    assert "2 translated, 0 not translated" in out  # done→fr (outdated), fresh→fr; nothing for ru
    assert languages_of(fresh) == {"fr"}
    assert Article.objects.get(pk=done.get_translation("fr").pk).headline != ""
    assert not pipeline.is_outdated(done.get_translation("fr").translation_state)


def test_all_untranslated_with_nothing_to_do_says_so(local_engine, make_story):
    story = make_story()
    run("translate", str(story.pk), to="fr,hy")

    assert run("translate", all_untranslated=True, to="fr,hy").strip() == (
        "Nothing to translate: every published original exists in every language asked for.")


def test_a_pair_no_engine_can_translate_fails_the_command_and_says_how_to_fix_it(local_engine, make_story):
    story = make_story()
    out = io.StringIO()

    with pytest.raises(CommandError, match="Nothing could be translated"):
        call_command("translate", str(story.pk), to="ru", stdout=out)

    assert "[translation] no engine can translate en→ru" in " ".join(out.getvalue().split())
    assert "install-model" in out.getvalue()


def test_a_human_translation_is_reported_and_the_rest_translated(phrasebook, newsroom):
    out = run("translate", str(newsroom.bridge.pk), to="en,ru")

    assert f"#{newsroom.bridge.pk} → en: '" in out and "is a human translation into en" in " ".join(out.split())
    assert "1 translated, 1 not translated" in out
    assert newsroom.bridge.get_translation("ru").translation_method == "machine"


def test_queue_hands_the_work_to_the_worker(phrasebook, make_story):
    story = make_story(language="fr")

    out = run("translate", str(story.pk), to="en,ru", queue=True)

    assert "Queued 2 translation job(s); `babelpress worker` will run them." in out
    assert set(TranslationJob.objects.values_list("target_language", "status")) == {("en", "queued"), ("ru", "queued")}
    assert languages_of(story) == set()


@pytest.mark.parametrize("args, options, message", [
    ((), {}, "Name article ids, or use --all-untranslated."),
    (("999",), {}, "No article with id 999."),
    (("1",), {"to": "fr,de"}, "--to names languages the site does not publish in: de"),
])
def test_command_errors_say_what_to_do(phrasebook, make_story, args, options, message):
    make_story()

    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        call_command("translate", *args, stdout=io.StringIO(), **options)


def test_a_translation_is_not_taken_for_an_original(phrasebook, newsroom):
    with pytest.raises(CommandError, match=f"Article {newsroom.bridge_en.pk} is a translation .*article "
                                           f"{newsroom.bridge.pk}"):
        call_command("translate", str(newsroom.bridge_en.pk), to="ru", stdout=io.StringIO())

    assert newsroom.bridge.get_translation("ru") is None


# --- babelpress translation status ---------------------------------------------------------------------


def test_status_prints_coverage_per_language_jobs_and_engines(use_engines, newsroom):
    engine = use_engines({"phrasebook": (PhrasebookEngine, {})})["phrasebook"]
    pipeline.translate_article(newsroom.bridge, "ru")
    from babelpress.translation.engines.base import EngineError

    engine.fail_with = EngineError("phrasebook", "HTTP 403 from the service")
    with pytest.raises(JobFailed):
        run_translation_job.call(jobs.enqueue(newsroom.festival, ["fr"])[0].pk)
    jobs.enqueue(newsroom.festival, ["hy"])

    out = run("translation", "status")

    lines = [line.split() for line in out.splitlines()]
    header = lines[1]
    rows = {line[0]: dict(zip(header[1:], map(int, line[1:]))) for line in lines[2:6]}
    assert header == ["language", "stories", "original", "human", "reviewed", "machine", "outdated", "queued",
                      "failed", "missing"]
    assert rows["ru"] == {"stories": 3, "original": 0, "human": 1, "reviewed": 0, "machine": 1, "outdated": 0,
                          "queued": 0, "failed": 0, "missing": 1}
    assert rows["fr"]["original"] == 2 and rows["fr"]["failed"] == 1
    assert rows["hy"]["queued"] == 1
    assert "Jobs: 1 queued or running, 1 failed." in out
    assert f"article {newsroom.festival.pk} → fr: [phrasebook] HTTP 403 from the service" in out
    assert "Engines: phrasebook" in out


# --- Models: install-model, list-models, remove-model ---------------------------------------------------


@pytest.fixture(scope="module")
def en_ru_package(tmp_path_factory):
    return build_tiny_argos_package(tmp_path_factory.mktemp("pkg"), "en", "ru")


@pytest.fixture
def models_dir(settings, tmp_path, use_engines):
    folder = tmp_path / "models"
    settings.BABELPRESS_MODELS_DIR = folder
    use_engines({"local": ("babelpress.translation.engines.local.LocalEngine", {
        "models_dir": str(folder), "max_decoding_length": 32})})
    return folder


def test_install_model_then_list_then_remove(models_dir, en_ru_package):
    installed = run("translation", "install-model", str(en_ru_package))
    listed = run("translation", "list-models")
    removed = run("translation", "remove-model", "en-ru")

    assert installed.strip() == (f"Installed en-ru: Argos Translate package, en→ru, licence unknown, version 1.0, "
                                 f"in {models_dir / 'en-ru'}.")
    first, used = listed.splitlines()
    assert first.startswith("en-ru  argos  en→ru  licence unknown  version 1.0  ")
    assert first.endswith(str(models_dir / "en-ru"))
    assert used == "    used for: en→ru"
    assert removed.strip() == "Removed en-ru (argos)."
    assert run("translation", "list-models").startswith(f"No models in {models_dir}.")


def test_a_model_installed_from_the_cli_translates_at_once(models_dir, en_ru_package, make_story):
    story = make_story()
    with pytest.raises(CommandError):
        call_command("translate", str(story.pk), to="ru", stdout=io.StringIO())

    run("translation", "install-model", str(en_ru_package))

    assert "1 translated" in run("translate", str(story.pk), to="ru")


def test_install_model_refuses_a_file_that_is_not_a_package(models_dir, tmp_path):
    page = tmp_path / "translate-en_ru-1_0.argosmodel"
    page.write_text("<html>Not found</html>")

    with pytest.raises(CommandError, match="not a zip archive"):
        call_command("translation", "install-model", str(page), stdout=io.StringIO())

    assert run("translation", "list-models").startswith("No models in")


def test_remove_model_names_what_is_installed_when_the_pair_is_not(models_dir):
    with pytest.raises(CommandError, match="no model named 'en-ru'.*list-models"):
        call_command("translation", "remove-model", "en-ru", stdout=io.StringIO())


def test_from_the_shell_an_error_exits_non_zero_with_its_message(tmp_path):
    done = babelpress("translate", "--to", "fr", env=run_env(tmp_path, BABELPRESS_SECRET_KEY="s" * 50), timeout=60)

    assert done.returncode == 1
    assert done.stderr.strip() == "CommandError: Name article ids, or use --all-untranslated."
