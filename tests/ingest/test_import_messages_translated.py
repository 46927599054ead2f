"""What the importer says (refusals, warnings, a feed's last error) is stored as an English msgid
and its parameters, and shown in the language of whoever reads it (babelpress/ingest/messages.py):
an import that ran in the worker, with English active, reads in French on a French admin page.

The French catalogs are filled by the lead after makemessages; until then the French of these
messages comes from a stand-in catalog (``french_catalog``), which is what gettext would return.
"""

from __future__ import annotations

import pickle

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from babelpress.ingest import messages, pipeline
from babelpress.ingest.messages import Message, english, language, percent, render, stored_all, stored_text
from babelpress.ingest.models import Feed, ImportedItem, ImportJob
from babelpress.newsroom.models import Article

FRENCH = {
    "no author found": "aucun auteur trouvé",
    "the file does not say where it was published: add the original link":
        "le fichier ne dit pas où il a été publié : ajoutez le lien d'origine",
    "body very short (%(count)s characters): check that the whole article was found":
        "texte très court (%(count)s caractères) : vérifiez que tout l'article a été trouvé",
    "%(address)s answered HTTP %(status)s: %(advice)s%(extra)s.": "%(address)s a répondu HTTP %(status)s : %(advice)s%(extra)s.",
    "the page does not exist; check the address": "la page n'existe pas ; vérifiez l'adresse",
    "%(count)s item(s) failed: %(shown)s": "%(count)s élément(s) en échec : %(shown)s",
    "%(link)s: %(reason)s": "%(link)s : %(reason)s",
    "The page is empty: there is no text to import.": "La page est vide : il n'y a aucun texte à importer.",
    "The translation is in %(language)s, %(share)s sure.": "La traduction est en %(language)s, sûre à %(share)s.",
}


@pytest.fixture
def french_catalog(monkeypatch):
    """gettext as it will answer once the catalogs hold these messages."""
    real = messages.gettext

    def gettext(msgid):
        return FRENCH.get(msgid, real(msgid)) if translation.get_language() == "fr" else real(msgid)

    monkeypatch.setattr(messages, "gettext", gettext)


@pytest.fixture
def french_editor(editor):
    editor.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    return editor


def page_text(response) -> str:
    assert response.status_code == 200
    return " ".join(lxml.html.fromstring(response.content.decode()).text_content().split())


def not_found_reason(url):
    return Message("%(address)s answered HTTP %(status)s: %(advice)s%(extra)s.", address=url,
                   status="404 Not Found", advice=Message("the page does not exist; check the address"), extra="")


# --- The message itself -------------------------------------------------------------------------

def test_a_message_is_its_english_text_and_renders_in_the_active_language(french_catalog):
    said = Message("body very short (%(count)s characters): check that the whole article was found", count=1200)
    assert said == "body very short (1,200 characters): check that the whole article was found"
    with translation.override("fr"):
        assert render(said) == "texte très court (1\u202f200 caractères) : vérifiez que tout l'article a été trouvé"
        assert english(said) == "body very short (1,200 characters): check that the whole article was found"


def test_a_stored_message_survives_json_and_pickling_with_its_nested_reasons(french_catalog):
    reason = not_found_reason("https://gazette.example/x")
    for kept in (stored_all([reason])[0], stored_text(reason), pickle.loads(pickle.dumps(reason))):
        with translation.override("fr"):
            assert render(kept) == ("https://gazette.example/x a répondu HTTP 404 Not Found : "
                                    "la page n'existe pas ; vérifiez l'adresse.")
        with translation.override("en"):
            assert render(kept) == ("https://gazette.example/x answered HTTP 404 Not Found: "
                                    "the page does not exist; check the address.")


def test_languages_and_percentages_take_the_viewers_words(french_catalog):
    said = Message("The translation is in %(language)s, %(share)s sure.", language=language("de"), share=percent(0.9))
    assert said == "The translation is in German, 90% sure."
    with translation.override("fr"):
        assert render(stored_text(said)) == "La traduction est en allemand, sûre à 90\u00a0%."


def test_text_stored_before_messages_were_kept_shows_as_it_is():
    for old in ("no byline", '{"not": "a message"}', ""):
        with translation.override("fr"):
            assert render(old) == old


def test_an_exception_keeps_its_message_and_reads_in_english_in_logs(french_catalog):
    with pytest.raises(pipeline.ImportFailed) as caught:
        raise pipeline.ImportFailed(Message("The page is empty: there is no text to import."))
    assert str(caught.value) == "The page is empty: there is no text to import."
    with translation.override("fr"):
        assert render(messages.of(caught.value)) == "La page est vide : il n'y a aucun texte à importer."


# --- On the admin's screens ---------------------------------------------------------------------

STORY = ("<html><head><title>Le budget adopté</title></head><body><article><h1>Le budget adopté</h1>"
         "<p>Le conseil municipal a adopté le budget de la ville hier soir, après un long débat sur les écoles.</p>"
         "</article></body></html>")


def test_warnings_stored_while_english_was_active_read_in_french_on_a_french_page(
        french_editor, newsroom, french_catalog):
    with translation.override("en"):  # as in the worker
        outcome = pipeline.import_file(STORY.encode(), filename="budget.html", language="fr", section=newsroom.news)
    assert outcome.ok, outcome.reason
    stored = ImportedItem.objects.get(pk=outcome.item.pk).warnings
    assert {"msgid": "no author found", "params": {}} in stored

    record = page_text(french_editor.get(reverse("admin:ingest_importeditem_change", args=[outcome.item.pk])))
    assert "aucun auteur trouvé" in record and "le fichier ne dit pas où il a été publié" in record
    assert "no author found" not in record and "msgid" not in record
    article = page_text(french_editor.get(reverse("admin:newsroom_article_change", args=[outcome.article.pk])))
    assert "aucun auteur trouvé" in article and "no author found" not in article

    french_editor.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    record = page_text(french_editor.get(reverse("admin:ingest_importeditem_change", args=[outcome.item.pk])))
    assert "no author found" in record and "aucun auteur" not in record


def test_a_refused_import_reads_in_french_on_its_page_and_on_the_desk(french_editor, newsroom, french_catalog):
    with translation.override("en"):
        reason = stored_text(not_found_reason("https://gazette.example/missing"))
    job = ImportJob.objects.create(url="https://gazette.example/missing", requested_by=french_editor.user,
                                   status=ImportJob.Status.FAILED, outcome="failed", finished_at=timezone.now(),
                                   reason=reason)
    shown = page_text(french_editor.get(reverse("admin:ingest_import_job", args=[job.pk])))
    assert "a répondu HTTP 404 Not Found : la page n'existe pas ; vérifiez l'adresse." in shown
    assert "answered" not in shown and "msgid" not in shown
    desk = page_text(french_editor.get(reverse("admin:index")))
    assert "la page n'existe pas" in desk and "msgid" not in desk

    french_editor.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    shown = page_text(french_editor.get(reverse("admin:ingest_import_job", args=[job.pk])))
    assert "answered HTTP 404 Not Found: the page does not exist; check the address." in shown


def test_a_feeds_last_error_reads_in_french_in_the_list_on_its_page_and_on_the_desk(
        french_editor, newsroom, french_catalog):
    failures = Message("%(count)s item(s) failed: %(shown)s", count=1, shown=[
        Message("%(link)s: %(reason)s", link="https://gazette.example/a",
                reason=not_found_reason("https://gazette.example/a"))])
    feed = Feed.objects.create(url="https://gazette.example/rss", title="Gazette", last_status=Feed.Status.ERROR,
                               failures=2, last_polled_at=timezone.now(), last_error=stored_text(failures),
                               last_report={"counts": {"new": 2, "failed": 1},
                                            "failed": [["https://gazette.example/a", stored_text(failures.params["shown"][0].params["reason"])]]})
    french = "1 élément(s) en échec : https://gazette.example/a : https://gazette.example/a a répondu HTTP 404"
    for url in (reverse("admin:ingest_feed_changelist"), reverse("admin:ingest_feed_change", args=[feed.pk]),
                reverse("admin:index")):
        shown = page_text(french_editor.get(url))
        assert french in shown, url
        assert "item(s) failed" not in shown and "msgid" not in shown and "answered" not in shown, url


def test_old_rows_holding_english_text_still_show_it(french_editor, newsroom):
    article = Article.objects.create(language="en", headline="Harbour cranes replaced", section=newsroom.news)
    item = ImportedItem.objects.create(article=article, content_hash="0" * 64, retrieved_at=timezone.now(),
                                       detected_language="en", warnings=["no byline"])
    assert "no byline" in page_text(french_editor.get(reverse("admin:ingest_importeditem_change", args=[item.pk])))
    feed = Feed.objects.create(url="https://calm.example/rss", title="Calm", last_status=Feed.Status.ERROR,
                               last_error="The feed's server did not answer within 10 seconds.")
    assert "did not answer within 10 seconds" in page_text(
        french_editor.get(reverse("admin:ingest_feed_change", args=[feed.pk])))
