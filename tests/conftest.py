"""Shared fixtures. Feature-specific fixtures live in each tests/<area>/conftest.py."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from . import corpus
from .browser import CHROMIUM


@pytest.fixture(autouse=True)
def _fresh_language_cache():
    from babelpress import languages
    from babelpress.site import memo

    # Each test has its own database: nothing a page remembered in another test may show.
    languages.clear_cache()
    memo.forget()
    yield
    languages.clear_cache()
    memo.forget()


@pytest.fixture
def client(client):
    """Django's test client, speaking to an allowed host."""
    client.defaults["HTTP_HOST"] = "localhost"
    return client


@pytest.fixture
def editor(client, db):
    """The test client, logged in as an editor (a superuser) reading the admin in English."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser("editor", "editor@example.org", None)  # no hashing: faster
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.user = user
    return client


class Newsroom:
    """Named example objects for specifications of the newsroom and the site."""


@pytest.fixture
def newsroom(db):
    """A small newsroom: two sections, a partner source, and stories in several languages.

    - ``bridge``: written in French, translated into English (human) and Armenian; all published.
    - ``budget``: French and Russian, published; same section as ``bridge`` ("news").
    - ``festival``: English only, section "culture".
    - ``draft``: a French draft nobody may read.
    """
    from datetime import timedelta

    from django.utils import timezone

    from babelpress.newsroom.models import Article, Author, Section, SectionName, Source, Tag

    n = Newsroom()
    now = timezone.now()
    n.news = Section.objects.create(key="news", position=1)
    for lang, name in {"fr": "Actualités", "en": "News", "hy": "Լուրեր", "ru": "Новости"}.items():
        SectionName.objects.create(section=n.news, language=lang, name=name)
    n.culture = Section.objects.create(key="culture", position=2)
    for lang, name in {"fr": "Culture", "en": "Culture"}.items():
        SectionName.objects.create(section=n.culture, language=lang, name=name)
    n.agency = Source.objects.create(name="Agence Lumière", url="https://lumiere.example.org", licence="CC BY 4.0")
    n.claire = Author.objects.create(name="Claire Dubois", source=n.agency)
    n.tag_transport = Tag.objects.create(language="fr", name="Transports")

    body = (
        "<h2>Deux ans de travaux</h2><p>Le pont a été <a href=\"https://lumiere.example.org/p\">reconstruit</a>.</p>"
        "<h3>Le chantier</h3><ul><li>Acier</li><li>Béton</li></ul><blockquote>Enfin !</blockquote>"
    )
    n.bridge = Article.objects.create(
        language="fr", headline="Le pont de Valmont rouvre", alternative_headline="Un chantier de deux ans",
        standfirst="Après deux ans de travaux, les voitures repassent.", body=body,
        summary="Le pont rouvre lundi.", section=n.news, author=n.claire, source=n.agency,
        original_url="https://lumiere.example.org/2026/pont", status=Article.Status.PUBLISHED,
        published_at=now - timedelta(hours=3),
    )
    n.bridge.tags.add(n.tag_transport)
    n.bridge_en = n.bridge.create_translation(
        "en", headline="Valmont bridge reopens", standfirst="After two years of works, cars are back.",
        body="<h2>Two years of works</h2><p>The bridge was rebuilt.</p>", summary="The bridge reopens on Monday.",
        status=Article.Status.PUBLISHED, published_at=now - timedelta(hours=2),
    )
    n.bridge_hy = n.bridge.create_translation(
        "hy", headline="Վալմոնի կամուրջը վերաբացվում է", status=Article.Status.PUBLISHED,
        published_at=now - timedelta(hours=2),
    )
    n.budget = Article.objects.create(
        language="fr", headline="Le budget municipal adopté", standfirst="Vote serré au conseil.",
        body="<p>Le conseil a voté.</p>", section=n.news, source=n.agency, status=Article.Status.PUBLISHED,
        published_at=now - timedelta(days=1),
    )
    n.budget_ru = n.budget.create_translation(
        "ru", headline="Городской бюджет принят", status=Article.Status.PUBLISHED, published_at=now - timedelta(days=1),
    )
    n.festival = Article.objects.create(
        language="en", headline="Lantern festival draws crowds", body="<p>Thousands came.</p>", section=n.culture,
        author=n.claire, status=Article.Status.PUBLISHED, published_at=now - timedelta(days=2),
    )
    n.draft = Article.objects.create(
        language="fr", headline="Brouillon secret", body="<p>Pas encore.</p>", section=n.news,
        status=Article.Status.DRAFT,
    )
    return n


class OpenedForm:
    """An admin form as a browser holds it once the page is open: every field as it was shown,
    sent back later (``post``) with the user's changes — whatever happened on the server meanwhile."""

    def __init__(self, client, url: str):
        import lxml.html

        self.client, self.url = client, url
        response = client.get(url)
        assert response.status_code == 200, response.content[:400]
        doc = lxml.html.fromstring(response.content.decode())
        form = doc.xpath("//form[@method='post' and not(@id='logout-form')]")[0]
        self.values: dict[str, list[str]] = {}
        for name, value in form.form_values():
            self.values.setdefault(name, []).append(value)

    def post(self, button: str = "_save", changes: dict | None = None, **more):
        data = {**self.values, button: ["1"]}
        data.update({name: [value] for name, value in {**(changes or {}), **more}.items()})
        return self.client.post(self.url, data)


@pytest.fixture
def open_form():
    """open_form(client, url) → an OpenedForm (see above)."""
    return OpenedForm

@pytest.fixture(scope="session")
def naughty_strings() -> list[str]:
    """The Big List of Naughty Strings (tests/corpus.py)."""
    return list(corpus.naughty_strings())


class ContentClock:
    """The clock that dates content versions (babelpress.site.cache), moved by hand: HTTP dates
    have one-second resolution, and tests do not sleep."""

    def __init__(self):
        self.ns = time.time_ns()

    def __call__(self) -> int:
        return self.ns

    def advance(self, seconds: float) -> None:
        self.ns += int(seconds * 1e9)


@pytest.fixture
def content_clock(monkeypatch):
    from babelpress.site import cache

    clock = ContentClock()
    monkeypatch.setattr(cache, "_clock", clock)
    return clock


class Clock:
    """The time as Babelpress reads it (``django.utils.timezone.now``), moved by hand: scheduled
    publication is specified without waiting. ``clock.now`` is the time; ``clock.advance(minutes=1)``."""

    def __init__(self, start):
        self.now = start

    def __call__(self):
        return self.now

    def advance(self, **delta) -> None:
        from datetime import timedelta

        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    """Replaces the clock of the models, the public pages and the page cache alike (one function,
    ``timezone.now``, read at call time everywhere; the live server's thread sees it too)."""
    from datetime import timedelta

    from django.utils import timezone

    # The next whole second, not the last: content made before the clock was set must not be in its future.
    fake = Clock(timezone.now().replace(microsecond=0) + timedelta(seconds=1))
    monkeypatch.setattr(timezone, "now", fake)
    return fake


# --- Browser tests (@pytest.mark.browser): one Chromium for the whole session -------------------------------


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright, one per test session (shared by every browser test)."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium (apt-get install chromium).")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # sync_playwright keeps an asyncio loop on this thread; Django's guard would then refuse the
    # fixtures' (synchronous, same-thread) database work although nothing runs concurrently.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def tab(browser):
    """A fresh page at 1280 × 900, in French."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()
