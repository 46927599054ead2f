"""What other apps add to the newsroom's admin, registered from their ``AppConfig.ready()``.

The newsroom (the content model) imports no other app (docs/architecture.md), yet the article
screens show what other apps know about an article and offer their actions. So the newsroom offers
six extension points and renders whatever was registered; each app registers its own:

- ``register_action(function)``: an action of the article list (Django's admin action: a function
  ``(modeladmin, request, queryset)`` decorated with ``@admin.action``; its name is the function's).
- ``register_panel(name, label, render, fieldset=..., before=None)``: a read-only field of the
  article page; ``render(article)`` returns safe HTML ("" to show nothing) and may be called for an
  article not saved yet (``article.pk`` is None).
- ``register_article_url(route, view, name)``: a page under ``/admin/newsroom/article/``, named
  ``admin:newsroom_article_<name>``; ``view(article_admin, request, **kwargs)`` runs behind the
  admin's log-in check (the target of a panel's button, for instance).
- ``register_tool(name, label, description, url_name)``: a row of the "Newsroom tools" box on the
  admin home page, linking to ``reverse(url_name)``.
- ``register_desk_list(name, label, rows, block=...)``: a list in one of the desk's blocks (the admin
  home page, newsroom/desk.py): ``rows(request, limit)`` returns a ``desk.Rows`` (its first ``limit``
  entries, how many there are, the filtered list showing them all), or None when this user may
  not see them.
- ``register_desk_panel(name, render)``: a box under the desk's blocks; ``render(request)`` returns
  safe HTML, "" to show nothing (translation's coverage chart).

Names are unique per kind: registering the same one again replaces it when it is the same thing
(``ready()`` may run twice in tests) and is refused when it is something else (two apps clashing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

# The fieldsets of the article page a panel can join (see ArticleAdmin.fieldsets).
FIELDSETS = ("content", "placement", "credits", "translations", "record")


@dataclass(frozen=True)
class Panel:
    name: str
    label: Any  # usually a lazy translation
    render: Callable[[Any], str]
    fieldset: str
    before: str | None = None  # a field of that fieldset the panel goes before; None: at its end

    def __call__(self, article) -> str:
        return self.render(article)

    @property
    def __name__(self) -> str:  # Django names the row "field-<name>" after it
        return self.name

    @property
    def short_description(self):  # Django labels a callable read-only field with it
        return self.label


@dataclass(frozen=True)
class ArticleUrl:
    route: str
    view: Callable[..., Any]
    name: str


@dataclass(frozen=True)
class Tool:
    name: str
    label: Any
    description: Any
    url_name: str

    def link(self) -> dict:
        return {"label": self.label, "description": self.description, "url": reverse(self.url_name)}


# The blocks of the desk, in the order it shows them (their titles: newsroom/desk.py).
DESK_BLOCKS = ("drafts", "review", "scheduled", "imported", "failed")


@dataclass(frozen=True)
class DeskList:
    name: str
    label: Any
    rows: Callable[[Any, int], Any]  # (request, limit) -> desk.Rows | None
    block: str


@dataclass(frozen=True)
class DeskPanel:
    name: str
    render: Callable[[Any], str]  # request -> safe HTML


_actions: dict[str, Callable] = {}
_panels: dict[str, Panel] = {}
_article_urls: dict[str, ArticleUrl] = {}
_tools: dict[str, Tool] = {}
_desk_lists: dict[str, DeskList] = {}
_desk_panels: dict[str, DeskPanel] = {}


def _put(registry: dict, name: str, item, kind: str) -> None:
    current = registry.get(name)
    if current is not None and current != item:
        raise ImproperlyConfigured(
            f"Two different {kind}s are registered as {name!r} on the newsroom admin: give one of them "
            f"another name (see babelpress/newsroom/admin_extensions.py)."
        )
    registry[name] = item


def register_action(function: Callable) -> Callable:
    """Adds ``function`` to the actions of the article list; returns it (usable as a decorator)."""
    _put(_actions, function.__name__, function, "action")
    return function


def register_panel(name: str, label, render: Callable[[Any], str], *, fieldset: str,
                   before: str | None = None) -> Panel:
    if fieldset not in FIELDSETS:
        raise ImproperlyConfigured(f"The panel {name!r} names the fieldset {fieldset!r}; the article page has "
                                   f"{', '.join(FIELDSETS)}.")
    panel = Panel(name, label, render, fieldset, before)
    _put(_panels, name, panel, "panel")
    return panel


def register_article_url(route: str, view: Callable[..., Any], name: str) -> None:
    _put(_article_urls, name, ArticleUrl(route, view, name), "article page")


def register_tool(name: str, label, description, url_name: str) -> None:
    _put(_tools, name, Tool(name, label, description, url_name), "newsroom tool")


def register_desk_list(name: str, label, rows: Callable[[Any, int], Any], *, block: str) -> None:
    if block not in DESK_BLOCKS:
        raise ImproperlyConfigured(f"The desk list {name!r} names the block {block!r}; the desk has "
                                   f"{', '.join(DESK_BLOCKS)}.")
    _put(_desk_lists, name, DeskList(name, label, rows, block), "desk list")


def register_desk_panel(name: str, render: Callable[[Any], str]) -> None:
    _put(_desk_panels, name, DeskPanel(name, render), "desk panel")


def actions() -> list[Callable]:
    return list(_actions.values())


def panels() -> list[Panel]:
    return list(_panels.values())


def article_urls() -> list[ArticleUrl]:
    return list(_article_urls.values())


def tools() -> list[Tool]:
    return list(_tools.values())


def with_panels(fieldsets: dict[str, tuple]) -> list[tuple]:
    """Django's fieldsets from ``{key: (title, options)}``, each panel in its place."""
    placed = {key: (title, {**options, "fields": list(options["fields"])}) for key, (title, options) in fieldsets.items()}
    for panel in panels():
        fields = placed[panel.fieldset][1]["fields"]
        if panel.before is None:
            fields.append(panel)
        elif panel.before in fields:
            fields.insert(fields.index(panel.before), panel)
        else:
            raise ImproperlyConfigured(f"The panel {panel.name!r} goes before {panel.before!r}, which is not in the "
                                       f"{panel.fieldset!r} fieldset: name one of {fields}.")
    return list(placed.values())


def desk_lists() -> list[DeskList]:
    return list(_desk_lists.values())


def desk_panels() -> list[DeskPanel]:
    return list(_desk_panels.values())
