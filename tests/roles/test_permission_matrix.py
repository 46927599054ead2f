"""Every admin page, form and action, as each person of each role: allowed or refused as the matrix
(matrix.py) says, and nothing changed by a refused request. A page, action or tool without a row
in the matrix fails the first test: whoever adds a screen says who may use it.

Each request runs in a savepoint rolled back afterwards, so one person's save or delete does not
change the world the next request sees.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from babelpress.newsroom import admin_extensions, revisions

from ..admin_sweep.support import admin_routes, fill, page_forms, params_of
from .conftest import PEOPLE
from .matrix import ACTIONS, OUTSIDE, PAGES, TOOLS, letters, rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quiet():
    logging.disable(logging.WARNING)  # hundreds of refusals, each logged with a traceback
    yield
    logging.disable(logging.NOTSET)


# --- The matrix is complete ----------------------------------------------------------------------


def undeclared(people) -> list[str]:
    """The admin pages, actions and home-page tools the matrix has no row for."""
    pages = {row[0] for row in rows(PAGES)}
    missing = [f"page {name} ({route})" for route, name in admin_routes()
               if name not in pages and name not in OUTSIDE]
    actions = {(row[0], row[1]) for row in rows(ACTIONS)}
    request = RequestFactory().get("/")
    request.user = people.chief
    for model, model_admin in admin.site._registry.items():
        for action in model_admin.get_actions(request):
            if (model._meta.label_lower, action) not in actions:
                missing.append(f"action {action} of {model._meta.label_lower}")
    tools = {row[0] for row in rows(TOOLS)}
    missing += [f"tool {tool.name}" for tool in admin_extensions.tools() if tool.name not in tools]
    return missing


def test_every_admin_page_action_and_tool_has_a_row_in_the_matrix(people, world):
    assert undeclared(people) == [], "say who may use these in tests/roles/matrix.py (and docs/roles.md)"
    missing = [model._meta.label for model in admin.site._registry
               if not any(row[0].startswith(f"{model._meta.app_label}_{model._meta.model_name}_")
                          for row in rows(PAGES))]
    assert missing == []


def test_a_page_or_an_action_added_without_a_row_fails_the_matrix(people, monkeypatch):
    import importlib

    from django.urls import clear_url_caches

    import babelpress.urls

    for registry in ("_actions", "_article_urls"):
        monkeypatch.setattr(admin_extensions, registry, dict(getattr(admin_extensions, registry)))

    @admin.action(description="Archive")
    def archive(modeladmin, request, queryset):
        pass

    admin_extensions.register_action(archive, permission="newsroom.change_article")
    admin_extensions.register_article_url("<int:pk>/archive/", lambda *args, **kwargs: None, name="archive",
                                          permission="newsroom.change_article")
    try:
        importlib.reload(babelpress.urls)  # the admin's URLs are read when the URL patterns are
        clear_url_caches()
        assert undeclared(people) == ["page newsroom_article_archive (admin/newsroom/article/<int:pk>/archive/)",
                                      "action archive of newsroom.article"]
    finally:
        monkeypatch.undo()
        importlib.reload(babelpress.urls)
        clear_url_caches()


# --- Requests ------------------------------------------------------------------------------------


def snapshot() -> dict:
    """Every row of the newsroom's, translation's, import's, the worker's and the people's tables."""
    from django.apps import apps

    watched = ("newsroom", "translation", "ingest", "django_tasks_database", "auth")
    return {model._meta.db_table: sorted(map(repr, model._default_manager.values_list()))
            for model in apps.get_models(include_auto_created=True) if model._meta.app_label in watched}


def outcome(response) -> str:
    if response.status_code in (403, 404):
        return "refused"
    if response.status_code == 302 and response["Location"].startswith(reverse("admin:login")):
        return "refused"
    if response.status_code in (200, 302, 409):  # 409: the review screen's "changed meanwhile"
        return "allowed"
    return f"answered {response.status_code}"


def send(client, method: str, url: str, data=None, *, before=None):
    """(outcome, whether the database changed), the request rolled back, and the client's cookies
    as they were (a password change gives the session a new key, which the rollback takes away)."""
    cookies = type(client.cookies)(client.cookies)
    with transaction.atomic():
        response = getattr(client, method)(url, data or {})
        changed = before is not None and snapshot() != before
        transaction.set_rollback(True)
    client.cookies = cookies
    return outcome(response), changed


def url_of(name: str, obj: str, world) -> str:
    route = next(route for route, route_name in admin_routes() if route_name == name)
    first, _sep, second = obj.partition("/")
    target = getattr(world, first, None)
    values = {}
    for param in params_of(route):
        if param in ("object_id", "pk", "id", "job_id"):
            values[param] = target.pk
        elif param == "revision_id":  # the article's first revision
            values[param] = revisions.of(target).last().history_id
        elif param == "content_type_id":
            values[param] = ContentType.objects.get_for_model(target).pk
        else:  # lang, fmt, app_label
            values[param] = second or first
    return fill(route, values)


def get_query(name: str, obj: str, world) -> dict | None:
    """What a page's GET carries beside its address: the autocomplete's field and term, the two
    revisions compare shows (the article's first and latest)."""
    if name == "autocomplete":
        return {"app_label": "newsroom", "model_name": "article", "field_name": "translated_from", "term": "pont"}
    if name == "newsroom_article_history_compare":
        ids = revisions.of(getattr(world, obj)).values_list("history_id", flat=True)
        return {"a": ids.last(), "b": ids.first()}
    return None


# The actions that ask for a time before they change anything: the time, given.
def _tomorrow() -> dict:
    moment = timezone.localtime() + timedelta(days=1)
    return {"apply": "1", "when_0": moment.strftime("%Y-%m-%d"), "when_1": moment.strftime("%H:%M:%S")}


ACTION_DATA = {"schedule": _tomorrow, "schedule_all_languages": _tomorrow}


def post_data(name: str, url: str, world, superuser_client) -> dict:
    """What a browser would send: the page's own form as a superuser sees it, plus what makes it do
    something (a deletion confirmed, a review approved, an import asked for)."""
    data = {}
    page = superuser_client.get(url)
    if page.status_code == 200 and "html" in page.get("Content-Type", ""):
        forms = [fields for action, fields, _text in page_forms(page.content.decode(), url) if "logout" not in action]
        data = forms[0] if forms else {}
    extra = {
        "translation_coverage": {"cell": f"{world.published.pk}:ru"},
        "translation_translation_change": {"_approve": "1"},
        "translation_glossary_import": {"file": SimpleUploadedFile(
            "glossary.csv", "id,kind,fr,en\n,term,Valmont,Valmont\n".encode(), "text/csv")},
        "ingest_import": {"url": "http://127.0.0.1:9/story"},
        "ingest_importeditem_apply": {"loaded_version": str(world.imported.version)},
        "auth_user_password_change": {"password1": "Un-long-mot-de-passe-42", "password2": "Un-long-mot-de-passe-42"},
        "newsroom_article_add": {"language": "fr", "headline": "Nouvelle", "section": world.section.pk,
                                 "status": "draft"},
        "newsroom_section_add": {"key": "sport", "position": "3", "names-0-language": "fr", "names-0-name": "Sport"},
        "newsroom_source_add": {"name": "Gazette"}, "newsroom_author_add": {"name": "Léa Martin"},
        "newsroom_tag_add": {"language": "fr", "name": "Culture"}, "auth_group_add": {"name": "Weekend desk"},
    }.get(name, {})
    if name.endswith("_delete"):
        extra = {"post": "yes"}
    return {**data, **extra}


def mismatches(kind, name, obj, person, expected: bool, got: str, changed: bool) -> list[str]:
    wanted = "allowed" if expected else "refused"
    found = []
    if got != wanted:
        found.append(f"{kind} {name} [{obj}] as {PEOPLE[person]}: {wanted} expected, {got}")
    if not expected and changed:
        found.append(f"{kind} {name} [{obj}] as {PEOPLE[person]}: refused, yet the database changed")
    return found


def test_who_may_open_each_admin_page(clients, world):
    wrong = []
    for name, obj, get, _post in rows(PAGES):
        if get == ".":
            continue
        url = url_of(name, obj, world)
        for person, client in clients.items():
            if person == "-":
                continue
            got, _changed = send(client, "get", url, get_query(name, obj, world))
            wrong += mismatches("GET", name, obj, person, person in letters(get), got, False)
    assert wrong == [], "\n".join(wrong)


def test_who_may_send_each_admin_form(clients, world, people):
    from .conftest import client_of

    superuser_client, before = client_of(people.chief), snapshot()
    wrong = []
    for name, obj, _get, post in rows(PAGES):
        if post == ".":
            continue
        url = url_of(name, obj, world)
        data = post_data(name, url, world, superuser_client)
        for person, client in clients.items():
            if person == "-":
                continue
            for upload in data.values():
                if hasattr(upload, "seek"):
                    upload.seek(0)
            got, changed = send(client, "post", url, data, before=before)
            wrong += mismatches("POST", name, obj, person, person in letters(post), got, changed)
    assert wrong == [], "\n".join(wrong)


def offered(client, changelist: str) -> set[str]:
    page = client.get(changelist)
    if page.status_code != 200 or "action_form" not in (page.context or {}):
        return set()
    return {name for name, _label in page.context["action_form"].fields["action"].choices if name}


def test_who_may_run_each_action(clients, world):
    before, wrong = snapshot(), []
    for label, action, obj, allowed in rows(ACTIONS):
        app_label, model_name = label.split(".")
        changelist = reverse(f"admin:{app_label}_{model_name}_changelist")
        data = {"action": action, helpers.ACTION_CHECKBOX_NAME: [getattr(world, obj).pk], "index": "0", "post": "yes",
                **(ACTION_DATA[action]() if action in ACTION_DATA else {})}
        for person, client in clients.items():
            if person == "-":
                continue
            expected = person in letters(allowed)
            if expected and action not in offered(client, changelist):
                wrong.append(f"action {action} of {label} is not offered to {PEOPLE[person]}")
            _got, changed = send(client, "post", changelist, data, before=before)
            if changed != expected:
                wrong.append(f"action {action} of {label} [{obj}] as {PEOPLE[person]}: "
                             f"{'nothing changed' if expected else 'the database changed'}")
    assert wrong == [], "\n".join(wrong)


def test_who_sees_each_newsroom_tool_on_the_admin_home(clients):
    wrong = []
    names = {str(tool.label): tool.name for tool in admin_extensions.tools()}
    for tool, shown_to in rows(TOOLS):
        for person, client in clients.items():
            if person == "-":
                continue
            shown = {names[str(t["label"])] for t in client.get(reverse("admin:index")).context["newsroom_tools"]}
            if (tool in shown) != (person in letters(shown_to)):
                wrong.append(f"tool {tool} {'shown' if tool in shown else 'not shown'} to {PEOPLE[person]}")
    assert wrong == [], "\n".join(wrong)


def test_a_visitor_who_is_not_logged_in_is_sent_to_the_log_in_page_from_every_page(clients, world):
    visitor, wrong = clients["-"], []
    for name, obj, _get, post in rows(PAGES):
        url = url_of(name, obj, world)
        for method in ("get", "post"):
            response = visitor.get(url) if method == "get" else visitor.post(url, {})
            if outcome(response) != "refused":
                wrong.append(f"{method.upper()} {name} [{obj}]: {response.status_code}")
    assert wrong == [], "\n".join(wrong)
