"""Recognising a story already imported: the same feed entry or address (``find_existing``), the
same text (content hash) and near duplicates (MinHash + LSH). The models are imported where they
are used: migrations import this module for its constants and ``band_keys``. numpy and datasketch
are imported where a signature is made or compared, not by the web workers that load this module
through the admin (tests/test_footprint.py)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from .messages import Message

if TYPE_CHECKING:
    import numpy as np

NUM_PERM = 64
SHINGLE_WORDS = 5
#: Estimated Jaccard similarity of word 5-shingles above which two texts tell the same story.
SAME_STORY_THRESHOLD = 0.8
#: Fewer shingles than this and the estimate is noise (a two-line brief): no linking.
MIN_SHINGLES = 20
#: How far back near-duplicates are looked for.
WINDOW_DAYS = 60

_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text or "").casefold())


def content_hash(headline: str, text: str) -> str:
    """SHA-256 of headline and text with case, punctuation and spacing ignored.

    The headline is part of it so that two different briefs whose body is only boilerplate
    ("Read the full story on our site") are not taken for one another.
    """
    normal = " ".join(words(headline)) + "\n" + " ".join(words(text))
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def shingles(text: str) -> set[str]:
    tokens = words(text)
    if len(tokens) < SHINGLE_WORDS:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i:i + SHINGLE_WORDS]) for i in range(len(tokens) - SHINGLE_WORDS + 1)}


def signature(text: str) -> bytes | None:
    """The MinHash signature of ``text`` as bytes (None when too short to compare)."""
    grams = shingles(text)
    if len(grams) < MIN_SHINGLES:
        return None
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM)
    m.update_batch([g.encode("utf-8") for g in grams])
    return m.hashvalues.astype("<u8").tobytes()


def _vector(sig: bytes) -> np.ndarray:
    import numpy as np

    return np.frombuffer(bytes(sig), dtype="<u8")


def similarity(a: bytes, b: bytes) -> float:
    import numpy as np

    return float(np.mean(_vector(a) == _vector(b)))


# --- Finding near-duplicates without reading every signature (LSH banding) -----------------------

#: The signature is cut into BANDS bands of ROWS values; two imports sharing one whole band are
#: candidates. These are what datasketch.MinHashLSH(threshold=0.8, num_perm=64, weights=(0.05, 0.95))
#: chooses (a test checks it): recall first, since every candidate is then compared exactly, and a
#: pair at 0.8 shares a band with probability 0.95, at 0.9 with 0.999. Changing them changes every
#: stored key: a migration must then rebuild MinHashBand.
BANDS, ROWS = 10, 6
#: Candidates read per band bucket, newest first: a story copied a thousand times costs the same
#: look-up as one copied twice (the bucket's newest copies are all in the same cluster anyway).
CANDIDATES_PER_BAND = 20


def band_keys(sig: bytes | None) -> list[int]:
    """One signed 64-bit key per band (the band number is part of the key), [] without a signature."""
    if sig is None:
        return []
    raw, width = bytes(sig), ROWS * 8
    return [int.from_bytes(hashlib.blake2b(bytes([band]) + raw[band * width:(band + 1) * width],
                                           digest_size=8).digest(), "big", signed=True)
            for band in range(BANDS)]


@dataclass(frozen=True)
class Match:
    item_id: int
    cluster_id: int
    similarity: float


class SimilarityIndex:
    """Near-duplicates among recent imports, found through their stored LSH band keys.

    A look-up reads at most BANDS × CANDIDATES_PER_BAND candidates off one database index and
    compares their signatures exactly, whatever the number of imports: no signature is loaded
    into memory ahead of time, and every worker process sees the same index. (datasketch's own
    MinHashLSH keeps its tables in memory, Redis or Cassandra: each process would have to load
    every signature of the window first.)
    """

    def __init__(self, days: int = WINDOW_DAYS):
        self.days = days

    def query(self, sig: bytes | None, threshold: float = SAME_STORY_THRESHOLD) -> list[Match]:
        """Recent imports at or above ``threshold``, most similar (then newest) first."""
        from babelpress.ingest.models import ImportedItem

        keys = band_keys(sig)
        candidates = _candidates(keys)
        if not candidates:
            return []
        since = timezone.now() - timedelta(days=self.days)
        rows = [(pk, cluster, bytes(other)) for pk, cluster, other in ImportedItem.objects.filter(
            pk__in=candidates, created_at__gte=since, minhash__isnull=False).values_list("pk", "cluster_id", "minhash")
            if other is not None and len(bytes(other)) == NUM_PERM * 8]
        if not rows:
            return []
        import numpy as np

        matrix = np.frombuffer(b"".join(r[2] for r in rows), dtype="<u8").reshape(len(rows), NUM_PERM)
        scores = (matrix == _vector(sig)).mean(axis=1)
        found = [Match(rows[i][0], rows[i][1], float(scores[i])) for i in np.nonzero(scores >= threshold)[0]]
        return sorted(found, key=lambda m: (-m.similarity, -m.item_id))

    def add(self, item_id: int, sig: bytes | None, *, replace: bool = False) -> None:
        """Store the band keys of an import (inside its transaction: a rollback takes them too);
        ``replace``: its text changed, the keys of the old one go."""
        from babelpress.ingest.models import MinHashBand

        if replace:
            MinHashBand.objects.filter(item_id=item_id).delete()
        MinHashBand.objects.bulk_create([MinHashBand(item_id=item_id, key=key) for key in band_keys(sig)])


def _candidates(keys: list[int]) -> set[int]:
    """Ids of the newest imports sharing each band key: one statement, one index range per band."""
    if not keys:
        return set()
    from babelpress.ingest.models import MinHashBand

    table = connection.ops.quote_name(MinHashBand._meta.db_table)
    item, key = (connection.ops.quote_name(MinHashBand._meta.get_field(f).column) for f in ("item", "key"))
    one = f"SELECT {item} FROM (SELECT {item} FROM {table} WHERE {key} = %s ORDER BY {item} DESC LIMIT %s) b{{n}}"
    sql = " UNION ALL ".join(one.format(n=n) for n in range(len(keys)))
    params = [value for k in keys for value in (k, CANDIDATES_PER_BAND)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


# --- The same story again: feed entry, address, canonical address --------------------------------

# The unique index on original_url is partial (files have none): spelling out its condition lets
# the database use it, where a bare ``original_url IN (…) OR …`` read every import (SQLite).
_HAS_URL = ~Q(original_url="")
#: A canonical address alone names the same story only when the texts are at least this alike.
SAME_CANONICAL_THRESHOLD = 0.3


def find_existing(candidate, feed):
    """The import ``candidate`` is a new version of, locked for update, or None: the same entry of
    ``feed``, else the same original or canonical address. Call inside the import's transaction."""
    from babelpress.ingest.models import ImportedItem, SeenEntry, guid_digest

    if feed is not None and candidate.guid:
        seen = SeenEntry.objects.select_for_update().filter(
            feed=feed, guid_hash=guid_digest(candidate.guid), item__isnull=False).first()
        if seen is not None:
            return ImportedItem.objects.select_for_update().get(pk=seen.item_id)
    urls = {u for u in (candidate.original_url, *candidate.other_urls) if u}
    if urls:
        found = ImportedItem.objects.select_for_update().filter(
            (Q(original_url__in=urls) & _HAS_URL) | Q(canonical_url__in=urls)).order_by("pk").first()
        if found is not None:
            return found
    if not candidate.canonical_url:
        return None
    found = ImportedItem.objects.select_for_update().filter(
        (Q(original_url=candidate.canonical_url) & _HAS_URL) | Q(canonical_url=candidate.canonical_url)
    ).order_by("pk").first()
    if found is not None and not _plausibly_same(found, candidate):
        # Some sites give every page the same canonical URL (a section page, say): a match on it
        # alone must not turn a different story into an "update" of the first one.
        candidate.warnings.append(
            Message(gettext_noop("the page names %(address)s as its canonical address, like another imported story "
                                 "with a different text: imported separately"), address=candidate.canonical_url))
        return None
    return found


def _plausibly_same(item, candidate) -> bool:
    if words(item.imported_headline) == words(candidate.headline):
        return True
    new = signature(candidate.text)
    if item.minhash is None or new is None:
        return False
    return similarity(bytes(item.minhash), new) >= SAME_CANONICAL_THRESHOLD
