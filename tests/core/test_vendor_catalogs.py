"""The admin is whole in every UI language, including what the packages we ship leave untranslated
(babelpress/vendor_catalogs.py: Django's Armenian gaps and plural rule, django-tasks, django-axes)."""

import polib
import pytest
from django.apps import apps
from django.contrib import admin
from django.utils import translation

from babelpress import vendor_catalogs as vendor


@pytest.mark.parametrize("code", vendor.UI_LANGUAGES)
@pytest.mark.parametrize("domain", vendor.DOMAINS)
def test_every_message_a_package_leaves_untranslated_is_translated_here(code, domain):
    expected = vendor.update(code, domain)  # what the file must hold, from the packages installed now
    path = vendor.po_path(code, domain)
    held = polib.pofile(str(path)) if path.exists() else polib.POFile()
    assert {vendor._key(e) for e in held} == {vendor._key(e) for e in expected}, (
        "run: python -P -m babelpress.vendor_catalogs, then translate the new entries")
    untranslated = [e.msgid for e in held if not e.translated()]
    assert not untranslated, f"{path}: translate {untranslated[:5]} …"
    assert not held.fuzzy_entries()


@pytest.mark.parametrize("code", vendor.UI_LANGUAGES)
@pytest.mark.parametrize("domain", vendor.DOMAINS)
def test_compiled_catalogs_match(code, domain):
    path = vendor.po_path(code, domain)
    if not path.exists():
        return
    mo = polib.mofile(str(path.with_suffix(".mo")))
    po = polib.pofile(str(path))
    assert {(e.msgctxt, e.msgid, e.msgstr) for e in mo} == {(e.msgctxt, e.msgid, e.msgstr) for e in po if e.translated()}


@pytest.mark.parametrize("code", vendor.UI_LANGUAGES)
def test_every_admin_model_and_app_name_is_translated(code):
    english = {}
    with translation.override("en"):
        for model in admin.site._registry:
            english[model] = (str(model._meta.verbose_name_plural), str(model._meta.app_config.verbose_name))
    with translation.override(code):
        for model, (plural, app_name) in english.items():
            if model._meta.app_label in {"newsroom", "translation", "ingest"}:
                continue  # ours: tests/test_i18n.py checks every message of our catalogs
            assert str(model._meta.verbose_name_plural) != plural, model
            assert str(model._meta.app_config.verbose_name) != app_name, model._meta.app_config


def test_armenian_says_zero_in_the_singular_as_cldr_does():
    with translation.override("hy"):
        zero = translation.ngettext("%(count)s %(name)s was changed successfully.", "%(count)s %(name)s were changed successfully.", 0)
        one = translation.ngettext("%(count)s %(name)s was changed successfully.", "%(count)s %(name)s were changed successfully.", 1)
    assert zero == one


def test_french_titles_read_naturally():
    with translation.override("fr"):
        assert translation.gettext("Change %s") % "article" == "Modifier : article"
        assert str(apps.get_app_config("django_tasks_database").verbose_name) == "Tâches d'arrière-plan"
