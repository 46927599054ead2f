"""The importer's settings, read at call time (so tests and overrides take effect).

Their defaults live in one place, babelpress/settings/base.py, with the other BABELPRESS_* variables.
"""

from __future__ import annotations

from django.conf import settings

from babelpress.user_agent import USER_AGENT


def max_bytes() -> int:
    return int(settings.BABELPRESS_IMPORT_MAX_BYTES)


def timeout() -> float:
    return float(settings.BABELPRESS_IMPORT_TIMEOUT)


def fetch_budget() -> float:
    """Seconds one fetch may take in all: DNS, robots.txt, connecting, headers, redirects and body."""
    return float(settings.BABELPRESS_IMPORT_FETCH_BUDGET)


def user_agent() -> str:
    return settings.BABELPRESS_IMPORT_USER_AGENT or USER_AGENT


def default_interval() -> int:
    """Minutes between two polls of a new feed."""
    return int(settings.BABELPRESS_IMPORT_DEFAULT_INTERVAL)


def max_items_per_poll() -> int:
    """New or changed entries imported per poll; the rest wait for the next poll."""
    return int(settings.BABELPRESS_IMPORT_MAX_ITEMS_PER_POLL)


def content_languages() -> list[str]:
    return list(settings.BABELPRESS_CONTENT_LANGUAGES)
