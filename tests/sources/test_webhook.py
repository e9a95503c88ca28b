"""Discord channel webhooks as a destination, over real HTTP to a local fake webhook: through the outbox,
exactly once (?wait=true, the message id kept), no pings, retries and pauses, the URL never logged."""

from __future__ import annotations

import asyncio
import logging
import re

import httpx

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


# A masked link `[text](url)` needs an unescaped `](`; escaped feed text has none.
MASKED = re.compile(r"(?<!\\)\]\(")


async def test_a_feed_link_that_is_not_clean_shows_as_text_never_as_a_masked_link(tmp_path):
    hostile = ["[Official statement](https://evil.example)", "https://a.example/x>[Official](https://evil.example)"]
    clean = "https://x.com/mfa/status/1"
    alerts = [Alert(**{**alert(n).to_dict(), "url": url}) for n, url in enumerate([*hostile, clean])]
    async with FakeWebhook() as hook, await Database.open(tmp_path / "w.db") as db:
        await queue(db, hook, alerts)
        sender = WebhookSender(db, retry_seconds=0.01)
        try:
            await deliver_until(sender, lambda: len(hook.messages) == 3)
        finally:
            await sender.aclose()
    embeds = [m["embeds"][0] for m in hook.messages]
    original = [next(f["value"] for f in e["fields"] if f["name"] == "Original") for e in embeds]
    for embed, value in zip(embeds[:2], original[:2], strict=True):
        assert not MASKED.search(value) and "https://evil.example" not in value  # text, linking nowhere
        assert "Official" in value and "url" not in embed
    assert original[2] == clean and embeds[2]["url"] == clean  # a clean link still links


class StrictWebhook(FakeWebhook):
    """Answers 400, as Discord does, to an embed over its 6000-unit total."""

    async def _read(self, request):
        body, files = await super()._read(request)
        if any(embed_total(e) > 6000 for e in body.get("embeds", [])):
            self.script.insert(0, 400)
        return body, files


def embed_total(embed: dict) -> int:
    texts = [embed.get("title", ""), embed.get("description", ""), embed.get("footer", {}).get("text", "")]
    texts += [embed.get("author", {}).get("name", "")]
    texts += [f[k] for f in embed.get("fields", []) for k in ("name", "value")]
    return sum(len(t.encode("utf-16-le")) // 2 for t in texts)


async def test_a_long_alert_is_trimmed_to_discords_total_and_still_arrives(tmp_path):
    long = Alert(
        **{
            **alert(1, "statement " * 400).to_dict(),
            "account": "m" * 300,
            "owner": "Ministry " * 40,
            "reasons": ["first reason: a post at 03:00"] + [f"reason {n} " + "x" * 300 for n in range(8)],
            "baseline": "b" * 2000,
            "similar": [{"date": "2020-01-01", "title": "t" * 600} for _ in range(3)],
            "url": "https://x.com/mfa/" + "a b " * 400,  # not a clean link: shown as text, 1024 units
        }
    )
    async with StrictWebhook() as hook, await Database.open(tmp_path / "w.db") as db:
        await queue(db, hook, [long])
        sender = WebhookSender(db, retry_seconds=0.01)
        try:
            await sender.deliver_due()
        finally:
            await sender.aclose()
        rows = await outbox(db)
    sent = hook.requests[0]["json"]["embeds"][0]
    assert embed_total(sent) <= 6000 and rows[0][2] == "sent" and len(hook.messages) == 1
    assert sent["title"].startswith("HIGH: @\u200bmmm") and len(sent["title"]) == 256  # the title is kept whole
    why = next(f["value"] for f in sent["fields"] if f["name"] == "Why it is unusual")
    assert why.startswith("• first reason: a post at 03:00\n• reason 0 ")


class SlowWebhook(FakeWebhook):
    """Posts the first message but answers only once released: the sender's read times out first."""

    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()

    async def _execute(self, request):
        response = await super()._execute(request)
        if len(self.requests) == 1:
            await self.release.wait()
        return response


async def test_an_answer_lost_after_sending_is_resent_and_logged_as_a_possible_duplicate(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="bot.webhook")
    async with SlowWebhook() as hook, await Database.open(tmp_path / "w.db") as db:
        await queue(db, hook, [alert(1)])
        sender = WebhookSender(db, retry_seconds=0.01, client=httpx.AsyncClient(timeout=httpx.Timeout(0.2)))
        try:
            await sender.deliver_due()  # Discord posted it, its answer never came: a read timeout
            async with db.conn.execute("SELECT state, last_error FROM outbox") as cur:
                state, error = tuple(await cur.fetchone())
            hook.release.set()
            await deliver_until(sender, lambda: len(hook.messages) == 2)
        finally:
            hook.release.set()
            await sender.aclose()
        rows = await outbox(db)
    assert state == "pending" and "ReadTimeout" in error and "may post it twice" in error
    assert rows[0][2] == "sent" and rows[0][3] == hook.messages[1]["id"]
    logged = [r.getMessage() for r in caplog.records if "posted to" in r.getMessage()]
    assert len(logged) == 1 and "possibly a duplicate" in logged[0]


async def test_a_possible_duplicate_is_still_told_after_a_restart(tmp_path, caplog):
    """The lost answer is kept on the outbox row: a new process sending the retry still logs it."""
    caplog.set_level(logging.INFO, logger="bot.webhook")
    async with SlowWebhook() as hook:
        async with await Database.open(tmp_path / "w.db") as db:
            await queue(db, hook, [alert(1)])
            first = WebhookSender(db, retry_seconds=0.01, client=httpx.AsyncClient(timeout=httpx.Timeout(0.2)))
            try:
                await first.deliver_due()  # posted, answer lost
            finally:
                hook.release.set()
                await first.aclose()
        async with await Database.open(tmp_path / "w.db") as db:  # the bot restarted
            restarted = WebhookSender(db, retry_seconds=0.01)
            try:
                await deliver_until(restarted, lambda: len(hook.messages) == 2)
            finally:
                await restarted.aclose()
            rows = await outbox(db)
    assert rows[0][2] == "sent" and rows[0][3] == hook.messages[1]["id"]
    logged = [r.getMessage() for r in caplog.records if "posted to" in r.getMessage()]
    assert len(logged) == 1 and "possibly a duplicate" in logged[0]
