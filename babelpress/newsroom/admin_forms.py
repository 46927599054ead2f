"""How the article screens present and keep an editor's work: wide headline fields that show a
long headline whole, "Translation of" and the co-authors as search boxes, sections named in the
admin's language, and a form error that names the fields to correct.

Mixed into the article form and admin (newsroom/admin.py) and usable by any admin that shows a
section (``SectionChoiceField``, ``SectionListFilter``, ``section_label``).
"""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext, gettext_lazy as _

from babelpress import languages
from babelpress.newsroom.admin_site import (
    KeyCheckedAutocompleteSelect,
    KeyCheckedAutocompleteSelectMultiple,
    KeyCheckedMultipleChoiceField,
)
from babelpress.newsroom.models import Article, Section

#: Query parameters of the admin's autocomplete view for "Translation of": the story to leave out,
#: and the language whose stories to leave out (those that have a version in it).
EXCLUDE_STORY, FOR_LANGUAGE = "exclude_story", "for_language"


# --- Sections in the admin's language -------------------------------------------------------------


def section_label(section: Section) -> str:
    """The section's name in the admin's language, else in the site's default language, else its key.
    Reads ``section.names`` (prefetch it for lists)."""
    code = (get_language() or "").lower()
    if section.localized(code) is None and section.localized(code.split("-")[0]) is not None:
        code = code.split("-")[0]  # "fr-ca" reads the French name
    return section.name_in(code)


class SectionChoiceField(forms.ModelChoiceField):
    """A section select that shows names in the admin's language (one query for all the names)."""

    def __init__(self, queryset=None, **kwargs):
        super().__init__((queryset if queryset is not None else Section.objects.all()).prefetch_related("names"),
                         **kwargs)

    def label_from_instance(self, obj):
        return section_label(obj)


class SectionListFilter(admin.RelatedFieldListFilter):
    """The list filter on a foreign key to Section, with the sections' names in the admin's language."""

    def field_choices(self, field, request, model_admin):
        return [(section.pk, section_label(section)) for section in Section.objects.prefetch_related("names")]


# --- The article form ------------------------------------------------------------------------------


class StoryAutocomplete(KeyCheckedAutocompleteSelect):
    """The admin's article search box for "Translation of": only the stories the article being
    edited can join, i.e. not its own and none that has a version in its language yet."""

    def __init__(self, *args, article: Article | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article

    def get_url(self):
        url = super().get_url()
        if self.article is None or self.article.pk is None:
            return url
        return f"{url}?{urlencode({EXCLUDE_STORY: self.article.translation_key, FOR_LANGUAGE: self.article.language})}"


class PeopleAutocomplete(KeyCheckedAutocompleteSelectMultiple):
    """The author search box for several people, showing those chosen in the order given."""

    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        order = {str(v): n for n, v in enumerate(value)}
        for _group, options, _index in groups:
            options.sort(key=lambda option: order.get(str(option["value"]), len(order)))
        return groups


class CoauthorsField(KeyCheckedMultipleChoiceField):
    """The people credited after the author (newsroom/coauthors.py), in the order chosen."""

    def clean(self, value):
        found = {str(author.pk): author for author in super().clean(value)}
        return [found[str(v)] for v in dict.fromkeys(value or ()) if str(v) in found]

    def has_changed(self, initial, data):
        return [str(v) for v in initial or ()] != [str(v) for v in data or ()]


def story_search_scope(request, queryset):
    """What the autocomplete view lists for a StoryAutocomplete box (its query parameters)."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name != "autocomplete":
        return queryset
    try:
        queryset = queryset.exclude(translation_key=uuid.UUID(request.GET.get(EXCLUDE_STORY, "")))
    except ValueError:
        return queryset
    language = request.GET.get(FOR_LANGUAGE, "")
    if language in languages.content_language_codes():
        queryset = queryset.exclude(translation_key__in=Article.objects.filter(language=language)
                                    .values("translation_key"))
    return queryset


# The headline fields: a textarea of two rows as wide as the form, so a long headline shows whole;
# no maxlength attribute, which makes a browser cut a pasted headline without a word; the length
# is checked on save, with a message that says by how much.
WIDE_TEXT = {"headline": 2, "alternative_headline": 2}
LENGTH_MESSAGE = _("This is %(show_value)s characters long; at most %(limit_value)s fit: shorten it.")


def _length_error(field: forms.CharField) -> None:
    for validator in field.validators:
        if getattr(validator, "code", None) == "max_length":
            validator.message = LENGTH_MESSAGE


class ArticleFormLayout:
    """Mixed into the article form (before ``forms.ModelForm``): the wide headline fields, the
    "Translation of" search box, the sections in the admin's language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, rows in WIDE_TEXT.items():
            if name in self.fields:
                field = self.fields[name]
                text = str((self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)) or "")
                # Enough rows for the text at about 70 characters a row, for browsers that do not
                # grow the field with its text (the stylesheet's field-sizing).
                rows = max(rows, min(6, -(-len(text) // 70)))
                field.widget = forms.Textarea(attrs={"rows": rows, "class": "vLargeTextField babelpress-wide"})
                _length_error(field)
        if "slug" in self.fields:
            self.fields["slug"].widget.attrs["class"] = "vTextField babelpress-wide"
        if "translation_of" in self.fields:
            field = self.fields["translation_of"]
            field.widget = StoryAutocomplete(Article._meta.get_field("translated_from"), admin.site,
                                             attrs={"data-width": "100%"}, article=self.instance)  # long headlines
            field.queryset = field.queryset  # binds the new widget to the field's choices
        if "coauthors" in self.fields:
            field = self.fields["coauthors"]
            field.widget = PeopleAutocomplete(Article._meta.get_field("author"), admin.site,
                                              attrs={"data-width": "100%"})
            field.queryset = field.queryset
        if "section" in self.fields:
            section = self.fields["section"]
            section.label_from_instance = section_label
            section.queryset = section.queryset.prefetch_related("names")

    def add_error(self, field, error):
        # The model's checks run on what the form accepted: a field the form refused was not given
        # to them, so what they say of it ("A published article needs a headline" under a headline
        # 400 characters long) contradicts what the editor typed. The form's own message stays.
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            kept = {name: errors for name, errors in error.error_dict.items() if name not in self._errors}
            if not kept:
                return
            error = ValidationError(kept)
        super().add_error(field, error)

    class Media:
        css = {"all": ["newsroom/article_form.css"]}


# --- The article admin -----------------------------------------------------------------------------


class ArticleAdminDesk:
    """Mixed into the article admin (before ``admin.ModelAdmin``)."""

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("section__names")  # section_name: one query

    @admin.display(description=_("section"), ordering="section__position")
    def section_name(self, obj):
        return section_label(obj.section)

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        return story_search_scope(request, queryset), duplicates

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        if form.is_bound and form.errors:
            messages.error(request, errors_summary(form))
        return super().render_change_form(request, context, add, change, form_url, obj)


def errors_summary(form) -> str:
    """"Nothing was saved yet … Original URL: Enter a full web address …", each field a link to it
    (one line: the admin draws each message as a line of its own)."""
    rows = []
    for name, errors in form.errors.items():
        if name == forms.forms.NON_FIELD_ERRORS or name not in form.fields:
            label, anchor = gettext("The article"), "content-main"
        else:
            label, anchor = form.fields[name].label or name, f"id_{name}"
        rows.append((anchor, label, " ".join(errors)))
    fields = format_html_join("; ", '<a href="#{}">{}</a>: {}', rows)
    return format_html("{} {}", gettext("Nothing was saved yet; your changes are still in the form. Correct what is "
                                        "marked, then save again:"), fields)
