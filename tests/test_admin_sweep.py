"""Every admin URL, fed the naughty strings, answers with a page, a redirect, a form error or a
4xx — never a server error. Logged in as a superuser, who reaches every screen.

What is swept, and why that covers the admin
---------------------------------------------
The URL patterns come from the resolver (``admin.site.get_urls()`` with every registered model's
list, add, change, delete and history views, plus the project's own, such as the coverage page):
a new admin URL is swept without anyone listing it, and a new hand-written view must say in
HAND_WRITTEN_VIEWS which query parameters it reads, or this file fails.

The strings are ``naughty/blns.json`` (515) plus a few it lacks (NUL, the calendar's first and
last day, a 20-digit negative number, 5,000 characters). Every string through every parameter of
every URL would be about 60,000 requests (over ten minutes), so:

1. **Every string through every kind of parameter** (test_every_string_through_every_kind_…),
   each kind on one URL that stands for all URLs of its kind, because the code reading the value
   is the same: Django's ``get_object`` for a path id (integer and UUID keys; the hand-written
   review screen goes through it too), our path ``<int:>`` and ``<str:>`` converters and views,
   a list filter on a foreign key, the date drill-down, search + ordering + page number together
   (read one after the other, none stopping the others), the article search as the autocomplete
   box uses it, a number field of ours (``loaded_version``), and — all strings in one request,
   halved on a failure to name the culprit — the multi-valued fields: coverage cells, review
   segments (numbers and texts), every action of every admin with every string as its selection,
   and glossary files with every string in every column. The list parameters are read on lists
   in their pop-up form: the same ChangeList, drawn without the sidebar, at half the cost.

2. **Every URL pattern with a representative subset** (test_every_admin_url_…, test_every_form…):
   SAMPLE holds one string of each family in the corpus (FAMILIES: empty, blank, NUL, control
   characters, zero, negative, digits int() refuses or accepts, exponent, hex, huge numbers, the
   calendar's ends, format strings, SQL, path traversal, markup, right-to-left text, combining
   marks, emoji, overlong text). Each goes into every path parameter of every URL. Query
   parameters (every list filter, the date drill-down, search, ordering, paging, pop-up,
   ``_to_field``, an add form's pre-filled fields, our views' own) and form fields (every field of
   every POST form the page shows, read from its HTML: inlines, management forms, checkboxes,
   hidden fields) get FEW — NUL, ``⁰⁴⁵``, a 96-digit number and 0001-01-01, the families that
   broke parsers and databases here — because such a page takes 10–100 ms to draw; each form
   field gets each of them once, in turn, free text with every other field valid (so the form
   may save it) and every other field hostile. ``BABELPRESS_ADMIN_SWEEP=full`` gives them the
   whole SAMPLE.

Each request runs in a savepoint that is rolled back, so a request that deletes or saves leaves
the world as it was for the next one. Measured on this 2-core machine (shared with other work):
about 23 s for the whole file on SQLite (11 s of it part 1), 30 s on PostgreSQL; with
BABELPRESS_ADMIN_SWEEP=full, 65 s and 80 s.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import re
import unicodedata
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape

import lxml.html
import pytest
from django.contrib import admin
from django.contrib.admin.filters import FieldListFilter
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import RequestFactory
from django.urls import URLResolver, get_resolver
from django.utils import timezone

pytestmark = [
    pytest.mark.django_db,
    # A hostile date such as 0001-01-01 arrives without a time zone: Django says so, rightly.
    pytest.mark.filterwarnings("ignore:DateTimeField .* received a naive datetime:RuntimeWarning"),
]


def corpus_dir() -> Path:
    """``<repo>/../shared/corpus``, else $BABELPRESS_TEST_CORPUS, else /work/shared/corpus."""
    candidates = [Path(__file__).resolve().parents[1].parent / "shared" / "corpus",
                  os.environ.get("BABELPRESS_TEST_CORPUS"), "/work/shared/corpus"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "naughty" / "blns.json").is_file():
            return Path(candidate)
    pytest.fail("The naughty-strings corpus was not found: put it at ../shared/corpus beside the repository "
                "or set BABELPRESS_TEST_CORPUS to the corpus folder.")


# Hostile values the corpus lacks: NUL (PostgreSQL refuses it anywhere in text), dates at the ends
# of the calendar, a superscript digit alone, and text longer than any field.
EXTRA = ["\x00", "a\x00b", "0001-01-01", "9999-12-31 23:59:59", "²", "-99999999999999999999", "x" * 5000]


def naughty_strings() -> list[str]:
    strings = json.loads((corpus_dir() / "naughty" / "blns.json").read_text(encoding="utf-8"))
    return list(dict.fromkeys(strings + EXTRA))


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
# them the whole SAMPLE (a few minutes).
FULL = os.environ.get("BABELPRESS_ADMIN_SWEEP") == "full"
FEW = SAMPLE if FULL else [s for s in SAMPLE if s in ("\x00", "⁰⁴⁵", "9" * 96, "0001-01-01")]

# Hand-written admin views (not Django's generic ones): the query parameters each reads.
# A new view must be added here, so that nobody forgets to sweep what it reads.
HAND_WRITTEN_VIEWS = {
    "translation_coverage": ["section", "language", "state"],
    "translation_glossary_export": [],
    "translation_glossary_import": [],
    "translation_translationjob_retry": [],
    "newsroom_article_translate": [],
    "ingest_import": ["url"],
    "ingest_importeditem_apply": [],
    "ingest_importeditem_discard": [],
    "auth_user_password_change": [],
}
# Django's own views of the admin site and what they read.
SITE_VIEWS = {
    "index": [], "login": ["next"], "logout": [], "password_change": [], "password_change_done": [],
    "autocomplete": ["app_label", "model_name", "field_name", "term", "page"], "jsi18n": [],
    "view_on_site": [], "app_list": [], None: [],
}
MODEL_VIEWS = ("changelist", "add", "change", "delete", "history")


# --- The world: one object of every registered model ---------------------------------------------


@pytest.fixture
def world(django_user_model):
    """{model: an instance} for every model registered in the admin (few rows: lists render fast)."""
    from django.contrib.auth.models import Group
    from django_tasks_db.models import DBTaskResult

    from babelpress.ingest.models import Feed, ImportedItem
    from babelpress.newsroom.models import Article, Author, Section, SectionName, Source, Tag
    from babelpress.translation import workflow
    from babelpress.translation.models import (
        EngineUsage, GlossaryName, GlossaryTerm, MemoryEntry, Segment, Translation, TranslationJob,
    )
    from babelpress.translation.pipeline import article_fields
    from babelpress.translation.segmenter import source_digest
    from babelpress.translation.tasks import run_translation_job

    user = django_user_model.objects.create_superuser("sweeper", "sweeper@example.org", None)
    section = Section.objects.create(key="news", position=1)
    SectionName.objects.create(section=section, language="fr", name="Actualités")
    source = Source.objects.create(name="Agence Lumière", url="https://lumiere.example.org", licence="CC BY 4.0")
    # A second section, source and feed: a list filter with one choice is not shown, nor applied.
    SectionName.objects.create(section=Section.objects.create(key="culture", position=2), language="fr", name="Culture")
    other_source = Source.objects.create(name="Gazette", url="https://gazette.example")
    author = Author.objects.create(name="Claire Dubois", source=source)
    tag = Tag.objects.create(language="fr", name="Transports")
    original = Article.objects.create(
        language="fr", headline="Le pont rouvre", body="<p>Le pont a été reconstruit.</p>", section=section,
        source=source, author=author, status=Article.Status.PUBLISHED, published_at=timezone.now())
    original.tags.add(tag)
    english = original.create_translation("en", headline="The bridge reopens", body="<p>The bridge was rebuilt.</p>",
                                          translation_method="machine")
    review = Translation.objects.create(article=english, source=original, engine="phrasebook", qa_errors=1,
                                        source_digest=source_digest(article_fields(original)))
    Segment.objects.create(translation=review, position=0, field="headline", source_text=original.headline,
                           source_hash="h0", machine_text=english.headline, target_text=english.headline)
    Segment.objects.create(translation=review, position=1, field="body", source_text="Le pont a été reconstruit.",
                           source_hash="h1", machine_text="The bridge was rebuilt.", target_text="The bridge was <x1/>.",
                           qa=[{"check": "tags", "level": "error", "message": "A tag is missing."}])
    queued = workflow.enqueue(original, ["ru"], user=user)[0]
    run_translation_job.enqueue(queued.pk)  # the task row (enqueue itself waits for a commit that never comes)
    failed = TranslationJob.objects.create(source=original, target_language="hy", status="failed",
                                           last_error="engine down", finished_at=timezone.now())
    term = GlossaryTerm.objects.create(note="bridge names")
    GlossaryName.objects.create(term=term, language="fr", name="Pont de Valmont")
    feed = Feed.objects.create(url="https://lumiere.example.org/feed.xml", source=source, section=section)
    Feed.objects.create(url="https://gazette.example/rss", source=other_source, section=section)
    item = ImportedItem.objects.create(
        article=original, feed=feed, original_url="https://lumiere.example.org/pont", content_hash="c" * 64,
        retrieved_at=timezone.now(), detected_language="fr",
        pending_update={"headline": "Le pont rouvre lundi", "standfirst": "", "body": "<p>Reconstruit.</p>",
                        "content_hash": "d" * 64, "retrieved_at": timezone.now().isoformat(), "url": ""})
    objects = {
        Article: original, Section: section, Source: source, Author: author, Tag: tag, Translation: review,
        TranslationJob: failed, GlossaryTerm: term, Feed: feed, ImportedItem: item, django_user_model: user,
        MemoryEntry: MemoryEntry.objects.create(source_language="fr", target_language="en", source_hash="m" * 64,
                                                source_text="Le pont", target_text="The bridge", engine="phrasebook"),
        EngineUsage: EngineUsage.objects.create(engine="phrasebook", month="2026-01", characters=10, requests=1),
        Group: Group.objects.create(name="Desk"), DBTaskResult: DBTaskResult.objects.get(),
    }
    missing = [m._meta.label for m in admin.site._registry if objects.get(m) is None]
    assert not missing, f"give the sweep an object of {missing}"
    return objects


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
    request.user = _superuser()
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


def _superuser():
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


@pytest.fixture
def sweeper(client, world, settings):
    settings.MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # password forms, quickly
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"  # one query less a request
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(_superuser())
    # Thousands of refusals (404, 400, 403) would each be logged, some with a traceback; a server
    # error is caught from the response, not from the log.
    logging.disable(logging.WARNING)
    yield Sweeper(client)
    logging.disable(logging.NOTSET)


# --- Forms read from the page --------------------------------------------------------------------


def page_forms(html: bytes, page_url: str) -> list[tuple[str, dict, set]]:
    """(action, {field: [values]}, free-text field names) of each POST form of a page, the values
    as a browser would submit them."""
    doc = lxml.html.fromstring(html)
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


# --- The findings of the attack, one by one ------------------------------------------------------


def test_a_superscript_section_number_on_the_coverage_page_shows_every_section(sweeper, world):
    response = sweeper.send("get", "/admin/translation/coverage/", {"section": "⁰⁴⁵"})  # isdigit(), yet int() refuses
    assert response.status_code == 200
    assert "Le pont rouvre" in response.content.decode()


def test_a_superscript_story_number_in_a_coverage_cell_is_skipped(sweeper, world):
    from babelpress.translation.models import TranslationJob

    response = sweeper.send("post", "/admin/translation/coverage/", {"cell": ["⁰⁴⁵:en", "１２３:en"]})
    assert response.status_code == 302
    assert not TranslationJob.objects.filter(target_language="en").exists()


def test_a_review_address_that_is_not_a_number_says_the_review_does_not_exist(sweeper, world):
    response = sweeper.client.get("/admin/translation/translation/abc/change/", follow=True)
    assert response.redirect_chain == [("/admin/", 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "translation with ID “abc” doesn’t exist. Perhaps it was deleted?"]


@pytest.mark.parametrize("drilldown", [
    {"published_at__year": "1", "published_at__month": "1"},  # starts in year 0 in UTC, from Paris
    {"published_at__year": "9999", "published_at__month": "12", "published_at__day": "31"},  # ends in year 10000
    {"published_at__year": "9999"},
])
def test_a_date_drilldown_outside_the_calendar_shows_the_whole_list_with_a_warning(sweeper, world, drilldown):
    response = sweeper.send("get", "/admin/newsroom/article/", drilldown)
    assert response.status_code == 302 and response["Location"] == "/admin/newsroom/article/?e=1"
    listing = sweeper.client.get(response["Location"])
    shown = [str(m) for m in listing.context["messages"]]
    assert shown == ["The list could not be filtered that way, so it shows everything: choose a filter or a date "
                     "from the list instead."]


def test_a_date_filter_the_database_cannot_convert_shows_the_whole_list_with_a_warning(sweeper, world):
    response = sweeper.send("get", "/admin/newsroom/article/", {"published_at__gte": "0001-01-01"})
    if connection.vendor == "sqlite":  # SQLite's driver converts to UTC in Python: year 0
        assert response.status_code == 302 and response["Location"] == "/admin/newsroom/article/?e=1"
    else:  # PostgreSQL takes year 1 with Paris's offset of 1911 as it is
        assert response.status_code == 200 and response.context["cl"].result_count == 1


def test_an_action_on_a_selection_that_is_not_a_list_of_keys_changes_nothing(sweeper, world):
    from babelpress.newsroom.models import Section

    for selection in (["abc"], ["9" * 30], [str(world[Section].pk), "⁰⁴⁵"]):
        response = sweeper.send("post", "/admin/newsroom/section/", {
            "action": "delete_selected", "index": "0", "post": "yes", "_selected_action": selection})
        assert response.status_code == 302
    assert Section.objects.filter(pk=world[Section].pk).exists()


def test_every_model_admin_is_registered_hardened(world):
    # The admin site mixes HardenedModelAdminMixin into every ModelAdmin registered on it,
    # Django's own (users, groups) and the task backend's included.
    from babelpress.newsroom.admin_site import HardenedModelAdminMixin, NewsroomAdminSite

    assert isinstance(admin.site, NewsroomAdminSite)
    assert all(isinstance(model_admin, HardenedModelAdminMixin) for model_admin in admin.site._registry.values())


# --- 1. Every string through every kind of parameter ---------------------------------------------


def test_every_string_through_every_kind_of_parameter(sweeper, world):
    from babelpress.ingest.models import ImportedItem
    from babelpress.newsroom.models import Article
    from babelpress.translation.models import Translation

    article, review, item = world[Article], world[Translation], world[ImportedItem]
    for s in STRINGS:
        q = quote(s, safe="")
        sweeper.send("get", f"/admin/translation/translation/{q}/change/")  # the review screen: get_object, int key
        sweeper.send("get", f"/admin/django_tasks_database/dbtaskresult/{q}/change/")  # get_object, UUID key
        sweeper.send("post", f"/admin/translation/translationjob/{q}/retry/")  # a path <int:> of ours
        sweeper.send("post", f"/admin/newsroom/article/{article.pk}/translate/{q}/")  # a path <str:> of ours
        # The list parameters, on lists in their pop-up form (the same ChangeList, drawn smaller).
        sweeper.send("get", "/admin/ingest/feed/", {"source__id__exact": s, "_popup": "1"})  # a list filter
        sweeper.send("get", "/admin/newsroom/article/", {"published_at__year": s, "_popup": "1"})  # date drill-down
        sweeper.send("get", "/admin/auth/group/", {"q": s, "o": s, "p": s, "_popup": "1"})  # search, order, page
        sweeper.send("get", "/admin/autocomplete/", {  # the article search, as the autocomplete uses it
            "app_label": "newsroom", "model_name": "article", "field_name": "translated_from", "term": s})
        sweeper.send("post", f"/admin/ingest/importeditem/{item.pk}/apply/", {"loaded_version": s})  # a form field
    # Multi-valued fields take every string in one request (halved on a failure to name the culprit).
    sweeper.send_batch("post", "/admin/translation/coverage/", {}, "cell", STRINGS)
    sweeper.send_batch("post", "/admin/translation/coverage/", {}, "cell", [f"{article.pk}:{s}" for s in STRINGS])
    sweeper.send_batch("post", "/admin/translation/coverage/", {}, "cell", [f"{s}:en" for s in STRINGS])
    sweeper.send("post", f"/admin/translation/translation/{review.pk}/change/",
                 {f"segment-{s}": s for s in STRINGS} | {f"resolve-{s}": "1" for s in STRINGS})
    for upload in _glossary_files(STRINGS):  # files are fields too: every string in every column
        for dry_run in ("1", ""):
            upload.seek(0)
            sweeper.send("post", "/admin/translation/glossaryterm/import/", {"file": upload, "dry_run": dry_run})
    for model, model_admin in admin.site._registry.items():
        accepted = [s for s in STRINGS if _is_key(model, s)]
        for action in model_admin.get_actions(_request()):
            for selection in (STRINGS, accepted):
                sweeper.send_batch("post", f"/admin/{model._meta.app_label}/{model._meta.model_name}/",
                                   {"action": action, "index": "0"}, "_selected_action", selection)
    sweeper.check()


def _glossary_files(strings: list[str]) -> list[SimpleUploadedFile]:
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


def _is_key(model, value: str) -> bool:
    from django.core.exceptions import ValidationError

    try:
        model._meta.pk.to_python(value)
    except ValidationError:
        return False
    return True


def _request():
    request = RequestFactory().get("/")
    request.user = _superuser()
    return request


# --- 2. Every admin URL pattern × the representative subset --------------------------------------


def test_every_admin_url_pattern_is_known_to_the_sweep(world):
    routes = admin_routes()
    assert len(routes) > 80
    for route, name in routes:
        valid_values(route, name, world)
        query_groups(route, name, "x")


def test_every_admin_url_with_hostile_path_parameters(sweeper, world):
    for route, name in admin_routes():
        values = valid_values(route, name, world)
        for param in values:
            for s in SAMPLE:  # a refused path costs little: every family
                url = fill(route, {**values, param: s})
                sweeper.send("get", url)
                if name in HAND_WRITTEN_VIEWS:
                    sweeper.send("post", url)
    sweeper.check()


def test_every_admin_url_with_hostile_query_parameters(sweeper, world):
    for route, name in admin_routes():
        url = fill(route, valid_values(route, name, world))
        for s in FEW:
            for query in query_groups(route, name, s):
                sweeper.send("get", url, query)
    sweeper.check()


def _rotated(names: list[str], turn: int) -> dict:
    values = {name: FEW[(index + turn) % len(FEW)] for index, name in enumerate(names)}
    # Django caps a formset's form count at 2,000, and drawing that many inline forms back takes
    # seconds: the counts of a management form get every string but the huge number.
    return {name: "⁰⁴⁵" if name.endswith("_FORMS") and value.isdigit() else value for name, value in values.items()}


def _same_as_the_articles(name: str, fields: dict) -> bool:
    """A delete confirmation, or a list's action form without editable rows: Django's code, the
    same for every model — swept on the article's pages (and every action in part 1)."""
    if name.startswith("newsroom_article_"):
        return False
    return name.endswith("_delete") or (name.endswith("_changelist") and "form-TOTAL_FORMS" not in fields)


def test_every_form_of_every_admin_page(sweeper, world):
    seen = set()
    for route, name in admin_routes():
        if name is None:
            continue
        url = fill(route, valid_values(route, name, world))
        page = sweeper.send("get", url)
        if page is None or page.status_code != 200 or "html" not in page.get("Content-Type", ""):
            continue
        for action, fields, text_fields in page_forms(page.content, url):
            if action.rstrip("/").endswith("logout") or _same_as_the_articles(name, fields):
                continue
            if (action, tuple(fields)) in seen:
                continue
            seen.add((action, tuple(fields)))
            others = [f for f in fields if f not in text_fields]
            for turn in range(len(FEW)):  # each field gets each string once, in turn
                # Hostile free text with every other field valid (the form may save it) …
                sweeper.send("post", action, {**fields, **_rotated(sorted(text_fields), turn)})
                # … and hostile values in every other field (numbers, choices, dates, keys, hidden).
                sweeper.send("post", action, {**fields, **_rotated(others, turn)})
    for turn in range(len(FEW)):  # the login form, which a signed-in editor's GET does not show
        sweeper.send("post", "/admin/login/", _rotated(["username", "password", "next"], turn))
    sweeper.check()
