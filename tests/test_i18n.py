"""The UI catalogs (babelpress/locale/<code>/LC_MESSAGES/django.po and .mo).

* Plural-Forms agree with CLDR (through Babel) for every UI language — Django's own hy catalog,
  for one, gets Armenian wrong ("0 մեկնաբանություններ");
* counts render with the right plural form through Django's ngettext and our template tag;
* fr/hy/ru/ar are complete, nothing is fuzzy, headers are filled in;
* the committed .mo files are compiled from the current .po files;
* translations keep the msgid's placeholders and HTML markup.
"""

from __future__ import annotations

import gettext
import re
from functools import lru_cache
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, unescape
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import ngettext

import babelpress
from babelpress.site.templatetags.babelpress import comment_count

LOCALE_DIR = Path(babelpress.__file__).resolve().parent / "locale"
UI_LOCALES = ["en", "fr", "hy", "ru", "ar"]
TRANSLATED = ["fr", "hy", "ru", "ar"]  # English falls back to the msgids.

# CLDR's order of plural categories; gettext indexes follow it, restricted to a language's categories.
CLDR_ORDER = ["zero", "one", "two", "few", "many", "other"]

# 0..300 covers every n % 10 / n % 100 case; then thousands and millions (French "many").
NUMBERS = [
    *range(0, 301),
    *range(1000, 1030),
    1100, 1101, 1102, 1103, 1111, 1200, 10_000, 10_001, 100_000, 100_001,
    999_999, 1_000_000, 1_000_001, 1_000_002, 1_000_011, 1_000_100, 2_000_000, 2_000_001,
    5_000_000, 10_000_000, 1_000_000_000, 1_000_000_001,
]


def po_path(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / "django.po"


def mo_path(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / "django.mo"


@lru_cache(maxsize=None)
def catalog(code: str) -> Catalog:
    with po_path(code).open("rb") as f:
        return read_po(f, locale=code, abort_invalid=True)


def messages(code: str):
    return [m for m in catalog(code) if m.id]


@lru_cache(maxsize=None)
def header(code: str) -> dict[str, str]:
    """The .po header fields as written (Babel's ``mime_headers`` rebuilds some of them)."""
    text = po_path(code).read_text(encoding="utf-8")
    block = re.search(r'^msgid ""\nmsgstr ((?:".*"\n?)+)', text, re.MULTILINE)
    assert block, f"{code}: no header entry"
    value = "".join(unescape(line) for line in block.group(1).split("\n") if line)
    fields = {}
    for line in value.split("\n"):
        if ":" in line:
            name, _, content = line.partition(":")
            fields[name.strip()] = content.strip()
    return fields


def plural_forms(code: str) -> tuple[int, str]:
    match = re.fullmatch(r"nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?", header(code)["Plural-Forms"])
    assert match, f"{code}: unreadable Plural-Forms {header(code)['Plural-Forms']!r}"
    return int(match.group(1)), match.group(2)


def categories(code: str) -> list[str]:
    """The CLDR categories of ``code`` in gettext index order, e.g. fr: ['one', 'many', 'other']."""
    tags = set(Locale.parse(code).plural_form.tags) | {"other"}
    return [c for c in CLDR_ORDER if c in tags]


def plural_function(code: str):
    return gettext.c2py(plural_forms(code)[1])


def spaces_normalised(text: str) -> str:
    """CLDR groups digits with U+202F (fr) or U+00A0 (hy, ru): compare with plain spaces."""
    return re.sub(r"[\u00a0\u202f\u2009\u2007]", " ", text)


def forms(message) -> list[str]:
    return list(message.string) if message.pluralizable else [message.string]


# --- (a) Plural-Forms follow CLDR ------------------------------------------------------------


@pytest.mark.parametrize("code", UI_LOCALES)
def test_plural_forms_header_agrees_with_cldr(code):
    cats = categories(code)
    nplurals = plural_forms(code)[0]
    assert nplurals == len(cats), f"{code}: nplurals={nplurals}, but CLDR has {len(cats)} categories {cats}"
    plural = plural_function(code)
    locale = Locale.parse(code)
    wrong = {}
    for n in NUMBERS:
        index = plural(n)
        assert 0 <= index < len(cats), f"{code}: plural({n}) = {index}, outside 0..{len(cats) - 1}"
        if cats[index] != locale.plural_form(n):
            wrong[n] = (cats[index], locale.plural_form(n))
    assert not wrong, f"{code}: gettext category vs CLDR category: {dict(list(wrong.items())[:10])}"


@pytest.mark.parametrize("code", UI_LOCALES)
def test_every_plural_index_is_reachable(code):
    """Each plural form is used by some integer, except CLDR's decimal-only 'other' in Russian."""
    plural = plural_function(code)
    reached = {plural(n) for n in NUMBERS}
    expected = set(range(plural_forms(code)[0]))
    if code == "ru":
        expected.discard(3)  # "other" is for fractions only: 1,5 комментария.
    assert expected <= reached


# --- headers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("code", UI_LOCALES)
def test_header_is_filled_in(code):
    fields = header(code)
    assert fields.get("Project-Id-Version", "").startswith("Babelpress")
    assert fields.get("Language") == code
    assert re.search(r"charset=UTF-8", fields.get("Content-Type", ""), re.IGNORECASE)
    assert "Plural-Forms" in fields
    assert not catalog(code).fuzzy, f"{code}: the header is marked fuzzy"


# --- (b) counts render with the right form ---------------------------------------------------

EXPECTED_COUNTS = {
    "en": {0: "0 comments", 1: "1 comment", 2: "2 comments", 1000: "1,000 comments"},
    "fr": {
        0: "0 commentaire",
        1: "1 commentaire",
        2: "2 commentaires",
        1000: "1 000 commentaires",
        1_000_000: "1 000 000 de commentaires",
        1_000_001: "1 000 001 commentaires",
        2_000_000: "2 000 000 de commentaires",
    },
    "hy": {
        0: "0 մեկնաբանություն",
        1: "1 մեկնաբանություն",
        2: "2 մեկնաբանություն",
        21: "21 մեկնաբանություն",
    },
    "ru": {
        1: "1 комментарий",
        2: "2 комментария",
        4: "4 комментария",
        5: "5 комментариев",
        11: "11 комментариев",
        12: "12 комментариев",
        14: "14 комментариев",
        21: "21 комментарий",
        22: "22 комментария",
        25: "25 комментариев",
        0: "0 комментариев",
        101: "101 комментарий",
        111: "111 комментариев",
    },
    "ar": {
        0: "لا تعليقات",
        1: "تعليق واحد",
        2: "تعليقان",
        3: "3 تعليقات",
        11: "11 تعليقًا",
        100: "100 تعليق",
        103: "103 تعليقات",
        111: "111 تعليقًا",
    },
}


@pytest.mark.parametrize(
    ("code", "n", "expected"),
    [(code, n, text) for code, table in EXPECTED_COUNTS.items() for n, text in table.items()],
)
def test_comment_count_tag(code, n, expected):
    with translation.override(code):
        assert spaces_normalised(comment_count(n)) == expected


def test_comment_count_in_a_template():
    template = Template("{% load babelpress %}{% comment_count n %}")
    with translation.override("fr"):
        assert template.render(Context({"n": 0})) == "0 commentaire"
        assert spaces_normalised(template.render(Context({"n": 1_000_000}))) == "1 000 000 de commentaires"


def test_arabic_uses_all_six_forms():
    with translation.override("ar"):
        rendered = [comment_count(n) for n in (0, 1, 2, 3, 11, 100)]
    assert len(set(rendered)) == 6, rendered
    assert len({re.sub(r"\d+", "#", text) for text in rendered}) == 6


@pytest.mark.parametrize("code", ["fr", "hy"])
def test_zero_is_singular_where_cldr_says_so(code):
    """Django's own catalogs disagree (hy: n != 1); ours, loaded first, must win."""
    with translation.override(code):
        zero = ngettext("%(count)s comment", "%(count)s comments", 0)
        one = ngettext("%(count)s comment", "%(count)s comments", 1)
    assert zero == one
    assert zero != "%(count)s comment"


# --- (c) complete, nothing fuzzy -------------------------------------------------------------


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated(code):
    nplurals = plural_forms(code)[0]
    missing = []
    for message in messages(code):
        strings = forms(message)
        if message.pluralizable and len(strings) != nplurals:
            missing.append(f"{message.id!r}: {len(strings)} forms, expected {nplurals}")
        elif not all(s and s.strip() for s in strings):
            missing.append(repr(message.id))
    assert not missing, f"{code}: untranslated: {missing}"


@pytest.mark.parametrize("code", UI_LOCALES)
def test_nothing_is_fuzzy(code):
    assert not [m.id for m in messages(code) if m.fuzzy]
    text = po_path(code).read_text(encoding="utf-8")
    assert not re.search(r"^#,.*\bfuzzy\b", text, re.MULTILINE), f"{code}: a '#, fuzzy' flag is left"


def test_english_is_the_source():
    """en needs no translations (msgids are English) but must not contradict them."""
    for message in messages("en"):
        sources = message.id if message.pluralizable else (message.id,)
        for string in forms(message):
            assert string == "" or string in sources, f"en: {message.id!r} is translated as {string!r}"


def test_all_catalogs_have_the_same_msgids():
    reference = {m.id for m in messages("en")}
    for code in TRANSLATED:
        assert {m.id for m in messages(code)} == reference, f"{code} was not regenerated with the others"


# --- (d) .mo files are compiled from the current .po -----------------------------------------


@pytest.mark.parametrize("code", UI_LOCALES)
def test_mo_is_up_to_date(code):
    assert mo_path(code).exists(), f"{code}: run `babelpress compilemessages`"
    with mo_path(code).open("rb") as f:
        mo = gettext.GNUTranslations(f)
    compiled = {key: value for key, value in mo._catalog.items() if key != ""}
    expected = {}
    for message in messages(code):
        # A .mo stores a message with a context under "context\x04msgid".
        prefix = f"{message.context}\x04" if message.context else ""
        if message.pluralizable:
            if any(message.string):
                for i, string in enumerate(message.string):
                    expected[(prefix + message.id[0], i)] = string
        elif message.string:
            expected[prefix + message.id] = message.string
    stale = {k: (compiled.get(k), v) for k, v in expected.items() if compiled.get(k) != v}
    extra = sorted(map(str, set(compiled) - set(expected)))
    assert not stale, f"{code}: .mo differs from .po for {list(stale)[:5]}; run compilemessages"
    assert not extra, f"{code}: .mo has messages the .po no longer has: {extra[:5]}; run compilemessages"
    assert mo._info.get("plural-forms") == header(code)["Plural-Forms"], f"{code}: .mo Plural-Forms is stale"


# --- (e) placeholders and markup survive translation -----------------------------------------

PLACEHOLDER = re.compile(
    r"%\(\w+\)[#0 +\-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"  # %(name)s
    r"|%[#0 +\-]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]"  # %s, %d
    r"|%%"
    r"|\{\{.*?\}\}|\{%.*?%\}"  # template syntax left in a msgid
    r"|\{\w*(?:[.:!][^{}]*)?\}"  # str.format fields
    r"|</?[A-Za-z][^<>]*>"  # HTML tags, attributes included
)


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def single_number_forms(code: str) -> set[int]:
    """Plural indexes used for exactly one integer (ar: 0, 1, 2), which may spell the number out."""
    plural = plural_function(code)
    users: dict[int, set[int]] = {}
    for n in NUMBERS:
        users.setdefault(plural(n), set()).add(n)
    return {index for index, ns in users.items() if len(ns) == 1}


@pytest.mark.parametrize("code", TRANSLATED)
def test_placeholders_and_markup_are_kept(code):
    spelled_out = single_number_forms(code)
    problems = []
    for message in messages(code):
        if message.pluralizable:
            wanted = placeholders(message.id[0])
            assert wanted == placeholders(message.id[1]), f"msgid and msgid_plural differ: {message.id!r}"
            for i, string in enumerate(message.string):
                found = placeholders(string)
                if found == wanted:
                    continue
                # "تعليق واحد" (one comment): a form for a single number may drop the number only.
                if i in spelled_out and all(p.startswith("%") for p in set(wanted) - set(found)) and set(found) <= set(wanted):
                    continue
                problems.append(f"{message.id[0]!r}[{i}]: {found} != {wanted}")
        elif placeholders(message.string) != placeholders(message.id):
            problems.append(f"{message.id!r}: {placeholders(message.string)} != {placeholders(message.id)}")
    assert not problems, f"{code}: " + "; ".join(problems)


@pytest.mark.parametrize("code", TRANSLATED)
def test_python_format_strings_still_format(code):
    for message in messages(code):
        if not message.python_format:
            continue
        ids = message.id if message.pluralizable else (message.id,)
        # A number for numeric conversions (%(count)d), text for the rest (%(name)s).
        values = {
            name: 1 if conversion in "dixXeEfFgG" else "X"
            for msgid in ids
            for name, conversion in re.findall(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?([a-zA-Z])", msgid)
        }
        for string in forms(message):
            string % values
