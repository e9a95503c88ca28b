"""The delivery loop: outbox -> Discord, oldest first, each alert exactly once.

Exactly once: the alert's message id is stored in the same row as soon as Discord answers, so a restart
skips it; if the bot dies between Discord's answer and that write, the resend carries the same nonce
(the alert id) with enforce_nonce, and Discord returns the message it already created instead of a
second one. Order: a destination whose oldest alert failed gets nothing newer until that one is sent.
Failures: 429 and 5xx and network errors retry with exponential backoff (an outage delays, never
drops); 403/404 pause the destination (shown in /watch status, lifted by /alerts resume); any other
4xx means Discord will never take that payload: kept as 'failed' with the reason, also in /watch status.
"""

from __future__ import annotations

import asyncio
import os
import socket
import io
import logging
import random
from datetime import datetime, timedelta, timezone

import aiohttp
import discord
from discord.ext import commands

from bot.alert_chart import CHART_NAME, alert_chart
from bot.webhook import WebhookSender
from cogs.buttons import alert_view
from cogs.render import alert_embed, replying_to
from storage import alerts as alert_store
from storage import delivery as delivery_store

log = logging.getLogger(__name__)

PREFIX = "discord:"
IDLE_SECONDS = 2.0  # a safety net; new alerts wake the loop at once through poke()
MAX_BACKOFF_SECONDS = 300.0


def backoff(attempts: int, base: float) -> float:
    """Exponential with jitter, capped at five minutes."""
    ceiling = min(MAX_BACKOFF_SECONDS, base * (2 ** min(attempts, 12)))
    return random.uniform(ceiling / 2, ceiling)


class Delivery(commands.Cog):
    def __init__(self, bot: commands.Bot):
        self.bot = bot
        self.db = bot.db  # type: ignore[attr-defined]
        self.base = bot.settings.retry_seconds  # type: ignore[attr-defined]
        # Each outcome is a transaction of its own; Discord calls never hold one open.
        # Channel webhooks go out through the same outbox, with plain HTTP (no bot needed for them).
        # On PostgreSQL, workers may post webhook rows too: each row is claimed first (storage/leases.py).
        claims = (f"gateway-{socket.gethostname()}-{os.getpid()}", 30.0) if self.db.backend == "postgresql" else None
        self.webhooks = WebhookSender(self.db, retry_seconds=self.base, claims=claims)
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self.delivered = 0

    async def cog_load(self) -> None:
        self._task = asyncio.create_task(self._run(), name="diplowatch-delivery")

    async def cog_unload(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        await self.webhooks.aclose()

    def poke(self) -> None:
        self._wake.set()

    async def _run(self) -> None:
        while True:
            self._wake.clear()
            try:
                await self.deliver_due()
                await self.webhooks.deliver_due()
            except asyncio.CancelledError:
                raise
            except Exception:  # the loop must outlive any one bad round
                log.exception("delivery round failed; trying again shortly")
            pause = await self._sleep_for()
            try:
                await asyncio.wait_for(self._wake.wait(), pause)
            except asyncio.TimeoutError:
                pass

    async def _sleep_for(self) -> float:
        due = await delivery_store.next_due_at(self.db, PREFIX)
        if not due:
            return IDLE_SECONDS
        wait = (datetime.fromisoformat(due.replace("Z", "+00:00")) - datetime.now(timezone.utc)).total_seconds()
        return min(IDLE_SECONDS, max(0.01, wait))

    async def deliver_due(self) -> int:
        """Send everything due now, each destination's alerts in order; returns how many were sent."""
        before = self.delivered
        waiting: set[str] = set()  # destinations whose oldest alert must wait: nothing newer goes
        while True:
            async with self.db.committed():  # never post an alert whose poll may still roll back
                due = await delivery_store.due(self.db, PREFIX, self._now_iso())
            heads = [r for r in due if r["destination"] not in waiting]
            if not heads:
                return self.delivered - before
            for row in heads:
                if not await self.deliver(row):
                    waiting.add(row["destination"])

    @staticmethod
    def _now_iso() -> str:
        return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    async def deliver(self, row: dict) -> bool:
        """Try one outbox row; False when its destination must wait (nothing newer may overtake it)."""
        alert, destination = row["alert"], row["destination"]
        channel_id = int(destination.removeprefix(PREFIX))
        missing = self._missing_permissions(channel_id)
        if missing:
            # Without them Discord refuses the post or drops the embed; ask for them instead of trying.
            reason = "missing permission " + ", ".join(missing)
            async with self.db.transaction() as tx:
                await delivery_store.pause(tx, destination, reason)
                await delivery_store.retry_later(tx, row["seq"], reason, None)
            log.warning("paused %s: %s", destination, reason)
            return False
        channel = self.bot.get_partial_messageable(channel_id)
        embed, chart = alert_embed(alert), discord.utils.MISSING  # MISSING: sent as before, without a file
        png = await alert_chart(self.db, alert, row.get("guild_id"))  # in this server's zone for the account
        if png is not None:  # the account's usual hours, the alert's hour marked
            embed.set_image(url=f"attachment://{CHART_NAME}")
            chart = discord.File(io.BytesIO(png), filename=CHART_NAME)
        # a story's later alert answers its first one's message here, so the channel shows them as one
        # thread of replies (no ping: the allowed mentions below include the replied-to author's)
        first = await delivery_store.sent_message(self.db, alert.story_of, destination) if alert.story_of else None
        reply = replying_to(int(first) if first and first.isdigit() else None, channel_id)
        try:
            message = await channel.send(
                embed=embed,
                file=chart,
                view=alert_view(alert),
                nonce=alert.id,
                allowed_mentions=discord.AllowedMentions.none(),
                **reply,
            )
        except discord.RateLimited as exc:
            await self._later(row, f"rate limited for {exc.retry_after:.0f} s", exc.retry_after)
            return False
        except (discord.Forbidden, discord.NotFound) as exc:
            reason = f"{exc.status} {exc.text or type(exc).__name__}"
            async with self.db.transaction() as tx:
                await delivery_store.pause(tx, destination, reason)
                await delivery_store.retry_later(tx, row["seq"], reason, None)
            log.warning("paused %s: Discord answered %s; alerts wait until /alerts resume", destination, reason)
            return False
        except discord.HTTPException as exc:
            if exc.status >= 500 or exc.status == 429:
                await self._later(row, f"Discord {exc.status}: {exc.text or 'server error'}")
            else:
                async with self.db.transaction() as tx:
                    await delivery_store.give_up(tx, row["seq"], f"Discord refused it: {exc.status} {exc.text}")
                log.error("alert %s refused by Discord (%s %s); kept as failed", alert.id, exc.status, exc.text)
                return True  # the next alert may go: this one can never be sent as it is
            return False
        except (aiohttp.ClientError, OSError, asyncio.TimeoutError) as exc:
            await self._later(row, f"cannot reach Discord: {type(exc).__name__}: {exc}")
            return False
        async with self.db.transaction() as tx:
            await alert_store.mark_sent(tx, row["seq"], str(message.id))
        self.delivered += 1
        log.info("alert %s posted to %s as message %s", alert.id, destination, message.id)
        return True

    def _missing_permissions(self, channel_id: int) -> list[str]:
        """What the bot lacks in a channel it knows (an unknown channel is left to Discord's answer)."""
        channel = self.bot.get_channel(channel_id)
        guild = getattr(channel, "guild", None)
        if channel is None or guild is None or guild.me is None:
            return []
        perms = channel.permissions_for(guild.me)  # type: ignore[union-attr]
        needed = {
            "View Channel": perms.view_channel,
            "Send Messages": perms.send_messages,
            "Embed Links": perms.embed_links,
        }
        return [name for name, granted in needed.items() if not granted]

    async def _later(self, row: dict, error: str, at_least: float = 0.0) -> None:
        wait = max(at_least, backoff(row["attempts"], self.base))
        when = datetime.now(timezone.utc) + timedelta(seconds=wait)
        async with self.db.transaction() as tx:
            await delivery_store.retry_later(tx, row["seq"], error, when.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
        log.warning("alert %s to %s: %s; retry in %.1f s", row["alert_id"], row["destination"], error, wait)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Delivery(bot))
