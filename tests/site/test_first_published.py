"""The original publication date on the public article page ("First published by <source> on
<date>", the source linked to the original, the date as CLDR writes it in the page's language), on
translations too; and an imported old story never silently leads the home page."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone as tz

import lxml.html
import pytest
from django.urls import reverse

from babelpress.newsroom.models import Article

ORIGINAL = datetime(2019, 3, 12, 9, 0, tzinfo=tz.utc)
ORIGINAL_URL = "https://lumiere.example.org/2019/pont-neuf"


def doc_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def first_published(doc):
    [line] = doc.cssselect(".story__meta .first-published")
    return line


@pytest.fixture
def old_story(newsroom, clock):
    """A 2019 story of Agence Lumière, imported and published with its original date, translated into English."""
    story = Article.objects.create(
        language="fr", headline="Le pont Neuf rouvre", body="<p>Après deux ans de travaux.</p>", section=newsroom.news,
        source=newsroom.agency, original_url=ORIGINAL_URL, originally_published_at=ORIGINAL,
        status=Article.Status.PUBLISHED)
    story.english = story.create_translation("en", headline="Pont Neuf reopens", status=Article.Status.PUBLISHED)
    return story


def test_the_article_page_says_who_first_published_the_story_and_when_in_french(client, old_story):
    line = first_published(doc_of(client, old_story.get_absolute_url()))
    assert " ".join(line.text_content().split()) == "Publié d'abord par Agence Lumière le 12 mars 2019"
    [link] = line.cssselect("a")
    assert link.get("href") == ORIGINAL_URL and link.text_content() == "Agence Lumière"
    assert line.cssselect("time")[0].get("datetime") == "2019-03-12T10:00:00+01:00"  # the instant, in the site's zone


def test_a_translation_says_it_too_in_its_own_language(client, old_story):
    line = first_published(doc_of(client, old_story.english.get_absolute_url()))
    assert " ".join(line.text_content().split()) == "First published by Agence Lumière on March 12, 2019"
    assert line.cssselect("a")[0].get("href") == ORIGINAL_URL


def test_russian_writes_the_date_as_cldr_says(client, old_story):
    russian = old_story.create_translation("ru", headline="Новый мост открыт", status=Article.Status.PUBLISHED)
    line = first_published(doc_of(client, russian.get_absolute_url()))
    assert "12 марта 2019" in line.text_content()


def test_without_a_known_address_the_source_is_named_without_a_link(client, old_story):
    Article.objects.filter(pk=old_story.english.pk).update(original_url="")
    line = first_published(doc_of(client, old_story.english.get_absolute_url()))
    assert not line.cssselect("a") and "First published by Agence Lumière on March 12, 2019" in line.text_content()


def test_a_story_of_our_own_has_no_such_line(client, newsroom):
    assert not doc_of(client, newsroom.festival.get_absolute_url()).cssselect(".first-published")


def test_the_line_costs_no_query(client, old_story, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):  # as any article page (tests/site/test_article_page.py)
        first_published(doc_of(client, old_story.get_absolute_url()))


# --- The home page's lead story ---------------------------------------------------------------------------------


def lead_of(client, language="fr") -> str:
    return " ".join(doc_of(client, f"/{language}/").cssselect(".card__headline a")[0].text_content().split())


@pytest.fixture
def imported_2019(newsroom):
    return Article.objects.create(
        language="fr", headline="Le vieux port en 2019", body="<p>Un récit de 2019.</p>", section=newsroom.news,
        source=newsroom.agency, original_url=ORIGINAL_URL, originally_published_at=ORIGINAL,
        status=Article.Status.REVIEW)


def test_an_imported_2019_story_published_today_is_not_the_lead(editor, client, newsroom, imported_2019, clock,
                                                                open_form):
    form = open_form(editor, reverse("admin:newsroom_article_change", args=[imported_2019.pk]))
    assert form.post("_publish_now").status_code == 302
    assert Article.objects.get(pk=imported_2019.pk).is_published
    assert lead_of(client) == "Le pont de Valmont rouvre"  # the newest story of the site stays the lead


def test_it_leads_when_the_editor_chooses_now(editor, client, newsroom, imported_2019, clock, open_form):
    form = open_form(editor, reverse("admin:newsroom_article_change", args=[imported_2019.pk]))
    assert form.post("_publish_now", site_date="now").status_code == 302
    clock.advance(seconds=1)
    assert lead_of(client) == "Le vieux port en 2019"


def test_a_trusted_import_of_an_old_story_is_not_the_lead_either(client, newsroom, clock):
    Article.objects.create(language="fr", headline="Archives : la crue de 2019", section=newsroom.news,
                           originally_published_at=clock.now - timedelta(days=3), status=Article.Status.PUBLISHED)
    assert lead_of(client) == "Le pont de Valmont rouvre"
