"""Live feeds against the mock feed server on loopback (the server runs in its own process).

1. Poll cycle: 1,000 watched accounts (Bluesky, Mastodon, X, RSS in equal parts), all polled at once
   through the one shared client: time of the first (backfill) cycle and of a steady cycle, and the
   most connections per host the server saw (must not exceed the configured number). Then what the
   scheduler does with each poll, timed apart from the fetching: one transaction per account storing
   its activities, scoring them (the backfill is only learned), learning them and writing its baseline.
2. Fault injection: every fault kind at least 50 times while new activity keeps arriving; polls go
   through feed health (backoff, pause, resume). Counts crashes (exceptions other than FeedError),
   activities lost (in a clean re-read at the end but never delivered) or duplicated (delivered twice),
   and sources paused then resumed.

    python benchmarks/feeds_bench.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing
import os
import random
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402

from bot import collector, compiled  # noqa: E402
from bot.mockfeed.faults import FAULTS  # noqa: E402
from bot.pipeline import Pipeline  # noqa: E402
from bot.mockfeed.scenario import PLATFORMS, handle_for, synthetic  # noqa: E402
from bot.sources import REGISTRY, SourceSettings  # noqa: E402
from bot.sources.health import BackoffPolicy, FeedHealth, poll_source  # noqa: E402
from bot.sources.http import Fetcher, HttpSettings, make_client  # noqa: E402
from storage.db import Database  # noqa: E402

START = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)
MAX_FAULT_CYCLES = 2000
SPACING = 600.0  # feed seconds between an account's activities, on average


def serve(accounts: int, history: int, future: int, conn) -> None:
    """Child process: the mock server with a synthetic population; sends its base URLs, then serves."""
    from bot.mockfeed import Clock, MockFeedServer, World

    async def main() -> None:
        world = World(Clock(START, 0.0))
        world.load(synthetic(accounts, start=START, history=history, future=future, spacing=SPACING))
        server = MockFeedServer(world)
        await server.start()
        conn.send({"urls": server.urls(), "admin": server.admin_url()})
        await asyncio.get_running_loop().run_in_executor(None, conn.recv)  # until told to stop
        await server.stop()

    asyncio.run(main())


class MockProcess:
    def __init__(self, accounts: int, history: int, future: int):
        self.parent, child = multiprocessing.Pipe()
        self.process = multiprocessing.Process(target=serve, args=(accounts, history, future, child), daemon=True)

    def __enter__(self) -> dict:
        self.process.start()
        return self.parent.recv()

    def __exit__(self, *exc) -> None:
        self.parent.send("stop")
        self.process.join(10)


def handles(accounts: int) -> list[tuple[str, str]]:
    return [(PLATFORMS[n % len(PLATFORMS)], handle_for(PLATFORMS[n % len(PLATFORMS)], n)) for n in range(accounts)]


async def admin(client: httpx.AsyncClient, base: str, method: str, path: str, body=None) -> dict:
    response = await client.request(method, base + path, json=body)
    response.raise_for_status()
    return response.json()


async def cycle_benchmark(accounts: int, per_host: int) -> dict:
    with MockProcess(accounts, history=12, future=4) as info:
        http = HttpSettings(per_host_connections=per_host, default_budget=(1_000_000, 1.0), timeout=30.0)
        settings = SourceSettings(
            base_urls=info["urls"], x_bearer_token="bench", fetcher=Fetcher(make_client(http), http)
        )
        sources = [REGISTRY[p](h, settings) for p, h in handles(accounts)]
        async with httpx.AsyncClient() as control:
            started = time.perf_counter()
            first = await asyncio.gather(*(s.poll(None) for s in sources))
            backfill_s = time.perf_counter() - started
            await admin(control, info["admin"], "POST", "/clock", {"advance": SPACING * 4})
            server_cpu = (await admin(control, info["admin"], "GET", "/stats"))["cpu_s"]
            client_cpu = time.process_time()
            started = time.perf_counter()
            second = await asyncio.gather(*(s.poll(r.cursor) for s, r in zip(sources, first, strict=True)))
            steady_s = time.perf_counter() - started
            client_cpu = time.process_time() - client_cpu
            stats = await admin(control, info["admin"], "GET", "/stats")
            server_cpu = stats["cpu_s"] - server_cpu
        if settings.fetcher is not None:
            await settings.fetcher.client.aclose()
    ids = [a.id for r in first + second for a in r.activities]
    ingest = await ingest_cycles(first, second)
    return {
        **ingest,
        "accounts": accounts,
        "backfill_s": backfill_s,
        "steady_s": steady_s,
        "backfill_activities": sum(len(r.activities) for r in first),
        "new_activities": sum(len(r.activities) for r in second),
        "duplicates": len(ids) - len(set(ids)),
        "rejects": sum(len(r.rejects) for r in first + second),
        "requests": stats["requests"],
        "not_modified": stats["not_modified"],
        "max_open": {s: v["max_open"] for s, v in stats["services"].items()},
        "per_host": per_host,
        "client_cpu_s": client_cpu,
        "server_cpu_s": server_cpu,
        "load": os.getloadavg()[0],
    }


async def ingest_cycles(first: list, second: list) -> dict:
    """Each account's poll as the scheduler takes it: one transaction (its activities, their scores and
    alerts, its baseline), the first cycle learned as backfill; the steady cycle's wall and CPU time."""
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(f"{tmp}/cycle.db")
        try:
            pipeline = Pipeline(db)
            for result in first:
                async with db.transaction() as tx:
                    await pipeline.ingest(result.activities, learn_only=result.backfill, tx=tx)
            cpu, started = time.process_time(), time.perf_counter()
            for result in second:
                async with db.transaction() as tx:
                    await pipeline.ingest(result.activities, learn_only=result.backfill, tx=tx)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        finally:
            await db.close()
    return {
        "ingest_s": seconds,
        "ingest_cpu_s": cpu,
        "scored": pipeline.stats.scored,
        "stored": pipeline.stats.stored,
        "alerts": pipeline.stats.alerts,
    }


async def fault_run(accounts: int, per_fault: int, seed: int = 11) -> dict:
    rng = random.Random(seed)
    # Enough future activity that something new arrives throughout the run.
    with MockProcess(accounts, history=6, future=14) as info:
        http = HttpSettings(
            per_host_connections=4, default_budget=(1_000_000, 1.0), timeout=0.3, connect_timeout=0.3, max_wait=0.0
        )
        settings = SourceSettings(
            base_urls=info["urls"], x_bearer_token="bench", fetcher=Fetcher(make_client(http), http)
        )
        policy = BackoffPolicy(base=0.05, cap=0.4, pause_after=3)
        watched = handles(accounts)
        sources = {key: REGISTRY[key[0]](key[1], settings) for key in watched}
        health = {key: FeedHealth() for key in watched}
        delivered: Counter = Counter()
        crashes, ever_paused, cycles = 0, set(), 0
        async with httpx.AsyncClient() as control:
            for fault in FAULTS:
                await admin(
                    control,
                    info["admin"],
                    "POST",
                    "/faults",
                    {
                        "fault": fault,
                        "count": per_fault,
                        "probability": 0.04,
                        "retry_after": 0.2,
                        "delay": 0.05 if fault == "slow" else 1.0,
                    },
                )

            async def one(key) -> None:
                nonlocal crashes
                try:
                    outcome = await poll_source(sources[key], health[key], policy=policy, rng=rng)
                except Exception as exc:  # anything but a FeedError escaping is a crash
                    crashes += 1
                    print(f"crash {key}: {type(exc).__name__}: {exc}", file=sys.stderr)
                    return
                if health[key].paused(policy):
                    ever_paused.add(key)
                if outcome.result is not None:
                    delivered.update(a.id for a in outcome.result.activities)

            started = time.perf_counter()
            released = 0.0
            while True:
                cycles += 1
                if released < SPACING * 16:
                    await admin(control, info["admin"], "POST", "/clock", {"advance": SPACING})
                    released += SPACING
                await asyncio.gather(*(one(k) for k in watched))
                stats = await admin(control, info["admin"], "GET", "/stats")
                faults_done = all(r["fired"] >= r["count"] for r in stats["rules"])
                healthy = all(h.failures == 0 and h.cursor for h in health.values())
                if faults_done and healthy and released >= SPACING * 16:
                    break
                if cycles >= MAX_FAULT_CYCLES:  # a bound in cycles, not seconds: a slow machine still finishes
                    print(f"fault run: gave up after {cycles} cycles", file=sys.stderr)
                    break
                await asyncio.sleep(0.05)
            elapsed = time.perf_counter() - started
            await admin(control, info["admin"], "DELETE", "/faults")
            # Ground truth: a clean re-read of every account from scratch on the recovered server.
            reference: set[str] = set()
            for key in watched:
                fresh = REGISTRY[key[0]](key[1], settings)
                reference.update(
                    a.id for a in (await fresh.poll(None)).activities if a.kind not in ("status", "profile")
                )
        if settings.fetcher is not None:
            await settings.fetcher.client.aclose()
    resumed = sum(1 for key in ever_paused if health[key].failures == 0)
    return {
        "accounts": accounts,
        "cycles": cycles,
        "seconds": elapsed,
        "faults": stats["faults"],
        "crashes": crashes,
        "lost": len(reference - set(delivered)),
        "duplicated": sum(1 for n in delivered.values() if n > 1),
        "delivered": len(delivered),
        "paused": len(ever_paused),
        "resumed": resumed,
    }


def main() -> int:
    collector.tune()  # as the command line sets it for every command (bot/collector.py)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller fault-injection population")
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--per-host", type=int, default=4, help="connections per host (the default setting)")
    args = parser.parse_args()
    # Pauses are logged as warnings by design; here they are counted instead.
    logging.basicConfig(level=logging.ERROR)

    print(f"feeds: cpus={os.cpu_count()} python={sys.version.split()[0]} detector {compiled.describe()}")
    cycle = asyncio.run(cycle_benchmark(args.accounts, args.per_host))
    print(
        f"poll cycle: {cycle['accounts']} accounts; backfill {cycle['backfill_s']:.2f}s "
        f"({cycle['backfill_activities']} activities); steady cycle {cycle['steady_s']:.2f}s "
        f"({cycle['new_activities']} new activities); {cycle['requests']} requests, "
        f"{cycle['not_modified']} answered 304; duplicates {cycle['duplicates']}, rejects {cycle['rejects']}"
    )
    print(
        f"poll cycle: steady cycle CPU: client {cycle['client_cpu_s']:.2f}s, mock server {cycle['server_cpu_s']:.2f}s "
        f"(load average {cycle['load']:.1f}: other work on the machine stretches wall time)"
    )
    print(f"poll cycle: max open connections per host {cycle['max_open']} (configured {cycle['per_host']})")
    print(
        f"poll cycle: ingest of the steady cycle (a transaction per account: store, score, learn, baseline) "
        f"{cycle['ingest_s']:.2f}s, CPU {cycle['ingest_cpu_s']:.2f}s "
        f"({1e6 * cycle['ingest_cpu_s'] / max(1, cycle['scored']):.0f} µs of CPU per scored activity); "
        f"{cycle['stored']} stored, {cycle['scored']} scored, {cycle['alerts']} alerts"
    )
    fault = asyncio.run(fault_run(120 if args.quick else 400, per_fault=60 if args.quick else 100))
    print(
        f"fault run: {fault['accounts']} accounts, {fault['cycles']} cycles in {fault['seconds']:.1f}s; "
        f"faults served {dict(sorted(fault['faults'].items()))}"
    )
    print(
        f"fault run: crashes {fault['crashes']}, lost {fault['lost']}, duplicated {fault['duplicated']} "
        f"(of {fault['delivered']} delivered); paused {fault['paused']}, resumed {fault['resumed']}"
    )
    # Times are printed, never judged: a loaded machine stretches them for reasons unrelated to the code.
    print(f"poll cycle: steady cycle target < 5 s: {'met' if cycle['steady_s'] < 5 else 'missed'} (informative only)")
    ok = (
        max(cycle["max_open"].values()) <= cycle["per_host"]
        and cycle["duplicates"] == 0
        and cycle["stored"] == cycle["backfill_activities"] + cycle["new_activities"]
        and cycle["scored"] == cycle["new_activities"]
        and fault["crashes"] == 0
        and fault["lost"] == 0
        and fault["duplicated"] == 0
        and fault["resumed"] == fault["paused"]
        and min(fault["faults"].get(f, 0) for f in FAULTS) >= 50
    )
    print(f"feeds: {'counts and correctness checks passed' if ok else 'CHECKS FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
