"""Discord channel webhooks as a destination, over real HTTP to a local fake webhook: through the outbox,
exactly once (?wait=true, the message id kept), no pings, retries and pauses, the URL never logged."""

from __future__ import annotations

import asyncio
import logging

from bot.alerts import Alert
from bot.watch import WatchedAccount
from bot.webhook import FOOTER_NOTE, WebhookSender, destination
from storage import alerts as alert_store
from storage import watch as watch_store
from storage.db import Database
from tests.sources.fakewebhook import FakeWebhook

TIMEOUT = 30


def alert(n: int, text: str = "A statement") -> Alert:
    return Alert(
        activity_id=f"x:{n}",
        account="mfa",
        platform="x",
        kind="post",
        at="2026-01-01T03:00:00Z",
        score=0.9,
        severity="high",
        reasons=[f"a post at 03:00, an hour it never posts at ({n})"],
        text=text,
    )


async def queue(db: Database, hook: FakeWebhook, alerts: list[Alert]) -> WatchedAccount:
    account = WatchedAccount("x", "mfa", webhook_url=hook.url)
    async with db.transaction() as tx:
        await watch_store.add(tx, account)
    for a in alerts:
        async with db.transaction() as tx:
            await alert_store.save(tx, a, destination(account))
    return account


async def deliver_until(sender: WebhookSender, predicate) -> None:
    async def loop():
        while not predicate():
            await sender.deliver_due()
            await asyncio.sleep(0.02)

    await asyncio.wait_for(loop(), TIMEOUT)


async def outbox(db: Database) -> list[tuple]:
    async with db.conn.execute("SELECT alert_id, destination, state, message_id FROM outbox ORDER BY seq") as cur:
        return [tuple(r) for r in await cur.fetchall()]


async def test_each_alert_is_posted_once_in_order_through_retries_and_pings_no_one(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    async with FakeWebhook() as hook, await Database.open(tmp_path / "w.db") as db:
        alerts = [alert(1, "@everyone look **now**"), alert(2), alert(3)]
        await queue(db, hook, alerts)
        hook.script = [500, 429]  # Discord fails, then rate-limits, then takes them
        sender = WebhookSender(db, retry_seconds=0.01)
        try:
            await deliver_until(sender, lambda: len(hook.messages) == 3)
            assert await sender.deliver_due() == 0  # a second round (or a restart) sends nothing again
        finally:
            await sender.aclose()
        rows = await outbox(db)
    assert [r[0] for r in rows] == [a.id for a in alerts]
    assert [r[2] for r in rows] == ["sent"] * 3
    assert [r[3] for r in rows] == [m["id"] for m in hook.messages]  # Discord's message ids, kept
    assert [r[1] for r in rows] == ["webhook:123456789012345678"] * 3  # the outbox names the id, not the URL
    assert len(hook.requests) == 5 and all(r["query"] == {"wait": "true"} for r in hook.requests)
    assert all(r["json"]["allowed_mentions"] == {"parse": []} for r in hook.requests)
    first = hook.messages[0]["embeds"][0]
    assert [m["embeds"][0]["footer"]["text"].split(" · ")[0] for m in hook.messages] == [
        f"alert {a.id}" for a in alerts
    ]
    assert FOOTER_NOTE in first["footer"]["text"]
    # The usual-hours chart goes along as the embed's image, as with the bot.
    assert first["image"]["url"] == "attachment://usual-hours.png"
    assert all(
        r["files"]["usual-hours.png"].startswith(b"\x89PNG") for r in hook.requests
    )  # the buttons need the bot: said where they would be
    assert "@\u200beveryone" in first["description"] and "\\*\\*now\\*\\*" in first["description"]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "retry in" in logged and hook.token not in logged


async def test_a_deleted_webhook_pauses_its_alerts_instead_of_dropping_them(tmp_path):
    async with FakeWebhook() as hook, await Database.open(tmp_path / "w.db") as db:
        await queue(db, hook, [alert(1), alert(2)])
        hook.script = [404]
        sender = WebhookSender(db, retry_seconds=0.01)
        try:
            await sender.deliver_due()
            await sender.deliver_due()
        finally:
            await sender.aclose()
        rows = await outbox(db)
        async with db.conn.execute("SELECT destination, reason FROM destinations") as cur:
            paused = [tuple(r) for r in await cur.fetchall()]
    assert len(hook.requests) == 1 and hook.messages == []
    assert [r[2] for r in rows] == ["pending", "pending"]
    assert paused and paused[0][0] == "webhook:123456789012345678" and "404" in paused[0][1]
    assert hook.token not in paused[0][1]


async def test_a_storys_later_alert_says_which_alert_it_follows(tmp_path):
    async with FakeWebhook() as hook, await Database.open(tmp_path / "w.db") as db:
        first = alert(1)
        later = Alert(**{**alert(2).to_dict(), "id": "", "at": "2026-01-01T03:04:00Z"})
        later.story_of, later.story_at, later.story_place = first.id, first.at, 2
        await queue(db, hook, [first, later])
        sender = WebhookSender(db, retry_seconds=0.01)
        try:
            await deliver_until(sender, lambda: len(hook.messages) == 2)
        finally:
            await sender.aclose()
    names = [[f["name"] for f in m["embeds"][0]["fields"]] for m in hook.messages]
    assert "Same story" not in names[0]
    story = hook.messages[1]["embeds"][0]["fields"][0]
    assert story["name"] == "Same story"
    shown = story["value"].replace("\\", "").replace("\u200b", "")  # as Discord shows the escaped text
    assert (
        shown == f"The 2nd alert on @mfa in one story, which began with alert {first.id} at 03:00 UTC, 4 minutes before"
    )
