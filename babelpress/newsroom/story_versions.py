"""One story in several languages: an Article row per language sharing a ``translation_key``. The
language versions of a story, finding one, and starting one (mixed into ``models.Article``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from babelpress import languages

if TYPE_CHECKING:
    from babelpress.newsroom.models import Article

#: What a translation takes from its original when it is made (here, and by translation jobs): its
#: section and credits — the source, the author, the original address and date of publication.
INHERITED = ("section", "author", "source", "original_url", "originally_published_at")


class StoryVersions:
    """The language versions of one story (methods of ``Article``)."""

    def translations(self, published_only: bool = False, include_self: bool = False):
        """The other language versions of this story (a queryset ordered by language).

        With ``published_only`` only those readers can see; with ``include_self`` this row too.
        """
        qs = type(self).objects.filter(translation_key=self.translation_key)
        if not include_self:
            qs = qs.exclude(pk=self.pk)
        if published_only:
            qs = qs.published()
        return qs.order_by("language")

    def get_translation(self, language: str, fallback: bool = False) -> Article | None:
        """This story in ``language``.

        Returns the row itself when ``language`` is its own. When no row exists in ``language``:
        with ``fallback=False`` returns None; with ``fallback=True`` returns the version in the
        site's default language, else the original (the row others were translated from),
        else this row — so a caller always has something to show.
        """
        if language == self.language:
            return self
        found = {a.language: a for a in self.translations()}
        if language in found:
            return found[language]
        if not fallback:
            return None
        default = settings.BABELPRESS_DEFAULT_LANGUAGE
        if default == self.language:
            return self
        if default in found:
            return found[default]
        original = next((a for a in found.values() if not a.translation_method), None)
        return original or self

    def create_translation(self, language: str, **fields) -> Article:
        """Start a draft in ``language`` sharing this story's key (content copied unless given)."""
        if language == self.language or self.translations().filter(language=language).exists():
            raise ValidationError(
                _("This story already exists in %(language)s.") % {"language": languages.language_name(language)}
            )
        copy = {
            "headline": self.headline, "alternative_headline": self.alternative_headline,
            "standfirst": self.standfirst, "body": self.body, "summary": self.summary, **self.inherited(),
            "translated_from": self, "translation_method": self.TranslationMethod.HUMAN, "status": self.Status.DRAFT,
        }
        copy.update(fields)
        return type(self).objects.create(translation_key=self.translation_key, language=language, **copy)

    def inherited(self) -> dict:
        """What every language version takes from the original: placement and credits (``INHERITED``)."""
        return {name: getattr(self, name) for name in INHERITED}
