"""Listings date the last day's stories relatively ("il y a 3 heures"), with the absolute time kept
in the <time> element; the article page dates in full, with the zone; and no cached page shows a
relative time past the moment it stops being true. The clock is ``clock`` (tests/conftest.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

import lxml.html
import pytest
from babel.dates import format_date
from django.utils.cache import get_max_age
from django.utils.http import parse_http_date

from babelpress.newsroom.models import Article


@pytest.fixture
def fresh(newsroom, clock):
    """A French story in "news" published 3 h 59 min 30 s ago: "il y a 3 heures" for 30 more seconds."""
    return Article.objects.create(language="fr", headline="Le marché rouvre", body="<p>Enfin.</p>",
                                  section=newsroom.news, status="published",
                                  published_at=clock.now - timedelta(hours=3, minutes=59, seconds=30))


def card_times(client, url: str) -> dict[str, lxml.html.HtmlElement]:
    """Each card's <time>, by its headline."""
    doc = lxml.html.fromstring(client.get(url).content)
    return {" ".join(card.cssselect(".card__headline")[0].text_content().split()): card.cssselect("time")[0]
            for card in doc.cssselect("article.card")}


def site_zone():
    from zoneinfo import ZoneInfo

    from django.conf import settings

    return ZoneInfo(settings.TIME_ZONE)


@pytest.mark.parametrize("url", ["/fr/", "/fr/section/actualites/", "/fr/tag/transports/"])
def test_listings_date_todays_stories_relatively_and_keep_the_time_in_the_element(client, newsroom, clock, url):
    stamp = card_times(client, url)["Le pont de Valmont rouvre"]  # published 3 hours ago
    assert stamp.text_content() == "il y a 3 heures"
    local = newsroom.bridge.published_at.astimezone(site_zone())
    assert stamp.get("datetime") == local.isoformat(timespec="seconds")
    assert stamp.get("title") == cldr_datetime_in("fr", newsroom.bridge.published_at)  # "… (heure normale …)"
    assert stamp.get("title").endswith(")")


def cldr_datetime_in(lang: str, moment: datetime) -> str:
    from django.utils import translation

    from babelpress.site.templatetags.babelpress import cldr_datetime

    with translation.override(lang):
        return cldr_datetime(moment)


def test_older_stories_keep_their_date(client, newsroom, clock):
    stamp = card_times(client, "/fr/")["Le budget municipal adopté"]  # published a day ago
    assert stamp.text_content() == format_date(newsroom.budget.published_at.astimezone(site_zone()), "long", locale="fr")
    assert stamp.get("title") is None


@pytest.mark.parametrize("lang, expected", [("en", "2 hours ago"), ("hy", "2 ժամ առաջ")])
def test_in_every_language(client, newsroom, clock, lang, expected):
    assert expected in [t.text_content() for t in card_times(client, f"/{lang}/").values()]


def test_and_in_arabic(client, newsroom, clock, settings):
    if "ar" in settings.BABELPRESS_CONTENT_LANGUAGES:  # else /ar/ lists the default language's stories
        Article.objects.create(language="ar", headline="خبر", section=newsroom.news, status="published",
                               published_at=clock.now - timedelta(hours=3, minutes=5))
    assert "قبل 3 ساعات" in [t.text_content() for t in card_times(client, "/ar/").values()]


def test_the_article_page_dates_in_full_with_the_zone_and_its_related_cards_keep_dates(client, newsroom, clock):
    doc = lxml.html.fromstring(client.get(newsroom.budget.get_absolute_url()).content)
    dateline = " ".join(doc.cssselect(".dateline time")[0].text_content().split())
    assert dateline.endswith("(heure normale d’Europe centrale)")
    related = [t.text_content() for t in doc.cssselect("section.related time")]
    assert related and not any("il y a" in t for t in related)


def test_an_updated_story_names_the_zone_once(client, newsroom, clock):
    Article.objects.filter(pk=newsroom.bridge.pk).update(updated_at=newsroom.bridge.published_at + timedelta(hours=1))
    doc = lxml.html.fromstring(client.get(newsroom.bridge.get_absolute_url()).content)
    dateline = " ".join(doc.cssselect(".dateline")[0].text_content().split())
    assert dateline.count("heure normale d’Europe centrale") == 1 and "Mis à jour" in dateline


def test_the_armenian_edition_names_the_zone_in_armenian(client, newsroom, clock):
    doc = lxml.html.fromstring(client.get(newsroom.bridge_hy.get_absolute_url()).content)
    dateline = " ".join(doc.cssselect(".dateline time")[0].text_content().split())
    assert dateline.endswith("(Կենտրոնական Եվրոպայի ստանդարտ ժամանակ)")


# --- The page cache: never a stale relative time ---------------------------------------------------


def test_a_listing_is_kept_only_until_its_first_relative_time_changes(client, fresh, clock, page_cache,
                                                                      django_assert_num_queries):
    first = client.get("/fr/")
    assert card_times(client, "/fr/")["Le marché rouvre"].text_content() == "il y a 3 heures"
    assert get_max_age(first) == 30  # not BABELPRESS_PAGE_MAX_AGE: the label changes in 30 seconds
    clock.advance(seconds=29)
    with django_assert_num_queries(0):
        hit = client.get("/fr/")
    assert hit.content == first.content and get_max_age(hit) == 1  # counted down to the same moment
    clock.advance(seconds=1)
    again = client.get("/fr/")
    assert card_times(client, "/fr/")["Le marché rouvre"].text_content() == "il y a 4 heures"
    assert get_max_age(again) == 300  # the next change is an hour away; the usual max-age then
    # Revalidating by date alone gets the new words: the page changed when its label did.
    assert parse_http_date(again["Last-Modified"]) >= int((fresh.published_at + timedelta(hours=4)).timestamp())
    assert parse_http_date(again["Last-Modified"]) > parse_http_date(first["Last-Modified"])


def test_a_story_of_the_last_hour_keeps_its_listing_a_minute_at_most(client, newsroom, clock, page_cache):
    Article.objects.create(language="fr", headline="Dernière minute", section=newsroom.news, status="published",
                           published_at=clock.now - timedelta(minutes=7, seconds=15))
    assert get_max_age(client.get("/fr/")) == 45
    assert get_max_age(client.get("/fr/section/actualites/")) == 45
    assert get_max_age(client.get("/en/")) == 300  # another language's listings are not affected
    assert get_max_age(client.get(newsroom.bridge.get_absolute_url())) == 300  # nor article pages

