"""Feed health: when to poll an account next, and why it is not being polled.

One `FeedHealth` per watched account mirrors its row in the `cursors` table (cursor, etag,
last_modified, last_poll_at, last_error, failures, paused_until, backoff), so `/watch status` can show
it and a restart resumes where it left off. `poll_source` wraps one `Source.poll`: a failure backs
off with jitter (or as long as the server asked), a source that keeps failing is paused with its
reason, and the first poll that works again resumes it.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from bot.activity import ActivityError, format_time, parse_time
from bot.sources.base import PollResult, Source
from bot.sources.common import valid_only
from bot.sources.http import FeedError

log = logging.getLogger(__name__)


@dataclass
class BackoffPolicy:
    base: float = 30.0  # seconds after the first failure
    cap: float = 3600.0  # never wait longer than this between attempts
    pause_after: int = 5  # consecutive failures before the source counts as paused

    def delay(self, failures: int, rng: random.Random) -> float:
        """Exponential in the number of consecutive failures, with jitter so that many feeds failing
        together (one host down) do not all come back in the same second."""
        ceiling = min(self.cap, self.base * 2 ** max(0, failures - 1))
        return rng.uniform(ceiling / 2, ceiling)


@dataclass
class FeedHealth:
    cursor: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_poll_at: datetime | None = None
    last_error: str | None = None
    failures: int = 0
    paused_until: datetime | None = None
    backoff: float = 0.0

    def due(self, now: datetime) -> bool:
        return self.paused_until is None or now >= self.paused_until

    def paused(self, policy: BackoffPolicy) -> bool:
        return self.failures >= policy.pause_after

    def describe(self, now: datetime, policy: BackoffPolicy | None = None) -> str:
        """One line for `/watch status`."""
        policy = policy or BackoffPolicy()
        last = format_time(self.last_poll_at) if self.last_poll_at else "never"
        if self.failures == 0 and not self.last_error:
            return f"ok, last poll {last}"
        retry = format_time(self.paused_until) if self.paused_until else "now"
        state = "paused" if self.paused(policy) else "backing off"
        if self.failures == 0:
            state = "waiting"
        return f"{state} after {self.failures} failure(s): {self.last_error}; next try {retry}, last poll {last}"

    def succeeded(self, now: datetime, cursor: str | None, etag: str | None, last_modified: str | None) -> None:
        self.cursor = cursor
        self.etag = etag
        self.last_modified = last_modified
        self.last_poll_at = now
        self.last_error = None
        self.failures = 0
        self.paused_until = None
        self.backoff = 0.0

    def failed(self, now: datetime, error: FeedError, policy: BackoffPolicy, rng: random.Random) -> None:
        self.last_poll_at = now
        self.last_error = error.reason
        if error.counts_as_failure:
            self.failures += 1
            delay = policy.delay(self.failures, rng)
        else:
            delay = 0.0
        if error.retry_after is not None:
            # The server (or our own budget) said when: obey it, never earlier.
            delay = max(delay if error.counts_as_failure else 0.0, error.retry_after)
        self.backoff = delay
        # Whole seconds, rounded up: stored times have second precision and must never be early.
        until = now + timedelta(seconds=delay)
        if until.microsecond:
            until = until.replace(microsecond=0) + timedelta(seconds=1)
        self.paused_until = until


def health_from_row(row: dict | None) -> FeedHealth:
    """A `cursors` row (storage.watch.get_cursor) as FeedHealth; a missing row is a new account."""
    if not row:
        return FeedHealth()

    def when(name: str) -> datetime | None:
        try:
            return parse_time(row[name], name) if row.get(name) else None
        except ActivityError:
            return None  # an unreadable time must not stop polling; it is rewritten after the next poll

    return FeedHealth(
        cursor=row.get("cursor"),
        etag=row.get("etag"),
        last_modified=row.get("last_modified"),
        last_poll_at=when("last_poll_at"),
        last_error=row.get("last_error"),
        failures=int(row.get("failures") or 0),
        paused_until=when("paused_until"),
        backoff=float(row.get("backoff") or 0.0),
    )


@dataclass
class PollOutcome:
    result: PollResult | None = None
    error: FeedError | None = None
    skipped: bool = False  # not due yet (backing off or paused)
    resumed: bool = False  # worked again after failures
    paused: bool = False  # this failure made it a paused source


async def poll_source(
    source: Source,
    health: FeedHealth,
    *,
    now: datetime | None = None,
    policy: BackoffPolicy | None = None,
    rng: random.Random | None = None,
) -> PollOutcome:
    """Poll once if due, updating `health` in place. The caller ingests `outcome.result.activities`
    and only then persists `health` (so a crash in between re-polls, and idempotent storage absorbs
    the repeat: nothing lost, nothing seen twice)."""
    now = now or datetime.now(timezone.utc)
    policy = policy or BackoffPolicy()
    rng = rng or random.Random()
    if not health.due(now):
        return PollOutcome(skipped=True)
    name = f"{source.platform}/{source.handle}"
    was_failing = health.failures
    try:
        result = await source.poll(health.cursor)
    except FeedError as error:
        was_paused = health.paused(policy)
        health.failed(now, error, policy, rng)
        paused = health.paused(policy) and not was_paused
        if paused:
            log.warning(
                "feed %s paused after %d failures: %s (next try %s)",
                name,
                health.failures,
                error.reason,
                format_time(health.paused_until) if health.paused_until else "now",
            )
        else:
            log.info("feed %s failed (%d): %s; retry in %.0fs", name, health.failures, error.reason, health.backoff)
        return PollOutcome(error=error, paused=paused)
    # Whatever a source built, only valid activities go on; any other is kept aside with its reason.
    result.activities = valid_only(result.activities, name, result.rejects)
    health.succeeded(now, result.cursor, getattr(source, "etag", None), getattr(source, "last_modified", None))
    if was_failing:
        log.info("feed %s resumed after %d failure(s)", name, was_failing)
    return PollOutcome(result=result, resumed=was_failing > 0)
