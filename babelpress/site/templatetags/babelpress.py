"""Template helpers: CLDR dates and numbers (Babel), plural-correct counts, JSON-LD, the story body."""

from __future__ import annotations

import functools
import html
import json
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, get_datetime_format
from babel.lists import format_list
from babel.numbers import format_decimal
from django import template
from django.conf import settings
from django.urls import get_script_prefix
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from babelpress.absolute_urls import absolute_url
from babelpress.newsroom.coauthors import credited_authors
from babelpress.site.memo import Fragments, NoFingerprint, fingerprint

register = template.Library()

# Babel parses the locale and walks CLDR's data on every call, and a page formats the same few dates and
# numbers again and again: remember their results (pure functions of hashable arguments).
format_date, format_time, get_datetime_format, format_decimal = (
    functools.lru_cache(maxsize=4096)(function) for function in (format_date, format_time, get_datetime_format, format_decimal)
)


def _locale(language: str | None = None) -> str:
    return (language or translation.get_language() or settings.LANGUAGE_CODE).replace("-", "_")


@register.filter
def cldr_datetime(value, style: str = "long"):
    """A date in ``style`` with the short time, joined as CLDR says ('28 novembre 2026 à 09:30').

    Babel's own long datetime carries seconds and a UTC offset, which no newspaper prints.
    """
    if not value:
        return ""
    locale = _locale()
    local = value.astimezone(ZoneInfo(settings.TIME_ZONE))
    pattern = get_datetime_format(style, locale=locale).replace("'", "")
    return pattern.replace("{0}", format_time(local, "short", locale=locale)).replace(
        "{1}", format_date(local, style, locale=locale)
    )


@register.filter
def cldr_date(value, style: str = "long"):
    if not value:
        return ""
    local = value.astimezone(ZoneInfo(settings.TIME_ZONE)) if hasattr(value, "astimezone") else value
    return format_date(local, format=style, locale=_locale())


@register.filter
def author_names(article) -> str:
    """The article's author and co-authors, listed as the page's language lists names (CLDR):
    "Jean Dupont et Marie Curie", "Jane Doe, John Roe and Ann Lee"."""
    names = [author.name for author in credited_authors(article)]
    return format_list(names, locale=_locale()) if names else ""


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
def isoformat(value):
    return value.isoformat() if value else ""


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
        name = " ".join(html.unescape(re.sub(r"<[^>]*>", " ", caption.group(1))).split()) if caption else ""
        return format_html('<div class="table-scroll" role="region" tabindex="0" aria-label="{}">{}</div>',
                           name or gettext("Table"), mark_safe(match.group(0)))

    return mark_safe(_TABLE.sub(wrap, body))


# Rendered HTML of one story, remembered by the data it shows (site/memo.py): cards, article blocks.
_CARDS = Fragments(4096)
_BLOCKS = Fragments(256)
#: A card of a story published less than this ago may say how long ago ("il y a 3 h"): remembered a minute at most.
RECENT = timedelta(hours=48)


def _place(context) -> tuple:
    """What a fragment may show of where it is rendered: the interface language, the address
    prefix, and the scheme and host (absolute addresses take them from the request when
    BABELPRESS_SITE_URL is unset); last, the time of the page."""
    place = context.render_context.get(_place)  # once per page
    if place is None:
        request = context.get("request")
        host = f"{request.scheme}://{request.get_host()}" if request is not None and not settings.SITE_URL else None
        place = context.render_context[_place] = (translation.get_language(), get_script_prefix(), host, timezone.now())
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
    recent = story.published_at and place[-1] - story.published_at < RECENT
    try:
        key = (place[:-1], is_lead, fingerprint(story), int(place[-1].timestamp() // 60) if recent else None)
    except NoFingerprint:
        key = None
    return _remembered(_CARDS, key, context, {"story": story, "is_lead": is_lead},
                       lambda context: context.template.engine.get_template("site/_story_card.html").render(context))


@register.simple_tag(takes_context=True)
def story_card(context, story, is_lead: bool = False) -> str:
    """``{% story_card story %}``: site/_story_card.html for ``story``, rendered once for the data it
    shows and remembered (site/memo.py): the story's listing row (``pages.LISTING_FIELDS`` with its
    credits and section name), the interface language, the address prefix, and for a recent story
    the minute. The card sees nothing else of the page (an isolated context)."""
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
            key = (self.origin.name, self.token.lineno, _place(context)[:-1], getattr(request, "path", None),
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
    put it outside, or in a card, which is keyed by the minute while its story is recent)."""
    names = token.split_contents()[1:]
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, names)
