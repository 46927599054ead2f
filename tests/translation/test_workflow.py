"""The translation workflow: policies, review, outdated translations, jobs, automatic queuing, metering.

Engines: the deterministic PhrasebookEngine (capitals), local fakes of LibreTranslate and DeepL on
127.0.0.1 (tests/translation/fake_servers.py) for engines that are down or paid, and the real local
engine on the tiny models where the worker picks jobs up from the database task backend.
"""

from __future__ import annotations

import io
import socket
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from babelpress.newsroom.models import Article
from babelpress.translation import coverage, jobs, pipeline, review
from babelpress.translation.engines import http
from babelpress.translation.engines.base import EngineError
from babelpress.translation.models import EngineUsage, MemoryEntry, Segment, Translation, TranslationJob
from babelpress.translation.qa_messages import message
from babelpress.translation.tasks import JobFailed, recover_stale_jobs, run_translation_job

from .fake_engines import PhrasebookEngine
from .fake_servers import FakeDeepL, FakeLibreTranslate, Reply, serve

LIBRE = "babelpress.translation.engines.libretranslate.LibreTranslateEngine"
DEEPL = "babelpress.translation.engines.deepl.DeepLEngine"
NO_WAIT = {"retries": 0, "timeout": 2}  # one HTTP request per attempt: the job's backoff does the retrying


@pytest.fixture(autouse=True)
def _no_sleep_no_proxy(monkeypatch):
    monkeypatch.setattr(http, "sleep", lambda seconds: None)
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def reviewer(django_user_model):
    return django_user_model.objects.create_user("marie", first_name="Marie", last_name="Curie", is_staff=True)


@pytest.fixture
def french_story(make_story):
    return make_story(["Le pont rouvre ce matin.", "Les voitures passent de nouveau."], language="fr",
                      headline="Le pont")


@pytest.fixture
def drafted(phrasebook, french_story):
    """The French story with a machine draft in English (review policy), segments 0-2:
    LE PONT / LE PONT ROUVRE CE MATIN. / LES VOITURES PASSENT DE NOUVEAU."""
    pipeline.translate_article(french_story, "en")
    return french_story


def state_of(story, language="en") -> Translation:
    return Translation.objects.get(article=story.get_translation(language))


def segments(story, language="en") -> list[Segment]:
    return list(state_of(story, language).segments.order_by("position"))


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


# --- Policies: publish at once (labelled) or hold for review ------------------------------------------


def test_site_policy_review_holds_a_new_machine_translation(phrasebook, french_story, settings):
    settings.BABELPRESS_TRANSLATION_POLICY = "review"

    result = pipeline.translate_article(french_story, "en")

    assert result.article.status == Article.Status.REVIEW and not result.article.is_published
    assert result.translation.state == Translation.State.MACHINE


def test_site_policy_publish_puts_a_clean_machine_translation_live(phrasebook, french_story, settings):
    settings.BABELPRESS_TRANSLATION_POLICY = "publish"

    result = pipeline.translate_article(french_story, "en")

    assert result.article.is_published
    assert (result.article.translation_method, result.article.reviewed_by) == ("machine", None)


@pytest.mark.parametrize("site, section, published", [
    ("review", "publish", True),
    ("publish", "review", False),
    ("publish", "", True),
])
def test_the_section_policy_overrides_the_site_policy(phrasebook, french_story, settings, site, section, published):
    settings.BABELPRESS_TRANSLATION_POLICY = site
    french_story.section.translation_policy = section
    french_story.section.save()

    result = pipeline.translate_article(reload(french_story), "en")

    assert result.article.is_published is published


def test_qa_errors_block_auto_publishing(use_engines, make_story, settings):
    settings.BABELPRESS_TRANSLATION_POLICY = "publish"
    use_engines({"phrasebook": (PhrasebookEngine, {"phrases": {"Il coûte <x1/> euros.": "It costs euros."}})})
    story = make_story(["Le pont rouvre.", "Il coûte 12 euros."], language="fr", headline="Le pont")

    result = pipeline.translate_article(story, "en")

    assert result.errors >= 1
    assert result.article.status == Article.Status.REVIEW and not result.article.is_published


def test_a_translation_never_goes_live_before_its_embargoed_original(phrasebook, make_story, settings):
    settings.BABELPRESS_TRANSLATION_POLICY = "publish"
    embargo = timezone.now() + timedelta(hours=6)
    story = make_story(["Le pont rouvre."], language="fr", headline="Le pont")
    Article.objects.filter(pk=story.pk).update(published_at=embargo)

    target = pipeline.translate_article(reload(story), "en").article

    assert target.status == Article.Status.PUBLISHED and target.published_at == embargo
    assert not target.is_published


def test_a_clean_draft_of_an_unpublished_original_waits_and_goes_live_with_it(
    phrasebook, make_story, settings, django_capture_on_commit_callbacks
):
    settings.BABELPRESS_TRANSLATION_POLICY = "publish"
    story = make_story(["Le pont rouvre."], language="fr", headline="Le pont", published=False)
    target = pipeline.translate_article(story, "en").article
    assert target.status == Article.Status.REVIEW

    with django_capture_on_commit_callbacks(execute=True):
        story.status = Article.Status.PUBLISHED
        story.save()

    assert reload(target).is_published
    assert len(phrasebook.calls) == 1  # released, not translated again


# --- Review: side by side, approve records the reviewer ----------------------------------------------


def test_approving_records_the_reviewer_and_publishes(phrasebook, drafted, reviewer):
    state = state_of(drafted)
    assert not state.article.is_published

    review.save_review(state, {1: "The bridge reopens."}, reviewer, approve=True)

    target = reload(state.article)
    assert target.is_published
    assert (target.reviewed_by, target.translation_method) == (reviewer, "machine")
    assert target.reviewed_at is not None
    assert target.body.startswith("<p>The bridge reopens.</p>")
    assert reload(state).state == Translation.State.REVIEWED


def test_an_approved_translation_of_an_unpublished_original_is_published_with_it(
    phrasebook, make_story, reviewer, django_capture_on_commit_callbacks
):
    story = make_story(["Le pont rouvre."], language="fr", headline="Le pont", published=False)
    state = pipeline.translate_article(story, "en").translation

    review.save_review(state, {1: "The bridge reopens."}, reviewer, approve=True)

    assert reload(state).state == Translation.State.REVIEWED and not reload(state.article).is_published
    with django_capture_on_commit_callbacks(execute=True):
        story.status = Article.Status.PUBLISHED
        story.save()
    assert reload(state.article).is_published and reload(state.article).reviewed_by == reviewer


def test_saving_a_draft_keeps_it_unpublished(phrasebook, drafted, reviewer):
    state = review.save_review(state_of(drafted), {1: "The bridge reopens."}, reviewer, approve=False)

    assert not reload(state.article).is_published and reload(state.article).reviewed_by is None
    assert segments(drafted)[1].target_text == "The bridge reopens."


def test_a_reviewers_edit_goes_to_the_memory_as_a_human_translation(phrasebook, drafted, reviewer):
    review.save_review(state_of(drafted), {1: "The bridge reopens."}, reviewer, approve=False)

    entry = MemoryEntry.objects.get(engine="human")
    assert (entry.source_text, entry.target_text, entry.human_edited) == ("Le pont rouvre ce matin.", "The bridge reopens.", True)


def test_unchanged_segments_sent_back_by_the_form_are_not_edits(phrasebook, drafted, reviewer):
    rows = segments(drafted)

    review.save_review(state_of(drafted), {r.position: r.target_text for r in rows}, reviewer, approve=False)

    assert not any(r.human_edited for r in segments(drafted))
    assert not MemoryEntry.objects.filter(engine="human").exists()


def test_approval_is_refused_while_qa_errors_remain_and_the_edits_are_kept(phrasebook, drafted, reviewer):
    state = state_of(drafted)

    with translation.override("en"), pytest.raises(review.OverrideRequired, match="QA found 1 error in this draft"):
        review.save_review(state, {1: "Le pont rouvre ce matin.", 2: "Cars are back."}, reviewer, approve=True)

    assert not reload(state.article).is_published
    rows = segments(drafted)
    assert rows[2].target_text == "Cars are back."  # the edit was saved all the same
    assert [i["check"] for i in rows[1].qa] == ["untranslated"]
    assert reload(state).qa_errors == 1


def test_a_reviewer_cannot_approve_a_text_that_lost_a_glossary_term(phrasebook, make_story, reviewer):
    from babelpress.translation.models import GlossaryName, GlossaryTerm

    term = GlossaryTerm.objects.create(kind=GlossaryTerm.Kind.ORGANISATION)
    GlossaryName.objects.create(term=term, language="fr", name="Nations unies", aliases="ONU")
    GlossaryName.objects.create(term=term, language="en", name="United Nations")
    story = make_story(["L'ONU a voté hier soir."], language="fr", headline="Vote")
    state = pipeline.translate_article(story, "en").translation
    assert segments(story)[1].target_text == "L'<x1/> A VOTÉ HIER SOIR."

    with pytest.raises(review.ReviewError):
        review.save_review(state, {1: "The UN voted last night."}, reviewer, approve=True)

    row = segments(story)[1]
    assert any(i["level"] == "error" and "United Nations" in message(i) for i in row.qa)
    assert not reload(state.article).is_published


@pytest.fixture
def conflicted(phrasebook, drafted, reviewer):
    """The French story whose English paragraph 2 a reviewer edited before its source changed."""
    review.save_review(state_of(drafted), {2: "Cars are back."}, reviewer, approve=False)
    drafted.body = "<p>Le pont rouvre ce matin.</p><p>Les camions passent de nouveau.</p>"
    drafted.save()
    pipeline.translate_article(reload(drafted), "en")
    assert segments(drafted)[2].conflict
    return drafted


def test_approval_is_refused_while_a_conflict_is_unresolved(conflicted, reviewer):
    state = state_of(conflicted)
    form = {r.position: r.target_text for r in segments(conflicted)}  # the form sends every segment back

    with translation.override("en"), pytest.raises(review.ReviewError, match="1 segment was edited before its source changed"):
        review.save_review(state, form, reviewer, approve=True)

    assert not reload(state.article).is_published and segments(conflicted)[2].conflict


def test_editing_a_conflicting_segment_resolves_it(conflicted, reviewer):
    review.save_review(state_of(conflicted), {2: "Lorries are back."}, reviewer, approve=True)

    row = segments(conflicted)[2]
    assert (row.conflict, row.target_text, row.edited_source_text) == (False, "Lorries are back.", "Les camions passent de nouveau.")
    assert reload(state_of(conflicted).article).is_published


def test_keeping_an_edit_for_the_new_source_resolves_the_conflict(conflicted, reviewer):
    form = {r.position: r.target_text for r in segments(conflicted)}

    review.save_review(state_of(conflicted), form, reviewer, approve=True, resolved=[2])

    assert segments(conflicted)[2].conflict is False
    assert "Cars are back." in reload(state_of(conflicted).article).body


# --- A source edit makes translations outdated, re-translated under the same policy --------------------


@pytest.fixture
def reviewed(phrasebook, drafted, reviewer, settings):
    """The French story with a reviewed, published English translation."""
    settings.BABELPRESS_TRANSLATION_POLICY = "review"
    review.save_review(state_of(drafted), {1: "The bridge reopens.", 2: "Cars are back."}, reviewer,
                         approve=True)
    return drafted


def cell(story, language="en") -> str:
    return coverage.cells([reload(story)])[story.pk][language]["state"]


def test_a_source_edit_marks_the_reviewed_translation_outdated(reviewed):
    assert cell(reviewed) == "reviewed"

    reviewed.standfirst = "Deux ans de travaux."
    reviewed.save()

    assert cell(reviewed) == "outdated"
    assert pipeline.is_outdated(state_of(reviewed))


def test_under_review_policy_the_reviewed_text_stays_live_until_the_update_is_approved(reviewed, reviewer):
    live = reload(reviewed.get_translation("en"))
    reviewed.standfirst = "Deux ans de travaux."
    reviewed.save()

    result = pipeline.translate_article(reload(reviewed), "en")

    assert result.applied is False
    assert reload(live).body == live.body and reload(live).reviewed_by == reviewer and live.standfirst == ""
    assert cell(reviewed) == "outdated"  # waiting for the reviewer
    review.save_review(state_of(reviewed), {1: "Two years of works."}, reviewer, approve=True)
    assert reload(live).standfirst == "Two years of works." and cell(reviewed) == "reviewed"


def test_under_publish_policy_the_update_goes_live_and_keeps_the_reviewers_edits(reviewed, settings):
    settings.BABELPRESS_TRANSLATION_POLICY = "publish"
    reviewed.standfirst = "Deux ans de travaux."
    reviewed.save()

    result = pipeline.translate_article(reload(reviewed), "en")

    live = reload(result.article)
    assert live.standfirst == "DEUX ANS DE TRAVAUX."
    assert live.body == "<p>The bridge reopens.</p><p>Cars are back.</p>"
    assert live.reviewed_by is None  # the new text was not reviewed: labelled machine-translated again
    assert cell(reviewed) == "machine"


def test_translating_an_unchanged_reviewed_story_again_keeps_the_review(reviewed, reviewer, settings):
    settings.BABELPRESS_TRANSLATION_POLICY = "publish"
    before = reload(reviewed.get_translation("en"))

    result = pipeline.translate_article(reload(reviewed), "en")

    after = reload(result.article)
    assert (after.reviewed_by, after.reviewed_at, after.body) == (reviewer, before.reviewed_at, before.body)
    assert result.applied is False and cell(reviewed) == "reviewed"


def test_an_unchanged_live_machine_translation_is_not_sent_back_for_review(phrasebook, french_story, settings):
    settings.BABELPRESS_TRANSLATION_POLICY = "publish"
    pipeline.translate_article(french_story, "en")
    settings.BABELPRESS_TRANSLATION_POLICY = "review"

    result = pipeline.translate_article(french_story, "en")

    assert result.translation.state == Translation.State.MACHINE and cell(french_story) == "machine"
    assert reload(result.article).is_published


# --- Jobs ------------------------------------------------------------------------------------------------


def test_enqueue_creates_one_job_per_language_and_skips_the_source_language(phrasebook, french_story):
    queued = jobs.enqueue(french_story, ["fr", "en", "hy"])

    assert [(j.target_language, j.status) for j in queued] == [("en", "queued"), ("hy", "queued")]


def test_enqueue_joins_an_open_job(phrasebook, french_story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as scheduled:
        first = jobs.enqueue(french_story, ["en"])[0]
        again = jobs.enqueue(french_story, ["en"])[0]

    assert again.pk == first.pk and TranslationJob.objects.count() == 1
    assert len(scheduled) == 1  # one task, not two


def test_a_job_translates_and_records_what_it_cost(phrasebook, french_story):
    job = jobs.enqueue(french_story, ["en"])[0]

    outcome = run_translation_job.call(job.pk)

    job = reload(job)
    assert outcome == "done: 3 segments, 0 from memory"
    assert (job.status, job.attempts, job.engine, job.engine_calls, job.segments_from_memory) == (
        "done", 1, "phrasebook", 1, 0)
    assert job.finished_at is not None and french_story.get_translation("en") is not None


def test_a_job_run_twice_translates_once(phrasebook, french_story):
    job = jobs.enqueue(french_story, ["en"])[0]

    run_translation_job.call(job.pk)
    second = run_translation_job.call(job.pk)

    assert second == "skipped: not queued"
    assert len(phrasebook.calls) == 1 and reload(job).attempts == 1


@pytest.fixture
def libre_503(use_engines):
    """LibreTranslate that lists its languages but answers 503 to every translation."""
    with serve(FakeLibreTranslate()) as service:
        use_engines({"libretranslate": (LIBRE, {"url": service.url, **NO_WAIT})})
        service.script("/translate", *[Reply(503, {"error": "Service overloaded"})] * 10)
        yield service


def test_an_engine_that_is_down_leaves_the_job_queued_with_backoff(libre_503, french_story):
    job = jobs.enqueue(french_story, ["en"])[0]
    started = timezone.now()

    assert run_translation_job.call(job.pk).startswith("retry later: [libretranslate]")

    job = reload(job)
    assert (job.status, job.attempts) == ("queued", 1)
    assert "HTTP 503" in job.last_error and "libretranslate" in job.last_error
    assert started + timedelta(seconds=24) <= job.next_attempt_at <= timezone.now() + timedelta(seconds=36)
    assert french_story.get_translation("en") is None


def test_the_backoff_doubles_with_each_attempt(libre_503, french_story):
    job = jobs.enqueue(french_story, ["en"])[0]
    waits = []
    for _ in range(3):
        before = timezone.now()
        run_translation_job.call(job.pk)
        waits.append((reload(job).next_attempt_at - before).total_seconds())

    # ±25 % jitter; the job reads the clock a moment after the test does (hence the extra second).
    assert 24 <= waits[0] <= 37 and 48 <= waits[1] <= 73 and 96 <= waits[2] <= 145
    assert reload(job).attempts == 3


def test_the_retry_is_scheduled_in_the_task_queue_for_after_the_backoff(
    libre_503, french_story, django_capture_on_commit_callbacks
):
    job = jobs.enqueue(french_story, ["en"])[0]

    with django_capture_on_commit_callbacks(execute=True):
        run_translation_job.call(job.pk)

    task = DBTaskResult.objects.get()
    assert task.task_path == "babelpress.translation.tasks.run_translation_job"
    assert task.args_kwargs == {"args": [job.pk], "kwargs": {}}
    assert task.run_after == reload(job).next_attempt_at


def test_after_the_last_attempt_the_job_fails_with_its_error(libre_503, french_story, settings):
    settings.BABELPRESS_TRANSLATION_MAX_ATTEMPTS = 3
    job = jobs.enqueue(french_story, ["en"])[0]

    outcomes = [run_translation_job.call(job.pk)[:11] for _ in range(2)]
    with pytest.raises(JobFailed, match="HTTP 503"):  # the task fails too: never listed as a success
        run_translation_job.call(job.pk)
    outcomes.append(run_translation_job.call(job.pk))

    job = reload(job)
    assert outcomes == ["retry later", "retry later", "skipped: not queued"]
    assert (job.status, job.attempts) == ("failed", 3) and job.finished_at is not None
    assert "HTTP 503" in job.last_error
    assert cell(french_story) == "failed"


def test_an_engine_on_a_closed_port_is_retried_too(use_engines, french_story):
    use_engines({"libretranslate": (LIBRE, {"url": closed_port_url(), **NO_WAIT})})
    job = jobs.enqueue(french_story, ["en"])[0]

    assert run_translation_job.call(job.pk).startswith("retry later")

    job = reload(job)
    assert (job.status, job.attempts) == ("queued", 1)
    assert "could not connect" in job.last_error


def test_an_error_retrying_cannot_fix_fails_the_job_at_once(phrasebook, french_story):
    phrasebook.fail_with = EngineError("phrasebook", "authentication refused (HTTP 403)", retryable=False)
    job = jobs.enqueue(french_story, ["en"])[0]

    with pytest.raises(JobFailed, match="HTTP 403"):
        run_translation_job.call(job.pk)

    assert (reload(job).status, reload(job).attempts) == ("failed", 1)
    assert "HTTP 403" in reload(job).last_error


def test_retrying_a_failed_job_queues_it_again(phrasebook, french_story, reviewer):
    phrasebook.fail_with = EngineError("phrasebook", "HTTP 403", retryable=False)
    job = jobs.enqueue(french_story, ["en"])[0]
    with pytest.raises(JobFailed):
        run_translation_job.call(job.pk)
    phrasebook.fail_with = None

    again = jobs.retry(reload(job), user=reviewer)

    assert again.pk == job.pk
    assert (again.status, again.attempts, again.requested_by) == ("queued", 0, reviewer)
    assert run_translation_job.call(job.pk).startswith("done")
    assert (reload(job).status, reload(job).last_error) == ("done", "")
    assert TranslationJob.objects.filter(status="failed").count() == 0


def test_a_human_translation_ends_its_job_untouched(phrasebook, newsroom):
    job = jobs.enqueue(newsroom.bridge, ["en"])[0]

    assert run_translation_job.call(job.pk) == "skipped: human translation"

    assert reload(job).status == "done" and "human translation" in reload(job).last_error
    assert reload(newsroom.bridge_en).translation_method == "human" and phrasebook.calls == []


def test_an_edit_saved_while_its_job_runs_is_translated_afterwards(phrasebook, french_story):
    job = jobs.enqueue(french_story, ["en"])[0]
    real = phrasebook.translate_batch

    def edit_during_the_call(segments, source, target):
        french_story.headline = "Le pont est rouvert"
        french_story.save()
        jobs.enqueue(french_story, ["en"])  # what the post-save signal does: joins the running job
        return real(segments, source, target)

    phrasebook.translate_batch = edit_during_the_call
    run_translation_job.call(job.pk)
    phrasebook.translate_batch = real

    follow_up = TranslationJob.objects.get(status="queued")
    assert follow_up.pk != job.pk and follow_up.target_language == "en"
    run_translation_job.call(follow_up.pk)
    assert reload(french_story.get_translation("en")).headline == "LE PONT EST ROUVERT"


def test_recover_stale_jobs_requeues_a_job_whose_workers_lease_ran_out(
    phrasebook, french_story, django_capture_on_commit_callbacks
):
    stale, alive = jobs.enqueue(french_story, ["en", "hy"])
    now = timezone.now()
    TranslationJob.objects.filter(pk=stale.pk).update(status="running", worker="host-a:41", attempts=1,
                                                      lease_expires_at=now - timedelta(seconds=1))
    TranslationJob.objects.filter(pk=alive.pk).update(status="running", worker="host-b:42", attempts=1,
                                                      lease_expires_at=now + timedelta(seconds=30))

    with django_capture_on_commit_callbacks(execute=True):
        assert recover_stale_jobs() == 1

    assert reload(stale).status == "queued"
    assert reload(stale).last_error == ("The worker running it (host-a:41) stopped renewing its lease (crashed or "
                                        "was killed); queued again.")
    assert reload(alive).status == "running"
    assert [t.args_kwargs["args"] for t in DBTaskResult.objects.all()] == [[stale.pk]]


def test_recover_stale_jobs_enqueues_overdue_queued_jobs_again(phrasebook, french_story,
                                                               django_capture_on_commit_callbacks):
    job = jobs.enqueue(french_story, ["en"])[0]  # its task never reached the queue
    TranslationJob.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now() - timedelta(hours=2))

    with django_capture_on_commit_callbacks(execute=True):
        recover_stale_jobs()

    assert DBTaskResult.objects.get().args_kwargs["args"] == [job.pk]
    assert reload(job).status == "queued"


def test_with_the_immediate_task_backend_a_retry_waits_instead_of_looping(libre_503, french_story, settings,
                                                                        django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.enqueue(french_story, ["en"])[0]  # runs at once, fails once, waits

    job = reload(job)
    assert (job.status, job.attempts) == ("queued", 1)
    assert len(libre_503.calls("/translate")) == 1


# --- Automatic queuing on publication ---------------------------------------------------------------------


def queued(story) -> set[str]:
    return set(TranslationJob.objects.filter(source=story, status="queued").values_list("target_language", flat=True))


def test_publishing_an_original_queues_jobs_for_the_pairs_an_engine_supports(
    local_engine, make_story, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = make_story(["The river rose today."], language="en")

    assert queued(story) == {"fr", "hy"}  # tiny models: en→fr and en→hy; nothing for Russian
    assert sorted(t.args_kwargs["args"][0] for t in DBTaskResult.objects.all()) == sorted(
        TranslationJob.objects.values_list("pk", flat=True))


def test_a_pivot_through_english_counts_as_supported(local_engine, make_story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        story = make_story(["Le pont rouvre."], language="fr")

    assert queued(story) == {"en", "hy"}  # fr→en directly, fr→hy through English


def test_a_draft_queues_nothing(phrasebook, make_story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_story(published=False)

    assert not TranslationJob.objects.exists()


def test_automatic_translation_can_be_turned_off(phrasebook, make_story, settings, django_capture_on_commit_callbacks):
    settings.BABELPRESS_TRANSLATION_AUTO = False

    with django_capture_on_commit_callbacks(execute=True):
        make_story()

    assert not TranslationJob.objects.exists()


def test_saving_a_translation_or_an_unchanged_original_queues_nothing(phrasebook, french_story,
                                                                      django_capture_on_commit_callbacks):
    for language in ("en", "hy", "ru"):
        pipeline.translate_article(french_story, language)

    with django_capture_on_commit_callbacks(execute=True):
        french_story.save()
        french_story.get_translation("en").save()

    assert not TranslationJob.objects.exists()


def test_a_source_edit_queues_only_the_outdated_machine_translations(phrasebook, newsroom,
                                                                     django_capture_on_commit_callbacks):
    pipeline.translate_article(newsroom.bridge, "ru")  # en and hy are human translations

    with django_capture_on_commit_callbacks(execute=True):
        newsroom.bridge.headline = "Le pont de Valmont est rouvert"
        newsroom.bridge.save()

    assert queued(newsroom.bridge) == {"ru"}


def test_an_engine_that_is_down_when_a_story_is_published_still_gets_the_jobs(
    use_engines, make_story, django_capture_on_commit_callbacks
):
    use_engines({"libretranslate": (LIBRE, {"url": closed_port_url(), **NO_WAIT})})

    with django_capture_on_commit_callbacks(execute=True):
        story = make_story(language="fr")

    assert queued(story) == {"en", "hy", "ru", "ar"}


@pytest.mark.django_db(transaction=True)
def test_the_worker_picks_queued_jobs_up_from_the_database(local_engine, make_story):
    story = make_story(["The river rose today.", "Rain fell."], language="en")  # commits: jobs are queued
    assert queued(story) == {"fr", "hy"}
    assert DBTaskResult.objects.filter(status="READY").count() == 2

    call_command("worker", batch=True, interval=0, no_feeds=True, stdout=io.StringIO(), stderr=io.StringIO())

    assert set(TranslationJob.objects.values_list("target_language", "status")) == {("fr", "done"), ("hy", "done")}
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2
    fr = story.get_translation("fr")
    assert (fr.translation_method, fr.translation_engine, fr.translated_from_id) == ("machine", "local", story.pk)


@pytest.mark.django_db(transaction=True)
def test_a_job_a_crashed_worker_left_running_is_finished_by_the_next_worker(local_engine, make_story, settings):
    settings.BABELPRESS_TRANSLATION_AUTO = False
    story = make_story(["The river rose today."], language="en")
    job = jobs.enqueue(story, ["fr"])[0]
    DBTaskResult.objects.all().delete()  # the task died with its worker
    TranslationJob.objects.filter(pk=job.pk).update(status="running", attempts=1,
                                                    lease_expires_at=timezone.now() - timedelta(seconds=1))

    out = io.StringIO()
    call_command("worker", batch=True, interval=0, no_feeds=True, stdout=out, stderr=io.StringIO())

    assert "Queued again 1 job(s)" in out.getvalue()
    assert reload(job).status == "done" and story.get_translation("fr") is not None


# --- Paid engines: metered per month, optional cap --------------------------------------------------------


DEEPL_KEY = "deepl-secret:fx"


@pytest.fixture
def deepl(use_engines):
    with serve(FakeDeepL(auth_key=DEEPL_KEY)) as service:
        use_engines({"deepl": (DEEPL, {"url": service.url, "api_key": DEEPL_KEY, **NO_WAIT})})
        yield service


def test_a_paid_engine_is_metered_per_month(deepl, french_story):
    job = jobs.enqueue(french_story, ["en"])[0]

    run_translation_job.call(job.pk)

    usage = EngineUsage.objects.get(engine="deepl", month=timezone.now().strftime("%Y-%m"))
    assert usage.characters == len("Le pont" "Le pont rouvre ce matin." "Les voitures passent de nouveau.") == 63
    assert usage.requests == 1
    assert deepl.character_count == 63  # what DeepL itself counted


def test_a_job_beyond_the_monthly_cap_waits_without_spending(deepl, french_story, make_story, settings):
    settings.BABELPRESS_TRANSLATION_MONTHLY_CAPS = {"deepl": 70}
    run_translation_job.call(jobs.enqueue(french_story, ["en"])[0].pk)  # 63 characters
    second = make_story(["Le maire parle."], language="fr", headline="Le maire")
    job = jobs.enqueue(second, ["en"])[0]

    assert run_translation_job.call(job.pk) == "waiting: cap"

    job = reload(job)
    assert (job.status, job.attempts) == ("waiting", 0)
    assert "63 of its 70" in job.last_error and job.next_attempt_at > timezone.now()
    assert len(deepl.calls("/v2/translate")) == 1
    assert EngineUsage.objects.get(engine="deepl").characters == 63
    assert cell(second) == "queued"


def test_a_waiting_job_runs_once_the_cap_is_raised(deepl, french_story, settings):
    settings.BABELPRESS_TRANSLATION_MONTHLY_CAPS = {"deepl": 10}
    job = jobs.enqueue(french_story, ["en"])[0]
    assert run_translation_job.call(job.pk) == "waiting: cap"
    settings.BABELPRESS_TRANSLATION_MONTHLY_CAPS = {"deepl": 1000}

    assert run_translation_job.call(job.pk).startswith("done")

    assert (reload(job).status, reload(job).attempts) == ("done", 1)


def test_a_failed_call_to_a_paid_engine_is_not_metered(deepl, french_story):
    deepl.script("/v2/translate", Reply(503, {"message": "Service unavailable"}))
    job = jobs.enqueue(french_story, ["en"])[0]

    assert run_translation_job.call(job.pk).startswith("retry later")

    assert EngineUsage.objects.filter(characters__gt=0).count() == 0


def test_free_engines_are_not_metered(phrasebook, french_story):
    run_translation_job.call(jobs.enqueue(french_story, ["en"])[0].pk)

    assert not EngineUsage.objects.exists()
