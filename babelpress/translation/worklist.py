"""What a request to translate becomes, cell by cell (a story × a language): work to do, or a
reason it is left out that a person can act on. One answer for the admin's "Translate the selected
originals" action, the coverage page's ticked cells and `babelpress translate --all-untranslated`,
so none of them queues work that is sure to fail or says "nothing to translate" while cells are
missing.

The states are the coverage page's (coverage.py): a cell that is missing (an untranslated copy
included), outdated or failed needs work; a machine draft or a reviewed translation is translated
again only when asked for by name; a human translation is never replaced; a queued cell is already
being done; and a pair no engine can translate is left out, saying so.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _, ngettext

from babelpress.newsroom.models import Article
from babelpress.translation import availability, coverage

NEEDS_WORK = ("missing", "outdated", "failed")
#: Why a cell is left out (the keys), in the order reports list them.
NO_ENGINE, QUEUED, HUMAN = "no engine", "queued", "human"


@dataclass(frozen=True)
class Skipped:
    source: Article
    language: str
    reason: str  # NO_ENGINE, QUEUED or HUMAN
    detail: str  # in words, for a person


@dataclass
class Worklist:
    todo: list[tuple[Article, str]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def count(self, reason: str) -> int:
        return sum(1 for s in self.skipped if s.reason == reason)


def build(wanted: list[tuple[Article, str]], *, only_needed: bool = False) -> Worklist:
    """Sort the cells ``wanted`` (originals × languages; a story's own language is ignored).

    With ``only_needed`` (``--all-untranslated``), cells that are done — a current machine draft, a
    reviewed or a human translation — are dropped silently; otherwise they were asked for by name,
    and a human translation is reported as left alone.
    """
    sources = list({source.pk: source for source, _language in wanted}.values())
    table = coverage.cells(sources)
    result = Worklist()
    for source, language in wanted:
        cell = table[source.pk].get(language)
        if cell is None or cell["state"] == "original":
            continue
        state = cell["state"]
        if state == "queued":
            result.skipped.append(Skipped(source, language, QUEUED,
                                          _("already queued (job #%(id)d)") % {"id": cell["job"].pk}))
        elif state == "human":
            if not only_needed:
                result.skipped.append(Skipped(source, language, HUMAN, _(
                    "a person translated it: Babelpress does not replace a human translation")))
        elif only_needed and state not in NEEDS_WORK:
            continue
        elif not availability.can_translate(source.language, language):
            result.skipped.append(Skipped(source, language, NO_ENGINE, _("no engine can translate %(pair)s") % {
                "pair": availability.pair_name(source.language, language)}))
        else:
            result.todo.append((source, language))
    return result


def everything_missing() -> Worklist:
    """Every published original in every content language where it is missing, outdated or failed."""
    from django.conf import settings

    wanted = [(source, language) for source in coverage.originals()
              for language in settings.BABELPRESS_CONTENT_LANGUAGES if language != source.language]
    return build(wanted, only_needed=True)


def summary(work: Worklist) -> list[str]:
    """One sentence per reason cells were left out, with what to do: for the admin's messages."""
    lines = []
    pairs = Counter(availability.pair_name(s.source.language, s.language) for s in work.skipped if s.reason == NO_ENGINE)
    if pairs:
        listed = ", ".join(f"{pair} ({count})" for pair, count in pairs.items())
        count = sum(pairs.values())
        lines.append(ngettext(
            "%(count)d translation cannot be made: no engine can translate %(pairs)s. Install a model for the "
            "pair or configure an engine (see the notice on the admin home page), or translate it by hand.",
            "%(count)d translations cannot be made: no engine can translate %(pairs)s. Install a model for "
            "each pair or configure an engine (see the notice on the admin home page), or translate them by hand.",
            count) % {"count": count, "pairs": listed})
    queued = work.count(QUEUED)
    if queued:
        lines.append(ngettext("%(count)d translation was already queued.", "%(count)d translations were already queued.",
                              queued) % {"count": queued})
    human = work.count(HUMAN)
    if human:
        lines.append(ngettext(
            "%(count)d human translation left alone: Babelpress does not replace a person's translation.",
            "%(count)d human translations left alone: Babelpress does not replace a person's translation.",
            human) % {"count": human})
    return lines
