"""Tier 3 with workers: `diplowatch run` with DIPLOWATCH_WORKERS=1 holds the gateway and polls nothing; a
worker on the same PostgreSQL database polls, scores and queues; the gateway posts the alert to the channel.
The bot is discord.py's AutoShardedBot, on the shards the (fake) Discord recommends."""

from __future__ import annotations

import asyncio
import json
from contextlib import asynccontextmanager

from bot.pipeline import Pipeline
from bot.sources import SourceSettings
from bot.worker import Worker
from cogs.app import build_app
from storage.db import Database
from tests.bot import worker_verdicts as verdicts
from tests.cogs.test_discord_live import HANDLE, TAKEOVER, history, wait_for


@asynccontextmanager
async def gateway_and_worker(settings, url: str):
    """`diplowatch run` with workers (the gateway, ready) and one worker process's Worker, w1, polling
    every second beside it on the PostgreSQL database at `url`: (app, the worker's db, the worker)."""
    app = await build_app(settings.model_copy(update={"database": url, "workers": True}))
    db, control = await Database.open(url), await Database.open(url)
    stop = asyncio.Event()
    worker = Worker(db, control, Pipeline(db), SourceSettings(fixture_dir=settings.fixture_dir), name="w1",
                    interval=1.0, lease_seconds=4.0)  # fmt: skip
    running = asyncio.create_task(worker.run(stop))
    try:
        await app.start()
        await app.wait_until_ready(timeout=30)
        yield app, db, worker
    finally:
        stop.set()
        await running
        await app.close()
        await control.close()
        await db.close()


async def polled(db: Database, handle: str) -> bool:
    """Whether a worker has polled the account (its cursor is written)."""
    async with db.conn.execute("SELECT cursor FROM cursors WHERE handle = ?", (handle,)) as cur:
        row = await cur.fetchone()
    return row is not None and row["cursor"] is not None


async def test_a_worker_polls_and_the_gateway_posts_its_alert_to_the_channel(settings, fake, postgres):
    feed = settings.fixture_dir / f"{HANDLE}.jsonl"
    feed.write_text("\n".join(history()) + "\n", encoding="utf-8")
    async with gateway_and_worker(settings, postgres.create()) as (app, db, worker):
        assert app.poller is None and app.streams is None  # the gateway polls nothing itself
        assert app.bot.shard_count == 1  # as many shards as Discord recommends: one, for a few servers
        alerts = fake.channel_id("alerts")
        await fake.slash("watch", "add", platform="fixture", handle=HANDLE, channel=alerts, role="embassy")
        await wait_for(lambda: polled(db, HANDLE), timeout=60)  # the worker took the new account's lease
        assert worker.held and fake.posted() == []
        with feed.open("a", encoding="utf-8") as out:
            out.write(json.dumps(TAKEOVER) + "\n")
        [post] = await fake.wait_for_post(alerts, timeout=60)
        assert post.json["embeds"][0]["title"].endswith(": @ChineseEmbinUS reposted @cryptoscam")
        assert post.json["allowed_mentions"] == {"parse": []}
        async with db.conn.execute("SELECT holder FROM leases WHERE handle = ?", (HANDLE,)) as cur:
            assert (await cur.fetchone())["holder"] == "w1"


async def test_a_false_alarm_pressed_in_discord_is_learned_by_the_worker_holding_the_account(settings, fake, postgres):
    """The moderator's button in the gateway process; the account's profile in the worker's: the verdict
    goes through the database, and the worker's next poll learns it (it would otherwise write its own
    copy of the profile back over it)."""
    feed = settings.fixture_dir / f"{verdicts.HANDLE}.jsonl"
    before = verdicts.past()
    verdicts.append(feed, *before)
    async with gateway_and_worker(settings, postgres.create()) as (_, db, _):
        alerts = fake.channel_id("alerts")
        await fake.slash(
            "watch", "add", platform="fixture", handle=verdicts.HANDLE, channel=alerts, role="embassy", country="CN"
        )
        await wait_for(lambda: polled(db, verdicts.HANDLE), timeout=60)
        at = verdicts.night(before[-1].at)
        first = verdicts.odd(at, 1)
        verdicts.append(feed, first)
        await fake.wait_for_post(alerts, timeout=60)
        [alert_id] = await verdicts.alerts_on(db, first.id)
        message = int(fake.channel_messages(alerts)[-1]["id"])
        rec = await fake.press(message, f"dw:false:{alert_id}", member=fake.member(moderator=True, name="desk_editor"))
        assert "Marked a false alarm by desk\\_editor" in rec["embeds"][0]["fields"][-1]["value"]

        async def applied() -> bool:  # the worker's next poll took it in
            async with db.conn.execute("SELECT seq FROM profile_verdicts_applied") as cur:
                return await cur.fetchone() is not None

        await wait_for(applied, timeout=60)
        again = verdicts.odd(verdicts.night(at), 2)
        verdicts.append(feed, again)

        async def stored() -> bool:
            return await verdicts.stored(db, again.id)

        await wait_for(stored, timeout=60)
        assert await verdicts.alerts_on(db, again.id) == []  # the same again is normal now: no alert
        # and the stored baseline, written by that learned poll, still holds the lesson
        book = await verdicts.stored_profile(db)
        assert not verdicts.alerts_for(book, verdicts.odd(verdicts.night(verdicts.night(at)), 3))
        assert len(fake.channel_messages(alerts)) == 1
