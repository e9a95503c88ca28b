"""`diplowatch worker`: one of any number of processes that poll, score and deliver against one PostgreSQL
database, with no Discord gateway (docs/scaling.md).

Each watched account is polled by the one worker holding its lease (storage/leases.py). A worker renews
its leases every quarter of a lease period, takes free or lapsed ones up to its fair share (the accounts
divided by the workers alive), and gives back what is above it, so workers that start or stop share the
accounts again within a few lease periods. A worker that dies stops renewing: within one lease period its
accounts are free, and the others take them over, each account's profile loaded from its stored baseline
and polled from its stored cursor, due one poll interval after its last poll.

A poll runs only while its lease has time left for it, and its transaction commits only while the worker
still holds the lease (the fence). Alerts go out through the outbox's webhook rows, each claimed by one
worker before it is posted. Discord channel rows stay for the process that holds the gateway
(`diplowatch run`).
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import random
import socket
import sys
import time
from contextlib import asynccontextmanager, suppress
from datetime import datetime, timedelta, timezone
from typing import AsyncIterator

from apscheduler.triggers.interval import IntervalTrigger

from bot.activity import parse_time
from bot.pipeline import Pipeline
from bot.scheduler import Poller
from bot.stopping import stop_on_signals
from bot.sources import SourceSettings
from bot.webhook import WebhookSender
from storage import baselines as baseline_store
from storage import leases as lease_store
from storage import watch as watch_store
from storage.db import Database, Transaction, errors, shown, target
from storage.leases import Lease, LeaseLost

log = logging.getLogger(__name__)

DEFAULT_LEASE_SECONDS = 30.0
# A poll starts only with this share of the lease period still ahead of it, and must end before the last
# MARGIN of it: then another worker may take the account over. Renewed every quarter period, a lease has
# three quarters or more ahead of it while the worker keeps up.
MIN_BUDGET = 0.5
MARGIN = 0.25  # room for a loaded machine to be late in cancelling a poll that ran out of time
# Polls under way at once in one worker. The others wait for a slot before their lease time starts to
# count, so a worker with more due than it can do falls behind instead of starting polls it cannot finish.
CONCURRENT_POLLS = 32


def default_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


class LeasedPoller(Poller):
    """The schedule of one worker: a job for each account it holds a lease on (not the whole watch list)."""

    def __init__(self, worker: "Worker", *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.worker = worker

    async def refresh(self) -> None:
        accounts = await watch_store.all_accounts(self.db)
        self.pipeline.set_watch_list(accounts, await watch_store.guild_settings(self.db))
        await self.schedule()

    async def schedule(self) -> None:
        """Jobs for the leased accounts: each first due one interval after its last poll by any worker
        (overdue ones spread over an eighth of it, so a takeover is not one burst)."""
        held = self.worker.held
        for job in self.scheduler.get_jobs():
            if job.id.startswith("poll:") and tuple(job.id.split(":", 2)[1:]) not in held:
                job.remove()
        now = datetime.now(timezone.utc)
        new = [key for key in sorted(held) if not self.scheduler.get_job(f"poll:{key[0]}:{key[1]}")]
        last = await self.worker.last_polls(new)
        for platform, handle in new:
            due = now
            if (platform, handle) in last:
                due = max(now, last[(platform, handle)] + timedelta(seconds=self.interval))
            if due == now:  # overdue (taken over) or never polled: spread a little
                due += timedelta(seconds=random.uniform(0, self.interval / 8))
            self.scheduler.add_job(
                self._scheduled_poll,
                IntervalTrigger(seconds=self.interval),
                args=[platform, handle],
                id=f"poll:{platform}:{handle}",
                max_instances=1,
                coalesce=True,
                misfire_grace_time=None,
                next_run_time=due,
            )


class Worker:
    """Leases, the schedule of the leased accounts, and the claimed webhook deliveries of one process."""

    def __init__(
        self,
        db: Database,
        control: Database,
        pipeline: Pipeline,
        settings: SourceSettings,
        *,
        name: str | None = None,
        interval: float = 60.0,
        lease_seconds: float = DEFAULT_LEASE_SECONDS,
        concurrency: int = CONCURRENT_POLLS,
    ):
        self.db = db
        # Leases go through a connection of their own: a renewal never waits behind the polls' transactions.
        self.control = control
        self.pipeline = pipeline
        self.name = name or default_name()
        self.interval = interval
        self.lease_seconds = lease_seconds
        self.held: dict[tuple[str, str], Lease] = {}
        self._deadline: dict[tuple[str, str], float] = {}  # local monotonic time a lease surely lasts until
        self._polling: set[tuple[str, str]] = set()
        self._slots = asyncio.Semaphore(concurrency)
        self.poller = LeasedPoller(self, pipeline, settings, interval=interval, on_poll=self._after_poll)
        self.poller.guard = self
        self.webhooks = WebhookSender(db, claims=(self.name, lease_seconds))
        self.wake = asyncio.Event()
        self.stats = {"claimed": 0, "lost": 0, "released": 0}

    # ---- PollGuard: polls only within a lease -------------------------------------------------------

    @asynccontextmanager
    async def polling(self, platform: str, handle: str) -> AsyncIterator[float | None]:
        key = (platform, handle)
        async with self._slots:
            left = self._deadline.get(key, 0.0) - time.monotonic()
            if key not in self.held or left < MIN_BUDGET * self.lease_seconds:
                if key in self.held:  # held, but the renewal is late (a busy machine): after it, then
                    self.ran_out(platform, handle)
                yield None
                return
            self._polling.add(key)
            try:
                yield left - MARGIN * self.lease_seconds
            finally:
                self._polling.discard(key)

    def ran_out(self, platform: str, handle: str) -> None:
        """Poll it again after the next renewal, not a whole interval later (its interval job stays)."""
        job = self.poller.scheduler.get_job(f"poll:{platform}:{handle}")
        if job is not None:
            soon = datetime.now(timezone.utc) + timedelta(seconds=self.lease_seconds / 4 * random.uniform(1, 1.5))
            if job.next_run_time is None or job.next_run_time > soon:
                job.modify(next_run_time=soon)

    async def fence(self, tx: Transaction, platform: str, handle: str) -> None:
        lease = self.held.get((platform, handle))
        if lease is None:
            raise LeaseLost(f"{platform}:{handle} is not leased to {self.name}")
        await lease_store.fence(tx, self.name, lease)

    async def catch_up(self, tx: Transaction, platform: str, handle: str) -> None:
        """The verdicts the gateway recorded for the account since its baseline's last one, taught to the
        profile in this poll's transaction (before its activities are scored): applied with the poll, or
        not at all when it rolls back."""
        await self.pipeline.apply_recorded_verdicts(tx, platform, handle)

    # ---- leases -------------------------------------------------------------------------------------

    async def tick(self) -> None:
        """Renew, then take or give back leases towards a fair share; reschedule when they changed."""
        sent = time.monotonic()
        await lease_store.heartbeat(self.control, self.name, self.lease_seconds)
        kept = await lease_store.renew(self.control, self.name, self.lease_seconds)
        stale = [lease.key for lease in kept if lease.key not in self.held]
        if stale:  # held under this name by a process that ended without giving them back: free them
            await lease_store.release(self.control, self.name, stale)
        for lease in kept:
            self._deadline[lease.key] = sent + self.lease_seconds
        changed = await self._drop(set(self.held) - {lease.key for lease in kept}, lost=True)
        accounts, others = await lease_store.census(self.control, self.name)
        fair = math.ceil(accounts / (others + 1)) if accounts else 0
        if len(self.held) < fair:
            sent = time.monotonic()
            taken = await lease_store.claim(self.control, self.name, self.lease_seconds, fair - len(self.held))
            if taken:
                await self._adopt(taken, sent)
                changed = True
        elif len(self.held) > fair + max(1, fair // 20):  # a little slack: no give and take at every tick
            spare = [key for key in sorted(self.held) if key not in self._polling][: len(self.held) - fair]
            # Given up here before the database frees them: no poll of them may start from now on.
            changed = await self._drop(set(spare)) or changed
            await lease_store.release(self.control, self.name, spare)
            self.stats["released"] += len(spare)
        if changed:
            await self.poller.schedule()

    async def _adopt(self, taken: list[Lease], sent: float) -> None:
        """Accounts taken over: their profiles as stored (another worker may have taught them since this
        one last held them), their cursors read at each poll."""
        stored = await baseline_store.load_for(self.control, [lease.key for lease in taken])
        book = self.pipeline.book
        for lease in taken:
            self.held[lease.key] = lease
            self._deadline[lease.key] = sent + self.lease_seconds
            if lease.key in stored:
                book.load(*lease.key, stored[lease.key])
            else:
                book.profiles.pop(lease.key, None)
        self.stats["claimed"] += len(taken)
        log.info("%s took %d lease(s); holds %d", self.name, len(taken), len(self.held))

    async def _drop(self, keys: set[tuple[str, str]], *, lost: bool = False) -> bool:
        for key in keys:  # all of them before the first await: no poll of any starts meanwhile
            self.held.pop(key, None)
            self._deadline.pop(key, None)
        for key in keys:
            job = self.poller.scheduler.get_job(f"poll:{key[0]}:{key[1]}")
            if job is not None:
                job.remove()
            source = self.poller._sources.pop(key, None)
            if source is not None:
                await source.aclose()
        if keys and lost:
            self.stats["lost"] += len(keys)
            log.warning("%s lost %d lease(s) (not renewed in time); another worker polls them", self.name, len(keys))
        return bool(keys)

    async def last_polls(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], datetime]:
        """When each of these accounts was last polled, by any worker (one query, however many)."""
        if not keys:
            return {}
        wanted = set(keys)
        found = {}
        async with self.control.conn.execute(
            "SELECT platform, handle, last_poll_at FROM cursors WHERE last_poll_at IS NOT NULL"
        ) as cur:
            for row in await cur.fetchall():
                key = (row["platform"], row["handle"])
                if key in wanted:
                    with suppress(ValueError):
                        found[key] = parse_time(row["last_poll_at"])
        return found

    def _after_poll(self, outcome) -> None:
        if outcome.alerts:
            self.wake.set()

    # ---- the process --------------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Until `stop`: the leases on their own task (a long delivery round never delays a renewal),
        the polls on the schedule, and the webhook deliveries."""
        await lease_store.sync(self.control)
        await self.poller.refresh()
        self.poller.start()
        leases = asyncio.create_task(self._lease_rounds(stop))
        deliveries = asyncio.create_task(self._delivery_rounds(stop))
        try:
            await stop.wait()
        finally:
            stop.set()
            await self.poller.stop()
            await asyncio.wait([leases, deliveries], timeout=30)  # a post under way is finished first
            for task in (leases, deliveries):
                task.cancel()
            with suppress(*errors()):  # the others need not wait for them to lapse
                await lease_store.release(self.control, self.name, sorted(self.held))
                await lease_store.leave(self.control, self.name)
            await self.webhooks.aclose()

    async def _lease_rounds(self, stop: asyncio.Event) -> None:
        synced = time.monotonic()
        while not stop.is_set():
            try:
                if time.monotonic() - synced >= self.interval:
                    await lease_store.sync(self.control)  # accounts added or removed meanwhile
                    synced = time.monotonic()
                await self.tick()
            except errors() as exc:  # the database away for a moment: the leases lapse, nothing else
                log.warning("%s: lease round failed: %s", self.name, exc)
            with suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), self.lease_seconds / 4)

    async def _delivery_rounds(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self.wake.clear()
            try:
                await self.webhooks.deliver_due()
            except Exception:  # a bad round must not stop the worker; the rows wait for the next
                log.exception("webhook delivery round failed; trying again shortly")
            with suppress(asyncio.TimeoutError):
                await asyncio.wait_for(_first(self.wake, stop), 1.0)


async def _first(*events: asyncio.Event) -> None:
    waiters = [asyncio.ensure_future(e.wait()) for e in events]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for w in waiters:
            w.cancel()


# ---- the command ------------------------------------------------------------------------------------


def register(sub) -> None:
    p = sub.add_parser(
        "worker",
        help="poll, score and deliver (webhooks) as one of several processes on one PostgreSQL database",
        description=__doc__,
    )
    p.add_argument("--db", metavar="URL", help="postgresql://... (default: DIPLOWATCH_DATABASE)")
    p.add_argument("--poll", type=float, metavar="SECONDS", help="poll interval (default: DIPLOWATCH_POLL_SECONDS)")
    p.add_argument(
        "--lease",
        type=float,
        metavar="SECONDS",
        default=DEFAULT_LEASE_SECONDS,
        help=f"lease period: a dead worker's accounts are taken over within it (default {DEFAULT_LEASE_SECONDS:g})",
    )
    p.add_argument("--name", help="this worker's name in the leases (default: host-pid)")
    p.add_argument(
        "--concurrency",
        type=int,
        default=CONCURRENT_POLLS,
        metavar="N",
        help=f"polls under way at once (default {CONCURRENT_POLLS}); about polls per second x platform latency",
    )
    p.add_argument("--fixture-dir", metavar="DIR", help="where `fixture` feeds live")
    p.set_defaults(func=main)


def main(args) -> int:
    from bot.config import ConfigError, load_settings

    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"diplowatch worker: {exc}", file=sys.stderr)
        return 2
    database = target(args.db) if args.db else settings.database
    if not isinstance(database, str):
        print(
            f"diplowatch worker: needs PostgreSQL (--db or DIPLOWATCH_DATABASE=postgresql://...), not the SQLite "
            f"file {database}: one file is one process's; `diplowatch watch run` polls it",
            file=sys.stderr,
        )
        return 2
    interval = args.poll or settings.poll_seconds
    if not 0 < interval <= 86400 or not 0 < args.lease <= 3600 or not 0 < args.concurrency <= 10_000:
        print(
            "diplowatch worker: --poll must be in (0, 86400] and --lease in (0, 3600] seconds, --concurrency in"
            " 1..10000",
            file=sys.stderr,
        )
        return 2
    fixture_dir = args.fixture_dir or settings.fixture_dir
    try:
        return asyncio.run(
            serve(database, SourceSettings(fixture_dir=fixture_dir), interval, args.lease, args.name, args.concurrency)
        )
    except errors() as exc:
        print(f"diplowatch worker: cannot use the database {shown(database)}: {exc}", file=sys.stderr)
        return 2


async def serve(
    database: str,
    sources: SourceSettings,
    interval: float,
    lease: float,
    name: str | None,
    concurrency: int = CONCURRENT_POLLS,
) -> int:
    from bot.sources.http import USER_AGENT, Fetcher, make_client
    from bot.sources.settings import live_settings
    from storage import incidents as incident_store

    db = await Database.open(database)
    control = await Database.open(database)
    library = await incident_store.load_index(db, warn=lambda message: print(message, file=sys.stderr))
    pipeline = Pipeline(db, similar=library.finder(k=3) if library else None)
    worker = Worker(
        db, control, pipeline, sources, name=name, interval=interval, lease_seconds=lease, concurrency=concurrency
    )
    # Its requests name the worker (User-Agent), so a platform's or the mock feed server's log tells who asked.
    http = live_settings(sources).http()
    http.user_agent = f"{USER_AGENT} worker/{worker.name}"
    http.timeout = min(http.timeout, lease / 2)
    sources.fetcher = Fetcher(make_client(http), http)
    stop = asyncio.Event()
    stop_on_signals(stop.set)
    print(
        f"diplowatch worker {worker.name}: polling every {interval:g} s, leases of {lease:g} s, on {shown(database)}",
        file=sys.stderr,
        flush=True,
    )
    try:
        await worker.run(stop)
    finally:
        s = pipeline.stats
        await sources.fetcher.client.aclose()
        await pipeline.close()
        await control.close()
        await db.close()
        print(
            f"diplowatch worker {worker.name}: stopped; {s.stored:,} new activities, {s.alerts} alert(s), "
            f"{worker.webhooks.delivered} delivered",
            file=sys.stderr,
            flush=True,
        )
    return 0
