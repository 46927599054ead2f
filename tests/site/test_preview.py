"""Preview: any article, draft or not, in any language, as readers will see it, at a signed link
that expires — opened without an account, never cached, never indexed (babelpress/site/preview.py)."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import lxml.html
import pytest
from django.core import signing
from django.core.cache import cache
from django.urls import reverse

from babelpress.newsroom.models import Article
from babelpress.site.preview import make_token, preview_path

BANNER = "Preview — not published"


@pytest.fixture
def drafts(newsroom):
    """A draft in every content language: the French one of the newsroom, and one translation each."""
    made = {"fr": newsroom.draft}
    for code, headline in {"en": "Secret draft", "hy": "Գաղտնի սևագիր", "ru": "Секретный черновик"}.items():
        made[code] = newsroom.draft.create_translation(code, headline=headline, body=f"<p>{headline}.</p>")
    return made


def later(monkeypatch, seconds: float) -> None:
    """Moves the clock that dates signatures (django.core.signing reads time.time())."""
    import time as real_time

    now = real_time.time() + seconds
    monkeypatch.setattr(signing.time, "time", lambda: now)


def test_a_draft_in_each_language_is_shown_as_readers_will_see_it_without_an_account(client, drafts):
    assert "sessionid" not in client.cookies  # nobody logged in
    for code, draft in drafts.items():
        response = client.get(preview_path(draft))
        page = response.content.decode()
        assert response.status_code == 200, code
        assert f'<html lang="{code}"' in page  # the interface in the article's language
        assert re.search(r'<h1 class="story__headline">\s*' + re.escape(draft.headline), page), code
        assert 'class="preview-banner"' in page
        dateline = re.search(r'<p class="dateline">(.*?)</p>', page, re.S).group(1)
        assert "<time" not in dateline  # no publication date made up for a draft


def test_the_banner_says_it_is_not_published(client, newsroom):
    english = newsroom.draft.create_translation("en", headline="Secret draft")
    page = client.get(preview_path(english)).content.decode()
    assert re.search(r'<p class="preview-banner" role="status"><strong>' + BANNER + "</strong>", page)


def test_a_published_article_can_be_previewed_too_and_says_so(client, newsroom):
    page = client.get(preview_path(newsroom.festival)).content.decode()
    assert "Preview — this version is published" in page and BANNER not in page


def test_a_scheduled_story_says_when_it_goes_live(client, newsroom, clock):
    story = Article.objects.create(language="en", headline="Tomorrow's story", section=newsroom.news,
                                   status="published", published_at=clock.now + timedelta(days=1))
    page = client.get(preview_path(story)).content.decode()
    assert BANNER in page and "Scheduled for" in page


def test_a_preview_is_never_cached_and_never_indexed(client, newsroom, page_cache):
    url = preview_path(newsroom.draft)
    response = client.get(url)
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Referrer-Policy"] == "no-referrer"  # the link stays out of other sites' logs
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert "ETag" not in response and "Last-Modified" not in response
    assert not any(key.startswith(":1:babelpress:page:") for key in cache._cache)  # the page cache left alone


def test_a_preview_shows_the_draft_as_it_is_now(client, newsroom, page_cache):
    url = preview_path(newsroom.draft)
    client.get(url)
    newsroom.draft.headline = "Brouillon revu"
    newsroom.draft.save()
    assert "Brouillon revu" in client.get(url).content.decode()


def test_the_link_works_until_it_expires_then_asks_for_a_new_one(client, newsroom, settings, monkeypatch):
    settings.BABELPRESS_PREVIEW_MAX_AGE = 3600
    url = preview_path(newsroom.draft)
    later(monkeypatch, 3599)
    assert client.get(url).status_code == 200
    later(monkeypatch, 3601)
    response = client.get(url)
    assert response.status_code == 410
    page = response.content.decode()
    assert "Ce lien d'aperçu a expiré. Demandez un nouveau lien à la rédaction" in html.unescape(page)
    assert "Brouillon secret" not in page
    assert response["Cache-Control"] == "private, no-store" and response["X-Robots-Tag"] == "noindex"


@pytest.mark.parametrize("tamper", [
    lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # one character of the signature
    lambda token: token[: len(token) // 2],  # copied incompletely
    lambda token: "x" + token,
    lambda token: signing.dumps([1, "0" * 32], salt="another.use"),  # signed, but for something else
    lambda token: signing.dumps([1, "0" * 32], salt="babelpress.site.preview", key="not-our-secret"),
], ids=["changed", "truncated", "prefixed", "other-salt", "other-key"])
def test_a_tampered_link_shows_nothing_and_says_to_ask_for_a_new_one(client, newsroom, tamper):
    url = reverse("site:preview", kwargs={"lang": "fr", "token": tamper(make_token(newsroom.draft))})
    response = client.get(url)
    assert response.status_code == 404
    page = response.content.decode()
    assert "Ce lien d'aperçu n'est pas valide" in html.unescape(page)  # "This preview link is not valid"
    assert "Demandez un nouveau lien à la rédaction" in html.unescape(page)
    assert "Brouillon secret" not in page


def test_a_link_to_a_deleted_article_never_shows_another_one(client, newsroom):
    token = make_token(newsroom.draft)
    pk = newsroom.draft.pk
    newsroom.draft.delete()
    newcomer = Article.objects.create(pk=pk, language="fr", headline="Un autre brouillon", section=newsroom.news)
    response = client.get(reverse("site:preview", kwargs={"lang": "fr", "token": token}))
    assert response.status_code == 404 and "Un autre brouillon" not in response.content.decode()
    assert "n'existe plus" in html.unescape(response.content.decode())  # "no longer exists"
    assert newcomer.pk == pk


def test_a_link_under_another_language_sends_to_the_articles_own(client, newsroom):
    token = make_token(newsroom.draft)
    response = client.get(reverse("site:preview", kwargs={"lang": "en", "token": token}))
    assert response.status_code == 302
    assert response["Location"] == reverse("site:preview", kwargs={"lang": "fr", "token": token})


def test_the_article_page_of_the_admin_offers_the_preview(editor, newsroom, settings):
    settings.BABELPRESS_PREVIEW_MAX_AGE = 3 * 24 * 3600
    page = editor.get(reverse("admin:newsroom_article_change", args=[newsroom.draft.pk])).content.decode()
    link = re.search(r'<a class="button preview-link" href="([^"]+)" target="_blank"', page)
    assert link and "Anyone with this link can read this version, without an account, until" in page
    editor.logout()
    assert "Brouillon secret" in editor.get(link.group(1).replace("&amp;", "&")).content.decode()


def test_the_add_page_says_to_save_first(editor, newsroom):
    page = editor.get(reverse("admin:newsroom_article_add")).content.decode()
    assert "Save the article to preview it." in page


def test_every_naughty_string_in_a_draft_is_inert_in_its_preview(client, newsroom, naughty_strings):
    for n in range(0, len(naughty_strings), 12):
        chunk = naughty_strings[n : n + 12]
        newsroom.draft.headline = " ".join(chunk)[:300] or "x"
        newsroom.draft.standfirst = "\n".join(chunk)
        newsroom.draft.body = "".join(f"<p>{s}</p>" for s in chunk)
        newsroom.draft.save()
        response = client.get(preview_path(newsroom.draft))
        assert response.status_code == 200, chunk
        doc = lxml.html.fromstring(response.content)
        assert [s.get("type") for s in doc.iter("script")] == ["application/ld+json"], chunk  # none of theirs
        assert not [name for el in doc.iter() for name in el.attrib if name.lower().startswith("on")], chunk
        assert not [el for el in doc.iter("iframe", "object", "embed", "svg", "form")], chunk


def test_an_article_in_a_language_the_site_no_longer_has_says_it_cannot_be_previewed(editor, newsroom):
    Article.objects.filter(pk=newsroom.draft.pk).update(language="xx")
    page = editor.get(reverse("admin:newsroom_article_change", args=[newsroom.draft.pk])).content.decode()
    assert "is not one of the site&#x27;s languages, so it cannot be previewed" in page
