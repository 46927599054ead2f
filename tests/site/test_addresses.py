"""Public addresses built without a reverse() per link are exactly what reverse() gives."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from babelpress.site.addresses import public_path


@pytest.mark.parametrize("route", ["article", "section", "tag"])
@pytest.mark.parametrize("lang", ["fr", "hy", "ar", "en"])
def test_same_as_reverse(route, lang):
    for slug in ("a", "la-reforme-2026", "x_y-9"):
        assert public_path(route, lang, slug) == reverse(f"site:{route}", kwargs={"lang": lang, "slug": slug})
    assert public_path("home", lang) == reverse("site:home", kwargs={"lang": lang})


def test_a_slug_reverse_would_refuse_is_still_refused():
    with pytest.raises(NoReverseMatch):
        public_path("article", "fr", "réforme/../admin")


def test_follows_the_script_prefix():
    try:
        set_script_prefix("/news/")
        assert public_path("article", "fr", "a") == "/news/fr/article/a/"
        assert public_path("home", "fr") == "/news/fr/"
    finally:
        set_script_prefix("/")
    assert public_path("article", "fr", "a") == "/fr/article/a/"
