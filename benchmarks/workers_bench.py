"""Workers on one PostgreSQL database: 10,000 mock RSS accounts polled by 1, 2 and 4 `diplowatch worker`
processes on this machine (the mock feed server in a process of its own, a real PostgreSQL server that the
benchmark starts, tests/postgres.py).

For each number of workers: the backfill (every account's first poll), then the poll cycle (the time until
every account has been polled once more, with a poll interval short enough that the workers are always
busy) and the throughput (polls per second), with the CPU seconds each side spent per poll: the workers,
PostgreSQL, the mock server. Where it stops scaling is where those CPU seconds add up to the machine's cores.

    python benchmarks/workers_bench.py [--accounts N] [--workers 1,2,4] [--quick]

--quick (what `make test` runs): 200 accounts, 1 then 2 workers, and it checks counts only: every account
polled again, every activity stored once, every lease held by a live worker. No time is checked.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402

from bot.activity import format_time  # noqa: E402
from bot.mockfeed.scenario import synthetic  # noqa: E402
from storage.db import Database  # noqa: E402
from tests.postgres import LocalPostgres  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
START = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)
HISTORY = 2  # items per feed at the backfill
LEASE = 15.0
WAIT = 900.0


def rss_population(accounts: int) -> list:
    return [a for a in synthetic(accounts * 4, start=START, history=HISTORY, future=0) if a.platform == "rss"]


def serve(accounts: int, conn) -> None:
    """Child process: the mock server with `accounts` RSS feeds; sends its URLs, serves until told to stop."""
    from bot.mockfeed import Clock, MockFeedServer, World

    async def main() -> None:
        world = World(Clock(START, 0.0))
        world.load(rss_population(accounts))
        server = MockFeedServer(world)
        await server.start()
        conn.send({"urls": server.urls(), "admin": server.admin_url()})
        await asyncio.get_running_loop().run_in_executor(None, conn.recv)
        await server.stop()

    asyncio.run(main())


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process (and of its children it waited for), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    return sum(int(x) for x in fields[11:15]) / ticks


def postgres_cpu(pg: LocalPostgres) -> float:
    """CPU seconds of every PostgreSQL process of this server (the postmaster and its backends)."""
    assert pg.process is not None
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pg.process.pid or int(entry.name) == pg.process.pid:  # its parent is the postmaster
            total += cpu_seconds(int(entry.name))
    return total


async def count(db: Database, sql: str, *args) -> int:
    async with db.conn.execute(sql, args) as cur:
        return int((await cur.fetchone())[0])


async def until(predicate, what: str, timeout: float = WAIT) -> float:
    started = time.perf_counter()
    while not await predicate():
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"workers_bench: timed out waiting for {what}")
        await asyncio.sleep(0.2)
    return time.perf_counter() - started


async def run(pg: LocalPostgres, urls: dict, admin: str, accounts: int, workers: int, interval: float) -> dict:
    url = pg.create("bench")
    handles = sorted({a.account for a in rss_population(accounts)})
    async with await Database.open(url) as db:
        async with db.transaction() as tx:
            await tx.conn.executemany(
                "INSERT INTO watched (guild_id, platform, handle, role) VALUES (0, 'rss', ?, 'ministry')",
                [(h,) for h in handles],
            )
        env = dict(os.environ, PYTHONUNBUFFERED="1", DIPLOWATCH_HTTP_CONNECTIONS_PER_HOST="32")
        env.update({f"DIPLOWATCH_{name.upper()}": value for name, value in urls.items()})
        procs = [
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "worker",
                "--db",
                url,
                "--poll",
                str(interval),
                "--lease",
                str(LEASE),
                "--name",
                f"bench{n}",
                cwd=ROOT,
                env=env,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
            )  # fmt: skip
            for n in range(workers)
        ]
        try:

            async def backfilled() -> bool:
                return await count(db, "SELECT COUNT(*) FROM cursors WHERE last_ok_at IS NOT NULL") == len(handles)

            backfill_s = await until(backfilled, "the backfill")

            async def shared() -> bool:  # the cycle is measured with the accounts spread over every worker
                return (
                    await count(
                        db,
                        "SELECT COUNT(DISTINCT holder) FROM leases"
                        " WHERE expires_at > extract(epoch FROM clock_timestamp())",
                    )
                    == workers
                )

            await until(shared, "the accounts shared between the workers")
            async with httpx.AsyncClient() as control:
                before = (await control.get(admin + "/stats")).json()
            mark = format_time(datetime.now(timezone.utc) + timedelta(seconds=1))
            cpu = [cpu_seconds(p.pid) for p in procs], postgres_cpu(pg)

            async def cycled() -> bool:
                return await count(db, "SELECT COUNT(*) FROM cursors WHERE last_poll_at >= ?", mark) == len(handles)

            cycle_s = await until(cycled, "a full poll cycle") + 1.0
            worker_cpu = sum(cpu_seconds(p.pid) for p in procs) - sum(cpu[0])
            pg_cpu = postgres_cpu(pg) - cpu[1]
            async with httpx.AsyncClient() as control:
                after = (await control.get(admin + "/stats")).json()
            stored = await count(db, "SELECT COUNT(*) FROM activities")
            live = await count(
                db,
                "SELECT COUNT(*) FROM leases WHERE holder IS NOT NULL AND expires_at > extract(epoch FROM clock_timestamp())",
            )
            holders = await count(db, "SELECT COUNT(DISTINCT holder) FROM leases WHERE holder IS NOT NULL")
        finally:
            for p in procs:
                p.terminate()
            for p in procs:
                await p.wait()
    polls = after["requests"] - before["requests"]
    return {
        "workers": workers,
        "accounts": len(handles),
        "backfill_s": backfill_s,
        "cycle_s": cycle_s,
        "polls": polls,
        "throughput": polls / cycle_s,
        "worker_cpu_ms": 1000 * worker_cpu / max(1, polls),
        "pg_cpu_ms": 1000 * pg_cpu / max(1, polls),
        "mock_cpu_ms": 1000 * (after["cpu_s"] - before["cpu_s"]) / max(1, polls),
        "busy_cores": (worker_cpu + pg_cpu + after["cpu_s"] - before["cpu_s"]) / cycle_s,
        "load": os.getloadavg()[0],
        "stored": stored,
        "expected": len(handles) * HISTORY,
        "leased": live,
        "holders": holders,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 accounts, 1 and 2 workers, counts only")
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--workers", default="1,2,4")
    args = parser.parse_args()
    accounts = 200 if args.quick else args.accounts
    counts = [1, 2] if args.quick else [int(n) for n in args.workers.split(",")]
    interval = 2.0 if args.quick else 5.0
    parent, child = multiprocessing.Pipe()
    server = multiprocessing.Process(target=serve, args=(accounts, child), daemon=True)
    server.start()
    info = parent.recv()
    results = []
    try:
        with LocalPostgres(max_connections=64) as pg:
            for n in counts:
                results.append(asyncio.run(run(pg, info["urls"], info["admin"], accounts, n, interval)))
                r = results[-1]
                print(
                    f"{r['workers']} worker(s), {r['accounts']:,} accounts: backfill {r['backfill_s']:.1f} s, "
                    f"poll cycle {r['cycle_s']:.1f} s, {r['throughput']:.0f} polls/s; CPU per poll: workers "
                    f"{r['worker_cpu_ms']:.2f} ms, PostgreSQL {r['pg_cpu_ms']:.2f} ms, mock server "
                    f"{r['mock_cpu_ms']:.2f} ms; {r['busy_cores']:.2f} cores busy with these, "
                    f"load average {r['load']:.1f}",
                    flush=True,
                )
    finally:
        parent.send("stop")
        server.join(10)
    failed = [
        r
        for r in results
        if r["stored"] != r["expected"] or r["leased"] != r["accounts"] or r["holders"] != r["workers"]
    ]
    for r in failed:
        print(
            f"FAILED with {r['workers']} worker(s): {r['stored']} activities stored of {r['expected']}, "
            f"{r['leased']} of {r['accounts']} accounts leased, {r['holders']} holder(s)"
        )
    if not args.quick and len(results) > 1:
        base = results[0]["throughput"]
        for r in results[1:]:
            print(f"{r['workers']} workers: {r['throughput'] / base:.2f}x the throughput of one")
        cores = os.cpu_count() or 1
        top = results[-1]
        per_poll = top["worker_cpu_ms"] + top["pg_cpu_ms"] + top["mock_cpu_ms"]
        print(
            f"CPU per poll, all processes: {per_poll:.2f} ms; {cores} core(s) give at most "
            f"{1000 * cores / per_poll:.0f} polls/s on this machine"
        )
    print(f"workers_bench: {'FAILED' if failed else 'ok'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
