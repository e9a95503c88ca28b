"""Tier 3: slash commands through the real discord.py client and the fake Discord."""

from __future__ import annotations

from bot.watch import WatchedAccount
from storage import watch as watch_store
from tests.cogs.conftest import start_bot

EPHEMERAL = 64
PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message content


def group(fake, name):
    return next(c for c in fake.global_commands if c["name"] == name)


def sub(command, name):
    return next(o for o in command["options"] if o["name"] == name)


def reply_text(rec) -> str:
    data = rec.json["data"]
    return (data.get("content") or "") + "".join(
        (e.get("description") or "") + "".join(f["name"] + f["value"] for f in e.get("fields", []))
        for e in data.get("embeds") or []
    )


async def test_synced_command_payloads_match_the_issue(running, fake):
    assert {c["name"] for c in fake.global_commands} >= {"watch", "alerts", "admin"}
    watch, alerts = group(fake, "watch"), group(fake, "alerts")
    for command in (watch, alerts):
        assert command["default_member_permissions"] == 32  # Manage Server
        assert command["contexts"] == [0]  # servers only
    assert {o["name"] for o in watch["options"]} == {"add", "remove", "list", "show", "status"}
    assert {o["name"] for o in alerts["options"]} >= {"channel", "threshold", "mute", "test"}
    add = sub(watch, "add")
    assert [o["name"] for o in add["options"]] == [
        "platform",
        "handle",
        "channel",
        "role",
        "country",
        "affiliation",
        "owner",
        "webhook",
        "tz",
    ]
    assert [o["required"] for o in add["options"]] == [True, True, False, False, False, False, False, False, False]
    assert {c["value"] for c in add["options"][0]["choices"]} >= {"fixture", "x", "bluesky", "mastodon", "rss"}
    assert add["options"][2]["type"] == 7 and add["options"][2]["channel_types"] == [0, 5]
    for name in ("remove", "show"):
        assert sub(watch, name)["options"][0] == {
            **sub(watch, name)["options"][0],
            "name": "handle",
            "autocomplete": True,
        }
    assert sub(alerts, "mute")["options"][0]["autocomplete"] is True
    assert add["options"][3]["autocomplete"] is True  # role: suggestions, free text accepted
    assert [c["value"] for c in sub(alerts, "threshold")["options"][0]["choices"]] == [
        "low",
        "medium",
        "high",
        "critical",
    ]
    assert group(fake, "admin")["default_member_permissions"] == 8
    incident = group(fake, "incident")  # for everyone in the server
    assert incident["default_member_permissions"] is None and incident["contexts"] == [0]
    assert {o["name"] for o in incident["options"]} == {"search", "show"}
    assert fake.identifies[0]["intents"] & PRIVILEGED_INTENTS == 0


async def test_commands_sync_only_when_changed_or_on_owner_command(settings, fake):
    first = await start_bot(settings)
    assert first.bot.last_sync == "synced"
    await first.stop()
    again = await start_bot(settings)
    try:
        assert again.bot.last_sync == "unchanged"
        assert len(fake.requests_to("PUT", r"/applications/\d+/commands")) == 1
        refused = await fake.slash("admin", "sync", member=fake.member(moderator=True))
        assert "Only the bot's owner" in reply_text(refused)
        assert len(fake.requests_to("PUT", r"/applications/\d+/commands")) == 1
        owner = {**fake.member(moderator=True), "user": fake.owner}
        await fake.slash("admin", "sync", member=owner)
        [followup] = await fake.wait_for_request("POST", r"/webhooks/\d+/[^/]+")
        assert "Synced" in followup.json["content"]
        assert len(fake.requests_to("PUT", r"/applications/\d+/commands")) == 2
    finally:
        await again.stop()


async def test_moderator_adds_an_account(running, fake, settings):
    (settings.fixture_dir / "ChineseEmbinUS.jsonl").write_text("")
    alerts = fake.channel_id("alerts")
    rec = await fake.slash(
        "watch",
        "add",
        platform="fixture",
        handle="@ChineseEmbinUS",
        channel=alerts,
        role="embassy",
        country="cn",
        owner="Embassy of China in the US",
    )
    assert rec.json["type"] == 4 and rec.json["data"]["flags"] == EPHEMERAL
    assert rec.json["data"]["allowed_mentions"] == {"parse": []}
    text = reply_text(rec)
    assert "Now watching @ChineseEmbinUS on fixture" in text and f"<#{alerts}>" in text
    assert "posts nothing for it" in text
    [account] = await watch_store.all_accounts(running.db)
    assert (account.platform, account.handle, account.channel_id, account.role, account.country, account.owner) == (
        "fixture",
        "ChineseEmbinUS",
        alerts,
        "embassy",
        "CN",
        "Embassy of China in the US",
    )
    listed = await fake.slash("watch", "list")
    assert "@ChineseEmbinUS (fixture)" in reply_text(listed)


async def test_member_without_permission_is_refused_and_nothing_changes(running, fake):
    rec = await fake.slash("watch", "add", platform="fixture", handle="someone", member=fake.member())
    assert rec.json["data"]["flags"] == EPHEMERAL
    assert "Only moderators" in reply_text(rec) and "Manage Server" in reply_text(rec)
    assert await watch_store.all_accounts(running.db) == []
    for args in (("alerts", "threshold"),):
        refused = await fake.slash(*args, severity="high", member=fake.member())
        assert "Only moderators" in reply_text(refused)
    assert (await running.bot.guild_config(fake.guild_id))["min_severity"] == "low"


async def test_configured_moderator_role_is_enough(running, fake, settings):
    rec = await fake.slash("watch", "add", platform="fixture", handle="mfa_china", member=fake.member(role=True))
    assert "Now watching @mfa\\_china" in reply_text(rec)  # markdown-escaped: Discord shows mfa_china
    # the fixture file is missing: said (with its path, literally), not refused
    assert f"`{settings.fixture_dir / 'mfa_china.jsonl'}` does not exist yet" in reply_text(rec)


async def test_a_webhook_is_a_destination_named_by_its_id_never_its_url(running, fake):
    url = "https://discord.com/api/webhooks/123456789012345678/s3cret-Token"
    rec = await fake.slash("watch", "add", platform="fixture", handle="mfa_china", webhook=url)
    assert "webhook 123456789012345678" in reply_text(rec) and "s3cret" not in reply_text(rec)
    [account] = await watch_store.all_accounts(running.db)
    assert account.webhook_url == url and "s3cret" not in repr(account)
    from bot.pipeline import Pipeline

    assert "webhook:123456789012345678" in Pipeline(running.db).route(account)
    bad = await fake.slash("watch", "add", platform="fixture", handle="other", webhook="https://evil.example/s3cret")
    assert "not a Discord webhook URL" in reply_text(bad) and "s3cret" not in reply_text(bad)


async def test_bad_arguments_say_what_is_wrong_and_what_would_be_right(running, fake):
    cases = [
        (dict(platform="fixture", handle="../../etc/passwd"), "is not a fixture handle", "letters, digits"),
        (dict(platform="fixture", handle="ok", country="China"), "not a two-letter country code", "CN, US"),
        (dict(platform="fixture", handle="ok", role="r" * 300), "role is 300 characters", "60 or fewer"),
        (dict(platform="telegraph", handle="ok"), "not a platform I know", "fixture, x"),
    ]
    for values, wrong, right in cases:
        rec = await fake.slash("watch", "add", **values)
        text = reply_text(rec)
        assert rec.json["data"]["flags"] == EPHEMERAL
        assert wrong in text and right in text, text
    assert await watch_store.all_accounts(running.db) == []
    mute = await fake.slash("alerts", "mute", handle="nobody", hours=2)
    assert "@nobody is not on the watch list" in reply_text(mute)
    async with running.db.transaction() as tx:
        await watch_store.add(tx, WatchedAccount("fixture", "ChineseEmbinUS", guild_id=fake.guild_id))
    typo = await fake.slash("watch", "remove", handle="ChineseEmbnUS")
    assert "Did you mean @ChineseEmbinUS" in reply_text(typo)
    too_long = await fake.slash("alerts", "mute", handle="fixture:ChineseEmbinUS", hours=100000)
    assert "out of range" in reply_text(too_long) and "720" in reply_text(too_long)


async def test_platform_without_a_source_is_refused_with_the_available_ones(running, fake):
    from bot.sources import REGISTRY

    missing = next((p for p in ("x", "bluesky", "mastodon", "rss") if p not in REGISTRY), None)
    if missing is None:  # every offered platform has a source in this build
        rec = await fake.slash("watch", "add", platform="x", handle="bad handle!")
        assert "is not a x handle" in reply_text(rec)
        return
    rec = await fake.slash("watch", "add", platform=missing, handle="somebody")
    assert f"no {missing} source" in reply_text(rec) and "fixture" in reply_text(rec)


async def test_autocomplete_suggests_watched_handles(running, fake):
    for handle in ("ChineseEmbinUS", "AmbLiuXiaoMing", "realDonaldTrump", "MFA_China"):
        async with running.db.transaction() as tx:
            await watch_store.add(tx, WatchedAccount("fixture", handle, guild_id=fake.guild_id))
    choices = await fake.autocomplete("watch", "remove", focused="handle", handle="chines")
    assert choices[0] == {"name": "@ChineseEmbinUS (fixture)", "value": "fixture:ChineseEmbinUS"}
    everything = await fake.autocomplete("watch", "show", focused="handle", handle="")
    assert len(everything) == 4
    assert await fake.autocomplete("watch", "remove", focused="handle", handle="", member=fake.member()) == []
    roles = await fake.autocomplete("watch", "add", focused="role", platform="fixture", handle="x", role="emb")
    assert roles == [{"name": "embassy", "value": "embassy"}]
    removed = await fake.slash("watch", "remove", handle=choices[0]["value"])
    assert "Stopped watching @ChineseEmbinUS (fixture)" in reply_text(removed)
    assert len(await watch_store.all_accounts(running.db)) == 3


async def test_alert_settings_commands(running, fake):
    blind = await fake.slash("alerts", "channel", channel=fake.channel_id("no-embeds"))
    assert "I cannot post embeds" in reply_text(blind) and "Embed Links" in reply_text(blind)
    newsroom = fake.channel_id("newsroom")
    rec = await fake.slash("alerts", "channel", channel=newsroom)
    assert f"Alerts now go to <#{newsroom}>" in reply_text(rec)
    assert (await running.bot.guild_config(fake.guild_id))["alert_channel_id"] == newsroom
    await fake.slash("alerts", "threshold", severity="high")
    assert (await running.bot.guild_config(fake.guild_id))["min_severity"] == "high"
    async with running.db.transaction() as tx:
        await watch_store.add(tx, WatchedAccount("fixture", "ChineseEmbinUS", guild_id=fake.guild_id))
    muted = await fake.slash("alerts", "mute", handle="fixture:ChineseEmbinUS", hours=3)
    assert "is muted until <t:" in reply_text(muted)
    [account] = await watch_store.all_accounts(running.db)
    assert account.muted_until is not None
    sample = await fake.slash("alerts", "test")
    assert f"Posted a sample alert in <#{newsroom}>" in reply_text(sample)
    [post] = fake.posted(newsroom)
    assert post.json["allowed_mentions"] == {"parse": []}
    assert post.json["embeds"][0]["title"].startswith("CRITICAL: @ChineseEmbinUS reposted")


async def test_watch_show_summarizes_the_baseline(running, fake):
    from datetime import datetime, timedelta, timezone

    from bot.activity import parse_activity
    from storage import activities as activity_store

    start = datetime(2020, 11, 1, 9, tzinfo=timezone.utc)
    acts = [
        parse_activity(
            {
                "id": f"x:{i}",
                "platform": "x",
                "account": "ChineseEmbinUS",
                "kind": "post",
                "at": (start + timedelta(hours=i % 8, days=i // 8)).isoformat(),
                "lang": "zh",
                "mentions": ["MFA_China"],
            }
        )
        for i in range(40)
    ]
    async with running.db.transaction() as tx:
        await activity_store.store_new(tx, acts)
    async with running.db.transaction() as tx:
        await watch_store.add(tx, WatchedAccount("fixture", "ChineseEmbinUS", role="embassy", guild_id=fake.guild_id))
    rec = await fake.slash("watch", "show", handle="fixture:ChineseEmbinUS")
    embed = rec.json["data"]["embeds"][0]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert "40 activities" in fields["Activity"]
    assert fields["Usual hours"].startswith("09-15 UTC")
    assert "Chinese 100%" in fields["Languages"]
    assert "@MFA\\_China (40)" in fields["Top interaction partners"]
    assert rec.files == ["usual-hours.png"] and embed["image"]["url"] == "attachment://usual-hours.png"
    assert rec.uploads["usual-hours.png"].startswith(b"\x89PNG")
    # With its time zone known, the same hours read in local time (09-15 UTC is 17-23 in Shanghai).
    added = await fake.slash("watch", "add", platform="fixture", handle="ChineseEmbinUS", tz="Asia/Shanghai")
    assert "Updated" in reply_text(added)
    rec = await fake.slash("watch", "show", handle="fixture:ChineseEmbinUS")
    fields = {f["name"]: f["value"] for f in rec.json["data"]["embeds"][0]["fields"]}
    assert fields["Usual hours"].startswith("17-23 local time, Asia/Shanghai, UTC+08")
    bad = await fake.slash("watch", "add", platform="fixture", handle="ChineseEmbinUS", tz="Mars/Olympus")
    assert "not a time zone I know" in reply_text(bad)


async def test_guild_id_syncs_to_that_server_only_and_back(settings, fake):
    first = await start_bot(settings)  # global first
    await first.stop()
    assert {c["name"] for c in fake.global_commands} >= {"watch", "alerts"}
    run = await start_bot(settings.model_copy(update={"guild_id": fake.guild_id}))
    try:
        assert fake.global_commands == []  # no duplicates: the global set is removed
        assert {c["name"] for c in fake.guild_commands[fake.guild_id]} >= {"watch", "alerts"}
        rec = await fake.slash("watch", "list")  # invoked as a guild command
        assert "Nothing is watched yet" in reply_text(rec)
    finally:
        await run.stop()
    back = await start_bot(settings)
    await back.stop()
    assert fake.guild_commands[fake.guild_id] == [] and fake.global_commands


async def test_an_unexpected_error_is_logged_and_the_member_told(running, fake, caplog):
    await running.db.conn.execute("DROP TABLE destinations")  # break storage under the command
    rec = await fake.slash("watch", "status")
    assert rec.json["data"]["flags"] == EPHEMERAL
    assert "Something went wrong on our side; it has been logged" in reply_text(rec)
    assert "command /watch status failed" in caplog.text and "destinations" in caplog.text


async def test_a_write_during_a_long_ingest_is_acknowledged_then_answered(running, fake):
    import asyncio

    holding, release = asyncio.Event(), asyncio.Event()

    async def ingest_until_released():
        async with running.db.transaction():
            holding.set()
            await release.wait()

    busy = asyncio.create_task(ingest_until_released())
    await holding.wait()
    rec = await fake.slash("alerts", "threshold", severity="high")
    # Acknowledged while the ingest still holds the write lock: the answer does not wait for it.
    assert rec.json["type"] == 5 and rec.json["data"]["flags"] == EPHEMERAL  # "thinking…"
    assert not busy.done()
    release.set()
    [answer] = await fake.wait_for_request("POST", r"/webhooks/\d+/[^/]+")
    assert "only high alerts and above" in answer.json["content"]
    assert busy.done() and (await running.bot.guild_config(fake.guild_id))["min_severity"] == "high"


async def test_same_handle_on_two_platforms_asks_which(running, fake):
    async with running.db.transaction() as tx:
        await watch_store.add(tx, WatchedAccount("fixture", "MFA_China", guild_id=fake.guild_id))
    async with running.db.transaction() as tx:
        await watch_store.add(tx, WatchedAccount("bluesky", "MFA_China", guild_id=fake.guild_id))
    rec = await fake.slash("watch", "remove", handle="@MFA_China")
    assert "watched on bluesky, fixture" in reply_text(rec) and "platform:handle" in reply_text(rec)
    assert len(await watch_store.all_accounts(running.db)) == 2
    await fake.slash("watch", "remove", handle="bluesky:MFA_China")
    assert [a.platform for a in await watch_store.all_accounts(running.db)] == ["fixture"]


async def test_sample_alert_to_a_channel_the_bot_cannot_post_in(running, fake):
    channel = fake.channel_id("moderators")
    fake.forbidden_channels.add(channel)
    rec = await fake.slash("alerts", "test", channel=channel)
    assert f"I cannot post in <#{channel}>" in reply_text(rec) and "Send Messages" in reply_text(rec)


async def test_updating_an_account_keeps_its_baseline(running, fake):
    await fake.slash("watch", "add", platform="fixture", handle="MFA_China")
    rec = await fake.slash("watch", "add", platform="fixture", handle="MFA_China", role="foreign ministry")
    assert "Updated @MFA\\_China on fixture; its baseline is kept" in reply_text(rec)
    [account] = await watch_store.all_accounts(running.db)
    assert account.role == "foreign ministry"


async def test_a_handle_in_another_case_is_the_account_already_watched(running, fake):
    # x handles ignore case: a second /watch add in other capitals updates the entry, never a second one
    # (two entries differing in case could then not be told apart by /watch remove)
    first = await fake.slash("watch", "add", platform="x", handle="ChineseEmbinUS")
    assert "Now watching @ChineseEmbinUS on x" in reply_text(first)
    again = await fake.slash("watch", "add", platform="x", handle="chineseembinus", role="embassy")
    text = reply_text(again)
    assert "Updated @ChineseEmbinUS on x" in text and "ignore case" in text
    [account] = await watch_store.all_accounts(running.db)
    assert (account.handle, account.role) == ("ChineseEmbinUS", "embassy")
