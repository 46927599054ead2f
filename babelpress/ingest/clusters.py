"""Same-story clusters: imports that tell the same story, grouped under one id (union-find).

Every ImportedItem belongs to exactly one StoryCluster:

* a new import that is a near-duplicate of nothing starts a cluster of its own;
* one that is a near-duplicate of earlier imports joins the cluster of its best match;
* one whose matches lie in several clusters merges them: the items of the smaller clusters are
  re-pointed to the largest (union by size, so an item moves at most log₂ n times) and the emptied
  clusters are deleted.

An import therefore writes its own row and one cluster row (new, or a size update), plus the
re-pointed rows of a merge: linear in the number of imports, never one row per pair of copies.
A story's cluster is decided when it is first imported; a later update of its text keeps it.

Reading clusters (for the import record, and for Discovery's "Also covered by …"):

* ``others(item)``: the other imports of ``item``'s cluster, a queryset, first imported first;
* ``cluster_members(article, limit=20)``: the other stories told by the cluster of ``article``'s
  story (any of its language versions), as ``Members(articles, total)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef
from django.db.models.signals import post_delete
from django.dispatch import receiver

from babelpress.newsroom.models import Article

from .dedup import Match
from .models import ImportedItem, StoryCluster

#: Attempts at locking the clusters of an import's matches while other workers merge them.
_LOCK_ATTEMPTS = 5


class Busy(Exception):
    """Other workers kept merging the clusters this import matched; ``str()`` says what to do."""


def cluster_for(matches: list[Match]) -> tuple[StoryCluster, Match | None]:
    """The cluster a new import joins, its size already counting the import, and the best match
    still there (None: a cluster of its own). Call inside the import's transaction, then create
    the ImportedItem with ``cluster=`` the result.

    ``matches``: its near-duplicates, best first (``SimilarityIndex.query``).
    """
    for _ in range(_LOCK_ATTEMPTS):
        alive = _still_there(matches)
        current = list(dict.fromkeys(m.cluster_id for m in alive))
        if not current:  # no match, or every match deleted since the look-up
            return StoryCluster.objects.create(size=1), None
        # Locked in id order (no deadlock between two workers); a cluster merged away meanwhile is
        # gone from the result, and a match re-pointed meanwhile shows in the re-read: try again.
        locked = list(StoryCluster.objects.select_for_update().filter(pk__in=current).order_by("pk"))
        if {c.pk for c in locked} == set(current) and _still_there(matches) == alive:
            return _merge(locked, best=current[0]), alive[0]
    raise Busy("other imports of the same story were being grouped at the same moment: import this one again")


def _still_there(matches: list[Match]) -> list[Match]:
    """The matches that still exist, with the cluster each is in now (best first)."""
    stored = dict(ImportedItem.objects.filter(pk__in=[m.item_id for m in matches]).values_list("pk", "cluster_id"))
    return [Match(m.item_id, stored[m.item_id], m.similarity) for m in matches if m.item_id in stored]


def _merge(clusters: list[StoryCluster], best: int) -> StoryCluster:
    # The largest absorbs the others; on a tie, the best match's cluster (it is joined anyway).
    target = max(clusters, key=lambda c: (c.size, c.pk == best, -c.pk))
    moved = [c for c in clusters if c.pk != target.pk]
    if moved:
        ImportedItem.objects.filter(cluster__in=moved).update(cluster=target)
        StoryCluster.objects.filter(pk__in=[c.pk for c in moved]).delete()
    target.size += 1 + sum(c.size for c in moved)  # exact: every cluster involved is locked
    StoryCluster.objects.filter(pk=target.pk).update(size=target.size)
    return target


def others(item: ImportedItem):
    """The other imports of ``item``'s cluster (a queryset: slice it, count it), first imported first."""
    return (ImportedItem.objects.filter(cluster_id=item.cluster_id).exclude(pk=item.pk)
            .select_related("article__source").order_by("created_at", "pk"))


@dataclass
class Members:
    articles: list[Article] = field(default_factory=list)  # at most the limit asked for
    total: int = 0  # all of them


def cluster_members(article: Article, *, limit: int = 20) -> Members:
    """The other stories in the same-story cluster of ``article``'s story, first imported first.

    ``article`` may be any language version of an imported story; each member is the imported
    original of another story (its other languages: ``Article.get_translation``). A story that
    was not imported, or that no other import resembles, has no members. Two or three queries.
    """
    item = (ImportedItem.objects.filter(article__translation_key=article.translation_key)
            .only("pk", "cluster_id").first()) if article.translation_key else None
    if item is None:
        return Members()
    rest = others(item).exclude(article__translation_key=article.translation_key)
    found = [other.article for other in rest[: max(limit, 0)]]
    total = len(found) if len(found) < limit else rest.count()
    return Members(found, total)


@receiver(post_delete, sender=ImportedItem, dispatch_uid="ingest-cluster-forget")
def forget(sender, instance: ImportedItem, **kwargs) -> None:
    """A deleted import leaves its cluster; a cluster left empty is deleted."""
    StoryCluster.objects.filter(pk=instance.cluster_id, size__gt=0).update(size=F("size") - 1)
    StoryCluster.objects.filter(pk=instance.cluster_id).exclude(
        Exists(ImportedItem.objects.filter(cluster=OuterRef("pk")))).delete()
