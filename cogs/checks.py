"""Who may run moderator commands: Manage Server, or the configured moderator role.

`default_permissions` on the command groups is only a hint Discord's client uses (a server admin can
change it), so the bot checks again on every invocation and every button press.
"""

from __future__ import annotations

import discord
from discord import app_commands


class NotModerator(app_commands.CheckFailure):
    def __init__(self, role_id: int | None):
        self.role_id = role_id
        needs = "the Manage Server permission" + (f" or the <@&{role_id}> role" if role_id else "")
        super().__init__(f"Only moderators can do this: it needs {needs}. Nothing was changed.")


class BadArgument(app_commands.AppCommandError):
    """A value that passed Discord's checks but not ours; the message says what would be right."""


def is_moderator(interaction: discord.Interaction) -> bool:
    if interaction.guild is None:
        return False
    if interaction.permissions.manage_guild:
        return True
    role_id = getattr(interaction.client, "moderator_role_id", None)
    user = interaction.user
    return isinstance(role_id, int) and isinstance(user, discord.Member) and user.get_role(role_id) is not None


def ensure_moderator(interaction: discord.Interaction) -> None:
    if not is_moderator(interaction):
        raise NotModerator(getattr(interaction.client, "moderator_role_id", None))


def moderator_only():
    """An app-command check (runs server-side on every invocation)."""

    def predicate(interaction: discord.Interaction) -> bool:
        ensure_moderator(interaction)
        return True

    return app_commands.check(predicate)
