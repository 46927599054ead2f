"""How a text was translated, told to the reader in the UI language.

French (and other languages) decline "from English" differently per language ("de l'anglais",
"du russe"), so each source language has its own whole sentence in the catalogs rather than
a language name pasted into a template.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_lazy as _

from babelpress.languages import language_name

MACHINE = {
    "en": _("Machine-translated from English"),
    "fr": _("Machine-translated from French"),
    "hy": _("Machine-translated from Armenian"),
    "ru": _("Machine-translated from Russian"),
    "ar": _("Machine-translated from Arabic"),
}
HUMAN = {
    "en": _("Translated from English"),
    "fr": _("Translated from French"),
    "hy": _("Translated from Armenian"),
    "ru": _("Translated from Russian"),
    "ar": _("Translated from Arabic"),
}
REVIEWED = {
    "en": _("Translated from English, reviewed by %(name)s"),
    "fr": _("Translated from French, reviewed by %(name)s"),
    "hy": _("Translated from Armenian, reviewed by %(name)s"),
    "ru": _("Translated from Russian, reviewed by %(name)s"),
    "ar": _("Translated from Arabic, reviewed by %(name)s"),
}


def reviewer_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def label(article) -> str:
    """The reader-facing provenance line, or "" for an original (and for an untranslated copy)."""
    source_language = article.translated_from.language if article.translated_from_id and article.translated_from else ""
    method = article.translation_method
    if not method or method == "copy" or not source_language:  # an untranslated copy was not translated
        return ""
    if article.reviewed_by_id:
        template = REVIEWED.get(source_language)
        name = reviewer_name(article.reviewed_by)
        if template is not None:
            return str(template) % {"name": name}
        return gettext("Translated from %(language)s, reviewed by %(name)s") % {
            "language": language_name(source_language), "name": name,
        }
    table = MACHINE if method == "machine" else HUMAN
    if source_language in table:
        return str(table[source_language])
    if method == "machine":
        return gettext("Machine-translated from: %(language)s") % {"language": language_name(source_language)}
    return gettext("Translated from: %(language)s") % {"language": language_name(source_language)}
