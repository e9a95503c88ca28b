"""`diplowatch demo`: the four founding incidents caught by the same scheduler and pipeline as the live bot.

Each account's recorded history is put in a live fixture feed and watched; the first poll learns it as
baseline. Then the incidents are appended to the feeds on an accelerated clock, the scheduler polls
them, and the alerts come out of the outbox as a journalist would read them.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bot.activity import parse_time
from bot.pipeline import Pipeline
from bot.scheduler import Poller
from bot.sources import SourceSettings
from bot.terminal import deliver_pending
from bot.watch import WatchedAccount
from storage import activities as activity_store
from storage import incidents as incident_store
from storage import watch as watch_store
from storage.db import Database

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"


@dataclass
class Scenario:
    handle: str
    platform: str
    source: Path
    incident_from: str
    entry: dict


def register(subparsers) -> None:
    p = subparsers.add_parser("demo", help="watch the four founding incidents being caught",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--fixtures", default=str(FIXTURES), help="folder with demo.json and the feeds")
    p.add_argument("--db", default="data/demo.db", help="SQLite file, recreated each run (default: %(default)s)")
    p.add_argument("--live-dir", default="data/demo-feeds", help="where the live fixture feeds are written")
    p.add_argument("--speed", type=float, default=3600.0, help="simulated seconds per real second")
    p.add_argument("--max-gap", type=float, default=0.15, help="longest real pause between two appended lines")
    p.add_argument("--poll", type=float, default=0.25, help="poll interval in real seconds")
    p.add_argument("--http", action="store_true",
                   help="poll over real HTTP: the feeds served as Bluesky accounts by the mock feed server")
    p.set_defaults(func=run)


def run(args) -> int:
    if args.http:
        from bot.mockfeed.demo import demo_over_http
        return asyncio.run(demo_over_http(args))
    return asyncio.run(_demo(args))


def _load_manifest(folder: Path) -> list[Scenario]:
    entries = json.loads((folder / "demo.json").read_text(encoding="utf-8"))
    return [Scenario(e["handle"], e["platform"], folder / e["file"], e["incident_from"], e) for e in entries]


def _fresh_file(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


async def open_demo_pipeline(db_path: Path, scenarios: list[Scenario], *, platform: str) -> tuple[Database, Pipeline]:
    """A fresh database watching the scenarios' accounts on `platform`, and the pipeline (with the
    incident library, so alerts list prior similar incidents) that both demos feed."""
    db = await Database.open(db_path)
    library = await incident_store.load_index(db, warn=lambda message: print(message, file=sys.stderr))
    pipeline = Pipeline(db, similar=library.finder(k=3) if library else None)
    for sc in scenarios:
        e = sc.entry
        await watch_store.add(db, WatchedAccount(
            platform=platform, handle=sc.handle, owner=e.get("owner"), role=e.get("role"),
            country=e.get("country"), host_country=e.get("host_country"), affiliation=e.get("affiliation"),
            added_by="demo",
        ))
    return db, pipeline


async def incidents_caught(db: Database, scenarios: list[Scenario], *, first_act: bool = True) -> list[tuple[Scenario, int]]:
    """Each scenario with its number of alerts from the incident on. With `first_act`, 0 unless the
    incident's first act itself alerted (a later alert alone does not count as catching it)."""
    caught = []
    for sc in scenarios:
        async with db.conn.execute(
            "SELECT COUNT(*), SUM(at = ?) FROM alerts WHERE account = ? AND at >= ?",
            (parse_time(sc.incident_from).strftime("%Y-%m-%dT%H:%M:%SZ"), sc.handle, sc.incident_from),
        ) as cur:
            total, first = await cur.fetchone()
        caught.append((sc, total if first or not first_act else 0))
    return caught


def print_caught(caught: list[tuple[Scenario, int]], out) -> None:
    for sc, n in caught:
        mark = "caught" if n else "MISSED"
        print(f"  {mark}: {sc.entry.get('incident', '')} @{sc.handle} ({n} alert(s) from {sc.incident_from}) "
              f"{sc.entry.get('expect', '')}", file=out)


async def _wait_until(predicate, timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await predicate():
            return True
        await asyncio.sleep(step)
    return False


async def _demo(args) -> int:
    started = time.monotonic()
    out = sys.stdout
    scenarios = _load_manifest(Path(args.fixtures))
    db_path, live = Path(args.db), Path(args.live_dir)
    _fresh_file(db_path)
    shutil.rmtree(live, ignore_errors=True)
    live.mkdir(parents=True)

    # Split each recorded feed into history (already there when watching starts) and what comes after.
    pending: list[tuple[str, str, str]] = []  # (at, handle, line)
    history = 0
    for sc in scenarios:
        cut = parse_time(sc.incident_from)
        with sc.source.open(encoding="utf-8") as src, (live / f"{sc.handle}.jsonl").open("w", encoding="utf-8") as dst:
            for line in src:
                if not line.strip():
                    continue
                at = json.loads(line)["at"]
                if parse_time(at) < cut:
                    dst.write(line)
                    history += 1
                else:
                    pending.append((at, sc.handle, line))
    pending.sort(key=lambda item: parse_time(item[0]))

    db, pipeline = await open_demo_pipeline(db_path, scenarios, platform="fixture")
    poller = Poller(pipeline, SourceSettings(fixture_dir=live), interval=args.poll)
    print(f"diplowatch demo: watching {len(scenarios)} accounts "
          f"({', '.join('@' + s.handle for s in scenarios)}) through fixture feeds in {live}/", file=out)
    await poller.refresh()
    poller.start()

    async def all_polled() -> bool:
        # The cursor is read on the writing connection, so also wait for the learning to finish.
        cursors = [await watch_store.get_cursor(db, "fixture", s.handle) for s in scenarios]
        return all(cursors) and pipeline.stats.stored >= history

    await _wait_until(all_polled, timeout=30)
    print(f"first poll = backfill: learned baselines from {pipeline.stats.learned:,} past activities, no alerts\n",
          file=out)

    stop = asyncio.Event()

    delivered = []

    async def deliver_loop():
        while not stop.is_set():
            delivered.extend(await deliver_pending(db, write=lambda text: print(text + "\n", file=out, flush=True)))
            await asyncio.sleep(0.05)

    delivery = asyncio.create_task(deliver_loop())
    # The accelerated clock: gaps between appended lines shrink by --speed, capped so quiet spells
    # (and the years between the four incidents) pass in a blink.
    previous = None
    for at, handle, line in pending:
        moment = parse_time(at)
        if previous is not None:
            await asyncio.sleep(min((moment - previous).total_seconds() / args.speed, args.max_gap))
        if previous is None or (moment - previous).days > 7:
            print(f"--- clock: {moment:%Y-%m-%d %H:%M} UTC ---", file=out, flush=True)
        previous = moment
        with (live / f"{handle}.jsonl").open("a", encoding="utf-8") as feed:
            feed.write(line)

    async def all_read() -> bool:
        for sc in scenarios:
            cursor = (await watch_store.get_cursor(db, "fixture", sc.handle) or {}).get("cursor") or "0:0"
            if int(cursor.split(":")[0]) < (live / f"{sc.handle}.jsonl").stat().st_size:
                return False
        return True

    await _wait_until(all_read, timeout=30)
    await poller.stop()
    await asyncio.sleep(0.1)
    stop.set()
    await delivery
    delivered.extend(await deliver_pending(db, write=lambda text: print(text + "\n", file=out, flush=True)))
    await pipeline.close()

    caught = await incidents_caught(db, scenarios)
    stored = await activity_store.count(db)
    s = pipeline.stats
    severities = ", ".join(f"{n} {k}" for k, n in sorted(s.by_severity.items())) or "none"
    await db.close()
    print("=" * 72, file=out)
    print(f"demo done in {time.monotonic() - started:.1f}s: {stored:,} activities stored "
          f"({history:,} history, {len(pending):,} streamed live) from {len(scenarios)} accounts into {db_path}; "
          f"{s.alerts} alerts ({severities}); {s.rejected} records kept aside as malformed", file=out)
    print_caught(caught, out)
    if os.environ.get("DISCORD_TOKEN") and os.environ.get("DIPLOWATCH_DEMO_CHANNEL"):
        # Discord is one more way out; the adapter is looked up only when asked for, so the core
        # itself never loads discord.
        line = await importlib.import_module("cogs.demo_post").post_from_settings(delivered)
        if line:
            print(line, file=out)
    return 0 if all(n for _, n in caught) else 1
