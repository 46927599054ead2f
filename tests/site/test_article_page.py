"""The article page: every element a reader sees, in the reader's language."""

from __future__ import annotations

import json

import lxml.html
import pytest

from babelpress.newsroom.coauthors import set_coauthors
from babelpress.newsroom.models import Article, Author


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response, lxml.html.fromstring(response.content)


def text(node):
    return " ".join(node.text_content().split())


def test_html_lang_and_dir_follow_the_language(client, newsroom):
    _, doc = page(client, newsroom.bridge.get_absolute_url())
    assert doc.get("lang") == "fr" and doc.get("dir") == "ltr"
    _, doc = page(client, "/ar/")
    assert doc.get("lang") == "ar" and doc.get("dir") == "rtl"


def test_language_picker_lists_each_translation_and_the_missing_languages_apart(client, newsroom):
    _, doc = page(client, newsroom.bridge.get_absolute_url())
    picker = doc.cssselect("nav.language-picker")[0]
    assert text(picker.cssselect(".language-picker__title")[0]) == "Choisissez votre langue"
    links = {a.get("hreflang"): a.get("href") for a in picker.cssselect(".language-picker__available a")}
    assert links == {
        "fr": newsroom.bridge.get_absolute_url(),
        "en": newsroom.bridge_en.get_absolute_url(),
        "hy": newsroom.bridge_hy.get_absolute_url(),
    }
    assert picker.cssselect('a[aria-current="page"]')[0].get("hreflang") == "fr"
    missing = {a.get("hreflang"): a.get("href") for a in picker.cssselect(".language-picker__missing a")}
    assert missing == {"ru": "/ru/", "ar": "/ar/"}


def test_picker_leads_to_the_same_story_in_english(client, newsroom):
    _, doc = page(client, newsroom.bridge.get_absolute_url())
    english = doc.cssselect('.language-picker__available a[hreflang="en"]')[0].get("href")
    _, doc = page(client, english)
    assert text(doc.cssselect("h1")[0]) == "Valmont bridge reopens"
    assert doc.get("lang") == "en"
    assert text(doc.cssselect(".language-picker__title")[0]) == "Choose your language"


def test_section_kicker_headline_standfirst_and_byline(client, newsroom):
    _, doc = page(client, newsroom.bridge.get_absolute_url())
    kicker = doc.cssselect(".story__header .kicker")[0]
    assert text(kicker) == "Publié dans Actualités"
    assert kicker.cssselect("a")[0].get("href") == "/fr/section/actualites/"
    assert text(doc.cssselect("h1.story__headline")[0]) == "Le pont de Valmont rouvre"
    assert text(doc.cssselect(".story__alt-headline")[0]) == "Un chantier de deux ans"
    assert text(doc.cssselect(".story__standfirst")[0]).startswith("Après deux ans de travaux")
    byline = doc.cssselect(".byline")[0]
    assert text(byline).startswith("Par Claire Dubois, Agence Lumière")
    assert byline.cssselect("a.byline__original")[0].get("href") == "https://lumiere.example.org/2026/pont"


def test_date_is_localized_by_cldr(client, newsroom):
    _, doc = page(client, newsroom.bridge.get_absolute_url())
    stamp = doc.cssselect(".dateline time")[0]
    published = newsroom.bridge.published_at
    from babel.dates import format_date
    from zoneinfo import ZoneInfo
    from django.conf import settings

    local = published.astimezone(ZoneInfo(settings.TIME_ZONE))
    assert stamp.get("datetime") == local.isoformat(timespec="seconds")  # the instant, with the offset of the time shown
    assert format_date(local, "long", locale="fr") in text(stamp)


def test_body_subheadings_summary_and_tags(client, newsroom):
    _, doc = page(client, newsroom.bridge.get_absolute_url())
    body = doc.cssselect(".story__body")[0]
    assert [text(h) for h in body.cssselect("h2")] == ["Deux ans de travaux"]
    assert [text(h) for h in body.cssselect("h3")] == ["Le chantier"]
    assert len(body.cssselect("li")) == 2 and body.cssselect("blockquote")
    summary = doc.cssselect("aside.summary-box")[0]
    assert text(summary.cssselect("h2")[0]) == "En bref"
    assert "Le pont rouvre lundi." in text(summary)
    tag = doc.cssselect(".tags a")[0]
    assert text(tag) == "Transports" and tag.get("href") == "/fr/tag/transports/"


@pytest.mark.parametrize(
    "lang, count, expected",
    [
        ("fr", 0, "0 commentaire"),
        ("fr", 1, "1 commentaire"),
        ("fr", 2, "2 commentaires"),
        ("en", 0, "0 comments"),
        ("en", 1, "1 comment"),
        ("hy", 0, "0 մեկնաբանություն"),
    ],
)
def test_comment_count_uses_cldr_plurals(client, newsroom, lang, count, expected):
    story = {"fr": newsroom.bridge, "en": newsroom.bridge_en, "hy": newsroom.bridge_hy}[lang]
    Article.objects.filter(pk=story.pk).update(comment_count=count)
    _, doc = page(client, story.get_absolute_url())
    assert text(doc.cssselect(".comment-count")[0]) == expected


def test_comment_count_is_zero_until_comments_exist(client, newsroom):
    assert newsroom.bridge.comment_count == 0
    _, doc = page(client, newsroom.bridge.get_absolute_url())
    assert text(doc.cssselect(".comment-count")[0]) == "0 commentaire"


def test_read_also_lists_other_stories_of_the_section_in_the_same_language(client, newsroom):
    _, doc = page(client, newsroom.bridge.get_absolute_url())
    related = doc.cssselect("section.related")[0]
    assert text(related.cssselect("h2")[0]) == "Vous pouvez lire aussi…"
    links = [a.get("href") for a in related.cssselect(".card__headline a")]
    assert links == [newsroom.budget.get_absolute_url()]  # not itself, not the draft, not other languages


def test_no_read_also_box_when_the_section_has_nothing_else(client, newsroom):
    _, doc = page(client, newsroom.festival.get_absolute_url())
    assert not doc.cssselect("section.related")


def test_hreflang_alternates_are_reciprocal_with_x_default(client, newsroom):
    sets = {}
    for story in (newsroom.bridge, newsroom.bridge_en, newsroom.bridge_hy):
        _, doc = page(client, story.get_absolute_url())
        sets[story.language] = {
            link.get("hreflang"): link.get("href") for link in doc.cssselect('link[rel="alternate"][hreflang]')
        }
        assert doc.cssselect('link[rel="canonical"]')[0].get("href") == "http://localhost" + story.get_absolute_url()
    first = sets["fr"]
    assert set(first) == {"fr", "en", "hy", "x-default"}
    assert all(s == first for s in sets.values())
    assert first["x-default"] == "http://localhost" + newsroom.bridge.get_absolute_url()
    assert all(href.startswith("http://localhost/") for href in first.values())


def test_open_graph_and_json_ld(client, newsroom):
    _, doc = page(client, newsroom.bridge_en.get_absolute_url())
    og = {m.get("property"): m.get("content") for m in doc.cssselect("meta[property]")}
    assert og["og:type"] == "article" and og["og:title"] == "Valmont bridge reopens"
    assert og["og:locale"] == "en" and og["article:section"] == "News"
    data = json.loads(doc.cssselect('script[type="application/ld+json"]')[0].text)
    assert data["@type"] == "NewsArticle" and data["inLanguage"] == "en"
    assert data["headline"] == "Valmont bridge reopens"
    assert data["author"][0] == {"@type": "Person", "name": "Claire Dubois"}
    assert data["isBasedOn"] == "https://lumiere.example.org/2026/pont"
    assert data["translationOfWork"]["inLanguage"] == "fr"


def test_json_ld_cannot_be_broken_out_of(client, newsroom):
    Article.objects.filter(pk=newsroom.bridge.pk).update(headline="</script><script>alert(1)</script>")
    response, doc = page(client, newsroom.bridge.get_absolute_url())
    assert b"<script>alert(1)" not in response.content
    data = json.loads(doc.cssselect('script[type="application/ld+json"]')[0].text)
    assert data["headline"] == "</script><script>alert(1)</script>"


def test_translation_label_tells_how_the_text_was_translated(client, newsroom):
    _, doc = page(client, newsroom.bridge_en.get_absolute_url())
    assert text(doc.cssselect(".provenance")[0]) == "Translated from French"
    _, doc = page(client, newsroom.bridge.get_absolute_url())
    assert not doc.cssselect(".provenance")


def test_article_page_costs_a_fixed_number_of_queries(client, newsroom, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        page(client, newsroom.bridge.get_absolute_url())
    # More translations, co-authors and related stories do not cost more queries.
    for lang in ("ru",):
        newsroom.bridge.create_translation(lang, status=Article.Status.PUBLISHED)
    set_coauthors(newsroom.bridge, [Author.objects.create(name=f"Co Auteur {i}") for i in range(3)])
    for i in range(5):
        Article.objects.create(language="fr", headline=f"Autre {i}", section=newsroom.news, status="published")
    with django_assert_max_num_queries(7):
        page(client, newsroom.bridge.get_absolute_url())


def test_public_pages_are_cacheable_and_identical_for_every_reader(client, newsroom):
    response, _ = page(client, newsroom.bridge.get_absolute_url())
    assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
    assert response["Last-Modified"]
    assert not response.cookies
    assert b"csrfmiddlewaretoken" not in response.content
    again = client.get(newsroom.bridge.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304


def test_a_later_edit_changes_last_modified(client, newsroom, content_clock):
    first, _ = page(client, newsroom.bridge.get_absolute_url())
    newsroom.bridge_en.headline = "Valmont bridge reopens at last"
    content_clock.advance(seconds=2)  # HTTP dates have one-second resolution
    newsroom.bridge_en.save()
    second, _ = page(client, newsroom.bridge.get_absolute_url())
    assert second["Last-Modified"] != first["Last-Modified"]
