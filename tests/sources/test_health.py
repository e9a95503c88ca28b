"""Feed health: backoff, pause with a reason, resume by itself, persisted across a restart."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from bot.mockfeed import FaultRule
from bot.sources import REGISTRY, SourceSettings
from bot.sources.health import BackoffPolicy, FeedHealth, health_from_row, poll_source
from bot.sources.http import FeedError, RateLimited
from storage import watch as watch_store
from storage.db import Database
from tests.sources.conftest import act, advance

POLICY = BackoffPolicy(base=10.0, cap=300.0, pause_after=3)


def test_backoff_doubles_with_jitter_and_is_capped():
    rng = random.Random(1)
    for failures, ceiling in [(1, 10), (2, 20), (3, 40), (4, 80), (9, 300)]:
        delays = [POLICY.delay(failures, rng) for _ in range(200)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert max(delays) - min(delays) > ceiling / 10  # really jittered


async def test_failing_source_is_paused_with_its_reason_then_resumes(world, server, source):
    world.load([act("rss", "mfa", "post", -5, text="first"), act("rss", "mfa", "post", 5, text="second")])
    feed, health, now, rng = source("rss", "mfa"), FeedHealth(), datetime.now(timezone.utc), random.Random(0)
    assert (await poll_source(feed, health, now=now, policy=POLICY, rng=rng)).result.backfill
    advance(world, 10)
    server.add_fault(FaultRule("500", count=3, service="rss"))
    outcomes = []
    for _ in range(3):
        if health.paused_until:  # not polled before its backoff is over
            early = health.paused_until - timedelta(seconds=1)
            assert (await poll_source(feed, health, now=early, policy=POLICY, rng=rng)).skipped
            now = health.paused_until
        outcomes.append(await poll_source(feed, health, now=now, policy=POLICY, rng=rng))
    assert [o.paused for o in outcomes] == [False, False, True]
    assert health.failures == 3 and "server error 500" in health.last_error
    assert health.describe(now, POLICY).startswith("paused after 3 failure(s): feed: server error 500")
    # The server works again: the next due poll resumes the source and nothing was lost.
    resumed = await poll_source(feed, health, now=health.paused_until, policy=POLICY, rng=rng)
    assert resumed.resumed and health.failures == 0 and health.paused_until is None
    assert [a.text for a in resumed.result.activities] == ["second"]
    assert health.describe(now).startswith("ok, last poll")


async def test_retry_after_sets_the_next_attempt(world, server, source):
    world.load([act("rss", "mfa", "post", -5, text="first")])
    server.add_fault(FaultRule("429", count=1, service="rss", retry_after=120))
    health, now = FeedHealth(), datetime.now(timezone.utc)
    outcome = await poll_source(source("rss", "mfa"), health, now=now, policy=POLICY, rng=random.Random(0))
    assert isinstance(outcome.error, RateLimited)
    assert (health.paused_until - now).total_seconds() >= 119


def test_budget_deferral_does_not_count_towards_a_pause():
    health, now = FeedHealth(failures=2), datetime.now(timezone.utc)
    health.failed(now, FeedError("budget used up", retry_after=5, counts_as_failure=False), POLICY, random.Random(0))
    assert health.failures == 2 and health.backoff == 5


async def test_health_and_cursor_survive_a_restart(tmp_path, world, server, source):
    world.load(
        [
            act("bluesky", "emb.bsky.example", "post", -5, text="before"),
            act("bluesky", "emb.bsky.example", "like", 5, target={"id": "p1", "account": "x.example"}),
        ]
    )
    db = await Database.open(tmp_path / "feeds.db")
    health, now = FeedHealth(), datetime.now(timezone.utc)
    outcome = await poll_source(source("bluesky", "emb.bsky.example"), health, now=now)
    async with db.transaction() as tx:
        await watch_store.save_cursor(
            tx,
            "bluesky",
            "emb.bsky.example",
            cursor=health.cursor,
            etag=health.etag,
            last_modified=health.last_modified,
            last_poll_at="2026-05-01T12:00:00Z",
            last_error="earlier trouble",
            failures=2,
            paused_until="2026-05-01T12:05:00Z",
            backoff=42.5,
        )
    await db.close()

    db = await Database.open(tmp_path / "feeds.db")  # the restart
    restored = health_from_row(await watch_store.get_cursor(db, "bluesky", "emb.bsky.example"))
    await db.close()
    assert (restored.failures, restored.backoff, restored.last_error) == (2, 42.5, "earlier trouble")
    assert restored.paused_until == datetime(2026, 5, 1, 12, 5, tzinfo=timezone.utc)
    assert restored.etag == health.etag and restored.etag
    # A brand-new source object resumes from the stored cursor: only what is new comes out.
    advance(world, 10)
    fresh = REGISTRY["bluesky"]("emb.bsky.example", SourceSettings(base_urls=server.urls()))
    after = await fresh.poll(restored.cursor)
    await fresh.aclose()
    assert outcome.result.backfill and not after.backfill
    assert [a.kind for a in after.activities] == ["like"]
