from django.conf import settings
from django.utils import translation

from babelpress import languages


def site(request):
    code = translation.get_language() or settings.BABELPRESS_DEFAULT_LANGUAGE
    current = languages.get(code) or languages.get(settings.BABELPRESS_DEFAULT_LANGUAGE)
    return {
        "site_name": settings.SITE_NAME,
        "ui_language": current,
        "content_languages": languages.content_languages(),
    }
