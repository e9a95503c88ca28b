"""/incident: anyone in the channel looks up prior incidents; confirmed alerts join the library.

At load the library is seeded into the database and indexed; the pipeline then uses the same index to
add the prior similar incidents to every alert.
"""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from cogs.checks import BadArgument
from cogs.render import clip, code, fit, safe
from cogs.tree import reply
from bot.embed_rules import clean_link
from bot.incidents.similarity import SimilarityIndex
from storage import incidents as incident_store

log = logging.getLogger(__name__)

PAGE_SIZE = 5
MAX_RESULTS = 25
PAGER_SECONDS = 600


def result_line(match: Any) -> str:
    head = f"**{clip(safe(match.title), 180)}** · {safe(match.date)} · `{match.id}`"
    bits = [clip(safe(match.outcome), 120)] if match.outcome else []
    if match.why:
        bits.append(clip(safe(match.why), 160))
    line = head + ("\n" + " · ".join(bits) if bits else "")
    if clean_link(match.url):  # no `>` inside: nothing can close the wrapper early
        line += f"\n<{match.url}>"
    return line


def link_or_text(url: str) -> str:
    """A record's URL as a link when it is a clean one, else as escaped text that links nowhere."""
    return url if clean_link(url) else safe(url)


def results_page(query: str, matches: list[Any], page: int) -> discord.Embed:
    pages = max(1, -(-len(matches) // PAGE_SIZE))
    chunk = matches[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    embed = discord.Embed(
        title=clip(f"Incidents matching “{query}”", 256), description="\n\n".join(result_line(m) for m in chunk)
    )
    embed.set_footer(text=f"page {page + 1}/{pages} · {len(matches)} result(s) · /incident show id for the details")
    return fit(embed)


def incident_embed(incident: Any) -> discord.Embed:
    embed = discord.Embed(
        title=clip(f"{incident.title} ({incident.date})", 256),
        description=clip(safe(incident.summary), 2000),
        url=incident.url if clean_link(incident.url) else None,
    )
    who = " · ".join(safe(x) for x in (incident.owner, incident.role, incident.country) if x)
    if incident.accounts:
        who += "\n" + ", ".join(f"@{safe(a)}" for a in incident.accounts) + f" on {', '.join(incident.platforms)}"
    embed.add_field(name="Who", value=clip(who or "unknown", 1024), inline=False)
    embed.add_field(name="What was done", value=clip(", ".join(incident.kinds) or "-", 1024), inline=True)
    embed.add_field(name="Outcome", value=clip(safe(incident.outcome) or "-", 1024), inline=True)
    if incident.explanation:
        embed.add_field(name="Explanation given", value=clip(safe(incident.explanation), 1024), inline=False)
    if incident.tags:
        embed.add_field(name="Tags", value=clip(", ".join(safe(t) for t in incident.tags), 1024), inline=False)
    if incident.alert_link:
        embed.add_field(name="From alert", value=clip(link_or_text(incident.alert_link), 1024), inline=False)
    if incident.url:
        embed.add_field(name="Source", value=clip(link_or_text(incident.url), 1024), inline=False)
    embed.set_footer(text=f"incident {incident.id} · {incident.source}")
    return fit(embed)


class Pager(discord.ui.View):
    """Previous/next for a long result list; only the member who searched turns the pages."""

    def __init__(self, owner_id: int, query: str, matches: list[Any]):
        super().__init__(timeout=PAGER_SECONDS)
        self.owner_id, self.query, self.matches, self.page = owner_id, query, matches, 0
        self.pages = -(-len(matches) // PAGE_SIZE)
        self._sync()

    def _sync(self) -> None:
        self.previous.disabled = self.page == 0
        self.next.disabled = self.page >= self.pages - 1

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await reply(interaction, "These are someone else's results; run /incident search yourself.")
        return False

    async def _turn(self, interaction: discord.Interaction, step: int) -> None:
        self.page = max(0, min(self.pages - 1, self.page + step))
        self._sync()
        await interaction.response.edit_message(embed=results_page(self.query, self.matches, self.page), view=self)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._turn(interaction, -1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._turn(interaction, +1)


@app_commands.guild_only()
class Incidents(commands.GroupCog, group_name="incident", group_description="Prior incidents: the library"):
    def __init__(self, bot: commands.Bot):
        self.bot = bot
        self.index: Any = None
        super().__init__()

    async def cog_load(self) -> None:
        bot: Any = self.bot
        # A bad entry, or no library file at all, is logged and never stops the bot.
        self.index = await incident_store.load_index(bot.db, warn=log.warning) or SimilarityIndex()
        log.info("incident library: %d incidents", len(self.index))
        if bot.pipeline is not None:
            bot.pipeline.similar = self.index.finder(k=3)
        bot.verdict_hooks.append(self.on_verdict)

    async def on_verdict(self, tx: Any, alert: Any, verdict: str) -> None:
        if verdict != "confirmed":
            return
        # The library is every server's: it is told neither who decided nor where (one server's message).
        try:
            incident = await incident_store.add_confirmed(tx, alert)
        except ValueError as exc:  # e.g. no public link to cite: the verdict stands, the library waits
            log.warning("confirmed alert %s not added to the incident library: %s", alert.id, exc)
            return
        self.index.add(incident)

    async def id_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        matches = self.index.search(current, k=MAX_RESULTS) if current.strip() else []
        return [
            app_commands.Choice(name=clip(f"{m.id}: {m.title}", 100), value=m.id) for m in matches if len(m.id) <= 100
        ]

    @app_commands.command(name="search", description="Past incidents by words, account, country or kind of action")
    @app_commands.describe(query="e.g. embassy repost election, AmbLiuXiaoMing, deactivated, China like")
    async def search(self, interaction: discord.Interaction, query: str) -> None:
        query = query.strip()
        if not query or len(query) > 200:
            raise BadArgument("Give 1 to 200 characters to search for, e.g. `embassy repost election`.")
        matches = self.index.search(query, k=MAX_RESULTS)
        if not matches:
            await reply(
                interaction,
                f"No incident matches “{safe(query)}”; try fewer or other words "
                f"(an account, a country, or an action such as repost, like, deactivated).",
            )
            return
        kwargs: dict[str, Any] = {"embed": results_page(query, matches, 0)}
        if len(matches) > PAGE_SIZE:
            kwargs["view"] = Pager(interaction.user.id, query, matches)
        await reply(interaction, **kwargs)

    @app_commands.command(name="show", description="One incident in full")
    @app_commands.describe(id="the incident id shown by /incident search or in an alert")
    @app_commands.autocomplete(id=id_choices)
    async def show(self, interaction: discord.Interaction, id: str) -> None:
        incident = self.index.get(id.strip()) or await incident_store.get_incident(self.bot.db, id.strip())  # type: ignore[attr-defined]
        if incident is None:
            raise BadArgument(f"There is no incident {code(id.strip(), 60)}; find ids with /incident search.")
        await reply(interaction, embed=incident_embed(incident))


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Incidents(bot))
