"""Web addresses (newsroom/web_addresses.py): one rule for what the importer stores, the model
validates and the admin form accepts — absolute http(s) addresses a browser opens, IRIs included."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from babelpress.newsroom.models import Article, Source
from babelpress.newsroom.web_addresses import WebAddressFormField, normalise, problem


@pytest.mark.parametrize("typed, kept", [
    ("  https://journal.example/story  ", "https://journal.example/story"),
    ("https://journal.example/a b\tc", "https://journal.example/a%20b%09c"),
    ("HTTP://JOURNAL.Example/Path", "http://journal.example/Path"),
    ("https://User:Pw@Journal.Example/", "https://User:Pw@journal.example/"),  # only the host is lower-cased
    ("https://hy.wikipedia.org/wiki/Երևան", "https://hy.wikipedia.org/wiki/Երևան"),
    ("https://journal.example/\u200bx", "https://journal.example/%E2%80%8Bx"),  # an invisible character shows
    ('https://journal.example/"quoted"<b>', "https://journal.example/%22quoted%22%3Cb%3E"),
    ("", ""),
])
def test_an_address_is_kept_as_a_browser_would_send_it(typed, kept):
    assert normalise(typed) == kept


@pytest.mark.parametrize("url", [
    "https://journal.example/story", "http://intranet/x", "https://my_site.example/", "https://[::1]:8000/x",
    "https://пример.рф/новости", "https://journal.example/dossier[2024]/(pont)?q=a|b#top",
])
def test_addresses_a_browser_opens_are_accepted(url):
    assert problem(url) is None


@pytest.mark.parametrize("url, says", [
    ("javascript:alert(1)", "starting with http:// or https://"),
    ("mailto:redaction@journal.example", "starting with http:// or https://"),
    ("ftp://files.example/x", "starting with http:// or https://"),
    ("/2024/03/story", "starting with http:// or https://"),
    ("https://", "starting with http:// or https://"),
    ("https://[::1/x", "starting with http:// or https://"),
    ("https://journal.example:99999/x", "must be a number from 1 to 65535"),
    ("https://journal.example:0/x", "must be a number from 1 to 65535"),
    ("https://journal.example/" + "x" * 1000, "1,024 characters long; at most 1,000 are kept"),
])
def test_an_address_that_cannot_be_kept_is_refused_saying_what_to_do(url, says):
    with translation.override("en"):
        assert says in problem(url)


def test_the_form_field_adds_the_scheme_an_editor_left_out_and_encodes_spaces():
    field = WebAddressFormField(required=False, max_length=1000)
    assert field.clean("journal.example/a story") == "https://journal.example/a%20story"
    assert field.clean(" ") == ""
    for language, says in (("en", "starting with http:// or https://"), ("fr", "commençant par http:// ou https://")):
        with translation.override(language):
            with pytest.raises(ValidationError) as refused:
                field.clean("javascript:alert(1)")
            assert says in refused.value.messages[0]
    assert "maxlength" not in field.widget_attrs(field.widget)  # a pasted address is never cut


@pytest.mark.django_db
def test_the_models_check_addresses_with_the_same_rule_and_their_own_length():
    source = Source(name="Gazette", url="https://gazette.example/" + "x" * 190)
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        source.full_clean()
    assert refused.value.message_dict == {"url": [
        "This address is 214 characters long; at most 200 are kept. Use a shorter address for the same page "
        "(often the part before “?”), or leave the field empty."]}
    field = Article._meta.get_field("original_url")
    assert field.clean("https://my_site.example/Երևան", None) == "https://my_site.example/Երևան"
