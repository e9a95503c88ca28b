"""The live path: a watched fixture feed polled by the scheduler; backfill learns, appended lines alert."""

import asyncio
import json
from datetime import datetime, timedelta, timezone

from bot.pipeline import Pipeline
from bot.scheduler import PAUSE_AFTER_FAILURES, Poller
from bot.sources import SourceSettings
from bot.watch import WatchedAccount
from storage import activities as activity_store
from storage import watch as watch_store
from storage.db import Database, writing


def _post(i, at, **extra):
    return (
        json.dumps(
            {
                "id": f"x:{i}",
                "platform": "x",
                "account": "ExampleMFA",
                "kind": "post",
                "at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "lang": "en",
                "client": "Twitter Web App",
                "text": f"Minister met partners on trade, meeting {i}",
                **extra,
            }
        )
        + "\n"
    )


def _history(path, n=200):
    start = datetime(2020, 9, 1, 9, tzinfo=timezone.utc)
    path.write_text("".join(_post(i, start + timedelta(hours=6 * i)) for i in range(n)))
    return start + timedelta(hours=6 * n)


async def _setup(tmp_path, interval=0.1, tz=None):
    db = await Database.open(tmp_path / "live.db")
    async with db.transaction() as tx:
        await watch_store.add(tx, WatchedAccount("fixture", "ExampleMFA", role="foreign ministry", country="XX", tz=tz))
    pipeline = Pipeline(db)
    poller = Poller(pipeline, SourceSettings(fixture_dir=tmp_path), interval=interval)
    await poller.refresh()
    return db, pipeline, poller


async def test_first_poll_is_backfill_and_appended_lines_alert_once(tmp_path):
    end = _history(tmp_path / "ExampleMFA.jsonl")
    db, pipeline, poller = await _setup(tmp_path)
    first = await poller.poll_account("fixture", "ExampleMFA")
    assert first.backfill and first.new == 200 and first.alerts == 0
    with (tmp_path / "ExampleMFA.jsonl").open("a") as feed:
        feed.write(
            json.dumps(
                {
                    "id": "x:9999",
                    "platform": "x",
                    "account": "ExampleMFA",
                    "kind": "repost",
                    "at": (end + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "target": {
                        "id": "x:1",
                        "account": "realDonaldTrump",
                        "text": "Why wasn't the election overturned?",
                    },
                }
            )
            + "\n"
        )
        feed.write('{"id": "x:10000", "platform": "x", "account": "ExampleMFA", "kind": "post", "at": "soon"}\n')
        feed.write('{"id": "x:10001", "platform": "x"')  # still being written: no newline yet
    second = await poller.poll_account("fixture", "ExampleMFA")
    assert not second.backfill and second.new == 1 and second.alerts >= 1
    rejects = await activity_store.list_rejects(db)
    assert [(r["line"], "at" in r["reason"]) for r in rejects] == [(202, True)]
    third = await poller.poll_account("fixture", "ExampleMFA")
    assert third.new == 0 and third.alerts == 0
    await poller.stop()
    await db.close()


async def test_restart_resumes_from_the_stored_cursor(tmp_path):
    _history(tmp_path / "ExampleMFA.jsonl", n=50)
    db, _, poller = await _setup(tmp_path)
    await poller.poll_account("fixture", "ExampleMFA")
    await poller.stop()
    await db.close()
    db, pipeline, poller = await _setup(tmp_path)  # a restart: new process state, same file
    outcome = await poller.poll_account("fixture", "ExampleMFA")
    assert outcome.new == 0 and not outcome.backfill
    assert await activity_store.count(db) == 50
    await poller.stop()
    await db.close()


async def test_a_failing_feed_is_recorded_then_paused_and_resumes(tmp_path):
    db, _, poller = await _setup(tmp_path)  # no feed file yet
    for _ in range(PAUSE_AFTER_FAILURES):
        outcome = await poller.poll_account("fixture", "ExampleMFA")
        assert outcome.error and "does not exist" in outcome.error
        health = (await watch_store.feed_health(db))[0]
        assert health["paused_until"] and health["backoff"] > 0  # backs off after every failure
        skipped = await poller.poll_account("fixture", "ExampleMFA")  # not retried before the backoff ends
        assert skipped.error is None and skipped.new == 0
        async with db.transaction() as tx:
            await watch_store.save_cursor(tx, "fixture", "ExampleMFA", paused_until=None)  # backoff elapsed
    health = (await watch_store.feed_health(db))[0]
    assert health["failures"] == PAUSE_AFTER_FAILURES and health["last_error"]
    _history(tmp_path / "ExampleMFA.jsonl", n=10)
    async with db.transaction() as tx:
        await watch_store.save_cursor(tx, "fixture", "ExampleMFA", paused_until=None)  # pause elapsed
    outcome = await poller.poll_account("fixture", "ExampleMFA")
    assert outcome.error is None and outcome.new == 10
    health = (await watch_store.feed_health(db))[0]
    assert health["failures"] == 0 and health["last_error"] is None
    await poller.stop()
    await db.close()


async def test_scheduler_polls_on_its_own(tmp_path):
    _history(tmp_path / "ExampleMFA.jsonl", n=20)
    db, pipeline, poller = await _setup(tmp_path, interval=0.2)
    poller.start()

    async def all_stored():
        while await activity_store.count(db) < 20:
            await asyncio.sleep(0.05)

    await asyncio.wait_for(all_stored(), timeout=60)
    assert await activity_store.count(db) == 20
    await poller.stop()
    await db.close()


async def test_a_time_past_the_plausible_years_is_kept_aside_not_a_stalled_account(tmp_path):
    # 9999-12-31T23:59:59Z is a valid RFC 3339 time, but in the account's local time (UTC+14) it is past
    # year 9999: scoring it overflowed, and the poll rolled back on every try
    end = _history(tmp_path / "ExampleMFA.jsonl", n=50)
    db, _, poller = await _setup(tmp_path, tz="Pacific/Kiritimati")
    try:
        assert (await poller.poll_account("fixture", "ExampleMFA")).backfill
        with (tmp_path / "ExampleMFA.jsonl").open("a") as feed:
            feed.write(_post(900, datetime(9999, 12, 31, 23, 59, 59)))
            feed.write(_post(901, end + timedelta(hours=1)))
        outcome = await poller.poll_account("fixture", "ExampleMFA")
        assert outcome.error is None and outcome.new == 1
        [reject] = await activity_store.list_rejects(db)
        assert reject["line"] == 51 and reject["reason"].startswith(
            'at: "9999-12-31T23:59:59Z" is outside the years 1970'
        )
        assert await activity_store.get(db, "x", "x:901") is not None
    finally:  # closed even when an assertion fails (an open SQLite thread would hang pytest)
        await poller.stop()
        await db.close()


async def test_a_poll_that_cannot_be_stored_is_recorded_and_backs_off(tmp_path):
    _history(tmp_path / "ExampleMFA.jsonl", n=20)
    db, _, poller = await _setup(tmp_path)
    try:
        async with db.transaction() as tx:  # a real storage fault: SQLite refuses every new activity
            await writing(tx).execute(
                "CREATE TRIGGER refuse BEFORE INSERT ON activities BEGIN SELECT RAISE(ABORT, 'no room (test)'); END"
            )
        for n in range(1, PAUSE_AFTER_FAILURES + 1):
            outcome = await poller.poll_account("fixture", "ExampleMFA")
            assert outcome.error and "storing the poll failed" in outcome.error and "no room (test)" in outcome.error
            health = (await watch_store.feed_health(db))[0]
            assert health["failures"] == n and health["last_error"] == outcome.error  # counted, not reset
            assert health["paused_until"] and health["backoff"] > 0
            skipped = await poller.poll_account("fixture", "ExampleMFA")  # not retried before the backoff ends
            assert skipped.error is None and skipped.new == 0
            async with db.transaction() as tx:
                await watch_store.save_cursor(tx, "fixture", "ExampleMFA", paused_until=None)  # backoff elapsed
        assert (await watch_store.get_cursor(db, "fixture", "ExampleMFA"))["cursor"] is None  # nothing moved
        async with db.transaction() as tx:
            await writing(tx).execute("DROP TRIGGER refuse")
        outcome = await poller.poll_account("fixture", "ExampleMFA")
        assert outcome.error is None and outcome.new == 20 and outcome.backfill
        health = (await watch_store.feed_health(db))[0]
        assert health["failures"] == 0 and health["last_error"] is None
    finally:  # closed even when an assertion fails (an open SQLite thread would hang pytest)
        await poller.stop()
        await db.close()
