"""The newsroom's admin: write an article, set credits, link it to its translations.

What other apps add to these screens is specified with them: tests/translation/test_article_admin.py,
tests/ingest/test_import_admin.py; the extension points themselves in test_admin_extensions.py."""

from __future__ import annotations

from django.urls import reverse

from babelpress.newsroom.models import Article


def form_data(article, **changes):
    data = {
        "language": article.language, "headline": article.headline, "alternative_headline": article.alternative_headline,
        "slug": article.slug, "standfirst": article.standfirst, "body": article.body, "summary": article.summary,
        "section": article.section_id, "status": article.status,
        "published_at_0": article.published_at.strftime("%Y-%m-%d") if article.published_at else "",
        "published_at_1": article.published_at.strftime("%H:%M:%S") if article.published_at else "",
        "author": article.author_id or "", "source": article.source_id or "", "original_url": article.original_url,
        "translation_method": article.translation_method, "translation_engine": article.translation_engine,
        "translated_from": article.translated_from_id or "", "loaded_version": article.version,
    }
    data.update(changes)
    return data


def test_every_model_has_an_admin(editor, newsroom):
    for model in ("article", "section", "source", "author", "tag"):
        assert editor.get(reverse(f"admin:newsroom_{model}_changelist")).status_code == 200


def test_article_list_filters_by_language_status_and_section(editor, newsroom):
    response = editor.get(reverse("admin:newsroom_article_changelist"), {"language__exact": "en"})
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert {a.language for a in rows} == {"en"}
    response = editor.get(reverse("admin:newsroom_article_changelist"), {"status__exact": "draft"})
    assert list(response.context["cl"].result_list) == [newsroom.draft]
    response = editor.get(reverse("admin:newsroom_article_changelist"), {"section__id__exact": newsroom.culture.pk})
    assert list(response.context["cl"].result_list) == [newsroom.festival]


def test_editor_writes_an_article(editor, newsroom):
    response = editor.post(reverse("admin:newsroom_article_add"), {
        "language": "fr", "headline": "Une nouvelle ligne de tram", "standfirst": "Elle ouvre en mars.",
        "body": "<h2>Le tracé</h2><p>Douze stations.</p><script>x</script>", "summary": "En mars.",
        "section": newsroom.news.pk, "status": "draft", "source": newsroom.agency.pk, "author": newsroom.claire.pk,
        "original_url": "https://lumiere.example.org/tram",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    article = Article.objects.get(headline="Une nouvelle ligne de tram")
    assert article.slug == "une-nouvelle-ligne-de-tram"
    assert article.body == "<h2>Le tracé</h2><p>Douze stations.</p>"
    assert article.source == newsroom.agency and article.author == newsroom.claire


def test_linking_an_existing_article_as_a_translation(editor, newsroom):
    lone = Article.objects.create(language="ru", headline="Мост открыт", section=newsroom.news)
    response = editor.post(
        reverse("admin:newsroom_article_change", args=[lone.pk]), form_data(lone, translation_of=newsroom.bridge.pk)
    )
    assert response.status_code == 302
    lone.refresh_from_db()
    assert lone.translation_key == newsroom.bridge.translation_key
    assert lone.translated_from == newsroom.bridge


def test_linking_refuses_a_language_the_story_already_has(editor, newsroom):
    lone = Article.objects.create(language="en", headline="Another bridge", section=newsroom.news)
    response = editor.post(
        reverse("admin:newsroom_article_change", args=[lone.pk]), form_data(lone, translation_of=newsroom.bridge.pk)
    )
    assert response.status_code == 200
    assert "already has a version in this language" in response.content.decode()


def test_a_stale_save_is_refused_and_keeps_the_first_editors_work(editor, newsroom):
    url = reverse("admin:newsroom_article_change", args=[newsroom.bridge.pk])
    stale = form_data(newsroom.bridge, headline="Second editor's headline")
    first = editor.post(url, form_data(newsroom.bridge, headline="First editor's headline"))
    assert first.status_code == 302
    second = editor.post(url, stale)
    assert second.status_code == 200
    assert "Someone else saved this article" in second.content.decode()
    newsroom.bridge.refresh_from_db()
    assert newsroom.bridge.headline == "First editor's headline"
    assert newsroom.bridge.version == 2


def test_editing_a_machine_translation_by_hand_makes_it_a_human_translation(editor, newsroom):
    Article.objects.filter(pk=newsroom.bridge_en.pk).update(translation_method="machine", translation_engine="local")
    newsroom.bridge_en.refresh_from_db()
    url = reverse("admin:newsroom_article_change", args=[newsroom.bridge_en.pk])
    response = editor.post(url, form_data(newsroom.bridge_en, headline="Valmont bridge reopens, at last"))
    assert response.status_code == 302
    newsroom.bridge_en.refresh_from_db()
    assert newsroom.bridge_en.translation_method == "human"
    assert newsroom.bridge_en.headline == "Valmont bridge reopens, at last"


def test_article_list_shows_each_storys_languages_without_a_query_per_row(editor, newsroom, django_assert_max_num_queries):
    url = reverse("admin:newsroom_article_changelist")
    with django_assert_max_num_queries(12) as captured:
        response = editor.get(url)
    few = len(captured)
    for i in range(10):
        Article.objects.create(language="fr", headline=f"Encore {i}", section=newsroom.news)
    with django_assert_max_num_queries(few):
        response = editor.get(url)
    row = next(r for r in response.context["cl"].result_list if r.pk == newsroom.bridge.pk)
    assert languages_column(row) == "en, fr, hy"


def languages_column(article):
    from django.contrib import admin as django_admin

    return django_admin.site._registry[Article].languages_list(article)
