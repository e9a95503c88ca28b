"""Tier 3: the buttons under an alert, pressed by moderators and members, before and after a restart."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot.watch import WatchedAccount
from storage import watch as watch_store
from tests.cogs.conftest import start_bot
from tests.cogs.test_discord_delivery import make_alert, queue

EPHEMERAL = 64


async def posted_alert(run, fake, alert):
    channel = await queue(run, fake, alert)
    await fake.wait_for_post(channel)
    return int(fake.channel_messages(channel)[-1]["id"])


async def verdict(run, alert_id, guild=None):
    """One server's verdict (the first fake server's by default): (verdict, by), or (None, None)."""
    from storage import alerts as alert_store

    return await alert_store.verdict_of(run.db, alert_id, guild or run.bot.guilds[0].id)


def decisions(answer) -> str:
    fields = answer["embeds"][0]["fields"]
    return next(f["value"] for f in fields if f["name"] == "Decisions")


def buttons(answer) -> dict[str, bool]:
    return {
        b["custom_id"].split(":")[1]: b.get("disabled", False)
        for b in answer["components"][0]["components"]
        if "custom_id" in b
    }


async def test_moderator_confirms_then_corrects_to_false_alarm(running, fake):
    alert = make_alert(1)
    message = await posted_alert(running, fake, alert)
    editor = fake.member(moderator=True, name="desk_editor")
    rec = await fake.press(message, f"dw:confirm:{alert.id}", member=editor)
    assert rec["type"] == 6  # acknowledged at once, then the alert message itself is edited
    assert "Confirmed as an incident by desk\\_editor" in decisions(rec)
    assert buttons(rec) == {"confirm": True, "false": False, "mute": False}
    assert (await verdict(running, alert.id))[0] == "confirmed"
    # The embed keeps everything else.
    assert rec["embeds"][0]["title"].startswith("CRITICAL: @ChineseEmbinUS")
    assert rec["allowed_mentions"] == {"parse": []}
    rec = await fake.press(message, f"dw:false:{alert.id}", member=editor)
    assert decisions(rec).splitlines()[-1].startswith("Marked a false alarm by desk\\_editor")
    assert "Confirmed as an incident" in decisions(rec)  # history kept
    assert (await verdict(running, alert.id))[0] == "false_alarm"
    assert fake.messages[message]["embeds"][0]["fields"][-1]["name"] == "Decisions"


async def test_member_cannot_press_and_nothing_changes(running, fake):
    alert = make_alert(1)
    message = await posted_alert(running, fake, alert)
    rec = await fake.press(message, f"dw:confirm:{alert.id}", member=fake.member())
    assert rec["type"] == 4 and rec["flags"] == EPHEMERAL
    assert "Only moderators" in rec["content"]
    assert await verdict(running, alert.id) == (None, None)
    assert all(f["name"] != "Decisions" for f in fake.messages[message]["embeds"][0]["fields"])


async def test_mute_24h_mutes_the_watched_account(running, fake):
    async with running.db.transaction() as tx:
        await watch_store.add(tx, WatchedAccount("fixture", "ChineseEmbinUS", guild_id=fake.guild_id))
    alert = make_alert(1)
    message = await posted_alert(running, fake, alert)
    rec = await fake.press(message, f"dw:mute:{alert.id}", member=fake.member(role=True, name="night_desk"))
    assert "muted for 24 h" in decisions(rec) and "night\\_desk" in decisions(rec)
    [account] = await watch_store.all_accounts(running.db)
    until = datetime.fromisoformat(account.muted_until.replace("Z", "+00:00"))
    assert timedelta(hours=23) < until - datetime.now(timezone.utc) <= timedelta(hours=24)


async def test_buttons_work_after_a_restart(settings, fake):
    first = await start_bot(settings)
    alert = make_alert(1)
    message = await posted_alert(first, fake, alert)
    await first.stop()
    second = await start_bot(settings)
    try:
        rec = await fake.press(message, f"dw:confirm:{alert.id}")
        assert "Confirmed as an incident" in decisions(rec)
        assert (await verdict(second, alert.id))[0] == "confirmed"
    finally:
        await second.stop()


async def test_a_press_during_a_long_ingest_is_acknowledged_at_once(running, fake):
    import asyncio

    alert = make_alert(1)
    message = await posted_alert(running, fake, alert)
    async with running.bot.write_lock:  # the pipeline is busy writing a big backfill
        rec = await fake.click(message, f"dw:confirm:{alert.id}")
        assert rec.json["type"] == 6  # answered while the ingest still holds the lock: it does not wait for it
        await asyncio.sleep(0.2)
        assert await verdict(running, alert.id) == (None, None)  # nothing written under the ingest
    token = rec.path.split("/")[3]
    await fake.wait_for_request("PATCH", rf"/webhooks/\d+/{token}/messages/@original")
    assert (await verdict(running, alert.id))[0] == "confirmed"
