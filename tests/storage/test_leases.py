"""Leases and outbox claims on a real PostgreSQL server: one holder per account, a lapsed lease taken over
with a new epoch, a poll under a lost lease refused at commit, one claimer per destination's oldest row."""

from __future__ import annotations

import asyncio

import pytest

from bot.alerts import Alert
from bot.watch import WatchedAccount
from storage import alerts as alert_store
from storage import leases as lease_store
from storage import watch as watch_store
from storage.db import Database


async def test_one_holder_per_account_and_a_lapsed_lease_is_taken_over(postgres):
    url = postgres.create()
    async with await Database.open(url) as one, await Database.open(url) as two:
        async with one.transaction() as tx:
            for n in range(5):
                await watch_store.add(tx, WatchedAccount("rss", f"mfa{n}"))
        await lease_store.sync(one)
        a, b = await asyncio.gather(
            lease_store.claim(one, "w1", 600, 3), lease_store.claim(two, "w2", 600, 3)
        )  # at once: SKIP LOCKED, neither waits, none taken twice
        assert len(a) + len(b) == 5 and not {x.key for x in a} & {x.key for x in b}
        assert await lease_store.claim(two, "w2", 600, 5) == []  # nothing free
        await lease_store.heartbeat(two, "w2", 600)
        assert await lease_store.census(one, "w1") == (5, 1)
        # w1 stops renewing (as a killed worker does): its leases lapse and w2 takes them, epoch + 1.
        async with one.transaction() as tx:
            await tx.conn.execute("UPDATE leases SET expires_at = expires_at - 600 WHERE holder = 'w1'")
        taken = await lease_store.claim(two, "w2", 600, 5)
        assert {x.key for x in taken} == {x.key for x in a} and all(x.epoch == 2 for x in taken)
        assert await lease_store.renew(one, "w1", 600) == []  # w1 learns it holds nothing
        with pytest.raises(lease_store.LeaseLost):  # and a poll it had started cannot commit
            async with one.transaction() as tx:
                await watch_store.save_cursor(tx, *a[0].key, cursor="from w1")
                await lease_store.fence(tx, "w1", a[0])
        assert await watch_store.get_cursor(one, *a[0].key) is None
        async with two.transaction() as tx:
            await lease_store.fence(tx, "w2", taken[0])  # the holder's does
        assert await lease_store.release(two, "w2", [taken[0].key]) == 1
        assert (await lease_store.holders(one))[taken[0].key] is None


async def test_an_outbox_row_is_claimed_by_one_worker_and_a_destination_keeps_its_order(postgres):
    url = postgres.create()
    async with await Database.open(url) as one, await Database.open(url) as two:
        async with one.transaction() as tx:
            for n in (1, 2):
                alert = Alert(
                    activity_id=f"x:{n}", account="mfa", platform="x", kind="post",
                    at=f"2020-01-01T10:0{n}:00Z", score=0.9, severity="high", reasons=["r"],
                )  # fmt: skip
                await alert_store.save(tx, alert, ["webhook:1", "webhook:2"])
        now = "2099-01-01T00:00:00Z"
        a, b = await asyncio.gather(
            lease_store.claim_outbox(one, "w1", "webhook:", now, 600),
            lease_store.claim_outbox(two, "w2", "webhook:", now, 600),
        )
        heads = sorted(r["seq"] for r in a + b)
        assert len(heads) == 2 and len(set(heads)) == 2  # each destination's oldest row, once
        assert await lease_store.claim_outbox(two, "w2", "webhook:", now, 600) == []  # the next rows wait
        first = (a + b)[0]
        async with one.transaction() as tx:
            await alert_store.mark_sent(tx, first["seq"], "m")
            await lease_store.unclaim(tx, first["seq"], "w1" if first in a else "w2")
        [after] = await lease_store.claim_outbox(two, "w2", "webhook:", now, 600)
        assert after["destination"] == first["destination"] and after["seq"] > first["seq"]


async def test_a_claim_that_lapsed_before_its_turn_is_not_posted_by_its_old_holder(postgres):
    url = postgres.create()
    async with await Database.open(url) as one, await Database.open(url) as two:
        async with one.transaction() as tx:
            alert = Alert(
                activity_id="x:1", account="mfa", platform="x", kind="post",
                at="2020-01-01T10:01:00Z", score=0.9, severity="high", reasons=["r"],
            )  # fmt: skip
            await alert_store.save(tx, alert, ["webhook:1"])
        now = "2099-01-01T00:00:00Z"
        [row] = await lease_store.claim_outbox(one, "w1", "webhook:", now, 600)
        assert await lease_store.renew_claim(one, row["seq"], "w1", 600)  # still held: its turn may go on
        # w1 is slow to reach the row (a queue of posts before it, a chart to draw): the claim lapses
        async with one.transaction() as tx:
            await tx.conn.execute("UPDATE outbox SET claimed_until = claimed_until - 1200")
        [again] = await lease_store.claim_outbox(two, "w2", "webhook:", now, 600)
        assert again["seq"] == row["seq"]
        assert not await lease_store.renew_claim(one, row["seq"], "w1", 600)  # w1 must not post it too
        assert await lease_store.renew_claim(two, row["seq"], "w2", 600)
