"""Bluesky through Jetstream over a real WebSocket (tier 4): the mock Jetstream and the mock AppView/PDS
serve one world, so the stream and the poller see the same records."""

from __future__ import annotations

import asyncio
import json
import socket

import pytest

from bot.mockfeed.jetstream import MockJetstream
from bot.pipeline import Pipeline
from bot.scheduler import Poller
from bot.sources.jetstream import BLOCK, CURSOR_NAME, CURSOR_PLATFORM, JetstreamConsumer
from bot.watch import WatchedAccount
from storage import activities as activity_store
from storage import watch as watch_store
from storage.db import Database, writing
from tests.sources.conftest import act, advance
from tests.waiting import WAIT, until

HANDLE = "embassy-x.bsky.social"
OTHER = "mfa-y.bsky.social"


async def rows(db) -> list[tuple[str, str]]:
    async with db.conn.execute("SELECT id, kind FROM activities WHERE platform = 'bluesky' ORDER BY id") as cur:
        return [(r[0], r[1]) for r in await cur.fetchall()]


@pytest.fixture
async def jetstream(world):
    async with MockJetstream() as running:
        running.attach(world)
        yield running


@pytest.fixture
async def app(tmp_path, settings):
    """A pipeline on a real SQLite file and a poller on the mock feed server."""
    db = await Database.open(tmp_path / "diplowatch.db")
    pipeline = Pipeline(db)
    poller = Poller(pipeline, settings, interval=60.0)
    yield db, pipeline, poller
    await poller.stop()
    await db.close()


async def watch_and_backfill(db, poller, *handles: str) -> None:
    for handle in handles:
        async with db.transaction() as tx:
            await watch_store.add(tx, WatchedAccount("bluesky", handle))
    await poller.refresh()
    for handle in handles:
        outcome = await poller.poll_account("bluesky", handle)
        assert outcome.error is None and outcome.backfill


def consumer_for(pipeline, poller, jetstream, **options) -> JetstreamConsumer:
    return JetstreamConsumer(
        pipeline, instances=options.pop("instances", [jetstream.url]), backoff_base=0.05, backoff_cap=0.5, **options
    )


async def test_every_kind_arrives_once_with_the_ids_the_poller_gives(world, server, jetstream, app):
    db, pipeline, poller = app
    world.load(
        [
            act("bluesky", HANDLE, "post", -30, id="old-post", text="Happy national day"),
            act("bluesky", HANDLE, "like", -20, target={"id": "p9", "account": "critic.example", "text": "criticism"}),
            act("bluesky", HANDLE, "follow", -18, target={"account": "someone.bsky.social"}),
        ]
    )
    await watch_and_backfill(db, poller, HANDLE)
    stream = consumer_for(pipeline, poller, jetstream)
    await stream.refresh()
    stream.start()
    try:
        await asyncio.wait_for(stream.connected.wait(), WAIT)
        await until(lambda: _async(jetstream.stats["hellos"] >= 1), "the subscription's hello")
        before = await activity_store.count(db)
        world.load(
            [
                act("bluesky", HANDLE, "post", 1, text="We stand with our partners #diplomacy"),
                act(
                    "bluesky", HANDLE, "reply", 2, text="We disagree", target={"id": "p2", "account": "critic.example"}
                ),
                act(
                    "bluesky",
                    HANDLE,
                    "quote",
                    3,
                    text="Read this",
                    target={"id": "p3", "account": "statemedia.example"},
                ),
                act("bluesky", HANDLE, "repost", 4, target={"id": "p1", "account": "statemedia.example"}),
                act("bluesky", HANDLE, "like", 5, target={"id": "p4", "account": "adult.example", "text": "clip"}),
                act("bluesky", HANDLE, "unlike", 6, target={"id": "p9", "account": "critic.example"}),
                act("bluesky", HANDLE, "unfollow", 7, target={"account": "someone.bsky.social"}),
                act("bluesky", HANDLE, "delete", 8, target={"id": "old-post"}),
                act("bluesky", HANDLE, "profile", 9, profile={"name": "Hacked", "bio": "gm"}),
                act("bluesky", HANDLE, "status", 10, status="deactivated"),
            ]
        )
        advance(world, 11)
        await until(lambda: _count_is(db, before + 10), "ten streamed activities")
        streamed = await rows(db)
        kinds = sorted(kind for _, kind in streamed)
        assert kinds.count("delete") == 1 and kinds.count("unlike") == 1 and kinds.count("unfollow") == 1
        assert {"post", "reply", "quote", "repost", "like", "profile", "status"} <= set(kinds)
        unlike = next(i for i, k in streamed if k == "unlike")
        assert (await activity_store.get(db, "bluesky", unlike)).target["id"].startswith("at://")
        profile = next(i for i, k in streamed if k == "profile")
        assert (await activity_store.get(db, "bluesky", profile)).profile["name"] == "Hacked"

        # The account is deactivated now, so reactivate it for the poller to see everything again.
        world.load([act("bluesky", HANDLE, "status", 12, status="active")])
        advance(world, 2)
        await until(lambda: _count_is(db, before + 11), "the reactivation")
        # Reconciliation: the poller looks at the same account and finds nothing it has not got.
        outcome = await poller.poll_account("bluesky", HANDLE)
        assert outcome.error is None
        assert await activity_store.count(db) == before + 11
    finally:
        await stream.stop()


async def test_restart_resumes_from_the_stored_cursor_without_gap_or_duplicate(world, server, jetstream, app):
    db, pipeline, poller = app
    world.load([act("bluesky", HANDLE, "post", -30, text="history")])
    await watch_and_backfill(db, poller, HANDLE)
    first = consumer_for(pipeline, poller, jetstream)
    await first.refresh()
    first.start()
    await asyncio.wait_for(first.connected.wait(), WAIT)
    await until(lambda: _async(jetstream.stats["hellos"] >= 1), "the hello")
    base = await activity_store.count(db)
    world.load([act("bluesky", HANDLE, "post", 1, text="before the restart")])
    advance(world, 2)
    await until(lambda: _count_is(db, base + 1), "the first post")
    await first.stop()
    cursor = json.loads((await watch_store.get_cursor(db, CURSOR_PLATFORM, CURSOR_NAME))["cursor"])["time_us"]
    assert cursor == jetstream.events[-1]["time_us"]

    # While the bot is down, three more things happen.
    world.load(
        [
            act("bluesky", HANDLE, "post", 3, text="while down 1"),
            act("bluesky", HANDLE, "like", 4, target={"id": "p4", "account": "x.example"}),
            act("bluesky", HANDLE, "post", 5, text="while down 2"),
        ]
    )
    advance(world, 6)
    await until(lambda: _async(len(jetstream.events) >= 4), "the events while down")
    second = consumer_for(pipeline, poller, jetstream)
    await second.refresh()
    second.start()
    try:
        await until(lambda: _count_is(db, base + 4), "the events missed while down")
        # The rewind re-sent the post from before the restart; it was not stored again.
        await until(lambda: _async(second.stats.events >= 4), "the replay")
        assert await activity_store.count(db) == base + 4
        assert second.stats.gaps == 0
    finally:
        await second.stop()


async def test_dropped_connections_duplicates_and_reordering_lose_and_repeat_nothing(world, server, jetstream, app):
    db, pipeline, poller = app
    world.load([act("bluesky", HANDLE, "post", -30, text="history")])
    await watch_and_backfill(db, poller, HANDLE)
    jetstream.add_fault("drop", count=3, after=2)
    jetstream.add_fault("duplicate", count=5)
    jetstream.add_fault("reorder", count=3)
    stream = consumer_for(pipeline, poller, jetstream)
    await stream.refresh()
    stream.start()
    try:
        await asyncio.wait_for(stream.connected.wait(), WAIT)
        await until(lambda: _async(jetstream.stats["hellos"] >= 1), "the hello")
        base = await activity_store.count(db)
        world.load([act("bluesky", HANDLE, "post", 1 + n * 0.1, text=f"post {n}") for n in range(12)])
        advance(world, 3)
        await until(lambda: _count_is(db, base + 12), "all twelve posts")
        await until(lambda: _async(jetstream.stats["dropped"] == 3), "three dropped connections")
        assert stream.stats.connections >= 4
        texts = [(await activity_store.get(db, "bluesky", i)).text for i, k in await rows(db) if k == "post"]
        assert sorted(t for t in texts if t.startswith("post ")) == sorted(f"post {n}" for n in range(12))
    finally:
        await stream.stop()


async def test_a_cursor_older_than_the_replay_window_is_filled_by_a_poll(world, server, jetstream, app):
    db, pipeline, poller = app
    world.load([act("bluesky", HANDLE, "post", -30, text="history")])
    await watch_and_backfill(db, poller, HANDLE)
    # Something happens, and the instance forgets it before we connect: our cursor is two days old.
    world.load([act("bluesky", HANDLE, "like", 1, target={"id": "p7", "account": "statemedia.example"})])
    advance(world, 2)
    await until(lambda: _async(len(jetstream.events) >= 1), "the like event")
    jetstream.forget_before(jetstream.events[-1]["time_us"] + 1)
    stale = jetstream.events[-1]["time_us"] if jetstream.events else 0
    async with db.transaction() as tx:
        await watch_store.save_cursor(
            tx, CURSOR_PLATFORM, CURSOR_NAME, cursor=json.dumps({"v": 1, "time_us": max(stale, 1) - 48 * 3600 * 10**6})
        )
    gap_polls = []

    async def fill_gap():
        gap_polls.append(await poller.poll_account("bluesky", HANDLE))

    stream = consumer_for(pipeline, poller, jetstream, on_gap=fill_gap)
    await stream.refresh()
    stream.start()
    try:
        await until(lambda: _async(len(gap_polls) == 1), "the reconciliation poll")
        assert gap_polls[0].error is None and gap_polls[0].new >= 1
        assert [k for _, k in await rows(db)].count("like") == 1
        assert stream.stats.gaps == 1
    finally:
        await stream.stop()


async def test_fails_over_to_the_next_instance_and_follows_watch_list_changes(world, server, jetstream, app):
    db, pipeline, poller = app
    world.load(
        [act("bluesky", HANDLE, "post", -30, text="history"), act("bluesky", OTHER, "post", -30, text="other history")]
    )
    await watch_and_backfill(db, poller, HANDLE)
    with socket.socket() as probe:  # a port nobody listens on: the first instance is down
        probe.bind(("127.0.0.1", 0))
        dead = f"ws://127.0.0.1:{probe.getsockname()[1]}"
    jetstream.add_fault("refuse", count=1)
    stream = consumer_for(pipeline, poller, jetstream, instances=[dead, jetstream.url])
    await stream.refresh()
    stream.start()
    try:
        await until(lambda: _async(jetstream.stats["hellos"] >= 1), "a connection after failing over")
        assert stream.stats.failovers >= 2 and jetstream.stats["refused"] == 1
        # A moderator adds an account: after its first poll the running subscription takes it on.
        await watch_and_backfill(db, poller, OTHER)
        await stream.refresh()
        await until(lambda: _async(jetstream.stats["wanted_dids"] == 2), "the new filter")
        connections = jetstream.stats["connections"]
        base = await activity_store.count(db)
        world.load([act("bluesky", OTHER, "post", 1, text="new account's post")])
        advance(world, 2)
        await until(lambda: _count_is(db, base + 1), "the new account's post")
        assert jetstream.stats["connections"] == connections  # no reconnect needed
    finally:
        await stream.stop()


async def _async(value):
    return value


async def _count_is(db, expected: int) -> bool:
    return await activity_store.count(db) >= expected


async def test_the_mock_feed_server_streams_its_bluesky_accounts_when_asked(world, tmp_path):
    from bot.mockfeed import MockFeedServer
    from bot.sources import SourceSettings
    from bot.sources.jetstream import instances_from
    from bot.sources.settings import live_settings

    world.load([act("bluesky", HANDLE, "post", -30, text="history")])
    async with MockFeedServer(world, jetstream=True) as server:
        settings = SourceSettings(base_urls=server.urls())
        instances = instances_from(live_settings(settings).bluesky_jetstream)
        assert instances == (server.jetstream.url,)
        db = await Database.open(tmp_path / "cli.db")
        pipeline = Pipeline(db)
        poller = Poller(pipeline, settings, interval=60.0)
        try:
            await watch_and_backfill(db, poller, HANDLE)
            stream = JetstreamConsumer(pipeline, instances=instances)
            await stream.refresh()
            stream.start()
            await until(lambda: _async(server.jetstream.stats["hellos"] >= 1), "the hello")
            base = await activity_store.count(db)
            world.load([act("bluesky", HANDLE, "post", 1, text="streamed")])
            advance(world, 2)
            await until(lambda: _count_is(db, base + 1), "the streamed post")
            await stream.stop()
        finally:
            await poller.stop()
            await db.close()


async def test_a_bad_event_is_kept_aside_and_never_ends_the_stream(world, server, jetstream, app):
    db, pipeline, poller = app
    world.load([act("bluesky", HANDLE, "post", -30, text="history")])
    await watch_and_backfill(db, poller, HANDLE)
    async with db.transaction() as tx:  # a real storage fault for one record: SQLite refuses it
        await writing(tx).execute(
            "CREATE TRIGGER poison BEFORE INSERT ON activities WHEN NEW.record LIKE '%POISON%'"
            " BEGIN SELECT RAISE(ABORT, 'cannot store this one (test)'); END"
        )
    stream = consumer_for(pipeline, poller, jetstream)
    await stream.refresh()
    task = stream.start()
    try:
        await asyncio.wait_for(stream.connected.wait(), WAIT)
        await until(lambda: _async(jetstream.stats["hellos"] >= 1), "the hello")
        base = await activity_store.count(db)
        did = next(d for d, h in stream.dids.items() if h == HANDLE)
        block = {"$type": "app.bsky.graph.block", "subject": {"x": 1}, "createdAt": "2026-05-01T12:00:30Z"}
        jetstream.publish(
            {
                "did": did,
                "kind": "commit",
                "commit": {"rev": "b1", "operation": "create", "collection": BLOCK, "rkey": "3kblock", "record": block},
            }
        )
        world.load(
            [act("bluesky", HANDLE, "post", 1 + n, text=text) for n, text in enumerate(["before", "POISON", "after"])]
        )
        advance(world, 5)

        async def settled():  # the stream ended, or went past both bad events
            return task.done() or await _count_is(db, base + 2)

        await until(settled, "the posts around the bad events")
        assert not task.done() and stream.connected.is_set()
        texts = [(await activity_store.get(db, "bluesky", i)).text for i, _ in await rows(db)]
        assert "before" in texts and "after" in texts and "POISON" not in texts
        reasons = {r["reason"] for r in await activity_store.list_rejects(db)}
        assert 'target.account: must be a string, got {"x": 1}' in reasons
        assert any("cannot store this one (test)" in r for r in reasons), reasons
        cursor = json.loads((await watch_store.get_cursor(db, CURSOR_PLATFORM, CURSOR_NAME))["cursor"])["time_us"]
        assert cursor == jetstream.events[-1]["time_us"]  # past both: they do not come back on a reconnect
        world.load([act("bluesky", HANDLE, "post", 10, text="later")])
        advance(world, 6)
        await until(lambda: _count_is(db, base + 3), "a post after the bad events")
        assert stream.stats.connections == 1  # the same connection all along
    finally:
        await stream.stop()
    assert not stream.connected.is_set()  # polling goes back to its own pace once nothing streams
