from django.urls import path, register_converter

from babelpress import languages
from babelpress.site import manifest, preview, views
from babelpress.site.addresses import public_path


class LanguageConverter:
    """Matches a content language's code; anything else, an interface-only language's code
    included, falls through to a 404 (public pages exist only in content languages)."""

    regex = "[a-z]{2,3}(?:-[a-z0-9]{2,8})?"

    def to_python(self, value):
        if not languages.is_content_language(value):
            raise ValueError(value)
        return value

    def to_url(self, value):
        return value


register_converter(LanguageConverter, "lang")

app_name = "site"
urlpatterns = [
    path("", views.root, name="root"),
    path("<lang:lang>/", views.home, name="home"),
    path("<lang:lang>/section/<slug:slug>/", views.section, name="section"),
    path("<lang:lang>/tag/<slug:slug>/", views.tag, name="tag"),
    path("<lang:lang>/article/<slug:slug>/", views.article, name="article"),
    path("<lang:lang>/preview/<str:token>/", preview.preview, name="preview"),
    path("<lang:lang>/manifest.webmanifest", manifest.manifest, name="manifest"),
]


# Where the site shows each newsroom object: their get_absolute_url() (registered in apps.py).
def article_url(article) -> str:
    return public_path("article", article.language, article.slug)


def section_url(section_name) -> str:
    return public_path("section", section_name.language, section_name.slug)


def tag_url(tag) -> str:
    return public_path("tag", tag.language, tag.slug)
