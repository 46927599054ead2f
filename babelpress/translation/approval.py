"""When approving a translation needs a reviewer's explicit override, and the record it leaves.

A draft is held back from a plain "Approve" when QA found errors in it, or when its length is
implausible next to the source's: a machine draft that is 5 % of its source lost most of the
story, one three times as long repeats itself. The reviewer may still approve it, with a reason;
``record`` keeps who, when, why and what was waived (``models.ApprovalOverride``).

**Length bounds.** The draft's text (every segment, placeholders left out) is compared with the
source's, in characters. Languages differ in length for the same content, so the bounds are set
around the ratio expected for the pair: ``LENGTH_FACTORS`` gives a language's typical length
relative to English (French about 1.2 times, Arabic about 0.9), the expected ratio is the
target's factor over the source's, and a draft is plausible between ``LOW`` (half) and ``HIGH``
(twice) that ratio: fr→en 0.42–1.67, en→fr 0.60–2.40, en→ar 0.45–1.80, same-factor pairs
0.50–2.00. A source shorter than ``MIN_SOURCE_CHARS`` is not judged on length.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _, ngettext

from babelpress.translation.models import ApprovalOverride
from babelpress.translation.segmenter import plain_text

#: Typical length of a text in a language relative to the same text in English (characters).
LENGTH_FACTORS = {
    "en": 1.0, "fr": 1.2, "de": 1.2, "es": 1.2, "it": 1.15, "pt": 1.15, "nl": 1.15,
    "ru": 1.1, "uk": 1.1, "pl": 1.1, "hy": 1.1, "tr": 1.0, "ar": 0.9,
}
LOW, HIGH = 0.5, 2.0
MIN_SOURCE_CHARS = 40


def _primary(code: str) -> str:
    return (code or "").replace("_", "-").split("-")[0].lower()


def length_bounds(source_language: str, target_language: str) -> tuple[float, float]:
    """(lowest, highest) plausible length of a translation as a share of its source's."""
    expected = LENGTH_FACTORS.get(_primary(target_language), 1.0) / LENGTH_FACTORS.get(_primary(source_language), 1.0)
    return round(LOW * expected, 2), round(HIGH * expected, 2)


def _length(segments) -> int:
    return sum(len(" ".join(plain_text(text).split())) for text in segments)


@dataclass
class Gate:
    """What stands between a draft and a plain "Approve"."""

    errors: int
    warnings: int
    ratio: float | None  # the draft's length / the source's; None when the source is too short to judge
    bounds: tuple[float, float]
    issues: list = field(default_factory=list)  # the segments' issues, with their position and field

    @property
    def implausible(self) -> bool:
        return self.ratio is not None and not self.bounds[0] <= self.ratio <= self.bounds[1]

    @property
    def needs_override(self) -> bool:
        return bool(self.errors) or self.implausible

    def reasons(self) -> list[str]:
        """Why, in the viewer's language: one sentence per cause."""
        found = []
        if self.errors:
            found.append(ngettext("QA found %(count)s error in this draft.",
                                  "QA found %(count)s errors in this draft.", self.errors) % {"count": self.errors})
        if self.implausible:
            found.append(_("The draft is %(percent)s%% of the source's length; between %(low)s%% and %(high)s%% is "
                           "expected for these languages.") % {
                "percent": number_format(round(self.ratio * 100)),
                "low": number_format(round(self.bounds[0] * 100)), "high": number_format(round(self.bounds[1] * 100)),
            })
        return found


def assess(rows, source_language: str, target_language: str) -> Gate:
    """The gate for a draft's segment rows (their ``qa`` as last checked)."""
    issues = [{"position": row.position, "field": row.field, **issue} for row in rows for issue in row.qa]
    source_chars = _length(row.source_text for row in rows)
    ratio = _length(row.target_text for row in rows) / source_chars if source_chars >= MIN_SOURCE_CHARS else None
    return Gate(
        errors=sum(1 for issue in issues if issue.get("level") == "error"),
        warnings=sum(1 for issue in issues if issue.get("level") == "warning"),
        ratio=ratio, bounds=length_bounds(source_language, target_language), issues=issues,
    )


def record(state, user, reason: str, gate: Gate) -> ApprovalOverride:
    """Keep an approval despite ``gate``: who, when, why and what was waived."""
    name = (user.get_full_name() or user.get_username()) if user is not None else ""
    return ApprovalOverride.objects.create(
        article=state.article, translation=state, reviewer=user, reviewer_name=name, reason=reason,
        errors=gate.errors, warnings=gate.warnings,
        length_ratio=None if gate.ratio is None else round(gate.ratio, 3), length_bounds=list(gate.bounds),
        issues=gate.issues,
    )
