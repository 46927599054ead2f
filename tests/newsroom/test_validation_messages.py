"""Every rule of the content model, broken through the admin as an editor would break it, answers
with a sentence a person understands, beside the field to change — never with a constraint's name.

Each database constraint of every newsroom model (and each unique field) has a provocation here;
``test_every_constraint_is_provoked`` fails when a new one is added without its own."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse

from babelpress.newsroom import constraints
from babelpress.newsroom.models import Article, Section, SectionName, Source, Tag

from .test_admin import form_data


def every_rule() -> set[str]:
    """The names of every constraint of every newsroom model, and model.field of each unique field."""
    names = set()
    for model in apps.get_app_config("newsroom").get_models():
        names |= {c.name for c in model._meta.constraints}
        names |= {f"{model._meta.model_name}.{f.name}" for f in model._meta.local_fields if f.unique and not f.primary_key}
    return names


def constraint_names() -> set[str]:
    return {c.name for model in apps.get_app_config("newsroom").get_models() for c in model._meta.constraints}


def assert_told_beside(response, field: str, message: str, *, formset: int | str | None = None, row: int = 0):
    """The page answers 200 (the form again), ``message`` is an error of ``field`` (of an inline
    formset's row when ``formset``, its position or prefix, is given), and no constraint's name is
    anywhere in the page."""
    assert response.status_code == 200, "the form was accepted"
    page = response.content.decode()
    for name in constraint_names():
        assert name not in page, f"the constraint name {name} reached the editor"
    assert "violated" not in page
    if formset is None:
        form = response.context["adminform"].form
    else:
        formsets = [inline.formset for inline in response.context["inline_admin_formsets"]]
        chosen = next(f for f in formsets if f.prefix == formset) if isinstance(formset, str) else formsets[formset]
        form = chosen.forms[row]
    assert message in form.errors.get(field, []), dict(form.errors)
    assert not form.errors.get(NON_FIELD_ERRORS), "told on top of the form, not beside the field"
    assert str(message) in page.replace("&#x27;", "'").replace("&quot;", '"')


def add_article(editor, newsroom, **fields):
    data = {"language": "fr", "headline": "Une nouvelle ligne de tram", "section": newsroom.news.pk,
            "status": "draft", "published_at_0": "", "published_at_1": ""}
    data.update(fields)
    return editor.post(reverse("admin:newsroom_article_add"), data)


# --- Article ----------------------------------------------------------------------------------


def test_article_slug_unique_per_language_a_taken_address_is_told_beside_the_slug(editor, newsroom):
    response = add_article(editor, newsroom, slug=newsroom.bridge.slug)
    assert_told_beside(response, "slug", constraints.ARTICLE_SLUG_TAKEN)


def test_article_slug_unique_per_language_the_same_address_in_another_language_is_fine(editor, newsroom):
    response = add_article(editor, newsroom, language="ru", slug=newsroom.bridge.slug)
    assert response.status_code == 302


def test_article_one_row_per_language_changing_a_version_into_a_language_the_story_has(editor, newsroom):
    url = reverse("admin:newsroom_article_change", args=[newsroom.bridge_en.pk])
    response = editor.post(url, form_data(newsroom.bridge_en, language="hy"))
    assert_told_beside(response, "language", "This story already exists in this language.")


def test_article_one_row_per_language_linking_to_a_story_that_has_the_language(editor, newsroom):
    lone = Article.objects.create(language="en", headline="Another bridge", section=newsroom.news)
    url = reverse("admin:newsroom_article_change", args=[lone.pk])
    response = editor.post(url, form_data(lone, translation_of=newsroom.bridge.pk))
    assert_told_beside(response, "translation_of", "That story already has a version in this language.")


def test_article_one_row_per_language_checked_by_the_model_says_it_beside_the_language(newsroom):
    twin = Article(translation_key=newsroom.bridge.translation_key, language="en", headline="Twin",
                   section=newsroom.news)
    with pytest.raises(ValidationError) as refused:
        twin.validate_constraints()
    assert refused.value.message_dict == {"language": [str(constraints.ARTICLE_ONE_PER_LANGUAGE)]}


def test_article_published_has_date_publishing_without_a_time_publishes_now(editor, newsroom):
    response = add_article(editor, newsroom, status="published")
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    article = Article.objects.get(headline="Une nouvelle ligne de tram")
    assert article.status == "published" and article.published_at is not None and article.is_published


def test_article_published_has_date_checked_by_the_model_says_it_beside_the_time(newsroom):
    undated = Article(language="fr", headline="Sans date", section=newsroom.news, status="published")
    with pytest.raises(ValidationError) as refused:
        undated.validate_constraints()
    assert refused.value.message_dict == {"published_at": [str(constraints.ARTICLE_PUBLISHED_HAS_DATE)]}


def test_a_clash_the_form_could_not_see_is_told_in_words_and_the_page_offered_again(editor, newsroom, monkeypatch):
    # Two editors saving at the same moment: the database refuses what the form's check let through.
    from django.db import IntegrityError

    def clash(self, *args, **kwargs):
        raise IntegrityError('duplicate key value violates unique constraint "article_slug_unique_per_language"')

    monkeypatch.setattr(Article, "save_if_current", clash)
    url = reverse("admin:newsroom_article_change", args=[newsroom.budget.pk])
    response = editor.post(url, form_data(newsroom.budget, headline="Le budget adopté"), follow=True)
    page = response.content.decode()
    assert "Not saved: Another article in this language already uses this address (slug)" in page
    assert "article_slug_unique_per_language" not in page


def test_sqlite_and_postgresql_refusals_are_both_recognised():
    sqlite = "UNIQUE constraint failed: newsroom_tag.language, newsroom_tag.slug"
    postgres = 'duplicate key value violates unique constraint "section_name_once_per_language"'
    check = "CHECK constraint failed: article_published_has_date"
    assignment = "UNIQUE constraint failed: newsroom_languageassignment.user_id, newsroom_languageassignment.language"
    assert constraints.message_for_integrity_error(Exception(sqlite)) == str(constraints.TAG_SLUG_TAKEN)
    assert constraints.message_for_integrity_error(Exception(assignment)) == str(constraints.LANGUAGE_ASSIGNED_ONCE)
    assert constraints.message_for_integrity_error(Exception(postgres)) == str(constraints.SECTION_NAME_ONCE)
    assert constraints.message_for_integrity_error(Exception(check)) == str(constraints.ARTICLE_PUBLISHED_HAS_DATE)
    assert constraints.message_for_integrity_error(Exception("disk full")) is None


# --- Sections and their names (an inline form) ---------------------------------------------------


def test_section_name_once_per_language_a_second_name_in_one_language(editor, newsroom, open_form):
    form = open_form(editor, reverse("admin:newsroom_section_change", args=[newsroom.culture.pk]))
    rows = int(form.values["names-TOTAL_FORMS"][0])
    response = form.post(changes={"names-TOTAL_FORMS": str(rows + 1), f"names-{rows}-language": "fr",
                                  f"names-{rows}-name": "Arts", f"names-{rows}-slug": "arts"})
    assert_told_beside(response, "language", constraints.SECTION_NAME_ONCE, formset=0, row=rows)


def test_section_name_once_per_language_two_new_rows_in_one_language(editor, newsroom):
    response = editor.post(reverse("admin:newsroom_section_add"), {
        "key": "sport", "position": 3, "translation_policy": "",
        "names-TOTAL_FORMS": "2", "names-INITIAL_FORMS": "0", "names-MIN_NUM_FORMS": "1", "names-MAX_NUM_FORMS": "1000",
        "names-0-language": "fr", "names-0-name": "Sport", "names-0-slug": "sport",
        "names-1-language": "fr", "names-1-name": "Sports", "names-1-slug": "sports",
    })
    assert_told_beside(response, "language", constraints.SECTION_NAME_ONCE, formset=0, row=1)


def test_section_slug_unique_per_language_an_address_another_section_uses(editor, newsroom, open_form):
    form = open_form(editor, reverse("admin:newsroom_section_change", args=[newsroom.culture.pk]))
    fr_row = next(k.split("-")[1] for k, v in form.values.items() if k.endswith("-language") and v == ["fr"])
    response = form.post(changes={f"names-{fr_row}-slug": "actualites"})  # the news section's French address
    assert_told_beside(response, "slug", constraints.SECTION_SLUG_TAKEN, formset=0, row=int(fr_row))


def test_section_slug_unique_per_language_two_new_rows_with_one_address(editor, newsroom):
    response = editor.post(reverse("admin:newsroom_section_add"), {
        "key": "sport", "position": 3, "translation_policy": "",
        "names-TOTAL_FORMS": "2", "names-INITIAL_FORMS": "0", "names-MIN_NUM_FORMS": "1", "names-MAX_NUM_FORMS": "1000",
        "names-0-language": "fr", "names-0-name": "Sport", "names-0-slug": "sport",
        "names-1-language": "en", "names-1-name": "Sport", "names-1-slug": "sport",
    })
    assert response.status_code == 302  # one address per language: the same word in two is fine
    assert SectionName.objects.filter(slug="sport").count() == 2


def test_section_key_unique_a_taken_key(editor, newsroom):
    response = editor.post(reverse("admin:newsroom_section_add"), {
        "key": "news", "position": 3, "translation_policy": "",
        "names-TOTAL_FORMS": "1", "names-INITIAL_FORMS": "0", "names-MIN_NUM_FORMS": "1", "names-MAX_NUM_FORMS": "1000",
        "names-0-language": "fr", "names-0-name": "Infos", "names-0-slug": "infos",
    })
    assert_told_beside(response, "key", "Section with this Key already exists.")
    assert Section.objects.filter(key="news").count() == 1


# --- Tags and sources ---------------------------------------------------------------------------


def test_tag_slug_unique_per_language_a_taken_address(editor, newsroom):
    response = editor.post(reverse("admin:newsroom_tag_add"), {"language": "fr", "name": "Transport", "slug": "transports"})
    assert_told_beside(response, "slug", constraints.TAG_SLUG_TAKEN)
    assert Tag.objects.filter(slug="transports").count() == 1


def test_source_name_unique_a_taken_name(editor, newsroom):
    response = editor.post(reverse("admin:newsroom_source_add"), {"name": "Agence Lumière", "url": "", "licence": ""})
    assert_told_beside(response, "name", "Source with this Organisation already exists.")
    assert Source.objects.filter(name="Agence Lumière").count() == 1


# --- People and the languages they translate (an inline form of the user's page) ---------------


@pytest.fixture
def translator(django_user_model):
    from babelpress.newsroom.models import LanguageAssignment

    person = django_user_model.objects.create_user("ani", "ani@example.org", None, is_staff=True)
    LanguageAssignment.objects.create(user=person, language="hy")
    return person


def languages_form(editor, open_form, person):
    form = open_form(editor, reverse("admin:auth_user_change", args=[person.pk]))
    return form, int(form.values["desk_languages-TOTAL_FORMS"][0])


def test_language_assigned_once_a_language_the_person_already_has(editor, open_form, translator):
    form, rows = languages_form(editor, open_form, translator)
    response = form.post(changes={"desk_languages-TOTAL_FORMS": str(rows + 1),
                                  f"desk_languages-{rows}-language": "hy"})
    assert_told_beside(response, "language", constraints.LANGUAGE_ASSIGNED_ONCE, formset="desk_languages", row=rows)
    assert translator.desk_languages.count() == 1


def test_language_assigned_once_two_new_rows_with_one_language(editor, open_form, translator):
    form, rows = languages_form(editor, open_form, translator)
    response = form.post(changes={"desk_languages-TOTAL_FORMS": str(rows + 2),
                                  f"desk_languages-{rows}-language": "ru", f"desk_languages-{rows + 1}-language": "ru"})
    assert_told_beside(response, "language", constraints.LANGUAGE_ASSIGNED_ONCE, formset="desk_languages", row=rows + 1)
    assert list(translator.desk_languages.values_list("language", flat=True)) == ["hy"]


def test_language_assigned_once_checked_by_the_model_says_it_beside_the_language(translator):
    from babelpress.newsroom.models import LanguageAssignment

    with pytest.raises(ValidationError) as refused:
        LanguageAssignment(user=translator, language="hy").validate_constraints()
    assert refused.value.message_dict == {"language": [str(constraints.LANGUAGE_ASSIGNED_ONCE)]}


PROVOKED = {
    "article_slug_unique_per_language", "article_one_row_per_language", "article_published_has_date",
    "section_name_once_per_language", "section_slug_unique_per_language", "section.key",
    "tag_slug_unique_per_language", "source.name", "language_assigned_once",
}


def test_every_constraint_is_provoked():
    assert every_rule() == PROVOKED, "give the new rule a provocation above, with its message and field"


def test_every_constraint_has_a_message_and_a_field():
    for model in apps.get_app_config("newsroom").get_models():
        for constraint in model._meta.constraints:
            assert constraint.violation_error_message != constraint.default_violation_error_message, constraint.name
            assert constraints.field_of(constraint.name) in {f.name for f in model._meta.fields}, constraint.name
