"""The role groups: made by `migrate` on a fresh install, repaired by every later one, and the
languages a translator works in, set on their user page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from babelpress.newsroom.models import LanguageAssignment
from babelpress.newsroom.roles import ROLES, ensure_roles

from ..admin_sweep.support import page_forms
from .conftest import client_of

pytestmark = pytest.mark.django_db


def held(group_name: str) -> set[str]:
    return {f"{app}.{codename}" for app, codename in Group.objects.get(name=group_name).permissions.values_list(
        "content_type__app_label", "codename")}


def test_a_fresh_database_has_the_four_role_groups_with_their_permissions():
    # The test database was made by `migrate`, as a fresh install's is.
    assert set(Group.objects.values_list("name", flat=True)) >= {"Writer", "Editor", "Translator", "Administrator"}
    assert held("Writer") == {
        "newsroom.add_article", "newsroom.change_article", "newsroom.delete_article", "newsroom.view_article",
        "newsroom.view_section", "newsroom.view_sectionname", "newsroom.view_tag", "newsroom.view_author",
        "newsroom.view_source"}
    assert {"newsroom.publish_article", "newsroom.change_any_article", "ingest.add_importjob",
            "translation.change_translation", "translation.add_translationjob"} <= held("Editor")
    assert not any(p.startswith("auth.") for p in held("Editor"))
    assert {"newsroom.translate_article", "translation.change_translation"} <= held("Translator")
    assert not {"newsroom.publish_article", "newsroom.add_article", "newsroom.change_any_article"} & held("Translator")
    assert held("Administrator") == {f"{p.content_type.app_label}.{p.codename}"
                                     for p in Permission.objects.select_related("content_type")}


def test_every_permission_a_role_names_exists():
    known = {f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.select_related("content_type")}
    for role in ROLES.values():
        assert role.permissions() <= known, role


def test_migrate_gives_back_a_lost_permission_and_a_deleted_group_and_leaves_additions_alone():
    editor = Group.objects.get(name="Editor")
    editor.permissions.remove(Permission.objects.get(codename="publish_article"))
    editor.permissions.add(Permission.objects.get(codename="view_user"))  # an administrator widened the role
    Group.objects.get(name="Writer").delete()

    call_command("migrate", verbosity=0)

    assert "newsroom.publish_article" in held("Editor") and "auth.view_user" in held("Editor")
    assert "newsroom.add_article" in held("Writer")


def test_making_the_roles_again_changes_nothing():
    assert ensure_roles() == {role.group: [] for role in ROLES.values()}


def test_an_administrator_assigns_a_translator_their_languages_on_the_user_page(people):
    administrator = client_of(people.administrator)
    url = reverse("admin:auth_user_change", args=[people.translator.pk])
    page = administrator.get(url)
    assert "Languages this person translates and reviews" in page.content.decode()
    data = next(fields for action, fields, _text in page_forms(page.content.decode(), url) if "logout" not in action)
    assert data["desk_languages-0-language"] == ["hy"] and data["desk_languages-1-language"] == ["ru"]
    data.update({"desk_languages-TOTAL_FORMS": "3", "desk_languages-2-language": "fr",  # and now French,
                 "desk_languages-0-DELETE": "on"})  # no longer Armenian

    response = administrator.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(people.translator.desk_languages.values_list("language", flat=True)) == ["fr", "ru"]


def test_the_people_list_shows_each_persons_roles_and_languages(people):
    page = client_of(people.administrator).get(reverse("admin:auth_user_changelist")).content.decode()
    assert "<td class=\"field-roles\">Translator</td>" in page
    assert "<td class=\"field-assigned_languages\">hy, ru</td>" in page


def test_a_language_is_assigned_once_and_only_a_content_language(people):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        LanguageAssignment(user=people.writer, language="de").full_clean()
    with pytest.raises(ValidationError):
        LanguageAssignment(user=people.translator, language="hy").full_clean()


def roles_command(*args) -> str:
    import io

    out = io.StringIO()
    call_command("roles", *args, stdout=out)
    return out.getvalue()


def test_the_roles_command_lists_who_holds_each_role_and_repairs_the_groups(people):
    Group.objects.get(name="Writer").permissions.clear()
    output = roles_command()
    assert output.startswith("Repaired the Writer role: gave back newsroom.add_article, ")
    assert output.splitlines()[-4:] == ["Writer: writer", "Editor: editor", "Translator: translator (hy, ru)",
                                        "Administrator: administrator"]


def test_the_roles_command_gives_a_person_a_role_and_their_languages(people, django_user_model):
    django_user_model.objects.create_user("ani", "ani@example.org", None)
    output = roles_command("assign", "ani", "translator", "--languages", "hy, en")
    ani = django_user_model.objects.get(username="ani")
    assert output.startswith("ani is now in the Translator role.\n")
    assert ani.is_staff and list(ani.desk_languages.values_list("language", flat=True)) == ["en", "hy"]


@pytest.mark.parametrize("args, message", [
    (["assign", "nobody-here", "writer"], "There is no user 'nobody-here': create them first"),
    (["assign", "writer", "translator", "--languages", "de"], "de is not a content language of this site"),
    (["assign", "writer", "translator"], "A translator works in the languages assigned to them: add --languages"),
])
def test_the_roles_command_says_how_to_fix_a_mistake(people, args, message):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=message):
        roles_command(*args)
