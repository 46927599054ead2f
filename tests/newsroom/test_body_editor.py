"""The body's rich-text editor (newsroom/body_editor.py): it offers the body format and nothing
more, the server cleans whatever is posted with the one body cleaner, the editing area is in the
article's language, and the editor's words go through our catalog. The same in a real browser:
test_body_editor_browser.py."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import lxml.html
import pytest
from django.urls import reverse
from django.utils import translation
from django_prose_editor.config import allowlist_from_extensions, expand_extensions

from babelpress.newsroom import body_editor, sanitize
from babelpress.newsroom.models import Article


def body_textarea(response):
    doc = lxml.html.fromstring(response.content.decode())
    return doc.get_element_by_id("id_body")


def test_the_editor_offers_the_body_format_and_nothing_more():
    extensions = body_editor.BODY_EXTENSIONS
    assert extensions["Heading"] == {"levels": [2, 3]}
    offered = {name for name, config in extensions.items() if config is not False} - {"History"}
    assert offered == {"Heading", "Bold", "Italic", "BulletList", "OrderedList", "ListItem", "Blockquote", "HardBreak",
                       "Link", "Figure", "Image", "Caption", "Table", "TableRow", "TableHeader", "TableCell"}
    # Every element the editor can write is one the body cleaner keeps: nothing typed is lost on save.
    produced = allowlist_from_extensions(expand_extensions(extensions))["tags"]
    assert produced <= sanitize.ALLOWED_TAGS
    assert {"h1", "h4", "u", "s", "code", "pre", "hr", "div"}.isdisjoint(produced)
    assert extensions["Link"]["protocols"] == sorted(sanitize.URL_SCHEMES)


def test_the_field_cleans_what_the_browser_sends_with_the_body_cleaner():
    field = body_editor.BodyField()
    posted = ('<h1>Titre</h1><p class="MsoNormal" style="color:red" onclick="x()">Texte <span style="x">brut</span>'
              '<a href="javascript:alert(1)">piège</a> <a href="https://example.org/" target="_blank">lien</a></p>'
              '<script>alert(1)</script><table><tr><td>cellule</td></tr></table><img src="https://example.org/a.png" '
              'alt="Un pont" onerror="x()">')
    assert field.clean(posted) == sanitize.clean_body(posted)
    assert field.clean(posted) == (
        '<h2>Titre</h2><p>Texte <span>brut</span><a rel="noopener noreferrer">piège</a> '
        '<a href="https://example.org/" rel="noopener noreferrer">lien</a></p>'
        '<table><tbody><tr><td>cellule</td></tr></tbody></table><img src="https://example.org/a.png" alt="Un pont">'
    )


@pytest.mark.parametrize("empty", ["", "<p></p>", "<p><br></p>", "<p></p><p> </p>"])
def test_an_empty_editor_is_an_empty_body(empty):
    assert body_editor.BodyField().clean(empty) == ""


def test_the_body_is_edited_with_the_editor_and_the_plain_fields_stay_plain(editor, newsroom):
    response = editor.get(reverse("admin:newsroom_article_change", args=[newsroom.bridge.pk]))
    body = body_textarea(response)
    config = json.loads(body.get("data-django-prose-editor-configurable"))
    assert config["extensions"]["Heading"] == {"levels": [2, 3]}
    doc = lxml.html.fromstring(response.content.decode())
    # Standfirst and summary are plain text on the site (escaped there): no editor, no markup.
    for name in ("standfirst", "summary"):
        field = doc.get_element_by_id(f"id_{name}")
        assert field.tag == "textarea" and field.get("data-django-prose-editor-configurable") is None


def test_the_editor_ships_with_babelpress_and_loads_nothing_from_elsewhere(editor, newsroom):
    response = editor.get(reverse("admin:newsroom_article_add"))
    doc = lxml.html.fromstring(response.content.decode())
    addresses = [e.get("src") for e in doc.iter("script") if e.get("src")]
    addresses += [e.get("href") for e in doc.iter("link") if e.get("href")]
    importmap = json.loads(doc.xpath("//script[@type='importmap']")[0].text)
    addresses += importmap["imports"].values()
    assert any("django_prose_editor/editor" in a for a in addresses)
    assert any("newsroom/body_editor.js" in a for a in addresses)
    assert all(a.startswith("/") and not a.startswith("//") for a in addresses), addresses
    for address in addresses:
        if "prose_editor" in address or "body_editor" in address:
            assert editor.get(address).status_code == 200, address


def test_saving_through_the_admin_stores_the_clean_body(editor, newsroom, open_form):
    form = open_form(editor, reverse("admin:newsroom_article_change", args=[newsroom.draft.pk]))
    response = form.post(body='<p class="MsoNormal"><b style="font-weight:normal" id="docs-internal-guid-1">'
                              '<span style="font-size:12pt">Ligne <o:p></o:p></span></b></p><style>p{}</style>'
                              '<h2 onclick="x()">Suite</h2><ul><li><p>un</p></li></ul>')
    assert response.status_code == 302
    newsroom.draft.refresh_from_db()
    assert newsroom.draft.body == "<p><b><span>Ligne </span></b></p><h2>Suite</h2><ul><li><p>un</p></li></ul>"


def test_the_editing_area_takes_the_articles_language_and_direction(editor, newsroom, settings):
    settings.BABELPRESS_CONTENT_LANGUAGES = [*settings.BABELPRESS_CONTENT_LANGUAGES, "ar"]
    arabic = Article.objects.create(language="ar", headline="الجسر يفتح", body="<p>نص</p>", section=newsroom.news)
    for article, lang, direction in [(newsroom.bridge_hy, "hy", "ltr"), (arabic, "ar", "rtl")]:
        response = editor.get(reverse("admin:newsroom_article_change", args=[article.pk]))
        doc = lxml.html.fromstring(response.content.decode())
        for name in ("headline", "standfirst", "body", "summary"):
            field = doc.get_element_by_id(f"id_{name}")
            assert (field.get("lang"), field.get("dir")) == (lang, direction), name
            # The script moves them along when the editor changes the Language select.
            assert field.get("data-language-from") == "id_language"
            assert json.loads(field.get("data-directions"))["ar"] == "rtl"


def test_the_editors_words_come_from_our_catalog_in_the_admins_language(editor, newsroom):
    with translation.override("fr"):
        expected = {english: str(ours) for english, ours in body_editor.EDITOR_STRINGS.items()}
    editor.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    words = json.loads(body_textarea(editor.get(reverse("admin:newsroom_article_add"))).get("data-editor-strings"))
    assert words == expected
    # Every toolbar title and dialog label django-prose-editor shows for our extensions has one.
    assert {"bold", "italic", "unordered list", "ordered list", "blockquote", "insert link", "remove link", "figure",
            "Heading 2", "Heading 3", "Paragraph", "undo", "redo", "URL", "Title", "Edit Link", "Image URL",
            "Alternative Text", "Caption", "Insert Figure", "Insert", "Update", "Cancel"} <= words.keys()


def test_every_naughty_string_goes_through_the_editors_field_cleaned_and_inert(naughty_strings):
    field = body_editor.BodyField()
    for value in naughty_strings:
        cleaned = field.clean(value)
        assert cleaned == body_editor.clean_editor_html(value.strip())  # a CharField strips first
        elements = ElementsOf()
        elements.feed(cleaned)
        assert {tag for tag, _ in elements.found} <= sanitize.ALLOWED_TAGS, value
        for tag, attributes in elements.found:
            assert not any(name.startswith("on") for name, _ in attributes), value
            addresses = [v or "" for name, v in attributes if name in ("href", "src")]
            assert not any(a.strip().lower().startswith("javascript:") for a in addresses), value


class ElementsOf(HTMLParser):
    """Every element of an HTML text with its attributes, as a browser's tokenizer reads them."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def test_the_editor_is_given_a_tables_caption_as_its_first_row_across_the_table():
    body = ('<table><caption>Résultats</caption><thead><tr><th scope="col">Parti</th><th scope="col">Voix</th></tr>'
            '</thead><tbody><tr><td>Verts</td><td>1 200</td></tr></tbody></table>')
    shown = body_editor.BodyEditorWidget().format_value(body)
    assert shown == ('<table><thead><tr><td colspan="2">Résultats</td></tr><tr><th scope="col">Parti</th>'
                     '<th scope="col">Voix</th></tr></thead><tbody><tr><td>Verts</td><td>1 200</td></tr></tbody></table>')
    assert sanitize.clean_body(shown) == body  # and saved, it is the caption again
