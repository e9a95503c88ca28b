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
from bot.demo import _fresh_file, _load_manifest, _wait_until
from bot.feeds import Rejected, read_feed
from bot.mockfeed.server import MockFeedServer
from bot.mockfeed.world import Clock, World
from bot.pipeline import Pipeline
from bot.scheduler import PollOutcome, Poller
from bot.sources import SourceSettings
from bot.terminal import deliver_pending
from bot.watch import WatchedAccount
from storage import activities as activity_store
from storage import incidents as incident_store
from storage import watch as watch_store
from storage.db import Database

PLATFORM = "bluesky"
# Releases that remove or change what an earlier release showed.
HIDING = ("delete", "unlike", "unfollow", "status", "profile")


async def _polled_since(last_ok: dict[str, float], handle: str, since: float) -> bool:
    return last_ok.get(handle, 0) > since


async def demo_over_http(args) -> int:
    started = time.monotonic()
    out = sys.stdout
    scenarios = _load_manifest(Path(args.fixtures))
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
    _fresh_file(db_path)
    db = await Database.open(db_path)
    library = await incident_store.load_index(db, warn=lambda message: print(message, file=sys.stderr))
    pipeline = Pipeline(db, similar=library.finder(k=3) if library else None)
    for sc in scenarios:
        e = sc.entry
        await watch_store.add(db, WatchedAccount(
            platform=PLATFORM, handle=sc.handle, owner=e.get("owner"), role=e.get("role"), country=e.get("country"),
            host_country=e.get("host_country"), affiliation=e.get("affiliation"), added_by="demo",
        ))
    last_ok: dict[str, float] = {}
    backfilled = 0

    def on_poll(outcome: PollOutcome) -> None:
        nonlocal backfilled
        if outcome.error is None:
            last_ok[outcome.account.handle] = time.monotonic()
            backfilled += outcome.new if outcome.backfill else 0

    async with MockFeedServer(world) as server:
        poller = Poller(pipeline, SourceSettings(base_urls=server.urls()), interval=args.poll, on_poll=on_poll)
        print(f"diplowatch demo: watching {len(scenarios)} accounts "
              f"({', '.join('@' + s.handle for s in scenarios)}) over HTTP as {PLATFORM} accounts served by the "
              f"mock feed server at {server.url('appview')}", file=out)
        await poller.refresh()
        poller.start()

        async def all_polled() -> bool:
            return len(last_ok) == len(scenarios)

        await _wait_until(all_polled, timeout=60)
        print(f"first poll = backfill: learned baselines from {backfilled:,} past activities, "
              f"no alerts\n", file=out)
        stop = asyncio.Event()

        async def deliver_loop():
            while not stop.is_set():
                await deliver_pending(db, write=lambda text: print(text + "\n", file=out, flush=True))
                await asyncio.sleep(0.05)

        delivery = asyncio.create_task(deliver_loop())
        previous: datetime | None = None
        last_release: dict[str, float] = {}
        for activity in pending:
            if activity.kind in HIDING and activity.account in last_release:
                # Polling cannot see what is gone before the next poll (a repost deleted in 14 feed
                # minutes is a fraction of a real second here): let one poll see it first.
                since = last_release[activity.account]
                await _wait_until(lambda: _polled_since(last_ok, activity.account, since), timeout=5)
            if previous is not None:
                await asyncio.sleep(min((activity.at - previous).total_seconds() / args.speed, args.max_gap))
            if previous is None or (activity.at - previous).days > 7:
                print(f"--- clock: {activity.at:%Y-%m-%d %H:%M} UTC ---", file=out, flush=True)
            previous = activity.at
            world.clock.advance((activity.at - world.clock.now()).total_seconds())
            world.load([activity], served_as=PLATFORM)
            last_release[activity.account] = time.monotonic()
        released = time.monotonic()

        async def all_read() -> bool:  # every account polled successfully since the last release
            return all(last_ok.get(sc.handle, 0) > released for sc in scenarios)

        await _wait_until(all_read, timeout=60)
        await poller.stop()
        stop.set()
        await delivery
        requests = server.stats["requests"]
    await deliver_pending(db, write=lambda text: print(text + "\n", file=out, flush=True))
    await pipeline.close()

    caught = []
    for sc in scenarios:
        async with db.conn.execute(
            "SELECT COUNT(*) FROM alerts WHERE account = ? AND at >= ?", (sc.handle, sc.incident_from)
        ) as cur:
            caught.append((sc, (await cur.fetchone())[0]))
    stored = await activity_store.count(db)
    s = pipeline.stats
    await db.close()
    print("=" * 72, file=out)
    print(f"demo done in {time.monotonic() - started:.1f}s over HTTP ({requests:,} requests to the mock server): "
          f"{stored:,} activities stored from {len(scenarios)} accounts into {db_path}; {s.alerts} alerts; "
          f"{s.rejected} records kept aside", file=out)
    for sc, n in caught:
        mark = "caught" if n else "MISSED"
        print(f"  {mark}: {sc.entry.get('incident', '')} @{sc.handle} ({n} alert(s) from {sc.incident_from}) "
              f"{sc.entry.get('expect', '')}", file=out)
    return 0 if all(n for _, n in caught) else 1
