"""The newsroom's editing screens (Django admin)."""

from __future__ import annotations

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Aggregate, CharField, OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.urls import path
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from babelpress import languages
from babelpress.html_text import html_to_text
from babelpress.newsroom import admin_extensions, admin_history, admin_publishing, constraints
from babelpress.newsroom import admin_users  # noqa: F401  (the user pages with their languages)
from babelpress.newsroom.admin_permissions import with_article_roles
from babelpress.newsroom.body_editor import BodyField, text_language
from babelpress.newsroom.desk_lists import MineFilter
from babelpress.newsroom.admin_forms import (
    ArticleAdminDesk,
    ArticleFormLayout,
    CoauthorsField,
    SectionListFilter,
    section_label,
)
from babelpress.newsroom.coauthors import set_coauthors
from babelpress.newsroom.models import Article, Author, Section, SectionName, Source, StaleEdit, Tag


admin.site.site_header = _("Babelpress newsroom")
admin.site.site_title = _("Babelpress")


class LanguageCodes(Aggregate):
    """Comma-joined language codes: STRING_AGG on PostgreSQL, GROUP_CONCAT on SQLite."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra)


class SectionNameFormSet(constraints.UniqueRowsFormSet):
    """Two rows of one section that clash are told beside the field to change."""

    unique_rows = ((("language",), "language", constraints.SECTION_NAME_ONCE),
                   (("language", "slug"), "slug", constraints.SECTION_SLUG_TAKEN))


class SectionNameInline(admin.TabularInline):
    model = SectionName
    formset = SectionNameFormSet
    extra = 0
    min_num = 1


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "position", "names_list"]
    list_editable = ["position"]
    inlines = [SectionNameInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("names")

    @admin.display(description=_("name"))
    def name(self, obj):
        return section_label(obj)

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


TEXT_FIELDS = ("headline", "alternative_headline", "standfirst", "body", "summary")


class ArticleForm(ArticleFormLayout, forms.ModelForm):
    translation_of = forms.ModelChoiceField(
        queryset=Article.objects.all(), required=False, label=_("Translation of"),
        help_text=_("Link this article to an existing story in another language; both then share one translation key."),
    )
    body = BodyField(label=capfirst(_("body")))  # the rich-text editor (newsroom/body_editor.py)
    coauthors = CoauthorsField(
        queryset=Author.objects.all(), required=False, label=_("Co-authors"),
        help_text=_("Other people who wrote it, named after the author in this order."),
    )
    # The version the editor started from; a save based on an older one is refused.
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # An old imported story's date on the site: its original date, or now (shown only then: admin_publishing.py).
    site_date = admin_publishing.site_date_field()
    # Whether the publishing buttons may act: set per person and article by the admin (admin_permissions.py).
    may_publish = False

    class Meta:
        model = Article
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version
            self.initial.setdefault("coauthors", [row.author_id for row in self.instance.coauthors.all()])
            self.fields["translation_of"].queryset = Article.objects.exclude(translation_key=self.instance.translation_key)
        if "language" in self.fields:  # not on a page its reader may only view
            self.fields["language"].choices = languages.choices()
            text_language(self, self["language"].value(), ["headline", "alternative_headline", "standfirst", "body",
                                                          "summary"], select="language")
        if "published_at" in self.fields:
            self.fields["published_at"].help_text = admin_publishing.published_at_help()
        admin_publishing.describe_site_date(self)

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
        if data.get("translation_method") == Article.TranslationMethod.COPY and self.text_edited():
            # A person translated the copy (or began to): from now on it is their translation.
            data["translation_method"] = Article.TranslationMethod.HUMAN
        target = data.get("translation_of")
        language = data.get("language")
        if target is not None and language:
            if Article.objects.filter(translation_key=target.translation_key, language=language).exclude(pk=self.instance.pk).exists():
                raise ValidationError({"translation_of": _("That story already has a version in this language.")})
        if data.get("coauthors") and not data.get("author") and "author" in self.fields:
            data["author"] = data["coauthors"][0]  # the first named is the author
        admin_publishing.apply_button(self, data)  # Publish now, Schedule, Unpublish
        return data

    def _save_m2m(self):
        super()._save_m2m()
        if "coauthors" in self.changed_data and not self.fields["coauthors"].disabled:
            set_coauthors(self.instance, self.cleaned_data["coauthors"])

    def text_edited(self) -> bool:
        """Whether the person changed the words of a text field (not merely how its HTML is written)."""
        return any(
            html_to_text(str(self.initial.get(name) or "")) != html_to_text(str(self.cleaned_data.get(name) or ""))
            for name in TEXT_FIELDS if name in self.changed_data
        )

    def save(self, commit=True):
        target = self.cleaned_data.get("translation_of")
        if target is not None:
            self.instance.translation_key = target.translation_key
            if not self.instance.translated_from_id and target.language != self.instance.language:
                self.instance.translated_from = target
        return super().save(commit=commit)


@admin.register(Article)
@with_article_roles  # who may edit, delete and publish which article: newsroom/admin_permissions.py
class ArticleAdmin(ArticleAdminDesk, admin.ModelAdmin):
    """The article screens. Other apps add actions, panels, pages and home-page tools through
    babelpress/newsroom/admin_extensions.py, from their own ready(): see docs/architecture.md."""

    form = ArticleForm
    list_display = ["headline", "language", "publication", "section_name", "published_at", "languages_list"]
    list_filter = ["language", "status", MineFilter, ("section", SectionListFilter), "translation_method", "source"]
    search_fields = ["headline", "standfirst", "slug"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["author", "source", "tags", "translated_from"]
    readonly_fields = ["translation_key", "version", "created_at", "updated_at", "comment_count"]
    list_select_related = ["section"]
    # Keyed so that panels can name theirs (admin_extensions.FIELDSETS); Django gets the values.
    article_fieldsets = {
        "content": (None, {"fields": ["language", "headline", "alternative_headline", "slug", "standfirst", "body",
                                      "summary"]}),
        "placement": (_("Placement"), {"fields": ["section", "tags", "status", "published_at"]}),
        "credits": (_("Credits"), {"fields": ["author", "coauthors", "source", "original_url",
                                              "originally_published_at"]}),
        "translations": (_("Translations"), {"fields": ["translation_of", "translated_from", "translation_method",
                                                         "translation_engine", "reviewed_by", "reviewed_at"]}),
        "record": (_("Record"), {"classes": ["collapse"], "fields": ["translation_key", "version", "created_at",
                                                                     "updated_at", "comment_count", "loaded_version"]}),
    }
    fieldsets = list(article_fieldsets.values())

    @property
    def actions(self):  # the newsroom's own (NewsroomConfig.ready) and other apps', each with its permission
        return admin_extensions.actions()

    def view_on_site(self, obj):  # a story readers cannot see yet has no page: its Preview shows it
        return obj.get_absolute_url() if obj.is_published else None

    @admin.display(description=_("co-authors"))
    def coauthors(self, obj):  # shown instead of the field on a page its reader may only view
        return ", ".join(row.author.name for row in obj.coauthors.select_related("author")) or "-"

    @admin.display(description=_("status"), ordering="status")
    def publication(self, obj):
        return admin_publishing.publication_state(obj)  # "Scheduled for …" when its time lies ahead

    def get_fieldsets(self, request, obj=None):
        # An old imported story asks which date the site gives it (admin_publishing.with_site_date).
        return admin_publishing.with_site_date(admin_extensions.with_panels(self.article_fieldsets), request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *admin_extensions.panels()]

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

    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        extra = [
            path(page.route, self.admin_site.admin_view(partial(page.view, self)), name=f"{info}_{page.name}")
            for page in admin_extensions.article_urls()
        ]
        return extra + admin_history.urls(self) + super().get_urls()

    def history_view(self, request, object_id, extra_context=None):
        # The article's revisions (compare, restore) rather than Django's log of admin actions.
        return admin_history.history_view(self, request, object_id)

    def save_model(self, request, obj, form, change):
        edited = set(TEXT_FIELDS) & set(form.changed_data)
        if change and obj.translation_method == Article.TranslationMethod.MACHINE and edited:
            # Text edited here by a person is a human translation now: re-translation must not overwrite it.
            obj.translation_method = Article.TranslationMethod.HUMAN
            messages.info(request, _("You edited a machine translation: it is now marked as a human translation, "
                                     "and automatic re-translation will leave it alone."))
        if change and form.initial.get("translation_method") == Article.TranslationMethod.COPY and (
                obj.translation_method == Article.TranslationMethod.HUMAN):
            messages.info(request, _("You changed the text of this untranslated copy: it is now marked as a human "
                                     "translation."))
        before = (form.initial.get("status"), form.initial.get("published_at")) if change else (None, None)
        if change:
            obj.save_if_current(form.cleaned_data.get("loaded_version") or obj.version)
        else:
            obj.save()
        admin_publishing.tell(request, before, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleEdit as exc:
            # Someone saved between the form's version check and our write (all rolled back). Once
            # more: the check now sees their version and shows the form with the editor's typed
            # changes and the error; a redirect would lose them.
            try:
                return super().changeform_view(request, object_id, form_url, extra_context)
            except StaleEdit:
                messages.error(request, str(exc))
                return HttpResponseRedirect(request.get_full_path())
        except IntegrityError as exc:  # someone saved a clashing article between our check and our save
            message = constraints.message_for_integrity_error(exc)
            if message is None:
                raise
            messages.error(request, _("Not saved: %(reason)s") % {"reason": message})
            return HttpResponseRedirect(request.get_full_path())
