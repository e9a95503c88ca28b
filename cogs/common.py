"""Small helpers the cogs share: resolving a watched account from what a moderator typed, time stamps."""

from __future__ import annotations

from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any, AsyncIterator

import discord
from discord import app_commands
from rapidfuzz import fuzz, process

from bot.activity import parse_time
from bot.watch import WatchedAccount
from bot.webhook import destination as webhook_destination
from bot.watchlist import lookup
from cogs.checks import BadArgument, is_moderator
from cogs.render import safe
from storage import delivery as delivery_store
from storage import watch as watch_store
from storage.db import Transaction


def label(account: WatchedAccount) -> str:
    return f"@{account.handle} ({account.platform})"


def stamp(iso: str | None, style: str = "R") -> str:
    """A Discord timestamp (shown in each reader's time zone), or 'never'."""
    if not iso:
        return "never"
    try:
        moment: datetime = parse_time(iso)
    except ValueError:
        return safe(iso)
    return f"<t:{int(moment.timestamp())}:{style}>"


def guild_of(interaction: discord.Interaction) -> int:
    """The server a command runs in: the scope of everything it reads and changes (commands are
    guild-only, so there is always one)."""
    if interaction.guild_id is None:
        raise BadArgument("This works in a server only.")
    return interaction.guild_id


async def resolve_watched(db: Any, typed: str, guild: int) -> WatchedAccount:
    """The account this server watches meant by `typed`: 'platform:handle' (what autocomplete sends) or a
    bare handle. Another server's watch list is never looked at."""
    found = await lookup(db, typed, guild)
    if len(found.matches) == 1:
        return found.matches[0]
    if found.matches:
        where = ", ".join(sorted(m.platform for m in found.matches))
        first = found.matches[0]
        raise BadArgument(
            f"@{safe(found.handle)} is watched on {where}; pick the one you mean from the "
            f"suggestions, or type platform:handle (e.g. {first.platform}:{safe(first.handle)})."
        )
    hint = f" Did you mean {', '.join('@' + safe(c) for c in found.close)}?" if found.close else ""
    shown = safe(found.handle[:80]) or "(empty)"
    raise BadArgument(f"@{shown} is not on the watch list; /watch list shows who is.{hint}")


async def handle_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Watched accounts matching what is typed so far (a suggestion only: commands re-validate)."""
    if not is_moderator(interaction):
        return []
    if interaction.guild_id is None:
        return []
    accounts = await watch_store.all_accounts(interaction.client.db, interaction.guild_id)  # type: ignore[attr-defined]
    current = current.strip().lstrip("@")
    if current:
        ranked = process.extract(
            current, {i: a.handle for i, a in enumerate(accounts)}, scorer=fuzz.WRatio, limit=25, score_cutoff=50
        )
        accounts = [accounts[key] for _, _, key in ranked]
    choices = []
    for account in accounts[:25]:
        value = f"{account.platform}:{account.handle}"
        if len(value) <= 100:
            choices.append(app_commands.Choice(name=label(account)[:100], value=value))
    return choices


@asynccontextmanager
async def writing(interaction: discord.Interaction) -> AsyncIterator[Transaction]:
    """The transaction of a command that changes the database. When an ingest is writing, acknowledge
    first (Discord's 3 s), then answer with a followup once the write is done."""
    db = interaction.client.db  # type: ignore[attr-defined]
    if db.writing and not interaction.response.is_done():
        await interaction.response.defer(ephemeral=True, thinking=True)
    async with db.transaction() as tx:
        yield tx


async def guild_destinations(db, guild: discord.Guild | None) -> set[str]:
    """The outbox destinations that are this server's: its channels, and the webhooks of its own entries."""
    if guild is None:
        return set()
    mine = {f"discord:{c.id}" for c in guild.channels} | await delivery_store.destinations_of(db, guild.id)
    mine |= {d for a in await watch_store.all_accounts(db, guild.id) for d in webhook_destination(a)}
    return mine
