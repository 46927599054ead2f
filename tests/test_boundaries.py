"""The apps keep to the boundaries of docs/architecture.md, and the check sees them crossed.

The rules are the import-linter contracts of pyproject.toml; tests/boundaries.py says how they are
checked (every import, also inside functions, plus the string references that bind apps).
"""

from __future__ import annotations

import pytest

from . import boundaries
from .boundaries import ROOT, WIRING, app_labels, check, contracts, import_graph, url_owners

PACKAGE = boundaries.REPO / ROOT


def test_the_apps_keep_to_their_boundaries():
    graph = import_graph(ROOT, PACKAGE, url_owners=url_owners(), app_labels=app_labels())
    broken = check(graph)
    assert not broken, "\n".join(broken.values())


def test_every_app_and_every_top_level_module_falls_under_the_rules():
    by_id = {contract["id"]: contract for contract in contracts()}
    other_apps = sorted(f"{ROOT}.{app}" for app in boundaries.apps(PACKAGE) - {"newsroom"})
    assert sorted(by_id["newsroom"]["forbidden_modules"]) == other_apps, \
        "a new app goes into the forbidden_modules of the 'newsroom' contract (pyproject.toml)"
    assert sorted(by_id["apps-meet-through-the-newsroom"]["protected_modules"]) == other_apps, \
        "a new app goes into the protected_modules of the 'apps-meet-through-the-newsroom' contract (pyproject.toml)"
    helpers = sorted(f"{ROOT}.{name}" for name in boundaries.top_level_modules(PACKAGE) - WIRING)
    assert sorted(by_id["shared-helpers"]["source_modules"]) == helpers, (
        "a new top-level module is a shared helper (add it to the source_modules of the 'shared-helpers' contract "
        "in pyproject.toml) or wires apps together (add it to WIRING in tests/boundaries.py)")


def test_url_names_and_model_labels_lead_to_the_app_that_defines_them():
    owners = url_owners()
    assert owners["translation_coverage"] == "babelpress.translation.admin"
    assert owners["admin:ingest_import"] == "babelpress.ingest.admin"
    assert owners["admin:newsroom_article_change"] == "babelpress.newsroom.admin"
    # Registered by translation on the article admin (admin_extensions.register_article_url).
    assert owners["admin:newsroom_article_translate"] == "babelpress.translation.article_admin"
    assert owners["site:home"] == "babelpress.site.views"
    assert app_labels()["translation"] == "babelpress.translation"


# --- The check fails when a rule is broken: a small package laid out like Babelpress ------------

FAKE = "fakepress"
CORE_APPS = ("core", "newsroom", "site", "translation", "ingest", "comments")  # comments: a future app


def lay_out(folder, files: dict[str, str]) -> None:
    """A package named FAKE with every module the contracts name, an app "comments", and ``files``."""
    package = folder / FAKE
    named = {module for contract in contracts(FAKE) for field in boundaries.MODULE_FIELDS
             for module in contract.get(field, [])}
    for module in named | {f"{FAKE}.{app}" for app in CORE_APPS}:
        path = folder.joinpath(*module.split("."))
        path.mkdir(parents=True, exist_ok=True)
        (path / "__init__.py").touch()
    for app in CORE_APPS:
        (package / app / "apps.py").touch()
    (package / "__init__.py").touch()
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def broken_contracts(folder, monkeypatch, files: dict[str, str]) -> dict[str, str]:
    lay_out(folder, files)
    monkeypatch.syspath_prepend(str(folder))
    graph = import_graph(FAKE, folder / FAKE, url_owners={"translation_coverage": f"{FAKE}.translation.admin"},
                         app_labels={app: f"{FAKE}.{app}" for app in CORE_APPS})
    return check(graph, FAKE)


APPS_MEET = "apps-meet-through-the-newsroom"
VIOLATIONS = {
    "the newsroom imports translation inside a function": (
        "newsroom/admin.py", "def queue(request):\n    from fakepress.translation import workflow\n",
        {"newsroom", APPS_MEET}),
    "ingest imports translation": (
        "ingest/service.py", "from fakepress.translation import pipeline\n", {"translation-and-ingest", APPS_MEET}),
    "translation imports the site": (
        "translation/pipeline.py", "import fakepress.site.cache\n", {"translation-without-site", APPS_MEET}),
    "the site imports ingest": (
        "site/views.py", "from fakepress.ingest import models\n", {"site-through-the-newsroom", APPS_MEET}),
    "a future app imports translation": (
        "comments/views.py", "from fakepress.translation import qa\n", {APPS_MEET}),
    "a shared helper imports the newsroom": (
        "languages/__init__.py", "from fakepress.newsroom import models\n", {"shared-helpers"}),
    "the newsroom names an ingest function by its dotted path": (
        "newsroom/admin.py", 'IMPORTER = "fakepress.ingest.service.import_url"\n', {"newsroom", APPS_MEET}),
    "the newsroom points a foreign key at a translation model": (
        "newsroom/models.py", 'job = ForeignKey("translation.TranslationJob", on_delete=CASCADE)\n',
        {"newsroom", APPS_MEET}),
    "the newsroom reverses a translation URL": (
        "newsroom/admin.py", 'url = reverse("translation_coverage")\n', {"newsroom", APPS_MEET}),
    "a newsroom template links to a translation URL": (
        "newsroom/templates/admin/index.html", "<a href=\"{% url 'translation_coverage' %}\">x</a>\n",
        {"newsroom", APPS_MEET}),
    "a newsroom template includes an ingest template": (
        "newsroom/templates/admin/index.html", '{% include "admin/ingest/panel.html" %}\n', {"newsroom", APPS_MEET}),
}


@pytest.mark.parametrize("where, code, expected", VIOLATIONS.values(), ids=VIOLATIONS.keys())
def test_a_crossed_boundary_is_reported_with_the_line_that_crosses_it(tmp_path, monkeypatch, where, code, expected):
    files = {where: code, "ingest/templates/admin/ingest/panel.html": "<p>provenance</p>\n"}
    broken = broken_contracts(tmp_path, monkeypatch, files)
    assert set(broken) == expected
    offender = ".".join([FAKE, *where.removesuffix(".py").removesuffix(".html").split("/")]).removesuffix(".__init__")
    for report in broken.values():
        assert offender in report, report


ALLOWED = {
    "an app imports the newsroom and a shared helper": (
        "comments/views.py", "from fakepress import languages\nfrom fakepress.newsroom import models\n"),
    "core imports every app": ("core/worker.py", "def run():\n    from fakepress import ingest, site, translation\n"),
    "the settings import an app": ("settings/__init__.py", "import fakepress.ingest.ssrf\n"),
    "a docstring names another app": ("newsroom/admin.py", '"""Unlike fakepress.translation.workflow, …"""\n'),
    "an app names its own logger": ("ingest/polling.py", 'log = getLogger("fakepress.ingest")\n'),
    "a translation template links to a newsroom page": (
        "translation/templates/admin/translation/review.html", "{% url 'admin:newsroom_article_change' 1 %}\n"),
}


@pytest.mark.parametrize("where, code", ALLOWED.values(), ids=ALLOWED.keys())
def test_what_the_rules_allow_passes(tmp_path, monkeypatch, where, code):
    assert broken_contracts(tmp_path, monkeypatch, {where: code}) == {}
