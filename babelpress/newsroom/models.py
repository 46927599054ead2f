"""The newsroom's content model.

One story in several languages is one Article row per language sharing a ``translation_key`` (unique
with ``language``), as Wagtail's TranslatableMixin does. Sections have a name and slug per language.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from babelpress import languages
from babelpress.newsroom import constraints, publication, public_urls
from babelpress.newsroom.coauthors import Coauthor  # noqa: F401  (a model of this app)
from babelpress.newsroom.revision_fields import article_history
from babelpress.newsroom.language_assignments import LanguageAssignment  # noqa: F401  (a model of this app)
from babelpress.newsroom.sanitize import clean_body, clean_text
from babelpress.newsroom.slugs import make_slug
from babelpress.newsroom.story_versions import StoryVersions
from babelpress.newsroom.untranslated_copies import not_published_as_is
from babelpress.newsroom.web_addresses import WebAddressField


class NamedWithSlug(models.Model):
    """A name shown to readers and a slug made from it when left empty."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.name = clean_text(self.name)
        if not self.slug:
            self.slug = make_slug(self.name)
        super().save(*args, **kwargs)


class Section(models.Model):
    """A department of the paper (News, Culture ...), named and slugged in each language."""

    key = models.SlugField(_("key"), max_length=60, unique=True, help_text=_("Internal name, e.g. 'news'."))
    position = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("Order on home pages."))
    translation_policy = models.CharField(
        _("machine translation policy"), max_length=10, blank=True,
        choices=[("", _("Site default")), ("review", _("Hold for review")), ("publish", _("Publish at once, labelled"))],
        help_text=_("What happens to machine translations of this section's stories."),
    )

    class Meta:
        ordering = ["position", "key"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.key

    def localized(self, language: str) -> SectionName | None:
        """This section's name in ``language``; None when it has none (see ``name_in``)."""
        for name in self.names.all():
            if name.language == language:
                return name
        return None

    def name_in(self, language: str) -> str:
        """Display name in ``language``, falling back to the default language, then the key."""
        name = self.localized(language) or self.localized(settings.BABELPRESS_DEFAULT_LANGUAGE)
        return name.name if name else self.key


class SectionName(constraints.FieldBoundConstraints, NamedWithSlug):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="names", verbose_name=_("section"))
    language = models.CharField(_("language"), max_length=12, choices=languages.choices)
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)

    class Meta:
        verbose_name = _("section name")
        verbose_name_plural = _("section names")
        constraints = constraints.SECTION_NAME_CONSTRAINTS

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"

    def get_absolute_url(self) -> str:
        return public_urls.url_for(self)


class Source(models.Model):
    """An organisation whose stories we publish or adapt, credited on every page."""

    name = models.CharField(_("organisation"), max_length=200, unique=True)
    url = WebAddressField(_("website"), max_length=200, blank=True)
    licence = models.CharField(
        _("licence note"), max_length=300, blank=True, help_text=_("E.g. 'CC BY 4.0' or 'Republished with permission'.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.name


class Author(models.Model):
    name = models.CharField(_("name"), max_length=200)
    url = WebAddressField(_("profile URL"), max_length=200, blank=True)
    source = models.ForeignKey(
        Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="authors", verbose_name=_("source")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self) -> str:
        return self.name


class Tag(constraints.FieldBoundConstraints, NamedWithSlug):
    """A keyword in one language; the same idea in another language is another tag."""

    language = models.CharField(_("language"), max_length=12, choices=languages.choices)
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)

    class Meta:
        ordering = ["language", "name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = constraints.TAG_CONSTRAINTS

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"

    def get_absolute_url(self) -> str:
        return public_urls.url_for(self)


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """Live stories: published, and their time (``now`` unless given) has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now() if now is None else now)

    def in_language(self, language: str):
        return self.filter(language=language)


class Article(StoryVersions, constraints.FieldBoundConstraints, models.Model):
    """One story in one language.

    Writes are version-checked (optimistic locking): ``save()`` refuses with StaleEdit when the
    row was saved since this instance was read, so no writer — editor, reviewer, translation job,
    importer, API — silently overwrites a newer edit. People's forms send back the version they
    loaded (``save_if_current``); machines re-read the row with ``select_for_update()`` in their
    transaction. Details in ``save``; the decision in docs/decisions.md ("Optimistic locking").
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")

    class TranslationMethod(models.TextChoices):
        ORIGINAL = "", _("Original")
        MACHINE = "machine", _("Machine translation")
        HUMAN = "human", _("Human translation")
        # "Create a draft in this language": the original's text until a person translates it (untranslated_copies.py).
        COPY = "copy", _("Untranslated copy")

    translation_key = models.UUIDField(
        _("translation key"), default=uuid.uuid4, editable=False, db_index=True,
        help_text=_("Shared by every language version of the same story."),
    )
    language = models.CharField(_("language"), max_length=12, choices=languages.choices, db_index=True)
    slug = models.SlugField(_("slug"), max_length=200, blank=True, help_text=_("Leave empty to make it from the headline."))

    headline = models.CharField(_("headline"), max_length=300)
    alternative_headline = models.CharField(_("alternative headline"), max_length=300, blank=True)
    standfirst = models.TextField(_("standfirst"), blank=True, help_text=_("The lead paragraph under the headline."))
    body = models.TextField(
        _("body"), blank=True,
        help_text=_("HTML: h2/h3 subheadings, paragraphs, lists, quotes, links and images with alt text. "
                    "Anything else is removed on save."),
    )
    summary = models.TextField(_("summary"), blank=True, help_text=_("Shown in the summary box at the end."))

    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles", verbose_name=_("section"))
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles", verbose_name=_("tags"))
    author = models.ForeignKey(
        Author, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles", verbose_name=_("author")
    )
    source = models.ForeignKey(
        Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles", verbose_name=_("source")
    )
    original_url = WebAddressField(_("original URL"), max_length=1000, blank=True)
    # Filled by the importer; translations inherit it. Readers see "First published by <source> on <date>".
    originally_published_at = models.DateTimeField(
        _("originally published at"), null=True, blank=True,
        help_text=_("When its source first published the story (filled in on import). Readers see it on the article "
                    "page, with the source."))

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Optimistic locking: a save based on an older version is refused rather than overwriting.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # Scheduled and not yet announced: set by save(), cleared once by the scheduler (publication.py).
    publication_pending = models.BooleanField(_("publication pending"), default=False, db_default=False, editable=False)

    # Translation provenance; empty for originals.
    translated_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="derived_translations",
        verbose_name=_("translated from"),
    )
    translation_method = models.CharField(
        _("translation method"), max_length=12, choices=TranslationMethod.choices, blank=True, default=""
    )
    translation_engine = models.CharField(_("translation engine"), max_length=100, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    # Who wrote it: a writer may edit their own drafts only (newsroom/permissions.py).
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   editable=False, related_name="+", verbose_name=_("created by"))

    # Kept up to date by the comments app; 0 until a comment is published.
    comment_count = models.PositiveIntegerField(_("comments"), default=0, editable=False)

    objects = ArticleQuerySet.as_manager()
    # Every save keeps a revision, with who and when (newsroom/revisions.py; docs/decisions.md).
    history = article_history

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = constraints.ARTICLE_CONSTRAINTS  # each with its message and field (constraints.py)
        indexes = [models.Index(fields=["language", "status", "-published_at"], name="article_listing")]
        permissions = [  # what the roles are made of: docs/roles.md
            ("publish_article", _("Can publish and unpublish articles")),
            ("change_any_article", _("Can edit every article, whoever wrote it")),
            ("translate_article", _("Can edit and review translations in the languages assigned to them")),
        ]

    def __str__(self) -> str:
        return f"{self.headline} [{self.language}]"

    # --- saving ---------------------------------------------------------------------------

    def clean(self):
        super().clean()
        publication.fill_time(self)  # before the constraints are checked: "Publish" needs no date
        if self.status == self.Status.PUBLISHED and not self.headline.strip():
            raise ValidationError({"headline": _("A published article needs a headline.")})
        if self.status == self.Status.PUBLISHED and self.translation_method == self.TranslationMethod.COPY:
            raise ValidationError({"status": not_published_as_is(self)})
        if self.language and self.language not in settings.BABELPRESS_CONTENT_LANGUAGES:
            raise ValidationError({"language": _("This language is not one of the site's content languages.")})
        if self.translation_key and self.language:
            clash = Article.objects.filter(translation_key=self.translation_key, language=self.language)
            if self.pk:
                clash = clash.exclude(pk=self.pk)
            if clash.exists():
                raise ValidationError({"language": _("This story already exists in this language.")})

    def _unique_slug(self) -> str:
        base = self.slug or make_slug(self.headline)
        slug, n = base, 2
        taken = Article.objects.filter(language=self.language)
        if self.pk:
            taken = taken.exclude(pk=self.pk)
        while taken.filter(slug=slug).exists():
            suffix = f"-{n}"
            slug = base[: 200 - len(suffix)] + suffix
            n += 1
        return slug

    def save(self, *args, **kwargs):
        """Clean and save; an existing row is saved only if nobody saved it since this instance
        was read (else StaleEdit, and nothing is written).

        This is the one write path for articles (optimistic locking, see ``version``): every save
        of an existing row first runs ``UPDATE … SET version = version + 1 WHERE id = … AND
        version = <the version this instance holds>``, then the row itself, in one transaction.
        So a writer working from an older read can never overwrite a newer save:

        * a person's form carries the version it was loaded at: ``save_if_current(loaded)``;
          StaleEdit means "someone saved since you opened it: reload" (admin form, review screen,
          and any API: send the version back, answer 409 on StaleEdit);
        * a machine (job, import) re-reads the row under ``select_for_update()`` inside its
          transaction, decides on what it finds then, and saves that instance.

        Never write article content with ``QuerySet.update()``: it bypasses the check.
        """
        self.headline = clean_text(self.headline)
        self.alternative_headline = clean_text(self.alternative_headline)
        self.body = clean_body(self.body)
        self.slug = self._unique_slug()
        publication.fill_time(self)
        self.publication_pending = publication.is_scheduled(self)
        if self._state.adding or self.pk is None:
            super().save(*args, **kwargs)
            return
        using = kwargs.get("using") or router.db_for_write(Article, instance=self)
        # One transaction: the bump holds the row lock until the row itself is written.
        with transaction.atomic(using=using):
            bumped = Article.objects.using(using).filter(pk=self.pk, version=self.version).update(
                version=models.F("version") + 1)
            if not bumped:
                raise StaleEdit(
                    _("Someone else saved this article since you opened it. Reload it, re-apply your changes "
                      "and save again.")
                )
            self.version += 1
            try:
                super().save(*args, **kwargs)
            except BaseException:
                self.version -= 1  # rolled back with the transaction: the instance says so too
                raise

    def save_if_current(self, expected_version: int, **kwargs) -> None:
        """Save only if the row is still at ``expected_version`` (the version a person's form was
        loaded at); else raise StaleEdit and write nothing. See ``save``."""
        if self.pk and not self._state.adding:
            self.version = expected_version
        self.save(**kwargs)

    # --- reading --------------------------------------------------------------------------

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.published_at is not None and self.published_at <= timezone.now()

    @property
    def is_translation(self) -> bool:
        return bool(self.translation_method)

    def get_absolute_url(self) -> str:
        return public_urls.url_for(self)


class StaleEdit(Exception):
    """Raised by Article.save when the row was saved by someone else since the instance was read."""
