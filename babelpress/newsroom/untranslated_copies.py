"""Untranslated copies: what "Create a draft in this language" makes (translation method "copy"),
the original's text in another language version, until a person changes its words (the article
form then marks it a human translation, newsroom/admin.py). A copy is not published as it is
(``Article.clean``) and readers are never told it was translated (newsroom/provenance.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from babelpress import languages


def not_published_as_is(article) -> str:
    """Why an untranslated copy is not published, and what to do instead."""
    source = article.translated_from if article.translated_from_id else None
    fix = _("Translate the headline and the text, then publish. To publish it as it is anyway, set "
            "“Translation method” to “Human translation”.")
    if source is None:
        return _("This is still an untranslated copy of the original: nobody has changed its text yet.") + " " + fix
    return _(
        "This is still an untranslated copy of the %(language)s original: nobody has changed its text yet."
    ) % {"language": languages.language_name(source.language)} + " " + fix
