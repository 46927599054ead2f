"""Fixtures of the reader site's specifications."""

from __future__ import annotations

import pytest


@pytest.fixture
def arabic(newsroom, settings):
    """The ``newsroom`` with Arabic as a content language too: the section "news" named in Arabic,
    and the bridge story translated into Arabic (``newsroom.bridge_ar``), credited like its French
    original to Claire Dubois of Agence Lumière (Latin names in an Arabic byline) and tagged in Arabic."""
    from datetime import timedelta

    from babelpress.newsroom.models import Article, SectionName, Tag

    settings.BABELPRESS_CONTENT_LANGUAGES = ["fr", "en", "hy", "ru", "ar"]
    SectionName.objects.create(section=newsroom.news, language="ar", name="أخبار", slug="akhbar")
    newsroom.bridge_ar = newsroom.bridge.create_translation(
        "ar", headline="إعادة فتح جسر فالمون", standfirst="بعد عامين من الأشغال، عادت السيارات.",
        body="<p>أعيد بناء الجسر.</p>", summary="يعاد فتح الجسر يوم الاثنين.",
        status=Article.Status.PUBLISHED, published_at=newsroom.bridge.published_at + timedelta(minutes=30),
    )
    newsroom.tag_ar = Tag.objects.create(language="ar", name="النقل", slug="alnaql")
    newsroom.bridge_ar.tags.add(newsroom.tag_ar)
    return newsroom
