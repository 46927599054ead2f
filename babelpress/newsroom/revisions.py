"""An article's revisions: every save keeps one, with who and when; any revision can be restored.

django-simple-history records a ``HistoricalArticle`` row from the article's ``post_save``, in the
save's own transaction, whatever saved it: the admin form, an admin action, a review approval, a
translation job, an import, a script. Who: the person whose request saved it (the library's
``HistoryRequestMiddleware``), else the user a job names with ``attribute``. Why: the reason a
writer gives with ``attribute`` (shown by ``how_label``), none for an ordinary edit.

Tags are saved after the row (the admin saves the form's many-to-many fields next), so a change of
tags in the same transaction as a save is written into that save's revision; a change of tags on
its own makes a revision of its own. Restoring a revision is itself a save: a new revision, refused
(StaleEdit) if the article was saved since the person loaded the page. Decision: docs/decisions.md
("Revisions with django-simple-history").
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models.signals import m2m_changed
from django.utils import formats, timezone
from django.utils.translation import gettext, gettext_lazy as _
from simple_history.signals import post_create_historical_record, pre_create_historical_record

from babelpress.newsroom.models import Article, Author, Section, Source, StaleEdit, Tag
from babelpress.newsroom.revision_fields import article_history

Revision = Article.history.model

#: What a restore brings back: the text, its placement in a section and tags, its credits. Status,
#: publication time, language, slug (the page's address) and the translation links stay as they are.
RESTORED = ("headline", "alternative_headline", "standfirst", "body", "summary", "section", "tags", "author",
            "source", "original_url", "originally_published_at")

REASONS = {
    "translation": _("Machine translation"),
    "review": _("Translation approved"),
    "import": _("Imported"),
    "import-update": _("Updated from its source"),
    "release": _("Published with its original"),
    "history-start": _("As it was when the history began"),
}


def attribute(article: Article, *, user=None, reason: str = "") -> None:
    """Say who makes the next save of ``article`` and why, where no request tells it (a job, an
    import). ``reason`` is a key of ``REASONS``; ``user`` None leaves the request's user, if any."""
    if getattr(user, "pk", None):
        article._history_user = user
    if reason:
        article._change_reason = reason


def of(article_or_pk):
    """The revisions of an article (a queryset of ``Revision``), newest first."""
    pk = getattr(article_or_pk, "pk", article_or_pk)
    return Revision.objects.filter(id=pk).order_by("-history_date", "-history_id")


def at(article_or_pk, moment):
    """The revision an article was at ``moment`` (its latest one made then or before), or None."""
    return of(article_or_pk).filter(history_date__lte=moment).first()


def when(revision) -> str:
    """The revision's date and time, local, as the reader's language writes them."""
    return formats.date_format(timezone.localtime(revision.history_date), "DATETIME_FORMAT")


def how_label(revision) -> str:
    """What made this revision, in the reader's language: "Created", "Restored the revision of …"."""
    reason = revision.history_change_reason or ""
    if reason.startswith("restore:"):
        restored = Revision.objects.filter(history_id=reason.partition(":")[2] or 0).only("history_date").first()
        if restored is None:
            return gettext("Restored an earlier revision")
        return gettext("Restored the revision of %(date)s") % {"date": when(restored)}
    if reason in REASONS:
        return str(REASONS[reason])
    if revision.history_type == "+":
        return gettext("Created")
    if revision.history_type == "-":
        return gettext("Deleted")
    return gettext("Edited")


def restore(article_pk: int, revision, *, user, loaded_version: int) -> Article:
    """Bring back ``revision``'s text and credits (``RESTORED``) as a new revision by ``user``.

    ``loaded_version`` is the article version the person's page showed: if the article was saved
    since, StaleEdit is raised and nothing is written.
    """
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article_pk)
        if article.version != loaded_version:
            raise StaleEdit(gettext(
                "Someone else saved this article since you opened its history. Nothing was restored: look at "
                "the history again, then restore."))
        for name in ("headline", "alternative_headline", "standfirst", "body", "summary", "original_url",
                     "originally_published_at"):
            setattr(article, name, getattr(revision, name))
        article.section_id = _still_there(Section, revision.section_id) or article.section_id
        article.author_id = _still_there(Author, revision.author_id)
        article.source_id = _still_there(Source, revision.source_id)
        attribute(article, user=user, reason=f"restore:{revision.history_id}")
        article.save_if_current(loaded_version)
        article.tags.set(Tag.objects.filter(pk__in=[pk for pk, _name in revision.tags_snapshot]))
    return article


def _still_there(model, pk):
    return pk if pk is not None and model.objects.filter(pk=pk).exists() else None


# --- keeping the tags in the revisions (connected in NewsroomConfig.ready()) -------------------

def tag_list(article: Article) -> list[list]:
    return [[pk, name] for pk, name in article.tags.order_by("name").values_list("pk", "name")]


def _before_revision(sender, instance, history_instance, **kwargs):
    history_instance.tags_snapshot = [] if history_instance.history_type == "+" else tag_list(instance)


def _after_revision(sender, instance, history_instance, using=None, **kwargs):
    # The attribution was for this save only.
    instance.__dict__.pop("_change_reason", None)
    instance.__dict__.pop("_history_user", None)
    # Tags changed before this transaction ends belong to this revision (see _tags_changed).
    instance._open_revision = history_instance
    transaction.on_commit(partial(_close, instance, history_instance), using=using)


def _close(instance, history_instance) -> None:
    if instance.__dict__.get("_open_revision") is history_instance:
        del instance._open_revision


def _tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if reverse:  # a tag's articles changed (tag.articles.add(...)): each article gets a revision
        if action == "pre_clear":
            instance._clearing = list(instance.articles.values_list("pk", flat=True))
        elif action in ("post_add", "post_remove", "post_clear"):
            pks = instance.__dict__.pop("_clearing", []) if action == "post_clear" else pk_set
            for article in Article.objects.filter(pk__in=pks or []):
                _revision_of_tags(article)
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    revision = instance.__dict__.get("_open_revision")
    if revision is not None:
        revision.tags_snapshot = tag_list(instance)
        revision.save(update_fields=["tags_snapshot"])
    else:
        _revision_of_tags(Article.objects.get(pk=instance.pk))


def _revision_of_tags(article: Article) -> None:
    # The same recorder as a save's (django-simple-history's HistoricalRecords of Article).
    article_history.create_historical_record(article, "~")


def connect() -> None:
    # django-simple-history names the app's package as HistoricalArticle's module, which it cannot be
    # imported from (Django's shell says so); it lives in the models module, beside Article.
    Revision.__module__ = Article.__module__
    pre_create_historical_record.connect(_before_revision, sender=Revision, dispatch_uid="newsroom.revision.tags")
    post_create_historical_record.connect(_after_revision, sender=Revision, dispatch_uid="newsroom.revision.open")
    m2m_changed.connect(_tags_changed, sender=Article.tags.through, dispatch_uid="newsroom.revision.tags_changed")
