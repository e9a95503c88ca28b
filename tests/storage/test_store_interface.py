"""The rest of the storage interface, on both stores (the `database` fixture: a SQLite file and a real
PostgreSQL server): the watch list and its scopes, cursors, delivery state, baselines, verdicts, and the
transaction scope's all-or-nothing on error and on cancellation."""

from __future__ import annotations

import asyncio

import pytest

from bot.alerts import Alert
from bot.watch import WatchedAccount
from storage import activities as activity_store
from storage import alerts as alert_store
from storage import baselines as baseline_store
from storage import delivery as delivery_store
from storage import watch as watch_store
from storage.db import Database
from tests.storage.test_db import _activity

DISCORD_ID = 1_234_567_890_123_456_789  # 64-bit, as Discord's ids are


def _alert(n: int, **changes) -> Alert:
    fields: dict = dict(
        activity_id=f"x:{n}",
        account="Elysee",
        platform="x",
        kind="repost",
        at=f"2020-01-01T10:{n:02d}:00Z",
        score=0.91234567,
        severity="high",
        reasons=[f"reason {n}"],
    )
    fields.update(changes)
    return Alert(**fields)


async def test_watch_list_scopes_lookups_and_cursors(database):
    async with await Database.open(database) as db:
        async with db.transaction() as tx:
            assert await watch_store.add(tx, WatchedAccount("x", "Elysee", role="leader", channel_id=DISCORD_ID))
            assert await watch_store.add(tx, WatchedAccount("x", "Elysee", role="leader", guild_id=DISCORD_ID))
            assert not await watch_store.add(tx, WatchedAccount("x", "Elysee", country="FR"))  # an update
            await watch_store.set_guild_setting(tx, DISCORD_ID, alert_channel_id=DISCORD_ID, min_severity="high")
            await watch_store.save_cursor(tx, "x", "Elysee", cursor="c1", failures=0, backoff=1.5)
            await watch_store.set_setting(tx, "k", "v")
        mine = await watch_store.get(db, 0, "x", "Elysee")
        assert (mine.role, mine.country, mine.channel_id) == ("leader", "FR", DISCORD_ID)
        assert [e.guild_id for e in await watch_store.find(db, "@elysee")] == [0, DISCORD_ID]  # any spelling
        assert [e.guild_id for e in await watch_store.all_accounts(db, DISCORD_ID)] == [DISCORD_ID]
        assert await watch_store.guild_settings(db) == {
            DISCORD_ID: {"alert_channel_id": DISCORD_ID, "min_severity": "high"}
        }
        cursor = await watch_store.get_cursor(db, "x", "Elysee")
        assert (cursor["cursor"], cursor["backoff"]) == ("c1", 1.5)
        assert [h["handle"] for h in await watch_store.feed_health(db)] == ["Elysee"]
        assert await watch_store.get_setting(db, "k") == "v"
        async with db.transaction() as tx:
            assert await watch_store.add(tx, WatchedAccount("x", "Elysee", guild_id=-1))
            assert await watch_store.add(tx, WatchedAccount("x", "mfa", guild_id=-1))
            assert await watch_store.adopt(tx, -1, DISCORD_ID) == 1  # the guild's own Elysee row is kept
        assert sorted(e.handle for e in await watch_store.all_accounts(db, DISCORD_ID)) == ["Elysee", "mfa"]
        async with db.transaction() as tx:
            assert await watch_store.remove(tx, 0, "x", "Elysee")
        assert await watch_store.get_cursor(db, "x", "Elysee") is not None  # a server still watches it
        async with db.transaction() as tx:
            assert await watch_store.remove(tx, DISCORD_ID, "x", "Elysee")
        assert await watch_store.get_cursor(db, "x", "Elysee") is None


async def test_delivery_state_baselines_and_verdicts(database):
    async with await Database.open(database) as db:
        async with db.transaction() as tx:
            for n in (1, 2):
                assert await alert_store.save(tx, _alert(n), [("webhook:1", 0), ("discord:7", DISCORD_ID)])
            await baseline_store.save_many(tx, [("x", "Elysee", {"n": 1, "text": "é"})])
        async with db.transaction() as tx:
            await baseline_store.save_many(tx, [("x", "Elysee", {"n": 2})])
            assert await alert_store.set_verdict(tx, _alert(1).id, "confirmed", "mod", DISCORD_ID)
            assert not await alert_store.set_verdict(tx, "A-nothing", "confirmed", "mod")
            assert await delivery_store.queue(tx, _alert(1).id, "discord:8")
            assert not await delivery_store.queue(tx, _alert(1).id, "discord:8")
        assert await baseline_store.load_all(db) == [("x", "Elysee", {"n": 2})]
        assert await alert_store.verdict_of(db, _alert(1).id, DISCORD_ID) == ("confirmed", "mod")
        assert await alert_store.agreed_verdict(db, _alert(1).id) == "confirmed"
        [head] = await delivery_store.due(db, "webhook:", "2099-01-01T00:00:00Z")  # a destination's oldest only
        assert head["alert"].id == _alert(1).id and head["alert"] == Alert.from_dict(_alert(1).to_dict())
        async with db.transaction() as tx:
            await delivery_store.retry_later(tx, head["seq"], "Discord 500", "2099-01-01T00:00:00Z")
        assert await delivery_store.due(db, "webhook:", "2020-01-01T00:00:00Z") == []  # nothing overtakes it
        assert await delivery_store.next_due_at(db, "webhook:") == "2099-01-01T00:00:00Z"
        async with db.transaction() as tx:
            await delivery_store.pause(tx, "discord:7", "403 Missing Access")
        assert [p["waiting"] for p in await delivery_store.paused(db)] == [2]
        assert await delivery_store.due(db, "discord:", "2099-01-01T00:00:00Z") != []  # discord:8 is not paused
        async with db.transaction() as tx:
            assert await delivery_store.resume(tx, "discord:7") == 1
            await alert_store.mark_sent(tx, head["seq"], "m1")
        backlog = await delivery_store.backlog(db, "webhook:", 0)
        assert backlog["counts"] == {"pending": 1, "sent": 1} and backlog["last_error"] is None
        assert await delivery_store.destinations_of(db, DISCORD_ID) == {"discord:7"}


async def test_a_transaction_is_all_or_nothing_on_error_and_on_cancellation(database):
    async with await Database.open(database) as db:
        undone = []
        with pytest.raises(RuntimeError):
            async with db.transaction() as tx:
                tx.on_rollback(lambda: undone.append("error"))
                await activity_store.store_new(tx, [_activity(1)])
                raise RuntimeError("a poll that failed half way")
        entered = asyncio.Event()

        async def poll() -> None:
            async with db.transaction() as tx:
                tx.on_rollback(lambda: undone.append("cancelled"))
                await activity_store.store_new(tx, [_activity(2)])
                entered.set()
                await asyncio.sleep(3600)

        task = asyncio.create_task(poll())
        await entered.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert undone == ["error", "cancelled"] and await activity_store.count(db) == 0
        async with db.transaction() as tx:  # the store is usable after both
            await activity_store.store_new(tx, [_activity(3)])
        assert await activity_store.count(db) == 1


async def test_a_reject_with_a_nul_or_a_lone_surrogate_is_kept_aside(database):
    async with await Database.open(database) as db:
        async with db.transaction() as tx:
            await activity_store.keep_rejects(tx, [("feed.jsonl", 3, "not JSON", '{"text": "a\x00b\ud800"}')])
        [row] = await activity_store.list_rejects(db)
        assert row["record"] == '{"text": "a\\u0000b\\ud800"}'


async def test_workers_opening_one_postgresql_database_at_once_migrate_it_once(postgres):
    """Workers started together all migrate on open: each migration is applied once, none fails (they
    take turns on an advisory lock). A SQLite file is one process's."""
    database = postgres.create()
    opened = await asyncio.gather(*(Database.open(database) for _ in range(3)))
    try:
        async with opened[0].conn.execute("SELECT version, COUNT(*) FROM schema_version GROUP BY version") as cur:
            counts = {row[0]: row[1] for row in await cur.fetchall()}
        assert set(counts.values()) == {1} and max(counts) == await opened[2].version()
    finally:
        for db in opened:
            await db.close()


def test_the_translation_to_postgresql_numbers_placeholders_outside_quoted_text():
    from storage.pg import migration_to_postgres, to_postgres

    assert to_postgres("SELECT '?', x FROM t WHERE a = ? AND b LIKE 'a?%' AND c = ? ORDER BY rowid") == (
        "SELECT '?', x FROM t WHERE a = $1 AND b LIKE 'a?%' AND c = $2 ORDER BY ctid"
    )
    assert migration_to_postgres(
        "CREATE TABLE t (seq INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER, r REAL, PRIMARY KEY (a)) WITHOUT ROWID;"
    ) == (
        "CREATE TABLE t (seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, n BIGINT, r DOUBLE PRECISION,"
        " PRIMARY KEY (a));"
    )


async def test_a_storys_last_alert_and_the_message_its_first_was_posted_as(database):
    async with await Database.open(database) as db:
        first, second, other = _alert(1), _alert(5), _alert(7, account="MinPres")
        async with db.transaction() as tx:
            for alert in (first, second, other):
                await alert_store.save(tx, alert, ["discord:1"])
            # the latest of the account's alerts in a window, whoever else alerted in it
            latest = await alert_store.latest_on_account(
                tx, "x", "Elysee", "2020-01-01T09:55:00Z", "2020-01-01T10:09:00Z"
            )
            assert latest is not None and latest.id == second.id
            none = await alert_store.latest_on_account(
                tx, "x", "Elysee", "2020-01-01T10:06:00Z", "2020-01-01T10:09:00Z"
            )
            assert none is None
        assert await delivery_store.sent_message(db, first.id, "discord:1") is None  # not sent yet
        async with db.conn.execute("SELECT seq FROM outbox WHERE alert_id = ?", (first.id,)) as cur:
            seq = (await cur.fetchone())[0]
        async with db.transaction() as tx:
            await alert_store.mark_sent(tx, seq, "1100000000000000017")
        assert await delivery_store.sent_message(db, first.id, "discord:1") == "1100000000000000017"
        assert await delivery_store.sent_message(db, first.id, "discord:2") is None
