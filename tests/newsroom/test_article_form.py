"""The article form as an editor meets it (issue 9, items 8 and 10): typed changes are never lost
to a field they did not touch, an error names the field and says how to fix it; the headline
fields show a long headline whole; "Translation of" is a search box; sections are named in the
admin's language (newsroom/admin_forms.py)."""

from __future__ import annotations

import lxml.html
import pytest
from django.urls import reverse

from babelpress.newsroom.models import Article, Section, SectionName

pytestmark = pytest.mark.django_db


def change_url(article) -> str:
    return reverse("admin:newsroom_article_change", args=[article.pk])


def page(response):
    return lxml.html.fromstring(response.content.decode())


def shown_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- Typed changes are never lost ------------------------------------------------------------------


def test_a_refused_field_keeps_every_typed_change_on_screen_and_says_how_to_fix_it(editor, newsroom, open_form):
    form = open_form(editor, change_url(newsroom.bridge))
    response = form.post(headline="Le pont rouvre enfin", standfirst="Typed by the editor.",
                         original_url="htp://lumiere.example.org/pont")
    assert response.status_code == 200
    doc = page(response)
    assert doc.get_element_by_id("id_headline").text_content().strip() == "Le pont rouvre enfin"
    assert doc.get_element_by_id("id_standfirst").text_content().strip() == "Typed by the editor."
    assert response.context["adminform"].form.errors == {"original_url": [
        "Enter a full web address starting with http:// or https://, e.g. https://example.org/news/story, or "
        "leave the field empty."]}
    # At the top, a summary naming the field, a link to it: the credits are far down the page.
    [summary] = shown_messages(response)
    assert summary == (
        'Nothing was saved yet; your changes are still in the form. Correct what is marked, then save again: '
        '<a href="#id_original_url">Original URL</a>: Enter a full web address starting with http:// or https://, '
        'e.g. https://example.org/news/story, or leave the field empty.')
    newsroom.bridge.refresh_from_db()
    assert newsroom.bridge.headline == "Le pont de Valmont rouvre"

    again = open_form.__new__(open_form)  # the page now shown, sent again with the address corrected
    again.client, again.url, again.values = editor, form.url, {**form.values}
    again.values.update({"headline": ["Le pont rouvre enfin"], "standfirst": ["Typed by the editor."]})
    assert again.post(original_url="lumiere.example.org/pont").status_code == 302
    newsroom.bridge.refresh_from_db()
    assert newsroom.bridge.headline == "Le pont rouvre enfin"
    assert newsroom.bridge.original_url == "https://lumiere.example.org/pont"


def test_a_save_that_loses_a_race_shows_the_form_again_with_the_typed_changes(editor, newsroom, open_form,
                                                                              monkeypatch):
    # Someone saves between the form's version check and the write (the check holds a row lock on
    # PostgreSQL, SQLite takes the write lock first: this forces the race anyway, by letting the
    # first check pass). The write refuses; the editor gets the form back, not a redirect.
    from babelpress.newsroom.admin import ArticleForm

    form = open_form(editor, change_url(newsroom.bridge))
    theirs = Article.objects.get(pk=newsroom.bridge.pk)
    theirs.headline = "Theirs"
    theirs.save()
    checked, calls = ArticleForm.clean, []

    def first_check_misses_the_other_save(self):
        calls.append(self)
        return self.cleaned_data if len(calls) == 1 else checked(self)

    monkeypatch.setattr(ArticleForm, "clean", first_check_misses_the_other_save)
    response = form.post(headline="Mine, typed")
    assert len(calls) == 2 and response.status_code == 200
    assert page(response).get_element_by_id("id_headline").text_content().strip() == "Mine, typed"
    assert "Someone else saved this article since you opened it" in response.content.decode()
    newsroom.bridge.refresh_from_db()
    assert newsroom.bridge.headline == "Theirs"


# --- The headline fields ---------------------------------------------------------------------------


def test_the_headline_fields_are_wide_and_show_a_long_headline_whole(editor, newsroom):
    long = "Le pont de Valmont rouvre après deux ans de travaux, " * 5
    Article.objects.filter(pk=newsroom.bridge.pk).update(headline=long.strip())
    doc = page(editor.get(change_url(newsroom.bridge)))
    headline = doc.get_element_by_id("id_headline")
    assert headline.tag == "textarea" and headline.get("rows") == "4"  # 265 characters: 4 rows of 70
    assert "babelpress-wide" in headline.get("class")
    assert headline.get("maxlength") is None  # a browser cuts a pasted headline at maxlength, silently
    assert headline.text_content().strip() == long.strip()
    assert doc.get_element_by_id("id_alternative_headline").tag == "textarea"
    assert "babelpress-wide" in doc.get_element_by_id("id_slug").get("class")
    assert doc.xpath("//link[contains(@href, 'newsroom/article_form.css')]")


def test_a_headline_too_long_is_refused_saying_by_how_much_and_nothing_else(editor, newsroom, open_form):
    form = open_form(editor, change_url(newsroom.bridge))
    response = form.post(headline="x" * 320)
    # Only what the form says: not also the model's "A published article needs a headline".
    assert response.context["adminform"].form.errors == {"headline": [
        "This is 320 characters long; at most 300 fit: shorten it."]}


# --- "Translation of" -------------------------------------------------------------------------------


def test_translation_of_is_a_search_box_not_a_list_of_every_article(editor, newsroom):
    for i in range(30):
        Article.objects.create(language="en", headline=f"Filler {i}", section=newsroom.news)
    lone = Article.objects.create(language="ru", headline="Мост открыт", section=newsroom.news)
    box = page(editor.get(change_url(lone))).get_element_by_id("id_translation_of")
    assert "admin-autocomplete" in box.get("class")
    assert box.get("data-field-name") == "translated_from" and box.get("data-model-name") == "article"
    assert box.get("data-ajax--url") == f"/admin/autocomplete/?exclude_story={lone.translation_key}&for_language=ru"
    assert [o.get("value") for o in box.findall("option")] == [""]  # nothing but the empty choice


def autocomplete(client, term: str, **scope):
    query = {"app_label": "newsroom", "model_name": "article", "field_name": "translated_from", "term": term}
    response = client.get("/admin/autocomplete/", {**query, **scope})
    assert response.status_code == 200
    return sorted(row["text"] for row in response.json()["results"])


def test_the_search_offers_only_stories_the_article_can_join(editor, newsroom):
    assert autocomplete(editor, "pont") == ["Le pont de Valmont rouvre [fr]"]
    # Not the story being edited …
    assert autocomplete(editor, "pont", exclude_story=newsroom.bridge_en.translation_key, for_language="en") == []
    # … nor a story that has a version in the article's language already.
    russian = Article.objects.create(language="ru", headline="Мост", section=newsroom.news)
    assert autocomplete(editor, "", exclude_story=russian.translation_key, for_language="ru") == sorted([
        "Brouillon secret [fr]", "Lantern festival draws crowds [en]", "Le pont de Valmont rouvre [fr]",
        "Valmont bridge reopens [en]", "Վալմոնի կամուրջը վերաբացվում է [hy]"])  # the budget has a Russian version
    # What the box did not ask for is not applied: a search elsewhere, or values that mean nothing.
    assert autocomplete(editor, "pont", exclude_story="not-a-story", for_language="en") == [
        "Le pont de Valmont rouvre [fr]"]
    assert autocomplete(editor, "pont", exclude_story=russian.translation_key, for_language="xx") == [
        "Le pont de Valmont rouvre [fr]"]


def test_a_story_chosen_in_the_search_box_links_the_translation(editor, newsroom, open_form):
    lone = Article.objects.create(language="ru", headline="Мост открыт", section=newsroom.news)
    form = open_form(editor, change_url(lone))
    assert form.post(translation_of=str(newsroom.bridge.pk)).status_code == 302
    lone.refresh_from_db()
    assert lone.translation_key == newsroom.bridge.translation_key and lone.translated_from == newsroom.bridge
    # After a form error the box shows the chosen story again, by its headline.
    other = Article.objects.create(language="ru", headline="Фестиваль", section=newsroom.news)
    response = open_form(editor, change_url(other)).post(translation_of=str(newsroom.festival.pk), original_url="htp://x")
    assert list(response.context["adminform"].form.errors) == ["original_url"]
    options = page(response).get_element_by_id("id_translation_of").findall("option")
    assert [(o.get("value"), o.text) for o in options if o.get("selected") is not None] == [
        (str(newsroom.festival.pk), "Lantern festival draws crowds [en]")]


# --- Sections in the admin's language ----------------------------------------------------------------


@pytest.fixture
def french_admin(editor):
    editor.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    return editor


def test_the_article_list_names_sections_in_the_admin_language(french_admin, newsroom):
    response = french_admin.get(reverse("admin:newsroom_article_changelist"))
    doc = page(response)
    column = {cell.text_content() for cell in doc.cssselect("td.field-section_name")}
    assert column == {"Actualités", "Culture"}
    filter_links = [a.text_content().strip() for a in doc.xpath("//details[@data-filter-title]//a")]
    assert "Actualités" in filter_links and "news" not in filter_links


def test_a_section_without_a_name_in_the_admin_language_falls_back_to_the_default_language_then_the_key(
        editor, newsroom, settings):
    from babelpress.newsroom.admin_forms import section_label
    from django.utils import translation

    bare = Section.objects.create(key="sport", position=3)
    with translation.override("ar"):  # no Arabic names: the site's default language (French), then the key
        assert section_label(newsroom.news) == "Actualités"
        assert section_label(bare) == "sport"
    with translation.override("ru"):
        assert section_label(newsroom.news) == "Новости"
        assert section_label(newsroom.culture) == "Culture"  # no Russian name: the French one


def test_the_section_select_and_the_section_list_use_the_admin_language(french_admin, newsroom):
    SectionName.objects.filter(section=newsroom.culture, language="fr").update(name="Arts et spectacles")
    select = page(french_admin.get(change_url(newsroom.bridge))).get_element_by_id("id_section")
    assert [o.text for o in select.findall("option") if o.get("value")] == ["Actualités", "Arts et spectacles"]
    sections = page(french_admin.get(reverse("admin:newsroom_section_changelist")))
    assert [a.text_content() for a in sections.cssselect("th.field-name a")] == ["Actualités", "Arts et spectacles"]


def test_the_article_list_reads_section_names_in_a_fixed_number_of_queries(editor, newsroom,
                                                                           django_assert_max_num_queries):
    url = reverse("admin:newsroom_article_changelist")
    with django_assert_max_num_queries(20) as captured:
        editor.get(url)
    for i in range(8):
        section = Section.objects.create(key=f"s{i}", position=10 + i)
        SectionName.objects.create(section=section, language="en", name=f"Section {i}")
        Article.objects.create(language="en", headline=f"Story {i}", section=section)
    with django_assert_max_num_queries(len(captured)):
        editor.get(url)


def test_the_import_and_coverage_screens_name_sections_in_the_admin_language(french_admin, newsroom):
    from babelpress.ingest.models import Feed

    Feed.objects.create(url="https://lumiere.example.org/feed.xml", source=newsroom.agency, section=newsroom.news)
    feeds = page(french_admin.get(reverse("admin:ingest_feed_changelist")))
    assert [cell.text_content() for cell in feeds.cssselect("td.field-section_name")] == ["Actualités"]
    form = page(french_admin.get(reverse("admin:ingest_import")))
    assert [o.text for o in form.get_element_by_id("id_section").findall("option") if o.get("value")] == [
        "Actualités", "Culture"]
    coverage = page(french_admin.get(reverse("translation_coverage")))
    assert [o.text for o in coverage.xpath("//select[@name='section']/option") if o.get("value")] == [
        "Actualités", "Culture"]
