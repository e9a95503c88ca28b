"""The polling schedule: one APScheduler job per watched account, spread over the interval.

Each job polls its source from the stored cursor and feeds the pipeline. A job never overlaps itself
(max_instances=1) and a slow source only delays its own job. A failing source backs off exponentially
with jitter and is paused after repeated failures, shown in the feed health, and resumes by itself.
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import Any, AsyncContextManager, Awaitable, Callable, Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.activity import format_time
from bot.pipeline import Pipeline
from bot.sources import REGISTRY, Source, SourceSettings
from bot.sources.base import PollResult
from bot.sources.health import BackoffPolicy, FeedHealth, health_from_row, poll_source
from bot.sources.http import FeedError
from bot.watch import WatchedAccount
from storage import activities as activity_store
from storage.leases import LeaseLost
from storage import watch as watch_store

log = logging.getLogger(__name__)


def _not_a_stop(record: logging.LogRecord) -> bool:
    """Drop APScheduler's report of a job cancelled before it began: only stop() cancels jobs, and a
    poll that never started wrote nothing."""
    return not (record.exc_info and isinstance(record.exc_info[1], asyncio.CancelledError))


logging.getLogger("apscheduler.executors.default").addFilter(_not_a_stop)

PAUSE_AFTER_FAILURES = 5
MAX_BACKOFF_SECONDS = 3600.0


class _SkippedRunFilter(logging.Filter):
    """A poll still running when its next run is due is skipped by design (max_instances=1): the
    scheduler's warning for it is noise (dozens a minute at a short interval), not a problem."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances reached" not in record.getMessage()


logging.getLogger("apscheduler.scheduler").addFilter(_SkippedRunFilter())


class PollGuard(Protocol):
    """Who may poll an account, and until when (bot/worker.py: the worker's leases). A single process has
    none: it polls every account on its watch list."""

    def polling(self, platform: str, handle: str) -> AsyncContextManager[float | None]:
        """Around one poll: the seconds it may take (None: not this process's to poll now)."""
        ...

    async def fence(self, tx: Any, platform: str, handle: str) -> None:
        """In the poll's transaction: raises when the poll must not commit (the lease was lost)."""
        ...

    async def catch_up(self, tx: Any, platform: str, handle: str) -> None:
        """In the poll's transaction, after the fence: what another process asked of the account's
        profile since its stored baseline (moderators' verdicts the gateway recorded), applied first."""
        ...

    def ran_out(self, platform: str, handle: str) -> None:
        """A poll stopped for want of lease time: try again soon rather than an interval later."""
        ...


@dataclass
class PollOutcome:
    account: WatchedAccount
    new: int = 0
    alerts: int = 0
    error: str | None = None
    backfill: bool = False


class Poller:
    """Owns the sources and the APScheduler jobs that poll them."""

    def __init__(
        self,
        pipeline: Pipeline,
        settings: SourceSettings,
        *,
        interval: float = 60.0,
        on_poll: Callable[[PollOutcome], None] | None = None,
    ):
        self.pipeline = pipeline
        self.db = pipeline.db
        self.settings = settings
        self.interval = interval
        self.on_poll = on_poll
        self.scheduler = AsyncIOScheduler(timezone=timezone.utc)
        self._sources: dict[tuple[str, str], Source] = {}
        # Failures back off from one poll interval, doubling, jittered, capped at an hour; a source
        # failing PAUSE_AFTER_FAILURES times in a row is shown as paused and still retried at the backoff.
        self.backoff = BackoffPolicy(
            base=interval, cap=max(interval, MAX_BACKOFF_SECONDS), pause_after=PAUSE_AFTER_FAILURES
        )
        self._rng = random.Random()
        self._running: set[asyncio.Task] = set()  # scheduled polls in flight, awaited by stop()
        # Real-time paths (bot.realtime) follow the watch list: called after each refresh and after each
        # first poll of an account (which resolves what a stream filters on, e.g. a Bluesky DID).
        self.after_refresh: list[Callable[[], Awaitable[None]]] = []
        # platform -> seconds between successful polls of one account while a stream covers it (None: interval).
        self.spacing: Callable[[str], float | None] | None = None
        self.guard: PollGuard | None = None  # several workers: each account polled by its lease holder only

    def source_for(self, account: WatchedAccount) -> Source:
        key = account.key
        if key not in self._sources:
            factory = REGISTRY.get(account.platform)
            if factory is None:
                raise ValueError(f"no source for platform {account.platform!r} (known: {', '.join(sorted(REGISTRY))})")
            self._sources[key] = factory(account.handle, self.settings)
        return self._sources[key]

    async def refresh(self) -> None:
        """Match the jobs to the watch list: one job per account, first runs spread over the interval."""
        accounts = await watch_store.all_accounts(self.db)  # every scope's entries: each account polled once
        self.pipeline.set_watch_list(accounts, await watch_store.guild_settings(self.db))
        wanted = {self._job_id(a): a for a in accounts}
        for job in self.scheduler.get_jobs():
            if job.id.startswith("poll:") and job.id not in wanted:
                job.remove()
                self._sources.pop(tuple(job.id.split(":", 2)[1:]), None)
        now = datetime.now(timezone.utc)
        for index, (job_id, account) in enumerate(sorted(wanted.items())):
            if self.scheduler.get_job(job_id):
                continue
            # Spread first runs evenly (no thundering herd), plus a little jitter.
            offset = self.interval * (index / max(1, len(wanted))) + random.uniform(0, self.interval * 0.05)
            self.scheduler.add_job(
                self._scheduled_poll,
                IntervalTrigger(seconds=self.interval),
                args=[account.platform, account.handle],
                id=job_id,
                max_instances=1,
                coalesce=True,
                misfire_grace_time=None,
                next_run_time=now + timedelta(seconds=min(offset, self.interval)),
            )
        for hook in self.after_refresh:
            await hook()

    @staticmethod
    def _job_id(account: WatchedAccount) -> str:
        return f"poll:{account.platform}:{account.handle}"

    def start(self) -> None:
        if not self.scheduler.running:
            # Accounts added or removed from another process (`diplowatch watch add` beside a running
            # bot or `watch run`) are picked up within an interval.
            self.scheduler.add_job(
                self._scheduled_refresh,
                IntervalTrigger(seconds=max(self.interval, 1.0)),
                id="refresh",
                max_instances=1,
                coalesce=True,
                replace_existing=True,
            )
            self.scheduler.start()

    async def stop(self) -> None:
        """Stop polling: let the poll that is writing (if any) commit, then cancel the others (a poll is
        one transaction: a cancelled one wrote nothing, and the next start polls the same again), and
        close the sources once no poll uses them."""
        async with self.db.write_lock:
            if self.scheduler.running:
                self.scheduler.shutdown(wait=False)  # cancels the polls in flight, none of them mid-write
            running = [t for t in self._running if t is not asyncio.current_task()]
            if running:
                await asyncio.wait(running, timeout=10)
        for source in self._sources.values():
            await source.aclose()
        self._sources.clear()

    async def _scheduled_poll(self, platform: str, handle: str) -> None:
        await self._quietly(self.poll_account(platform, handle), f"poll {platform}:{handle}")

    async def _scheduled_refresh(self) -> None:
        await self._quietly(self.refresh(), "watch-list refresh")

    async def _quietly(self, work, what: str) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._running.add(task)
        try:
            await work
        except asyncio.CancelledError:
            # Only stop() cancels; the poll's transaction rolled back. Ending quietly keeps the scheduler
            # from logging a traceback for work that was simply not needed any more.
            log.debug("%s stopped before it finished; nothing was written", what)
        finally:
            self._running.discard(task)

    async def poll_account(self, platform: str, handle: str, *, force: bool = False) -> PollOutcome:
        """Poll one account now (if due). `force` polls even while a stream makes it a reconciliation poll."""
        if self.guard is None:
            return await self._poll_account(platform, handle, force=force)
        async with self.guard.polling(platform, handle) as budget:
            if budget is None:
                return PollOutcome(WatchedAccount(platform, handle), error="leased to another worker")
            try:
                # Its requests end before the lease could lapse: then another worker may poll the account.
                return await asyncio.wait_for(self._poll_account(platform, handle, force=force), budget)
            except asyncio.TimeoutError:
                log.warning("poll %s:%s stopped: its lease would lapse before it ended", platform, handle)
                self.guard.ran_out(platform, handle)
                return PollOutcome(WatchedAccount(platform, handle), error="lease ran out")
            except LeaseLost as exc:  # rolled back: the worker that holds the lease now polls it again
                log.warning("poll %s:%s not committed: %s", platform, handle, exc)
                return PollOutcome(WatchedAccount(platform, handle), error="lease lost")

    async def _fence(self, tx, platform: str, handle: str) -> None:
        if self.guard is not None:
            await self.guard.fence(tx, platform, handle)
            await self.guard.catch_up(tx, platform, handle)

    async def _poll_account(self, platform: str, handle: str, *, force: bool = False) -> PollOutcome:
        # The job's own spelling (from the watch list): an index lookup, not find()'s any-case scan.
        account = next((a for a in await watch_store.entries(self.db, platform, handle)), None)
        if account is None:
            return PollOutcome(WatchedAccount(platform, handle), error="not watched any more")
        outcome = PollOutcome(account)
        health = health_from_row(await watch_store.get_cursor(self.db, platform, handle))
        now = datetime.now(timezone.utc)
        if not health.due(now):
            return outcome
        spacing = self.spacing(platform) if self.spacing is not None and not force else None
        if spacing and health.cursor and health.last_poll_at and (now - health.last_poll_at).total_seconds() < spacing:
            return outcome  # streamed in real time; reconciled at the slower pace
        before = replace(health)  # as stored: poll_source counts a fetch that worked as a success
        try:
            source = self.source_for(account)
            polled = await poll_source(source, health, now=now, policy=self.backoff, rng=self._rng)
        except Exception as exc:  # a source that cannot even be built: recorded, never fatal to the bot
            polled = None
            health.failed(now, FeedError(f"{type(exc).__name__}: {exc}"), self.backoff, self._rng)
        if polled is None or polled.error is not None:
            return await self._failed(outcome, health, now)
        result = polled.result
        assert result is not None  # due, and no error: the source answered
        try:
            await self._store(outcome, result, health, now)
        except LeaseLost:
            raise  # poll_account's to report: another worker holds the account now
        except Exception as exc:
            # Rolled back. Recorded and backed off like a failed fetch: retried every interval in silence,
            # the account would stall behind the same record with nothing in its feed health to say why.
            log.error("poll %s:%s could not be stored", platform, handle, exc_info=exc)
            why = FeedError(f"storing the poll failed: {type(exc).__name__}: {exc}"[:500])
            before.failed(now, why, self.backoff, self._rng)
            return await self._failed(outcome, before, now)
        for reject in result.rejects:
            log.warning("kept aside %s", reject)
        if result.backfill:
            for hook in self.after_refresh:
                await hook()
        self._report(outcome)
        return outcome

    async def _failed(self, outcome: PollOutcome, health: FeedHealth, now: datetime) -> PollOutcome:
        """Record a failed poll (its error, failures in a row, when to try next) in the feed health."""
        platform, handle = outcome.account.platform, outcome.account.handle
        outcome.error = health.last_error
        log.warning(
            "poll %s:%s failed (%d in a row, next try %s): %s",
            platform,
            handle,
            health.failures,
            format_time(health.paused_until) if health.paused_until else "now",
            outcome.error,
        )
        async with self.db.transaction() as tx:
            await self._fence(tx, platform, handle)
            await watch_store.save_cursor(
                tx,
                platform,
                handle,
                last_poll_at=format_time(now),
                last_error=health.last_error,
                failures=health.failures,
                paused_until=format_time(health.paused_until) if health.paused_until else None,
                backoff=health.backoff,
            )
        self._report(outcome)
        return outcome

    async def _store(self, outcome: PollOutcome, result: PollResult, health: FeedHealth, now: datetime) -> None:
        platform, handle = outcome.account.platform, outcome.account.handle
        # One transaction: the rejects, the activities, their alerts and outbox rows, the baselines they
        # changed and the cursor past them commit together, or none of them do (error or cancellation).
        async with self.db.transaction() as tx:
            await self._fence(tx, platform, handle)
            await activity_store.keep_rejects(tx, [(r.source, r.line, r.reason, r.record) for r in result.rejects])
            alerts = await self.pipeline.ingest(
                result.activities, learn_only=result.backfill, tx=tx, context=result.context
            )
            self.pipeline.stats.rejected += len(result.rejects)
            await watch_store.save_cursor(
                tx,
                platform,
                handle,
                cursor=result.cursor,
                etag=health.etag,
                last_modified=health.last_modified,
                last_poll_at=format_time(now),
                last_ok_at=format_time(now),
                last_error=None,
                failures=0,
                paused_until=None,
                backoff=0.0,
            )
        outcome.new, outcome.alerts, outcome.backfill = len(result.activities), len(alerts), result.backfill

    def _report(self, outcome: PollOutcome) -> None:
        if self.on_poll is not None:
            self.on_poll(outcome)
