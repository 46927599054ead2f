"""Which content languages a person translates and reviews: one row per person and language.

A translator (the Translator role, docs/roles.md) edits translations and reviews machine drafts in
these languages only; editors and administrators work in every language whatever is assigned. The
rows are edited on the user's page of the admin (newsroom/admin_users.py) and read by
newsroom/permissions.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from babelpress import languages
from babelpress.newsroom import constraints


class LanguageAssignment(constraints.FieldBoundConstraints, models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="desk_languages",
                             verbose_name=_("user"))
    language = models.CharField(_("language"), max_length=12, choices=languages.choices)

    class Meta:
        app_label = "newsroom"
        ordering = ["language"]
        verbose_name = _("assigned language")
        verbose_name_plural = _("languages this person translates and reviews")
        # A language given twice is told beside the repeated row (newsroom/constraints.py).
        constraints = constraints.LANGUAGE_ASSIGNMENT_CONSTRAINTS

    def __str__(self) -> str:
        return languages.language_name(self.language)
