"""What an article's revision keeps: ``article_history`` (``Article.history``) makes django-simple-history
build ``HistoricalArticle`` from ``Article``'s columns and record a row on every save; ``RevisionFields``
is what it keeps beyond the columns. Reading and restoring revisions: newsroom/revisions.py."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class RevisionFields(models.Model):
    #: The article's tags when the revision was made: ``[[id, name], …]``, names kept so a deleted
    #: tag still reads in the history. Tags are set after the row is saved (the admin saves them
    #: next), so newsroom/revisions.py brings this up to date in the same transaction.
    tags_snapshot = models.JSONField(_("tags"), default=list, blank=True)

    class Meta:
        abstract = True


article_history = HistoricalRecords(
    bases=[RevisionFields], verbose_name=_("article revision"), verbose_name_plural=_("article revisions"))
