"""Jetstream: from an event on a local Jetstream-shaped server to a stored, scored activity (and its
alert, committed in the same transaction), with many watched DIDs on one connection.

The mock Jetstream runs in its own process (so it does not share the client's CPU time slices) and
publishes `--events` post commits at `--rate` per second, spread over `--dids` watched accounts, each
stamped with the wall clock (time_us); the client records when the batch holding each one committed.
As in the live bot (bot/realtime.py), each batch is first hydrated through the AppView (`getPosts` of the
new posts, on the mock feed server in the server process), unless `--no-hydrate`.

    python benchmarks/jetstream_bench.py            # 10,000 DIDs, 3,000 events at 100/s
    python benchmarks/jetstream_bench.py --quick    # CI: 500 DIDs, 300 events; checks counts only
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.mockfeed.jetstream import MockJetstream  # noqa: E402
from bot.mockfeed.world import did_for, tid  # noqa: E402
from bot.pipeline import Pipeline  # noqa: E402
from bot.sources.bluesky import BlueskySource  # noqa: E402
from bot.sources.common import dump_state  # noqa: E402
from bot.sources.http import Fetcher, HttpSettings, make_client  # noqa: E402
from bot.sources.jetstream import JetstreamConsumer  # noqa: E402
from storage.db import Database, writing  # noqa: E402

SCAM = "Free ETH giveaway!!! send 1 ETH to the address in bio and get 2 back, official promo of the ministry"


def handle_for(number: int) -> str:
    return f"embassy{number}.bsky.example"


def serve(dids: list[str], events: int, rate: float, conn) -> None:
    from datetime import datetime, timezone

    from bot.mockfeed import Clock, MockFeedServer, World

    async def main() -> None:
        async with MockJetstream() as jet, MockFeedServer(World(Clock(datetime.now(timezone.utc), 0.0))) as feeds:
            conn.send((jet.port, feeds.url("appview")))
            while jet.stats["hellos"] < 1:
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.3)
            started = time.monotonic()
            for n in range(events):
                # Keep the pace on the wall clock, so a slow step is caught up rather than stretching the run.
                delay = started + n / rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                did = dids[(n * 7919) % len(dids)]
                text = SCAM if n % 50 == 49 else f"Statement {n} on the bilateral meeting #diplomacy"
                jet.publish(
                    {
                        "did": did,
                        "kind": "commit",
                        "commit": {
                            "rev": tid(n, 1),
                            "operation": "create",
                            "collection": "app.bsky.feed.post",
                            "rkey": tid(n, 1),
                            "record": {
                                "$type": "app.bsky.feed.post",
                                "text": text,
                                "langs": ["en"],
                                "createdAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                            },
                        },
                    }
                )
            conn.send(dict(jet.stats))
            await asyncio.sleep(3600)

    asyncio.run(main())


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def run(dids_count: int, events: int, rate: float, hydrate: bool = True) -> dict:
    handles = [handle_for(n) for n in range(dids_count)]
    dids = [did_for(h) for h in handles]
    parent, child = multiprocessing.Pipe()
    server = multiprocessing.Process(target=serve, args=(dids, events, rate, child), daemon=True)
    server.start()
    try:
        port, appview = parent.recv()
        with tempfile.TemporaryDirectory() as tmp:
            db = await Database.open(Path(tmp) / "bench.db")
            rows = [
                (h, dump_state({"did": d, "status": "active", "profile": {"name": h, "labels": []}}))
                for h, d in zip(handles, dids, strict=True)
            ]
            async with db.transaction() as tx:  # one statement each: 10,000 accounts through add() is slow
                conn = writing(tx)
                await conn.executemany(
                    "INSERT INTO watched (platform, handle) VALUES ('bluesky', ?)", [(h,) for h in handles]
                )
                await conn.executemany("INSERT INTO cursors (platform, handle, cursor) VALUES ('bluesky', ?, ?)", rows)
            pipeline = Pipeline(db)
            rss_before = rss_mb()
            hydrator = None
            if hydrate:
                http = HttpSettings(loopback_budget=(100_000, 1.0))
                fetcher = Fetcher(make_client(http), http)
                fetcher.owns_client, fetcher.users = True, 1
                hydrator = BlueskySource("jetstream", fetcher, appview=appview)
            consumer = JetstreamConsumer(
                pipeline, instances=[f"ws://127.0.0.1:{port}"], record_latency=True, hydrator=hydrator
            )
            await consumer.refresh()
            consumer.start()
            deadline = time.monotonic() + 120 + events / rate * 3
            while consumer.stats.stored < events and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            server_stats = parent.recv() if parent.poll(30) else {}
            await consumer.stop()
            if hydrator is not None:
                await hydrator.aclose()
            timeline = [done - time_us / 1e6 for time_us, done in consumer.stats.committed]
            latencies = sorted(timeline)
            tenth = max(1, len(timeline) // 10)
            deciles = [max(timeline[i : i + tenth]) for i in range(0, len(timeline), tenth)]
            async with db.conn.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM activities") as cur:
                stored, distinct = await cur.fetchone() or (0, 0)  # an aggregate: always one row
            await db.close()
        return {
            "dids": dids_count,
            "events": events,
            "stored": stored,
            "distinct": distinct,
            "alerts": pipeline.stats.alerts,
            "wanted_dids": server_stats.get("wanted_dids", 0),
            "connections": server_stats.get("connections", 0),
            "batches": consumer.stats.batches,
            "p50": _pct(latencies, 0.50),
            "p99": _pct(latencies, 0.99),
            "max": latencies[-1] if latencies else 0,
            "deciles": deciles,
            "rss_before": rss_before,
            "rss_after": rss_mb(),
            "load": os.getloadavg()[0],
        }
    finally:
        server.terminate()
        server.join(5)


def _pct(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small run for CI: counts are checked, times are not")
    parser.add_argument("--dids", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument(
        "--no-hydrate",
        dest="hydrate",
        action="store_false",
        help="store the records as they are, without the AppView round trip per batch",
    )
    args = parser.parse_args()
    if args.quick:
        args.dids, args.events, args.rate = 500, 300, 150.0
    logging.basicConfig(level=logging.ERROR)
    figures = asyncio.run(run(args.dids, args.events, args.rate, args.hydrate))
    print(f"jetstream: cpus={os.cpu_count()} python={sys.version.split()[0]} load average {figures['load']:.1f}")
    print(
        f"jetstream: {figures['dids']:,} watched DIDs on {figures['connections']} connection(s) "
        f"(server saw {figures['wanted_dids']:,} in wantedDids); {figures['events']:,} events at "
        f"{args.rate:g}/s -> {figures['stored']:,} stored ({figures['distinct']:,} distinct) in "
        f"{figures['batches']:,} transactions, {figures['alerts']} alerts"
    )
    print(
        f"jetstream: event to {'hydrated, ' if args.hydrate else ''}stored and scored activity: p50 {figures['p50'] * 1000:.1f} ms, "
        f"p99 {figures['p99'] * 1000:.1f} ms, max {figures['max'] * 1000:.1f} ms"
    )
    print(
        "jetstream: worst latency in each tenth of the run (ms): "
        + ", ".join(f"{d * 1000:.0f}" for d in figures["deciles"])
    )
    print(
        f"jetstream: client peak RSS {figures['rss_after']:.0f} MB ({figures['rss_before']:.0f} MB before subscribing)"
    )
    counts_ok = (
        figures["stored"] == figures["distinct"] == figures["events"]
        and figures["wanted_dids"] == figures["dids"]
        and figures["connections"] == 1
    )
    ok = counts_ok if args.quick else counts_ok and figures["p99"] < 1.0
    print(
        f"jetstream: {'targets met' if ok else 'TARGETS MISSED'}"
        + (" (quick form: counts only)" if args.quick else " (p99 under 1 s, counts)")
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
