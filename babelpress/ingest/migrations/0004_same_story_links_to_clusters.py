"""Same-story links become clusters: every pairwise SameStory row (a complete graph between
near-duplicates) is folded into one StoryCluster per connected group, each import gets the
closest earlier import it was linked to as ``near_duplicate_of``, recent signatures get their LSH
band keys (0004 then drops SameStory). Plain ORM and bulk statements: SQLite and PostgreSQL alike,
memory in proportion to the number of imports (never to the number of links).
"""

from collections import defaultdict
from datetime import timedelta

from django.core.management.color import no_style
from django.db import migrations, models
from django.utils import timezone

BATCH = 500


def _root(parent: dict, x: int) -> int:
    while parent.get(x, x) != x:
        parent[x] = parent.get(parent[x], parent[x])  # path halving
        x = parent[x]
    return x


def links_to_clusters(apps, schema_editor):
    db = schema_editor.connection.alias
    Item = apps.get_model("ingest", "ImportedItem")
    Link = apps.get_model("ingest", "SameStory")
    Cluster = apps.get_model("ingest", "StoryCluster")

    parent: dict[int, int] = {}
    closest: dict[int, tuple[int, float]] = {}  # later import -> (earlier import, similarity)
    for a, b, score in Link.objects.using(db).values_list("item_a_id", "item_b_id", "similarity").iterator(2000):
        ra, rb = _root(parent, a), _root(parent, b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # the root is the group's first import
        later, earlier = max(a, b), min(a, b)
        if later not in closest or score > closest[later][1]:
            closest[later] = (earlier, score)

    # A cluster's id is its first import's id: singletons then need no statement of their own.
    groups: dict[int, list[int]] = defaultdict(list)
    sizes: dict[int, int] = defaultdict(int)
    for pk in Item.objects.using(db).values_list("pk", flat=True).iterator(2000):
        root = _root(parent, pk)
        sizes[root] += 1
        if root != pk:
            groups[root].append(pk)
    roots = sorted(sizes)
    for start in range(0, len(roots), BATCH):
        Cluster.objects.using(db).bulk_create(
            [Cluster(pk=root, size=sizes[root]) for root in roots[start:start + BATCH]])
    for root, members in groups.items():
        for start in range(0, len(members), BATCH):
            Item.objects.using(db).filter(pk__in=members[start:start + BATCH]).update(cluster=root)
    Item.objects.using(db).filter(cluster__isnull=True).update(cluster=models.F("pk"))  # the roots
    with schema_editor.connection.cursor() as cursor:  # ids were given: move PostgreSQL's sequence on
        for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [Cluster]):
            cursor.execute(sql)

    later = sorted(closest)
    for start in range(0, len(later), BATCH):
        Item.objects.using(db).bulk_update(
            [Item(pk=pk, near_duplicate_of_id=closest[pk][0], near_duplicate_similarity=closest[pk][1])
             for pk in later[start:start + BATCH]], ["near_duplicate_of", "near_duplicate_similarity"])
    _index_recent_signatures(apps, db)


def _index_recent_signatures(apps, db):
    # The runtime's own band function: a later change of the banding needs a migration like this one.
    from babelpress.ingest.dedup import NUM_PERM, WINDOW_DAYS, band_keys

    Item = apps.get_model("ingest", "ImportedItem")
    Band = apps.get_model("ingest", "MinHashBand")
    since = timezone.now() - timedelta(days=WINDOW_DAYS)
    rows = Item.objects.using(db).filter(created_at__gte=since, minhash__isnull=False).values_list("pk", "minhash")
    batch = []
    for pk, sig in rows.iterator(2000):
        if sig is not None and len(bytes(sig)) == NUM_PERM * 8:
            batch.extend(Band(item_id=pk, key=key) for key in band_keys(bytes(sig)))
        if len(batch) >= 5000:
            Band.objects.using(db).bulk_create(batch, batch_size=BATCH)
            batch = []
    Band.objects.using(db).bulk_create(batch, batch_size=BATCH)


def clusters_to_links(apps, schema_editor):
    """Backwards: each import linked to its near-duplicate (a star per cluster, not every pair)."""
    db = schema_editor.connection.alias
    Item = apps.get_model("ingest", "ImportedItem")
    Link = apps.get_model("ingest", "SameStory")
    rows = Item.objects.using(db).filter(near_duplicate_of__isnull=False).values_list(
        "pk", "near_duplicate_of_id", "near_duplicate_similarity")
    Link.objects.using(db).bulk_create(
        [Link(item_a_id=min(a, b), item_b_id=max(a, b), similarity=s or 0.0) for a, b, s in rows.iterator(2000)],
        batch_size=BATCH, ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ('ingest', '0003_story_clusters'),
    ]

    operations = [
        migrations.RunPython(links_to_clusters, clusters_to_links),
    ]
