"""What an article's revision keeps beyond the article's own columns (the base of the
``HistoricalArticle`` model that django-simple-history builds from ``Article``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RevisionFields(models.Model):
    #: The article's tags when the revision was made: ``[[id, name], …]``, names kept so a deleted
    #: tag still reads in the history. Tags are set after the row is saved (the admin saves them
    #: next), so newsroom/revisions.py brings this up to date in the same transaction.
    tags_snapshot = models.JSONField(_("tags"), default=list, blank=True)

    class Meta:
        abstract = True
