"""/admin sync: the bot owner re-syncs slash commands by hand (start-up syncs only when they changed)."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from cogs.checks import BadArgument
from cogs.tree import reply


@app_commands.guild_only()
@app_commands.default_permissions(administrator=True)
class Admin(commands.GroupCog, group_name="admin", group_description="Bot owner tools"):
    def __init__(self, bot: commands.Bot):
        self.bot = bot
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if not await self.bot.is_owner(interaction.user):
            raise BadArgument("Only the bot's owner (the application owner in the Developer Portal) can do this.")
        return True

    @app_commands.command(name="sync", description="Sync slash commands with Discord now, changed or not")
    async def sync(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self.bot.sync_commands(force=True)  # type: ignore[attr-defined]
        scope = f"this server ({self.bot.settings.guild_id})" if self.bot.settings.guild_id else "all servers"  # type: ignore[attr-defined]
        count = len(self.bot.command_payload())  # type: ignore[attr-defined]
        await reply(interaction, f"Synced {count} top-level commands for {scope}.")


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Admin(bot))
