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

from bot.activity import ActivityError, parse_time
from bot.demo.common import (
    DemoError,
    Scenario,
    fresh_file,
    incidents_caught,
    load_manifest,
    open_demo_pipeline,
    print_caught,
    wait_until,
)
from bot.profile.coordination import ARRIVAL_SLACK
from bot.scheduler import Poller
from bot.sources import SourceSettings
from bot.terminal import deliver_pending
from storage import activities as activity_store
from storage import watch as watch_store


# Written in the --live-dir the demo makes: a folder with it is the demo's own, emptied on the next run.
MARKER = ".diplowatch-demo"


def fresh_live_dir(live: Path, scenarios: list[Scenario]) -> None:
    """An empty --live-dir with the demo's marker in it. A folder there already is emptied only when it is
    the demo's: it has the marker, or holds nothing but the scenarios' feeds (what a demo made before the
    marker); any other folder or file is left alone and DemoError says so."""
    feeds = {f"{sc.handle}.jsonl" for sc in scenarios}
    if live.is_symlink() or (live.exists() and not live.is_dir()):
        raise DemoError(f"--live-dir {live}: exists and is not a folder; give a new or empty folder")
    if live.is_dir():
        others = sorted(e.name for e in live.iterdir() if e.name not in feeds and e.name != MARKER)
        if others and not (live / MARKER).is_file():
            more = f" and {len(others) - 1} more" if len(others) > 1 else ""
            raise DemoError(
                f"--live-dir {live}: not a folder the demo made (it holds {others[0]!r}{more}), and the demo "
                f"empties its folder each run; give a new or empty folder"
            )
        shutil.rmtree(live)
    live.mkdir(parents=True)
    (live / MARKER).write_text(
        "Made by `diplowatch demo` for its live fixture feeds: it empties this folder on each run.\n", encoding="utf-8"
    )


def split_feeds(live: Path, scenarios: list[Scenario]) -> tuple[int, list[tuple[str, str, str]]]:
    """Each recorded feed's history written to its live feed (there when watching starts); the number of
    those lines, and the rest in time order as (at, handle, line). DemoError naming a feed it cannot read."""
    pending: list[tuple[str, str, str]] = []  # (at, handle, line)
    history = 0
    for sc in scenarios:
        number = 0  # the line read last
        try:
            cut = parse_time(sc.incident_from)
            with (
                sc.source.open(encoding="utf-8") as src,
                (live / f"{sc.handle}.jsonl").open("w", encoding="utf-8") as dst,
            ):
                for line in src:
                    number += 1
                    if not line.strip():
                        continue
                    at = json.loads(line)["at"]
                    if parse_time(at) < cut:
                        dst.write(line)
                        history += 1
                    else:
                        pending.append((at, sc.handle, line))
        except OSError as exc:
            raise DemoError(f"{exc.filename or sc.source}: {exc.strerror or exc}") from None
        except UnicodeDecodeError as exc:
            raise DemoError(f"{sc.source}: not UTF-8 text ({exc.reason})") from None
        except (ValueError, KeyError, TypeError, ActivityError) as exc:
            where = f"{sc.source}:{number}" if number else f"{sc.source} (incident_from of @{sc.handle})"
            raise DemoError(f"{where}: not an activity with a valid `at`: {exc!r}") from None
    pending.sort(key=lambda item: parse_time(item[0]))
    return history, pending


async def demo_from_files(args) -> int:
    started = time.monotonic()
    out = sys.stdout
    scenarios = load_manifest(Path(args.fixtures))
    db_path, live = Path(args.db), Path(args.live_dir)
    try:
        fresh_file(db_path)
        fresh_live_dir(live, scenarios)  # setup, before any task runs: nothing to block
    except OSError as exc:
        raise DemoError(f"cannot prepare {exc.filename or live}: {exc.strerror or exc}") from None
    history, pending = split_feeds(live, scenarios)

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
