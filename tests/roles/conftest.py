"""The roles' world: one person per role and the objects whose owner or language matters."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

#: A letter per person, as the matrix (matrix.py) and docs/roles.md name them.
PEOPLE = {"N": "nobody", "W": "writer", "E": "editor", "T": "translator", "A": "administrator"}


@pytest.fixture
def people(django_user_model):
    """Staff members: one in each role group (made by migrate), and one in none. The translator
    works in Armenian (hy) and Russian (ru)."""
    from django.contrib.auth.models import Group

    from babelpress.newsroom.models import LanguageAssignment
    from babelpress.newsroom.roles import ROLES

    found = SimpleNamespace()
    for name in PEOPLE.values():
        user = django_user_model.objects.create_user(name, f"{name}@example.org", None, is_staff=True)
        if name in ROLES:
            user.groups.add(Group.objects.get(name=ROLES[name].group))
        setattr(found, name, user)
    for code in ("hy", "ru"):
        LanguageAssignment.objects.create(user=found.translator, language=code)
    found.chief = django_user_model.objects.create_superuser("chief", "chief@example.org", None)
    return found


def client_of(user) -> Client:
    client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def clients(people):
    """{letter: a test client logged in as that person}, and "-" for a visitor not logged in."""
    return {letter: client_of(getattr(people, name)) for letter, name in PEOPLE.items()} | {"-": client_of(None)}


@pytest.fixture
def world(people, settings):
    """Named objects for the matrix: articles of each kind (the writer's own draft and submitted
    draft, someone else's draft, a published original, machine translations into hy and fr with
    their reviews, jobs and memory entries), and one object of every other model in the admin."""
    from django.contrib.auth.models import Group
    from django_tasks_db.models import DBTaskResult

    from babelpress.ingest.models import Feed, ImportedItem, ImportJob, StoryCluster
    from babelpress.newsroom.models import Article, Author, Section, SectionName, Source, Tag
    from babelpress.translation import registry
    from babelpress.translation.models import (
        EngineUsage, GlossaryName, GlossaryTerm, MemoryEntry, Segment, Translation, TranslationJob,
    )
    from babelpress.translation.pipeline import article_fields
    from babelpress.translation.segmenter import source_digest
    from babelpress.translation.tasks import run_translation_job

    settings.BABELPRESS_TRANSLATION_ENGINES = {
        "phrasebook": {"CLASS": "tests.translation.fake_engines.PhrasebookEngine", "OPTIONS": {}}}
    registry.clear_cache()
    w = SimpleNamespace()
    w.section = Section.objects.create(key="news", position=1)
    SectionName.objects.create(section=w.section, language="fr", name="Actualités")
    w.empty_section = Section.objects.create(key="weather", position=2)  # deletable: no article in it
    w.source = Source.objects.create(name="Agence Lumière", url="https://lumiere.example.org")
    w.spare_source = Source.objects.create(name="Gazette du soir")  # deletable: nothing credits it
    w.author = Author.objects.create(name="Claire Dubois", source=w.source)
    w.tag = Tag.objects.create(language="fr", name="Transports")

    def article(headline, language="fr", status=Article.Status.DRAFT, by=people.editor, **fields):
        published = {"published_at": timezone.now()} if status == Article.Status.PUBLISHED else {}
        return Article.objects.create(language=language, headline=headline, body=f"<p>{headline}.</p>",
                                      section=w.section, status=status, created_by=by, **published, **fields)

    w.published = article("Le pont rouvre", status=Article.Status.PUBLISHED)
    w.published.standfirst = "Après deux ans de travaux."
    w.published.save()  # a second revision: its history has two to compare, one to restore
    w.own_draft = article("Mon brouillon", by=people.writer)
    w.own_submitted = article("Ma dépêche soumise", status=Article.Status.REVIEW, by=people.writer)
    w.other_draft = article("Le brouillon d'un autre")
    w.english = article("The market opens", language="en", status=Article.Status.PUBLISHED)
    w.translation_hy = w.published.create_translation("hy", headline="Կամուրջը", translation_method="machine",
                                                      status=Article.Status.REVIEW)
    w.translation_fr = w.english.create_translation("fr", headline="Le marché ouvre", translation_method="machine",
                                                    status=Article.Status.REVIEW)
    for name in ("hy", "fr"):
        target = getattr(w, f"translation_{name}")
        source = target.translated_from
        review = Translation.objects.create(article=target, source=source, engine="phrasebook",
                                            source_digest=source_digest(article_fields(source)))
        Segment.objects.create(translation=review, position=0, field="headline", source_text=source.headline,
                               source_hash="h0", machine_text=target.headline, target_text=target.headline)
        setattr(w, f"review_{name}", review)
        setattr(w, f"job_{name}", TranslationJob.objects.create(
            source=source, target_language=name, status="failed", last_error="engine down",
            finished_at=timezone.now()))
        setattr(w, f"memory_{name}", MemoryEntry.objects.create(
            source_language=source.language, target_language=name, source_hash=name * 32, source_text="pont",
            target_text="bridge", engine="phrasebook"))
    run_translation_job.enqueue(w.job_hy.pk)  # a task result row
    w.task = DBTaskResult.objects.get()
    w.term = GlossaryTerm.objects.create(note="bridge names")
    GlossaryName.objects.create(term=w.term, language="fr", name="Pont de Valmont")
    w.usage = EngineUsage.objects.create(engine="phrasebook", month="2026-01", characters=10, requests=1)
    w.feed = Feed.objects.create(url="https://lumiere.example.org/feed.xml", source=w.source, section=w.section,
                                 failures=3)
    w.imported = article("Importé de Lumière", status=Article.Status.REVIEW, by=None)
    w.item = ImportedItem.objects.create(
        article=w.imported, feed=w.feed, original_url="https://lumiere.example.org/pont", content_hash="c" * 64,
        retrieved_at=timezone.now(), detected_language="fr", cluster=StoryCluster.objects.create(),
        imported_headline=w.imported.headline, imported_body=w.imported.body,
        pending_update={"headline": "Le pont rouvre lundi", "standfirst": "", "body": "<p>Reconstruit.</p>",
                        "content_hash": "d" * 64, "retrieved_at": timezone.now().isoformat(), "url": ""})
    w.import_job = ImportJob.objects.create(url="https://lumiere.example.org/pont", section=w.section,
                                            requested_by=people.editor)
    w.group = Group.objects.create(name="Night desk")
    w.user = type(people.writer).objects.create_user("former", "former@example.org", None, is_staff=True)  # nobody logs in as
    yield w
    registry.clear_cache()
