"""What changed in the original since a translation was made: shown on the translation's article
page (a panel registered in TranslationConfig.ready()) and on its review screen.

Which revision of the original a translation was made from:

* a machine draft or a reviewed translation keeps the digest of the source it was made or approved
  from (``Translation.source_digest``): the newest revision of the original with that digest;
* when a re-translation found a reviewed, published translation and left it alone (state
  "outdated", whose digest is then the new source's), or for a human translation: the revision of
  the original current when the translation's present text was written (its own history says when).

The translation is outdated as coverage says (translation/coverage.py): its state is "outdated" or
its digest is not the original's; a human translation, when the original's text changed since.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse

from babelpress import languages
from babelpress.newsroom import revision_diff, revisions
from babelpress.newsroom.models import Article
from babelpress.translation.models import Translation
from babelpress.translation.pipeline import FIELDS, article_fields
from babelpress.translation.segmenter import source_digest

#: How many revisions of an original are searched for the one a translation was made from.
SEARCHED = 200


def source_changes_panel(article: Article) -> str:
    """The article page's panel: "" unless the article is a translation whose original changed."""
    if article.pk is None or not (article.translation_method or article.translated_from_id):
        return ""
    state = Translation.objects.filter(article=article).select_related("source").first()
    return render(article, state)


def render(target: Article, state: Translation | None, *, notice: bool = True) -> str:
    source = state.source if state is not None else target.translated_from
    if source is None or source.pk == target.pk:
        return ""
    current = source_digest(article_fields(source))
    base = made_from(target, source, state)
    if not is_outdated(state, base, current):
        return ""
    latest = revisions.of(source).values_list("history_id", flat=True).first()
    context = {
        "notice": notice, "source": source, "base": base,
        "base_when": revisions.when(base) if base is not None else "",
        "changes": revision_diff.compare(base, source, fields=revision_diff.TEXT_FIELDS) if base is not None else [],
        "text_language": languages.get(source.language),
        "compare_url": (reverse("admin:newsroom_article_history_compare", args=[source.pk])
                        + f"?a={base.history_id}&b={latest}") if base is not None and latest else "",
    }
    return render_to_string("admin/translation/source_changes.html", context)


def is_outdated(state: Translation | None, base, current_digest: str) -> bool:
    if state is not None:
        return state.state == Translation.State.OUTDATED or state.source_digest != current_digest
    return base is not None and source_digest(article_fields(base)) != current_digest


def made_from(target: Article, source: Article, state: Translation | None):
    """The revision of ``source`` that ``target``'s text was made from, or None when the history
    does not reach back to it."""
    if state is not None and state.state != Translation.State.OUTDATED:
        candidates = revisions.of(source).only("history_id", "history_date", "id", *FIELDS)[:SEARCHED]
        for revision in candidates.iterator(chunk_size=20):
            if source_digest(article_fields(revision)) == state.source_digest:
                return revision
    written = text_written_at(target)
    return revisions.at(source, written) if written is not None else None


def text_written_at(article: Article):
    """When ``article``'s present text was written: the oldest revision of its newest run of
    revisions holding that text."""
    text, since = article_fields(article), None
    for revision in revisions.of(article).only("history_id", "history_date", "id", *FIELDS).iterator(chunk_size=20):
        if article_fields(revision) != text:
            break
        since = revision.history_date
    return since
