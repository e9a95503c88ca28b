"""A moderator's verdict reaches the worker holding the account, on a real PostgreSQL server.

With workers, the gateway process takes the verdict (cogs/app.py) and records it; the worker that holds
the account's lease teaches the profile with it at its next poll, in that poll's transaction, and a
worker that takes the account over applies exactly the verdicts its loaded baseline does not hold yet.
The polls are driven one by one (no schedule, no clock): each is the worker's own poll of the account."""

from __future__ import annotations

import asyncio

from bot.pipeline import Pipeline
from bot.sources import SourceSettings
from bot.watch import WatchedAccount
from bot.worker import Worker
from cogs.app import _profile_feedback
from storage import alerts as alert_store
from storage import baselines as baseline_store
from storage import leases as lease_store
from storage import watch as watch_store
from storage.db import Database
from tests.bot.worker_verdicts import (
    HANDLE, KEY, alerts_for, alerts_on, append, night, odd, on_fixture, past, stored_profile,
)  # fmt: skip
from tests.profile.helpers import act, workday_after

LEASE = 600.0  # nothing lapses by itself during the test: a "dead" worker's lease is expired by hand


class Process:
    """One worker process's parts, on its own connections."""

    def __init__(self, url: str, name: str, fixture_dir):
        self.url, self.name, self.fixture_dir = url, name, fixture_dir

    async def __aenter__(self) -> Worker:
        self.db, self.control = await Database.open(self.url), await Database.open(self.url)
        self.worker = Worker(
            self.db, self.control, Pipeline(self.db), SourceSettings(fixture_dir=self.fixture_dir),
            name=self.name, interval=3600, lease_seconds=LEASE,
        )  # fmt: skip
        await self.worker.poller.refresh()  # the watch list (its schedule never starts: polls are driven)
        await lease_store.sync(self.control)
        await self.worker.tick()  # takes its share of the leases, loading their baselines
        return self.worker

    async def __aexit__(self, *exc) -> None:
        await self.worker.poller.stop()
        await self.worker.webhooks.aclose()
        await self.worker.pipeline.close()
        await self.control.close()
        await self.db.close()


async def poll(worker: Worker) -> None:
    outcome = await asyncio.wait_for(worker.poller.poll_account(*KEY), 60)
    assert outcome.error is None, outcome.error


async def rule(gateway: Database, activity_id: str, verdict: str) -> None:
    """A moderator's verdict, as the gateway of `diplowatch run` with DIPLOWATCH_WORKERS=1 takes it: stored,
    and handed to its profile hook in the same transaction."""
    hook = _profile_feedback(Pipeline(gateway), workers=True)
    async with gateway.transaction() as tx:
        [alert] = await alert_store.for_activity(tx, "fixture", activity_id)
        assert await alert_store.set_verdict(tx, alert.id, verdict, "desk_editor")
        await hook(tx, alert, verdict)


async def incidents(db: Database) -> list[str]:
    """The incidents the account's stored profile keeps (a confirmed verdict adds one)."""
    stored = await baseline_store.load_for(db, [KEY])
    return [i["id"] for i in stored[KEY]["incidents"]]


async def test_a_worker_taking_an_account_over_applies_a_pending_verdict_exactly_once(postgres, tmp_path):
    url = postgres.create()
    feed = tmp_path / f"{HANDLE}.jsonl"
    before = past()
    append(feed, *before)
    first, second = odd(night(before[-1].at), 1), odd(night(night(before[-1].at)), 2)
    async with await Database.open(url) as gateway:
        async with gateway.transaction() as tx:
            await watch_store.add(tx, WatchedAccount(*KEY, role="embassy", country="CN", host_country="US"))
        async with Process(url, "w1", tmp_path) as w1:
            assert set(w1.held) == {KEY}
            await poll(w1)  # the history: learned, not scored
            append(feed, first, second)
            await poll(w1)
            assert await alerts_on(gateway, first.id) and await alerts_on(gateway, second.id)
            await rule(gateway, first.id, "confirmed")
            await poll(w1)  # applies it, in the poll's transaction
            assert await incidents(gateway) == [first.id]
            await rule(gateway, second.id, "confirmed")
            # w1 dies before its next poll: its lease lapses with the verdict still waiting
            async with gateway.transaction() as tx:
                await tx.conn.execute("UPDATE leases SET expires_at = expires_at - 100000 WHERE holder = 'w1'")
            async with Process(url, "w2", tmp_path) as w2:
                assert set(w2.held) == {KEY}
                assert await incidents(gateway) == [first.id]  # not applied yet: nobody polled since
                await poll(w2)
                # the first verdict came with the baseline w2 loaded; the second applied once, by w2
                assert await incidents(gateway) == [first.id, second.id]
                append(feed, on_fixture(act("post", workday_after(second.at), HANDLE, client="Sprinklr", lang="en",
                                            text="The ambassador met the mayor to discuss trade and culture ties")))  # fmt: skip
                await poll(w2)  # a poll that learns: the verdicts stay, none applied again
                await poll(w2)
                assert await incidents(gateway) == [first.id, second.id]
                book = await stored_profile(gateway)
                assert [i["id"] for i in book.state(*KEY)["incidents"]] == [first.id, second.id]
            # w1 was only stopped: a poll it still tries is refused at its fence and teaches nothing
            outcome = await w1.poller.poll_account(*KEY)
            assert outcome.error == "lease lost"
        assert await incidents(gateway) == [first.id, second.id]


async def test_a_false_alarm_recorded_by_the_gateway_is_learned_by_the_holding_worker(postgres, tmp_path):
    url = postgres.create()
    feed = tmp_path / f"{HANDLE}.jsonl"
    before = past()
    append(feed, *before)
    at = night(before[-1].at)
    first = odd(at, 1)
    async with await Database.open(url) as gateway:
        async with gateway.transaction() as tx:
            await watch_store.add(tx, WatchedAccount(*KEY, role="embassy", country="CN", host_country="US"))
        async with Process(url, "w1", tmp_path) as w1:
            await poll(w1)
            append(feed, first)
            await poll(w1)
            assert await alerts_on(gateway, first.id)
            await rule(gateway, first.id, "false_alarm")
            await poll(w1)  # the verdict applied
            again = odd(night(at), 2)
            append(feed, again)
            await poll(w1)  # scored by the worker's own profile, then learned
            assert await alerts_on(gateway, again.id) == []  # a false alarm became normal
            later = odd(night(night(at)), 3)
            book = await stored_profile(gateway)  # and the stored baseline kept it through that learned poll
            assert not alerts_for(book, later)
