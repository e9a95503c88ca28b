"""/watch: moderators manage the watch list and see each feed's health."""

from __future__ import annotations

import io
from pathlib import Path

import discord
from discord import app_commands
from discord.ext import commands

from bot.alert_chart import CHART_NAME, account_chart, account_hours
from bot.profile.langid import by_name
from bot.watchlist import PLATFORMS, WatchError, check_account, respelled, spelling, webhook_id
from cogs.checks import BadArgument, ensure_moderator
from cogs.common import guild_destinations, guild_of, handle_choices, label, resolve_watched, stamp, writing
from cogs.render import clip, code, fit, safe
from cogs.tree import reply
from storage import delivery as delivery_store
from storage import watch as watch_store
from storage.account_summary import AccountSummary, summarize

ROLE_SUGGESTIONS = (
    "embassy",
    "ambassador",
    "foreign ministry",
    "foreign minister",
    "head of state",
    "head of government",
    "leader's office",
    "ministry",
    "state media",
    "news agency",
    "military",
    "government agency",
)
SPARK = " ▁▂▃▄▅▆▇█"


def hours_chart(hours: list[int], zone: str = "UTC") -> str:
    """24 bars, one per hour of day in `zone`, readable in a code block on any screen."""
    top = max(hours) or 1
    bars = "".join(SPARK[round(h / top * (len(SPARK) - 1))] for h in hours)
    return f"```\n{bars}\n0     6     12    18   23 {'local' if zone != 'UTC' else 'UTC'}\n```"


def top(counter, n: int, total: int) -> str:
    if not counter:
        return "none recorded"
    return ", ".join(f"{safe(str(k))} {v * 100 // max(total, 1)}%" for k, v in counter.most_common(n))


async def role_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Suggested roles (the incident library's vocabulary); any short text is accepted."""
    current = current.strip().lower()
    return [app_commands.Choice(name=r, value=r) for r in ROLE_SUGGESTIONS if current in r][:25]


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Watch(commands.GroupCog, group_name="watch", group_description="The accounts diplowatch watches"):
    def __init__(self, bot: commands.Bot):
        self.bot = bot
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        ensure_moderator(interaction)
        return True

    @app_commands.command(
        name="add",
        description="Watch an account: its history becomes its baseline, then anything out of character is posted",
    )
    @app_commands.describe(
        platform="where the account lives (fixture = a local JSONL file, for development)",
        handle="the account's handle, without @ (an RSS feed: its URL)",
        channel="where its alerts go (default: the alerts channel)",
        role="who it is, e.g. embassy, ambassador, foreign ministry, state media",
        country="the country it speaks for, as a two-letter code (CN, US, GB...)",
        affiliation="an undeclared or declared tie, e.g. state media (CGTN) for accounts run by a state outlet",
        owner="who runs the account, e.g. Embassy of the PRC in the US",
        webhook="a channel webhook URL its alerts also go to (kept secret; works without this bot too)",
        tz="its time zone, e.g. Asia/Shanghai: usual hours shown and judged in local time (default: UTC)",
    )
    @app_commands.choices(platform=[app_commands.Choice(name=p, value=p) for p in PLATFORMS])
    @app_commands.autocomplete(role=role_choices)
    async def add(
        self,
        interaction: discord.Interaction,
        platform: str,
        handle: str,
        channel: discord.TextChannel | None = None,
        role: str | None = None,
        country: str | None = None,
        affiliation: str | None = None,
        owner: str | None = None,
        webhook: str | None = None,
        tz: str | None = None,
    ) -> None:
        try:
            account = check_account(
                platform,
                handle,
                role=role,
                country=country,
                affiliation=affiliation,
                owner=owner,
                channel=channel.id if channel else None,
                webhook=webhook,
                tz=tz,
                added_by=f"{interaction.user.name} ({interaction.user.id})",
            )
        except WatchError as exc:
            raise BadArgument(safe(str(exc))) from None
        account.guild_id = guild = guild_of(interaction)
        notes = []
        try:  # a handle in another case is the same account where the platform ignores case (as the CLI does)
            stored = await spelling(self.bot.db, guild, account)  # type: ignore[attr-defined]
        except WatchError as exc:
            raise BadArgument(safe(str(exc))) from None
        if stored != account.handle:
            typed, account.handle = account.handle, stored
            notes.append(safe(respelled(account, typed)) + ".")
        handle = account.handle
        if channel is not None and interaction.guild is not None:
            perms = channel.permissions_for(interaction.guild.me)
            if not (perms.view_channel and perms.send_messages and perms.embed_links):
                notes.append(
                    f"I cannot post embeds in {channel.mention} yet: grant me View Channel, Send Messages "
                    f"and Embed Links there, or alerts will wait (see /watch status)."
                )
        async with writing(interaction) as tx:
            new = await watch_store.add(tx, account)
        await self.bot.watch_changed()  # type: ignore[attr-defined]
        target = channel.id if channel else (await self.bot.guild_config(guild))["alert_channel_id"]  # type: ignore[attr-defined]
        where = f"<#{target}>" if target else "nowhere yet: set a channel with /alerts channel"
        if account.webhook_url:  # named by its id: the URL is a secret
            where = (f"<#{target}> and " if target else "") + f"webhook {webhook_id(account.webhook_url)}"
        if platform == "fixture":
            path = Path(self.bot.settings.fixture_dir) / f"{handle}.jsonl"  # type: ignore[attr-defined]
            if not path.is_file():
                shown = str(path).replace("`", "'")  # in a code span: shown literally, nothing to escape
                notes.append(f"`{shown}` does not exist yet; /watch status shows an error until it does.")
        poll = self.bot.settings.poll_seconds  # type: ignore[attr-defined]
        if new:
            text = (
                f"Now watching @{safe(handle)} on {platform}. Alerts go to {where}. The first poll (within "
                f"{poll:g} s) learns its history as the baseline and posts nothing for it; after that, "
                f"anything out of character is posted."
            )
        else:
            text = f"Updated @{safe(handle)} on {platform}; its baseline is kept. Alerts go to {where}."
        await reply(interaction, "\n".join([text, *notes]))

    @app_commands.command(name="remove", description="Stop watching an account")
    @app_commands.describe(handle="the account to stop watching")
    @app_commands.autocomplete(handle=handle_choices)
    async def remove(self, interaction: discord.Interaction, handle: str) -> None:
        guild = guild_of(interaction)
        account = await resolve_watched(self.bot.db, handle, guild)  # type: ignore[attr-defined]
        async with writing(interaction) as tx:
            await watch_store.remove(tx, guild, account.platform, account.handle)
        await self.bot.watch_changed()  # type: ignore[attr-defined]
        await reply(interaction, f"Stopped watching {safe(label(account))}. Its stored history and alerts are kept.")

    @app_commands.command(name="list", description="Every watched account and where its alerts go")
    async def list_(self, interaction: discord.Interaction) -> None:
        guild = guild_of(interaction)
        accounts = await watch_store.all_accounts(self.bot.db, guild)  # type: ignore[attr-defined]
        if not accounts:
            await reply(interaction, "Nothing is watched yet; add an account with /watch add.")
            return
        default = (await self.bot.guild_config(guild))["alert_channel_id"]  # type: ignore[attr-defined]
        lines = []
        for a in accounts:
            channel = a.channel_id or default
            bits = [f"**{safe(label(a))}**", f"<#{channel}>" if channel else "no channel"]
            bits += [safe(x) for x in (a.owner, a.role, a.country, a.affiliation) if x]
            if a.muted_until and a.muted_until > discord.utils.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"):
                bits.append(f"muted until {stamp(a.muted_until, 'f')}")
            lines.append(" · ".join(bits))
        body, shown = "", 0
        for line in lines:
            if len(body) + len(line) + 40 > 4000:
                break
            body += line + "\n"
            shown += 1
        if shown < len(lines):
            body += f"… and {len(lines) - shown} more"
        embed = discord.Embed(title=f"Watching {len(accounts)} account{'s' * (len(accounts) != 1)}", description=body)
        await reply(interaction, embed=fit(embed))

    @app_commands.command(
        name="show", description="An account's baseline in brief: usual hours, languages, partners, activity"
    )
    @app_commands.describe(handle="the watched account")
    @app_commands.autocomplete(handle=handle_choices)
    async def show(self, interaction: discord.Interaction, handle: str) -> None:
        db = self.bot.db  # type: ignore[attr-defined]
        account = await resolve_watched(db, handle, guild_of(interaction))
        summary = await summarize(db, account.handle, account.platform)
        embed = discord.Embed(title=clip(f"{label(account)}: baseline", 256))
        who = " · ".join(safe(x) for x in (account.owner, account.role, account.country, account.affiliation) if x)
        if who:
            embed.description = who
        if not summary.total:
            embed.add_field(
                name="Activity", value="No activity stored yet: the first poll learns its history.", inline=False
            )
        else:
            embed.add_field(
                name="Activity",
                value=f"{summary.total:,} activities from {stamp(summary.first_at, 'D')} "
                f"to {stamp(summary.last_at, 'D')}",
                inline=False,
            )
            hours, zone = await account_hours(db, account.platform, account.handle, account.tz)
            usual = AccountSummary(hours=hours).usual_hours()
            where = f"local time, {zone}" if zone != "UTC" else "UTC"
            span = f"{usual[0]:02d}-{usual[1]:02d} {where} (80% of activity)" if usual else "unknown"
            embed.add_field(name="Usual hours", value=f"{span}\n{hours_chart(hours, zone)}", inline=False)
            png = await account_chart(db, account.platform, account.handle, account.tz)
            chart = discord.File(io.BytesIO(png), filename=CHART_NAME)
            embed.set_image(url=f"attachment://{CHART_NAME}")
            embed.add_field(name="Actions", value=top(summary.kinds, 6, summary.total), inline=False)
            embed.add_field(name="Languages", value=top(by_name(summary.langs), 4, summary.total), inline=True)
            embed.add_field(name="Clients", value=top(summary.clients, 3, summary.total), inline=True)
            partners = ", ".join(f"@{safe(k)} ({v})" for k, v in summary.partners.most_common(6)) or "none recorded"
            embed.add_field(name="Top interaction partners", value=partners, inline=False)
        health = await watch_store.get_cursor(db, account.platform, account.handle) or {}
        feed = f"last poll {stamp(health.get('last_poll_at'))}"
        if health.get("last_error"):
            feed += f"; last error: {safe(health['last_error'])}"
        if account.muted_until:
            feed += f"; muted until {stamp(account.muted_until, 'f')}"
        embed.add_field(name="Feed", value=clip(feed, 1024), inline=False)
        if summary.total:
            await reply(interaction, embed=fit(embed), file=chart)
        else:
            await reply(interaction, embed=fit(embed))

    @app_commands.command(
        name="status", description="Each feed's health and alert delivery: last poll, errors, backoff, paused channels"
    )
    async def status(self, interaction: discord.Interaction) -> None:
        db = self.bot.db  # type: ignore[attr-defined]
        guild = guild_of(interaction)
        config = await self.bot.guild_config(guild)  # type: ignore[attr-defined]
        feeds = await watch_store.feed_health(db, guild)
        lines = []
        for f in feeds:
            name = code(f"{f['platform']}:{f['handle']}", 80)
            if f.get("paused_until") and f["paused_until"] > discord.utils.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"):
                state = (
                    f"⏸ backing off after {f['failures']} failures until {stamp(f['paused_until'])}: "
                    f"{safe(f['last_error'] or '')}"
                )
            elif f.get("last_error"):
                state = f"⚠ {f['failures']} failure(s) in a row, last poll {stamp(f['last_poll_at'])}: {safe(f['last_error'])}"
            elif f.get("last_poll_at"):
                state = f"✓ last poll {stamp(f['last_poll_at'])}"
            else:
                state = "… not polled yet"
            lines.append(clip(f"{name} {state}", 400))
        embed = discord.Embed(title="diplowatch status")
        embed.description = "\n".join(lines) if lines else "Nothing is watched yet; add an account with /watch add."
        channel = config["alert_channel_id"]
        backlog = await delivery_store.backlog(db, "discord:", guild)
        counts = backlog["counts"]
        delivery = [
            f"alerts channel: {f'<#{channel}>' if channel else 'not set (use /alerts channel)'}",
            f"threshold: {config['min_severity']} and above",
            f"sent {counts.get('sent', 0)}, waiting {counts.get('pending', 0)}"
            + (f", refused by Discord {counts['failed']}" if counts.get("failed") else ""),
        ]
        if counts.get("pending"):
            delivery.append(
                f"oldest waiting since {stamp(backlog['oldest_pending'])}, up to {backlog['max_attempts']} attempt(s)"
            )
        if backlog["last_error"]:
            delivery.append(f"last error: {safe(backlog['last_error'])}")
        embed.add_field(name="Delivery", value=clip("\n".join(delivery), 1024), inline=False)
        paused = await delivery_store.paused(db, await guild_destinations(db, interaction.guild))
        if paused:
            text = "\n".join(
                f"{_destination(p['destination'])}: {safe(p['reason'])} since {stamp(p['paused_at'])}, "
                f"{p['waiting']} alert(s) waiting"
                for p in paused
            )
            text += "\nFix the channel or webhook (or my permissions there), then run /alerts resume."
            embed.add_field(name="Paused channels", value=clip(text, 1024), inline=False)
        await reply(interaction, embed=fit(embed))


def _destination(destination: str) -> str:
    """A paused outbox destination as a moderator reads it: a channel mention, or a webhook by its id (a
    webhook is no channel: `<#id>` showed it as an unknown one; its URL is a secret)."""
    kind, _, ident = destination.partition(":")
    return f"webhook {safe(ident)}" if kind == "webhook" else f"<#{ident}>"


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Watch(bot))
