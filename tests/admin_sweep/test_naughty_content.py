"""Every naughty string (../shared/corpus/naughty/, plus support.EXTRA) as newsroom content typed
into the admin: in a headline, a standfirst, a body (as the rich editor sends it), a tag's,
an author's, a source's and a section's name. Each is kept faithfully — as the field's documented
cleaning makes it (content.expected) — or refused with a message tied to the field; never a
server error; and every page that shows it (content.ARTICLE_PAGES, content.LIST_PAGES: the public
article page and home page, the admin's change form and lists) is inert: nothing in it can run
that the same page drawn from plain text does not have (inert.py).

BABELPRESS_ADMIN_SWEEP=full draws the admin change form of every string's article (by default,
of one string of each family and of every string with a script element in it): a change form
lists every section, and there is one per string, so that takes a minute more.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from . import content
from .content import ARTICLE_PAGES, FIELDS, LIST_PAGES, ContentSweep, as_parsed, check_page, expected, stored
from .support import FULL, SAMPLE, STRINGS

pytestmark = [pytest.mark.django_db]

# Refusals an editor understands, each tied to its field (the ones Django and we give).
CLEAR_REFUSALS = re.compile(
    r"^(This field is required\.|Null characters are not allowed\.|Ensure this value has at most \d+ characters "
    r"\(it has \d+\)\.|This is \d+ characters long; at most \d+ fit: shorten it\.)$")
FIELD_OF = {"headline": "headline", "standfirst": "standfirst", "body": "body", "tag": "name", "author": "name",
            "source": "name", "section": "names-0-name"}


def drawn(page: content.Page, editor, reader, url: str):
    response = (editor if page.signed_in else reader).get(url)
    assert response.status_code == 200, f"{page.name} {url}: {response.status_code}"
    return response.content


@pytest.fixture
def reader():
    return Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="fr")


def test_every_naughty_string_in_every_content_field_is_kept_or_refused_and_shown_inert(editor, reader):
    sweep = ContentSweep(editor)
    plain = sweep.article(0, "Plain text")
    assert not plain.refused and plain.article is not None, plain.refused
    article_baselines = {name: drawn(page, editor, reader, page.url(plain.article))
                         for name, page in ARTICLE_PAGES.items()}
    list_baselines = {name: [drawn(page, editor, reader, url) for url in page.url()] for name, page in LIST_PAGES.items()}
    from . import inert

    article_shapes = {name: inert.shape(html) for name, html in article_baselines.items()}
    list_shapes = {url.split("?")[0]: inert.shape(html) for name, page in LIST_PAGES.items()
                   for url, html in zip(page.url(), list_baselines[name])}

    problems = sweep.failures
    saved_all = []
    for index, value in enumerate([*STRINGS, *content.EXTRA], 1):
        saved = sweep.article(index, value)
        saved_all.append(saved)
        problems += check_saved(saved)
        if saved.article is None:
            continue
        for name, page in ARTICLE_PAGES.items():
            if name == "admin change form" and not (FULL or value in SAMPLE or "<script" in value.lower()
                                                    or value in content.EXTRA):
                continue  # a change form lists every section: drawing one for each string takes long
            shown = drawn(page, editor, reader, page.url(saved.article))
            problems += check_page(shown, article_shapes[name], f"{name} of {value!r}")
            problems += check_shown(page, shown, saved)
    for name, page in LIST_PAGES.items():
        for url in page.url():
            problems += check_page(drawn(page, editor, reader, url), list_shapes[url.split("?")[0]], f"{name} {url}")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:60])
    kept = sum(1 for saved in saved_all if not saved.refused)
    assert kept > len(STRINGS) * 0.9  # most strings are text like any other


def check_saved(saved: content.Saved) -> list[str]:
    """A refusal tied to the field, in words that say what to do; else the string kept faithfully."""
    found = []
    for name, errors in saved.refused.items():
        messages = [str(m) for m in errors.get(FIELD_OF[name], [])]
        if not messages or set(errors) != {FIELD_OF[name]}:
            found.append(f"{name} {saved.string!r}: refused, but not with a message on the field: {errors}")
        found += [f"{name} {saved.string!r}: unclear refusal {m!r}" for m in messages if not CLEAR_REFUSALS.match(m)]
    for name in FIELDS:
        if name in saved.kept and stored(name, saved.kept[name]) != expected(name, saved.string):
            found.append(f"{name} {saved.string!r}: kept as {stored(name, saved.kept[name])!r}, "
                         f"expected {expected(name, saved.string)!r}")
    return found


def check_shown(page: content.Page, shown: bytes, saved: content.Saved) -> list[str]:
    """The page shows each field's kept text as it is (escaped, not interpreted)."""
    text = content.shown_text(shown)
    found = []
    for name in page.shows:
        if name not in saved.kept:
            continue
        value = content.displayed(page, name, saved.kept[name])
        if value and as_parsed(value) not in text:
            found.append(f"{page.name} of {saved.string!r}: {name} not shown as kept ({value[:200]!r})")
    return found
