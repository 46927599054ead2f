"""Public pages. Every page is the same for every reader of a language (no cookies, no CSRF
token, no login state), so it can be cached whole by the browser, a proxy or our page cache."""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import render
from django.urls import Resolver404
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.html import format_html
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from babelpress import languages
from babelpress.newsroom import provenance
from babelpress.site import pages, structured, times
from babelpress.site.addresses import public_path
from babelpress.site.cache import cached_page, content_changed_at, lasts_until, max_age, page_number
from babelpress.site.middleware import best_language

HOME_SECTION_SIZE = 4
logger = logging.getLogger(__name__)


def _public(response, *stories, labels=(None, None)):
    """Cacheable by anyone, with a Last-Modified that never goes backwards (see cache.py); a
    listing's ``labels`` (since, until) are when its relative times last changed and next will."""
    since, until = labels
    # Never past a scheduled publication, nor past the first relative time to change.
    patch_cache_control(response, public=True, max_age=lasts_until(response, until))
    stamps = [content_changed_at(), since]
    for story in stories:
        stamps += [getattr(story, "updated_at", None), getattr(story, "published_at", None)]
    response.headers["Last-Modified"] = http_date(max(s for s in stamps if s is not None).timestamp())
    return response


def _page(request, stories):
    """The page of ``stories`` that ?page= asks for; 404 for a page that does not exist."""
    number = page_number(request)
    if number is None:
        raise Http404(_("This page number does not exist."))
    try:
        return Paginator(stories, settings.BABELPRESS_PAGE_SIZE).page(number)
    except InvalidPage:
        raise Http404(_("This page number does not exist.")) from None


def _listed(stories) -> dict:
    """What a listing's cards need to say "il y a 3 heures": the time the page is rendered at, and
    the span (since, until) during which those words stay true (site/times.py)."""
    now = timezone.now()
    return {"relative_to": now, "labels": times.labels_hold([s.published_at for s in stories], now)}


def _navigation(lang: str) -> list:
    """The sections the masthead (and the 404 page) list: those named in ``lang``."""
    return [s for s in pages.sections_for(lang) if s.display]


def _canonical(path: str, page) -> str:
    """The page's own address from its route and page number only, never the query string."""
    return path if page.number == 1 else f"{path}?page={page.number}"


@require_safe
def root(request):
    """/ sends the reader to the home page in the language their browser prefers."""
    code = best_language(request, languages.content_language_codes())
    response = HttpResponseRedirect(public_path("home", code))
    patch_vary_headers(response, ("Accept-Language",))
    return response


@require_safe
@cached_page
def home(request, lang):
    language = languages.get(lang)
    sections = pages.sections_for(lang)
    lead, by_section = pages.front_page(lang, [s.id for s in sections], HOME_SECTION_SIZE)
    blocks = [(section, by_section[section.id]) for section in sections if by_section.get(section.id)]
    shown = ([lead] if lead else []) + [story for _section, items in blocks for story in items]
    listed = _listed(shown)
    response = render(
        request,
        "site/home.html",
        {
            "language": language,
            "lead": lead,
            "blocks": blocks,
            "sections": [s for s in sections if s.display],
            "canonical": public_path("home", lang),
            "alternates": [(l.code, public_path("home", l.code)) for l in languages.content_languages()],
            "relative_to": listed["relative_to"],
        },
    )
    return _public(response, *shown, labels=listed["labels"])


@require_safe
@cached_page(paginated=True)
def section(request, lang, slug):
    name = pages.section_name(lang, slug)
    if name is None:
        raise Http404(_("There is no such section."))
    page = _page(request, pages.in_section(lang, name.section_id))
    other_names = pages.other_section_names(name)
    alternates = [(lang, name.get_absolute_url())] + [
        (n.language, n.get_absolute_url()) for n in other_names if n.language in settings.BABELPRESS_CONTENT_LANGUAGES
    ]
    stories = list(page.object_list)
    listed = _listed(stories)
    response = render(
        request,
        "site/section.html",
        {
            "language": languages.get(lang),
            "section_name": name,
            "canonical": _canonical(name.get_absolute_url(), page),
            "page": page,
            "stories": stories,
            "sections": _navigation(lang),
            "alternates": alternates,
            "relative_to": listed["relative_to"],
        },
    )
    return _public(response, *stories, labels=listed["labels"])


@require_safe
@cached_page(paginated=True)
def tag(request, lang, slug):
    tag = pages.tag(lang, slug)
    if tag is None:
        raise Http404(_("There is no such tag."))
    page = _page(request, pages.tagged(lang, tag.pk))
    stories = list(page.object_list)
    listed = _listed(stories)
    response = render(
        request,
        "site/tag.html",
        {
            "language": languages.get(lang),
            "tag": tag,
            "canonical": _canonical(tag.get_absolute_url(), page),
            "page": page,
            "stories": stories,
            "sections": _navigation(lang),
            "alternates": [],
            "relative_to": listed["relative_to"],
        },
    )
    return _public(response, *stories, labels=listed["labels"])


@require_safe
@cached_page
def article(request, lang, slug):
    story = pages.article_for_page(lang, slug)
    if story is None:
        raise Http404(_("This story does not exist in this language, or is not published."))
    context = article_context(request, lang, story)
    response = render(request, "site/article.html", context)
    return _public(response, story, *context["translations"], *context["related"])


def article_context(request, lang, story) -> dict:
    """What site/article.html shows of ``story`` (published, or a draft in preview: preview.py)."""
    # Versions in a language the site no longer publishes in have no page: never linked.
    translations = [t for t in pages.published_translations(story) if languages.is_content_language(t.language)]
    by_language = {t.language: t for t in translations}
    by_language[story.language] = story
    available, missing = [], []
    for language in languages.content_languages():
        if language.code in by_language:
            available.append((language, by_language[language.code].get_absolute_url()))
        else:
            missing.append((language, public_path("home", language.code)))
    related = pages.related(story, settings.BABELPRESS_RELATED_COUNT, lang)
    tags = pages.article_tags(story)
    return {
        "language": languages.get(lang),
        "article": story,
        "translations": translations,
        "available": available,
        "missing": missing,
        "alternates": [(code, a.get_absolute_url()) for code, a in sorted(by_language.items())],
        # The same for every version, so hreflang sets are reciprocal: default language, else original.
        "x_default": by_language.get(settings.BABELPRESS_DEFAULT_LANGUAGE)
        or next((a for a in by_language.values() if not a.translation_method), story),
        "related": related,
        "tags": tags,
        # Computed when the page's head is rendered, not when it is remembered (site/memo.py).
        "jsonld": partial(structured.article_jsonld, request, story, tags),
        "image": partial(structured.lead_image, story),
        "provenance": provenance_line(story),
        "sections": _navigation(lang),
    }


def provenance_line(story) -> str:
    """The provenance line as HTML, the reviewer's name isolated (a Latin name in an Arabic
    sentence, or the reverse, keeps its order): "مترجم عن الإنجليزية، مراجعة: <bdi>Marie Curie</bdi>"."""
    text = provenance.label(story)
    name = provenance.reviewer_name(story.reviewed_by) if story.reviewed_by_id else ""
    if not name or name not in text:
        return text
    before, _, after = text.rpartition(name)
    return format_html("{}<bdi>{}</bdi>{}", before, name, after)


def page_not_found(request, exception=None):
    """One sentence saying what is missing (the view's own, else a general one), and where to go:
    the home page and the sections, in the interface language."""
    # Our own Http404s carry a reader-facing sentence; the resolver's carry internals.
    message = ""
    if exception is not None and not isinstance(exception, Resolver404) and exception.args:
        if isinstance(exception.args[0], str):
            message = exception.args[0]
    lang = translation.get_language() or settings.BABELPRESS_DEFAULT_LANGUAGE
    sections = _navigation(lang) if languages.get(lang) else []
    response = render(request, "404.html", {"message": message, "sections": sections}, status=404)
    patch_cache_control(response, public=True, max_age=min(60, max_age()))  # a scheduled story's address too
    return response


def server_error(request):
    """The 500 page in the interface language, without touching the database (it may be the cause);
    if even the layout fails, a plain page rather than Django's bare one."""
    try:
        return render(request, "500.html", status=500)
    except Exception:  # the page that reports an error must not raise another
        logger.exception("The 500 page itself failed; sent the plain one.")
        page = format_html(
            '<!doctype html><html lang="{}"><meta charset="utf-8"><title>{}</title><h1>{}</h1><p>{}</p>'
            '<p><a href="/">{}</a></p>', translation.get_language() or "en", _("Server error"), _("Server error"),
            _("Something went wrong on our side. Please try again in a minute."), _("Go to the home page"),
        )
        return HttpResponseServerError(page, content_type="text/html; charset=utf-8")
