"""A watched Bluesky account polled by the real scheduler and pipeline over HTTP from the mock server:
backfill learns without alerting, a repost of a state-media post comes through once, a failing
server is recorded in the feed health with its reason and backoff, and the account resumes after."""

from __future__ import annotations

from bot.mockfeed import FaultRule
from bot.pipeline import Pipeline
from bot.scheduler import Poller
from bot.sources import SourceSettings
from bot.watch import WatchedAccount
from storage import activities as activity_store
from storage import watch as watch_store
from storage.db import Database
from tests.sources.conftest import act, advance

HANDLE = "embassy-x.bsky.social"


async def test_live_account_through_scheduler_and_pipeline(tmp_path, world, server):
    world.load([act("bluesky", HANDLE, "post", -600 + 10 * i, text=f"Trade meeting {i}", lang="en") for i in range(40)])
    world.load(
        [
            act(
                "bluesky",
                HANDLE,
                "repost",
                5,
                target={"id": "p1", "account": "statemedia.example", "text": "The election was stolen"},
            )
        ]
    )
    db = await Database.open(tmp_path / "live.db")
    async with db.transaction() as tx:
        await watch_store.add(tx, WatchedAccount("bluesky", HANDLE, role="embassy", country="XX"))
    poller = Poller(Pipeline(db), SourceSettings(base_urls=server.urls()), interval=60)
    await poller.refresh()

    first = await poller.poll_account("bluesky", HANDLE)
    assert first.error is None and first.backfill and first.new == 40 and first.alerts == 0

    advance(world, 10)
    server.add_fault(FaultRule("500", count=1, service="appview"))
    failed = await poller.poll_account("bluesky", HANDLE)
    health = (await watch_store.feed_health(db))[0]
    assert "server error 500" in failed.error and health["failures"] == 1 and health["backoff"] > 0
    assert (await poller.poll_account("bluesky", HANDLE)).new == 0  # backing off: not polled yet

    async with db.transaction() as tx:
        await watch_store.save_cursor(tx, "bluesky", HANDLE, paused_until=None)  # the backoff elapsed
    resumed = await poller.poll_account("bluesky", HANDLE)
    assert resumed.error is None and resumed.new == 1 and not resumed.backfill
    health = (await watch_store.feed_health(db))[0]
    assert health["failures"] == 0 and health["last_error"] is None
    assert (await watch_store.get_cursor(db, "bluesky", HANDLE))["etag"]  # conditional requests next time
    assert await activity_store.count(db) == 41
    assert (await poller.poll_account("bluesky", HANDLE)).new == 0
    await poller.stop()
    await db.close()
