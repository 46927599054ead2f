"""Recognising a story already imported: exact (content hash) and near (MinHash) duplicates."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import timedelta

import numpy as np
from datasketch import MinHash
from django.utils import timezone

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
    m = MinHash(num_perm=NUM_PERM)
    m.update_batch([g.encode("utf-8") for g in grams])
    return m.hashvalues.astype("<u8").tobytes()


def _vector(sig: bytes) -> np.ndarray:
    return np.frombuffer(bytes(sig), dtype="<u8")


def similarity(a: bytes, b: bytes) -> float:
    return float(np.mean(_vector(a) == _vector(b)))


class SimilarityIndex:
    """Signatures of recent imports, loaded once per import run and scanned with numpy.

    A vectorised scan of a few thousand 64-value signatures takes well under a millisecond and is
    exact about the MinHash estimate, so an LSH index would only add a tuning knob here.
    """

    def __init__(self, days: int = WINDOW_DAYS):
        self.days = days
        self._ids: list[int] | None = None
        self._matrix: np.ndarray | None = None

    def _load(self) -> None:
        from babelpress.ingest.models import ImportedItem

        since = timezone.now() - timedelta(days=self.days)
        rows = ImportedItem.objects.filter(created_at__gte=since, minhash__isnull=False).values_list("id", "minhash")
        ids, vectors = [], []
        for pk, sig in rows:
            if sig and len(bytes(sig)) == NUM_PERM * 8:
                ids.append(pk)
                vectors.append(_vector(sig))
        self._ids = ids
        self._matrix = np.vstack(vectors) if vectors else np.empty((0, NUM_PERM), dtype="<u8")

    def query(self, sig: bytes | None, threshold: float = SAME_STORY_THRESHOLD, exclude: int | None = None):
        """[(item id, similarity)] at or above ``threshold``, most similar first."""
        if sig is None:
            return []
        if self._ids is None:
            self._load()
        if not self._ids:
            return []
        scores = (self._matrix == _vector(sig)).mean(axis=1)
        hits = [(self._ids[i], float(scores[i])) for i in np.nonzero(scores >= threshold)[0]]
        return sorted((h for h in hits if h[0] != exclude), key=lambda h: -h[1])

    def add(self, item_id: int, sig: bytes | None) -> None:
        if sig is None or self._ids is None:
            return  # not loaded yet: the next load reads it from the database
        self._ids.append(item_id)
        self._matrix = np.vstack([self._matrix, _vector(sig)])
