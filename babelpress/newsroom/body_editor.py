"""The article body's rich-text editor: django-prose-editor (ProseMirror through Tiptap) in the admin.

The editor offers exactly the body format of ``sanitize.py`` that people write: h2/h3
subheadings, paragraphs, bullet and numbered lists, quotes, links, images with alt text (and an
optional caption), bold and italic, line breaks, tables. A table's caption and its header rows,
which the editor's table does not know, survive a save: the widget gives the editor the caption
as the table's first row, one cell across it (``body_tables.for_editor``), and the body cleaner
makes it a caption again (``body_tables.shape_tables``). Its schema is that list: whatever is pasted
(Word, Google Docs, a web page) is parsed into it, and anything else is dropped in the browser.
The server does not trust that: ``clean_body`` (nh3) cleans what is posted, as before
(``BodyField.clean``, then ``Article.save``).

The editing area takes the article's language and writing direction (``lang``, ``dir``), and
follows the Language select before the article is saved (``static/newsroom/body_editor.js``).
The editor's own words (toolbar titles, the link and image dialogs) are ours, through gettext
(``EDITOR_STRINGS``); the script hands them to the editor. See docs/newsroom.md and
docs/decisions.md ("The body editor: django-prose-editor").
"""

from __future__ import annotations

import json
import re

from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget
from js_asset import Media, Script

from babelpress import languages
from babelpress.newsroom.sanitize import clean_body

#: The editor's extensions (django-prose-editor's names): the body format, nothing more.
BODY_EXTENSIONS = {
    "Heading": {"levels": [2, 3]},
    "Bold": True,
    "Italic": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Figure": True,
    "Image": True,
    "Caption": True,
    # Tables: those of imported stories stay editable (caption and header rows: body_tables.py).
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "History": True,
    # django-prose-editor turns the browser's spelling checker off by default; editors want it.
    "NoSpellCheck": False,
}

#: Every word the editor shows, keyed by the English text django-prose-editor uses: the toolbar's
#: titles and menu entries (which it does not translate) and its dialogs (which it asks
#: ``window.gettext`` for). The script gives each element its translation in the admin's language.
EDITOR_STRINGS = {
    # Toolbar buttons and the paragraph/heading menu.
    "bold": _("Bold"),
    "italic": _("Italic"),
    "unordered list": _("Bulleted list"),
    "ordered list": _("Numbered list"),
    "blockquote": _("Quote"),
    "insert link": _("Add or edit a link"),
    "remove link": _("Remove the link"),
    "figure": _("Add or edit an image"),
    "paragraph": _("Paragraph"),
    "Paragraph": _("Paragraph"),
    "heading 2": _("Subheading"),
    "heading 3": _("Minor subheading"),
    "Heading 2": _("Subheading"),
    "Heading 3": _("Minor subheading"),
    "undo": _("Undo"),
    "redo": _("Redo"),
    "Toggle fullscreen": _("Full screen"),
    # The link dialog.
    "Edit Link": _("Link"),
    "URL": _("Web address"),
    "Title": _("Title (shown on hover)"),
    "Open in new window": _("Open in a new window"),
    # The image dialog.
    "Insert Figure": _("Add an image"),
    "Edit Figure": _("Edit the image"),
    "Edit Image": _("Edit the image"),
    "Image URL": _("Image address"),
    "Alternative Text": _("Text for readers who cannot see the image"),
    "Caption": _("Caption"),
    "Add caption": _("Add a caption"),
    "Remove caption": _("Remove the caption"),
    "Insert": _("Insert"),
    "Update": _("Update"),
    "Cancel": _("Cancel"),
    # The numbered list's properties.
    "List properties": _("List properties"),
    "List type": _("List type"),
    "Start at": _("Start at"),
    "Decimal numbers": _("1, 2, 3"),
    "Lowercase letters": _("a, b, c"),
    "Uppercase letters": _("A, B, C"),
    "Lowercase Roman numerals": _("i, ii, iii"),
    "Uppercase Roman numerals": _("I, II, III"),
    "Bullets": _("Bullets"),
    # Tables: the toolbar and the new table's dialog.
    "Insert table": _("Insert a table"),
    "Insert Table": _("Insert a table"),
    "Table Properties": _("Table"),
    "Rows": _("Rows"),
    "Columns": _("Columns"),
    "Include header row": _("First row of headings"),
    "Add column": _("Add a column"),
    "Delete column": _("Delete the column"),
    "Add row": _("Add a row"),
    "Delete row": _("Delete the row"),
    "Merge cells": _("Merge the cells"),
    "Split cell": _("Split the cell"),
    "Toggle header cell": _("Heading cell or data cell"),
    "Delete table": _("Delete the table"),
}

BODY_HELP = _("Subheadings, lists, quotes, links, images with a description, tables, bold and italic. Pasted text "
              "keeps these and loses any other formatting. A table's caption is shown as its first row.")

_EMPTY = re.compile(r"^(<p>\s*(<br>)?\s*</p>\s*)*$")


def editor_strings() -> str:
    """``EDITOR_STRINGS`` in the active language, as the JSON the script reads."""
    return json.dumps({english: str(ours) for english, ours in EDITOR_STRINGS.items()}, ensure_ascii=False,
                      sort_keys=True)


def directions() -> dict[str, str]:
    """Writing direction of every content language, for the script that follows the Language select."""
    return {lang.code: lang.direction for lang in languages.content_languages()}


def clean_editor_html(html: str) -> str:
    """What the editor posted, cleaned by the one body cleaner (nh3); an empty editor is an empty body."""
    cleaned = clean_body(html or "")
    return "" if _EMPTY.match(cleaned) else cleaned


class BodyEditorWidget(AdminProseEditorWidget):
    """The admin's prose editor with our words, and the editing area in the text's language."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("config", {"extensions": BODY_EXTENSIONS})
        kwargs.setdefault("preset", "configurable")
        super().__init__(*args, **kwargs)

    @property
    def media(self):
        # A classic script: it runs before the editor's modules, so it hears each editor start.
        return super().media + Media(css={"all": ["newsroom/body_editor.css"]},
                                     js=[Script("newsroom/body_editor.js")])

    def format_value(self, value):
        # A table's caption, which the editor cannot hold, as a first row across the table.
        value = super().format_value(value)
        if not value or "<caption" not in value:
            return value
        from babelpress.newsroom.body_tables import for_editor  # lxml: only for a body with a table caption

        return for_editor(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-editor-strings"] = editor_strings()
        return context


class BodyField(ProseEditorFormField):
    """The body as the editor edits it; cleaned with ``clean_body`` whatever the browser sends."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", BODY_HELP)
        super().__init__(config={"extensions": BODY_EXTENSIONS}, sanitize=clean_editor_html,
                         widget=BodyEditorWidget, **kwargs)


def text_language(form, language: str | None, fields, *, select: str | None = None) -> None:
    """Mark the text fields of ``form`` as written in ``language``: ``lang`` and ``dir`` on each
    input (the body editor copies them onto its editing area). With ``select`` (a field of the
    same form) they follow that Language select as it changes, before the form is saved."""
    lang = languages.get(language) if language else None
    for name in fields:
        if name not in form.fields:
            continue
        attrs = form.fields[name].widget.attrs
        if lang is not None:
            attrs.update(lang=lang.code, dir=lang.direction)
        if select is not None:
            attrs["data-language-from"] = form[select].auto_id
            attrs["data-directions"] = json.dumps(directions(), sort_keys=True)

