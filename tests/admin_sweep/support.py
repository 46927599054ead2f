"""What the admin sweep (test_sweep.py) is made of: the naughty strings and their families, the
admin's URL patterns from the resolver, the parameters each view reads, forms read from a page,
and the Sweeper, which sends requests and collects server errors."""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape

import lxml.html
from django.contrib import admin
from django.contrib.admin.filters import FieldListFilter
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import RequestFactory
from django.urls import URLResolver, get_resolver

from .. import corpus


# Hostile values the corpus lacks: NUL (PostgreSQL refuses it anywhere in text), dates at the ends
# of the calendar, a superscript digit alone, and text longer than any field.
EXTRA = ["\x00", "a\x00b", "0001-01-01", "9999-12-31 23:59:59", "²", "-99999999999999999999", "x" * 5000]


def naughty_strings() -> list[str]:
    return list(dict.fromkeys([*corpus.naughty_strings(), *EXTRA]))


# Each family of the corpus, and the test a string of it passes (see the module docstring).
FAMILIES = {
    "empty": lambda s: s == "",
    "whitespace only": lambda s: s != "" and not s.strip(),
    "NUL": lambda s: "\x00" in s,
    "control characters": lambda s: any(ord(c) < 32 and c not in "\t\n\r" for c in s) and "\x00" not in s,
    "zero": lambda s: s == "0",
    "negative": lambda s: s == "-1",
    "digits int() refuses": lambda s: s == "⁰⁴⁵",
    "digits int() accepts": lambda s: s == "１２３",
    "Arabic-Indic digits": lambda s: s == "٠١٢٣٤٥٦٧٨٩",
    "exponent": lambda s: s == "1E+02",
    "hexadecimal": lambda s: s == "0xffffffff",
    "huge number": lambda s: len(s) > 50 and s.isascii() and s.isdigit(),
    "huge negative number": lambda s: s.startswith("-") and s[1:].isdigit() and len(s) > 15,
    "first day of the calendar": lambda s: s == "0001-01-01",
    "last minute of the calendar": lambda s: s.startswith("9999-12-31"),
    "format string": lambda s: s == "%s%s%s%s%s",
    "percent sign": lambda s: s == "%",
    "SQL": lambda s: s == "' OR 1=1 -- 1",
    "path traversal": lambda s: s.startswith("../") and s.endswith("%00"),
    "markup": lambda s: s == "<script>alert(123)</script>",
    "right-to-left": lambda s: sum(unicodedata.bidirectional(c) in ("R", "AL") for c in s) > 10,
    "combining marks": lambda s: sum(unicodedata.combining(c) > 0 for c in s) > 20,
    "emoji": lambda s: any(ord(c) > 0xFFFF for c in s) and len(s) < 5,
    "longer than any field": lambda s: len(s) >= 5000,
}


def sample(strings: list[str]) -> list[str]:
    """The first string of each family."""
    chosen = {family: next((s for s in strings if test(s)), None) for family, test in FAMILIES.items()}
    missing = [family for family, s in chosen.items() if s is None]
    assert not missing, f"the corpus has no string of {missing}: choose other representatives"
    return list(dict.fromkeys(chosen.values()))


STRINGS = naughty_strings()
SAMPLE = sample(STRINGS)
# The pages that take long to draw (lists, forms) get, per parameter and field, the families
# that break parsers and databases: NUL, digits isdigit() accepts but int() refuses, a number
# too large for any column, the first day of the calendar. BABELPRESS_ADMIN_SWEEP=full gives
# them the whole SAMPLE (about a minute more).
FULL = os.environ.get("BABELPRESS_ADMIN_SWEEP") == "full"
FEW = SAMPLE if FULL else [s for s in SAMPLE if s in ("\x00", "⁰⁴⁵", "9" * 96, "0001-01-01")]

# Hand-written admin views (not Django's generic ones): the query parameters each reads.
# A new view must be added here, so that nobody forgets to sweep what it reads.
HAND_WRITTEN_VIEWS = {
    "translation_coverage": ["section", "language", "state"],
    "translation_engines": [],
    "translation_glossary_export": [],
    "translation_glossary_import": [],
    "translation_translationjob_retry": [],
    "newsroom_article_translate": [],
    "newsroom_article_history_compare": ["a", "b"],
    "newsroom_article_history_restore": [],
    "ingest_import": ["url"],
    "ingest_import_job": [],
    "ingest_importeditem_apply": [],
    "ingest_importeditem_discard": [],
    "auth_user_password_change": [],
}
# Django's own views of the admin site and what they read.
SITE_VIEWS = {
    "index": [], "login": ["next"], "logout": [], "password_change": [], "password_change_done": [],
    "autocomplete": ["app_label", "model_name", "field_name", "term", "page", "exclude_story", "for_language"],
    "jsi18n": [],
    "view_on_site": [], "app_list": [], None: [],
}
MODEL_VIEWS = ("changelist", "add", "change", "delete", "history")


# --- Routes --------------------------------------------------------------------------------------


PARAM = re.compile(r"<(?:\w+:)?(?P<name>\w+)>|\(\?P<(?P<group>\w+)>[^)]*\)")


def admin_routes() -> list[tuple[str, str | None]]:
    """(route, name) of every URL pattern under /admin/, from the resolver."""
    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern), pattern.name

    return [(route, name) for route, name in walk(get_resolver().url_patterns, "") if route.startswith("admin/")]


def fill(route: str, values: dict) -> str:
    url = PARAM.sub(lambda m: quote(str(values[m["name"] or m["group"]]), safe=""), route)
    return "/" + url.replace("^", "").replace("$", "")


def params_of(route: str) -> list[str]:
    return [m["name"] or m["group"] for m in PARAM.finditer(route)]


def model_of(route: str):
    """The registered model whose admin pages ``route`` belongs to, if any."""
    for model in admin.site._registry:
        if route.startswith(f"admin/{model._meta.app_label}/{model._meta.model_name}/"):
            return model
    return None


def valid_values(route: str, name: str | None, world) -> dict:
    """A value for each parameter of ``route`` that reaches the real view."""
    from babelpress.newsroom.models import Article

    obj = world.get(model_of(route))
    known = {"object_id": obj.pk if obj else None, "pk": obj.pk if obj else None, "id": obj.pk if obj else None,
             "lang": "ru", "fmt": "csv", "app_label": "newsroom", "url": "nothing-here/"}
    from babelpress.ingest.models import ImportJob

    if ImportJob in world:
        known["job_id"] = world[ImportJob].pk
    if "revision_id" in params_of(route):
        from babelpress.newsroom import revisions

        known["revision_id"] = revisions.of(obj).values_list("history_id", flat=True).last()
    if name == "view_on_site":
        known.update(content_type_id=ContentType.objects.get_for_model(Article).pk, object_id=world[Article].pk)
    values = {param: known.get(param) for param in params_of(route)}
    unknown = [param for param, value in values.items() if value is None]
    assert not unknown, f"teach the sweep a valid value for {unknown} in {route} ({name})"
    return values


def query_groups(route: str, name: str | None, value: str) -> list[dict]:
    """Query strings that put ``value`` into every parameter the view at ``route`` reads.

    Parameters read independently of each other share a request; one that can stop the view
    before the others are read (a refused list filter, ``_to_field``) gets a request of its own.
    The parameters every object view of every model reads the same way (``_changelist_filters``,
    ``_popup``, ``_to_field``, the history page number) are swept on the article's views, which
    stand for all: Django's code reads them, whatever the model.
    """
    if name in HAND_WRITTEN_VIEWS or name in SITE_VIEWS:
        names = HAND_WRITTEN_VIEWS.get(name, SITE_VIEWS.get(name))
        return [dict.fromkeys(names, value)] if names else []
    model = model_of(route)
    view = name.removeprefix(f"{model._meta.app_label}_{model._meta.model_name}_")
    assert view in MODEL_VIEWS, f"{name} is a hand-written view: list the query parameters it reads in HAND_WRITTEN_VIEWS"
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = superuser()
    shared = [dict.fromkeys(["_changelist_filters", "_popup"], value), {"_to_field": value}]
    groups = shared if model._meta.label == "newsroom.Article" else []
    if view == "changelist":
        groups = [dict.fromkeys(["q", "o", "p", "all", "_facets", "_popup"], value), {"_to_field": value},
                  {"nonsense__exact": value}]
        groups += [{param: value} for param in filter_parameters(model_admin, request)]
        field = model_admin.date_hierarchy
        if field:
            groups += [{f"{field}__year": value}, {f"{field}__year": "2026", f"{field}__month": value},
                       {f"{field}__year": "2026", f"{field}__month": "1", f"{field}__day": value},
                       {f"{field}__gte": value}, {f"{field}__lt": value}]
    elif view == "add":  # the add form takes initial values from the query string
        groups = groups + [dict.fromkeys(model_admin.get_form(request)().fields, value)]
    elif view == "history" and groups:
        groups[0]["p"] = value
    return groups


def filter_parameters(model_admin, request) -> list[str]:
    """The query parameters of every list filter of ``model_admin``, shown or not."""
    params = []
    for entry in model_admin.get_list_filter(request):
        if isinstance(entry, type):  # a SimpleListFilter
            spec = entry(request, {}, model_admin.model, model_admin)
        else:
            path, factory = entry if isinstance(entry, (tuple, list)) else (entry, FieldListFilter.create)
            field = get_fields_from_path(model_admin.model, path)[-1]
            spec = factory(field, request, {}, model_admin.model, model_admin, field_path=path)
        params += spec.expected_parameters()
    return params


def superuser():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="sweeper")


# --- The sweeper ---------------------------------------------------------------------------------


class Sweeper:
    """Sends requests, each rolled back, and collects every server error instead of stopping at one."""

    def __init__(self, client):
        self.client, self.failures, self.sent = client, [], 0
        self.cookies = client.cookies

    def send(self, method: str, url: str, data=None) -> object | None:
        self.sent += 1
        self.client.cookies = type(self.cookies)(self.cookies)  # a logout or a message does not carry over
        try:
            with transaction.atomic():
                response = getattr(self.client, method)(url, data or {})
                transaction.set_rollback(True)
        except Exception as exc:  # the test client re-raises the view's exception: a 500
            self.failures.append(f"{method.upper()} {url} {_short(data)} → {type(exc).__name__}: {_short(exc)}")
            return None
        if response.status_code >= 500:
            self.failures.append(f"{method.upper()} {url} {_short(data)} → {response.status_code}")
        return response

    def send_batch(self, method: str, url: str, data: dict, key: str, values: list[str]) -> None:
        """All ``values`` in the list field ``key`` at once; on a failure, halve to find the culprits."""
        before = len(self.failures)
        self.send(method, url, {**data, key: values})
        if len(self.failures) > before and len(values) > 1:
            del self.failures[before:]
            middle = len(values) // 2
            self.send_batch(method, url, data, key, values[:middle])
            self.send_batch(method, url, data, key, values[middle:])

    def check(self):
        assert not self.failures, f"{len(self.failures)} server errors in {self.sent} requests:\n" + "\n".join(
            self.failures[:40])


def _short(value) -> str:
    text = repr(value)
    return text if len(text) < 300 else text[:300] + "…"


# --- Forms read from the page --------------------------------------------------------------------


def page_forms(html: bytes, page_url: str) -> list[tuple[str, dict, set]]:
    """(action, {field: [values]}, free-text field names) of each POST form of a page, the values
    as a browser would submit them."""
    doc = lxml.html.fromstring(html.decode("utf-8", "replace") if isinstance(html, bytes) else html)
    forms = []
    for form in doc.cssselect("form"):
        if (form.get("method") or "get").lower() != "post":
            continue
        fields: dict[str, list[str]] = {}
        text = set()
        for element in form.cssselect("input, select, textarea"):
            name, kind = element.get("name"), (element.get("type") or "text").lower()
            if not name or kind in ("file", "submit", "button", "image", "reset"):
                continue
            values = fields.setdefault(name, [])
            if element.tag == "select":
                values.extend(o.get("value", o.text_content()) for o in element.cssselect("option[selected]"))
            elif element.tag == "textarea":
                values.append(element.text or "")
                text.add(name)
            elif kind in ("checkbox", "radio"):
                if element.get("checked") is not None:
                    values.append(element.get("value", "on"))
            else:
                values.append(element.get("value", ""))
                if kind in ("text", "search", "url", "email"):
                    text.add(name)
        forms.append((form.get("action") or page_url, fields, text))
    return forms


def rotated(names: list[str], turn: int) -> dict:
    values = {name: FEW[(index + turn) % len(FEW)] for index, name in enumerate(names)}
    # Django caps a formset's form count at 2,000, and drawing that many inline forms back takes
    # seconds: the counts of a management form get every string but the huge number.
    return {name: "⁰⁴⁵" if name.endswith("_FORMS") and value.isdigit() else value for name, value in values.items()}


def same_as_the_articles(name: str, fields: dict) -> bool:
    """A delete confirmation, or a list's action form without editable rows: Django's code, the
    same for every model — swept on the article's pages (and every action in part 1)."""
    if name.startswith("newsroom_article_"):
        return False
    return name.endswith("_delete") or (name.endswith("_changelist") and "form-TOTAL_FORMS" not in fields)


def glossary_files(strings: list[str]) -> list[SimpleUploadedFile]:
    """Glossary files naming a term with each string: CSV with it in every column, and with it in
    every column but the id and kind (so the rows import); TBX with it as entry id, kind and
    names (XML cannot hold some control characters: those are left out), and TBX with them in."""
    from babelpress.translation import glossary_io

    header = glossary_io.csv_header()
    files = []
    for fixed in ({}, {"id": "", "kind": "term"}):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows([fixed.get(column, s) for column in header] for s in strings)
        files.append(SimpleUploadedFile("glossary.csv", out.getvalue().encode("utf-8"), "text/csv"))
    entries = "".join(
        f'<conceptEntry id="c{xml_escape(s, {chr(34): "&quot;"})}"><descrip type="subjectField">{xml_escape(s)}</descrip>'
        f'<langSec xml:lang="fr"><termSec><term>{xml_escape(s)}</term><termNote type="administrativeStatus">'
        f"preferredTerm-admn-sts</termNote></termSec></langSec></conceptEntry>" for s in strings)
    document = (f'<?xml version="1.0" encoding="UTF-8"?><tbx xmlns="{glossary_io.TBX_NAMESPACE}" type="TBX-Basic" '
                f'style="dca" xml:lang="en"><tbxHeader><fileDesc><sourceDesc><p>{glossary_io.TBX_SOURCE}</p>'
                f"</sourceDesc></fileDesc></tbxHeader><text><body>{entries}</body></text></tbx>")
    legal = "".join(c for c in document if c in "\t\n\r" or ord(c) >= 32)
    for text in (legal, document):
        files.append(SimpleUploadedFile("glossary.tbx", text.encode("utf-8"), "application/x-tbx+xml"))
    return files


def accepts_as_key(model, value: str) -> bool:
    from django.core.exceptions import ValidationError

    try:
        model._meta.pk.to_python(value)
    except ValidationError:
        return False
    return True


def superuser_request():
    request = RequestFactory().get("/")
    request.user = superuser()
    return request
