"""What other apps add to the newsroom's admin, registered from their ``AppConfig.ready()``.

The newsroom (the content model) imports no other app (docs/architecture.md), yet the article
screens show what other apps know about an article and offer their actions. So the newsroom offers
seven extension points and renders whatever was registered; each app registers its own:

- ``register_action(function, permission=...)``: an action of the article list (Django's admin
  action: a function ``(modeladmin, request, queryset)`` decorated with ``@admin.action``; its name
  is the function's).
- ``register_panel(name, label, render, fieldset=..., before=None)``: a read-only field of the
  article page; ``render(article)`` returns safe HTML ("" to show nothing) and may be called for an
  article not saved yet (``article.pk`` is None); ``render(article, request)`` is also given the
  request, to show a person only the buttons they may use.
- ``register_article_url(route, view, name, permission=...)``: a page under
  ``/admin/newsroom/article/``, named ``admin:newsroom_article_<name>``;
  ``view(article_admin, request, **kwargs)`` runs behind the admin's log-in check (the target of a
  panel's button, for instance).
- ``register_tool(name, label, description, url_name, permission=...)``: a row of the "Newsroom
  tools" box on the admin home page, linking to ``reverse(url_name)``.
- ``register_desk_list(name, label, rows, block=...)``: a list in one of the desk's blocks (the admin
  home page, newsroom/desk.py): ``rows(request, limit)`` returns a ``desk.Rows`` (its first ``limit``
  entries, how many there are, the filtered list showing them all), or None when this user may
  not see them.
- ``register_desk_panel(name, render)``: a box under the desk's blocks; ``render(request)`` returns
  safe HTML, "" to show nothing (translation's coverage chart).
- ``register_notice(name, render)``: a notice at the top of the admin home page (something editors
  must know, such as a language no engine can translate into); ``render(request)`` returns safe
  HTML, "" when there is nothing to say. It runs on every visit of the home page: keep it cheap.

Each action, page and tool says who may use it: ``permission`` is a Django permission
(``"translation.add_translationjob"``) or a function ``(request) -> bool`` (such as one of
newsroom/permissions.py). The newsroom offers an action and a tool only to whom it allows, and
answers 403 to anyone else who sends the action or opens the page; a rule about one article (its
language, its author) is the action's or page's own check, on top. Registering without a
permission is refused: tests/roles/matrix.py lists who may use each one.

Names are unique per kind: registering the same one again replaces it when it is the same thing
(``ready()`` may run twice in tests) and is refused when it is something else (two apps clashing).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.urls import reverse

# The fieldsets of the article page a panel can join (see ArticleAdmin.fieldsets).
FIELDSETS = ("content", "placement", "credits", "translations", "record")

#: Who may use an action, a page or a tool: a permission ("app_label.codename") or a function of the request.
Permission = str | Callable[[Any], bool]


def allowed(permission: Permission, request) -> bool:
    """Whether the person making ``request`` passes ``permission``."""
    if callable(permission):
        return bool(permission(request))
    return request.user.has_perm(permission)


def _checked(permission, kind: str, name: str) -> Permission:
    if permission is None or not (callable(permission) or (isinstance(permission, str) and "." in permission)):
        raise ImproperlyConfigured(
            f"The {kind} {name!r} says nothing about who may use it: register it with permission="
            f"\"app_label.codename\" or a function of the request (see babelpress/newsroom/admin_extensions.py)."
        )
    return permission


@dataclass(frozen=True)
class Action:
    function: Callable
    permission: Permission

    def guarded(self) -> Callable:
        """The action as Django runs it: refused (403) to whom the permission does not allow."""
        function, permission = self.function, self.permission

        @wraps(function)
        def action(modeladmin, request, queryset):
            if not allowed(permission, request):
                raise PermissionDenied
            return function(modeladmin, request, queryset)

        action.babelpress_permission = permission
        return action


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

    def for_request(self, request) -> Panel | ForRequest:
        """The panel as one person's page shows it: a ``render(article, request)`` is given the
        request (to leave out the buttons the person may not use); a ``render(article)`` is not."""
        takes = [p for p in inspect.signature(self.render).parameters.values() if p.kind != p.KEYWORD_ONLY]
        return ForRequest(self, request) if len(takes) >= 2 else self


@dataclass(frozen=True)
class ForRequest:
    panel: Panel
    request: Any

    def __call__(self, article) -> str:
        return self.panel.render(article, self.request)

    @property
    def name(self) -> str:
        return self.panel.name

    @property
    def __name__(self) -> str:
        return self.panel.name

    @property
    def short_description(self):
        return self.panel.label


@dataclass(frozen=True)
class ArticleUrl:
    route: str
    view: Callable[..., Any]
    name: str
    permission: Permission

    def guarded(self) -> ArticleUrl:
        """This page with its view refused (403) to whom the permission does not allow."""
        view, permission = self.view, self.permission

        @wraps(view)
        def checked(article_admin, request, *args, **kwargs):
            if not allowed(permission, request):
                raise PermissionDenied
            return view(article_admin, request, *args, **kwargs)

        return ArticleUrl(self.route, checked, self.name, permission)


@dataclass(frozen=True)
class Tool:
    name: str
    label: Any
    description: Any
    url_name: str
    permission: Permission

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


_actions: dict[str, Action] = {}
_panels: dict[str, Panel] = {}
_article_urls: dict[str, ArticleUrl] = {}
_tools: dict[str, Tool] = {}
_desk_lists: dict[str, DeskList] = {}
_desk_panels: dict[str, DeskPanel] = {}
_notices: dict[str, Callable[[Any], str]] = {}


def _put(registry: dict, name: str, item, kind: str) -> None:
    current = registry.get(name)
    if current is not None and current != item:
        raise ImproperlyConfigured(
            f"Two different {kind}s are registered as {name!r} on the newsroom admin: give one of them "
            f"another name (see babelpress/newsroom/admin_extensions.py)."
        )
    registry[name] = item


def register_action(function: Callable, *, permission: Permission = None) -> Callable:
    """Adds ``function`` to the actions of the article list, for whom ``permission`` allows; returns it."""
    _put(_actions, function.__name__, Action(function, _checked(permission, "action", function.__name__)), "action")
    return function


def register_panel(name: str, label, render: Callable[[Any], str], *, fieldset: str,
                   before: str | None = None) -> Panel:
    if fieldset not in FIELDSETS:
        raise ImproperlyConfigured(f"The panel {name!r} names the fieldset {fieldset!r}; the article page has "
                                   f"{', '.join(FIELDSETS)}.")
    panel = Panel(name, label, render, fieldset, before)
    _put(_panels, name, panel, "panel")
    return panel


def register_article_url(route: str, view: Callable[..., Any], name: str, *, permission: Permission = None) -> None:
    _put(_article_urls, name, ArticleUrl(route, view, name, _checked(permission, "article page", name)),
         "article page")


def register_tool(name: str, label, description, url_name: str, *, permission: Permission = None) -> None:
    _put(_tools, name, Tool(name, label, description, url_name, _checked(permission, "newsroom tool", name)),
         "newsroom tool")


def register_desk_list(name: str, label, rows: Callable[[Any, int], Any], *, block: str) -> None:
    if block not in DESK_BLOCKS:
        raise ImproperlyConfigured(f"The desk list {name!r} names the block {block!r}; the desk has "
                                   f"{', '.join(DESK_BLOCKS)}.")
    _put(_desk_lists, name, DeskList(name, label, rows, block), "desk list")


def register_desk_panel(name: str, render: Callable[[Any], str]) -> None:
    _put(_desk_panels, name, DeskPanel(name, render), "desk panel")


def register_notice(name: str, render: Callable[[Any], str]) -> None:
    _put(_notices, name, render, "home-page notice")


def notices(request) -> list[str]:
    """The registered notices that have something to say to this request's user, as safe HTML."""
    return [html for html in (render(request) for render in _notices.values()) if html]


def actions() -> list[Callable]:
    """The registered actions, each refusing whom its permission does not allow (and saying it
    in ``babelpress_permission``, which the article admin reads to offer it or not)."""
    return [action.guarded() for action in _actions.values()]


def panels() -> list[Panel]:
    return list(_panels.values())


def article_urls() -> list[ArticleUrl]:
    """The registered pages, each view refusing whom its permission does not allow."""
    return [page.guarded() for page in _article_urls.values()]


def tools(request=None) -> list[Tool]:
    """The registered tools; with ``request``, those the person may use."""
    return [tool for tool in _tools.values() if request is None or allowed(tool.permission, request)]


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
