"""`diplowatch replay`: the live pipeline on recorded feeds.

Learns from everything before --learn-until without alerting, then scores the rest in timestamp
order, updating baselines as it goes. Alerts go to stdout (text or one JSON object per line);
progress, rejects and the summary go to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any, Iterator

from bot import progress, read_ahead
from bot.activity import Activity, ActivityError, parse_time, show_value
from bot.alerts import Alert
from bot.feeds import FeedError, Rejected, plan, stream
from bot.pipeline import Pipeline
from bot.profile import warm_up
from bot.render_text import render
from bot.stages import Stages, peak_memory_mb
from bot.watch import WatchedAccount
from storage import activities as activity_store
from storage import incidents as incident_store
from storage import watch as watch_store
from storage.db import Database, shown
from storage.db import errors as db_errors

# Activities per transaction. Each batch rewrites the baseline of every account it touched, the costliest
# write (a profile's state is tens of kilobytes, about 1 ms each to round and serialise): 10,000 cut that
# cost 5x against 2,000 on the real timelines, and 20,000 halves it again (1.8 s to about 1 s for the
# 170,650 activities) for about 20 MB more at the peak (25,000: 0.95 s, 35 MB more).
BATCH = 20_000
# Activities ingested at a time within a transaction: a piece is pulled from the feeds just before it is
# scored, so a reader ahead in another process (bot/read_ahead.py) works on the next ones meanwhile.
PIECE = 500


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
    p.add_argument(
        "--limit",
        type=int,
        metavar="N",
        help="only the first N activities in time order (a trial run on part of a backfill)",
    )
    p.add_argument(
        "--read-ahead",
        choices=("auto", "yes", "no"),
        default="auto",
        help="read, validate and observe the records in a second process while this one scores "
        "(auto: when there are 20,000 records or more and a second core; the output is the same)",
    )
    p.add_argument(
        "--timings",
        action="store_true",
        help="end with one line 'timings: {...}' on stderr: seconds per stage, as JSON",
    )
    p.set_defaults(func=run)


def load_accounts(path: str | None) -> list[WatchedAccount]:
    if not path:
        return []
    entries = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(entries, list):
        raise FeedError(f"{path}: expected a JSON list of accounts")
    return [_account(entry, f"{path}: account {n}") for n, entry in enumerate(entries, start=1)]


def _account(entry: Any, where: str) -> WatchedAccount:
    """One entry of an --accounts file; FeedError naming the entry and what is wrong with it."""
    if not isinstance(entry, dict):
        raise FeedError(
            f'{where}: expected an object such as {{"handle": ..., "platform": ...}}, got {show_value(entry)}'
        )
    # unknown keys are ignored, as before; a null is the field left out
    values = {k: v for k, v in entry.items() if k in WatchedAccount.__dataclass_fields__ and v is not None}
    for name in ("handle", "platform"):
        if not isinstance(values.get(name), str) or not values[name].strip():
            raise FeedError(f"{where}: {name} is required, as a non-empty string (got {show_value(values.get(name))})")
    for name, value in values.items():
        number = name in ("channel_id", "guild_id")
        if not isinstance(value, int if number else str) or isinstance(value, bool):
            kind = "an integer" if number else "a string"
            raise FeedError(f"{where}: {name} must be {kind}, got {show_value(value)}")
    return WatchedAccount(**values)


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
    if args.limit is not None and args.limit < 0:
        print("diplowatch replay: --limit must be 0 or more", file=sys.stderr)
        return 2
    try:
        return asyncio.run(_replay(args, learn_until, accounts))
    except FeedError as exc:
        print(f"diplowatch replay: {exc}", file=sys.stderr)
        return 2
    except DatabaseProblem as exc:
        print(f"diplowatch replay: cannot use the database {shown(args.db)}: {exc.__cause__}", file=sys.stderr)
        return 2


class DatabaseProblem(Exception):
    """The --db database could not be opened or used (its error is the cause): told in one line."""


def _database_errors() -> tuple[type[BaseException], ...]:
    """The storage layer's database errors, but for OSError: once the database is open, an OSError is
    as likely a feed's or the read-ahead process's, each told in its own way."""
    return tuple(kind for kind in db_errors() if kind is not OSError)


def _pieces(records: Iterator[Activity], learn_until: datetime, size: int) -> Iterator[tuple[bool, list[Activity]]]:
    """The records in pieces of up to `size`, each wholly before the split (learned only) or after it."""
    learning = True
    piece: list[Activity] = []
    for activity in records:
        if learning and activity.at >= learn_until:
            if piece:
                yield True, piece
                piece = []
            learning = False
        piece.append(activity)
        if len(piece) >= size:
            yield learning, piece
            piece = []
    if piece:
        yield learning, piece


def _primed(reader: read_ahead.ReadAhead, pipeline: Pipeline) -> Iterator[Activity]:
    """The reader's activities, each with its observation handed to the profiles as it goes by."""
    for activity, observation in reader:
        if observation is not None:
            pipeline.book.prime(activity, observation)
        yield activity


def _reader_memory(reader: read_ahead.ReadAhead | None) -> str:
    peak = reader.figures.get("peak_rss_mb") if reader is not None else None
    return f" (+{peak:.0f} MB reading ahead)" if peak else ""


async def _replay(args, learn_until, accounts) -> int:
    started, cpu_started = time.perf_counter(), time.process_time()
    err = sys.stderr
    # A file that cannot be read is reported in one line; every other file is still replayed.
    problems: list[str] = []
    rejects: list[Rejected] = []
    stages = Stages() if args.timings else None
    # A first look finds the accounts and the size; the records then stream through a merge of the
    # files in time order, a batch at a time, so memory holds a batch, not the whole backfill.
    feed_plan = plan(args.feeds)
    planning = time.perf_counter() - started
    total = feed_plan.records if args.limit is None else min(args.limit, feed_plan.records)
    ahead = args.read_ahead == "yes" or (args.read_ahead == "auto" and read_ahead.worth_it(total))
    reader: read_ahead.ReadAhead | None = None
    try:
        db = await Database.open(args.db)
    except db_errors() as exc:
        raise DatabaseProblem() from exc
    replayed = 0
    reported = (0, 0)  # problems and rejects told so far
    accounts_seen: set[tuple[str, str]] = set()
    try:
        async with db.transaction() as tx:
            for account in accounts:
                await watch_store.add(tx, account)
        library = await incident_store.load_index(db, warn=lambda message: print(message, file=err))
        # A failed batch ends the replay (its transaction rolled back; the next run reloads the stored
        # baselines), so the profiles in memory need no copy to put back.
        pipeline = Pipeline(db, similar=library.finder(k=3) if library else None, undo_learning=False)
        pipeline.stages = stages
        pipeline.set_watch_list(await watch_store.all_accounts(db))
        # every account the files speak for is one of the officials watched, known as such from the start
        # (a repost of one of them by another account outside its circle is S1's shape: signals/stranger.py)
        for platform, account in sorted(feed_plan.accounts):
            pipeline.book.watch(platform, account)
        records: Iterator[Activity]
        if ahead:
            # started before the baselines load: its own start-up runs meanwhile
            reader = read_ahead.ReadAhead(args.feeds, feed_plan, args.limit, pipeline.index)
            rejects, problems = reader.rejects, reader.problems
            records = _primed(reader, pipeline)
        else:
            records = stream(args.feeds, rejects, problems, feed_plan)
            if args.limit is not None:
                records = islice(records, args.limit)
        if stages is not None:
            stages.add("reading", planning)
            records = stages.timed(records, "reading")
        await pipeline.load_baselines()
        warm_up()  # the word lists and the language model load once, here, not in the first activity's time
        if reader is not None:
            reader.ready()  # its start-up ran beside the baselines' loading; what is left of it is start-up too
        shown = progress.wanted(args.quiet)
        emit = progress.write if shown else print  # alert lines must not tear the bar on screen
        bar = progress.bar(total, "replay", "activities", quiet=args.quiet)
        cpu_loop = time.process_time()
        pieces = _pieces(records, learn_until, min(PIECE, BATCH))
        done = False
        while not done:
            # one transaction per BATCH activities, ingested a piece at a time: the reader ahead (if any)
            # works on the next pieces meanwhile, and the baselines are written once, at the end
            alerts: list[Alert] = []
            count = 0
            learn_only = True
            async with db.transaction() as tx:
                while count < BATCH:
                    piece = next(pieces, None)
                    fresh_rejects = rejects[reported[1] :]
                    for problem in problems[reported[0] :]:
                        emit(f"unreadable {problem}", file=err)
                    for reject in fresh_rejects:
                        emit(f"rejected {reject}", file=err)
                    reported = (len(problems), len(rejects))
                    if fresh_rejects:
                        await activity_store.keep_rejects(
                            tx, [(r.source, r.line, r.reason, r.record) for r in fresh_rejects]
                        )
                    if piece is None:
                        done = True
                        break
                    learn_only, batch = piece
                    alerts += await pipeline.ingest(batch, learn_only=learn_only, tx=tx, write_baselines=False)
                    pipeline.book.unprime(batch)
                    count += len(batch)
                    accounts_seen.update((a.platform, a.account) for a in batch)
                    bar.update(len(batch))
                flushed_at = time.perf_counter()
                await pipeline.flush_baselines(tx)
                if stages is not None:
                    stages.add("baselines", time.perf_counter() - flushed_at)
            replayed += count
            shown_at = time.perf_counter()
            for alert in alerts:
                if args.format == "json":
                    emit(json.dumps(alert.to_dict(), ensure_ascii=False))
                else:
                    emit(render(alert) + "\n")
            if stages is not None:
                stages.add("rendering", time.perf_counter() - shown_at)
            bar.set_postfix_str(
                f"{'learning' if learn_only else 'scoring'}, {pipeline.stats.alerts} alerts", refresh=False
            )
        bar.close()
        cpu_loop = time.process_time() - cpu_loop
        pipeline.stats.rejected += len(rejects)
        await pipeline.close()
        sys.stdout.flush()
    except _database_errors() as exc:  # a write that failed (locked, full, read-only): rolled back, told once
        raise DatabaseProblem() from exc
    finally:
        if reader is not None:
            reader.close()
        await db.close()
    s = pipeline.stats
    severities = ", ".join(f"{n} {k}" for k, n in sorted(s.by_severity.items())) or "none"
    print(
        f"replay: {replayed:,} {'activity' if replayed == 1 else 'activities'} from {len(args.feeds)} file(s), {len(accounts_seen)} account(s); "
        f"{s.stored:,} new, {s.seen - s.stored:,} already stored; learned {s.learned:,}, scored {s.scored:,}; "
        f"{s.alerts} alert(s) ({severities}); {s.rejected} rejected ({s.conflicts} conflicting duplicate(s)); "
        f"{len(problems)} unreadable file(s); "
        f"{time.perf_counter() - started:.1f}s, peak memory {peak_memory_mb():.0f} MB{_reader_memory(reader)}; "
        f"db {args.db}",
        file=err,
    )
    if stages is not None:
        figures: dict[str, Any] = {k: round(v, 3) for k, v in stages.seconds.items()}
        # CPU seconds of the whole process (SQLite's thread too), steadier than the clock on a busy machine:
        # after start-up, and of the loop over the activities alone
        figures.update(
            total=round(time.perf_counter() - started, 3),
            activities=replayed,
            peak_rss_mb=round(peak_memory_mb(), 1),
            cpu=round(time.process_time() - cpu_started, 3),
            cpu_loop=round(cpu_loop, 3),
        )
        figures["cpu_stages"] = {k: round(v, 3) for k, v in stages.cpu.items()}  # the loop thread's own CPU
        if reader is not None:
            figures["read_ahead"] = reader.figures
        print("timings: " + json.dumps(figures), file=err)
    return 2 if problems else 0  # only after every readable file is stored
