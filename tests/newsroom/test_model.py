"""The content model: one row per language sharing a translation key, and its verb API."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from babelpress.newsroom.models import Article, StaleEdit
from babelpress.newsroom.sanitize import clean_body
from babelpress.newsroom.slugs import make_slug


def test_translations_share_one_key_and_are_unique_per_language(newsroom):
    keys = {a.translation_key for a in (newsroom.bridge, newsroom.bridge_en, newsroom.bridge_hy)}
    assert keys == {newsroom.bridge.translation_key}
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(
            translation_key=newsroom.bridge.translation_key, language="en", headline="Duplicate", section=newsroom.news
        )


def test_translations_lists_the_other_versions(newsroom):
    assert [a.language for a in newsroom.bridge.translations()] == ["en", "hy"]
    assert [a.language for a in newsroom.bridge.translations(include_self=True)] == ["en", "fr", "hy"]


def test_translations_published_only_hides_drafts(newsroom):
    draft_ru = newsroom.bridge.create_translation("ru")
    assert draft_ru.status == Article.Status.DRAFT
    assert "ru" in [a.language for a in newsroom.bridge.translations()]
    assert "ru" not in [a.language for a in newsroom.bridge.translations(published_only=True)]


def test_get_translation_returns_self_the_version_or_none(newsroom):
    assert newsroom.bridge.get_translation("fr") == newsroom.bridge
    assert newsroom.bridge.get_translation("en") == newsroom.bridge_en
    assert newsroom.bridge.get_translation("ru") is None


def test_get_translation_fallback_is_the_default_language_then_the_original(newsroom, settings):
    assert newsroom.bridge_en.get_translation("ru", fallback=True) == newsroom.bridge  # default language fr
    settings.BABELPRESS_DEFAULT_LANGUAGE = "ru"
    assert newsroom.bridge_hy.get_translation("ar", fallback=True) == newsroom.bridge  # the original
    assert newsroom.festival.get_translation("fr", fallback=True) == newsroom.festival  # only itself


def test_create_translation_records_provenance_and_refuses_a_second_copy(newsroom):
    assert newsroom.bridge_en.translated_from == newsroom.bridge
    assert newsroom.bridge_en.translation_method == Article.TranslationMethod.HUMAN
    assert newsroom.bridge.translation_method == ""
    with pytest.raises(ValidationError):
        newsroom.bridge.create_translation("en")


def test_slug_is_made_from_the_headline_and_unique_per_language(newsroom):
    assert newsroom.bridge.slug == "le-pont-de-valmont-rouvre"
    assert newsroom.bridge_hy.slug == "valmoni-kamurjy-verabatsvum-e"
    twin = Article.objects.create(language="fr", headline="Le pont de Valmont rouvre", section=newsroom.news)
    assert twin.slug == "le-pont-de-valmont-rouvre-2"
    same_slug_other_language = Article.objects.create(language="en", headline="Le pont de Valmont rouvre", section=newsroom.news)
    assert same_slug_other_language.slug == "le-pont-de-valmont-rouvre"


@pytest.mark.parametrize(
    "text, slug",
    [
        ("Élection à l’Assemblée", "election-a-lassemblee"),
        ("Москва: новый мост", "moskva-novyy-most"),
        ("Հայաստանի ուսանողները", "hayastani-usanoghnery"),
        ("!!!", "story"),
    ],
)
def test_slugs_are_ascii_in_every_script(text, slug):
    assert make_slug(text) == slug


def test_body_keeps_structure_and_drops_anything_dangerous():
    dirty = (
        '<h1>Titre</h1><h2>Partie</h2><h4>Détail</h4><p onclick="x()">Texte <a href="javascript:alert(1)">a</a>'
        ' <a href="https://ok.example.org">b</a></p><script>alert(1)</script><img src="https://i.example.org/a.jpg" alt="Un pont" onerror="x()">'
        "<ul><li>un</li></ul><blockquote>cit</blockquote><iframe src=\"https://evil.example.org\"></iframe>"
    )
    clean = clean_body(dirty)
    assert "<h2>Titre</h2><h2>Partie</h2><h3>Détail</h3>" in clean
    assert "script" not in clean and "onclick" not in clean and "onerror" not in clean and "iframe" not in clean
    assert "javascript:" not in clean
    assert '<a href="https://ok.example.org" rel="noopener noreferrer">b</a>' in clean
    assert '<img src="https://i.example.org/a.jpg" alt="Un pont">' in clean
    assert "<ul><li>un</li></ul><blockquote>cit</blockquote>" in clean


def test_publishing_stamps_a_date(newsroom):
    assert newsroom.draft.published_at is None
    newsroom.draft.status = Article.Status.PUBLISHED
    newsroom.draft.save()
    assert newsroom.draft.published_at is not None


def test_a_published_article_without_a_date_is_refused_by_the_database(newsroom):
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=newsroom.draft.pk).update(status="published")


def test_two_editors_saving_at_once_the_second_is_refused(newsroom):
    first = Article.objects.get(pk=newsroom.bridge.pk)
    second = Article.objects.get(pk=newsroom.bridge.pk)
    first.headline = "Première version"
    first.save_if_current(first.version)
    second.headline = "Seconde version"
    with translation.override("en"), pytest.raises(StaleEdit, match="Reload"):
        second.save_if_current(second.version)
    assert Article.objects.get(pk=newsroom.bridge.pk).headline == "Première version"


def test_every_save_is_version_checked_so_a_stale_copy_never_overwrites(newsroom):
    # No caller has to remember the check: a plain save() from an older read is refused too.
    worker_copy = Article.objects.get(pk=newsroom.bridge.pk)
    editor_copy = Article.objects.get(pk=newsroom.bridge.pk)
    editor_copy.headline = "Le pont rouvre enfin"
    editor_copy.save()
    worker_copy.status = Article.Status.DRAFT

    with pytest.raises(StaleEdit):
        worker_copy.save()

    row = Article.objects.get(pk=newsroom.bridge.pk)
    assert (row.headline, row.status, row.version) == ("Le pont rouvre enfin", "published", 2)
    assert worker_copy.version == 1  # refused: the copy still says what it was read at


def test_each_save_moves_the_version_on_by_one(newsroom):
    article = Article.objects.get(pk=newsroom.budget.pk)
    article.save()
    article.save(update_fields=["headline"])

    assert article.version == Article.objects.get(pk=article.pk).version == 3


def test_a_stale_save_does_not_bring_a_deleted_article_back(newsroom):
    copy = Article.objects.get(pk=newsroom.draft.pk)
    Article.objects.filter(pk=newsroom.draft.pk).delete()

    with pytest.raises(StaleEdit):
        copy.save()

    assert not Article.objects.filter(pk=newsroom.draft.pk).exists()


def test_language_must_be_a_content_language(newsroom):
    article = Article(language="de", headline="x", section=newsroom.news)
    with pytest.raises(ValidationError):
        article.full_clean()
