"""Tier 3: alerts leave the outbox for Discord oldest first, exactly once, through 500s, 429s and restarts."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.alerts import Alert
from storage import alerts as alert_store
from tests.cogs.conftest import start_bot

MESSAGES = r"/channels/\d+/messages"


def make_alert(n: int, **extra) -> Alert:
    values: dict[str, Any] = dict(
        activity_id=f"x:{n}",
        account="ChineseEmbinUS",
        platform="x",
        kind="repost",
        at=f"2020-12-09T03:{n:02d}:00Z",
        score=0.96,
        severity="critical",
        reasons=[f"reason {n}"],
        text=f"excerpt {n} @everyone <@&123456789012345678>",
        url=f"https://x.com/ChineseEmbinUS/status/{n}",
        target_account="realDonaldTrump",
    )
    values.update(extra)
    return Alert(**values)


async def queue(run, fake, *alerts: Alert, channel: str = "alerts") -> int:
    channel_id = fake.channel_id(channel)
    for alert in alerts:
        async with run.db.transaction() as tx:
            await alert_store.save(tx, alert, [(f"discord:{channel_id}", fake.guild_of(channel_id))])
    run.bot.poke_delivery()
    return channel_id


async def outbox(run) -> list[dict]:
    async with run.db.conn.execute("SELECT * FROM outbox ORDER BY seq") as cur:
        return [dict(r) for r in await cur.fetchall()]


async def wait_until(predicate, timeout: float = 30.0) -> None:
    async def loop():
        while not await predicate():
            await asyncio.sleep(0.02)

    await asyncio.wait_for(loop(), timeout)


async def status_showing(fake, field: str, text: str, timeout: float = 30.0) -> dict[str, str]:
    """The /watch status fields, once `field` shows `text` (a condition to wait on, not a fixed sleep)."""

    async def loop():
        while True:
            status = await fake.slash("watch", "status")
            fields = {f["name"]: f["value"] for f in status.json["data"]["embeds"][0]["fields"]}
            if text in fields.get(field, ""):
                return fields
            await asyncio.sleep(0.05)

    return await asyncio.wait_for(loop(), timeout)


async def test_alert_is_posted_in_its_channel_with_embed_buttons_and_no_pings(running, fake):
    alert = make_alert(1)
    channel = await queue(running, fake, alert)
    [post] = await fake.wait_for_post(channel)
    body = post.json
    assert body["allowed_mentions"] == {"parse": []}
    assert body["nonce"] == alert.id and body["enforce_nonce"] is True
    embed = body["embeds"][0]
    assert embed["title"] == "CRITICAL: @ChineseEmbinUS reposted @realDonaldTrump"
    assert "@\u200beveryone" in embed["description"] and "<@&123456789012345678>" not in embed["description"]
    # The account's usual hours come along as the embed's image, the alert's hour marked.
    assert post.files == ["usual-hours.png"] and embed["image"]["url"] == "attachment://usual-hours.png"
    assert post.uploads["usual-hours.png"].startswith(b"\x89PNG")
    buttons = body["components"][0]["components"]
    assert [b.get("custom_id") for b in buttons[:3]] == [
        f"dw:confirm:{alert.id}",
        f"dw:false:{alert.id}",
        f"dw:mute:{alert.id}",
    ]
    assert buttons[3]["url"] == alert.url
    await wait_until(lambda: _all_sent(running))
    [row] = await outbox(running)
    assert row["state"] == "sent" and row["message_id"] == fake.channel_messages(channel)[0]["id"]


async def test_oldest_first_and_a_failed_alert_is_not_overtaken(running, fake):
    fake.fail("POST", MESSAGES, 503, count=2)  # the oldest fails twice; the newer ones must wait for it
    alerts = [make_alert(i) for i in range(1, 4)]
    channel = await queue(running, fake, *alerts)
    posts = await fake.wait_for_post(channel, count=3)
    assert [p.json["nonce"] for p in posts] == [a.id for a in alerts]
    await wait_until(lambda: _all_sent(running))
    rows = await outbox(running)
    assert [r["attempts"] for r in rows] == [2, 0, 0]


async def test_delivery_survives_a_500_and_a_429(running, fake):
    fake.fail("POST", MESSAGES, 500, count=1)
    fake.fail("POST", MESSAGES, 429, count=1, retry_after=0.1)
    channel = await queue(running, fake, make_alert(1))
    [post] = await fake.wait_for_post(channel, timeout=30)
    statuses = [r.status for r in fake.requests_to("POST", MESSAGES)]
    assert statuses == [500, 429, 200]
    assert len(fake.channel_messages(channel)) == 1


async def test_an_outage_delays_alerts_but_never_drops_them(running, fake):
    fake.fail("POST", MESSAGES, 503, count=4)
    channel = await queue(running, fake, make_alert(1), make_alert(2))
    posts = await fake.wait_for_post(channel, count=2, timeout=30)
    assert [p.json["nonce"] for p in posts] == [make_alert(1).id, make_alert(2).id]


async def test_forbidden_channel_pauses_and_shows_in_status_until_resumed(running, fake):
    channel = fake.channel_id("moderators")
    fake.forbidden_channels.add(channel)
    await queue(running, fake, make_alert(1), make_alert(2), channel="moderators")
    await fake.wait_for_request("POST", rf"/channels/{channel}/messages")
    fields = await status_showing(fake, "Paused channels", f"<#{channel}>: 403")
    assert len(fake.requests_to("POST", rf"/channels/{channel}/messages")) == 1  # paused: no hammering
    assert f"<#{channel}>: 403" in fields["Paused channels"] and "2 alert(s) waiting" in fields["Paused channels"]
    assert "/alerts resume" in fields["Paused channels"]
    fake.forbidden_channels.clear()
    await fake.slash("alerts", "resume")
    posts = await fake.wait_for_post(channel, count=2)
    assert [p.json["nonce"] for p in posts] == [make_alert(1).id, make_alert(2).id]


async def test_unknown_channel_pauses_that_destination_only(running, fake):
    async with running.db.transaction() as tx:
        await alert_store.save(tx, make_alert(1), [("discord:1234567890123456789", fake.guild_id)])
    channel = await queue(running, fake, make_alert(2))
    await fake.wait_for_post(channel)
    status = await fake.slash("watch", "status")
    assert "404" in status.json["data"]["embeds"][0]["fields"][-1]["value"]


async def test_restart_neither_loses_nor_repeats(settings, fake):
    first = await start_bot(settings)
    channel = await queue(first, fake, make_alert(1))
    await fake.wait_for_post(channel)
    await first.stop()
    # While the bot is down: a new alert arrives, and one was sent but its message id never written
    # (the bot died between Discord's answer and the commit).
    from storage.db import Database

    db = await Database.open(settings.database)
    async with db.transaction() as tx:
        await alert_store.save(tx, make_alert(2), [f"discord:{channel}"])
    await db.conn.execute(
        "UPDATE outbox SET state = 'pending', message_id = NULL WHERE alert_id = ?", (make_alert(1).id,)
    )
    await db.conn.commit()
    await db.close()
    second = await start_bot(settings)
    try:
        await wait_until(lambda: _all_sent(second))
        messages = fake.channel_messages(channel)
        assert len(messages) == 2  # alert 1 once (Discord matched the nonce), alert 2 once
        rows = await outbox(second)
        assert [r["message_id"] for r in rows] == [m["id"] for m in messages]
    finally:
        await second.stop()


async def _all_sent(run) -> bool:
    return all(r["state"] == "sent" for r in await outbox(run))


async def test_payload_discord_refuses_is_kept_as_failed_and_the_next_goes(running, fake):
    fake.fail("POST", MESSAGES, 400, count=1)
    channel = await queue(running, fake, make_alert(1), make_alert(2))
    [post] = await fake.wait_for_post(channel)
    assert post.json["nonce"] == make_alert(2).id
    await wait_until(lambda: _row_state(running, 1, "sent"))
    rows = await outbox(running)
    assert rows[0]["state"] == "failed" and "400" in rows[0]["last_error"]
    status = await fake.slash("watch", "status")
    assert "refused by Discord 1" in status.json["data"]["embeds"][0]["fields"][0]["value"]


async def _row_state(run, index: int, state: str) -> bool:
    rows = await outbox(run)
    return len(rows) > index and rows[index]["state"] == state


async def test_channel_without_embed_links_is_paused_without_trying(running, fake):
    channel = await queue(running, fake, make_alert(1), channel="no-embeds")
    await status_showing(fake, "Paused channels", f"<#{channel}>: missing permission Embed Links")
    assert fake.requests_to("POST", rf"/channels/{channel}/messages") == []  # no invalid request spent


async def test_a_waiting_alert_holds_back_its_channel_only(running, fake):
    running.bot.get_cog("Delivery").base = 0.4  # a retry far enough away for newer alerts to try to overtake
    alerts_channel, newsroom = fake.channel_id("alerts"), fake.channel_id("newsroom")
    fake.fail("POST", rf"/channels/{alerts_channel}/messages", 503, count=1)
    await queue(running, fake, make_alert(1))
    await fake.wait_for_request("POST", rf"/channels/{alerts_channel}/messages")
    await queue(running, fake, make_alert(2))  # same channel, newer: must wait for alert 1
    await queue(running, fake, make_alert(3), channel="newsroom")  # another channel: not held back
    [other] = await fake.wait_for_post(newsroom)
    assert fake.posted(alerts_channel) == []
    posts = await fake.wait_for_post(alerts_channel, count=2)
    assert [p.json["nonce"] for p in posts] == [make_alert(1).id, make_alert(2).id]
    assert other.json["nonce"] == make_alert(3).id


async def _delivery_waits_for_the_lock(run) -> bool:
    return bool(run.db.write_lock._waiters)  # the delivery loop is queued behind the open transaction


async def test_an_alert_is_posted_only_once_its_poll_committed_and_never_when_it_rolled_back(running, fake):
    """The bot has one connection: an alert written by a poll still in progress would be visible to the
    delivery loop. It waits for the poll's transaction to end, so an alert whose poll rolls back (an error,
    a cancellation) is never posted, and one whose poll commits is posted once."""
    import pytest

    channel = fake.channel_id("alerts")

    class PollFailed(Exception):
        pass

    with pytest.raises(PollFailed):
        async with running.db.transaction() as tx:
            await alert_store.save(tx, make_alert(1), [(f"discord:{channel}", fake.guild_id)])
            running.bot.poke_delivery()
            await wait_until(lambda: _delivery_waits_for_the_lock(running))
            raise PollFailed  # the poll's transaction rolls back, alert 1 with it
    async with running.db.transaction() as tx:
        await alert_store.save(tx, make_alert(2), [(f"discord:{channel}", fake.guild_id)])
        running.bot.poke_delivery()
        await wait_until(lambda: _delivery_waits_for_the_lock(running))
        assert fake.posted(channel) == []  # not while its poll may still roll back
    [post] = await fake.wait_for_post(channel)
    assert post.json["nonce"] == make_alert(2).id
    await wait_until(lambda: _all_sent(running))
    assert [r["alert_id"] for r in await outbox(running)] == [make_alert(2).id]
    assert len(fake.posted(channel)) == 1


async def test_a_burst_respects_the_channel_rate_limit_and_keeps_order(running, fake):
    fake.message_rate = (3, 0.4)  # Discord allows 5 per 5 s per channel; scaled down
    alerts = [make_alert(i) for i in range(1, 9)]
    channel = await queue(running, fake, *alerts)
    posts = await fake.wait_for_post(channel, count=8, timeout=30)
    assert [p.json["nonce"] for p in posts] == [a.id for a in alerts]
    assert len(fake.channel_messages(channel)) == 8
    # discord.py reads the bucket headers and waits before the limit: no request is refused
    assert fake.rate_limited == 0


async def test_a_storys_later_alerts_reply_to_its_first_in_the_channel_and_ping_no_one(running, fake):
    first = make_alert(1)
    later = [
        make_alert(n, story_of=first.id, story_at=first.at, story_place=n) for n in (2, 3)
    ]  # a hijacker's spree: one story, three alerts
    stray = make_alert(4, story_of="A-0000000000", story_at=first.at, story_place=2)  # its first never came here
    channel = await queue(running, fake, first, *later, stray)
    posts = await fake.wait_for_post(channel, count=4)
    await wait_until(lambda: _all_sent(running))
    messages = fake.channel_messages(channel)
    assert "message_reference" not in posts[0].json
    for post, message in zip(posts[1:3], messages[1:3], strict=True):
        assert str(post.json["message_reference"]["message_id"]) == messages[0]["id"]
        assert post.json["allowed_mentions"] == {"parse": []}  # the first message's author is not pinged
        assert message["type"] == 19 and message["referenced_message"]["id"] == messages[0]["id"]
        assert "one story, which began with alert " + first.id in post.json["embeds"][0]["fields"][0]["value"]
    assert "message_reference" not in posts[3].json and messages[3]["type"] == 0


async def test_a_paused_webhook_shows_in_status_by_its_id_not_as_a_channel(running, fake):
    # a webhook deleted on Discord's side pauses its destination; /watch status must not render it as an
    # unknown channel mention, nor show its URL (a secret)
    from storage import delivery as delivery_store

    url = "https://discord.com/api/webhooks/1234567890/s3cr3t-token"
    added = await fake.slash("watch", "add", platform="fixture", handle="mfa_china", webhook=url)
    assert "webhook 1234567890" in added.json["data"]["content"]
    async with running.db.transaction() as tx:
        await delivery_store.pause(tx, "webhook:1234567890", "404 Unknown Webhook")
    fields = await status_showing(fake, "Paused channels", "webhook 1234567890: 404")
    assert "<#1234567890>" not in fields["Paused channels"] and "s3cr3t" not in fields["Paused channels"]
