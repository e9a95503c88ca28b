"""/alerts: where alerts go, how severe they must be, muting an account, a sample, resuming delivery."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import discord
from discord import app_commands
from discord.ext import commands

from bot.activity import format_time
from bot.alerts import SEVERITIES, Alert
from cogs.checks import BadArgument, ensure_moderator
from cogs.common import guild_destinations, guild_of, handle_choices, label, resolve_watched, writing
from cogs.render import alert_embed, code, safe
from cogs.tree import reply
from storage import delivery as delivery_store
from storage import watch as watch_store

MAX_MUTE_HOURS = 24 * 30


def sample_alert() -> Alert:
    """What /alerts test posts: the founding case, so the format is seen with realistic content."""
    return Alert(
        activity_id="sample:1",
        account="ChineseEmbinUS",
        platform="x",
        kind="repost",
        at=format_time(datetime.now(timezone.utc)),
        score=0.97,
        severity="critical",
        reasons=[
            "SAMPLE ALERT (posted by /alerts test): nothing happened",
            "first repost of a foreign head of state in 2,314 activities",
            "never interacted with @realDonaldTrump before",
            "03:12 local time; usual hours 08-19",
        ],
        text="(sample) An election claim by another country's leader, amplified by an embassy account.",
        url="https://x.com/ChineseEmbinUS",
        target_account="realDonaldTrump",
        baseline="2,314 activities since 2019: 91% posts, 6% replies, 3% reposts (all of Chinese officials); zh, en",
        owner="Embassy of China in the US",
        role="embassy",
        country="CN",
        id="A-sample",
        similar=[
            {
                "id": "sample",
                "title": "Embassy account reposts a foreign leader's election claim",
                "date": "2020-12-09",
                "outcome": "the embassy said its account had been hacked",
            }
        ],
    )


def channel_can_post(interaction: discord.Interaction, channel: discord.abc.GuildChannel) -> bool:
    guild = interaction.guild
    if guild is None:
        return True
    perms = channel.permissions_for(guild.me)
    return perms.view_channel and perms.send_messages and perms.embed_links


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Alerts(commands.GroupCog, group_name="alerts", group_description="How and where alerts are posted"):
    def __init__(self, bot: commands.Bot):
        self.bot = bot
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        ensure_moderator(interaction)
        return True

    @app_commands.command(
        name="channel", description="Post alerts in this channel (accounts with their own channel keep it)"
    )
    @app_commands.describe(channel="the channel journalists read")
    async def channel(self, interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        guild = guild_of(interaction)
        if channel.guild.id != guild:  # Discord offers this server's channels only; never trust it
            raise BadArgument("Pick a channel of this server.")
        async with writing(interaction) as tx:
            await self.bot.set_alert_channel(tx, guild, channel.id)  # type: ignore[attr-defined]
            resumed = await delivery_store.resume(tx, f"discord:{channel.id}")
        await self.bot.watch_changed()  # type: ignore[attr-defined]
        self.bot.poke_delivery()  # type: ignore[attr-defined]
        text = f"Alerts now go to {channel.mention}."
        if resumed:
            text += " Delivery there was paused; it is resumed and waiting alerts follow, oldest first."
        if not channel_can_post(interaction, channel):
            text += (
                f"\nI cannot post embeds in {channel.mention} yet: grant me View Channel, Send Messages and "
                f"Embed Links there; until then alerts wait (see /watch status)."
            )
        await reply(interaction, text)

    @app_commands.command(name="threshold", description="Post only alerts of this severity or higher")
    @app_commands.describe(severity="low posts everything; critical only the clearest cases")
    @app_commands.choices(severity=[app_commands.Choice(name=s, value=s) for s in SEVERITIES])
    async def threshold(self, interaction: discord.Interaction, severity: str) -> None:
        if severity not in SEVERITIES:
            raise BadArgument(f"{code(severity, 40)} is not a severity; use one of: {', '.join(SEVERITIES)}.")
        async with writing(interaction) as tx:
            await self.bot.set_threshold(tx, guild_of(interaction), severity)  # type: ignore[attr-defined]
        await self.bot.watch_changed()  # type: ignore[attr-defined]
        await reply(
            interaction, f"From now on only {severity} alerts and above are posted; the others are still recorded."
        )

    @app_commands.command(name="mute", description="Keep an account's alerts out of the channel for a while")
    @app_commands.describe(handle="the watched account", hours=f"how long, 1-{MAX_MUTE_HOURS} (0 lifts a mute)")
    @app_commands.autocomplete(handle=handle_choices)
    async def mute(self, interaction: discord.Interaction, handle: str, hours: int) -> None:
        if not 0 <= hours <= MAX_MUTE_HOURS:
            raise BadArgument(
                f"{hours} hours is out of range; give 1 to {MAX_MUTE_HOURS} hours (30 days), or 0 to lift the mute."
            )
        guild = guild_of(interaction)
        account = await resolve_watched(self.bot.db, handle, guild)  # type: ignore[attr-defined]
        until = datetime.now(timezone.utc) + timedelta(hours=hours)
        async with writing(interaction) as tx:
            await watch_store.set_mute(
                tx, guild, account.platform, account.handle, format_time(until) if hours else None
            )
        await self.bot.watch_changed()  # type: ignore[attr-defined]
        if hours:
            text = (
                f"{safe(label(account))} is muted until <t:{int(until.timestamp())}:f>: its alerts are recorded "
                f"but not posted."
            )
        else:
            text = f"{safe(label(account))} is no longer muted."
        await reply(interaction, text)

    @app_commands.command(name="test", description="Post a sample alert so you can see the format")
    @app_commands.describe(channel="where to post it (default: the alerts channel, else here)")
    async def test(self, interaction: discord.Interaction, channel: discord.TextChannel | None = None) -> None:
        configured = (await self.bot.guild_config(guild_of(interaction)))["alert_channel_id"]  # type: ignore[attr-defined]
        target_id = channel.id if channel else (configured or interaction.channel_id)
        assert target_id is not None  # a guild-only command always comes from a channel
        target = self.bot.get_partial_messageable(target_id)
        try:
            await target.send(
                content="Sample alert (from /alerts test): this is the format, not a real event.",
                embed=alert_embed(sample_alert()),
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except (discord.Forbidden, discord.NotFound):
            raise BadArgument(
                f"I cannot post in <#{target_id}>: grant me View Channel, Send Messages and Embed "
                f"Links there, or pick another channel."
            ) from None
        await reply(interaction, f"Posted a sample alert in <#{target_id}>.")

    @app_commands.command(name="resume", description="Resume delivery to channels paused after Discord refused a post")
    @app_commands.describe(channel="only this channel (default: every paused channel)")
    async def resume(self, interaction: discord.Interaction, channel: discord.TextChannel | None = None) -> None:
        db = self.bot.db  # type: ignore[attr-defined]
        # Only this server's channels and webhooks: another server's paused channels are its own business.
        mine = await guild_destinations(db, interaction.guild)
        wanted = (
            [f"discord:{channel.id}"] if channel else [p["destination"] for p in await delivery_store.paused(db, mine)]
        )
        async with writing(interaction) as tx:
            count = 0
            for destination in wanted:
                if destination in mine:
                    count += await delivery_store.resume(tx, destination)
        self.bot.poke_delivery()  # type: ignore[attr-defined]
        if not count:
            await reply(interaction, "No channel was paused; nothing to resume.")
            return
        await reply(
            interaction,
            f"Resumed delivery to {count} channel(s); waiting alerts follow, oldest first. If "
            f"Discord refuses again, /watch status shows why.",
        )


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Alerts(bot))
