"""An editor reading the admin in French, in a real browser, on a newsroom with no translation
engine: the home page and the coverage page say so before anything else, and a failed job's reason
is on screen in the jobs list. Screenshots go to test-artifacts/."""

from __future__ import annotations

import pytest

from babelpress.translation.models import TranslationJob

from ..browser import ARTIFACTS

pytestmark = pytest.mark.browser

LOCAL = "babelpress.translation.engines.local.LocalEngine"


@pytest.fixture
def logged_in(tab, live_server, django_user_model):
    django_user_model.objects.create_superuser("redaction", "redaction@example.org", "mot-de-passe-du-test")
    tab.goto(live_server.url + "/admin/login/")
    tab.fill("#id_username", "redaction")
    tab.fill("#id_password", "mot-de-passe-du-test")
    tab.click("input[type=submit]")
    tab.wait_for_url(live_server.url + "/admin/")
    return tab


def test_an_editor_sees_that_no_engine_is_set_up_and_why_a_job_failed(logged_in, live_server, newsroom, use_engines,
                                                                      tmp_path):
    use_engines({"local": (LOCAL, {"models_dir": str(tmp_path / "models")})})
    job = TranslationJob.objects.create(  # as the worker leaves a job that failed for want of an engine
        source=newsroom.festival, target_language="ru", status="failed",
        last_error="[translation] no engine can translate en→ru (local: pair not supported). Install a model …")
    ARTIFACTS.mkdir(exist_ok=True)
    tab = logged_in

    tab.goto(live_server.url + "/admin/")
    assert tab.locator("html").get_attribute("lang") == "fr"
    notice = tab.locator("#engine-notice")
    assert notice.is_visible() and notice.bounding_box()["y"] < 300  # first thing on the page
    assert "babelpress translation install-model" in notice.inner_text()
    tab.screenshot(path=str(ARTIFACTS / "admin-home-no-engine-fr.png"), full_page=True)

    tab.goto(live_server.url + "/admin/translation/coverage/")
    assert tab.locator("#engine-notice").is_visible()
    assert tab.locator(".failure-reasons").is_visible()
    tab.screenshot(path=str(ARTIFACTS / "coverage-no-engine-fr.png"), full_page=True)

    tab.goto(live_server.url + "/admin/translation/translationjob/")
    reason = tab.locator(f"#result_list tbody tr:has(a[href$='/{job.pk}/change/']) .job-reason")
    assert reason.is_visible() and "no engine can translate en→ru" in reason.inner_text()
    tab.screenshot(path=str(ARTIFACTS / "translation-jobs-failed-fr.png"), full_page=True)
