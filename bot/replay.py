"""`diplowatch replay`: the live pipeline on recorded feeds.

Learns from everything before --learn-until without alerting, then scores the rest in timestamp
order, updating baselines as it goes. Alerts go to stdout (text or one JSON object per line);
progress, rejects and the summary go to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import time
from pathlib import Path

from bot import progress
from bot.activity import ActivityError, parse_time
from bot.feeds import FeedError, merged
from bot.pipeline import Pipeline
from bot.render_text import render
from bot.watch import WatchedAccount
from storage import activities as activity_store
from storage import incidents as incident_store
from storage import watch as watch_store
from storage.db import Database

BATCH = 2000


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "replay",
        help="run recorded feeds through the pipeline",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "feeds",
        nargs="+",
        metavar="FEED",
        help="normalized JSON Lines (.jsonl, .jsonl.gz) or raw Twitter v1.1 JSON arrays (.json)",
    )
    p.add_argument(
        "--learn-until", required=True, metavar="TIMESTAMP", help="RFC 3339; activities before it only build baselines"
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--db", default="data/replay.db", metavar="PATH", help="SQLite file (default: %(default)s)")
    p.add_argument(
        "--accounts",
        metavar="FILE",
        help="JSON list of {handle, platform, owner, role, country, host_country, affiliation}",
    )
    p.add_argument(
        "--quiet", action="store_true", help="no progress bar (there is none either when stderr is not a terminal)"
    )
    p.set_defaults(func=run)


def load_accounts(path: str | None) -> list[WatchedAccount]:
    if not path:
        return []
    entries = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(entries, list):
        raise FeedError(f"{path}: expected a JSON list of accounts")
    fields = WatchedAccount.__dataclass_fields__
    return [WatchedAccount(**{k: v for k, v in e.items() if k in fields}) for e in entries]


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def run(args) -> int:
    try:
        learn_until = parse_time(args.learn_until, "--learn-until")
    except ActivityError as exc:
        print(f"diplowatch replay: {exc}", file=sys.stderr)
        return 2
    try:
        accounts = load_accounts(args.accounts)
    except (FeedError, OSError, ValueError, TypeError) as exc:
        print(f"diplowatch replay: {exc}", file=sys.stderr)
        return 2
    try:
        return asyncio.run(_replay(args, learn_until, accounts))
    except FeedError as exc:
        print(f"diplowatch replay: {exc}", file=sys.stderr)
        return 2


async def _replay(args, learn_until, accounts) -> int:
    started = time.perf_counter()
    err = sys.stderr
    # A file that cannot be read is reported in one line; every other file is still replayed.
    problems: list[str] = []
    activities, rejects = merged(args.feeds, problems)
    for problem in problems:
        print(f"unreadable {problem}", file=err)
    for reject in rejects:
        print(f"rejected {reject}", file=err)
    db = await Database.open(args.db)
    try:
        async with db.transaction() as tx:
            for account in accounts:
                await watch_store.add(tx, account)
        library = await incident_store.load_index(db, warn=lambda message: print(message, file=err))
        # A failed batch ends the replay (its transaction rolled back; the next run reloads the stored
        # baselines), so the profiles in memory need no copy to put back.
        pipeline = Pipeline(db, similar=library.finder(k=3) if library else None, undo_learning=False)
        pipeline.set_watch_list(await watch_store.all_accounts(db))
        # every account the files speak for is one of the officials watched, known as such from the start
        # (a repost of one of them by another account outside its circle is S1's shape: signals/stranger.py)
        for platform, account in sorted({(a.platform, a.account) for a in activities}):
            pipeline.book.watch(platform, account)
        await pipeline.load_baselines()
        async with db.transaction() as tx:
            await activity_store.keep_rejects(tx, [(r.source, r.line, r.reason, r.record) for r in rejects])
        pipeline.stats.rejected = len(rejects)
        split = next((i for i, a in enumerate(activities) if a.at >= learn_until), len(activities))
        shown = progress.wanted(args.quiet)
        emit = progress.write if shown else print  # alert lines must not tear the bar on screen
        bar = progress.bar(len(activities), "replay", "activities", quiet=args.quiet)
        start = 0
        while start < len(activities):
            end = min(start + BATCH, len(activities))
            if start < split:  # a batch never straddles the split
                end = min(end, split)
            alerts = await pipeline.ingest(activities[start:end], learn_only=end <= split)
            for alert in alerts:
                if args.format == "json":
                    emit(json.dumps(alert.to_dict(), ensure_ascii=False))
                else:
                    emit(render(alert) + "\n")
            bar.set_postfix_str(
                f"{'learning' if end <= split else 'scoring'}, {pipeline.stats.alerts} alerts", refresh=False
            )
            bar.update(end - start)
            start = end
        bar.close()
        await pipeline.close()
        sys.stdout.flush()
    finally:
        await db.close()
    s = pipeline.stats
    accounts_seen = len({a.key[:1] + (a.account,) for a in activities})
    severities = ", ".join(f"{n} {k}" for k, n in sorted(s.by_severity.items())) or "none"
    print(
        f"replay: {len(activities):,} activities from {len(args.feeds)} file(s), {accounts_seen} account(s); "
        f"{s.stored:,} new, {s.seen - s.stored:,} already stored; learned {s.learned:,}, scored {s.scored:,}; "
        f"{s.alerts} alert(s) ({severities}); {s.rejected} rejected ({s.conflicts} conflicting duplicate(s)); "
        f"{len(problems)} unreadable file(s); "
        f"{time.perf_counter() - started:.1f}s, peak memory {peak_memory_mb():.0f} MB; db {args.db}",
        file=err,
    )
    return 2 if problems else 0  # only after every readable file is stored
