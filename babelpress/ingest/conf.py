"""The importer's settings, read at call time (so tests and overrides take effect) with defaults here."""

from __future__ import annotations

from django.conf import settings

from . import fetch as fetch_module


def max_bytes() -> int:
    return int(getattr(settings, "BABELPRESS_IMPORT_MAX_BYTES", fetch_module.DEFAULT_MAX_BYTES))


def timeout() -> float:
    return float(getattr(settings, "BABELPRESS_IMPORT_TIMEOUT", fetch_module.DEFAULT_TIMEOUT))


def fetch_budget() -> float:
    """Seconds one fetch may take in all: DNS, robots.txt, connecting, headers, redirects and body."""
    return float(getattr(settings, "BABELPRESS_IMPORT_FETCH_BUDGET", fetch_module.DEFAULT_TOTAL_TIMEOUT))


def user_agent() -> str:
    return getattr(settings, "BABELPRESS_IMPORT_USER_AGENT", "") or fetch_module.USER_AGENT


def default_interval() -> int:
    """Minutes between two polls of a new feed."""
    return int(getattr(settings, "BABELPRESS_IMPORT_DEFAULT_INTERVAL", 30))


def max_items_per_poll() -> int:
    """New or changed entries imported per poll; the rest wait for the next poll."""
    return int(getattr(settings, "BABELPRESS_IMPORT_MAX_ITEMS_PER_POLL", 50))


def content_languages() -> list[str]:
    return list(settings.BABELPRESS_CONTENT_LANGUAGES)
