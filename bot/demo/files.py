"""`diplowatch demo` from recorded files: the founding incidents through the live scheduler and pipeline.

Each account's recorded history is put in a live fixture feed and watched; the first poll learns it as
baseline. Then the incidents are appended to the feeds on an accelerated clock, the scheduler polls
them, and the alerts come out of the outbox as a journalist would read them.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import shutil
import sys
import time
from pathlib import Path

from bot.activity import parse_time
from bot.demo.common import fresh_file, incidents_caught, load_manifest, open_demo_pipeline, print_caught, wait_until
from bot.profile.coordination import ARRIVAL_SLACK
from bot.scheduler import Poller
from bot.sources import SourceSettings
from bot.terminal import deliver_pending
from storage import activities as activity_store
from storage import watch as watch_store


async def demo_from_files(args) -> int:
    started = time.monotonic()
    out = sys.stdout
    scenarios = load_manifest(Path(args.fixtures))
    db_path, live = Path(args.db), Path(args.live_dir)
    fresh_file(db_path)
    shutil.rmtree(live, ignore_errors=True)
    live.mkdir(parents=True)  # noqa: ASYNC240 (setup, before any task runs: nothing to block)

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
    print(
        f"diplowatch demo: watching {len(scenarios)} accounts "
        f"({', '.join('@' + s.handle for s in scenarios)}) through fixture feeds in {live}/",
        file=out,
    )
    await poller.refresh()
    poller.start()

    async def all_polled() -> bool:
        # The cursor is read on the writing connection, so also wait for the learning to finish.
        cursors = [await watch_store.get_cursor(db, "fixture", s.handle) for s in scenarios]
        return all(cursors) and pipeline.stats.stored >= history

    await wait_until(all_polled, timeout=30)
    print(
        f"first poll = backfill: learned baselines from {pipeline.stats.learned:,} past activities, no alerts\n",
        file=out,
    )

    stop = asyncio.Event()

    delivered = []

    async def deliver_loop():
        while not stop.is_set():
            delivered.extend(await deliver_pending(db, write=lambda text: print(text + "\n", file=out, flush=True)))
            await asyncio.sleep(0.05)

    delivery = asyncio.create_task(deliver_loop())

    async def all_read() -> bool:
        for sc in scenarios:
            cursor = (await watch_store.get_cursor(db, "fixture", sc.handle) or {}).get("cursor") or "0:0"
            if int(cursor.split(":")[0]) < (live / f"{sc.handle}.jsonl").stat().st_size:
                return False
        return True

    # The accelerated clock: gaps between appended lines shrink by --speed, capped so quiet spells
    # (and the years between the four incidents) pass in a blink. Before a longer jump than the
    # grouping check waits for late arrivals, the poller catches up, as it would have in the hours
    # between: else one feed's next-day post, polled first, could close the window on another feed's
    # copy of a post made seconds apart, and the demo's alerts would vary from run to run.
    previous = None
    for at, handle, line in pending:
        moment = parse_time(at)
        if previous is not None:
            if (moment - previous).total_seconds() > ARRIVAL_SLACK:
                await wait_until(all_read, timeout=30)
            await asyncio.sleep(min((moment - previous).total_seconds() / args.speed, args.max_gap))
        if previous is None or (moment - previous).days > 7:
            print(f"--- clock: {moment:%Y-%m-%d %H:%M} UTC ---", file=out, flush=True)
        previous = moment
        with (live / f"{handle}.jsonl").open("a", encoding="utf-8") as feed:
            feed.write(line)

    await wait_until(all_read, timeout=30)
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
    print(
        f"demo done in {time.monotonic() - started:.1f}s: {stored:,} activities stored "
        f"({history:,} history, {len(pending):,} streamed live) from {len(scenarios)} accounts into {db_path}; "
        f"{s.alerts} alerts ({severities}); {s.rejected} records kept aside as malformed",
        file=out,
    )
    print_caught(caught, out)
    if os.environ.get("DISCORD_TOKEN") and os.environ.get("DIPLOWATCH_DEMO_CHANNEL"):
        # Discord is one more way out; the adapter is looked up only when asked for, so the core
        # itself never loads discord.
        line = await importlib.import_module("cogs.demo_post").post_from_settings(delivered)
        if line:
            print(line, file=out)
    return 0 if all(n for _, n in caught) else 1
