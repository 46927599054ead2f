"""Adding revisions to an existing newsroom: every article gets a first revision, "as it was when
the history began", dated at its last save, tags included, so its next edit has something to be
compared with. Runs the real migrations on the test database (SQLite or PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ..migrating import latest, migrate

BEFORE = [("newsroom", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_each_existing_article_starts_its_history_as_it_was():
    old = migrate(BEFORE)
    section = old.get_model("newsroom", "Section").objects.create(key="news")
    Article, Tag = old.get_model("newsroom", "Article"), old.get_model("newsroom", "Tag")
    bridge = Article.objects.create(language="fr", slug="pont", headline="Le pont rouvre", section=section,
                                    body="<p>Enfin.</p>", version=7)
    bridge.tags.add(Tag.objects.create(language="fr", name="Transports", slug="transports"))
    Article.objects.filter(pk=bridge.pk).update(updated_at=bridge.updated_at - timedelta(days=3))
    Article.objects.create(language="fr", slug="budget", headline="Le budget", section=section)

    migrate(latest())

    from babelpress.newsroom import revisions
    from babelpress.newsroom.models import Article as Current

    bridge = Current.objects.get(pk=bridge.pk)
    first = revisions.of(bridge).get()
    assert (first.headline, first.body, first.version) == ("Le pont rouvre", "<p>Enfin.</p>", 7)
    assert first.tags_snapshot == [[bridge.tags.get().pk, "Transports"]]
    assert first.history_date == bridge.updated_at and first.history_user is None
    assert first.history_change_reason == "history-start"
    assert revisions.of(Current.objects.get(slug="budget")).count() == 1
