"""Translation state: memory, glossary, per-article segments, jobs and engine metering."""

from __future__ import annotations

import hashlib
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from babelpress import languages


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class MemoryEntry(models.Model):
    """One translated segment: reused whenever the same source text is translated again."""

    source_language = models.CharField(_("source language"), max_length=12)
    target_language = models.CharField(_("target language"), max_length=12)
    source_hash = models.CharField(_("source hash"), max_length=64, db_index=True)
    source_text = models.TextField(_("source text"))
    target_text = models.TextField(_("target text"))
    engine = models.CharField(_("engine"), max_length=100, help_text=_("'human' for reviewer edits."))
    human_edited = models.BooleanField(_("edited by a human"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    used_at = models.DateTimeField(_("last used"), default=timezone.now)
    uses = models.PositiveIntegerField(_("uses"), default=1)

    class Meta:
        verbose_name = _("translation memory entry")
        verbose_name_plural = _("translation memory")
        constraints = [
            models.UniqueConstraint(
                fields=["source_language", "target_language", "source_hash", "engine"], name="memory_unique_per_engine"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_language}→{self.target_language}: {self.source_text[:60]}"


class GlossaryTerm(models.Model):
    """A name or term with its form in each language (shared with topics/discovery)."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("Organisation")
        PERSON = "person", _("Person")
        PLACE = "place", _("Place")
        TERM = "term", _("Term")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TERM)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary")

    def __str__(self) -> str:
        names = list(self.names.all()[:1])
        return names[0].name if names else f"#{self.pk}"


class GlossaryName(models.Model):
    """The term in one language: its preferred form and the aliases that mean the same."""

    term = models.ForeignKey(GlossaryTerm, on_delete=models.CASCADE, related_name="names", verbose_name=_("term"))
    language = models.CharField(_("language"), max_length=12, choices=languages.choices)
    name = models.CharField(_("preferred form"), max_length=200)
    aliases = models.TextField(_("aliases"), blank=True, help_text=_("Other forms in this language, one per line."))
    inflected_forms = models.TextField(
        _("inflected forms"), blank=True,
        help_text=_("The forms grammar gives the preferred form in this language, one per line: feminine and "
                    "plural (turco-azerbaïdjanaise, turco-azerbaïdjanaises), cases (Ереване, Еревана). They are "
                    "recognised in an original, and a translation may use any of them."),
    )
    match_stem = models.BooleanField(
        _("match by stem"), default=False,
        help_text=_("Also count any word with the same stem as the preferred form (Snowball stemmer), for words "
                    "with too many forms to list, such as Russian or Armenian case endings."),
    )

    class Meta:
        verbose_name = _("glossary name")
        verbose_name_plural = _("glossary names")
        constraints = [models.UniqueConstraint(fields=["term", "language"], name="glossary_name_once_per_language")]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"

    def alias_list(self) -> list[str]:
        return [a.strip() for a in self.aliases.splitlines() if a.strip()]

    def forms(self) -> list[str]:
        return [self.name, *self.alias_list()]

    def inflected_form_list(self) -> list[str]:
        return [f.strip() for f in self.inflected_forms.splitlines() if f.strip()]

    def clean(self):
        """Inflected forms: trimmed, one per line, each once and none the preferred form; each fits
        ``FORM_MAX``; matching by stem only in a language Snowball stems."""
        from babelpress.translation.stemming import has_stemmer, stemmer_languages

        super().clean()
        errors = {}
        forms = unique_forms(self.name, self.inflected_form_list())
        too_long = [form for form in forms if len(form) > FORM_MAX]
        if too_long:
            errors["inflected_forms"] = _("“%(form)s” is longer than %(max)s characters: is it one form? Put one "
                                          "form per line.") % {"form": too_long[0][:24] + "…", "max": FORM_MAX}
        if self.match_stem and not has_stemmer(self.language):
            errors["match_stem"] = _(
                "There is no stemmer for %(language)s (there is one for %(languages)s): list its forms under "
                "“inflected forms” instead.") % {"language": languages.language_name(self.language),
                                                 "languages": ", ".join(stemmer_languages())}
        if errors:
            raise ValidationError(errors)
        self.inflected_forms = "\n".join(forms)


#: The longest inflected form, in characters (the same as a preferred form).
FORM_MAX = 200


def unique_forms(preferred: str, forms) -> list[str]:
    """``forms`` trimmed (spaces collapsed, NFC), each once whatever its case, the preferred form left out."""
    seen = {" ".join(unicodedata.normalize("NFC", preferred or "").split()).casefold()}
    kept = []
    for form in forms:
        form = " ".join(unicodedata.normalize("NFC", form).split())
        if form and form.casefold() not in seen:
            seen.add(form.casefold())
            kept.append(form)
    return kept


class Translation(models.Model):
    """The machine/human translation state of one target article (one per target row)."""

    class State(models.TextChoices):
        MACHINE = "machine", _("Machine draft")
        REVIEWED = "reviewed", _("Reviewed")
        OUTDATED = "outdated", _("Outdated")

    article = models.OneToOneField(
        "newsroom.Article", on_delete=models.CASCADE, related_name="translation_state", verbose_name=_("article")
    )
    source = models.ForeignKey(
        "newsroom.Article", on_delete=models.CASCADE, related_name="translation_targets", verbose_name=_("source")
    )
    #: Hash of the source's translatable content when this translation was last made or reviewed.
    source_digest = models.CharField(_("source digest"), max_length=64)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.MACHINE)
    engine = models.CharField(_("engine"), max_length=100, blank=True)
    qa_errors = models.PositiveIntegerField(_("QA errors"), default=0)
    qa_warnings = models.PositiveIntegerField(_("QA warnings"), default=0)
    conflicts = models.PositiveIntegerField(_("conflicts"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")

    def __str__(self) -> str:
        return f"{self.source_id} → {self.article.language}"


class Segment(models.Model):
    """One segment of a translated article, aligned with its source for review."""

    translation = models.ForeignKey(Translation, on_delete=models.CASCADE, related_name="segments")
    position = models.PositiveIntegerField()
    field = models.CharField(max_length=40, help_text="headline, standfirst, body, summary, alt …")
    source_text = models.TextField()
    source_hash = models.CharField(max_length=64)
    machine_text = models.TextField(blank=True)
    target_text = models.TextField(blank=True)
    human_edited = models.BooleanField(default=False)
    #: The source text a human edit was made against; differs from source_text after a source edit.
    edited_source_text = models.TextField(blank=True)
    conflict = models.BooleanField(default=False)
    qa = models.JSONField(default=list, blank=True, help_text="[{'check': ..., 'level': 'error'|'warning', 'message': ...}]")

    class Meta:
        ordering = ["translation", "position"]
        constraints = [models.UniqueConstraint(fields=["translation", "position"], name="segment_position_unique")]


class TranslationJob(models.Model):
    """A request to translate one source article into one language, run by the worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        WAITING = "waiting", _("Waiting (monthly cap reached)")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    source = models.ForeignKey("newsroom.Article", on_delete=models.CASCADE, related_name="translation_jobs")
    target_language = models.CharField(_("target language"), max_length=12, choices=languages.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    engine = models.CharField(_("engine"), max_length=100, blank=True)
    engine_calls = models.PositiveIntegerField(_("engine calls"), default=0)
    segments_from_memory = models.PositiveIntegerField(_("segments from memory"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # The lease of a running job (babelpress/translation/leases.py): the worker running it renews
    # lease_expires_at while it lives; past it, the job is taken back and queued again.
    worker = models.CharField(_("worker"), max_length=200, blank=True, help_text=_("Host and process id of the worker."))
    lease_expires_at = models.DateTimeField(_("lease expires at"), null=True, blank=True)
    lease_token = models.CharField(max_length=32, blank=True, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("translation job")
        verbose_name_plural = _("translation jobs")
        constraints = [
            # At most one open job per story and language: a second request joins the first.
            models.UniqueConstraint(
                fields=["source", "target_language"],
                condition=models.Q(status__in=["queued", "running", "waiting"]),
                name="one_open_translation_job",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.source_id} → {self.target_language} ({self.status})"


class EngineUsage(models.Model):
    """Characters sent to a (paid) engine per calendar month."""

    engine = models.CharField(max_length=100)
    month = models.CharField(max_length=7, help_text="YYYY-MM")
    characters = models.PositiveBigIntegerField(default=0)
    requests = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("engine usage")
        verbose_name_plural = _("engine usage")
        constraints = [models.UniqueConstraint(fields=["engine", "month"], name="usage_once_per_month")]


class ApprovalOverride(models.Model):
    """A reviewer approved a translation that QA held back (errors, or a length far from the
    source's): who, when, why, and what they waived. Shown on the article's page and the review
    screen; kept when the translation is made again."""

    article = models.ForeignKey("newsroom.Article", on_delete=models.CASCADE, related_name="approval_overrides",
                                verbose_name=_("article"))
    translation = models.ForeignKey(Translation, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="overrides", verbose_name=_("translation"))
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("reviewer"))
    #: The reviewer's name as it was, kept if their account is deleted.
    reviewer_name = models.CharField(_("reviewer's name"), max_length=300, blank=True)
    approved_at = models.DateTimeField(_("approved at"), default=timezone.now)
    reason = models.TextField(_("reason"))
    errors = models.PositiveIntegerField(_("QA errors"), default=0)
    warnings = models.PositiveIntegerField(_("QA warnings"), default=0)
    #: The translation's length as a share of the source's, and the bounds it was held to.
    length_ratio = models.FloatField(_("length ratio"), null=True, blank=True)
    length_bounds = models.JSONField(_("expected length ratio"), default=list, blank=True)
    #: The issues waived, as QA stores them plus where: [{"position", "field", "check", "level",
    #: "code", "params"}]; rendered in the viewer's language (qa_messages).
    issues = models.JSONField(_("issues waived"), default=list, blank=True)

    class Meta:
        ordering = ["-approved_at"]
        verbose_name = _("approval despite QA")
        verbose_name_plural = _("approvals despite QA")

    def __str__(self) -> str:
        return f"{self.article_id} {self.approved_at:%Y-%m-%d %H:%M} {self.reviewer_name}"
