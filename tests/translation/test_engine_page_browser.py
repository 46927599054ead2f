"""The *Translation engines* page in a real browser, read in French on a desktop and on a 390 px
phone: the grid scrolls sideways inside its frame (the page itself does not), and *Measure speed*
fills the cells with speeds. Screenshots go to test-artifacts/."""

from __future__ import annotations

import pytest

from babelpress.translation import engine_speed

from ..browser import ARTIFACTS

pytestmark = pytest.mark.browser


@pytest.fixture
def logged_in(tab, live_server, django_user_model, settings, tmp_path):
    settings.DATA_DIR = tmp_path  # the speeds measured go here
    django_user_model.objects.create_superuser("redaction", "redaction@example.org", "mot-de-passe-du-test")
    tab.goto(live_server.url + "/admin/login/")
    tab.fill("#id_username", "redaction")
    tab.fill("#id_password", "mot-de-passe-du-test")
    tab.click("input[type=submit]")
    tab.wait_for_url(live_server.url + "/admin/")
    return tab


def test_an_editor_measures_the_speeds_and_reads_the_grid_on_a_phone(logged_in, live_server, local_engine):
    ARTIFACTS.mkdir(exist_ok=True)
    tab = logged_in
    tab.goto(live_server.url + "/admin/")
    tab.click("a[href='/admin/translation/engines/']")
    assert tab.locator("html").get_attribute("lang") == "fr"
    assert tab.locator("#engine-grid td[data-pair='en-fr']").inner_text().startswith("local")

    tab.click(".engine-measure input[type=submit]")
    tab.wait_for_selector("ul.messagelist")
    assert len(engine_speed.load()) == 3 + 1  # en→fr, fr→en, en→hy, and fr→hy through English
    assert "/s" in tab.locator("#engine-grid td[data-pair='fr-hy'] .speed").inner_text()
    tab.screenshot(path=str(ARTIFACTS / "translation-engines-fr.png"), full_page=True)

    tab.set_viewport_size({"width": 390, "height": 844})
    tab.reload()
    frame = tab.locator(".engine-grid-wrap")
    widths = frame.evaluate("el => [el.clientWidth, el.scrollWidth]")
    assert widths[1] > widths[0]  # the grid scrolls inside its frame …
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # … and the page does not
    tab.screenshot(path=str(ARTIFACTS / "translation-engines-fr-390.png"), full_page=True)
