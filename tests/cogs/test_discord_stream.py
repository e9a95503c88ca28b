"""`diplowatch run` with Bluesky in real time: the bot's app (bot + scheduler + streams + pipeline +
delivery) against the fake Discord, the mock feed server and its mock Jetstream, over real sockets.
A moderator watches a Bluesky account; its first poll learns the baseline and joins it to the live
subscription without a restart; what it does next comes in through the stream and out as an alert."""

from __future__ import annotations

import asyncio
import json

from bot.mockfeed import Clock, MockFeedServer, World
from cogs.app import build_app
from tests.sources.conftest import START, act, advance

HANDLE = "embassy-x.bsky.social"


async def wait_for(predicate, timeout: float = 60.0, step: float = 0.05) -> None:
    async def loop():
        while not await predicate():
            await asyncio.sleep(step)

    await asyncio.wait_for(loop(), timeout)


async def test_a_watched_bluesky_account_is_streamed_and_its_alert_posted(settings, fake, monkeypatch):
    world = World(Clock(START, 0.0))
    world.load(
        [
            act("bluesky", HANDLE, "post", -3000 + n * 60, text=f"Statement {n} on the bilateral talks")
            for n in range(40)
        ]
    )
    async with MockFeedServer(world, jetstream=True) as server:
        for name, url in server.urls().items():
            monkeypatch.setenv(f"DIPLOWATCH_{name.upper()}", url)
        app = await build_app(settings)
        await app.start()
        try:
            await app.wait_until_ready(timeout=30)
            assert app.streams is not None and app.streams.consumer.instances == [server.jetstream.url]
            alerts = fake.channel_id("alerts")
            await fake.slash("alerts", "channel", channel=alerts)
            rec = await fake.slash("watch", "add", platform="bluesky", handle=HANDLE, role="embassy", country="XX")
            assert "Now watching" in rec.json["data"]["content"]

            async def subscribed() -> bool:  # backfilled by a poll, then added to the live filter
                return server.jetstream.stats["wanted_dids"] == 1 and app.streams.consumer.connected.is_set()

            await wait_for(subscribed)
            assert fake.posted() == []  # the history is the baseline
            world.load(
                [
                    act(
                        "bluesky",
                        HANDLE,
                        "like",
                        1,
                        target={"id": "p1", "account": "hotclips.example", "text": "clip", "labels": ["porn"]},
                    )
                ]
            )
            advance(world, 2)
            [post] = await fake.wait_for_post(alerts, timeout=60)
            embed = post.json["embeds"][0]
            assert embed["title"].endswith("liked a post by @hotclips.example")
            async with app.db.conn.execute("SELECT raw FROM activities WHERE kind = 'like'") as cur:
                raw = json.loads((await cur.fetchone())["raw"])
            assert "time_us" in raw["event"]  # it came through Jetstream, not a poll
        finally:
            await app.close()
