"""`diplowatch watch run`: live without a bot. Polls the watch list on the schedule and streams its Bluesky
accounts through Jetstream (the same scheduler, streams and pipeline as `diplowatch run`), and prints
each alert to stdout as it comes out of the outbox; an account with a webhook (`watch add ... --webhook
URL`) also gets its alerts posted there (bot/webhook.py).

Text as `diplowatch replay` prints it, or with --format json the replay's alert contract, one JSON object
per line. Ctrl-C or SIGTERM stops it after the poll that is writing has committed and every alert
already stored has been printed; alerts a crash left unprinted are printed on the next start.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from contextlib import suppress
from pathlib import Path

from bot.alerts import SEVERITIES, Alert
from bot.render_text import render
from bot.stopping import stop_on_signals

log = logging.getLogger(__name__)

DESTINATION = "terminal"


def register(sub, common) -> None:
    p = sub.add_parser(
        "run", parents=[common], help="poll the watch list and print each alert (no Discord)", description=__doc__
    )
    p.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text as a journalist reads it, or one JSON alert per line",
    )
    p.add_argument(
        "--poll", type=float, metavar="SECONDS", help="poll interval (default: DIPLOWATCH_POLL_SECONDS, else 60)"
    )
    p.add_argument(
        "--fixture-dir",
        metavar="DIR",
        help="where `fixture` feeds live (default: DIPLOWATCH_FIXTURE_DIR, else fixtures/feeds)",
    )
    p.add_argument("--min-severity", choices=SEVERITIES, default="low", help="print alerts from this severity up")
    p.set_defaults(func=run)


def formatter(fmt: str):
    if fmt == "json":
        return lambda alert: json.dumps(alert.to_dict(), ensure_ascii=False)
    return lambda alert: render(alert) + "\n"


def run(args) -> int:
    from bot.config import ConfigError, load_settings
    from bot.watch import HEADLESS

    if getattr(args, "guild", HEADLESS) != HEADLESS:
        # The loop polls every list in the database once and prints the command line's own alerts; a
        # server's alerts are queued for its channel, which only the bot (`diplowatch run`) posts.
        print(
            "diplowatch watch run: --guild is for add, remove, list, show, import and export; `watch run` "
            "prints the alerts of the command line's own watch list (a server's alerts go to its channel "
            "through the bot: diplowatch run)",
            file=sys.stderr,
        )
        return 2
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"diplowatch watch run: {exc}", file=sys.stderr)
        return 2
    if args.poll is not None and not 0 < args.poll <= 86400:
        print("diplowatch watch run: --poll must be between 0 and 86400 seconds", file=sys.stderr)
        return 2
    interval = args.poll or settings.poll_seconds
    from storage.db import errors, shown, target

    db_path = target(args.db) if args.db else settings.database
    fixture_dir = Path(args.fixture_dir) if args.fixture_dir else settings.fixture_dir
    try:
        return asyncio.run(serve(db_path, fixture_dir, interval, args.format, args.min_severity))
    except errors() as exc:
        print(f"diplowatch watch run: cannot use the database {shown(db_path)}: {exc}", file=sys.stderr)
        return 2


async def serve(db_path: Path | str, fixture_dir: Path, interval: float, fmt: str, min_severity: str) -> int:
    from bot.pipeline import Pipeline
    from bot.realtime import Streams
    from bot.scheduler import PollOutcome, Poller
    from bot.sources import SourceSettings
    from bot.terminal import deliver_pending
    from bot.webhook import WebhookSender
    from storage import incidents as incident_store
    from storage import watch as watch_store
    from storage.db import Database, shown

    err = sys.stderr
    db = await Database.open(db_path)
    library = await incident_store.load_index(db, warn=lambda message: print(message, file=err))
    # The headless scope's alerts go to the terminal (and their webhooks); the alerts of accounts a
    # Discord server watches are queued for that server's channel, for the bot to post.
    pipeline = Pipeline(db, similar=library.finder(k=3) if library else None, min_severity=min_severity)
    await pipeline.load_baselines()
    wake = asyncio.Event()
    stop = asyncio.Event()

    def after_poll(outcome: PollOutcome) -> None:
        if outcome.alerts:
            wake.set()

    poller = Poller(pipeline, SourceSettings(fixture_dir=fixture_dir), interval=interval, on_poll=after_poll)
    streams = Streams(poller)  # Bluesky in real time through Jetstream; polling reconciles
    if streams.consumer is not None:
        streams.consumer.on_alerts = wake.set
    stop_on_signals(stop.set)
    write, shape = (lambda text: print(text, flush=True)), formatter(fmt)

    webhooks = WebhookSender(db)

    async def deliver() -> list[Alert]:
        printed = await deliver_pending(db, write=write, formatter=shape)  # each mark in its own transaction
        try:
            await webhooks.deliver_due()  # its writes in transactions of their own, never across an HTTP call
        except Exception:  # a bad round must not stop the terminal output; the rows wait for the next
            log.exception("webhook delivery round failed; trying again shortly")
        return printed

    try:
        await poller.refresh()
        accounts = await watch_store.all_accounts(db)
        print(
            f"diplowatch watch run: polling {len(accounts)} account(s) every {interval:g} s from {shown(db_path)}; "
            f"alerts on stdout ({fmt}); Ctrl-C stops",
            file=err,
            flush=True,
        )
        if not accounts:
            print(
                "nothing is watched yet: add accounts with `diplowatch watch add` or `watch import` "
                "(picked up while running)",
                file=err,
                flush=True,
            )
        await deliver()  # alerts stored but not printed before the last stop
        poller.start()  # its refresh job picks up accounts added or removed by another process
        streams.start()
        print(f"diplowatch watch run: {streams.describe()}", file=err, flush=True)
        while not stop.is_set():
            with suppress(asyncio.TimeoutError):
                await asyncio.wait_for(_first(wake, stop), 1.0)
            wake.clear()
            await deliver()
    finally:
        await streams.stop()
        await poller.stop()
        await deliver()  # what the last poll stored goes out before we exit
        await webhooks.aclose()
        s = pipeline.stats
        await pipeline.close()
        await db.close()
        print(
            f"diplowatch watch run: stopped; {s.stored:,} new activities, {s.alerts} alert(s), {s.rejected} kept aside",
            file=err,
            flush=True,
        )
    return 0


async def _first(*events: asyncio.Event) -> None:
    waiters = [asyncio.ensure_future(e.wait()) for e in events]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for w in waiters:
            w.cancel()
