"""The admin sweep's world (one object of every registered model) and its Sweeper."""

from __future__ import annotations

import logging

import pytest
from django.contrib import admin
from django.utils import timezone

from .support import Sweeper, superuser


@pytest.fixture
def world(django_user_model):
    """{model: an instance} for every model registered in the admin (few rows: lists render fast)."""
    from django.contrib.auth.models import Group
    from django_tasks_db.models import DBTaskResult

    from babelpress.ingest.models import Feed, ImportedItem, ImportJob, StoryCluster
    from babelpress.newsroom.models import Article, Author, Section, SectionName, Source, Tag
    from babelpress.translation import jobs
    from babelpress.translation.models import (
        EngineUsage, GlossaryName, GlossaryTerm, MemoryEntry, Segment, Translation, TranslationJob,
    )
    from babelpress.translation.pipeline import article_fields
    from babelpress.translation.segmenter import source_digest
    from babelpress.translation.tasks import run_translation_job

    user = django_user_model.objects.create_superuser("sweeper", "sweeper@example.org", None)
    section = Section.objects.create(key="news", position=1)
    SectionName.objects.create(section=section, language="fr", name="Actualités")
    source = Source.objects.create(name="Agence Lumière", url="https://lumiere.example.org", licence="CC BY 4.0")
    # A second section, source and feed: a list filter with one choice is not shown, nor applied.
    SectionName.objects.create(section=Section.objects.create(key="culture", position=2), language="fr", name="Culture")
    other_source = Source.objects.create(name="Gazette", url="https://gazette.example")
    author = Author.objects.create(name="Claire Dubois", source=source)
    tag = Tag.objects.create(language="fr", name="Transports")
    original = Article.objects.create(
        language="fr", headline="Le pont rouvre", body="<p>Le pont a été reconstruit.</p>", section=section,
        source=source, author=author, status=Article.Status.PUBLISHED, published_at=timezone.now())
    original.tags.add(tag)
    english = original.create_translation("en", headline="The bridge reopens", body="<p>The bridge was rebuilt.</p>",
                                          translation_method="machine")
    review = Translation.objects.create(article=english, source=original, engine="phrasebook", qa_errors=1,
                                        source_digest=source_digest(article_fields(original)))
    Segment.objects.create(translation=review, position=0, field="headline", source_text=original.headline,
                           source_hash="h0", machine_text=english.headline, target_text=english.headline)
    Segment.objects.create(translation=review, position=1, field="body", source_text="Le pont a été reconstruit.",
                           source_hash="h1", machine_text="The bridge was rebuilt.", target_text="The bridge was <x1/>.",
                           qa=[{"check": "tags", "level": "error", "message": "A tag is missing."}])
    queued = jobs.enqueue(original, ["ru"], user=user)[0]
    run_translation_job.enqueue(queued.pk)  # the task row (enqueue itself waits for a commit that never comes)
    failed = TranslationJob.objects.create(source=original, target_language="hy", status="failed",
                                           last_error="engine down", finished_at=timezone.now())
    term = GlossaryTerm.objects.create(note="bridge names")
    GlossaryName.objects.create(term=term, language="fr", name="Pont de Valmont")
    feed = Feed.objects.create(url="https://lumiere.example.org/feed.xml", source=source, section=section)
    Feed.objects.create(url="https://gazette.example/rss", source=other_source, section=section)
    item = ImportedItem.objects.create(
        article=original, feed=feed, original_url="https://lumiere.example.org/pont", content_hash="c" * 64,
        retrieved_at=timezone.now(), detected_language="fr", cluster=StoryCluster.objects.create(),
        pending_update={"headline": "Le pont rouvre lundi", "standfirst": "", "body": "<p>Reconstruit.</p>",
                        "content_hash": "d" * 64, "retrieved_at": timezone.now().isoformat(), "url": ""})
    objects = {
        Article: original, Section: section, Source: source, Author: author, Tag: tag, Translation: review,
        TranslationJob: failed, GlossaryTerm: term, Feed: feed, ImportedItem: item, django_user_model: user,
        MemoryEntry: MemoryEntry.objects.create(source_language="fr", target_language="en", source_hash="m" * 64,
                                                source_text="Le pont", target_text="The bridge", engine="phrasebook"),
        EngineUsage: EngineUsage.objects.create(engine="phrasebook", month="2026-01", characters=10, requests=1),
        Group: Group.objects.create(name="Desk"),
        ImportJob: ImportJob.objects.create(url="https://lumiere.example.org/pont", section=section, requested_by=user),
        DBTaskResult: DBTaskResult.objects.get(),
    }
    missing = [m._meta.label for m in admin.site._registry if objects.get(m) is None]
    assert not missing, f"give the sweep an object of {missing}"
    return objects


@pytest.fixture
def sweeper(client, world, settings):
    settings.MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # password forms, quickly
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"  # one query less a request
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(superuser())
    # Thousands of refusals (404, 400, 403) would each be logged, some with a traceback; a server
    # error is caught from the response, not from the log.
    logging.disable(logging.WARNING)
    yield Sweeper(client)
    logging.disable(logging.NOTSET)
