"""What the importer remembers: followed feeds, where each imported article came from, which
feed entries were already seen, which imports tell the same story (clusters of near-duplicates), and
imports running as jobs."""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from babelpress.newsroom.models import Article, Section, Source


def default_interval() -> int:
    from babelpress.ingest import conf

    return conf.default_interval()


def guid_digest(guid: str) -> str:
    """Entry ids can be 2,000 characters long: the unique index is on their digest."""
    return hashlib.sha256(guid.encode("utf-8", "surrogatepass")).hexdigest()


class Feed(models.Model):
    """A partner feed (RSS, Atom or JSON Feed) that the worker polls for new stories."""

    class Status(models.TextChoices):
        NEVER = "", _("Not polled yet")
        OK = "ok", _("OK")
        NOT_MODIFIED = "not_modified", _("Not modified")
        PARTIAL = "partial", _("Some items failed")
        ERROR = "error", _("Error")

    url = models.URLField(_("feed URL"), max_length=1000, unique=True)
    title = models.CharField(_("title"), max_length=300, blank=True, help_text=_("Filled in from the feed."))
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="feeds", verbose_name=_("source"),
        help_text=_("The organisation credited on every story of this feed. Empty: taken from each page's site name."),
    )
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, null=True, blank=True, related_name="feeds",
        verbose_name=_("default section"), help_text=_("Empty: the first section."),
    )
    language = models.CharField(
        _("language"), max_length=12, blank=True,
        help_text=_("Empty: use what each page declares, else detect it from the text."),
    )
    interval_minutes = models.PositiveIntegerField(_("poll every (minutes)"), default=default_interval)
    trusted = models.BooleanField(
        _("trusted"), default=False,
        help_text=_("Stories from a trusted feed are published at once; others wait in review."),
    )
    active = models.BooleanField(_("active"), default=True)
    respect_robots = models.BooleanField(
        _("respect robots.txt"), default=True,
        help_text=_("Turn off only when an agreement with the publisher allows it."),
    )

    # Conditional GET: saved only once a whole poll went through, so a crash never hides entries.
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)

    next_poll_at = models.DateTimeField(_("next poll"), default=timezone.now, db_index=True)
    # Set when a poll job is queued, so the scheduler does not queue a second one meanwhile.
    queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True, editable=False)
    last_status = models.CharField(_("last status"), max_length=20, blank=True, choices=Status.choices, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    last_report = models.JSONField(_("last report"), default=dict, blank=True, editable=False)
    failures = models.PositiveIntegerField(_("failures in a row"), default=0, editable=False)
    items_seen = models.PositiveIntegerField(_("items seen"), default=0, editable=False)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["url"]
        verbose_name = _("feed")
        verbose_name_plural = _("feeds")

    def __str__(self) -> str:
        return self.title or self.url


class ImportedItem(models.Model):
    """Provenance and dedup record of one imported article."""

    class Origin(models.TextChoices):
        PAGE = "page", _("Article page")
        FEED = "feed", _("Feed entry text")
        FILE = "file", _("HTML file")

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, related_name="import_record", verbose_name=_("article")
    )
    feed = models.ForeignKey(
        Feed, on_delete=models.SET_NULL, null=True, blank=True, related_name="items", verbose_name=_("feed")
    )
    guid = models.CharField(_("feed entry id"), max_length=2000, blank=True)
    origin = models.CharField(_("imported from"), max_length=10, choices=Origin.choices, default=Origin.PAGE)
    original_url = models.URLField(_("original URL"), max_length=1000, blank=True)
    canonical_url = models.URLField(_("canonical URL"), max_length=1000, blank=True, db_index=True)
    content_hash = models.CharField(_("content hash"), max_length=64, help_text=_("SHA-256 of the normalised text."))
    retrieved_at = models.DateTimeField(_("retrieved at"))
    original_published_at = models.DateTimeField(_("originally published"), null=True, blank=True)
    detected_language = models.CharField(_("language"), max_length=12)
    language_declared = models.BooleanField(
        _("language declared"), default=False, help_text=_("Declared by the page, feed or importer, not detected."),
    )
    sitename = models.CharField(_("site name"), max_length=300, blank=True)
    lead_image_url = models.URLField(_("lead image"), max_length=1000, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    minhash = models.BinaryField(_("MinHash signature"), null=True, blank=True, editable=False)
    cluster = models.ForeignKey(
        "StoryCluster", on_delete=models.PROTECT, related_name="items", editable=False,
        verbose_name=_("same-story cluster"),
    )
    # The closest earlier import when this one was imported (what "near-duplicate of …" names);
    # the similarity stays when that import is deleted.
    near_duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False,
        verbose_name=_("near-duplicate of"),
    )
    near_duplicate_similarity = models.FloatField(_("similarity"), null=True, blank=True, editable=False)

    # The text as last imported: when the article still equals it, nobody edited it and a newer
    # version may replace it; otherwise the newer version waits in pending_update.
    imported_headline = models.CharField(max_length=300, blank=True, editable=False)
    imported_standfirst = models.TextField(blank=True, editable=False)
    imported_body = models.TextField(blank=True, editable=False)
    pending_update = models.JSONField(_("newer version waiting"), null=True, blank=True, editable=False)

    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("imported by"),
    )
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("imported article")
        verbose_name_plural = _("imported articles")
        constraints = [
            # One article per original URL and per text: two workers racing on the same story
            # collide here and the loser's transaction is rolled back whole.
            models.UniqueConstraint(fields=["original_url"], condition=~Q(original_url=""),
                                    name="ingest_item_original_url_once"),
            models.UniqueConstraint(fields=["content_hash"], name="ingest_item_content_hash_once"),
        ]

    def __str__(self) -> str:
        return self.original_url or self.canonical_url or f"#{self.pk}"

    def save(self, *args, **kwargs):
        # An import created without a cluster (one no other import resembles) is a cluster of one;
        # the importer itself picks the cluster with clusters.cluster_for.
        if self.cluster_id is None:
            self.cluster = StoryCluster.objects.create(size=1)
        super().save(*args, **kwargs)


class SeenEntry(models.Model):
    """One entry of one feed as last seen: lets a poll skip what did not change, and makes a
    re-run after a crash find what the interrupted run already imported."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="seen_entries")
    guid_hash = models.CharField(max_length=64)
    guid = models.TextField()
    fingerprint = models.CharField(max_length=64, help_text=_("SHA-256 of the entry's link, title, dates and text."))
    item = models.ForeignKey(ImportedItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="entries")
    outcome = models.CharField(max_length=20)
    reason = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    first_seen_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("seen feed entry")
        verbose_name_plural = _("seen feed entries")
        constraints = [models.UniqueConstraint(fields=["feed", "guid_hash"], name="ingest_entry_once_per_feed")]


class StoryCluster(models.Model):
    """Imports that tell the same story: near-duplicates grouped under one id (union-find).

    Every ImportedItem belongs to exactly one cluster; a story nobody else told is a cluster of one.
    How clusters form and merge, and the API for reading them: ``babelpress.ingest.clusters``.
    """

    size = models.PositiveIntegerField(_("imports"), default=1,
                                       help_text=_("Imports in the cluster (merges move the smaller cluster)."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("same-story cluster")
        verbose_name_plural = _("same-story clusters")

    def __str__(self) -> str:
        return f"#{self.pk} ({self.size})"


class MinHashBand(models.Model):
    """One LSH band of an import's MinHash signature (``dedup.band_keys``): imports sharing a band
    key are candidate near-duplicates, found through the index without reading every signature."""

    item = models.ForeignKey(ImportedItem, on_delete=models.CASCADE, related_name="+")
    key = models.BigIntegerField()

    class Meta:
        verbose_name = _("MinHash band")
        verbose_name_plural = _("MinHash bands")
        # (key, item): the newest items of one bucket are read straight off the index.
        indexes = [models.Index(fields=["key", "item"], name="ingest_band_key_item")]


class ImportJob(models.Model):
    """One "Import a story" of a URL from the admin, run by the worker.

    The page is fetched in the background (the fetch budget is longer than a web request may
    last); the editor's progress page reads this row until the job ends, then lands on the draft
    with the outcome's messages, or shows the reason it failed.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)  # not guessable in URLs
    url = models.URLField(_("URL"), max_length=1000)
    section = models.ForeignKey(Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    language = models.CharField(_("language"), max_length=12, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    #: The importer's outcome ("new", "updated", "pending_update", "duplicate", "unchanged", "failed").
    outcome = models.CharField(max_length=20, blank=True)
    article = models.ForeignKey(Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    item = models.ForeignKey("ImportedItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    #: Why it failed, or the outcome's note; empty on a failure means an internal error (see the log).
    reason = models.TextField(blank=True)
    warnings = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return self.url

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
