"""Polling followed feeds: conditional GET, backoff, one poll per turn, and no item lost or imported
twice when a worker dies mid-feed. Partner feeds and pages are served on 127.0.0.1."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from babelpress.ingest import pipeline, polling
from babelpress.ingest.messages import english
from babelpress.ingest.models import Feed, ImportedItem, SeenEntry
from babelpress.ingest.tasks import poll_feed
from babelpress.newsroom.models import Article, Source

from ..corpus import corpus_dir
from .conftest import SLOW_HEADERS

NOW = timezone.now


def items(partner, *numbers):
    """Feed items whose pages exist on the partner site (one page per number)."""
    out = []
    for n in numbers:
        url = partner.page(f"/story/{n}", f"Story number {n} of the partner", seed=100 + n)
        out.append({"title": f"Story {n}", "link": url, "guid": f"urn:partner:{n}", "author": f"Reporter {n}"})
    return out


def due(feed: Feed) -> Feed:
    Feed.objects.filter(pk=feed.pk).update(next_poll_at=NOW() - timedelta(seconds=1), queued_at=None)
    feed.refresh_from_db()
    return feed


def page_fetches(server) -> list[str]:
    return [p for p in server.paths() if p.startswith("/story/")]


def close_to(value, expected, seconds=30) -> bool:
    return abs((value - expected).total_seconds()) < seconds


# --- One poll --------------------------------------------------------------------------------------


def test_a_due_feed_is_polled_its_entries_imported_and_its_validators_stored(partner):
    url = partner.feed("/feed.xml", items(partner, 1, 2, 3), headers={"ETag": '"v1"'}, title="Partner wire")
    agency = Source.objects.create(name="Partner Wire Agency")
    feed = Feed.objects.create(url=url, source=agency, section=partner.sections.culture, interval_minutes=20)

    result = poll_feed.call(feed.pk)

    assert result == "3 new, 0 updated, 0 duplicate, 0 failed"
    feed.refresh_from_db()
    assert (feed.last_status, feed.last_error, feed.failures, feed.items_seen) == ("ok", "", 0, 3)
    assert feed.etag == '"v1"' and feed.title == "Partner wire" and feed.queued_at is None
    assert close_to(feed.next_poll_at, NOW() + timedelta(minutes=20))
    articles = Article.objects.order_by("headline")
    assert [a.headline for a in articles] == ["Story number 1 of the partner", "Story number 2 of the partner",
                                              "Story number 3 of the partner"]
    for article in articles:
        assert article.source == agency and article.section == partner.sections.culture
        assert article.status == "review" and article.import_record.feed == feed
        assert article.author.name == "Jane Doe"  # the page's byline wins over the feed's
    assert feed.last_report["counts"]["new"] == 3


def test_not_modified_304_means_nothing_fetched_and_nothing_written(partner):
    url = partner.feed("/feed.xml", items(partner, 1, 2), headers={"ETag": '"v1"', "Last-Modified": "Mon, 02 Mar 2026 10:00:00 GMT"})
    feed = Feed.objects.create(url=url)
    poll_feed.call(feed.pk)
    partner.server.route("/feed.xml", status=304, headers={"ETag": '"v1"'})
    before = len(partner.server.requests)

    poll_feed.call(due(feed).pk)

    sent = partner.server.requests[before].headers
    assert sent["if-none-match"] == '"v1"' and sent["if-modified-since"] == "Mon, 02 Mar 2026 10:00:00 GMT"
    assert partner.server.paths()[before:] == ["/feed.xml"]  # no page fetched
    feed.refresh_from_db()
    assert feed.last_status == "not_modified" and feed.etag == '"v1"' and feed.failures == 0
    assert Article.objects.count() == 2


def test_entries_already_seen_and_unchanged_are_not_fetched_again(partner):
    url = partner.feed("/feed.xml", items(partner, 1, 2), headers={"ETag": '"v1"'})
    feed = Feed.objects.create(url=url)
    poll_feed.call(feed.pk)
    partner.feed("/feed.xml", items(partner, 3, 1, 2), headers={"ETag": '"v2"'})
    fetched_before = len(page_fetches(partner.server))

    assert poll_feed.call(due(feed).pk) == "1 new, 0 updated, 0 duplicate, 0 failed, 2 unchanged"

    assert page_fetches(partner.server)[fetched_before:] == ["/story/3"]
    assert Article.objects.count() == 3 and Feed.objects.get().etag == '"v2"'


def test_a_trusted_feed_publishes_an_untrusted_one_leaves_drafts_in_review(partner):
    trusted = Feed.objects.create(url=partner.feed("/trusted.xml", items(partner, 1)), trusted=True)
    untrusted = Feed.objects.create(url=partner.feed("/other.xml", items(partner, 2)))
    poll_feed.call(trusted.pk)
    poll_feed.call(untrusted.pk)
    assert ImportedItem.objects.get(feed=trusted).article.status == "published"
    assert ImportedItem.objects.get(feed=untrusted).article.status == "review"


def test_a_feed_that_moved_permanently_is_followed_to_its_new_address(partner):
    new_url = partner.feed("/new-feed.xml", items(partner, 1))
    partner.server.route("/old-feed.xml", status=301, headers={"Location": new_url})
    feed = Feed.objects.create(url=partner.url("/old-feed.xml"))
    poll_feed.call(feed.pk)
    assert Feed.objects.get().url == new_url


def test_per_poll_limit_leaves_the_rest_for_a_poll_minutes_later_without_saving_validators(partner, settings):
    settings.BABELPRESS_IMPORT_MAX_ITEMS_PER_POLL = 2
    feed = Feed.objects.create(url=partner.feed("/feed.xml", items(partner, 1, 2, 3), headers={"ETag": '"v1"'}))
    assert poll_feed.call(feed.pk) == "2 new, 0 updated, 0 duplicate, 0 failed; 1 more entries left for the next run"
    feed.refresh_from_db()
    assert feed.etag == "" and close_to(feed.next_poll_at, NOW() + polling.BACKLOG_DELAY)
    poll_feed.call(due(feed).pk)
    assert Article.objects.count() == 3 and Feed.objects.get().etag == '"v1"'


# --- Failures and backoff ------------------------------------------------------------------------


@pytest.mark.parametrize("interval, failures, expected", [
    (30, 0, timedelta(minutes=30)),
    (30, 1, timedelta(minutes=60)),
    (30, 2, timedelta(minutes=120)),
    (30, 5, timedelta(minutes=960)),
    (30, 6, timedelta(hours=24)),  # 32 h capped at 24 h
    (30, 500, timedelta(hours=24)),
    (60 * 48, 3, timedelta(hours=48)),  # a feed polled every two days never backs off to sooner
])
def test_backoff_doubles_the_interval_per_failure_up_to_a_day(interval, failures, expected):
    assert polling.backoff_delay(interval, failures) == expected


def test_failing_polls_back_off_and_show_their_error_then_recover(partner):
    partner.server.route("/feed.xml", status=503, body=b"down", headers={"Content-Type": "text/plain"})
    feed = Feed.objects.create(url=partner.url("/feed.xml"), interval_minutes=30)

    assert poll_feed.call(feed.pk).startswith("failed: ")
    feed.refresh_from_db()
    assert (feed.failures, feed.last_status) == (1, "error")
    assert "HTTP 503 Service Unavailable: the server failed; try again later" in english(feed.last_error)
    assert close_to(feed.next_poll_at, NOW() + timedelta(minutes=60))

    poll_feed.call(due(feed).pk)
    feed.refresh_from_db()
    assert feed.failures == 2 and close_to(feed.next_poll_at, NOW() + timedelta(minutes=120))

    partner.feed("/feed.xml", items(partner, 1))
    poll_feed.call(due(feed).pk)
    feed.refresh_from_db()
    assert (feed.failures, feed.last_status, feed.last_error) == (0, "ok", "")
    assert close_to(feed.next_poll_at, NOW() + timedelta(minutes=30))


def test_retry_after_is_honoured_when_longer_than_the_backoff(partner):
    partner.server.route("/feed.xml", status=429, headers={"Retry-After": "18000", "Content-Type": "text/plain"})
    feed = Feed.objects.create(url=partner.url("/feed.xml"), interval_minutes=30)
    poll_feed.call(feed.pk)
    feed.refresh_from_db()
    assert close_to(feed.next_poll_at, NOW() + timedelta(hours=5))


HOUR = timedelta(hours=1)


@pytest.mark.parametrize("retry_after, expected_delay", [
    ("²", 2 * HOUR),  # isdigit() says yes, int() says no: ignored, the usual backoff
    ("٣".encode().decode("latin-1"), 2 * HOUR),  # an Arabic-Indic digit, sent as UTF-8 bytes
    ("100000000000000000", 24 * HOUR),  # would overflow a timedelta: clamped to a day
    ("-5", 2 * HOUR),  # "now": never shorter than the backoff
    ("Fri, 31 Dec 9999 23:59:59 GMT", 24 * HOUR),  # far future: clamped
    ("Thu, 01 Jan 99999 00:00:00 GMT", 2 * HOUR),  # year out of range: ignored
    ("later, please", 2 * HOUR),  # garbage: ignored
])
def test_a_hostile_retry_after_is_recorded_as_the_failure_it_is(partner, editor, retry_after, expected_delay):
    partner.server.route("/feed.xml", status=503, body=b"busy",
                         headers={"Retry-After": retry_after, "Content-Type": "text/plain"})
    feed = Feed.objects.create(url=partner.url("/feed.xml"), interval_minutes=60)

    assert poll_feed.call(feed.pk).startswith("failed: ")

    feed.refresh_from_db()
    assert (feed.last_status, feed.failures, feed.queued_at) == ("error", 1, None)
    assert "HTTP 503 Service Unavailable: the server failed; try again later" in english(feed.last_error)
    assert close_to(feed.next_poll_at, NOW() + expected_delay)
    feed_list = editor.get("/admin/ingest/feed/").content.decode()
    assert "HTTP 503 Service Unavailable" in feed_list


def test_a_feed_whose_poll_cannot_be_recorded_still_shows_an_error_and_is_not_held(partner, monkeypatch):
    feed = Feed.objects.create(url=partner.feed("/feed.xml", items(partner, 1)), interval_minutes=30)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(polling, "record_poll", broken)
    with pytest.raises(RuntimeError):
        poll_feed.call(feed.pk)

    feed.refresh_from_db()
    assert (feed.last_status, feed.failures, feed.queued_at) == ("error", 1, None)
    assert "Internal error while recording the poll: RuntimeError('disk full')" in english(feed.last_error)
    assert close_to(feed.next_poll_at, NOW() + timedelta(minutes=60))  # the backoff, not the 30-minute lease


def test_a_feed_that_dribbles_its_headers_fails_within_the_fetch_budget(partner, dribbling_server, settings):
    settings.BABELPRESS_IMPORT_FETCH_BUDGET = 1
    slow = dribbling_server(SLOW_HEADERS, interval=0.05)
    feed = Feed.objects.create(url=slow.url("/feed.xml"), respect_robots=False)

    started = time.monotonic()
    poll_feed.call(feed.pk)

    assert time.monotonic() - started < 2
    feed.refresh_from_db()
    assert feed.last_status == "error" and "longer than the 1 s allowed" in english(feed.last_error)


def test_some_failed_items_make_a_partial_poll_not_a_failure(partner):
    good = items(partner, 1)
    bad = [{"title": "Gone", "link": partner.url("/gone"), "guid": "gone"}]
    feed = Feed.objects.create(url=partner.feed("/feed.xml", good + bad))
    poll_feed.call(feed.pk)
    feed.refresh_from_db()
    assert feed.last_status == "partial" and feed.failures == 0
    assert english(feed.last_error).startswith(f"1 item(s) failed: {partner.url('/gone')}: ")
    assert "HTTP 404" in english(feed.last_error)


def test_an_entry_that_keeps_failing_is_given_up_until_it_changes(partner):
    bad = [{"title": "Gone", "link": partner.url("/gone"), "guid": "gone"}]
    feed = Feed.objects.create(url=partner.feed("/feed.xml", bad))
    for _ in range(pipeline.MAX_ENTRY_ATTEMPTS + 2):
        poll_feed.call(due(feed).pk)
    assert partner.server.paths().count("/gone") == pipeline.MAX_ENTRY_ATTEMPTS
    assert "(failed 3 times; tried again when the entry changes)" in english(Feed.objects.get().last_error)


# --- Scheduling: once per turn, nothing lost, nothing twice -------------------------------------


def test_due_feeds_are_queued_once_even_when_the_scheduler_runs_again(partner):
    due_feed = Feed.objects.create(url=partner.url("/a.xml"))
    Feed.objects.create(url=partner.url("/b.xml"), next_poll_at=NOW() + timedelta(hours=1))
    Feed.objects.create(url=partner.url("/c.xml"), active=False)

    assert polling.enqueue_due_feeds() == 1
    assert polling.enqueue_due_feeds() == 0  # still waiting for a worker: not queued again
    jobs = list(DBTaskResult.objects.all())
    assert len(jobs) == 1 and jobs[0].args_kwargs["args"] == [due_feed.pk]

    # a queued job that never ran (its worker died) is queued again once the lease has passed
    assert polling.enqueue_due_feeds(now=NOW() + polling.LEASE + timedelta(minutes=1)) == 1


def test_a_duplicated_job_polls_the_feed_once(partner):
    feed = Feed.objects.create(url=partner.feed("/feed.xml", items(partner, 1, 2)))
    first = poll_feed.call(feed.pk)
    second = poll_feed.call(feed.pk)  # the same job, enqueued twice
    assert first == "2 new, 0 updated, 0 duplicate, 0 failed"
    assert second == "skipped: not due (already polled, being polled, or inactive)"
    assert partner.server.paths().count("/feed.xml") == 1
    assert Article.objects.count() == 2


def test_a_claim_is_taken_by_one_contender_only(partner):
    feed = Feed.objects.create(url=partner.url("/feed.xml"))
    assert [polling.claim(feed.pk), polling.claim(feed.pk)] == [True, False]
    feed.refresh_from_db()
    assert close_to(feed.next_poll_at, NOW() + polling.LEASE)


class WorkerKilled(BaseException):
    """What a SIGKILL looks like from inside: not an Exception, nothing after it runs."""


def test_a_worker_killed_mid_feed_loses_nothing_and_imports_nothing_twice(partner, monkeypatch):
    feed = Feed.objects.create(url=partner.feed("/feed.xml", items(partner, 1, 2, 3, 4), headers={"ETag": '"v1"'}))
    real_import = pipeline.import_entry
    calls = []

    def dies_on_the_third(entry, *args, **kwargs):
        calls.append(entry.guid)
        if len(calls) == 3:
            raise WorkerKilled
        return real_import(entry, *args, **kwargs)

    monkeypatch.setattr(pipeline, "import_entry", dies_on_the_third)
    with pytest.raises(WorkerKilled):
        poll_feed.call(feed.pk)
    feed.refresh_from_db()
    assert Article.objects.count() == 2
    assert feed.etag == ""  # not saved: the next poll downloads the whole feed again
    assert feed.next_poll_at > NOW()  # still claimed by the dead worker, until the lease runs out

    monkeypatch.setattr(pipeline, "import_entry", real_import)
    # The restarted worker: once the lease has passed the scheduler queues the feed again.
    Feed.objects.filter(pk=feed.pk).update(next_poll_at=NOW() - timedelta(seconds=1))
    assert polling.enqueue_due_feeds(now=NOW() + polling.LEASE) == 1
    assert poll_feed.call(feed.pk) == "2 new, 0 updated, 0 duplicate, 0 failed, 2 unchanged"
    assert poll_feed.call(feed.pk).startswith("skipped")  # the job it queued, now a duplicate

    assert Article.objects.count() == ImportedItem.objects.count() == SeenEntry.objects.count() == 4
    assert sorted(ImportedItem.objects.values_list("guid", flat=True)) == [f"urn:partner:{n}" for n in (1, 2, 3, 4)]
    assert Feed.objects.get().etag == '"v1"'


def test_a_story_rewritten_in_the_feed_updates_its_article_rather_than_adding_one(partner):
    feed = Feed.objects.create(url=partner.feed("/feed.xml", items(partner, 1)))
    poll_feed.call(feed.pk)
    partner.page("/story/1", "Story number 1, updated", seed=101)
    changed = items(partner, 1)
    changed[0]["title"] = "Story 1 (updated)"
    partner.page("/story/1", "Story number 1, updated", seed=101)
    partner.feed("/feed.xml", changed)
    assert poll_feed.call(due(feed).pk) == "0 new, 1 updated, 0 duplicate, 0 failed"
    assert Article.objects.get().headline == "Story number 1, updated"


# --- Real feeds, end to end ----------------------------------------------------------------------

def real_feeds() -> Path:
    return corpus_dir() / "feeds" / "real"


def small_real_feeds(count: int = 4) -> list[tuple[str, dict]]:
    index = json.loads((real_feeds() / "index.json").read_text())
    chosen = [(name, meta) for name, meta in sorted(index.items())
              if meta["bytes"] < 60_000 and 5 <= meta["items"] <= 20 and (meta["lang"] or "en").startswith("en")]
    return chosen[:count]


def test_real_world_feeds_import_end_to_end(partner):
    """Real feeds served locally; their links lead off 127.0.0.1, so each story falls back to the
    text the feed carries (the network jail fails the test if anything tries to leave)."""
    chosen = small_real_feeds()
    assert len(chosen) == 4
    total_new = 0
    for name, meta in chosen:
        path = f"/real/{name}.xml"
        partner.server.route(path, body=(real_feeds() / name).read_bytes(), headers={"Content-Type": "application/xml"})
        feed = Feed.objects.create(url=partner.url(path))
        report = polling.poll(feed)
        feed.refresh_from_db()
        assert not report.error, (name, report.error)
        assert report.entries == meta["items"], name
        assert sum(report.counts.values()) == report.entries, (name, report.counts)
        assert report.new >= 1, (name, report.failed)
        assert all(reason for _, reason in report.failed), name
        assert feed.last_status in ("ok", "partial") and feed.failures == 0
        total_new += report.new
    assert Article.objects.count() == ImportedItem.objects.count() == total_new
    for article in Article.objects.select_related("source"):
        assert article.source is not None and article.status == "review"  # credited, waiting for review
        assert article.headline and article.body
