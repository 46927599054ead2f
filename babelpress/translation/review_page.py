"""What the review screen shows (``admin.TranslationAdmin``, ``admin/translation/review.html``):
each segment with its field's name in the reviewer's language, its placeholders as what they stand
for (``placeholder_display``), its QA messages rendered now in the reviewer's language
(``qa_messages``), and whether approving needs a reason (``approval``)."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from babelpress.newsroom.models import Article
from babelpress.translation import approval, review
from babelpress.translation.models import ApprovalOverride
from babelpress.translation.placeholder_display import kept_items, pieces, segment_html
from babelpress.translation.placeholder_mapping import segment_from_typed
from babelpress.translation.qa_messages import accepted_forms, message


def field_label(name: str) -> str:
    """The field's name in the reviewer's language ("Titre secondaire"), never the code's
    ("alternative_headline"); an image's alt text is its "Image description"."""
    if name == "alt":
        return _("Image description")
    try:
        return capfirst(Article._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return capfirst(name.replace("_", " "))


def typed_segments(state, posted_items) -> dict[int, str]:
    """{position: segment} from the review form's boxes (``segment-N``), each put back into segment
    form with its placeholders (``placeholder_mapping``); a box left as shown gives the stored
    segment itself."""
    rows = list(state.segments.order_by("position"))
    items = review.placeholder_items(state, rows)
    edits = {}
    for row in rows:
        value = posted_items.get(row.position)
        if value is None:
            continue
        value = value.replace("\r\n", "\n").replace("\x00", "")  # what no database keeps (NUL) or means (\r)
        edits[row.position] = segment_from_typed(value, row.target_text, items.get(row.position))
    return edits


def segment_rows(state, segments, posted: dict[int, str] | None, unchanged: bool) -> None:
    """Annotate ``segments`` (Segment rows, in order) with what the template shows. ``posted`` is a
    refused POST's text: in the boxes when the draft is ``unchanged``, else under each segment."""
    drafted = review.draft_segments(state, segments)
    for seg in segments:
        source_segment = drafted.get(seg.position)
        known = source_segment._items if source_segment is not None else None
        # The glossary terms left in the text (no placeholder shows them): the forms QA accepts.
        terms = dict.fromkeys(term for _source, term in source_segment.terms_in_text) if source_segment else {}
        seg.glossary = [accepted_forms(t.preferred, t.accepted[1:], t.stem) for t in terms]
        text = (posted or {}).get(seg.position)
        if text is not None and text != seg.target_text:
            if unchanged:
                seg.target_text = text
            else:
                seg.unsaved_html = segment_html(text, known)
        seg.field_label = field_label(seg.field)
        seg.source_html = segment_html(seg.source_text, known, original=True)
        seg.machine_html = segment_html(seg.machine_text, known)
        seg.target_shown = pieces(seg.target_text, known).text
        seg.before_html = segment_html(seg.edited_source_text, None) if seg.conflict else ""
        seg.kept = kept_items(seg.source_text, known)
        seg.issues = [{"level": issue.get("level", "warning"), "message": message(issue)} for issue in seg.qa]
        seg.errors = sum(1 for issue in seg.qa if issue.get("level") == "error")


def approval_context(state, segments) -> dict:
    """The approval part of the page: what holds the draft back, and earlier approvals despite QA."""
    gate = approval.assess(segments, state.source.language, state.article.language)
    return {
        "gate": gate,
        "needs_override": gate.needs_override,
        "override_reasons": gate.reasons(),
        "overrides": overrides_of(state.article),
        "publishes": state.source.status == Article.Status.PUBLISHED,
    }


def overrides_of(article) -> list[dict]:
    """The article's approvals despite QA, newest first, with their waived issues in the viewer's
    language."""
    shown = []
    for override in ApprovalOverride.objects.filter(article=article).order_by("-approved_at")[:20]:
        shown.append({
            "record": override,
            "issues": [
                {"level": issue.get("level"), "field": field_label(issue.get("field", "")), "message": message(issue)}
                for issue in override.issues if issue.get("level") == "error"
            ],
            "length": None if override.length_ratio is None else round(override.length_ratio * 100),
        })
    return shown
