"""`diplowatch demo --http`: the founding incidents, caught over real HTTP and a real WebSocket.

The recorded feeds are served by the mock feed server on 127.0.0.1 as Bluesky accounts (the one
platform that shows likes, un-likes and deactivations to an outside observer), the accounts are
watched as `bluesky`, and the live paths take them in as the bot does: the Bluesky source polls each
account once (the backfill: its history becomes its baseline), then one Jetstream subscription
(bot/realtime.py) streams what each account does next, and a last poll of every account reconciles.
History is visible when watching starts; the rest is released on an accelerated clock.
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
from bot.realtime import Streams
from bot.scheduler import PollOutcome, Poller
from bot.sources import SourceSettings
from bot.terminal import deliver_pending
from storage import activities as activity_store
from storage.db import Database

PLATFORM = "bluesky"
# An activity that came in through Jetstream keeps the event (with its time_us) as its raw payload.
STREAMED = (
    "(json_extract(a.raw, '$.time_us') IS NOT NULL OR json_extract(a.raw, '$.event.time_us') IS NOT NULL"
    " OR json_extract(a.raw, '$.payload.time_us') IS NOT NULL)"
)


async def alerts_streamed(db: Database, scenarios) -> dict[str, int]:
    """Per account, the alerts from its incident on whose activity came in through Jetstream."""
    out = {}
    for sc in scenarios:
        async with db.conn.execute(
            f"SELECT COUNT(*) FROM alerts l JOIN activities a ON a.platform = l.platform AND a.id = l.activity_id"
            f" WHERE l.account = ? AND l.at >= ? AND {STREAMED}",
            (sc.handle, sc.incident_from),
        ) as cur:
            row = await cur.fetchone()
            out[sc.handle] = row[0] if row else 0
    return out


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
    streamed = await alerts_streamed(db, scenarios)
    stored = await activity_store.count(db)
    s = pipeline.stats
    await db.close()
    print("=" * 72, file=out)
    print(
        f"demo done in {time.monotonic() - started:.1f}s over HTTP ({requests:,} requests to the mock server): "
        f"{stored:,} activities stored from {len(scenarios)} accounts into {db_path}; {s.alerts} alerts; "
        f"{s.rejected} records kept aside",
        file=out,
    )
    print_caught(caught, out)
    print(
        f"through Jetstream: {sum(1 for n in streamed.values() if n)} of {len(scenarios)} incidents caught "
        f"from streamed events ({', '.join(f'@{h} {n}' for h, n in streamed.items())} alert(s))",
        file=out,
    )
    return 0 if all(n for _, n in caught) else 1


async def _stream(
    args,
    world: World,
    db: Database,
    pipeline: Pipeline,
    scenarios,
    pending: list[Activity],
    polls: dict[str, int],
    backfilled: list[int],
    on_poll,
    out,
) -> int:
    """Watch, backfill by polling, stream the incidents through Jetstream as they are released, then
    reconcile with one more poll of every account; the request count."""
    async with MockFeedServer(world, jetstream=True) as server:
        poller = Poller(pipeline, SourceSettings(base_urls=server.urls()), interval=args.poll, on_poll=on_poll)
        streams = Streams(poller)
        consumer = streams.consumer
        assert consumer is not None and server.jetstream is not None
        jet = server.jetstream
        stop = asyncio.Event()
        delivery: asyncio.Task | None = None
        try:
            print(
                f"diplowatch demo: watching {len(scenarios)} accounts "
                f"({', '.join('@' + s.handle for s in scenarios)}) over HTTP as {PLATFORM} accounts served by the "
                f"mock feed server at {server.url('appview')}",
                file=out,
            )
            await poller.refresh()
            poller.start()
            streams.start()

            async def all_polled() -> bool:
                return len(polls) == len(scenarios)

            async def subscribed() -> bool:  # the live subscription filters on every account's DID
                return consumer.connected.is_set() and jet.stats["wanted_dids"] == len(scenarios)

            await wait_until(all_polled, timeout=60)
            print(
                f"first poll = backfill: learned baselines from {sum(backfilled):,} past activities, no alerts",
                file=out,
            )
            await wait_until(subscribed, timeout=60)
            print(
                f"Jetstream: one subscription for {len(consumer.dids)} DIDs at {jet.url}; from here on each "
                f"account is streamed in real time (polling only reconciles)\n",
                file=out,
                flush=True,
            )

            async def deliver_loop():
                while not stop.is_set():
                    await deliver_pending(db, write=lambda text: print(text + "\n", file=out, flush=True))
                    await asyncio.sleep(0.05)

            delivery = asyncio.create_task(deliver_loop())
            previous: datetime | None = None
            for activity in pending:
                if previous is not None:
                    await asyncio.sleep(min((activity.at - previous).total_seconds() / args.speed, args.max_gap))
                if previous is None or (activity.at - previous).days > 7:
                    print(f"--- clock: {activity.at:%Y-%m-%d %H:%M} UTC ---", file=out, flush=True)
                previous = activity.at
                world.clock.advance((activity.at - world.clock.now()).total_seconds())
                world.load([activity], served_as=PLATFORM)
                account = world.account(PLATFORM, activity.account, create=False)

                async def streamed(account=account) -> bool:  # released, sent as events, those events committed
                    if account is None or account.pending:
                        return False
                    newest = jet.events[-1]["time_us"] if jet.events else 0
                    return (await consumer.stored_cursor() or 0) >= newest

                await wait_until(streamed, timeout=30)
            # Reconciliation: one poll of each account's repo finds nothing the stream did not store.
            before = await activity_store.count(db)
            for sc in scenarios:
                await poller.poll_account(PLATFORM, sc.handle, force=True)
            print(
                f"reconciliation poll of {len(scenarios)} accounts: "
                f"{await activity_store.count(db) - before} activities the stream had missed",
                file=out,
            )
            requests = server.stats["requests"]
        finally:
            # Whatever happened, stop streaming, polling and delivering before the server goes away.
            await streams.stop()
            await poller.stop()
            stop.set()
            if delivery is not None:
                await delivery
    return requests
