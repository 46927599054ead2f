"""The review screen's body segments in the body editor (newsroom/body_editor.py, django-prose-editor).

Each body segment's textarea (``templates/admin/translation/review.html``) becomes a one-block
editor where every placeholder tag is one piece that cannot be typed into or half deleted
(``static/translation/segment_editor.js``). The textarea still holds and sends the segment as a
reviewer types it (``placeholders.readable``), so saving is unchanged, and so is the page without
JavaScript. The editing area takes the target language's ``lang`` and ``dir`` from the textarea.

Each piece shows its tag (``<x2/>``) unless the textarea carries ``data-segment-labels``, a JSON
object from tag to what it stands for (``{"<x2/>": "1 240", "<g1>": "link"}``): the piece then shows
that, and still sends its tag.
"""

from __future__ import annotations

from django_prose_editor.widgets import prose_editor_admin_media
from js_asset import Media, Script

#: The segment fields edited in the body editor: the body's text blocks (image descriptions,
#: headlines and the other plain fields stay plain text boxes).
EDITED_FIELDS = frozenset({"body"})


def media() -> Media:
    """What the review page loads for its segment editors: the editor, then our module."""
    return prose_editor_admin_media + Media(
        css={"all": ["newsroom/body_editor.css", "translation/segment_editor.css"]},
        js=[Script("newsroom/body_editor.js"), Script("translation/segment_editor.js", type="module")],
    )


def uses_editor(segment) -> bool:
    return segment.field in EDITED_FIELDS
