"""Tier 3: two Discord servers share one bot and never each other's settings.

Each server has its own watch list, alerts channel, threshold, mutes and verdicts. An account both watch
is polled once; each server gets its own alert in its own channel. A moderator of one server can neither
see nor change the other's. DIPLOWATCH_ALLOWED_GUILDS makes the bot leave any other server.
"""

from __future__ import annotations

import json

import pytest_asyncio

from cogs.app import build_app
from storage import alerts as alert_store
from storage import watch as watch_store
from tests.cogs.conftest import start_bot
from tests.cogs.test_discord_live import TAKEOVER, HANDLE, history, wait_for


def text(rec) -> str:
    data = rec.json["data"]
    return data.get("content") or json.dumps(data.get("embeds"))


@pytest_asyncio.fixture
async def two(fake):
    """The first fake server (A: Newsroom) and a second one (B: Rival desk), both with the bot in them."""
    return fake.guild_id, fake.add_guild("Rival desk")


@pytest_asyncio.fixture
async def app(settings, fake, two):
    application = await build_app(settings)
    await application.start()
    await application.wait_until_ready(timeout=30)
    async with application.bot.settling:  # on_ready has sorted out the servers
        pass
    yield application
    await application.close()


async def test_a_moderator_neither_sees_nor_changes_another_servers_watch_list(fake, two, settings):
    a, b = two
    run = await start_bot(settings)
    try:
        added = await fake.slash(
            "watch",
            "add",
            platform="fixture",
            handle="mfa_china",
            guild=a,
            role="ministry",
            channel=fake.channel_id("alerts", a),
        )
        assert "Now watching" in text(added)
        listed = await fake.slash("watch", "list", guild=b)
        assert "Nothing is watched yet" in text(listed) and "mfa" not in text(listed)
        assert await fake.autocomplete("watch", "remove", focused="handle", handle="mfa", guild=b) == []
        for args, values in (
            (("watch", "remove"), {"handle": "mfa_china"}),
            (("watch", "show"), {"handle": "mfa_china"}),
            (("alerts", "mute"), {"handle": "fixture:mfa_china", "hours": 24}),
        ):
            refused = await fake.slash(*args, guild=b, **values)
            assert "not on the watch list" in text(refused), args
            assert "mfa" not in text(refused).replace("mfa\\_china", "", 1).replace("mfa_china", "", 1)
        status = await fake.slash("watch", "status", guild=b)
        assert "mfa" not in text(status) and "Nothing is watched yet" in text(status)
        [entry] = await watch_store.all_accounts(run.db)
        assert (entry.guild_id, entry.muted_until, entry.role) == (a, None, "ministry")

        # B may watch the same account with its own description and channel; A's entry is untouched.
        await fake.slash("watch", "add", platform="fixture", handle="mfa_china", guild=b, role="spokesperson")
        removed = await fake.slash("watch", "remove", handle="mfa_china", guild=b)
        assert "Stopped watching" in text(removed)
        assert [(e.guild_id, e.role) for e in await watch_store.all_accounts(run.db)] == [(a, "ministry")]
        assert "mfa" in text(await fake.slash("watch", "list", guild=a))
    finally:
        await run.stop()


async def test_alert_settings_are_per_server(fake, two, settings):
    a, b = two
    run = await start_bot(settings)
    try:
        await fake.slash("alerts", "channel", guild=a, channel=fake.channel_id("newsroom", a))
        await fake.slash("alerts", "threshold", guild=a, severity="critical")
        assert await run.bot.guild_config(a) == {
            "alert_channel_id": fake.channel_id("newsroom", a),
            "min_severity": "critical",
        }
        assert await run.bot.guild_config(b) == {"alert_channel_id": None, "min_severity": "low"}
        status = await fake.slash("watch", "status", guild=b)
        assert "not set" in text(status) and "low and above" in text(status)
        assert str(fake.channel_id("newsroom", a)) not in text(status)
        # A channel of another server is refused (Discord only offers the server's own; never trust it).
        wrong = await fake.slash("alerts", "channel", guild=b, channel=fake.channel_id("alerts", a))
        assert (await run.bot.guild_config(b))["alert_channel_id"] is None, text(wrong)
    finally:
        await run.stop()


async def test_an_account_both_watch_is_polled_once_and_each_server_gets_its_own_alert(app, fake, two, settings):
    a, b = two
    feed = settings.fixture_dir / f"{HANDLE}.jsonl"
    feed.write_text("\n".join(history()) + "\n", encoding="utf-8")
    alerts_a, alerts_b = fake.channel_id("alerts", a), fake.channel_id("alerts", b)
    await fake.slash("alerts", "channel", guild=a, channel=alerts_a)
    await fake.slash("alerts", "channel", guild=b, channel=alerts_b)
    await fake.slash("watch", "add", platform="fixture", handle=HANDLE, guild=a, role="embassy", country="CN")
    await fake.slash("watch", "add", platform="fixture", handle=HANDLE, guild=b, role="embassy", country="CN")

    async def backfilled() -> bool:
        row = await watch_store.get_cursor(app.db, "fixture", HANDLE)
        return bool(row and row["cursor"])

    await wait_for(backfilled)
    with feed.open("a", encoding="utf-8") as out:
        out.write(json.dumps(TAKEOVER) + "\n")
    [post_a] = await fake.wait_for_post(alerts_a)
    [post_b] = await fake.wait_for_post(alerts_b)
    alert_id = post_a.json["nonce"]
    assert post_b.json["nonce"] == alert_id  # one alert, raised once, posted once in each server
    async with app.db.conn.execute("SELECT COUNT(*) FROM alerts") as cur:
        assert (await cur.fetchone())[0] == 1
    async with app.db.conn.execute("SELECT COUNT(*) FROM activities WHERE id = ?", (TAKEOVER["id"],)) as cur:
        assert (await cur.fetchone())[0] == 1  # polled once: stored once
    assert len(fake.posted()) == 2

    # A calls it a false alarm: A's verdict, shown in A; B's message and verdict are B's own.
    message_a = int(fake.channel_messages(alerts_a)[0]["id"])
    message_b = int(fake.channel_messages(alerts_b)[0]["id"])
    answer = await fake.press(message_a, f"dw:false:{alert_id}")
    assert "Marked a false alarm" in json.dumps(answer["embeds"])
    assert await alert_store.verdict_of(app.db, alert_id, a) != (None, None)
    assert await alert_store.verdict_of(app.db, alert_id, b) == (None, None)
    assert not app.pipeline.book.profile("x", HANDLE).exempt  # B has not agreed: the shared profile waits
    assert fake.channel_messages(alerts_b)[0]["edited_timestamp"] is None
    # B confirms it: the servers disagree, so the shared profile still learns nothing from either.
    confirm = await fake.press(message_b, f"dw:confirm:{alert_id}")
    assert "Confirmed as an incident" in json.dumps(confirm["embeds"])
    assert "false alarm" not in json.dumps(confirm["embeds"]).lower()
    assert not app.pipeline.book.profile("x", HANDLE).exempt

    # A mutes the account: A's next alert is kept, B's still posted.
    await fake.press(message_a, f"dw:mute:{alert_id}")
    [entry_a] = await watch_store.find(app.db, HANDLE, guild=a)
    [entry_b] = await watch_store.find(app.db, HANDLE, guild=b)
    assert entry_a.muted_until and entry_b.muted_until is None
    second = {
        **TAKEOVER,
        "id": "x:9990002",
        "at": "2020-12-10T03:20:00Z",
        "target": {**TAKEOVER["target"], "id": "x:9990003"},
    }
    with feed.open("a", encoding="utf-8") as out:
        out.write(json.dumps(second) + "\n")
    await fake.wait_for_post(alerts_b, count=2)
    async with app.db.conn.execute(
        "SELECT destination FROM outbox o JOIN alerts a ON a.id = o.alert_id WHERE a.activity_id = ?", (second["id"],)
    ) as cur:
        assert [r[0] for r in await cur.fetchall()] == [f"discord:{alerts_b}"]
    assert len(fake.posted(alerts_a)) == 1


async def test_a_button_of_another_servers_alert_records_nothing(app, fake, two, settings):
    a, b = two
    alerts_a = fake.channel_id("alerts", a)
    from bot.alerts import Alert

    alert = Alert(
        activity_id="x:1",
        account="mfa",
        platform="x",
        kind="post",
        at="2021-01-01T00:00:00Z",
        score=0.9,
        severity="high",
        reasons=["odd"],
    )
    async with app.db.transaction() as tx:
        await alert_store.save(tx, alert, [(f"discord:{alerts_a}", a)])
    app.bot.poke_delivery()
    await fake.wait_for_post(alerts_a)
    [message] = fake.channel_messages(alerts_a)
    # A member of B crafts the same button on a message in B's channel (a custom id is the client's to send).
    forged = {**message, "id": str(fake.snowflake()), "channel_id": str(fake.channel_id("alerts", b))}
    fake.messages[int(forged["id"])] = forged
    rec = await fake.click(int(forged["id"]), f"dw:confirm:{alert.id}")
    token = rec.path.split("/")[3]
    await fake.wait_for_request("POST", rf"/webhooks/\d+/{token}")
    assert await alert_store.verdict_of(app.db, alert.id, b) == (None, None)
    assert await alert_store.verdict_of(app.db, alert.id, a) == (None, None)


async def test_the_bot_leaves_servers_not_allowed_at_start_and_on_join(fake, two, settings):
    a, b = two
    run = await start_bot(settings.model_copy(update={"allowed_guilds": str(a)}))
    try:
        async with run.bot.settling:
            pass
        assert fake.left == [b] and [g.id for g in run.bot.guilds] == [a]
        c = fake.add_guild("Stranger")
        await fake.join(c)
        await wait_for(lambda: _true(fake.left == [b, c]))
        listed = await fake.slash("watch", "list", guild=a)  # the allowed server works as before
        assert "Nothing is watched yet" in text(listed)
    finally:
        await run.stop()


async def test_rows_from_before_servers_were_separate_go_to_the_server_of_the_alerts_channel(fake, two, settings):
    """A database of schema 5 (one global watch list and alerts channel) opened by this version."""
    import sqlite3

    from storage.db import migrations

    a, b = two
    channel = fake.channel_id("newsroom", b)  # B set the alerts channel back then
    con = sqlite3.connect(settings.database)
    con.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))"
    )
    for version, name, sql in migrations():
        if version <= 5:
            con.executescript(sql)
            con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", (version, name))
    con.execute("INSERT INTO watched (platform, handle, role, muted_until) VALUES ('x', 'mfa', 'ministry', NULL)")
    con.execute("INSERT INTO settings (key, value) VALUES ('discord.alert_channel_id', ?)", (str(channel),))
    con.execute("INSERT INTO settings (key, value) VALUES ('discord.min_severity', 'high')")
    con.commit()
    con.close()
    run = await start_bot(settings)
    try:
        async with run.bot.settling:
            pass
        assert [(e.guild_id, e.handle, e.role) for e in await watch_store.all_accounts(run.db)] == [
            (b, "mfa", "ministry")
        ]
        assert await run.bot.guild_config(b) == {"alert_channel_id": channel, "min_severity": "high"}
        assert await run.bot.guild_config(a) == {"alert_channel_id": None, "min_severity": "low"}
        assert "mfa" in text(await fake.slash("watch", "list", guild=b))
        assert "Nothing is watched yet" in text(await fake.slash("watch", "list", guild=a))
    finally:
        await run.stop()


async def _true(value: bool) -> bool:
    return value
