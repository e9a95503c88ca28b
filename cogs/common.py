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
from bot.watchlist import PLATFORMS, lookup
from cogs.checks import BadArgument, is_moderator
from cogs.render import safe
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


async def resolve_watched(db: Any, typed: str) -> WatchedAccount:
    """The watched account meant by `typed`: 'platform:handle' (what autocomplete sends) or a bare handle."""
    found = await lookup(db, typed)
    if len(found.matches) == 1:
        return found.matches[0]
    if found.matches:
        where = ", ".join(sorted(m.platform for m in found.matches))
        first = found.matches[0]
        raise BadArgument(f"@{safe(found.handle)} is watched on {where}; pick the one you mean from the "
                          f"suggestions, or type platform:handle (e.g. {first.platform}:{safe(first.handle)}).")
    hint = f" Did you mean {', '.join('@' + safe(c) for c in found.close)}?" if found.close else ""
    shown = safe(found.handle[:80]) or "(empty)"
    raise BadArgument(f"@{shown} is not on the watch list; /watch list shows who is.{hint}")


async def handle_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Watched accounts matching what is typed so far (a suggestion only: commands re-validate)."""
    if not is_moderator(interaction):
        return []
    accounts = await watch_store.all_accounts(interaction.client.db)  # type: ignore[attr-defined]
    current = current.strip().lstrip("@")
    if current:
        ranked = process.extract(current, {i: a.handle for i, a in enumerate(accounts)}, scorer=fuzz.WRatio,
                                 limit=25, score_cutoff=50)
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
    if db.write_lock.locked() and not interaction.response.is_done():
        await interaction.response.defer(ephemeral=True, thinking=True)
    async with db.transaction() as tx:
        yield tx
