"""What public pages remember between requests (babelpress/site/memo.py): sections once per content
version, the HTML of each story (its card, its article blocks) by the data it shows. An edit shows on
the next request, with the page cache off as well as on; pages are the same with the memory off."""

from __future__ import annotations

from datetime import timedelta

import lxml.html
import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils import timezone

from babelpress.newsroom.models import Article, Author, SectionName, Tag
from babelpress.site import memo, pages


def doc_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def words(element) -> str:
    return " ".join(element.text_content().split())


def card_headlines(doc) -> list[str]:
    return [words(a) for a in doc.cssselect(".card__headline a")]


@pytest.fixture
def seen(client, newsroom):
    """Every page showing the bridge story rendered once, so that its fragments are remembered."""
    urls = ["/fr/", "/fr/section/actualites/", "/fr/tag/transports/", newsroom.budget.get_absolute_url(),
            newsroom.bridge.get_absolute_url()]
    for url in urls:
        doc_of(client, url)
    return urls


def test_an_edited_headline_shows_at_once_on_every_page_that_shows_the_story(client, newsroom, seen):
    newsroom.bridge.headline = "Le pont de Valmont rouvre enfin"
    newsroom.bridge.save()
    for url in ("/fr/", "/fr/section/actualites/", "/fr/tag/transports/", newsroom.budget.get_absolute_url()):
        assert "Le pont de Valmont rouvre enfin" in card_headlines(doc_of(client, url)), url
    doc = doc_of(client, newsroom.bridge.get_absolute_url())
    assert words(doc.cssselect("h1")[0]) == "Le pont de Valmont rouvre enfin"
    assert doc.cssselect('meta[property="og:title"]')[0].get("content") == "Le pont de Valmont rouvre enfin"


def test_a_renamed_section_shows_in_cards_navigation_and_articles(client, newsroom, seen):
    name = SectionName.objects.get(section=newsroom.news, language="fr")
    name.name = "Infos"
    name.save()
    home = doc_of(client, "/fr/")
    assert {words(k) for k in home.cssselect(".card .kicker")} == {"Infos"}
    assert "Infos" in [words(a) for a in home.cssselect(".sections-nav a")]
    article = doc_of(client, newsroom.bridge.get_absolute_url())
    assert "Infos" in words(article.cssselect(".story .kicker")[0])


def test_renamed_credits_show_in_cards_and_bylines(client, newsroom, seen):
    newsroom.agency.name = "Agence Soleil"
    newsroom.agency.save()
    newsroom.claire.name = "Claire Durand"
    newsroom.claire.save()
    assert all("Agence Soleil" in words(m) for m in doc_of(client, "/fr/").cssselect(".card__meta"))
    byline = words(doc_of(client, newsroom.bridge.get_absolute_url()).cssselect(".byline")[0])
    assert "Claire Durand" in byline and "Agence Soleil" in byline


def test_a_new_co_author_tag_or_translation_shows_on_the_article_page(client, newsroom, seen):
    from babelpress.newsroom.coauthors import set_coauthors

    set_coauthors(newsroom.bridge, [Author.objects.create(name="Marie Curie")])
    newsroom.bridge.tags.add(Tag.objects.create(language="fr", name="Ponts"))
    newsroom.bridge.create_translation("ru", headline="Мост открыт", status=Article.Status.PUBLISHED,
                                      published_at=timezone.now() - timedelta(minutes=5))
    doc = doc_of(client, newsroom.bridge.get_absolute_url())
    assert "Marie Curie" in words(doc.cssselect(".byline")[0])
    assert [words(a) for a in doc.cssselect(".tags a")] == ["Ponts", "Transports"]
    assert doc.cssselect('link[rel="alternate"][hreflang="ru"]') and doc.cssselect('a[hreflang="ru"][href^="/ru/"]')


def test_a_story_scheduled_for_later_appears_when_its_time_comes(client, newsroom, clock, seen):
    later = Article.objects.create(language="fr", headline="À paraître", section=newsroom.news,
                                   status=Article.Status.PUBLISHED, published_at=clock.now + timedelta(minutes=10))
    assert "À paraître" not in card_headlines(doc_of(client, "/fr/"))
    clock.advance(minutes=11)
    assert card_headlines(doc_of(client, "/fr/"))[0] == "À paraître"
    assert words(doc_of(client, later.get_absolute_url()).cssselect("h1")[0]) == "À paraître"


def test_pages_are_the_same_with_the_fragment_memory_off(client, newsroom, settings):
    urls = ["/fr/", "/en/", "/ar/", "/fr/section/actualites/", "/fr/tag/transports/",
            newsroom.bridge.get_absolute_url(), newsroom.bridge_en.get_absolute_url()]
    remembered = [client.get(url).content for url in urls for _ in range(2)][1::2]
    settings.BABELPRESS_FRAGMENT_MEMORY = False
    assert [client.get(url).content for url in urls] == remembered


def test_once_sections_are_known_a_page_costs_only_its_own_queries(client, newsroom, django_assert_num_queries):
    for url, queries in (("/fr/", 1), ("/fr/section/actualites/", 2), ("/fr/tag/transports/", 3),
                         (newsroom.bridge.get_absolute_url(), 5)):
        doc_of(client, url)
        with django_assert_num_queries(queries):  # the story, its credits, translations, related stories, tags
            doc_of(client, url)


def test_a_fragment_shows_only_the_variables_it_names(rf: RequestFactory, settings):
    template = engines["django"].from_string(
        "{% load babelpress %}{% fragment a %}[{{ a }}|{{ b }}|{{ site_name }}]{% endfragment %}")
    request = rf.get("/fr/")
    assert template.render({"a": 1, "b": 2}, request) == f"[1||{settings.SITE_NAME}]"
    assert template.render({"a": 1, "b": 3}, request) == f"[1||{settings.SITE_NAME}]"
    assert template.render({"a": 2, "b": 3}, request) == f"[2||{settings.SITE_NAME}]"


def test_what_cannot_be_told_from_a_key_is_rendered_every_time(rf: RequestFactory):
    template = engines["django"].from_string("{% load babelpress %}{% fragment a %}{{ a.value }}{% endfragment %}")

    class Thing:
        value = 1

    thing = Thing()
    assert template.render({"a": thing}, rf.get("/")) == "1"
    thing.value = 2
    assert template.render({"a": thing}, rf.get("/")) == "2"


def test_the_fragment_memory_is_bounded():
    fragments = memo.Fragments(2)
    for key in "abc":
        fragments.put(key, key.upper())
    assert fragments.get("a") is None and fragments.get("c") == "C"
    fragments.get("b")
    fragments.put("d", "D")  # the least recently used goes first
    assert fragments.get("b") == "B" and fragments.get("c") is None


def test_sections_are_read_once_per_content_version(newsroom, django_assert_num_queries):
    pages.sections_for("fr")
    with django_assert_num_queries(0):
        assert [s.display.name for s in pages.sections_for("fr")] == ["Actualités", "Culture"]
    SectionName.objects.filter(section=newsroom.culture, language="fr").get().delete()  # a delete bumps the version
    assert [s.display for s in pages.sections_for("fr")][1] is None


def test_a_story_given_more_after_it_was_read_is_told_by_all_it_holds(newsroom):
    story = pages.article_for_page("fr", newsroom.bridge.slug)
    before = memo.fingerprint(story)
    assert memo.fingerprint(pages.article_for_page("fr", newsroom.bridge.slug)) == before
    story.note = "added by a view"
    assert memo.fingerprint(story) != before and "added by a view" in str(memo.fingerprint(story))
