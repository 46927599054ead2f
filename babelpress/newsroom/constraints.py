"""The content model's database constraints, each with the sentence a person reads and the field
it belongs to.

Django's default message for a broken constraint names it ("Constraint “article_published_has_date”
is violated."), which means nothing to an editor. So every constraint of the newsroom's models is
made here with a ``violation_error_message`` that says what is wrong and how to fix it, and
``FieldBoundConstraints`` (mixed into the models) files that message under the field to change, so
the admin shows it beside that field instead of at the top of the form. The database still enforces
each one; ``message_for_integrity_error`` turns the rare error that gets past validation (two people
saving at the same moment) into the same sentence. The models take their constraints from the
lists at the end (``ARTICLE_CONSTRAINTS`` …). An inline form's rows are checked against each
other before they reach the database: ``UniqueRowsFormSet`` says the same sentence beside the row to
change (Django's own check says only "Please correct the duplicate data").
tests/newsroom/test_validation_messages.py provokes every constraint through the admin.
"""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, router
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# constraint name → (the field its message belongs to, the message)
_RULES: dict[str, tuple[str, object]] = {}


def unique(*, fields: list[str], name: str, field: str, message) -> models.UniqueConstraint:
    """A UniqueConstraint whose violation reads ``message``, shown beside ``field``."""
    _RULES[name] = (field, message)
    return models.UniqueConstraint(fields=fields, name=name, violation_error_message=message)


def check(*, condition: Q, name: str, field: str, message) -> models.CheckConstraint:
    """A CheckConstraint whose violation reads ``message``, shown beside ``field``."""
    _RULES[name] = (field, message)
    return models.CheckConstraint(condition=condition, name=name, violation_error_message=message)


def field_of(constraint_name: str) -> str:
    """The field a constraint's message is shown beside (NON_FIELD_ERRORS when it has none)."""
    return _RULES.get(constraint_name, (NON_FIELD_ERRORS, None))[0]


class FieldBoundConstraints:
    """Model mixin: each broken constraint's message under its field (see the module docstring).

    The same loop as Django's ``Model.validate_constraints``; only where an error is filed differs.
    """

    def validate_constraints(self, exclude=None):
        using = router.db_for_write(self.__class__, instance=self)
        errors: dict[str, list] = {}
        for model_class, model_constraints in self.get_constraints():
            for constraint in model_constraints:
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as error:
                    field = field_of(constraint.name)
                    if field != NON_FIELD_ERRORS and exclude and field in exclude:
                        field = NON_FIELD_ERRORS  # the form does not show that field: say it on top
                    errors.setdefault(field, []).extend(error.error_list)
        if errors:
            raise ValidationError(errors)


class UniqueRowsFormSet(forms.BaseInlineFormSet):
    """An inline formset whose rows that clash with each other are told beside the field to change,
    in the words of the constraint they would break. ``unique_rows``: (the fields that must differ
    together, the field the message goes beside, the message) for each rule."""

    unique_rows: tuple[tuple[tuple[str, ...], str, object], ...] = ()

    def clean(self):
        seen = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or self._should_delete_form(form):
                continue
            for fields, field, message in self.unique_rows:
                values = tuple(data.get(name) for name in fields)
                if any(v in (None, "") for v in values) or field in form.errors:
                    continue
                if (fields, values) in seen:
                    form.add_error(field, message)
                seen.add((fields, values))
        super().clean()


def message_for_integrity_error(error: Exception) -> str | None:
    """The sentence for a newsroom constraint the database refused, None when it is none of ours.

    PostgreSQL names the constraint, as does SQLite for a CHECK; SQLite names a UNIQUE
    constraint's columns instead ("UNIQUE constraint failed: newsroom_tag.language, newsroom_tag.slug").
    """
    text = str(error)
    columns = set(text.partition("UNIQUE constraint failed:")[2].replace(" ", "").split(",")) - {""}
    for model in apps.get_app_config("newsroom").get_models():
        for constraint in model._meta.constraints:
            if constraint.name not in _RULES:
                continue
            named = constraint.name in text
            fields = getattr(constraint, "fields", ()) or ()
            same_columns = bool(fields) and columns == {
                f"{model._meta.db_table}.{model._meta.get_field(f).column}" for f in fields}
            if named or same_columns:
                return str(_RULES[constraint.name][1])
    return None


# --- The messages ------------------------------------------------------------------------------
# Kept together so a reader sees every rule of the content model, and every sentence, in one place.

SECTION_NAME_ONCE = _("This section already has a name in this language: change that row instead of adding "
                      "another one.")
SECTION_SLUG_TAKEN = _("Another section already uses this address (slug) in this language: choose another one.")
TAG_SLUG_TAKEN = _("Another tag in this language already uses this address (slug): choose another one, or use "
                   "the existing tag.")
ARTICLE_ONE_PER_LANGUAGE = _("This story already exists in this language: open that version instead of adding "
                             "another one.")
ARTICLE_SLUG_TAKEN = _("Another article in this language already uses this address (slug): choose another one, "
                       "or leave the field empty to make one from the headline.")
LANGUAGE_ASSIGNED_ONCE = _("This person already has this language: remove the repeated row (each language is "
                           "listed once).")
ARTICLE_PUBLISHED_HAS_DATE = _("A published article needs a publication time: leave it empty and save again to "
                               "publish now, or choose a time to schedule it.")


# --- The constraints ---------------------------------------------------------------------------

SECTION_NAME_CONSTRAINTS = [
    unique(fields=["section", "language"], name="section_name_once_per_language", field="language",
           message=SECTION_NAME_ONCE),
    unique(fields=["language", "slug"], name="section_slug_unique_per_language", field="slug",
           message=SECTION_SLUG_TAKEN),
]
TAG_CONSTRAINTS = [
    unique(fields=["language", "slug"], name="tag_slug_unique_per_language", field="slug", message=TAG_SLUG_TAKEN),
]
ARTICLE_CONSTRAINTS = [
    unique(fields=["translation_key", "language"], name="article_one_row_per_language", field="language",
           message=ARTICLE_ONE_PER_LANGUAGE),
    unique(fields=["language", "slug"], name="article_slug_unique_per_language", field="slug",
           message=ARTICLE_SLUG_TAKEN),
    check(condition=~Q(status="published") | Q(published_at__isnull=False), name="article_published_has_date",
          field="published_at", message=ARTICLE_PUBLISHED_HAS_DATE),
]
LANGUAGE_ASSIGNMENT_CONSTRAINTS = [
    unique(fields=["user", "language"], name="language_assigned_once", field="language",
           message=LANGUAGE_ASSIGNED_ONCE),
]
