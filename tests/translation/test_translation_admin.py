"""The translation screens of the admin: side-by-side review, coverage, job retry, glossary files."""

from __future__ import annotations

import re

import lxml.html
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from babelpress.newsroom.models import Article
from babelpress.translation import jobs, pipeline, registry, review
from babelpress.translation.engines.base import EngineError
from babelpress.translation.models import GlossaryName, GlossaryTerm, Translation, TranslationJob
from babelpress.translation.placeholder_display import pieces
from babelpress.translation.tasks import JobFailed, run_translation_job

from .fake_engines import PhrasebookEngine

COVERAGE = "/admin/translation/coverage/"


def text(node) -> str:
    return " ".join(node.text_content().split())


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:400]
    return lxml.html.fromstring(response.content.decode())


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


@pytest.fixture(autouse=True)
def _admin_in_english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def editor(client, django_user_model):
    """A logged-in superuser: Marie Curie."""
    user = django_user_model.objects.create_superuser("marie", "marie@example.org", None,
                                                      first_name="Marie", last_name="Curie")
    client.force_login(user)
    return user


@pytest.fixture
def draft(use_engines, make_story):
    """A French story machine-translated into English; the engine lost the number of paragraph 2."""
    use_engines({"phrasebook": (PhrasebookEngine, {"phrases": {"Il coûte <x1/> euros.": "It costs euros."}})})
    story = make_story(["Le pont rouvre ce matin.", "Il coûte 12 euros."], language="fr", headline="Le pont")
    return pipeline.translate_article(story, "en").translation


def review_url(state) -> str:
    return reverse("admin:translation_translation_change", args=[state.pk])


# --- Review screen ---------------------------------------------------------------------------------------


def test_review_screen_shows_source_machine_draft_and_an_editable_translation_side_by_side(client, editor, draft):
    doc = get(client, review_url(draft))

    assert [text(th) for th in doc.cssselect(".review-table thead th")] == ["Original", "Machine draft", "Translation"]
    rows = doc.cssselect(".review-table tbody.segment")
    cells = [[text(row.cssselect(".segment-field")[0]), *(text(td) for td in row.cssselect("td")[:2])] for row in rows]
    assert [c[:2] for c in cells[:2]] == [["Headline", "Le pont"], ["Body", "Le pont rouvre ce matin."]]
    assert cells[1][2] == "LE PONT ROUVRE CE MATIN."
    area = rows[1].cssselect("textarea")[0]
    assert (area.get("name"), area.text, area.get("lang")) == ("segment-1", "LE PONT ROUVRE CE MATIN.", "en")
    assert doc.cssselect('input[name="_approve"]') and doc.cssselect('input[name="_save"]')


def test_review_screen_flags_qa_errors_on_their_segment(client, editor, draft):
    doc = get(client, review_url(draft))

    rows = doc.cssselect(".review-table tbody.segment")
    assert not rows[1].cssselect(".qa-error")
    flags = [text(p) for p in rows[2].cssselect(".qa-error")]
    assert "The number 12 was missing; it was added at the end." in flags
    assert re.search(r"\b\d+ errors?\b", text(doc.cssselect("#content")[0]))


def form_of(state, **changes) -> dict:
    """The review form as the screen shows it (each placeholder as its value), with ``changes``."""
    rows = list(state.segments.order_by("position"))
    items = review.placeholder_items(state, rows)
    data = {f"segment-{s.position}": pieces(s.target_text, items[s.position]).text for s in rows}
    data.update(changes)
    return data


def test_saving_a_draft_from_the_review_screen_keeps_it_unpublished(client, editor, draft):
    response = client.post(review_url(draft), form_of(draft, **{"segment-1": "The bridge reopens.", "_save": "1"}),
                           follow=True)

    assert "Draft saved." in messages_of(response)
    assert draft.segments.get(position=1).target_text == "The bridge reopens."
    assert not reload(draft.article).is_published


def test_approving_with_errors_left_is_refused_and_the_edit_is_kept(client, editor, draft):
    response = client.post(review_url(draft), form_of(draft, **{"segment-1": "The bridge reopens.", "_approve": "1"}),
                           follow=True)

    assert any("QA found 1 error in this draft." in m for m in messages_of(response))
    assert not reload(draft.article).is_published
    assert draft.segments.get(position=1).target_text == "The bridge reopens."


def test_approving_a_corrected_draft_publishes_it_with_the_reviewer(client, editor, draft):
    data = form_of(draft, **{"segment-1": "The bridge reopens.", "segment-2": "It costs 12 euros.",
                             "_approve": "1"})

    response = client.post(review_url(draft), data)

    assert response.status_code == 302 and response["Location"] == reverse("admin:translation_translation_changelist")
    target = reload(draft.article)
    assert target.is_published and target.reviewed_by == editor
    assert target.body == "<p>The bridge reopens.</p><p>It costs 12 euros.</p>"
    assert reload(draft).state == Translation.State.REVIEWED


def test_a_conflict_is_shown_with_the_source_the_edit_was_made_against(client, editor, draft):
    review.save_review(draft, {1: "The bridge reopens."}, editor, approve=False)
    source = draft.source
    source.body = "<p>Le pont rouvre ce soir.</p><p>Il coûte 12 euros.</p>"
    source.save()
    pipeline.translate_article(reload(source), "en")

    doc = get(client, review_url(draft))

    row = doc.cssselect(".review-table tbody.conflict")[0]
    assert "Before: Le pont rouvre ce matin." in text(row)
    assert row.cssselect("textarea")[0].text == "The bridge reopens."
    assert row.cssselect('input[type="checkbox"][name="resolve-1"]')


def test_ticking_keep_my_edit_resolves_the_conflict(client, editor, draft):
    review.save_review(draft, {1: "The bridge reopens."}, editor, approve=False)
    source = draft.source
    source.body = "<p>Le pont rouvre ce soir.</p><p>Il coûte 12 euros.</p>"
    source.save()
    pipeline.translate_article(reload(source), "en")

    client.post(review_url(draft), form_of(draft, **{"resolve-1": "1", "_save": "1"}))

    assert draft.segments.get(position=1).conflict is False and reload(draft).conflicts == 0


@pytest.fixture
def markup_lookalikes(use_engines, make_story):
    """A French story whose text holds "&" and things that look like tags, machine-translated."""
    use_engines({"phrasebook": (PhrasebookEngine, {})})
    story = make_story(["Fish &amp; chips &lt;b&gt; &lt;script&gt;boom()&lt;/script&gt;"], language="fr",
                       headline="Tom & Jerry <b>bold</b> <script>boom()</script>")
    return pipeline.translate_article(story, "en").translation


def test_the_review_screen_shows_ampersands_and_tag_lookalikes_as_the_text_they_are(client, editor, markup_lookalikes):
    doc = get(client, review_url(markup_lookalikes))

    rows = doc.cssselect(".review-table tbody.segment")
    original, machine = ([text(row.cssselect("td")[column]) for row in rows] for column in (0, 1))
    assert original == ["Tom & Jerry <b>bold</b> <script>boom()</script>",
                        "Fish & chips <b> <script>boom()</script>"]
    assert machine == ["TOM & JERRY <B>BOLD</B> <SCRIPT>BOOM()</SCRIPT>",
                       "FISH & CHIPS <B> <SCRIPT>BOOM()</SCRIPT>"]
    assert [row.cssselect("textarea")[0].text for row in rows] == machine
    assert not doc.cssselect(".review-table script, .review-table b")  # text, never markup


def test_saving_the_review_screen_as_shown_changes_nothing_and_typed_text_stays_text(client, editor, markup_lookalikes):
    doc = get(client, review_url(markup_lookalikes))
    shown = {area.get("name"): area.text for area in doc.cssselect(".review-table textarea")}
    stored = {s.position: s.target_text for s in markup_lookalikes.segments.all()}

    client.post(review_url(markup_lookalikes), {**shown, "_save": "1"})
    assert {s.position: s.target_text for s in markup_lookalikes.segments.all()} == stored
    assert not markup_lookalikes.segments.filter(human_edited=True).exists()

    client.post(review_url(markup_lookalikes), {**shown, "segment-1": "Fish & chips <b> — and <i>", "_approve": "1"})
    body = reload(markup_lookalikes.article).body
    assert body == "<p>Fish &amp; chips &lt;b&gt; — and &lt;i&gt;</p>"
    assert get(client, review_url(markup_lookalikes)).cssselect(".review-table tbody.segment")[1] \
        .cssselect("textarea")[0].text == "Fish & chips <b> — and <i>"


def test_a_staff_member_who_may_only_view_cannot_change_a_translation(client, draft, django_user_model):
    viewer = django_user_model.objects.create_user("guest", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_translation"))
    client.force_login(viewer)

    doc = get(client, review_url(draft))
    response = client.post(review_url(draft), form_of(draft, **{"segment-1": "Vandalised", "_approve": "1"}))

    assert doc.cssselect("textarea")[0].get("readonly") is not None and not doc.cssselect('input[name="_approve"]')
    assert response.status_code == 403
    assert draft.segments.get(position=1).target_text == "LE PONT ROUVRE CE MATIN."


# --- Coverage ----------------------------------------------------------------------------------------------


@pytest.fixture
def coverage_newsroom(newsroom, use_engines, editor, settings):
    """Every state at least once, besides the newsroom's originals and human translations:

    bridge (fr): en human, hy human, ru machine · budget (fr): en reviewed, ru human, hy missing
    festival (en): fr failed, hy queued, ru missing · market (fr): en outdated, hy and ru missing
    """
    settings.BABELPRESS_TRANSLATION_POLICY = "review"
    engine = use_engines({"phrasebook": (PhrasebookEngine, {})})["phrasebook"]
    pipeline.translate_article(newsroom.bridge, "ru")
    budget_en = pipeline.translate_article(newsroom.budget, "en").translation
    review.save_review(budget_en, {}, editor, approve=True)
    engine.fail_with = EngineError("phrasebook", "authentication refused (HTTP 403)")
    with pytest.raises(JobFailed):
        run_translation_job.call(jobs.enqueue(newsroom.festival, ["fr"])[0].pk)
    engine.fail_with = None
    jobs.enqueue(newsroom.festival, ["hy"])
    newsroom.market = Article.objects.create(
        language="fr", headline="Le marché ouvre", body="<p>Les étals sont prêts.</p>", section=newsroom.culture,
        status=Article.Status.PUBLISHED,
    )
    pipeline.translate_article(newsroom.market, "en")
    newsroom.market.headline = "Le marché de Noël ouvre"
    newsroom.market.save()
    return newsroom


def coverage_table(doc) -> dict[str, dict[str, str]]:
    """{story headline: {language name: state}} from the coverage grid."""
    grid = doc.cssselect("table.coverage")[1]
    names = [text(th) for th in grid.cssselect("thead th")][1:]
    table = {}
    for row in grid.cssselect("tbody tr"):
        cells = row.cssselect("td")
        table[text(cells[0])] = {
            # The state key is in the class (state-machine); the text is its label in the UI language.
            name: cell.cssselect(".state")[0].get("class").split("state-")[1] for name, cell in zip(names, cells[1:])
        }
    return table


def test_coverage_shows_the_state_of_each_story_in_each_language(client, coverage_newsroom):
    doc = get(client, COVERAGE)

    assert coverage_table(doc) == {
        "Le marché de Noël ouvre": {"Français": "original", "English": "outdated", "Հայերեն": "missing",
                                   "Русский": "missing", "العربية": "missing"},
        "Le pont de Valmont rouvre": {"Français": "original", "English": "human", "Հայերեն": "human",
                                      "Русский": "machine", "العربية": "missing"},
        "Le budget municipal adopté": {"Français": "original", "English": "reviewed", "Հայերեն": "missing",
                                       "Русский": "human", "العربية": "missing"},
        "Lantern festival draws crowds": {"Français": "failed", "English": "original", "Հայերեն": "queued",
                                          "Русский": "missing", "العربية": "missing"},
    }


def test_coverage_totals_count_each_state_per_language(client, coverage_newsroom):
    doc = get(client, COVERAGE)

    totals = doc.cssselect("table.coverage")[0]
    states = [th.get("data-state") for th in totals.cssselect("thead th")][1:]
    counts = {
        text(row.cssselect("th")[0]): {s: int(text(td)) for s, td in zip(states, row.cssselect("td")) if text(td) != "0"}
        for row in totals.cssselect("tbody tr")
    }
    assert counts == {
        "Français": {"original": 3, "failed": 1},
        "English": {"original": 1, "human": 1, "reviewed": 1, "outdated": 1},
        "Հայերեն": {"human": 1, "queued": 1, "missing": 2},
        "Русский": {"machine": 1, "human": 1, "missing": 2},
        "العربية": {"missing": 4},
    }


def test_a_failed_update_of_an_outdated_translation_shows_as_failed_with_its_error(client, coverage_newsroom):
    registry.configured_engines()["phrasebook"].fail_with = EngineError("phrasebook", "quota exceeded (HTTP 456)")
    market = coverage_newsroom.market
    with pytest.raises(JobFailed):
        run_translation_job.call(jobs.enqueue(market, ["en"])[0].pk)

    doc = get(client, COVERAGE)

    assert coverage_table(doc)["Le marché de Noël ouvre"]["English"] == "failed"
    # The reason is on the page, in words (not in a tooltip): the cell points to it.
    cell = doc.xpath('//a[contains(@class, "state-failed")]')[0].getparent()
    note = cell.cssselect("a.why")[0]
    assert text(doc.cssselect(note.get("href"))[0]).startswith("[phrasebook] quota exceeded (HTTP 456) (1 cell)")


def test_coverage_filters_by_language_and_state(client, coverage_newsroom):
    doc = get(client, COVERAGE + "?language=ru&state=missing")

    assert sorted(coverage_table(doc)) == ["Lantern festival draws crowds", "Le marché de Noël ouvre"]


def test_coverage_filters_by_section(client, coverage_newsroom):
    doc = get(client, COVERAGE + f"?section={coverage_newsroom.culture.pk}")

    assert sorted(coverage_table(doc)) == ["Lantern festival draws crowds", "Le marché de Noël ouvre"]


def test_coverage_offers_a_checkbox_where_a_translation_can_be_queued(client, coverage_newsroom):
    doc = get(client, COVERAGE)

    boxes = {box.get("value") for box in doc.cssselect('input[name="cell"]')}
    bridge, festival = coverage_newsroom.bridge.pk, coverage_newsroom.festival.pk
    assert f"{bridge}:ru" in boxes and f"{festival}:fr" in boxes  # machine, failed
    assert not {f"{bridge}:fr", f"{bridge}:en", f"{festival}:hy"} & boxes  # original, human, queued


def test_bulk_translate_queues_the_ticked_cells(client, coverage_newsroom):
    market, budget = coverage_newsroom.market, coverage_newsroom.budget

    response = client.post(COVERAGE, {"cell": [f"{market.pk}:en", f"{market.pk}:ru", f"{budget.pk}:hy",
                                               f"{budget.pk}:fr", "junk:en"]}, follow=True)

    assert "3 translation jobs queued." in messages_of(response)
    queued = set(TranslationJob.objects.filter(status="queued").values_list("source_id", "target_language"))
    assert queued >= {(market.pk, "en"), (market.pk, "ru"), (budget.pk, "hy")}
    assert (budget.pk, "fr") not in queued  # a story is not translated into its own language


def test_coverage_needs_the_permission_to_view_translations(client, django_user_model, db):
    staff = django_user_model.objects.create_user("guest", is_staff=True)
    client.force_login(staff)

    assert client.get(COVERAGE).status_code == 403


# --- Jobs: the retry button --------------------------------------------------------------------------------


@pytest.fixture
def failed_job(use_engines, make_story):
    engine = use_engines({"phrasebook": (PhrasebookEngine, {})})["phrasebook"]
    engine.fail_with = EngineError("phrasebook", "authentication refused (HTTP 403)")
    job = jobs.enqueue(make_story(["Le pont rouvre."], language="fr"), ["en"])[0]
    with pytest.raises(JobFailed):
        run_translation_job.call(job.pk)
    engine.fail_with = None
    return reload(job)


def test_a_failed_job_shows_its_error_and_a_retry_button(client, editor, failed_job):
    doc = get(client, reverse("admin:translation_translationjob_changelist"))

    row = doc.cssselect("#result_list tbody tr")[0]
    assert "authentication refused (HTTP 403)" in text(row)
    button = row.cssselect("button.button")[0]
    assert button.get("formaction") == reverse("admin:translation_translationjob_retry", args=[failed_job.pk])
    assert button.get("formmethod") == "post"


def test_the_retry_button_queues_the_job_again(client, editor, failed_job):
    url = reverse("admin:translation_translationjob_retry", args=[failed_job.pk])

    response = client.post(url, follow=True)

    assert f"Job #{failed_job.pk} queued again." in messages_of(response)
    assert (reload(failed_job).status, reload(failed_job).attempts) == ("queued", 0)
    assert run_translation_job.call(failed_job.pk).startswith("done")


def test_retry_is_not_a_link_anyone_can_make_a_browser_follow(client, editor, failed_job):
    url = reverse("admin:translation_translationjob_retry", args=[failed_job.pk])

    assert client.get(url).status_code == 405
    assert reload(failed_job).status == "failed"


def test_retry_needs_the_permission_to_change_jobs(client, failed_job, django_user_model):
    viewer = django_user_model.objects.create_user("guest", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_translationjob"))
    client.force_login(viewer)

    response = client.post(reverse("admin:translation_translationjob_retry", args=[failed_job.pk]))

    assert response.status_code == 403 and reload(failed_job).status == "failed"


# --- Glossary files ----------------------------------------------------------------------------------------


@pytest.fixture
def un_term(db):
    term = GlossaryTerm.objects.create(kind=GlossaryTerm.Kind.ORGANISATION)
    GlossaryName.objects.create(term=term, language="en", name="United Nations", aliases="UN")
    GlossaryName.objects.create(term=term, language="fr", name="Nations unies", aliases="ONU")
    return term


def test_glossary_list_links_to_import_and_exports(client, editor, un_term):
    doc = get(client, reverse("admin:translation_glossaryterm_changelist"))

    links = {text(a): a.get("href") for a in doc.cssselect(".object-tools a")}
    assert links["Import CSV/TBX"] == reverse("admin:translation_glossary_import")
    assert links["Export CSV"] == reverse("admin:translation_glossary_export", args=["csv"])
    assert links["Export TBX"] == reverse("admin:translation_glossary_export", args=["tbx"])


def test_glossary_csv_export_downloads_with_a_byte_order_mark(client, editor, un_term):
    response = client.get(reverse("admin:translation_glossary_export", args=["csv"]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="babelpress-glossary.csv"'
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeffid,kind,note,fr,fr_aliases,fr_forms,fr_stem,en,en_aliases")
    assert f"{un_term.pk},organisation,,Nations unies,ONU,,no,United Nations,UN,,no" in body


def test_glossary_tbx_export_downloads_tbx(client, editor, un_term):
    response = client.get(reverse("admin:translation_glossary_export", args=["tbx"]))

    assert response["Content-Type"] == "application/x-tbx+xml"
    assert b"Nations unies" in response.content and b"United Nations" in response.content


def test_glossary_csv_import_creates_terms(client, editor, db):
    upload = SimpleUploadedFile("terms.csv", "kind,fr,en\nplace,Erevan,Yerevan\n".encode())

    response = client.post(reverse("admin:translation_glossary_import"), {"file": upload})

    assert "Glossary imported." in messages_of(response)
    assert "1 created, 0 updated, 0 unchanged." in text(lxml.html.fromstring(response.content.decode()))
    assert GlossaryName.objects.get(language="en").name == "Yerevan"


def test_glossary_import_check_only_writes_nothing(client, editor, db):
    upload = SimpleUploadedFile("terms.csv", "kind,fr,en\nplace,Erevan,Yerevan\n".encode())

    response = client.post(reverse("admin:translation_glossary_import"), {"file": upload, "dry_run": "1"})

    assert "1 created" in text(lxml.html.fromstring(response.content.decode()))
    assert not GlossaryTerm.objects.exists()


def test_glossary_import_with_errors_imports_nothing_and_lists_them(client, editor, db):
    upload = SimpleUploadedFile("terms.csv", "kind,fr,en\nplace,Erevan,Yerevan\nplanet,Mars,Mars\n".encode())

    response = client.post(reverse("admin:translation_glossary_import"), {"file": upload})

    doc = lxml.html.fromstring(response.content.decode())
    assert any("Nothing was imported" in m for m in messages_of(response))
    assert doc.cssselect("ul.errorlist li") and not GlossaryTerm.objects.exists()
