"""The buttons under every alert: Confirm incident, False alarm, Mute 24h.

They are dynamic items: the custom_id carries the action and the alert id, so they keep working after a
restart without any view being re-registered per message. Only moderators may press them; the message is
then edited to show who decided what.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta, timezone
from typing import Any

import discord

from bot.activity import format_time
from bot.alerts import Alert
from bot.embed_rules import clean_link
from cogs.checks import is_moderator, NotModerator
from cogs.render import safe, with_decision
from cogs.tree import reply
from storage import alerts as alert_store
from storage import watch as watch_store

log = logging.getLogger(__name__)

MUTE_HOURS = 24
BUTTONS = {
    "confirm": ("Confirm incident", discord.ButtonStyle.danger),
    "false": ("False alarm", discord.ButtonStyle.secondary),
    "mute": (f"Mute {MUTE_HOURS}h", discord.ButtonStyle.secondary),
}


def custom_id(action: str, alert_id: str) -> str:
    return f"dw:{action}:{alert_id}"


class AlertButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"dw:(?P<action>confirm|false|mute):(?P<alert_id>[A-Za-z0-9_-]{1,80})",
):
    def __init__(self, action: str, alert_id: str, *, disabled: bool = False):
        label, style = BUTTONS[action]
        super().__init__(
            discord.ui.Button(label=label, style=style, custom_id=custom_id(action, alert_id), disabled=disabled)
        )
        self.action = action
        self.alert_id = alert_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> "AlertButton":
        return cls(match["action"], match["alert_id"])

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if is_moderator(interaction):
            return True
        await reply(interaction, str(NotModerator(getattr(interaction.client, "moderator_role_id", None))))
        return False

    async def callback(self, interaction: discord.Interaction) -> None:
        bot: Any = interaction.client
        # Acknowledge at once: the work below may wait for the pipeline's write lock (a long backfill),
        # and Discord allows 3 s for the first answer but 15 min for the edit.
        await interaction.response.defer()
        alert = await alert_store.get(bot.db, self.alert_id)
        guild = interaction.guild_id or 0
        if alert is None or not await _received(bot.db, alert.id, guild):
            # gone, or an alert this server never received: its verdicts are not this server's to give
            await interaction.followup.send(
                f"Alert `{self.alert_id}` is not one of this server's alerts (or no longer "
                f"stored); nothing was recorded.",
                ephemeral=True,
            )
            return
        who = safe(interaction.user.display_name)
        now = datetime.now(timezone.utc)
        by = f"{interaction.user.name} ({interaction.user.id})"  # kept in this server's verdict row only
        async with bot.db.transaction() as tx:  # the verdict and what it teaches: all or nothing
            line = await self._decide(tx, bot, guild, alert, now, who, by)
        if self.action == "mute" and line is not None:
            await bot.watch_changed()
        if line is None:
            await interaction.followup.send(
                f"@{safe(alert.account)} is not on the watch list any more; nothing to mute.", ephemeral=True
            )
            return
        embed = interaction.message.embeds[0] if interaction.message and interaction.message.embeds else None
        view = alert_view(alert, verdict=(await alert_store.verdict_of(bot.db, alert.id, guild))[0])
        if embed is None:
            await interaction.edit_original_response(content=line, view=view)
        else:
            await interaction.edit_original_response(embed=with_decision(embed, line), view=view)
        log.info("alert %s: %s by %s", alert.id, self.action, by)

    async def _decide(
        self, tx: Any, bot: Any, guild: int, alert: Alert, now: datetime, who: str, by: str
    ) -> str | None:
        """Record the decision; the line to show on the message (None: nothing to do)."""
        stamp = f"<t:{int(now.timestamp())}:f>"
        if self.action in ("confirm", "false"):
            verdict = "confirmed" if self.action == "confirm" else "false_alarm"
            await alert_store.set_verdict(tx, alert.id, verdict, by, guild)
            # This server's verdict is its own. What it teaches the parts servers share (the account's
            # profile, the incident library) waits until every server that received the alert agrees.
            # Those shared parts are seen by every server: they get neither who decided here nor a link
            # to this server's message (its server, channel and message ids).
            if await alert_store.agreed_verdict(tx, alert.id) == verdict:
                await bot.on_verdict(tx, alert, verdict)
            if verdict == "confirmed":
                return f"Confirmed as an incident by {who} · {stamp}"
            return f"Marked a false alarm by {who} · {stamp}"
        until = now + timedelta(hours=MUTE_HOURS)
        muted = 0
        for account in await watch_store.find(tx, alert.account, guild=guild):  # this server's mute only
            muted += await watch_store.set_mute(tx, guild, account.platform, account.handle, format_time(until))
        if not muted:
            return None
        return f"@{safe(alert.account)} muted for {MUTE_HOURS} h (until <t:{int(until.timestamp())}:f>) by {who}"


async def _received(db, alert_id: str, guild: int) -> bool:
    """Whether the alert was queued for this server (a button carries an alert id a client could forge)."""
    async with db.conn.execute(
        "SELECT 1 FROM outbox WHERE alert_id = ? AND guild_id = ? LIMIT 1", (alert_id, guild)
    ) as cur:
        return await cur.fetchone() is not None


def alert_view(alert: Alert, *, verdict: str | None = None) -> discord.ui.View:
    """The buttons for an alert message: the current verdict's button is disabled, the other one stays
    so a moderator can correct a decision."""
    view = discord.ui.View(timeout=None)
    view.add_item(AlertButton("confirm", alert.id, disabled=verdict == "confirmed"))
    view.add_item(AlertButton("false", alert.id, disabled=verdict == "false_alarm"))
    view.add_item(AlertButton("mute", alert.id))
    if clean_link(alert.url):
        view.add_item(discord.ui.Button(label="Open original", url=alert.url))
    return view
