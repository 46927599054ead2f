"""Every admin URL, fed the naughty strings, answers with a page, a redirect, a form error or a
4xx — never a server error. Logged in as a superuser, who reaches every screen.

What is swept, and why that covers the admin
---------------------------------------------
The URL patterns come from the resolver (``admin.site.get_urls()`` with every registered model's
list, add, change, delete and history views, plus the project's own, such as the coverage page):
a new admin URL is swept without anyone listing it, and a new hand-written view must say in
HAND_WRITTEN_VIEWS (support.py) which query parameters it reads, or the sweep fails.

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
   SAMPLE holds one string of each family in the corpus (FAMILIES in support.py: empty, blank, NUL, control
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

from urllib.parse import quote

import pytest
from django.contrib import admin

from .support import (
    FEW, HAND_WRITTEN_VIEWS, SAMPLE, STRINGS, accepts_as_key, admin_routes, fill, glossary_files, page_forms,
    query_groups, rotated, same_as_the_articles, superuser_request, valid_values,
)

pytestmark = [
    pytest.mark.django_db,
    # A hostile date such as 0001-01-01 arrives without a time zone: Django says so, rightly.
    pytest.mark.filterwarnings("ignore:DateTimeField .* received a naive datetime:RuntimeWarning"),
]


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
    for upload in glossary_files(STRINGS):  # files are fields too: every string in every column
        for dry_run in ("1", ""):
            upload.seek(0)
            sweeper.send("post", "/admin/translation/glossaryterm/import/", {"file": upload, "dry_run": dry_run})
    for model, model_admin in admin.site._registry.items():
        accepted = [s for s in STRINGS if accepts_as_key(model, s)]
        for action in model_admin.get_actions(superuser_request()):
            for selection in (STRINGS, accepted):
                sweeper.send_batch("post", f"/admin/{model._meta.app_label}/{model._meta.model_name}/",
                                   {"action": action, "index": "0"}, "_selected_action", selection)
    sweeper.check()


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
            if action.rstrip("/").endswith("logout") or same_as_the_articles(name, fields):
                continue
            if (action, tuple(fields)) in seen:
                continue
            seen.add((action, tuple(fields)))
            others = [f for f in fields if f not in text_fields]
            for turn in range(len(FEW)):  # each field gets each string once, in turn
                # Hostile free text with every other field valid (the form may save it) …
                sweeper.send("post", action, {**fields, **rotated(sorted(text_fields), turn)})
                # … and hostile values in every other field (numbers, choices, dates, keys, hidden).
                sweeper.send("post", action, {**fields, **rotated(others, turn)})
    for turn in range(len(FEW)):  # the login form, which a signed-in editor's GET does not show
        sweeper.send("post", "/admin/login/", rotated(["username", "password", "next"], turn))
    sweeper.check()
