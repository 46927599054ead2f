"""The newsroom's editing screens (Django admin)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Aggregate, CharField, OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _, ngettext

from babelpress import languages
from babelpress.newsroom.models import Article, Author, Section, SectionName, Source, StaleEdit, Tag


admin.site.index_template = "admin/babelpress_index.html"
admin.site.site_header = _("Babelpress newsroom")
admin.site.site_title = _("Babelpress")


class LanguageCodes(Aggregate):
    """Comma-joined language codes: STRING_AGG on PostgreSQL, GROUP_CONCAT on SQLite."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra)


class SectionNameInline(admin.TabularInline):
    model = SectionName
    extra = 0
    min_num = 1


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["key", "position", "names_list"]
    list_editable = ["position"]
    inlines = [SectionNameInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("names")

    @admin.display(description=_("names"))
    def names_list(self, obj):
        return ", ".join(f"{n.language}: {n.name}" for n in obj.names.all())


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "licence"]
    search_fields = ["name"]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "source"]
    search_fields = ["name"]
    autocomplete_fields = ["source"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "language", "slug"]
    list_filter = ["language"]
    search_fields = ["name"]
    prepopulated_fields = {}


class ArticleForm(forms.ModelForm):
    translation_of = forms.ModelChoiceField(
        queryset=Article.objects.all(), required=False, label=_("Translation of"),
        help_text=_("Link this article to an existing story in another language; both then share one translation key."),
    )
    # The version the editor started from; a save based on an older one is refused.
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version
            self.fields["translation_of"].queryset = Article.objects.exclude(translation_key=self.instance.translation_key)
        self.fields["language"].choices = languages.choices()

    def clean(self):
        data = super().clean()
        loaded = data.get("loaded_version")
        if self.instance.pk and loaded is not None:
            current = Article.objects.filter(pk=self.instance.pk)
            if transaction.get_connection().in_atomic_block:
                # The admin saves in one transaction: holding the row until then means nobody can
                # save between this check and ours, so the editor gets this form error (their
                # changes still on screen), not the StaleEdit fallback below.
                current = current.select_for_update(no_key=True)
            current = current.values_list("version", flat=True).first()
            if current is not None and current != loaded:
                raise ValidationError(
                    _("Someone else saved this article since you opened it. Copy your changes, reload the page "
                      "and apply them again.")
                )
        target = data.get("translation_of")
        language = data.get("language")
        if target is not None and language:
            if Article.objects.filter(translation_key=target.translation_key, language=language).exclude(pk=self.instance.pk).exists():
                raise ValidationError({"translation_of": _("That story already has a version in this language.")})
        return data

    def save(self, commit=True):
        target = self.cleaned_data.get("translation_of")
        if target is not None:
            self.instance.translation_key = target.translation_key
            if not self.instance.translated_from_id and target.language != self.instance.language:
                self.instance.translated_from = target
        return super().save(commit=commit)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    list_display = ["headline", "language", "status", "section", "published_at", "languages_list"]
    list_filter = ["language", "status", "section", "translation_method", "source"]
    search_fields = ["headline", "standfirst", "slug"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["author", "source", "tags", "translated_from"]
    readonly_fields = ["translation_key", "version", "created_at", "updated_at", "comment_count", "translations_panel",
                       "import_provenance"]
    list_select_related = ["section"]
    actions = ["queue_translations"]
    fieldsets = [
        (None, {"fields": ["language", "headline", "alternative_headline", "slug", "standfirst", "body", "summary"]}),
        (_("Placement"), {"fields": ["section", "tags", "status", "published_at"]}),
        (_("Credits"), {"fields": ["author", "source", "original_url", "import_provenance"]}),
        (_("Translations"), {"fields": ["translations_panel", "translation_of", "translated_from", "translation_method",
                                         "translation_engine", "reviewed_by", "reviewed_at"]}),
        (_("Record"), {"classes": ["collapse"], "fields": ["translation_key", "version", "created_at", "updated_at",
                                                           "comment_count", "loaded_version"]}),
    ]

    @admin.action(description=_("Translate the selected originals into every other language"))
    def queue_translations(self, request, queryset):
        from babelpress.translation import workflow

        from babelpress.translation import registry

        queued = skipped = unsupported = 0
        for source in queryset.select_related("section"):
            if source.translation_method:
                skipped += 1  # translations are made from originals only
                continue
            targets = []
            for code in languages.content_language_codes():
                if code == source.language:
                    continue
                if registry.can_translate(source.language, code):
                    targets.append(code)
                else:
                    unsupported += 1
            queued += len(workflow.enqueue(source, targets, user=request.user))
        messages.success(request, ngettext("%(count)d translation job queued.", "%(count)d translation jobs queued.",
                                           queued) % {"count": queued})
        if skipped:
            messages.info(request, ngettext(
                "%(count)d article skipped: only originals are translated.",
                "%(count)d articles skipped: only originals are translated.", skipped) % {"count": skipped})
        if unsupported:
            messages.warning(request, ngettext(
                "%(count)d language pair has no translation engine: install a model "
                "(babelpress translation install-model) or configure an engine.",
                "%(count)d language pairs have no translation engine: install a model "
                "(babelpress translation install-model) or configure an engine.", unsupported) % {"count": unsupported})

    @admin.display(description=_("import provenance"))
    def import_provenance(self, obj):
        from babelpress.ingest.admin import provenance_html

        return provenance_html(obj) if obj.pk else ""

    @admin.display(description=_("languages"))
    def languages_list(self, obj):
        codes = getattr(obj, "story_languages", None)
        if codes is None:  # an object not loaded through get_queryset
            codes = ",".join(Article.objects.filter(translation_key=obj.translation_key).values_list("language", flat=True))
        return ", ".join(sorted(codes.split(",")))

    def get_queryset(self, request):
        # Every language of each listed story in the same query, not one query per row.
        versions = (
            Article.objects.filter(translation_key=OuterRef("translation_key"))
            .order_by().values("translation_key").annotate(codes=LanguageCodes("language")).values("codes")
        )
        return super().get_queryset(request).annotate(story_languages=Subquery(versions[:1]))

    @admin.display(description=_("this story in other languages"))
    def translations_panel(self, obj):
        if not obj.pk:
            return _("Save the article first, then create its translations here.")
        existing = {a.language: a for a in obj.translations()}
        rows, missing = [], []
        for lang in languages.content_languages():
            if lang.code == obj.language:
                continue
            other = existing.get(lang.code)
            if other:
                rows.append((lang.name, reverse("admin:newsroom_article_change", args=[other.pk]),
                             f"{other.headline} — {other.get_status_display()}"))
            else:
                missing.append((lang.name, reverse("admin:newsroom_article_translate", args=[obj.pk, lang.code]),
                                _("Create a draft in this language")))
        # formaction posts the change form (with its CSRF token) to the translate view: no nested form.
        return format_html(
            "<ul>{}{}</ul>",
            format_html_join("", '<li>{}: <a href="{}">{}</a></li>', rows),
            format_html_join("", '<li>{}: <button type="submit" class="button" formaction="{}" formnovalidate>{}</button></li>', missing),
        )

    def get_urls(self):
        custom = [
            path("<int:pk>/translate/<str:lang>/", self.admin_site.admin_view(self.create_translation_view),
                 name="newsroom_article_translate"),
        ]
        return custom + super().get_urls()

    def create_translation_view(self, request, pk, lang):
        source = get_object_or_404(Article, pk=pk)
        if not self.has_add_permission(request) or request.method != "POST":
            return HttpResponseRedirect(reverse("admin:newsroom_article_change", args=[pk]))
        if lang not in languages.content_language_codes():
            messages.error(request, _("%(language)s is not one of the site's content languages.") % {
                "language": languages.language_name(lang)})
            return HttpResponseRedirect(reverse("admin:newsroom_article_change", args=[pk]))
        try:
            with transaction.atomic():
                draft = source.create_translation(lang)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(reverse("admin:newsroom_article_change", args=[pk]))
        messages.success(request, _("Draft created: translate the text below, then publish it."))
        return HttpResponseRedirect(reverse("admin:newsroom_article_change", args=[draft.pk]))

    def save_model(self, request, obj, form, change):
        edited = {"headline", "alternative_headline", "standfirst", "body", "summary"} & set(form.changed_data)
        if change and obj.translation_method == Article.TranslationMethod.MACHINE and edited:
            # Text edited here by a person is a human translation now: re-translation must not overwrite it.
            obj.translation_method = Article.TranslationMethod.HUMAN
            messages.info(request, _("You edited a machine translation: it is now marked as a human translation, "
                                     "and automatic re-translation will leave it alone."))
        if change:
            obj.save_if_current(form.cleaned_data.get("loaded_version") or obj.version)
        else:
            obj.save()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleEdit as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(request.get_full_path())
