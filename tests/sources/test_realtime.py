"""Jetstream wired into the live paths (tier 4 over real sockets, plus tier 1 for the settings): the
bot's and `watch run`'s `Streams` follow the watch list, keep polling as reconciliation, and fill a
gap longer than the replay window with a poll."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import sys
from pathlib import Path

import pytest

from bot.mockfeed import MockFeedServer
from bot.pipeline import Pipeline
from bot.realtime import PUBLIC_APPVIEW, Streams, jetstream_instances
from bot.scheduler import Poller
from bot.sources import SourceSettings
from bot.sources.jetstream import CURSOR_NAME, CURSOR_PLATFORM, INSTANCES
from bot.watch import HEADLESS, WatchedAccount
from storage import activities as activity_store
from storage import watch as watch_store
from storage.db import Database
from tests.sources.conftest import act, advance
from tests.waiting import WAIT, until

ROOT = Path(__file__).resolve().parents[2]
HANDLE = "embassy-x.bsky.social"
OTHER = "mfa-y.bsky.social"


def test_where_the_stream_comes_from():
    assert jetstream_instances("", PUBLIC_APPVIEW) == INSTANCES
    assert jetstream_instances("", "http://127.0.0.1:8080") == ()  # a mock or private AppView: not the public stream
    assert jetstream_instances("off", PUBLIC_APPVIEW) == ()
    assert jetstream_instances("ws://127.0.0.1:1, ws://127.0.0.1:2/", "http://x") == (
        "ws://127.0.0.1:1",
        "ws://127.0.0.1:2",
    )
    with pytest.raises(ValueError, match="ws://"):
        jetstream_instances("http://127.0.0.1:1", PUBLIC_APPVIEW)


@pytest.fixture
async def live(world, tmp_path):
    """The mock feed server with its Jetstream, a pipeline on a real SQLite file, a poller and its streams."""
    world.load(
        [act("bluesky", HANDLE, "post", -30, text="history"), act("bluesky", OTHER, "post", -30, text="other history")]
    )
    async with MockFeedServer(world, jetstream=True) as server:
        db = await Database.open(tmp_path / "live.db")
        pipeline = Pipeline(db)
        poller = Poller(pipeline, SourceSettings(base_urls=server.urls()), interval=60.0)
        streams = Streams(poller, backoff_base=0.05, backoff_cap=0.5)
        try:
            yield server, db, poller, streams
        finally:
            await streams.stop()
            await poller.stop()
            await db.close()


async def test_the_watch_list_changes_without_a_restart_and_polling_becomes_reconciliation(world, live):
    server, db, poller, streams = live
    jet = server.jetstream
    assert streams.consumer.instances == [jet.url] and streams.consumer.hydrator is not None
    async with db.transaction() as tx:
        await watch_store.add(tx, WatchedAccount("bluesky", HANDLE))
    await poller.refresh()
    assert (await poller.poll_account("bluesky", HANDLE)).backfill  # the first poll learns the baseline
    streams.start()
    await until(lambda: _is(jet.stats["wanted_dids"] == 1), "the subscription for one DID")
    connections = jet.stats["connections"]

    # While streaming, a poll of a streamed account waits for the reconciliation pace: no request.
    requests = server.stats["requests"]
    outcome = await poller.poll_account("bluesky", HANDLE)
    assert outcome.new == 0 and server.stats["requests"] == requests

    # A moderator adds an account (as `/watch add` or `diplowatch watch add` would): its first poll
    # joins it to the live subscription, with no reconnect.
    async with db.transaction() as tx:
        await watch_store.add(tx, WatchedAccount("bluesky", OTHER))
    await poller.refresh()
    await poller.poll_account("bluesky", OTHER)
    await until(lambda: _is(jet.stats["wanted_dids"] == 2), "the filter with both DIDs")
    base = await activity_store.count(db)
    world.load(
        [
            act(
                "bluesky",
                OTHER,
                "like",
                1,
                target={"id": "p1", "account": "statemedia.example", "text": "clip", "labels": ["porn"]},
            ),
            act(
                "bluesky", HANDLE, "repost", 2, target={"id": "p2", "account": "statemedia.example", "text": "our view"}
            ),
        ]
    )
    advance(world, 3)
    await until(lambda: _count_at_least(db, base + 2), "both streamed activities")
    assert jet.stats["connections"] == connections
    async with db.conn.execute("SELECT id, kind, record, raw FROM activities WHERE kind IN ('like', 'repost')") as cur:
        streamed = {row["kind"]: (json.loads(row["record"]), json.loads(row["raw"])) for row in await cur.fetchall()}
    like, like_raw = streamed["like"]
    # Hydrated as the poller would show it: the liked post's author by handle, its text and labels.
    assert like["target"]["account"] == "statemedia.example" and "porn" in like["target"]["labels"]
    assert "time_us" in like_raw["event"]
    assert streamed["repost"][0]["target"]["text"] == "our view"

    # The account is dropped from the watch list: the filter follows, still on the same connection.
    async with db.transaction() as tx:
        await watch_store.remove(tx, HEADLESS, "bluesky", OTHER)
    await poller.refresh()
    await until(lambda: _is(jet.stats["wanted_dids"] == 1), "the filter without the removed account")
    assert jet.stats["connections"] == connections

    # Reconciliation finds nothing the stream missed, and nothing is kept aside as a conflict.
    for handle in (HANDLE,):
        await poller.poll_account("bluesky", handle, force=True)
    assert await activity_store.count(db) == base + 2
    assert poller.pipeline.stats.conflicts == 0


async def test_when_the_stream_is_down_polling_takes_over_and_a_stale_cursor_is_filled_by_a_poll(world, live):
    server, db, poller, streams = live
    jet = server.jetstream
    async with db.transaction() as tx:
        await watch_store.add(tx, WatchedAccount("bluesky", HANDLE))
    await poller.refresh()
    await poller.poll_account("bluesky", HANDLE)
    # The stream was last read two days ago, longer than the replay window; meanwhile the account liked
    # something the instance no longer has.
    world.load([act("bluesky", HANDLE, "like", 1, target={"id": "p7", "account": "statemedia.example"})])
    advance(world, 2)
    await until(lambda: _is(len(jet.events) >= 1), "the like event")
    jet.forget_before(jet.events[-1]["time_us"] + 1)
    async with db.transaction() as tx:
        await watch_store.save_cursor(
            tx,
            CURSOR_PLATFORM,
            CURSOR_NAME,
            cursor=json.dumps({"v": 1, "time_us": jet.events[-1]["time_us"] - 48 * 3600 * 10**6 if jet.events else 1}),
        )
    streams.start()
    await until(lambda: _likes(db, 1), "the gap filled by a poll")
    assert streams.consumer.stats.gaps == 1

    # The instance goes away: polls of the account run at the normal pace again.
    jet.add_fault("refuse", count=10_000)
    await jet.drop_all()
    await until(lambda: _is(not streams.consumer.connected.is_set()), "the stream noticing it is down")
    assert streams.spacing("bluesky") is None
    world.load([act("bluesky", HANDLE, "post", 3, text="seen by polling")])
    advance(world, 4)
    outcome = await poller.poll_account("bluesky", HANDLE)
    assert outcome.error is None and outcome.new == 1


async def test_watch_run_streams_bluesky_and_prints_the_alert_from_the_stream(world, tmp_path):
    from tests.sources.test_watch_run import cursor_ok, line_with

    world.load([act("bluesky", HANDLE, "post", -300 + n, text=f"Routine statement {n}") for n in range(40)])
    db_path = tmp_path / "live.db"
    async with MockFeedServer(world, jetstream=True) as server:
        async with await Database.open(db_path) as db:
            async with db.transaction() as tx:
                await watch_store.add(tx, WatchedAccount("bluesky", HANDLE, role="embassy", country="XX"))
        env = dict(
            os.environ,
            PYTHONUNBUFFERED="1",
            **{f"DIPLOWATCH_{name.upper()}": url for name, url in server.urls().items()},
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "watch",
            "run",
            "--db",
            str(db_path),
            "--poll",
            "30",
            "--format",
            "json",
            cwd=ROOT,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            banner = await asyncio.wait_for(line_with(process.stderr, "Bluesky:"), WAIT)
            await until(lambda: _is(cursor_ok(db_path, HANDLE)), "the backfill poll")
            await until(lambda: _is(server.jetstream.stats["wanted_dids"] == 1), "the subscription")
            requests = server.stats["requests"]
            world.load(
                [
                    act(
                        "bluesky",
                        HANDLE,
                        "like",
                        1,
                        target={"id": "p9", "account": "hotclips.example", "text": "clip", "labels": ["porn"]},
                    )
                ]
            )
            advance(world, 2)
            line = await asyncio.wait_for(process.stdout.readline(), WAIT)
        finally:
            process.send_signal(signal.SIGTERM)
            _, err = await asyncio.wait_for(process.communicate(), WAIT)
    assert "streamed in real time" in banner
    alert = json.loads(line)
    assert alert["account"] == HANDLE and alert["kind"] == "like"
    # The stream brought it (its raw payload is the Jetstream event); the only requests since were the
    # hydration of the liked post, never a poll of the account's feed.
    with sqlite3.connect(db_path) as conn:
        raw = json.loads(conn.execute("SELECT raw FROM activities WHERE id = ?", (alert["activity_id"],)).fetchone()[0])
    assert "time_us" in raw["event"]
    assert server.stats["requests"] - requests <= 2
    assert process.returncode == 0 and "Traceback" not in err.decode(), err.decode()[-2000:]


async def _is(value: bool) -> bool:
    return value


async def _count_at_least(db, expected: int) -> bool:
    return await activity_store.count(db) >= expected


async def _likes(db, expected: int) -> bool:
    async with db.conn.execute("SELECT COUNT(*) FROM activities WHERE kind = 'like'") as cur:
        return (await cur.fetchone())[0] >= expected
