"""The article form in a real browser (Debian's Chromium), in French: a long headline shows whole
in the wide headline field, "Traduction de" finds a story by its headline as one types, sections
are named in French. Screenshots go to test-artifacts/ (or BABELPRESS_TEST_SHOTS)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from babelpress.newsroom.models import Article


pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("BABELPRESS_TEST_SHOTS") or Path(__file__).resolve().parents[2] / "test-artifacts")
LONG = ("Après deux ans de travaux et trois reports, le pont de Valmont rouvre lundi aux voitures, aux vélos "
        "et aux piétons, avec une voie réservée aux bus et un éclairage qui s'éteint quand personne ne passe")


@pytest.fixture
def french_editor(browser, live_server, client, django_user_model):
    user = django_user_model.objects.create_superuser("redaction", "redaction@example.org", None)
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR",
                                  extra_http_headers={"Accept-Language": "fr"})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    tab = context.new_page()
    yield tab
    context.close()


def test_a_french_editor_sees_the_whole_headline_and_links_a_translation_by_searching(
        french_editor, live_server, newsroom):
    SHOTS.mkdir(parents=True, exist_ok=True)
    article = Article.objects.create(language="fr", headline=LONG, section=newsroom.news, standfirst="Enfin.")
    tab = french_editor
    tab.goto(f"{live_server.url}/admin/newsroom/article/{article.pk}/change/")
    assert tab.locator("html").get_attribute("lang") == "fr"
    headline = tab.locator("#id_headline")
    assert headline.input_value() == LONG
    # The whole headline shows: the field is as wide as the form and nothing overflows it.
    # The whole headline shows: nothing overflows the field, which reaches the right edge of its row.
    size = headline.evaluate("""el => ({client: el.clientHeight, scroll: el.scrollHeight,
                                        gap: el.closest('.form-row').getBoundingClientRect().right
                                             - el.getBoundingClientRect().right})""")
    assert size["scroll"] <= size["client"] + 2 and size["gap"] < 30, size
    slug_gap = tab.locator("#id_slug").evaluate(
        "el => el.closest('.form-row').getBoundingClientRect().right - el.getBoundingClientRect().right")
    assert slug_gap < 30
    assert tab.locator("#id_section option:checked").inner_text() == "Actualités"
    tab.screenshot(path=str(SHOTS / "article-form-fr.png"), full_page=True)

    box = tab.locator(".field-translation_of .select2-selection")
    box.scroll_into_view_if_needed()
    box.click()
    tab.locator(".select2-container--open .select2-search__field").fill("festival")
    results = tab.locator("#select2-id_translation_of-results .select2-results__option")
    tab.wait_for_function("""() => {
        const shown = [...document.querySelectorAll('#select2-id_translation_of-results .select2-results__option')];
        return shown.length && shown.every(o => o.textContent.includes('festival'));
    }""")
    # Only stories this French article can join: the bridge has a French version already.
    assert results.all_inner_texts() == ["Lantern festival draws crowds [en]"]
    found = results.filter(has_text="Lantern festival draws crowds [en]")
    tab.screenshot(path=str(SHOTS / "article-form-fr-translation-of.png"))
    found.click()
    tab.locator("input[name=_save]").click()
    tab.wait_for_url(f"{live_server.url}/admin/newsroom/article/")
    article.refresh_from_db()
    assert article.translation_key == newsroom.festival.translation_key
    assert article.translated_from == newsroom.festival
    assert article.headline == LONG


def test_the_french_article_list_names_sections_in_french(french_editor, live_server, newsroom):
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab = french_editor
    tab.goto(f"{live_server.url}/admin/newsroom/article/")
    cells = set(tab.locator("td.field-section_name").all_inner_texts())
    assert cells == {"Actualités", "Culture"}
    assert tab.locator("#changelist-filter a", has_text="Actualités").count() == 1
    tab.screenshot(path=str(SHOTS / "article-list-fr.png"), full_page=True)
