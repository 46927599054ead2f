"""robots.txt read as RFC 9309 says (ingest/robots.py, with protego), and remembered per site for as
long as each answer deserves (cachetools), without the network: ``load`` stands in for the fetcher."""

from __future__ import annotations

import httpx
import pytest
from cachetools import TLRUCache

from babelpress.ingest import robots
from babelpress.ingest.errors import HTTPStatusError
from babelpress.user_agent import USER_AGENT

RULES = b"""User-agent: *
Disallow: /
Allow: /news/
Disallow: /*.pdf$

User-agent: babelpress-archive
Allow: /
"""


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    """A fresh robots.txt cache on a clock moved by hand (tests do not sleep)."""
    clock = Clock()
    cache = TLRUCache(maxsize=robots.ROBOTS_CACHE_SITES, ttu=lambda _o, value, now: now + value[1], timer=clock)
    monkeypatch.setattr(robots, "_robots_cache", cache)
    return clock


def site(body: bytes = RULES, status: int | None = None):
    loads = []

    def load(url: str) -> bytes:
        loads.append(url)
        if status is not None:
            raise HTTPStatusError(f"{url} answered HTTP {status}", url, status)
        return body

    return load, loads


def allowed(path: str, load) -> bool:
    return robots.allows(httpx.URL(f"https://partner.example{path}"), load, [], USER_AGENT)[0]


@pytest.mark.parametrize(("path", "verdict"), [
    ("/news/bridge.html", True),    # "Allow: /news/" is longer than "Disallow: /": the longest match wins
    ("/about", False),
    ("/news/report.pdf", False),    # wildcards and "$" are rules, not literal characters
    ("/news/report.pdf?page=2", True),
])
def test_the_most_specific_rule_wins(clock, path, verdict):
    load, _ = site()
    assert allowed(path, load) is verdict


def test_a_group_for_another_product_does_not_apply_to_us(clock):
    load, _ = site(b"User-agent: babelpress-archive\nDisallow: /\n")
    assert allowed("/news/a", load)


def test_an_answer_is_kept_a_day_and_a_failure_ten_minutes(clock):
    load, loads = site()
    allowed("/news/a", load)
    clock.now += robots.ROBOTS_CACHE_SECONDS - 1
    allowed("/news/b", load)
    assert len(loads) == 1
    clock.now += 2
    allowed("/news/c", load)
    assert len(loads) == 2

    down, tries = site(status=503)
    warnings: list[str] = []
    assert robots.allows(httpx.URL("https://down.example/a"), down, warnings, USER_AGENT)[0]
    assert "could not be read (HTTP 503)" in warnings[0]
    clock.now += robots.ROBOTS_RETRY_SECONDS + 1
    robots.allows(httpx.URL("https://down.example/a"), down, [], USER_AGENT)
    assert len(tries) == 2


def test_the_cache_holds_a_bounded_number_of_sites(clock, monkeypatch):
    monkeypatch.setattr(robots, "_robots_cache", TLRUCache(maxsize=2, ttu=lambda _o, v, now: now + v[1], timer=clock))
    load, loads = site()
    for host in ("a.example", "b.example", "c.example", "a.example"):
        robots.allows(httpx.URL(f"https://{host}/news/x"), load, [], USER_AGENT)
    assert len(robots._robots_cache) == 2 and len(loads) == 4  # a.example was forgotten, then asked again
