"""Something in every list of the desk (the admin's home page): the specifications of its query
count and its screenshots fill it with ``fill_desk``."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.contrib.admin.models import CHANGE, LogEntry
from django.utils import timezone


def log_edit(user, article) -> None:
    """What the admin records when ``user`` saves ``article``."""
    LogEntry.objects.log_actions(user.pk, [article], CHANGE, change_message="[]", single_object=True)


def fill_desk(newsroom, user, copies: int = 1) -> None:
    """``copies`` entries in each desk list, besides ``newsroom`` (tests/conftest.py)."""
    from babelpress.ingest.models import Feed, ImportedItem, ImportJob
    from babelpress.newsroom.models import Article
    from babelpress.translation.models import Translation, TranslationJob
    from babelpress.translation.pipeline import article_fields
    from babelpress.translation.segmenter import source_digest

    now = timezone.now()
    for n in range(copies):
        key = uuid.uuid4().hex  # unique addresses and hashes, however often it is called
        draft = Article.objects.create(language="fr", headline=f"Le marché couvert rouvrira ses portes ({n + 1})",
                                       section=newsroom.news, status=Article.Status.DRAFT)
        log_edit(user, draft)
        Article.objects.create(language="en", headline=f"Council votes on the tram line ({n + 1})",
                               section=newsroom.news, status=Article.Status.REVIEW)
        Article.objects.create(language="fr", headline=f"Nuit des musées : le programme ({n + 1})",
                               section=newsroom.culture, status=Article.Status.PUBLISHED,
                               published_at=now + timedelta(days=1, hours=n))
        original = Article.objects.create(language="fr", headline=f"La piscine municipale agrandie ({n + 1})",
                                          body="<p>Deux bassins de plus.</p>", section=newsroom.news,
                                          status=Article.Status.PUBLISHED, published_at=now - timedelta(hours=n + 1))
        machine = original.create_translation("ru", headline=f"Городской бассейн расширен ({n + 1})",
                                              translation_method=Article.TranslationMethod.MACHINE)
        Translation.objects.create(article=machine, source=original, engine="local", qa_errors=n % 2,
                                   qa_warnings=2, source_digest=source_digest(article_fields(original)))
        TranslationJob.objects.create(
            source=original, target_language="hy", status=TranslationJob.Status.FAILED, finished_at=now,
            last_error="No translation engine can translate French into Armenian: install an Argos model for "
                       "fr→hy (babelpress translation models install fr hy) or configure DeepL.")
        imported = Article.objects.create(language="en", headline=f"Harbour cranes replaced ({n + 1})",
                                          section=newsroom.news, source=newsroom.agency, status=Article.Status.DRAFT)
        ImportedItem.objects.create(article=imported, original_url=f"https://lumiere.example.org/cranes-{key}",
                                    content_hash=key * 2, retrieved_at=now, detected_language="en",
                                    warnings=["no byline"], pending_update={"headline": "new"} if n == 0 else None)
        ImportJob.objects.create(url=f"https://gazette.example/story-{key}", requested_by=user,
                                 status=ImportJob.Status.FAILED, finished_at=now,
                                 reason="The page answered 404 Not Found: check the address.")
        Feed.objects.create(url=f"https://gazette.example/feed-{key}.xml", title=f"Gazette ({n + 1})",
                            last_status=Feed.Status.ERROR, failures=3, last_polled_at=now,
                            last_error="The feed's server did not answer within 10 seconds: it will be tried again.")
