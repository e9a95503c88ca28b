"""Tier 3 with workers: `diplowatch run` with DIPLOWATCH_WORKERS=1 holds the gateway and polls nothing; a
worker on the same PostgreSQL database polls, scores and queues; the gateway posts the alert to the channel.
The bot is discord.py's AutoShardedBot, on the shards the (fake) Discord recommends."""

from __future__ import annotations

import asyncio
import json

from bot.pipeline import Pipeline
from bot.sources import SourceSettings
from bot.worker import Worker
from cogs.app import build_app
from storage.db import Database
from tests.cogs.test_discord_live import HANDLE, TAKEOVER, history, wait_for


async def test_a_worker_polls_and_the_gateway_posts_its_alert_to_the_channel(settings, fake, postgres):
    url = postgres.create()
    gateway_settings = settings.model_copy(update={"database": url, "workers": True})
    feed = settings.fixture_dir / f"{HANDLE}.jsonl"
    feed.write_text("\n".join(history()) + "\n", encoding="utf-8")
    app = await build_app(gateway_settings)
    db, control = await Database.open(url), await Database.open(url)
    stop = asyncio.Event()
    worker = Worker(db, control, Pipeline(db), SourceSettings(fixture_dir=settings.fixture_dir), name="w1",
                    interval=1.0, lease_seconds=4.0)  # fmt: skip
    running = asyncio.create_task(worker.run(stop))
    try:
        await app.start()
        await app.wait_until_ready(timeout=30)
        assert app.poller is None and app.streams is None  # the gateway polls nothing itself
        assert app.bot.shard_count == 1  # as many shards as Discord recommends: one, for a few servers
        alerts = fake.channel_id("alerts")
        await fake.slash("watch", "add", platform="fixture", handle=HANDLE, channel=alerts, role="embassy")

        async def backfilled() -> bool:
            async with db.conn.execute("SELECT cursor FROM cursors WHERE handle = ?", (HANDLE,)) as cur:
                row = await cur.fetchone()
            return row is not None and row["cursor"] is not None

        await wait_for(backfilled, timeout=60)  # the worker took the new account's lease and polled it
        assert worker.held and fake.posted() == []
        with feed.open("a", encoding="utf-8") as out:
            out.write(json.dumps(TAKEOVER) + "\n")
        [post] = await fake.wait_for_post(alerts, timeout=60)
        assert post.json["embeds"][0]["title"].endswith(": @ChineseEmbinUS reposted @cryptoscam")
        assert post.json["allowed_mentions"] == {"parse": []}
        async with db.conn.execute("SELECT holder FROM leases WHERE handle = ?", (HANDLE,)) as cur:
            assert (await cur.fetchone())["holder"] == "w1"
    finally:
        stop.set()
        await running
        await app.close()
        await control.close()
        await db.close()
