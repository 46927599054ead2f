"""The naughty strings that carry markup or script, saved through the admin (content.py), shown in
a real browser (Debian's Chromium): on the public article page, the home page, the admin's lists
and (for a few) its change form, nothing runs — no dialog opens, no alert/confirm/prompt is
called, no request leaves for an address the page does not name itself. About 50 s."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from . import content
from .content import ARTICLE_PAGES, LIST_PAGES, ContentSweep
from .support import SAMPLE, STRINGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACTIVE = re.compile(r"<|javascript:|on\w+\s*=|&#", re.IGNORECASE)
# Replaces the dialogs before any script of the page runs: a call is recorded, not shown.
WATCH = """
window.__ran = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => { window.__ran.push(name + "(" + args.join(",") + ")"); };
}
"""


@pytest.fixture
def editor_session(django_user_model):
    user = django_user_model.objects.create_superuser("naughty", "naughty@example.org", None)
    client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(user)
    return client


def open_tab(browser, live_server, session_cookie=None):
    # Every address but the live server's goes to a proxy nobody listens on: nothing leaves the
    # machine, and each attempt is recorded.
    own = urlsplit(live_server.url)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR",
                                  proxy={"server": "http://127.0.0.1:9", "bypass": own.hostname})
    if session_cookie is not None:
        context.add_cookies([{"name": session_cookie.key, "value": session_cookie.value, "url": live_server.url}])
    context.add_init_script(WATCH)
    tab = context.new_page()
    tab.ran, tab.left = [], []
    tab.on("dialog", lambda dialog: (tab.ran.append(f"dialog {dialog.message!r}"), dialog.dismiss()))
    tab.on("request", lambda request: None if urlsplit(request.url).netloc == own.netloc
           or not request.url.startswith("http") else tab.left.append(request.url))
    return tab


def visit(tab, url: str) -> list[str]:
    tab.ran.clear()
    tab.left.clear()
    tab.goto(url, wait_until="load")
    ran = tab.evaluate("window.__ran")
    return [f"{url}: ran {what}" for what in [*ran, *tab.ran]] + [f"{url}: requested {a}" for a in tab.left]


def test_markup_saved_through_the_admin_runs_nothing_in_a_browser(browser, live_server, editor_session):
    sweep = ContentSweep(editor_session)
    hostile = [s for s in [*STRINGS, *content.EXTRA] if ACTIVE.search(s)]
    saved = [sweep.article(index, value) for index, value in enumerate(hostile, 1)]
    assert not sweep.failures, sweep.failures
    cookie = editor_session.cookies["sessionid"]
    reader, editor = open_tab(browser, live_server), open_tab(browser, live_server, cookie)
    problems = []
    for item in saved:
        if item.article is None:
            continue
        for page in ARTICLE_PAGES.values():
            if page.name == "admin change form" and item.string not in (*SAMPLE, *content.EXTRA):
                continue  # a change form takes long to load (and lists every section): a few strings
            problems += visit(editor if page.signed_in else reader, live_server.url + page.url(item.article))
    for page in LIST_PAGES.values():
        for url in page.url():
            problems += visit(editor if page.signed_in else reader, live_server.url + url)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:40])
    assert len(saved) > 200
