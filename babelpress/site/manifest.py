"""The web manifest of each language: ``/<lang>/manifest.webmanifest``, linked from every page.

It names the site, says the language and direction of its interface, starts at that language's
home page and gives the icons and colours (icons.py). One per language, because a reader who adds
the Arabic edition to a home screen expects it to open in Arabic, right to left.

Nothing in it changes between deployments, so each language's is built once per process and sent
with a day's max-age and an ETag (a revalidation is a 304 without rebuilding anything).
"""

from __future__ import annotations

import functools
import json

from django.conf import settings
from django.core.signals import setting_changed
from django.http import HttpResponse
from django.templatetags.static import static
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from babelpress import languages
from babelpress.site import compression, icons
from babelpress.site.addresses import public_path

MEDIA_TYPE = "application/manifest+json"
MAX_AGE = 24 * 3600


def manifest_data(lang: str) -> dict:
    """What the manifest of ``lang`` says (a JSON object)."""
    language = languages.get(lang)
    with translation.override(lang):
        # The home page's own heading, so it is translated wherever the home page is.
        description = gettext("%(name)s: latest stories") % {"name": settings.SITE_NAME}
    return {
        "name": settings.SITE_NAME,
        "short_name": settings.SITE_NAME,
        "description": description,
        "lang": lang,
        "dir": language.direction if language else "ltr",
        "start_url": public_path("home", lang),
        "scope": get_script_prefix(),
        "display": "minimal-ui",
        "theme_color": icons.THEME_COLOUR,
        "background_color": icons.BACKGROUND_COLOUR,
        "icons": [
            {"src": static(f"babelpress/icons/{name}"), "sizes": sizes, "type": kind, "purpose": purpose}
            for name, sizes, kind, purpose in icons.MANIFEST_ICONS
        ],
    }


@functools.lru_cache(maxsize=32)
def _built(lang: str, script_prefix: str) -> tuple[bytes, str]:
    body = json.dumps(manifest_data(lang), ensure_ascii=False, indent=1).encode()
    return body, compression.etag_for(body)


@require_safe
def manifest(request, lang):
    body, etag = _built(lang, get_script_prefix())
    response = HttpResponse(body, content_type=MEDIA_TYPE)
    response.headers["ETag"] = etag  # ConditionalGetMiddleware answers a matching If-None-Match with 304
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def _forget(**_kwargs) -> None:
    _built.cache_clear()  # tests change SITE_NAME, STATIC_URL …


setting_changed.connect(_forget, dispatch_uid="babelpress-site-manifest")
