"""One error path for every app command (Red-DiscordBot's RedTree.on_error, in small).

Whatever goes wrong, the member gets one ephemeral line that says what was wrong and what would be
right; unexpected errors are logged with their traceback and the member is told it was logged.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from cogs.checks import BadArgument, NotModerator

log = logging.getLogger(__name__)


async def reply(
    interaction: discord.Interaction, content: str | None = None, *, ephemeral: bool = True, **kwargs
) -> None:
    """Answer whether or not the interaction was answered already (Red's _send_from_interaction)."""
    kwargs.setdefault("allowed_mentions", discord.AllowedMentions.none())
    if interaction.response.is_done():
        await interaction.followup.send(
            content if content is not None else discord.utils.MISSING, ephemeral=ephemeral, **kwargs
        )
    else:
        await interaction.response.send_message(content, ephemeral=ephemeral, **kwargs)


def explain(error: app_commands.AppCommandError) -> str | None:
    """The message for an error a member caused; None for our own bugs."""
    if isinstance(error, (NotModerator, BadArgument)):
        return str(error)
    if isinstance(error, app_commands.MissingPermissions):
        return "Only moderators can do this: it needs the Manage Server permission. Nothing was changed."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command works in a server channel, not in direct messages."
    if isinstance(error, app_commands.TransformerError):
        kind = getattr(error.type, "name", str(error.type)).lower()
        return f"`{error.value}` is not a valid {kind} here; pick one from the list Discord offers."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down: try again in {error.retry_after:.0f} s."
    if isinstance(error, app_commands.CheckFailure):
        return "You cannot use this command here."
    return None


class DiplowatchTree(app_commands.CommandTree):
    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        message = explain(error)
        if message is None:
            command = interaction.command.qualified_name if interaction.command else "?"
            log.error("command /%s failed", command, exc_info=error)
            message = "Something went wrong on our side; it has been logged. Nothing was changed."
        try:
            await reply(interaction, message)
        except discord.HTTPException:
            log.warning("could not tell the member about an error: the interaction expired")
