"""Fixtures of the reader site's specifications."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture
def page_cache(settings):
    """The whole-page cache on (the test settings turn it off), empty, at its default lifetime."""
    settings.BABELPRESS_PAGE_CACHE = True
    settings.BABELPRESS_PAGE_MAX_AGE = 300
    cache.clear()
    yield
    cache.clear()


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


@pytest.fixture
def french_card_in_arabic(db):
    """The story card of a French story as an Arabic page would show it (an interface in Arabic),
    rendered from the card's template alone: what a page of the other direction holds, whichever
    page lists it. The story's date is 26 November 2026."""
    from datetime import datetime, timezone
    from types import SimpleNamespace

    from django.template.loader import render_to_string
    from django.utils import translation

    from babelpress import languages

    story = SimpleNamespace(
        language="fr", slug="le-pont", headline="« Enfin » : le pont rouvre après 2 ans !",
        standfirst="Après deux ans de travaux, les voitures repassent.", section_name="Actualités",
        section_slug="actualites", published_at=datetime(2026, 11, 26, 9, 30, tzinfo=timezone.utc),
        source=SimpleNamespace(name="Agence Lumière"), author=None,
    )
    with translation.override("ar"):
        return render_to_string("site/_story_card.html", {"story": story, "ui_language": languages.get("ar")})
