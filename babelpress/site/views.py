"""Public pages. Every page is the same for every reader of a language (no cookies, no CSRF
token, no login state), so it can be cached whole by the browser, a proxy or our page cache."""

from __future__ import annotations

from collections import OrderedDict

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import Resolver404
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.html import format_html
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from babelpress import languages
from babelpress.newsroom.models import SectionName, Tag
from babelpress.newsroom import provenance
from babelpress.site import pages, structured
from babelpress.site.addresses import public_path
from babelpress.site.cache import cached_page, content_changed_at, max_age, page_number
from babelpress.site.middleware import best_language

HOME_SECTION_SIZE = 4


def _public(response, *stories):
    """Cacheable by anyone, with a Last-Modified that never goes backwards (see cache.py)."""
    patch_cache_control(response, public=True, max_age=max_age())  # never past a scheduled publication
    stamps = [content_changed_at()]
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
    is_content_language = lang in settings.BABELPRESS_CONTENT_LANGUAGES
    # A UI-only language (e.g. Arabic with no Arabic stories yet) shows the default language's
    # stories, marked with their own lang attribute, under an interface in the reader's language.
    stories_lang = lang if is_content_language else settings.BABELPRESS_DEFAULT_LANGUAGE
    sections = pages.sections_for(stories_lang)
    stories = list(pages.listing(stories_lang)[: HOME_SECTION_SIZE * (len(sections) + 1) * 2])
    lead = stories[0] if stories else None
    by_section: OrderedDict = OrderedDict((s.id, (s, [])) for s in sections)
    for story in stories[1:]:
        bucket = by_section.get(story.section_id)
        if bucket is not None and len(bucket[1]) < HOME_SECTION_SIZE:
            bucket[1].append(story)
    blocks = [(section, items) for section, items in by_section.values() if items]
    other_languages = [l for l in languages.content_languages() if l.code != lang]
    response = render(
        request,
        "site/home.html",
        {
            "language": language,
            "lead": lead,
            "blocks": blocks,
            "sections": [s for s in sections if s.display],
            "other_languages": other_languages,
            "is_content_language": is_content_language,
            "stories_language": languages.get(stories_lang),
            "stories_language_name": languages.language_name(stories_lang),
            "canonical": public_path("home", lang),
            "alternates": [(l.code, public_path("home", l.code)) for l in languages.content_languages()],
        },
    )
    return _public(response, *stories)


@require_safe
@cached_page(paginated=True)
def section(request, lang, slug):
    name = SectionName.objects.select_related("section").filter(language=lang, slug=slug).first()
    if name is None:
        raise Http404(_("There is no such section."))
    page = _page(request, pages.listing(lang).filter(section_id=name.section_id))
    other_names = SectionName.objects.filter(section_id=name.section_id).exclude(language=lang)
    alternates = [(lang, name.get_absolute_url())] + [
        (n.language, n.get_absolute_url()) for n in other_names if n.language in settings.BABELPRESS_CONTENT_LANGUAGES
    ]
    response = render(
        request,
        "site/section.html",
        {
            "language": languages.get(lang),
            "section_name": name,
            "canonical": _canonical(name.get_absolute_url(), page),
            "page": page,
            "stories": list(page.object_list),
            "sections": [s for s in pages.sections_for(lang) if s.display],
            "alternates": alternates,
        },
    )
    return _public(response, *page.object_list)


@require_safe
@cached_page(paginated=True)
def tag(request, lang, slug):
    tag = Tag.objects.filter(language=lang, slug=slug).first()
    if tag is None:
        raise Http404(_("There is no such tag."))
    page = _page(request, pages.listing(lang).filter(tags=tag))
    response = render(
        request,
        "site/tag.html",
        {
            "language": languages.get(lang),
            "tag": tag,
            "canonical": _canonical(tag.get_absolute_url(), page),
            "page": page,
            "stories": list(page.object_list),
            "sections": [s for s in pages.sections_for(lang) if s.display],
            "alternates": [],
        },
    )
    return _public(response, *page.object_list)


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
    translations = pages.published_translations(story)
    by_language = {t.language: t for t in translations}
    by_language[story.language] = story
    available, missing = [], []
    for language in languages.content_languages():
        if language.code in by_language:
            available.append((language, by_language[language.code].get_absolute_url()))
        else:
            missing.append((language, public_path("home", language.code)))
    related = list(
        pages.listing(lang).filter(section_id=story.section_id).exclude(pk=story.pk)[: settings.BABELPRESS_RELATED_COUNT]
    )
    tags = list(story.tags.all())
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
        "jsonld": structured.article_jsonld(request, story, tags),
        "image": structured.lead_image(story),
        "provenance": provenance_line(story),
        "sections": [s for s in pages.sections_for(lang) if s.display],
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
    # Our own Http404s carry a reader-facing sentence; the resolver's carry internals.
    message = ""
    if exception is not None and not isinstance(exception, Resolver404) and exception.args:
        if isinstance(exception.args[0], str):
            message = exception.args[0]
    response = render(request, "404.html", {"message": message}, status=404)
    patch_cache_control(response, public=True, max_age=min(60, max_age()))  # a scheduled story's address too
    return response


def server_error(request):
    return render(request, "500.html", status=500)
