"""Naughty strings as newsroom content, through the admin's own forms (issue 9, "Bad input").

Each string goes, as an editor would type it, into a tag's name, an author's name, a source's
name, a section's name (its inline), then into the headline, standfirst and body (the HTML the
rich editor sends: the string as a paragraph's text) of a published article credited to them.
Each save either keeps the string faithfully (as the field's documented cleaning makes it) or is
refused with a message tied to the field; never a server error. Then the pages that show it are
drawn and checked inert against the same pages drawn from plain text (inert.py).

The pages are listed in ``ARTICLE_PAGES`` (one per article: the public page, the admin change
form …) and ``LIST_PAGES`` (pages listing many: the home page, the admin lists). A page added to
the product is added here with ``register_article_page`` / ``register_list_page``, e.g. the
preview and the review screen::

    register_article_page("preview", lambda article: preview_url(article), shows=["headline", "body"])
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field

import lxml.html
from django.urls import reverse
from django.utils import timezone

from . import inert
from .round_trip import form_errors
from .support import page_forms

# Breaking out of the elements a page puts text in, which the corpus does not try.
EXTRA = ["</textarea><script>alert(1)</script>", "</title><script>alert(1)</script>",
         "</option></select><img src=x onerror=alert(1)>"]
TEXT_FIELDS = ("headline", "standfirst", "body")
CREDITS = ("tag", "author", "source", "section")
FIELDS = TEXT_FIELDS + CREDITS


@dataclass
class Page:
    name: str
    url: Callable  # article -> address (ARTICLE_PAGES), or () -> addresses (LIST_PAGES)
    signed_in: bool = True
    shows: tuple[str, ...] = ()  # the fields whose text the page must show faithfully


ARTICLE_PAGES: dict[str, Page] = {}
LIST_PAGES: dict[str, Page] = {}


def register_article_page(name: str, url: Callable, *, signed_in: bool = True, shows=()) -> None:
    ARTICLE_PAGES[name] = Page(name, url, signed_in, tuple(shows))


def register_list_page(name: str, urls: Callable, *, signed_in: bool = True) -> None:
    LIST_PAGES[name] = Page(name, urls, signed_in)


def _change(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def _list_pages(route: str, count: int) -> list[str]:
    # Every row, a page of 100 at a time (the admin's list_per_page).
    return [f"{route}?p={number}" for number in range(1, (count + 99) // 100 + 1)]


def _admin_lists() -> list[str]:
    from babelpress.newsroom.models import Article, Author, Section, Source, Tag

    return [url for model, route in ((Article, "article"), (Tag, "tag"), (Author, "author"), (Source, "source"),
                                     (Section, "section"))
            for url in _list_pages(f"/admin/newsroom/{route}/", model.objects.count())]


register_article_page("public article page", lambda article: article.get_absolute_url(), signed_in=False,
                      shows=("headline", "standfirst", "body", "tag", "author", "source", "section"))
register_article_page("admin change form", _change, shows=("headline", "standfirst", "body"))
register_list_page("public home page", lambda: ["/fr/"], signed_in=False)
register_list_page("admin lists", _admin_lists)


# --- What the admin keeps of a string ----------------------------------------------------------------


def expected(field_name: str, value: str) -> str:
    """What a field keeps of ``value`` typed into it: the form's trimming, then the model's cleaning
    (one-line text for headlines and the names of tags and sections; the body format for bodies)."""
    from babelpress.newsroom.sanitize import clean_body, clean_text

    if field_name in ("headline", "tag", "section"):
        return clean_text(value.strip())
    if field_name == "body":
        # The body field's own cleaning: an editor holding only an empty paragraph saves an empty body.
        from babelpress.newsroom.body_editor import clean_editor_html

        return clean_editor_html(clean_body(body_html(value)))
    return value.strip()


def body_html(value: str) -> str:
    """What the rich editor sends for a paragraph holding ``value``."""
    return f"<p>{html.escape(value, quote=False)}</p>"


@dataclass
class Saved:
    """What became of one string: the article it went into, and the fields that refused it."""

    string: str
    article: object = None
    refused: dict = field(default_factory=dict)  # field -> [messages]
    kept: dict = field(default_factory=dict)  # field -> the object or value holding it


class ContentSweep:
    """Saves strings through the admin with ``client`` (a signed-in editor), collecting failures."""

    def __init__(self, client):
        self.client = client
        self.failures: list[str] = []
        self.templates: dict[str, dict] = {}

    def template(self, route: str) -> dict:
        """The fields of an admin add form, as the page fills them in (read once per form)."""
        if route not in self.templates:
            page = self.client.get(route)
            [(_action, fields, _text)] = [f for f in page_forms(page.content, route) if len(f[1]) > 2]
            self.templates[route] = fields
        return dict(self.templates[route])

    def post(self, route: str, changes: dict, what: str):
        """Add an object; the new object's id, or None and the form's errors when refused."""
        data = {**self.template(route), **{name: v if isinstance(v, list) else [v] for name, v in changes.items()},
                "_continue": ["1"]}  # "Save and continue editing": the new object's address tells its id
        try:
            response = self.client.post(route, data)
        except Exception as exc:  # the test client re-raises a view's exception: a server error
            self.failures.append(f"{what}: server error {type(exc).__name__}: {exc}"[:500])
            return None, {}
        if response.status_code >= 500:
            self.failures.append(f"{what}: server error {response.status_code}")
            return None, {}
        if response.status_code == 302:
            return int(response["Location"].rstrip("/").split("/")[-2]), {}
        return None, form_errors(response)

    def credits(self, index: int, value: str, saved: Saved) -> dict:
        """Tag, author, source and section named ``value``; the ids to credit the article with."""
        from babelpress.newsroom.models import Author, Section, Source, Tag

        forms = {
            "tag": ("/admin/newsroom/tag/add/", {"language": "fr", "name": value, "slug": f"naughty-{index}"}, Tag),
            "author": ("/admin/newsroom/author/add/", {"name": value}, Author),
            "source": ("/admin/newsroom/source/add/", {"name": value}, Source),
            "section": ("/admin/newsroom/section/add/", {"key": f"naughty-{index}", "names-0-language": "fr",
                                                         "names-0-name": value, "names-0-slug": f"naughty-{index}"},
                        Section),
        }
        ids = {}
        for name, (route, changes, model) in forms.items():
            pk, errors = self.post(route, changes, f"{name} {value!r}")
            if pk is None:
                saved.refused[name] = errors
                pk, _ = self.post(route, {**changes, **_plain(name, index)}, f"plain {name}")
            else:
                saved.kept[name] = model.objects.get(pk=pk)
            ids[name] = pk
        return ids

    def article(self, index: int, value: str) -> Saved:
        from babelpress.newsroom.models import Article

        saved = Saved(value)
        ids = self.credits(index, value, saved)
        now = timezone.localtime()
        changes = {
            "language": "fr", "headline": value, "standfirst": value, "body": body_html(value),
            "section": ids["section"], "tags": [str(ids["tag"])], "author": ids["author"], "source": ids["source"],
            "status": "published", "published_at_0": now.strftime("%Y-%m-%d"), "published_at_1": now.strftime("%H:%M:%S"),
        }
        pk, errors = self.post("/admin/newsroom/article/add/", changes, f"article {value!r}")
        if pk is None and errors:
            saved.refused.update({name: {name: errors[name]} for name in TEXT_FIELDS if name in errors})
            plain = {name: f"Plain {name} {index}" for name in TEXT_FIELDS if name in errors}
            pk, errors = self.post("/admin/newsroom/article/add/", {**changes, **plain}, f"article {value!r}, again")
            if errors:
                self.failures.append(f"article {value!r}: refused again with the refused fields made plain: {errors}")
        if pk is not None:
            saved.article = Article.objects.get(pk=pk)
            saved.kept.update({name: getattr(saved.article, name) for name in TEXT_FIELDS if name not in saved.refused})
        return saved


def _plain(name: str, index: int) -> dict:
    plain = f"Plain {name} {index}"
    return {"names-0-name": plain} if name == "section" else {"name": plain}


def stored(name: str, kept) -> str:
    """The text a field kept, from the object or value ``Saved.kept`` holds."""
    if name in TEXT_FIELDS:
        return kept
    if name == "section":
        return kept.names.get().name
    return kept.name


def shown_text(page_html: bytes) -> str:
    """The page's text as a reader gets it (line ends as an HTML parser makes them)."""
    return lxml.html.document_fromstring(page_html.decode("utf-8", "replace")).text_content()


def as_parsed(text: str) -> str:
    """``text`` as it reads once an HTML parser has read it: line ends made \\n, NUL gone."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def check_page(page_html: bytes, baseline: inert.Shape, where: str) -> list[str]:
    from babelpress.newsroom.sanitize import ALLOWED_TAGS

    return [f"{where}: {problem}" for problem in inert.problems(page_html, baseline, ALLOWED_TAGS)]


def displayed(page: Page, name: str, kept) -> str:
    """The text ``page`` shows for a field that kept ``kept``: a body's text on a page that draws
    it, its HTML in a form that edits it; a tag's, an author's, a source's, a section's name."""
    text = stored(name, kept)
    if name == "body" and not page.name.startswith("admin"):
        return lxml.html.fragment_fromstring(text, create_parent="div").text_content() if text else ""
    return text
