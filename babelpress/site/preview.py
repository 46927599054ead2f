"""Preview: any article — a draft, a scheduled story, any language — as readers will see it, at a
signed address that expires.

The address is ``/<language>/preview/<token>/``; the token is the article's id and translation key
signed with the site's secret key (``django.core.signing``, salted for this use only) and dated, so
it can be sent to a colleague who has no account and stops working after
BABELPRESS_PREVIEW_MAX_AGE seconds. Nothing else opens a draft: a token cannot be made without the
secret key, and a changed character breaks the signature. The page is the article page itself
under a "Preview — not published" banner; it is never cached (``Cache-Control: private,
no-store``, and the page cache is not used), never indexed (``noindex`` in a meta tag and in
``X-Robots-Tag``) and sends no Referer (the token stays out of other sites' logs). docs/security.md
says what a link gives and how to withdraw all links at once.

The article page shows a "Preview" button (a panel registered from ``SiteConfig.ready()``, since the
newsroom does not know the site's addresses), to whom may read the article in the admin
(``permissions.may_view_article``): a link is a way to read it, so nobody gets one who could not.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from babelpress import languages
from babelpress.newsroom import permissions
from babelpress.newsroom.admin_publishing import when
from babelpress.site import pages
from babelpress.site.views import article_context

SALT = "babelpress.site.preview"


def make_token(article) -> str:
    return signing.dumps([article.pk, article.translation_key.hex], salt=SALT)


def preview_path(article) -> str:
    return reverse("site:preview", kwargs={"lang": article.language, "token": make_token(article)})


def _private(response):
    """Never stored by a browser or a proxy, never indexed, never named in a Referer."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _refused(request, reason: str, status: int):
    context = {"reason": reason, "noindex": True}
    return _private(render(request, "site/preview_refused.html", context, status=status))


@require_safe
def preview(request, lang, token):
    try:
        pk, key = signing.loads(token, salt=SALT, max_age=settings.BABELPRESS_PREVIEW_MAX_AGE)
    except signing.SignatureExpired:
        return _refused(request, _("This preview link has expired. Ask the newsroom for a new link: every "
                                   "article page in the newsroom's admin has one."), status=410)
    except (signing.BadSignature, ValueError, TypeError):
        return _refused(request, _("This preview link is not valid: it may have been copied incompletely. "
                                   "Ask the newsroom for a new link."), status=404)
    story = pages.article_for_preview(pk, lang)
    if story is None or story.translation_key.hex != key:
        return _refused(request, _("The article this link shows no longer exists. Ask the newsroom for a new "
                                   "link."), status=404)
    if story.language != lang:  # the interface in the article's language, as readers get it
        return _private(HttpResponseRedirect(reverse("site:preview", kwargs={"lang": story.language, "token": token})))
    context = article_context(request, lang, story)
    context.update(preview=True, preview_live=story.is_published, noindex=True)
    return _private(render(request, "site/article.html", context))


def preview_panel(article, request) -> str:
    """The article page's "Preview" button, with what the link gives and until when; nothing for
    someone who may not read the article."""
    if not permissions.may_view_article(request.user, article):
        return ""
    if article.pk is None:
        return _("Save the article to preview it.")
    if not languages.is_content_language(article.language):  # a language the site no longer publishes in: no page
        return _("This article's language is not one of the site's languages, so it cannot be previewed.")
    until = timezone.now() + timedelta(seconds=settings.BABELPRESS_PREVIEW_MAX_AGE)
    return format_html(
        '<a class="button preview-link" href="{}" target="_blank" rel="noopener">{}</a> '
        '<span class="help">{}</span>',
        preview_path(article), _("Preview"),
        _("As readers will see it. Anyone with this link can read this version, without an account, until "
          "%(time)s: copy the link to send it to a colleague.") % {
            "time": when(until)},
    )
