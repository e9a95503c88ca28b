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
from storage.db import Database


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


async def _setup(tmp_path, interval=0.1):
    db = await Database.open(tmp_path / "live.db")
    async with db.transaction() as tx:
        await watch_store.add(tx, WatchedAccount("fixture", "ExampleMFA", role="foreign ministry", country="XX"))
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
