"""A story scheduled for later is translated when its time comes, not when it is scheduled: an
embargoed text goes to no engine before then, and the jobs are queued once, by the worker's
scheduler (babelpress/newsroom/scheduling.py → ``article_went_live`` → translation/apps.py)."""

from __future__ import annotations

from datetime import timedelta

from babelpress.newsroom import scheduling
from babelpress.newsroom.models import Article
from babelpress.translation import pipeline
from babelpress.translation.models import Translation, TranslationJob


def queued(story) -> set[str]:
    return set(TranslationJob.objects.filter(source=story).values_list("target_language", flat=True))


def schedule(desk, clock) -> Article:
    return Article.objects.create(language="fr", headline="Le pont", body="<p>Le pont rouvre ce matin.</p>",
                                  section=desk.section, status="published", published_at=clock.now + timedelta(hours=1))


def test_scheduling_an_original_queues_no_translation_before_its_time(phrasebook, desk, clock,
                                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        story = schedule(desk, clock)
        story.headline = "Le pont de Valmont"
        story.save()  # edited while scheduled: still nothing
    assert not TranslationJob.objects.exists()
    assert queued(story) == set()


def test_when_its_time_comes_the_worker_queues_its_translations_once(phrasebook, desk, clock,
                                                                    django_capture_on_commit_callbacks):
    story = schedule(desk, clock)
    clock.advance(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.publish_due()
        scheduling.publish_due()  # the next turn: nothing more
    assert queued(story) == {"en", "hy", "ru"}
    assert TranslationJob.objects.count() == 3


def test_an_approved_translation_waits_for_its_scheduled_original_and_goes_live_with_it(
    phrasebook, desk, clock, django_capture_on_commit_callbacks
):
    story = schedule(desk, clock)
    pipeline.translate_article(story, "en")  # asked for by hand before the time
    english = story.get_translation("en")
    assert not english.is_published
    Translation.objects.filter(article=english).update(state=Translation.State.REVIEWED)
    clock.advance(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.publish_due()
    english.refresh_from_db()
    assert english.is_published and english.published_at == clock.now
