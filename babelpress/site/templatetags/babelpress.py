"""Template helpers: CLDR dates and numbers (Babel), plural-correct counts, JSON-LD, the story body."""

from __future__ import annotations

import functools
import json
import re
from datetime import datetime

from babel.dates import format_date, format_time, get_datetime_format
from babel.lists import format_list
from babel.numbers import format_decimal
from django import template
from django.conf import settings
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from babelpress.absolute_urls import absolute_url
from babelpress.html_text import html_to_text
from babelpress.newsroom.coauthors import credited_authors
from babelpress.site import times
from babelpress.site.memo import Fragments, NoFingerprint, fingerprint

register = template.Library()


def _pure(function):
    """``function`` (Babel's) remembered per arguments: it parses the locale and walks CLDR's data
    on every call, and a page formats the same few dates and numbers again and again. A datetime
    counts with its zone: aware datetimes of one instant are equal whatever their zones."""

    @functools.lru_cache(maxsize=4096)
    def remembered(zones, args, kwargs):
        return function(*args, **dict(kwargs))

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        zones = tuple((a.tzinfo, a.utcoffset()) if isinstance(a, datetime) else None for a in args)
        return remembered(zones, args, tuple(sorted(kwargs.items())))

    return wrapper


format_date, format_time, get_datetime_format, format_decimal = map(
    _pure, (format_date, format_time, get_datetime_format, format_decimal))


def _locale(language: str | None = None) -> str:
    return (language or translation.get_language() or settings.LANGUAGE_CODE).replace("-", "_")


def _date_and_time(local, style: str, locale: str) -> str:
    """A date in ``style`` with the short time, joined as CLDR says ('28 novembre 2026, 09:30').

    Babel's own long datetime carries seconds and a UTC offset, which no newspaper prints.
    """
    pattern = get_datetime_format(style, locale=locale).replace("'", "")
    return pattern.replace("{0}", format_time(local, "short", locale=locale)).replace(
        "{1}", format_date(local, style, locale=locale)
    )


@register.filter
def cldr_datetime(value, style: str = "long"):
    """The date and time in the site's zone, and the zone ('28 novembre 2026, 09:30 (heure normale
    d’Europe centrale)': site/times.py)."""
    if not value:
        return ""
    locale, local = _locale(), times.local(value)
    return times.with_zone(_date_and_time(local, style, locale), local, locale)


@register.simple_tag
def cldr_datetime_beside(value, style: str, beside):
    """``value`` as ``cldr_datetime`` shows it, without the zone when ``beside`` (the time shown
    just before it, as in "…, 14:05 (heure normale d’Europe centrale) Mis à jour le …, 16:10") is
    in the same one: a line names its zone once."""
    if not value:
        return ""
    locale, local = _locale(), times.local(value)
    if beside and times.zone_label(local, locale) == times.zone_label(beside, locale):
        return _date_and_time(local, style, locale)
    return cldr_datetime(value, style)


@register.filter
def cldr_date(value, style: str = "long"):
    if not value:
        return ""
    local = times.local(value) if hasattr(value, "astimezone") else value
    return format_date(local, format=style, locale=_locale())


@register.simple_tag(takes_context=True)
def story_time(context, value):
    """``{% story_time story.published_at as when %}``: how a card dates its story — ``when.text``
    (the long date, or "il y a 3 heures" on a listing whose view put ``relative_to``, the time
    the page is rendered at, in the context: site/times.py), ``when.title`` (the date and time with
    the zone, when the text is relative), ``when.iso`` (for ``<time datetime>``)."""
    if not value:
        return {"text": "", "title": "", "iso": ""}
    now = context.get("relative_to")
    text = times.relative(value, now, _locale()) if now else None
    if text is None:
        return {"text": cldr_date(value, "long"), "title": "", "iso": isoformat(value)}
    return {"text": text, "title": cldr_datetime(value, "long"), "iso": isoformat(value)}


@register.filter
def author_names(article) -> str:
    """The article's author and co-authors, listed as the page's language lists names (CLDR):
    "Jean Dupont et Marie Curie", "Jane Doe, John Roe and Ann Lee"; each name isolated (``bdi``),
    so a Latin name in an Arabic sentence, or the reverse, keeps its place in the list."""
    names = [author.name for author in credited_authors(article)]
    if not names:
        return ""
    # CLDR's pattern joins placeholders, then is escaped; each name goes in as its own <bdi>.
    joined = conditional_escape(format_list([f"\x00{i}\x00" for i in range(len(names))], locale=_locale()))
    parts = joined.split("\x00")
    for i in range(1, len(parts), 2):
        parts[i] = bdi(names[int(parts[i])])
    return mark_safe("".join(parts))


@register.filter
def cldr_number(value):
    return format_decimal(value, locale=_locale())


@register.simple_tag
def comment_count(count: int) -> str:
    """'0 commentaire', '2 commentaires', '21 комментарий': plural rules from our CLDR-based catalogs."""
    return ngettext("%(count)s comment", "%(count)s comments", count) % {"count": cldr_number(count)}


@register.simple_tag
def site_url(route: str, lang: str, slug: str | None = None) -> str:
    """``{% site_url "article" story.language story.slug %}``: like ``{% url %}``, without a reverse() per call."""
    from babelpress.site.addresses import public_path

    return public_path(route, lang, slug)


@register.filter
def direction(code: str) -> str:
    """'rtl' or 'ltr' for a language code, so mixed-language lists lay out each item right."""
    from babelpress import languages

    language = languages.get(code)
    return language.direction if language else "ltr"


@register.filter
def lang_attrs(code: str) -> str:
    """``lang`` and ``dir`` for an element holding text in ``code``, when the page speaks another
    language ('' when it is the page's own): a French headline on an Arabic page is laid out
    left to right, in its own isolated run (an element with ``dir`` is a bidi isolate)."""
    if not code or code == (translation.get_language() or settings.LANGUAGE_CODE):
        return ""
    return _lang_dir(code, direction(code))


@functools.lru_cache(maxsize=256)
def _lang_dir(code: str, direction: str) -> str:  # once per language: every card of a list asks
    return format_html(' lang="{}" dir="{}"', code, direction)


@register.filter
def bdi(text, code: str = "") -> str:
    """``text`` in a ``<bdi>``: a name, a tag or a section inside a sentence of the other direction
    keeps its own order and leaves the sentence's alone. Given its language, the text gets that
    language's direction (and ``lang`` when it is not the page's); else the browser finds it."""
    attrs = (lang_attrs(code) or f' dir="{direction(code)}"') if code else ""  # direction: ltr or rtl
    return mark_safe(f"<bdi{attrs}>{conditional_escape(text)}</bdi>")


@register.simple_tag(takes_context=True)
def language_choices(context, alternates) -> list:
    """The languages the page exists in, for the picker at the top of every page: its hreflang
    alternates (``(code, path)`` pairs the views already build: a story's published translations,
    a section's names), in the order of BABELPRESS_CONTENT_LANGUAGES; a page with none (a tag, a
    404) offers every content language's home page. Each item: (Language, path, aria-current)."""
    from babelpress import languages
    from babelpress.site.addresses import public_path

    paths = dict(alternates or ())
    if not paths:
        paths = {lang.code: public_path("home", lang.code) for lang in languages.content_languages()}
    current = getattr(context.get("language"), "code", None) or translation.get_language()
    here = getattr(context.get("request"), "path", None)
    return [
        (lang, paths[lang.code], ("page" if paths[lang.code] == here else "true") if lang.code == current else "")
        for lang in languages.content_languages() if lang.code in paths
    ]


@register.filter
def isoformat(value):
    """ISO 8601 with the site's offset ('2026-12-01T14:05:00+01:00'), as the page shows the time; to
    the second (HTML's datetime attribute takes at most three decimals)."""
    if not value:
        return ""
    return times.local(value).isoformat(timespec="seconds") if hasattr(value, "astimezone") else value.isoformat()


@register.filter
def jsonld(data) -> str:
    """Serialise for <script type="application/ld+json">: '<', '>' and '&' escaped so text can't end the script."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)


@register.simple_tag(takes_context=True)
def absolute(context, path: str) -> str:
    """An absolute URL for ``path``: BABELPRESS_SITE_URL when set, else the request's host."""
    request = context.get("request")
    return absolute_url(request, path) if (request or settings.SITE_URL) else path


_TABLE = re.compile(r"<table\b[^>]*>.*?</table>", re.DOTALL | re.IGNORECASE)
_CAPTION = re.compile(r"<caption>(.*?)</caption>", re.DOTALL | re.IGNORECASE)


@register.filter
def story_body(body: str) -> str:
    """An article body (clean markup, ``newsroom.sanitize.clean_body``) as the page shows it: each
    table in a region that scrolls sideways on a narrow screen, reachable from the keyboard and
    named by the table's caption."""
    if "<table" not in (body or ""):
        return mark_safe(body or "")
    return _wrap_tables(body, translation.get_language())


@functools.lru_cache(maxsize=128)
def _wrap_tables(body: str, language: str | None) -> str:
    """``story_body`` of a body with tables, remembered (language: that of the unnamed tables' label)."""

    def wrap(match: re.Match) -> str:
        caption = _CAPTION.search(match.group(0))
        name = html_to_text(caption.group(1)) if caption else ""
        return format_html('<div class="table-scroll" role="region" tabindex="0" aria-label="{}">{}</div>',
                           name or gettext("Table"), mark_safe(match.group(0)))

    return mark_safe(_TABLE.sub(wrap, body))


# Rendered HTML of one story, remembered by the data it shows (site/memo.py): cards, article blocks.
_CARDS = Fragments(4096)
_BLOCKS = Fragments(256)


def _place(context) -> tuple:
    """What a fragment may show of where it is rendered: the interface language, the address
    prefix, and the scheme and host (absolute addresses take them from the request when
    BABELPRESS_SITE_URL is unset)."""
    place = context.render_context.get(_place)  # once per page
    if place is None:
        request = context.get("request")
        host = f"{request.scheme}://{request.get_host()}" if request is not None and not settings.SITE_URL else None
        place = context.render_context[_place] = (translation.get_language(), get_script_prefix(), host)
    return place


def _isolated(context, values: dict):
    """A context holding ``values`` and what context processors give every page (the interface
    language, the site's name, the request), nothing else: a remembered fragment shows only its key."""
    index = getattr(context, "_processors_index", None)
    if index is None:
        return None
    isolated = context.new(dict(context.dicts[index]))
    isolated.update(values)
    return isolated


def _remembered(store: Fragments, key, context, values: dict, render) -> str:
    """The fragment ``key`` from ``store``, else ``render``-ed in an isolated context (also with the
    memory off, so that a page is the same either way) and remembered."""
    remember = key is not None and settings.BABELPRESS_FRAGMENT_MEMORY
    html = store.get(key) if remember else None
    if html is not None:
        return html
    isolated = _isolated(context, values)
    if isolated is None:  # not a page's context (a template rendered without a request)
        with context.push(**values):
            return render(context)
    html = render(isolated)
    if remember:
        store.put(key, html)
    return html


def _card(context, place, story, is_lead: bool) -> str:
    now = context.get("relative_to")  # a listing's cards say "il y a 3 heures" (``story_time``)
    # Until when the card's words are true stands for them: a new label, a new key.
    label = times.changes_at(story.published_at, now) if now and story.published_at else None
    try:
        key = (place, is_lead, fingerprint(story), label)
    except NoFingerprint:
        key = None
    return _remembered(_CARDS, key, context, {"story": story, "is_lead": is_lead, "relative_to": now},
                       lambda context: context.template.engine.get_template("site/_story_card.html").render(context))


@register.simple_tag(takes_context=True)
def story_card(context, story, is_lead: bool = False) -> str:
    """``{% story_card story %}``: site/_story_card.html for ``story``, rendered once for the data it
    shows and remembered (site/memo.py): the story's listing row (``pages.LISTING_FIELDS`` with its
    credits and section name), the interface language, the address prefix, and on a listing its
    relative time's words (until when they hold). The card sees nothing else of the page (an
    isolated context)."""
    return _card(context, _place(context), story, bool(is_lead))


@register.simple_tag(takes_context=True)
def story_cards(context, stories) -> str:
    """``{% story_cards stories %}``: the card of each story, one after the other (``story_card``)."""
    place = _place(context)
    return mark_safe("".join(_card(context, place, story, False) for story in stories))


class FragmentNode(template.Node):
    def __init__(self, nodelist, names: list[str]):
        self.nodelist, self.names = nodelist, names

    def render(self, context):
        values = {name: context.get(name) for name in self.names}
        try:
            request = context.get("request")
            key = (self.origin.name, self.token.lineno, _place(context), getattr(request, "path", None),
                   fingerprint(tuple(values.values())))
        except NoFingerprint:
            key = None
        return _remembered(_BLOCKS, key, context, values, self.nodelist.render)


@register.tag
def fragment(parser, token):
    """``{% fragment article tags %}…{% endfragment %}``: the block rendered once for the values of
    the variables it names and remembered (site/memo.py) — for what shows one story. The block sees
    those variables and what context processors give every page, nothing else of the page; it is
    keyed by the page's address too. Nothing in it may change with time alone (a relative time:
    put it outside, or in a card, which is keyed by its relative time's words)."""
    names = token.split_contents()[1:]
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, names)
