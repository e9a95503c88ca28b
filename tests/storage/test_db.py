"""The store (a SQLite file, and PostgreSQL: the `database` fixture): migrations applied once, activities
stored once, rejects kept, outbox; the SQLite file's WAL and its upgrades from older schemas."""

import sqlite3

from bot.activity import parse_activity
from bot.alerts import Alert
from storage import activities as activity_store
from storage import alerts as alert_store
from bot.watch import WatchedAccount
from storage.db import Database, migrations


def _activity(i, **extra):
    return parse_activity(
        {
            "id": f"x:{i}",
            "platform": "x",
            "account": "Elysee",
            "kind": "post",
            "at": f"2020-01-01T10:{i:02d}:00Z",
            "raw": {"original": i},
            **extra,
        }
    )


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


async def test_activities_are_stored_once_with_raw(database):
    db = await Database.open(database)
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


async def test_rejects_keep_source_line_and_reason(database):
    db = await Database.open(database)
    async with db.transaction() as tx:
        await activity_store.keep_rejects(tx, [("feed.jsonl", 7, "kind: 'retweet' is not one of ...", "{...}")] * 2)
    rows = await activity_store.list_rejects(db)
    assert [(r["source"], r["line"]) for r in rows] == [("feed.jsonl", 7)]
    assert "retweet" in rows[0]["reason"]
    await db.close()


async def test_alert_is_queued_once_and_delivered_once(database):
    db = await Database.open(database)
    alert = Alert(
        activity_id="x:1",
        account="Elysee",
        platform="x",
        kind="repost",
        at="2020-01-01T10:01:00Z",
        score=0.9,
        severity="high",
        reasons=["first repost in 300 activities"],
    )
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


def _schema_5(path, *, bot_used: bool):
    """A database as the version before servers were separate left it: one global watch list."""
    con = sqlite3.connect(path)
    con.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))"
    )
    for version, name, sql in migrations():
        if version <= 5:
            con.executescript(sql)
            con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", (version, name))
    con.execute(
        "INSERT INTO watched (platform, handle, role, muted_until, webhook_url)"
        " VALUES ('x', 'mfa', 'ministry', '2099-01-01T00:00:00Z', NULL)"
    )
    con.execute(
        "INSERT INTO alerts (id, activity_id, platform, account, kind, at, score, severity, body, verdict,"
        " verdict_by) VALUES ('A-1', 'x:1', 'x', 'mfa', 'post', '2020-01-01T00:00:00Z', 0.9, 'high', '{}',"
        " 'confirmed', 'mod')"
    )
    con.execute("INSERT INTO outbox (alert_id, destination) VALUES ('A-1', 'discord:42'), ('A-1', 'terminal')")
    if bot_used:
        con.execute(
            "INSERT INTO settings (key, value) VALUES ('discord.alert_channel_id', '42'),"
            " ('discord.min_severity', 'medium')"
        )
    con.commit()
    con.close()


async def test_migration_0006_keeps_every_row_in_the_scope_it_belongs_to(tmp_path):
    from storage import watch as watch_store

    for bot_used, scope in ((False, 0), (True, -1)):
        path = tmp_path / f"old-{bot_used}.db"
        _schema_5(path, bot_used=bot_used)
        db = await Database.open(path)
        try:
            [entry] = await watch_store.all_accounts(db)
            assert (entry.guild_id, entry.handle, entry.role, entry.muted_until) == (
                scope,
                "mfa",
                "ministry",
                "2099-01-01T00:00:00Z",
            )
            settings = await watch_store.guild_settings(db)
            assert settings == ({-1: {"alert_channel_id": 42, "min_severity": "medium"}} if bot_used else {})
            assert await alert_store.verdict_of(db, "A-1", -1) == ("confirmed", "mod")
            async with db.conn.execute("SELECT destination, guild_id FROM outbox ORDER BY destination") as cur:
                assert [tuple(r) for r in await cur.fetchall()] == [("discord:42", -1), ("terminal", 0)]
            async with db.transaction() as tx:  # the bot's start-up, once it knows channel 42's server
                await watch_store.adopt(tx, -1, 555)
            if bot_used:
                assert [e.guild_id for e in await watch_store.all_accounts(db)] == [555]
                assert await watch_store.guild_settings(db) == {555: {"alert_channel_id": 42, "min_severity": "medium"}}
                assert await alert_store.verdict_of(db, "A-1", 555) == ("confirmed", "mod")
        finally:
            await db.close()


async def test_a_storage_write_outside_a_transaction_is_refused(database):
    import pytest

    db = await Database.open(database)
    try:
        with pytest.raises(TypeError, match="open Transaction"):
            await activity_store.store_new(db, [_activity(1)])
        async with db.transaction() as tx:
            await activity_store.store_new(tx, [_activity(1)])
        with pytest.raises(TypeError, match="open Transaction"):  # a finished one is no better
            await activity_store.store_new(tx, [_activity(2)])
        assert await activity_store.count(db) == 1
    finally:
        await db.close()


def _schema(path, versions: set[int]):
    """A database that had exactly these migrations (a release's own set), with one watched account, an
    alerts channel the bot set, and the account's zone where the file has the tz column."""
    con = sqlite3.connect(path)
    con.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))"
    )
    for version, name, sql in migrations():
        if version in versions:
            con.executescript(sql)
            con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", (version, name))
    columns = {row[1] for row in con.execute("PRAGMA table_info(watched)")}
    scoped = "guild_id" in columns
    con.execute(
        f"INSERT INTO watched (platform, handle, role{', guild_id' * scoped}) VALUES "
        f"('x', 'mfa', 'ministry'{', 555' * scoped}), ('x', 'elysee', 'leader'{', 555' * scoped})"
    )
    if "tz" in columns:
        con.execute("UPDATE watched SET tz = 'Asia/Shanghai' WHERE handle = 'mfa'")
    if scoped:
        con.execute("INSERT INTO guild_settings (guild_id, alert_channel_id) VALUES (555, 42)")
    else:
        con.execute("INSERT INTO settings (key, value) VALUES ('discord.alert_channel_id', '42')")
    con.commit()
    con.close()


async def test_a_database_at_schema_5_6_or_7_upgrades_to_servers_and_zones(tmp_path):
    """Schema 5 (before both), 6 (servers, no zones) and 7 as the release with zones but not yet servers
    left it (0007 applied, 0006 not): each gets every migration once, the watch list lands in a server's
    scope (the legacy one until the bot adopts it), and an account's zone is kept where it had one."""
    from storage import watch as watch_store

    cases = {
        "5": ({1, 2, 3, 4, 5}, -1, None),
        "6": ({1, 2, 3, 4, 5, 6}, 555, None),
        "7 without 6": ({1, 2, 3, 4, 5, 7}, -1, "Asia/Shanghai"),
        "7": ({1, 2, 3, 4, 5, 6, 7}, 555, "Asia/Shanghai"),
    }
    newest = [v for v, _, _ in migrations()]
    for label, (versions, scope, zone) in cases.items():
        path = tmp_path / f"schema-{label.replace(' ', '-')}.db"
        _schema(path, versions)
        for _ in range(2):  # and opening it again changes nothing
            db = await Database.open(path)
            try:
                async with db.conn.execute("SELECT version FROM schema_version ORDER BY version") as cur:
                    assert [r[0] for r in await cur.fetchall()] == newest, label
                entries = {e.handle: e for e in await watch_store.all_accounts(db)}
                assert sorted(entries) == ["elysee", "mfa"], label
                assert {e.guild_id for e in entries.values()} == {scope}, label
                assert (entries["mfa"].tz, entries["elysee"].tz, entries["mfa"].role) == (zone, None, "ministry"), label
                assert (await watch_store.guild_settings(db))[scope]["alert_channel_id"] == 42, label
            finally:
                await db.close()
        async with await Database.open(path) as db:  # the new columns take writes: a zone in a scope
            async with db.transaction() as tx:
                await watch_store.add(tx, WatchedAccount("x", "elysee", tz="Europe/Paris", guild_id=scope))
            async with db.transaction() as tx:
                await watch_store.add(tx, WatchedAccount("x", "elysee", guild_id=scope))  # empty keeps it
            async with db.transaction() as tx:
                await watch_store.add(tx, WatchedAccount("x", "elysee", tz="Asia/Tokyo", guild_id=scope + 1))
            assert (await watch_store.get(db, scope, "x", "elysee")).tz == "Europe/Paris", label
            assert (await watch_store.get(db, scope + 1, "x", "elysee")).tz == "Asia/Tokyo", label
