"""Publication dates of imported pages (ingest/dates.py, metadata.py): which date wins, and which
zone a timestamp without one is read in — never silently UTC, and always said."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from babelpress.ingest.messages import english

from babelpress.ingest.dates import Zone, page_zone, parse_datetime, stated_zone
from babelpress.ingest.extract import extract_article

URL = "https://quotidien.example/2019/03/pont-neuf"
TEXT = ("Le pont Neuf rouvre après deux ans de travaux de consolidation, et les riverains retrouvent enfin "
        "le passage le plus court entre les deux rives de la ville, fermé depuis l'hiver 2017.")
LATER_META = '<meta name="date" content="2024-06-01T09:00:00+02:00">'


@pytest.fixture(autouse=True)
def paris(settings):
    settings.TIME_ZONE = "Europe/Paris"


def page(head: str = "", body: str = "") -> str:
    paragraphs = "".join(f"<p>{n}. {TEXT}</p>" for n in range(1, 5))
    return (f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Le pont Neuf rouvre</title>'
            f'<link rel="canonical" href="{URL}">{head}</head><body><article><h1>Le pont Neuf rouvre</h1>'
            f"{body}{paragraphs}</article></body></html>")


def json_ld(date: str, *, wrap: tuple[str, str] = ("", ""), extra: str = "") -> str:
    data = f'{{"@context": "https://schema.org", "@type": "NewsArticle", "datePublished": "{date}"{extra}}}'
    return f'<script type="application/ld+json">{wrap[0]}{data}{wrap[1]}</script>'


# --- Which date -----------------------------------------------------------------------------------


@pytest.mark.parametrize("wrap", [
    ("<![CDATA[", "]]>"),
    ("//<![CDATA[\n", "\n//]]>"),
    ("/*<![CDATA[*/", "/*]]>*/"),
    ("<!--\n", "\n-->"),
    ("\n<!--//--><![CDATA[//><!--\n", "\n//--><!]]>\n"),
], ids=["cdata", "js-comment-cdata", "css-comment-cdata", "html-comment", "drupal"])
def test_json_ld_wrapped_in_cdata_or_a_comment_is_read_and_its_date_wins_over_a_later_meta_date(wrap):
    result = extract_article(page(json_ld("2019-03-12T10:00:00+01:00", wrap=wrap) + LATER_META), URL)
    assert result.published_at == datetime(2019, 3, 12, 9, 0, tzinfo=timezone.utc)
    assert not any("no time zone" in w or "no publication date" in w for w in result.warnings)


def test_without_json_ld_the_meta_date_is_used():
    result = extract_article(page(LATER_META), URL)
    assert result.published_at == datetime(2024, 6, 1, 7, 0, tzinfo=timezone.utc)


def test_order_json_ld_then_meta_then_time_element_then_the_guess():
    time_element = '<time itemprop="datePublished" datetime="2021-01-05T08:00:00+01:00">5 janvier 2021</time>'
    meta = '<meta property="article:published_time" content="2020-02-04T08:00:00+01:00">'
    ld = json_ld("2019-03-12T10:00:00+01:00")
    assert extract_article(page(ld + meta, time_element), URL).published_at.year == 2019
    assert extract_article(page(meta, time_element), URL).published_at.year == 2020
    assert extract_article(page("", time_element), URL).published_at.year == 2021


def test_the_main_article_of_the_json_ld_wins_over_a_related_story_listed_first():
    related = ('{"@type": "NewsArticle", "url": "https://quotidien.example/2024/05/autre", '
               '"datePublished": "2024-05-30T08:00:00+02:00"}')
    own = f'{{"@type": "NewsArticle", "mainEntityOfPage": {{"@id": "{URL}"}}, "datePublished": "2019-03-12T10:00:00+01:00"}}'
    head = f'<script type="application/ld+json">{{"@graph": [{related}, {own}]}}</script>'
    assert extract_article(page(head), URL).published_at == datetime(2019, 3, 12, 9, 0, tzinfo=timezone.utc)


def test_a_date_without_a_time_is_completed_by_another_statement_of_the_same_day():
    # The page's own article says only the day; a second JSON-LD block (a CMS plug-in) and the meta tag give times.
    own = ('<script type="application/ld+json">{"@type": "BlogPosting", "mainEntityOfPage": "' + URL + '", '
           '"datePublished": "2019-03-12"}</script>')
    plugin = ('<script type="application/ld+json">{"@graph": [{"@type": "WebPage", "url": "' + URL + '", '
              '"datePublished": "2019-03-12T10:15:00+01:00"}]}</script>')
    meta = '<meta property="article:published_time" content="2019-03-12T08:00:00+00:00">'
    assert extract_article(page(own + plugin + meta), URL).published_at == datetime(2019, 3, 12, 9, 15, tzinfo=timezone.utc)
    assert extract_article(page(own + meta), URL).published_at == datetime(2019, 3, 12, 8, 0, tzinfo=timezone.utc)
    other_day = '<meta property="article:published_time" content="2019-03-13T08:00:00+00:00">'
    assert extract_article(page(own + other_day), URL).published_at == datetime(2019, 3, 12, 12, 0, tzinfo=timezone.utc)


# --- Which zone, for a time that states none --------------------------------------------------------


def test_a_zone_less_time_is_read_in_the_site_zone_and_the_warning_says_so():
    result = extract_article(page(json_ld("2019-03-12T10:00:00")), URL)
    assert result.published_at == datetime(2019, 3, 12, 9, 0, tzinfo=timezone.utc)  # 10:00 in Paris, winter
    [warning] = [w for w in result.warnings if "no time zone" in w]
    assert "2019-03-12 10:00" in warning and "the site's time zone (Europe/Paris)" in warning
    assert "UTC" not in warning


def test_the_site_zone_is_the_configured_one(settings):
    settings.TIME_ZONE = "Asia/Yerevan"
    result = extract_article(page(json_ld("2019-03-12T10:00:00")), URL)
    assert result.published_at == datetime(2019, 3, 12, 6, 0, tzinfo=timezone.utc)
    assert any("(Asia/Yerevan)" in w for w in result.warnings)


def test_the_page_own_offset_is_used_before_the_site_zone():
    modified = ', "dateModified": "2019-03-13T16:20:00+04:00"'
    result = extract_article(page(json_ld("2019-03-12T10:00:00", extra=modified)), URL)
    assert result.published_at == datetime(2019, 3, 12, 6, 0, tzinfo=timezone.utc)  # 10:00 at UTC+04:00
    [warning] = [w for w in result.warnings if "no time zone" in w]
    assert "the page's own zone" in warning and "UTC+04:00" in warning


def test_a_time_element_that_names_utc_in_words_tells_the_zone():
    element = '<p><time datetime="2019-03-12 10:00:00 UTC">12 mars</time></p>'
    result = extract_article(page('<meta property="article:published_time" content="2019-03-12 10:00:00">', element), URL)
    assert result.published_at == datetime(2019, 3, 12, 10, 0, tzinfo=timezone.utc)
    assert any("the page's own zone (UTC+00:00" in w for w in result.warnings)


def test_the_offset_of_a_modified_meta_tag_or_a_time_element_tells_the_zone_too():
    meta = '<meta property="article:modified_time" content="2019-03-13T16:20:00-05:00">'
    assert extract_article(page(json_ld("2019-03-12T10:00:00") + meta), URL).published_at.utcoffset() == \
        timedelta(hours=-5)
    element = '<p>Mis à jour le <time datetime="2019-03-13T16:20:00+05:45">13 mars</time></p>'
    assert extract_article(page(json_ld("2019-03-12T10:00:00"), element), URL).published_at.utcoffset() == \
        timedelta(hours=5, minutes=45)


def test_a_page_offset_that_is_the_site_zone_s_keeps_summer_and_winter_time_apart():
    # Modified in summer (+02:00 in Paris), published in winter: 10:00 in winter is +01:00, not +02:00.
    modified = ', "dateModified": "2019-07-01T12:00:00+02:00"'
    result = extract_article(page(json_ld("2019-01-15T10:00:00", extra=modified)), URL)
    assert result.published_at == datetime(2019, 1, 15, 9, 0, tzinfo=timezone.utc)
    assert any("the page's own zone (Europe/Paris" in w for w in result.warnings)


def test_the_zone_the_caller_knows_comes_after_the_page_own_and_before_the_site_zone():
    feed = Zone(timezone(timedelta(hours=4)), "the feed's (UTC+04:00)")
    alone = extract_article(page(json_ld("2019-03-12T10:00:00")), URL, zone=feed)
    assert alone.published_at == datetime(2019, 3, 12, 6, 0, tzinfo=timezone.utc)
    assert any("the feed's (UTC+04:00)" in w for w in alone.warnings)
    modified = ', "dateModified": "2019-03-13T16:20:00-05:00"'
    with_own = extract_article(page(json_ld("2019-03-12T10:00:00", extra=modified)), URL, zone=feed)
    assert with_own.published_at.utcoffset() == timedelta(hours=-5)


def test_a_date_without_time_stays_noon_utc_whatever_the_zone():
    result = extract_article(page(json_ld("2019-03-12", extra=', "dateModified": "2019-03-13T16:20:00+04:00"')), URL)
    assert result.published_at == datetime(2019, 3, 12, 12, 0, tzinfo=timezone.utc)
    assert any("12:00 UTC assumed" in w for w in result.warnings)


def test_zone_helpers():
    assert stated_zone("2019-03-12T10:00:00", "x", "y") is None
    assert stated_zone("not a date", "x", "y") is None
    assert stated_zone("Tue, 12 Mar 2019 10:00:00 +0400", "the feed's zone", "its date says").said == \
        "the feed's zone (UTC+04:00, as its date says)"
    paris = stated_zone("2019-03-12T10:00:00+01:00", "the feed's zone", "its date says")
    assert paris.tz.key == "Europe/Paris" and paris.said == \
        "the feed's zone (Europe/Paris, as its date says: UTC+01:00 on 2019-03-12)"
    assert page_zone([]).said == "the site's time zone (Europe/Paris)"
    # RFC 5322: "-0000" says the zone is unknown
    assert parse_datetime("Tue, 12 Mar 2019 10:00:00 -0000")[1] is not None
    assert parse_datetime("Tue, 12 Mar 2019 10:00:00 GMT") == (datetime(2019, 3, 12, 10, tzinfo=timezone.utc), None)


# --- Feeds: the feed's zone ----------------------------------------------------------------------------

FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Quotidien</title>
<link>https://quotidien.example/</link><lastBuildDate>Wed, 13 Mar 2019 09:00:00 +0400</lastBuildDate>
<item><title>Le pont Neuf rouvre</title><link>{link}</link><pubDate>{date}</pubDate>
<description>{text}</description></item></channel></rss>"""


def test_a_feed_date_without_zone_is_read_in_the_zone_the_feed_shows_elsewhere_and_said():
    from babelpress.ingest.feeds import parse_feed
    from babelpress.ingest.sources.feed import candidate_from_entry

    [entry] = parse_feed(FEED.format(link=URL, date="Tue, 12 Mar 2019 10:00:00", text=TEXT).encode(),
                         "https://quotidien.example/rss").entries
    assert entry.published_at == datetime(2019, 3, 12, 6, 0, tzinfo=timezone.utc)  # feedparser would drop it
    candidate = candidate_from_entry(entry, None, "fr")
    assert candidate.published_at == entry.published_at
    assert any("the feed's zone (UTC+04:00" in w for w in candidate.warnings)


def test_the_page_of_a_feed_entry_takes_the_feed_s_zone_when_it_shows_none(monkeypatch):
    from babelpress.ingest.feeds import parse_feed
    from babelpress.ingest.sources.base import Defaults, Document
    from babelpress.ingest.sources.feed import FeedSource

    [entry] = parse_feed(FEED.format(link=URL, date="Tue, 12 Mar 2019 10:00:00 +0400", text=TEXT).encode(),
                         "https://quotidien.example/rss").entries
    html = page(json_ld("2019-03-12T10:05:00"))
    source = FeedSource("feed")
    monkeypatch.setattr(source, "fetch", lambda url, defaults, accept=None: Document(
        content=html.encode(), text=html, url=URL, content_type="text/html"))
    candidate = source.entry_story(entry, Defaults.of(language="fr"))
    assert candidate.published_at == datetime(2019, 3, 12, 6, 5, tzinfo=timezone.utc)
    assert any("the feed's zone (UTC+04:00, as its date for this entry says)" in w for w in candidate.warnings)


# --- Stored: the original date on the article, the assumed zone on the import record ---------------------------


def test_an_imported_page_keeps_its_original_date_on_the_article_and_says_the_zone_assumed(sections):
    from babelpress.ingest import pipeline

    outcome = pipeline.import_file(page(json_ld("2019-03-12T10:00:00")), filename="pont.html", language="fr")
    assert outcome.status == "new", outcome.reason
    assert outcome.article.originally_published_at == datetime(2019, 3, 12, 9, 0, tzinfo=timezone.utc)
    assert outcome.item.original_published_at == outcome.article.originally_published_at
    assert any("the site's time zone (Europe/Paris) was assumed" in english(w) for w in outcome.item.warnings)
    assert outcome.article.published_at is None  # in review: its date on the site is the editor's choice
