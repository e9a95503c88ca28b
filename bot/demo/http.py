"""`diplowatch demo --http`: the founding incidents, polled over real HTTP.

The recorded feeds are served by the mock feed server on 127.0.0.1 as Bluesky accounts (the one
platform that shows likes, un-likes and deactivations to an outside observer), the accounts are
watched as `bluesky`, and the real Bluesky source polls them through the same scheduler and pipeline
as the live bot. History is visible when watching starts (the backfill learns it); the rest is
released on an accelerated clock.
"""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import datetime
from pathlib import Path

from bot.activity import Activity, parse_time
from bot.demo.common import fresh_file, incidents_caught, load_manifest, open_demo_pipeline, print_caught, wait_until
from bot.feeds import Rejected, read_feed
from bot.mockfeed.server import MockFeedServer
from bot.mockfeed.world import Clock, World
from bot.pipeline import Pipeline
from bot.scheduler import PollOutcome, Poller
from bot.sources import SourceSettings
from bot.terminal import deliver_pending
from storage import activities as activity_store
from storage.db import Database

PLATFORM = "bluesky"
# Releases that remove or change what an earlier release showed.
HIDING = ("delete", "unlike", "unfollow", "status", "profile")


def _polled_after(polls: dict[str, int], handle: str, count: int) -> bool:
    # Two more successful polls: the first may have started before the release, the second cannot
    # (polls of one account never overlap).
    return polls.get(handle, 0) >= count + 2


async def demo_over_http(args) -> int:
    started = time.monotonic()
    out = sys.stdout
    scenarios = load_manifest(Path(args.fixtures))
    history: list[Activity] = []
    pending: list[Activity] = []
    for sc in scenarios:
        cut = parse_time(sc.incident_from)
        for item in read_feed(sc.source):
            if isinstance(item, Rejected):
                print(f"kept aside: {item}", file=sys.stderr)
                continue
            (history if item.at < cut else pending).append(item)
    pending.sort(key=lambda a: a.at)
    # Every account's history is visible when watching starts (the histories end years apart), so the
    # feed clock starts after the latest of them; it stands still between releases, and each release
    # sets it to the activity's own time (back to 2017 for the first incident).
    world = World(Clock(max(a.at for a in history), 0.0))
    world.load(history, served_as=PLATFORM)

    db_path = Path(args.db)
    fresh_file(db_path)
    db, pipeline = await open_demo_pipeline(db_path, scenarios, platform=PLATFORM)
    polls: dict[str, int] = {}  # successful polls per account
    backfilled: list[int] = []  # activities each backfill learned

    def on_poll(outcome: PollOutcome) -> None:
        if outcome.error is None:
            polls[outcome.account.handle] = polls.get(outcome.account.handle, 0) + 1
            if outcome.backfill:
                backfilled.append(outcome.new)

    try:
        requests = await _stream(args, world, db, pipeline, scenarios, pending, polls, backfilled, on_poll, out)
    except BaseException:
        await db.close()  # an open connection's thread would keep the process alive
        raise

    await deliver_pending(db, write=lambda text: print(text + "\n", file=out, flush=True))
    await pipeline.close()

    # A polled status change carries the time it was seen, not the recorded one: any alert counts.
    caught = await incidents_caught(db, scenarios, first_act=False)
    stored = await activity_store.count(db)
    s = pipeline.stats
    await db.close()
    print("=" * 72, file=out)
    print(f"demo done in {time.monotonic() - started:.1f}s over HTTP ({requests:,} requests to the mock server): "
          f"{stored:,} activities stored from {len(scenarios)} accounts into {db_path}; {s.alerts} alerts; "
          f"{s.rejected} records kept aside", file=out)
    print_caught(caught, out)
    return 0 if all(n for _, n in caught) else 1


async def _stream(args, world: World, db: Database, pipeline: Pipeline, scenarios, pending: list[Activity],
                  polls: dict[str, int], backfilled: list[int], on_poll, out) -> int:
    """Watch, backfill, release the incidents, wait until everything was polled; the request count."""
    async with MockFeedServer(world) as server:
        poller = Poller(pipeline, SourceSettings(base_urls=server.urls()), interval=args.poll, on_poll=on_poll)
        stop = asyncio.Event()
        delivery: asyncio.Task | None = None
        try:
            print(f"diplowatch demo: watching {len(scenarios)} accounts "
                  f"({', '.join('@' + s.handle for s in scenarios)}) over HTTP as {PLATFORM} accounts served by the "
                  f"mock feed server at {server.url('appview')}", file=out)
            await poller.refresh()
            poller.start()

            async def all_polled() -> bool:
                return len(polls) == len(scenarios)

            await wait_until(all_polled, timeout=60)
            print(f"first poll = backfill: learned baselines from {sum(backfilled):,} past activities, "
                  f"no alerts\n", file=out)

            async def deliver_loop():
                while not stop.is_set():
                    await deliver_pending(db, write=lambda text: print(text + "\n", file=out, flush=True))
                    await asyncio.sleep(0.05)

            delivery = asyncio.create_task(deliver_loop())
            previous: datetime | None = None
            released_at: dict[str, int] = {}  # account -> its poll count when something was last released
            for activity in pending:
                if activity.kind in HIDING and activity.account in released_at:
                    # Polling cannot see what is gone before the next poll (a repost deleted in 14 feed
                    # minutes is a fraction of a real second here): let a poll see it first.
                    count, handle = released_at[activity.account], activity.account

                    async def seen(handle: str = handle, count: int = count) -> bool:
                        return _polled_after(polls, handle, count)

                    await wait_until(seen, timeout=30)
                if previous is not None:
                    await asyncio.sleep(min((activity.at - previous).total_seconds() / args.speed, args.max_gap))
                if previous is None or (activity.at - previous).days > 7:
                    print(f"--- clock: {activity.at:%Y-%m-%d %H:%M} UTC ---", file=out, flush=True)
                previous = activity.at
                world.clock.advance((activity.at - world.clock.now()).total_seconds())
                world.load([activity], served_as=PLATFORM)
                released_at[activity.account] = polls.get(activity.account, 0)
            final = dict(polls)

            async def all_read() -> bool:  # every account polled successfully since the last release
                return all(_polled_after(polls, sc.handle, final.get(sc.handle, 0)) for sc in scenarios)

            await wait_until(all_read, timeout=60)
            requests = server.stats["requests"]
        finally:
            # Whatever happened, stop polling and delivering before the server goes away.
            await poller.stop()
            stop.set()
            if delivery is not None:
                await delivery
    return requests
