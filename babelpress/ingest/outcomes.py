"""What an import did: one story's outcome, the report on a document of many stories (a feed), and
the exception every step raises for a story that cannot be imported."""

from __future__ import annotations

from dataclasses import dataclass, field

from babelpress.newsroom.models import Article

from .messages import stored, stored_all
from .models import ImportedItem

NEW, UPDATED, PENDING, DUPLICATE, UNCHANGED, FAILED = (
    "new", "updated", "pending_update", "duplicate", "unchanged", "failed")
STATUSES = (NEW, UPDATED, PENDING, DUPLICATE, UNCHANGED, FAILED)


class ImportFailed(Exception):
    """A story (or a whole document) cannot be imported; ``str()`` is the reason, for people."""


@dataclass
class ImportOutcome:
    status: str
    article: Article | None = None
    item: ImportedItem | None = None
    reason: str = ""
    warnings: list[str] = field(default_factory=list)
    url: str = ""
    near_duplicate: tuple[Article, float] | None = None  # (closest earlier import's article, similarity)
    same_story_count: int = 0  # other imports in its same-story cluster

    @property
    def ok(self) -> bool:
        return self.status != FAILED


def failed(url: str, reason: str, warnings=None) -> ImportOutcome:
    return ImportOutcome(FAILED, reason=reason, url=url, warnings=list(warnings or []))


@dataclass
class Report:
    """What importing a document of many stories did: a feed polled or imported once, entry by entry."""

    url: str
    title: str = ""
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    failed: list[tuple[str, str]] = field(default_factory=list)  # (link or title, reason)
    outcomes: list[ImportOutcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str = ""  # the document itself could not be fetched or read
    retry_after: str | None = None
    not_modified: bool = False
    entries: int = 0
    remaining: int = 0  # entries left for the next run (per-run limit)
    etag: str | None = None
    last_modified: str | None = None
    moved_to: str | None = None  # permanent redirect: the feed's new address

    @property
    def new(self) -> int:
        return self.counts[NEW]

    @property
    def updated(self) -> int:
        return self.counts[UPDATED]

    @property
    def duplicate(self) -> int:
        return self.counts[DUPLICATE]

    def add(self, outcome: ImportOutcome) -> None:
        self.counts[outcome.status] += 1
        self.outcomes.append(outcome)
        if outcome.status == FAILED:
            self.failed.append((outcome.url, outcome.reason))

    @property
    def everything_failed(self) -> bool:
        """The document could not be read, or every entry tried failed."""
        if self.error:
            return True
        return bool(self.counts[FAILED]) and not any(self.counts[s] for s in STATUSES if s != FAILED)

    def summary(self) -> str:
        if self.error:
            return f"failed: {self.error}"
        if self.not_modified:
            return "not modified since the last poll"
        text = counts_line(self.counts)
        if self.remaining:
            text += f"; {self.remaining} more entries left for the next run"
        return text

    def as_dict(self) -> dict:
        return {
            "counts": dict(self.counts), "failed": [[link, stored(reason)] for link, reason in self.failed[:20]],
            "warnings": stored_all(self.warnings[:20]), "error": stored(self.error), "not_modified": self.not_modified,
            "entries": self.entries, "remaining": self.remaining,
        }


def counts_line(counts: dict) -> str:
    """'2 new, 0 updated, 1 duplicate, 0 failed', then pending updates and unchanged when any."""
    line = ", ".join(f"{counts.get(s, 0)} {s}" for s in (NEW, UPDATED, DUPLICATE, FAILED))
    return line + "".join(f", {counts[s]} {s.replace('_', ' ')}" for s in (PENDING, UNCHANGED) if counts.get(s))
