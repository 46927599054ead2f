"""The desk, the admin's home page, costs a fixed, small number of queries: one per list (its
first rows and their count together), three for the coverage chart, and the admin's own — with
one story or ten thousand. (Every app's lists are on it, hence here rather than in one app's tests.)"""

from __future__ import annotations

import uuid
from datetime import timedelta

import lxml.html
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from .desk_data import fill_desk

# The session and the user, 8 lists (3 newsroom, 2 translation, 3 ingest), 3 for the coverage
# chart, the admin's "Recent actions".
DESK_QUERIES = 14


def desk_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return len(queries)


def test_the_desk_costs_the_same_queries_with_one_entry_per_list_or_many(editor, newsroom):
    fill_desk(newsroom, editor.user, copies=1)
    few = desk_queries(editor)
    fill_desk(newsroom, editor.user, copies=7)  # more than a list shows
    assert desk_queries(editor) == few <= DESK_QUERIES


def test_the_desk_keeps_its_queries_with_ten_thousand_articles(editor, newsroom):
    from babelpress.newsroom.models import Article

    now = timezone.now()
    kinds = [  # (how many, status, published_at)
        (7000, Article.Status.PUBLISHED, now - timedelta(days=1)),
        (1000, Article.Status.DRAFT, None),
        (1000, Article.Status.REVIEW, None),
        (1000, Article.Status.PUBLISHED, now + timedelta(days=1)),
    ]
    rows = [Article(language="fr", headline=f"Article {status} {n}", slug=f"article-{kind}-{n}",
                    translation_key=uuid.uuid4(), section=newsroom.news, status=status, published_at=when)
            for kind, (count, status, when) in enumerate(kinds) for n in range(count)]
    Article.objects.bulk_create(rows, batch_size=500)
    drafts = Article.objects.filter(status=Article.Status.DRAFT, headline__startswith="Article ").values_list("pk",
                                                                                                           flat=True)
    article_type = ContentType.objects.get_for_model(Article)
    LogEntry.objects.bulk_create([
        LogEntry(user=editor.user, content_type=article_type, object_id=str(pk), object_repr="draft",
                 action_flag=CHANGE, action_time=now) for pk in drafts])
    fill_desk(newsroom, editor.user, copies=1)
    assert Article.objects.count() > 10_000

    assert desk_queries(editor) <= DESK_QUERIES
    page = lxml.html.fromstring(editor.get(reverse("admin:index")).content)
    assert page.cssselect("#desk-drafts h2 .desk-count")[0].text_content() == "1001"  # 1000 and fill_desk's
    assert len(page.cssselect("#desk-drafts li")) == 5
