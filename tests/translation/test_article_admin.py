"""What translation adds to the newsroom's article screens (babelpress/translation/article_admin.py,
registered in TranslationConfig.ready()): the "this story in other languages" panel and its
"Create a draft in this language" buttons, and the "Translate the selected originals" action."""

from __future__ import annotations

from django.urls import reverse

from babelpress.translation import registry
from babelpress.translation.models import TranslationJob


def test_translations_panel_creates_a_draft_in_a_missing_language(editor, newsroom):
    change = editor.get(reverse("admin:newsroom_article_change", args=[newsroom.bridge.pk]))
    assert reverse("admin:newsroom_article_translate", args=[newsroom.bridge.pk, "ru"]).encode() in change.content
    assert not newsroom.bridge.translations().filter(language="ru").exists()
    response = editor.post(reverse("admin:newsroom_article_translate", args=[newsroom.bridge.pk, "ru"]))
    draft = newsroom.bridge.translations().get(language="ru")
    assert response["Location"] == reverse("admin:newsroom_article_change", args=[draft.pk])
    assert draft.status == "draft" and draft.translated_from == newsroom.bridge
    # A second click does not make a second copy.
    editor.post(reverse("admin:newsroom_article_translate", args=[newsroom.bridge.pk, "ru"]))
    assert newsroom.bridge.translations().filter(language="ru").count() == 1


def test_translate_view_needs_a_post(editor, newsroom):
    editor.get(reverse("admin:newsroom_article_translate", args=[newsroom.bridge.pk, "ru"]))
    assert not newsroom.bridge.translations().filter(language="ru").exists()


def test_translate_action_queues_only_pairs_an_engine_supports(editor, newsroom, settings, tmp_path):
    settings.BABELPRESS_TRANSLATION_ENGINES = {
        "local": {"CLASS": "babelpress.translation.engines.local.LocalEngine", "OPTIONS": {"models_dir": str(tmp_path)}}
    }
    registry.clear_cache()
    try:
        response = editor.post(reverse("admin:newsroom_article_changelist"), {
            "action": "queue_translations", "_selected_action": [newsroom.festival.pk],
        }, follow=True)
    finally:
        registry.clear_cache()
    assert TranslationJob.objects.count() == 0  # no model installed: nothing doomed to fail is queued
    page = " ".join(response.content.decode().split())
    assert "Nothing was queued." in page and "translation jobs queued" not in page
    assert "4 translations cannot be made: no engine can translate English → French (1), English → Armenian (1), " \
           "English → Russian (1), English → Arabic (1)." in page


def test_the_panel_opens_the_translations_fieldset_and_the_action_is_on_the_list(editor, newsroom):
    page = editor.get(reverse("admin:newsroom_article_change", args=[newsroom.bridge.pk]))
    layout = {str(title): [getattr(f, "name", f) for f in options["fields"]]
              for title, options in page.context["adminform"].fieldsets}
    assert layout["Translations"][:3] == ["translations_panel", "source_changes_panel", "translation_of"]
    changelist = editor.get(reverse("admin:newsroom_article_changelist"))
    assert "queue_translations" in dict(changelist.context["action_form"].fields["action"].choices)


def test_the_admin_home_links_to_translation_coverage(editor):
    home = editor.get(reverse("admin:index")).content.decode()
    assert f'<a href="{reverse("translation_coverage")}">Translation coverage</a>' in home
