"""The SQLite file: WAL, migrations applied once, activities stored once, rejects kept, outbox."""

import sqlite3

from bot.activity import parse_activity
from bot.alerts import Alert
from storage import activities as activity_store
from storage import alerts as alert_store
from storage.db import Database, migrations


def _activity(i, **extra):
    return parse_activity({"id": f"x:{i}", "platform": "x", "account": "Elysee", "kind": "post",
                           "at": f"2020-01-01T10:{i:02d}:00Z", "raw": {"original": i}, **extra})


async def test_open_creates_wal_file_at_newest_version(tmp_path):
    path = tmp_path / "sub" / "diplowatch.db"
    db = await Database.open(path)
    try:
        assert path.exists()
        async with db.conn.execute("PRAGMA journal_mode") as cur:
            assert (await cur.fetchone())[0] == "wal"
        assert await db.version() == migrations()[-1][0]
    finally:
        await db.close()
    again = await Database.open(path)  # reopening applies nothing twice
    assert await again.version() == migrations()[-1][0]
    await again.close()
    tables = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"activities", "rejects", "watched", "baselines", "alerts", "outbox", "cursors", "settings"} <= tables


async def test_activities_are_stored_once_with_raw(tmp_path):
    db = await Database.open(tmp_path / "d.db")
    async with db.transaction() as tx:
        first = await activity_store.store_new(tx, [_activity(1), _activity(2), _activity(1)])
    async with db.transaction() as tx:
        again = await activity_store.store_new(tx, [_activity(2), _activity(3)])
    assert [a.id for a in first] == ["x:1", "x:2"]
    assert [a.id for a in again] == ["x:3"]
    assert await activity_store.count(db) == 3
    stored = await activity_store.get(db, "x", "x:2")
    assert stored.raw == {"original": 2} and stored.at == _activity(2).at
    await db.close()


async def test_rejects_keep_source_line_and_reason(tmp_path):
    db = await Database.open(tmp_path / "d.db")
    async with db.transaction() as tx:
        await activity_store.keep_rejects(tx, [("feed.jsonl", 7, "kind: 'retweet' is not one of ...", "{...}")] * 2)
    rows = await activity_store.list_rejects(db)
    assert [(r["source"], r["line"]) for r in rows] == [("feed.jsonl", 7)]
    assert "retweet" in rows[0]["reason"]
    await db.close()


async def test_alert_is_queued_once_and_delivered_once(tmp_path):
    db = await Database.open(tmp_path / "d.db")
    alert = Alert(activity_id="x:1", account="Elysee", platform="x", kind="repost", at="2020-01-01T10:01:00Z",
                  score=0.9, severity="high", reasons=["first repost in 300 activities"])
    async with db.transaction() as tx:
        assert await alert_store.save(tx, alert, ["terminal", "discord:1"])
    async with db.transaction() as tx:
        assert not await alert_store.save(tx, alert, ["terminal"])
    due = await alert_store.pending(db, "terminal", "2099-01-01T00:00:00Z")
    assert [row["alert"].reasons for row in due] == [["first repost in 300 activities"]]
    async with db.transaction() as tx:
        await alert_store.mark_sent(tx, due[0]["seq"], "terminal")
    assert await alert_store.pending(db, "terminal", "2099-01-01T00:00:00Z") == []
    assert len(await alert_store.pending(db, "discord:", "2099-01-01T00:00:00Z")) == 1
    await db.close()
