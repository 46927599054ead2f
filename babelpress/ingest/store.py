"""Writing one candidate story: in one transaction of its own, an attributed article, its import
record, the feed entry seen and its same-story cluster — or an update, or nothing for a duplicate.

Dedup runs inside that transaction (dedup.py):

1. the same feed entry (feed + entry id) seen before          -> update path
2. the same original or canonical URL                         -> update path
3. the same text (content hash of headline + body)            -> "duplicate", nothing written
4. a near-duplicate (MinHash of word 5-shingles, >= 0.8)       -> created, in its same-story cluster

Update path: when the article still holds exactly what was last imported (no editor touched it)
and is not a published story from an untrusted source, it is updated in place; otherwise the newer
version is kept aside (``ImportedItem.pending_update``) for an editor to compare and apply.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from babelpress.newsroom import revisions, web_addresses
from babelpress.newsroom.coauthors import set_coauthors
from babelpress.newsroom.models import Article, Section
from babelpress.newsroom.sanitize import clean_body, clean_text

from . import clusters, dedup
from .attribution import authors_for, source_for
from .messages import Message, of as said, stored_all, stored_text
from .models import Feed, ImportedItem, SeenEntry, guid_digest
from .outcomes import DUPLICATE, FAILED, NEW, PENDING, UNCHANGED, UPDATED, ImportFailed, ImportOutcome
from .sources.base import Candidate, Defaults

log = logging.getLogger("babelpress.ingest")


def default_section(defaults: Defaults) -> Section:
    """The section a new article goes to: the chosen one, the feed's, else the first."""
    section = defaults.section or (defaults.feed.section if defaults.feed and defaults.feed.section_id else None)
    section = section or Section.objects.order_by("position", "key").first()
    if section is None:
        raise ImportFailed(Message(gettext_noop("There is no section to put the story in: create one first (admin → "
                                                "Sections).")))
    return section


def store(candidate: Candidate, defaults: Defaults, *, index: dedup.SimilarityIndex,
          fingerprint: str | None = None) -> ImportOutcome:
    """Write one story (or update, or recognise it) in a transaction of its own."""
    feed = defaults.feed
    chash = dedup.content_hash(candidate.headline, candidate.text)
    sig = dedup.signature(candidate.text)
    near = index.query(sig)
    try:
        with transaction.atomic():
            existing = dedup.find_existing(candidate, feed)
            if existing is not None:
                outcome = _update(existing, candidate, chash, sig, trusted=defaults.trusted)
            else:
                twin = ImportedItem.objects.filter(content_hash=chash).select_related("article").first()
                if twin is not None:
                    said = (Message(gettext_noop("the same text was already imported from %(address)s"),
                                    address=twin.original_url) if twin.original_url
                            else Message(gettext_noop("the same text was already imported from a file")))
                    outcome = ImportOutcome(DUPLICATE, twin.article, twin, said)
                else:
                    outcome = _create(candidate, defaults, chash, sig, near, index)
            outcome.url = outcome.url or candidate.original_url or candidate.headline
            remember_entry(feed, candidate.guid, fingerprint, outcome)
    except IntegrityError:
        # Another worker wrote the same story (same URL or text) between our check and our write:
        # this transaction is rolled back whole and the story counts as a duplicate.
        log.info("import of %s lost a race; counted as duplicate", candidate.original_url)
        twin = ImportedItem.objects.filter(
            Q(content_hash=chash) | Q(original_url=candidate.original_url or "\x00")).select_related("article").first()
        return ImportOutcome(DUPLICATE, twin.article if twin else None, twin,
                             Message(gettext_noop("imported at the same moment by another worker")),
                             url=candidate.original_url)
    outcome.warnings = outcome.warnings or candidate.warnings
    return outcome


def _create(candidate: Candidate, defaults: Defaults, chash: str, sig: bytes | None, near: list[dedup.Match],
            index: dedup.SimilarityIndex) -> ImportOutcome:
    section = default_section(defaults)
    source = source_for(candidate, defaults)
    warnings = list(candidate.warnings)
    if source is None:
        warnings.append(Message(gettext_noop("no source found to credit: set the source before publishing")))
    status = Article.Status.PUBLISHED if defaults.trusted else Article.Status.REVIEW
    authors = authors_for(candidate, source)
    article = Article(
        language=candidate.language, headline=headline_of(candidate), standfirst=standfirst_of(candidate),
        body=candidate.body_html, section=section, author=authors[0] if authors else None, source=source,
        original_url=original_url_of(candidate, warnings), status=status,
        originally_published_at=candidate.published_at,  # the source's date: readers see it, an old story keeps it
        created_by=defaults.user if getattr(defaults.user, "pk", None) else None,
    )
    revisions.attribute(article, user=defaults.user, reason="import")
    article.save()
    set_coauthors(article, authors[1:])
    try:
        cluster, best = clusters.cluster_for(near)
    except clusters.Busy as exc:
        raise ImportFailed(said(exc)) from None  # the transaction rolls back: nothing half-written
    # Not a stored warning: the import record shows it in the reader's language (same_story_html).
    near_duplicate = (Article.objects.get(import_record__pk=best.item_id), best.similarity) if best else None
    item = ImportedItem.objects.create(
        article=article, feed=defaults.feed, guid=candidate.guid[:2000], origin=candidate.origin,
        original_url=candidate.original_url, canonical_url=candidate.canonical_url, content_hash=chash,
        retrieved_at=timezone.now(), original_published_at=candidate.published_at,
        detected_language=candidate.language, language_declared=candidate.language_declared,
        sitename=candidate.sitename[:300], lead_image_url=candidate.lead_image_url, warnings=stored_all(warnings),
        minhash=sig, cluster=cluster, near_duplicate_of_id=best.item_id if best else None,
        near_duplicate_similarity=best.similarity if best else None,
        imported_headline=article.headline, imported_standfirst=article.standfirst,
        imported_body=article.body, imported_by=defaults.user if getattr(defaults.user, "pk", None) else None,
    )
    index.add(item.pk, sig)
    return ImportOutcome(NEW, article, item, warnings=warnings, near_duplicate=near_duplicate,
                         same_story_count=cluster.size - 1)


# What the article is given is what its admin form accepts unchanged, so that an editor can always
# save an imported draft (tests/ingest/test_imported_drafts_editable.py).


def headline_of(candidate: Candidate) -> str:
    """The headline as the form keeps it: one line, at most the field's length, never empty."""
    limit = Article._meta.get_field("headline").max_length
    headline = clean_text(candidate.headline)[:limit].strip()
    if not headline:
        raise ImportFailed(Message(gettext_noop("The story has no headline and no text to make one from: there is "
                                                "nothing to import.")))
    return headline


def standfirst_of(candidate: Candidate) -> str:
    return (candidate.standfirst or "").replace("\x00", "").strip()


def original_url_of(candidate: Candidate, warnings: list[str]) -> str:
    """The address the article credits, as the form keeps it; "" and a warning when it cannot be kept."""
    url = web_addresses.normalise(candidate.original_url or candidate.canonical_url)
    with translation.override("en"):  # stored warnings are in English, like the others
        why = web_addresses.problem(url, Article._meta.get_field("original_url").max_length)
    if why:
        warnings.append(Message(gettext_noop("the original address was not kept on the article (%(address)s): "
                                             "%(reason)s"), address=url[:200], reason=why))
        return ""
    return url


def _same(current: str, imported: str) -> bool:
    # A browser posts a textarea with CRLF line ends: an editor's save without changes is no edit.
    def norm(value):
        return (value or "").replace("\r\n", "\n").strip()

    return norm(current) == norm(imported)


def _update(item: ImportedItem, candidate: Candidate, chash: str, sig: bytes | None, *, trusted: bool) -> ImportOutcome:
    article = Article.objects.select_for_update().get(pk=item.article_id)
    if chash == item.content_hash:
        return ImportOutcome(UNCHANGED, article, item, Message(gettext_noop("no change since the last import")))
    edited = not (_same(article.headline, item.imported_headline) and _same(article.standfirst, item.imported_standfirst)
                  and _same(article.body, item.imported_body))
    if edited or (article.status == Article.Status.PUBLISHED and not trusted):
        if item.pending_update and item.pending_update.get("content_hash") == chash:
            return ImportOutcome(UNCHANGED, article, item,
                                 Message(gettext_noop("this newer version is already waiting for an editor")))
        item.pending_update = {
            "headline": headline_of(candidate), "standfirst": standfirst_of(candidate),
            "body": clean_body(candidate.body_html), "content_hash": chash,
            "minhash": sig.hex() if sig else None, "retrieved_at": timezone.now().isoformat(),
            "url": candidate.original_url, "warnings": stored_all(candidate.warnings),
        }
        item.save(update_fields=["pending_update", "updated_at"])
        said = (gettext_noop("a newer version was found but an editor changed the article since it was imported: it "
                             "waits on the import record as a diff") if edited
                else gettext_noop("a newer version was found but the article is already published and its source is "
                                  "not trusted: it waits on the import record as a diff"))
        return ImportOutcome(PENDING, article, item, Message(said))
    version = article.version
    article.headline, article.standfirst, article.body = headline_of(candidate), standfirst_of(candidate), candidate.body_html
    revisions.attribute(article, reason="import-update")
    article.save_if_current(version)
    _mark_imported(item, article, chash, sig)
    item.warnings, item.canonical_url = stored_all(candidate.warnings), candidate.canonical_url or item.canonical_url
    item.save()
    return ImportOutcome(UPDATED, article, item, Message(gettext_noop("updated in place (no editor had changed it)")))


def _mark_imported(item: ImportedItem, article: Article, chash: str, sig: bytes | None) -> None:
    if sig != (bytes(item.minhash) if item.minhash is not None else None):
        dedup.SimilarityIndex().add(item.pk, sig, replace=True)  # later look-ups find the text it now holds
    item.imported_headline, item.imported_standfirst, item.imported_body = article.headline, article.standfirst, article.body
    item.content_hash, item.minhash, item.retrieved_at, item.pending_update = chash, sig, timezone.now(), None


def apply_pending_update(item: ImportedItem, *, expected_version: int | None = None) -> Article:
    """An editor chose the newer imported version: it replaces the article's text (one transaction).

    ``expected_version`` is the article version the editor saw the diff against; a save since then
    raises StaleEdit rather than being overwritten unseen.
    """
    with transaction.atomic():
        item = ImportedItem.objects.select_for_update().get(pk=item.pk)
        pending = item.pending_update
        if not pending:
            raise ImportFailed(Message(gettext_noop("There is no newer version waiting for this article.")))
        article = Article.objects.select_for_update().get(pk=item.article_id)
        version = article.version if expected_version is None else expected_version
        article.headline, article.standfirst, article.body = pending["headline"], pending["standfirst"], pending["body"]
        revisions.attribute(article, reason="import-update")
        article.save_if_current(version)
        sig = bytes.fromhex(pending["minhash"]) if pending.get("minhash") else None
        _mark_imported(item, article, pending["content_hash"], sig)
        item.save()
    return article


def discard_pending_update(item: ImportedItem) -> None:
    ImportedItem.objects.filter(pk=item.pk).update(pending_update=None, updated_at=timezone.now())


def remember_entry(feed: Feed | None, guid: str, fingerprint: str | None, outcome: ImportOutcome) -> None:
    """Record what became of a followed feed's entry, so that the next poll skips it if unchanged."""
    if feed is None or not guid or fingerprint is None:
        return
    seen, created = SeenEntry.objects.get_or_create(
        feed=feed, guid_hash=guid_digest(guid),
        defaults={"guid": guid, "fingerprint": fingerprint, "outcome": outcome.status},
    )
    seen.fingerprint, seen.outcome, seen.reason = fingerprint, outcome.status, _kept(outcome.reason)
    if outcome.item is not None:
        seen.item = outcome.item
    seen.attempts = seen.attempts + 1 if outcome.status == FAILED else 0
    seen.save()


def _kept(reason) -> str:
    """A reason as SeenEntry keeps it: the message (rendered when shown), or its first 2,000
    characters in English when it is too long to keep whole."""
    text = stored_text(reason)
    return text if len(text) <= 4000 else str(reason)[:2000]


def record_failure(feed: Feed | None, guid: str, fingerprint: str | None, outcome: ImportOutcome) -> None:
    """``remember_entry`` for an entry that failed before anything was written (its own transaction)."""
    if feed is None or not guid:
        return
    with transaction.atomic():
        remember_entry(feed, guid, fingerprint, outcome)
