"""The demo newsroom in Arabic: originals and translations on every page type, and a reader who
starts on /ar/ stays in Arabic from page to page."""

from __future__ import annotations

from collections import Counter
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from django.db.models import Count

from babelpress.newsroom import demo_loader
from babelpress.newsroom.models import Article, Section, Tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    demo_loader.load_demo()


def arabic_stories():
    return Article.objects.published().filter(language="ar")


def test_the_demo_has_arabic_originals_translated_and_arabic_translations_of_others(demo):
    originals = arabic_stories().filter(translation_method="")
    translations = arabic_stories().exclude(translation_method="")

    assert originals.count() >= 3 and translations.count() >= 3
    translated = Article.objects.published().filter(translated_from__in=originals)
    assert set(translated.values_list("language", flat=True)) >= {"en", "fr"}
    assert set(translations.values_list("translated_from__language", flat=True)) == {"fr", "en", "hy"}
    assert set(translations.values_list("translation_method", flat=True)) == {Article.TranslationMethod.HUMAN}


def test_every_section_is_named_in_arabic_and_holds_arabic_stories(demo):
    for section in Section.objects.all():
        name = section.names.get(language="ar")
        assert name.name and name.slug.isascii()
        assert arabic_stories().filter(section=section).count() >= 2


def test_arabic_stories_have_subheadings_and_share_arabic_tags(demo):
    for story in arabic_stories():
        assert story.body.count("<h2>") >= 2 and story.summary and story.tags.exists(), story.headline
    shared = Tag.objects.filter(language="ar").annotate(stories=Count("articles")).filter(stories__gte=2)
    assert shared.count() >= 3


def reading_links(doc, here: str):
    """The paths a reader follows to read on: not the language choices (they carry hreflang), not
    a place in the page, not another site."""
    for a in doc.cssselect("a[href]"):
        href = a.get("href")
        if a.get("hreflang") or href.startswith("#"):
            continue
        address = urlsplit(urljoin("http://localhost" + here, href))
        if address.netloc == "localhost":
            yield address.path


def test_a_reader_on_the_arabic_site_stays_in_arabic_on_every_page(client, demo):
    seen, to_read, kinds = set(), ["/ar/"], Counter()
    while to_read:
        path = to_read.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code == 200, path
        doc = lxml.html.fromstring(response.content)
        assert (doc.get("lang"), doc.get("dir")) == ("ar", "rtl"), path
        assert not doc.cssselect('.card[lang]:not([lang="ar"])'), f"{path} lists a story in another language"
        kinds[path.split("/")[2] or "home"] += 1
        for link in reading_links(doc, path):
            if not link.startswith("/static/"):
                assert link.startswith("/ar/"), f"{path} links to {link}"
                to_read.append(link)

    assert kinds["home"] == 1 and kinds["section"] == Section.objects.count()
    assert kinds["article"] == arabic_stories().count()
    assert kinds["tag"] == Tag.objects.filter(language="ar").count()


def test_an_arabic_original_offers_its_translations_and_a_translation_says_where_it_comes_from(client, demo):
    original = arabic_stories().filter(translation_method="").annotate(n=Count("derived_translations")).order_by("-n")[0]
    doc = lxml.html.fromstring(client.get(original.get_absolute_url()).content)
    offered = {a.get("hreflang") for a in doc.cssselect(".language-picker__available a")}
    assert offered >= {"ar", "en", "fr"}
    english = original.get_translation("en")
    doc = lxml.html.fromstring(client.get(english.get_absolute_url()).content)
    assert " ".join(doc.cssselect(".provenance")[0].text_content().split()) == "Translated from Arabic"
    assert doc.cssselect(f'link[rel="alternate"][hreflang="ar"][href$="{original.get_absolute_url()}"]')
