"""The translation memory: every segment an engine or a reviewer translated, by language pair and
source text, so the same text is never paid for twice and a reviewer's edit survives a new
translation of the story. Entries are ``MemoryEntry`` rows, one per source text and engine
("human" for reviewers' edits).
"""

from __future__ import annotations

from django.utils import timezone

from babelpress.translation.models import MemoryEntry, text_hash


def lookup_memory(source: str, target: str, hashes: set[str], engine_name: str) -> dict[str, MemoryEntry]:
    """Best memory entry per source hash: human edits first, then this engine, then any engine."""
    best: dict[str, MemoryEntry] = {}
    rank = lambda e: (e.human_edited, e.engine == engine_name, e.used_at)
    for entry in MemoryEntry.objects.filter(source_language=source, target_language=target, source_hash__in=hashes):
        if entry.source_hash not in best or rank(entry) > rank(best[entry.source_hash]):
            best[entry.source_hash] = entry
    return best


def remember(source: str, target: str, engine: str, pairs: list[tuple[str, str]], human: bool = False) -> None:
    """Store translated segments in the memory: one INSERT … ON CONFLICT UPDATE for the lot."""
    now = timezone.now()
    by_hash = {text_hash(source_text): (source_text, target_text) for source_text, target_text in pairs}
    if not by_hash:
        return
    MemoryEntry.objects.bulk_create(
        [
            MemoryEntry(source_language=source, target_language=target, source_hash=h, engine=engine,
                        source_text=source_text, target_text=target_text, human_edited=human, used_at=now)
            for h, (source_text, target_text) in by_hash.items()
        ],
        update_conflicts=True,
        unique_fields=["source_language", "target_language", "source_hash", "engine"],
        update_fields=["source_text", "target_text", "human_edited", "used_at"],
    )
