"""Imported drafts are always editable (issue 9, item 10): whatever the importer stores, the admin's
own forms accept unchanged, so an editor who opens an imported story and presses Save is never
stopped by a field they did not touch.

The property is checked on the real corpus (../shared/corpus/): every article page of the
extraction benchmark, and entries of the real-world feeds and of feedparser's test feeds, imported
through the real pipeline; each article that becomes a story — and the source and author it
credits — is opened in the admin and saved back unchanged, without an error and without a change.
Then the addresses the corpus lacks: IRIs, spaces, brackets, underscores, ports, very long ones.
"""

from __future__ import annotations

import gzip

import pytest

from babelpress.ingest import pipeline
from babelpress.ingest.messages import english
from babelpress.ingest.fetch import FetchError
from babelpress.ingest.sources.base import Defaults, Document
from babelpress.ingest.sources.feed import FeedSource
from babelpress.newsroom.models import Article

from ..admin_sweep.round_trip import save_unchanged
from ..corpus import corpus_dir
from .conftest import article_page

pytestmark = pytest.mark.django_db

CONTENT = ["language", "headline", "alternative_headline", "slug", "standfirst", "body", "summary", "section_id",
           "status", "author_id", "source_id", "original_url", "translation_key"]


def snapshot(article: Article) -> dict:
    article.refresh_from_db()
    return {name: getattr(article, name) for name in CONTENT}


def assert_saves_unchanged(client, article: Article, where: str) -> None:
    before = snapshot(article)
    errors = save_unchanged(client, article)
    assert not errors, f"{where}: the admin refuses the imported article {before['original_url']!r}: {errors}"
    after = snapshot(article)
    changed = {name: (before[name], after[name]) for name in CONTENT if before[name] != after[name]}
    assert not changed, f"{where}: saving the form unchanged changed {changed}"
    for credit in (article.source, article.author):
        if credit is not None and (type(credit), credit.pk) not in client.credits_saved:
            client.credits_saved.add((type(credit), credit.pk))  # each source and author once
            errors = save_unchanged(client, credit)
            assert not errors, f"{where}: the admin refuses the imported {credit._meta.verbose_name} {credit}: {errors}"


@pytest.fixture
def editor(editor):
    editor.credits_saved = set()
    return editor


@pytest.fixture
def offline_feed_pages(monkeypatch):
    """Entries are read from the feed's own text, as when their pages cannot be fetched (the corpus
    has the feeds, not the pages; a fetch through the network jail takes long to fail)."""
    def unreachable(self, url, defaults, *, accept=None):
        raise FetchError(f"{url} could not be fetched (test corpus: offline)", url)

    monkeypatch.setattr(FeedSource, "fetch", unreachable)


def test_every_article_page_of_the_corpus_imports_as_a_draft_the_admin_saves_unchanged(editor, sections):
    # As uploads: the address kept is then the page's own canonical link, however the page wrote it
    # (the benchmark's addresses themselves are all plain ones).
    root = corpus_dir() / "articles" / "extraction-benchmark"
    stories = 0
    for page in sorted((root / "html").glob("*.html.gz")):
        outcome = pipeline.import_file(gzip.decompress(page.read_bytes()), filename=page.name[:-3], language="en")
        if outcome.status == "new":
            stories += 1
            assert_saves_unchanged(editor, outcome.article, page.name)
    assert stories >= 85


def import_feeds(client, files, per_feed: int) -> int:
    stories = 0
    for path in files:
        document = Document.from_file(path.read_bytes(), filename=path.name, url=f"https://feeds.example/{path.name}")
        report = pipeline.import_stories(document, Defaults.of(language="en"), limit=per_feed)
        for outcome in report.outcomes:
            if outcome.status == "new":
                stories += 1
                assert_saves_unchanged(client, outcome.article, f"{path.name}: {outcome.url}")
    return stories


def test_entries_of_the_real_feeds_import_as_drafts_the_admin_saves_unchanged(editor, sections, offline_feed_pages):
    root = corpus_dir() / "feeds" / "real"
    files = sorted(p for p in root.iterdir() if p.is_file() and p.name not in ("index.json", "LICENSE"))
    assert import_feeds(editor, files, per_feed=2) >= 150


def test_entries_of_feedparsers_test_feeds_import_as_drafts_the_admin_saves_unchanged(
        editor, sections, offline_feed_pages):
    # Hostile HTML, odd encodings and entities in titles, links and authors: the first entry of each
    # feed, when its text is long enough to be a story (few are: most are a line or two).
    root = corpus_dir() / "feeds" / "feedparser"
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".xml", ".rdf", ".json")
                   and p.name != "expectations.json")
    assert import_feeds(editor, files, per_feed=1) >= 5


# --- Addresses the corpus lacks --------------------------------------------------------------------


TEXT = ["Le conseil municipal a voté le budget après une longue séance de nuit.",
        "Les travaux du pont commenceront au printemps et dureront deux ans."]


@pytest.mark.parametrize("address, kept", [
    ("https://hy.wikipedia.org/wiki/Երևան", "https://hy.wikipedia.org/wiki/Երևան"),  # an IRI, as written
    ("https://пример.рф/новости/мост", "https://пример.рф/новости/мост"),  # a non-ASCII host
    ("https://journal.example/a b/c d", "https://journal.example/a%20b/c%20d"),  # spaces, as a browser sends them
    ("https://journal.example/dossier[2024]/(pont)", "https://journal.example/dossier[2024]/(pont)"),
    ("https://my_site.example/story", "https://my_site.example/story"),  # underscores in the host
    ("http://intranet/story", "http://intranet/story"),  # a host without a dot
    ("https://journal.example:8443/x", "https://journal.example:8443/x"),
    ("HTTPS://Journal.Example/Story", "https://journal.example/Story"),
    ("https://journal.example/" + "x" * 975, "https://journal.example/" + "x" * 975),  # 999 characters
    ("https://journal.example/\u202egnp.exe", "https://journal.example/%E2%80%AEgnp.exe"),  # a hidden override
])
def test_an_address_the_importer_reads_is_kept_as_the_form_keeps_it(editor, sections, address, kept):
    outcome = pipeline.import_file(article_page("Le budget adopté", TEXT, lang="fr"), url=address)
    assert outcome.status == "new", outcome.reason
    assert outcome.article.original_url == kept
    assert_saves_unchanged(editor, outcome.article, address)


@pytest.mark.parametrize("canonical, warned", [
    ("https://journal.example:99999/x", True),  # read as an address, but no browser opens it
    ("javascript:alert(1)", False),  # not taken for an address at all
    ("mailto:redaction@journal.example", False),
    ("/2024/03/budget", False),  # relative, and nothing to resolve it against
])
def test_an_address_the_form_cannot_keep_never_reaches_the_article(editor, sections, canonical, warned):
    # An upload without an address credits the page's canonical link, however the page wrote it.
    html = article_page("Le budget adopté", TEXT, lang="fr", canonical=canonical)
    outcome = pipeline.import_file(html, filename="budget.html")
    assert outcome.status == "new", outcome.reason
    assert outcome.article.original_url == ""
    warnings = [w for w in map(english, outcome.item.warnings) if w.startswith("the original address was not kept on the article")]
    assert bool(warnings) == warned, outcome.item.warnings
    assert_saves_unchanged(editor, outcome.article, canonical)


def test_a_page_whose_canonical_address_is_too_long_imports_without_it(editor, sections):
    html = article_page("Le budget adopté", TEXT, lang="fr", canonical="https://journal.example/" + "x" * 990)
    outcome = pipeline.import_file(html, filename="budget.html")
    assert outcome.status == "new", outcome.reason
    assert outcome.article.original_url == "" and outcome.item.canonical_url == ""
    assert "the page's canonical address is longer than 1,000 characters: it was ignored" in map(english, outcome.item.warnings)
    assert_saves_unchanged(editor, outcome.article, "long canonical address")


def test_names_with_control_characters_are_credited_as_the_forms_keep_them(editor, sections):
    html = article_page("Le budget adopté", TEXT, lang="fr", author="Jeanne\x0b Dupont\x7f", sitename=" Le\tJournal\x07 ")
    outcome = pipeline.import_file(html, url="https://journal.example/budget")
    assert outcome.status == "new", outcome.reason
    assert outcome.article.source.name == "Le Journal"
    assert outcome.article.author.name == "Jeanne Dupont"
    assert_saves_unchanged(editor, outcome.article, "control characters")


def test_a_headline_longer_than_the_field_is_shortened_to_fit(editor, sections):
    long = "Le conseil municipal adopte " + "un très long titre " * 30
    outcome = pipeline.import_file(article_page(long, TEXT, lang="fr"), url="https://journal.example/long")
    assert outcome.status == "new", outcome.reason
    assert len(outcome.article.headline) <= 300
    assert_saves_unchanged(editor, outcome.article, "long headline")
