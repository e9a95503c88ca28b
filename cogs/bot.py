"""The Discord bot: default intents only, no pings ever, cogs from an explicit list, sync only on change."""

from __future__ import annotations

import hashlib
import inspect
import json
import logging
from typing import Any, Awaitable, Callable

import discord
from discord.ext import commands

from bot.alerts import SEVERITIES, Alert
from bot.config import Settings
from bot.webhook import destination as webhook_destination
from cogs import EXTENSIONS
from cogs.buttons import AlertButton
from cogs.tree import DiplowatchTree
from storage import watch as watch_store
from storage.db import Database

log = logging.getLogger(__name__)

ALERT_CHANNEL_KEY = "discord.alert_channel_id"
THRESHOLD_KEY = "discord.min_severity"
COMMANDS_HASH_KEY = "discord.commands_hash"
COMMANDS_SCOPE_KEY = "discord.commands_scope"


class DiplowatchBot(commands.Bot):
    def __init__(self, settings: Settings, db: Database, *, pipeline: Any = None, poller: Any = None,
                 extensions: tuple[str, ...] = EXTENSIONS):
        super().__init__(
            command_prefix=commands.when_mentioned,  # no prefix commands; slash commands only
            intents=discord.Intents.default(),
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=DiplowatchTree,
            help_command=None,
            guild_ready_timeout=settings.guild_ready_timeout,
            max_ratelimit_timeout=30.0,  # a longer wait raises RateLimited: the outbox retries instead
        )
        self.settings = settings
        self.db = db
        self.pipeline = pipeline
        self.poller = poller
        self.extension_names = extensions
        self.moderator_role_id = settings.moderator_role_id
        self.alert_channel_id: int | None = settings.alert_channel_id
        self.min_severity = "low"
        self.last_sync: str | None = None  # "synced" / "unchanged", for tests and the start-up log
        # (transaction, alert, verdict, decided by, link to the alert message) -> learn from it, in the
        # transaction that stores the verdict
        self.verdict_hooks: list[Callable[[Any, Alert, str, str, str | None], Awaitable[None] | None]] = []

    @property
    def write_lock(self):
        """Held while a transaction writes (storage.db.Database.transaction)."""
        return self.db.write_lock

    # ---- start-up -------------------------------------------------------------------------------

    async def setup_hook(self) -> None:
        stored_channel = await watch_store.get_setting(self.db, ALERT_CHANNEL_KEY)
        if stored_channel:
            self.alert_channel_id = int(stored_channel)
        self.min_severity = await watch_store.get_setting(self.db, THRESHOLD_KEY) or "low"
        if self.pipeline is not None:
            self.pipeline.min_severity = self.min_severity
        for name in self.extension_names:
            await self.load_extension(name)
        self.add_dynamic_items(AlertButton)
        self.last_sync = await self.sync_commands()

    def command_payload(self) -> list[dict[str, Any]]:
        guild = discord.Object(self.settings.guild_id) if self.settings.guild_id else None
        commands_ = self.tree.get_commands(guild=guild) if guild else self.tree.get_commands()
        return sorted((c.to_dict(self.tree) for c in commands_), key=lambda c: c["name"])

    async def sync_commands(self, *, force: bool = False) -> str:
        """Sync when the definitions changed since the last sync (hash kept in settings) or when forced.

        Discord limits command creations per day, and on_ready fires on every reconnect, so never
        sync blindly."""
        guild = discord.Object(self.settings.guild_id) if self.settings.guild_id else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        scope = f"guild:{guild.id}" if guild else "global"
        digest = hashlib.sha256(json.dumps([scope, self.command_payload()], sort_keys=True).encode()).hexdigest()
        if not force and await watch_store.get_setting(self.db, COMMANDS_HASH_KEY) == digest:
            log.info("slash commands unchanged since the last sync (%s); not syncing", scope)
            return "unchanged"
        synced = await self.tree.sync(guild=guild)
        await self._clear_previous_scope(scope)
        async with self.db.transaction() as tx:
            await watch_store.set_setting(tx, COMMANDS_HASH_KEY, digest)
        log.info("synced %d slash commands (%s)", len(synced), scope)
        return "synced"

    async def _clear_previous_scope(self, scope: str) -> None:
        """Moving between DISCORD_GUILD_ID and global leaves the old set registered, and members would
        see every command twice; remove it."""
        previous = await watch_store.get_setting(self.db, COMMANDS_SCOPE_KEY)
        if previous and previous != scope:
            assert self.application_id is not None
            if previous == "global":
                await self.http.bulk_upsert_global_commands(self.application_id, [])
            else:
                await self.http.bulk_upsert_guild_commands(self.application_id, int(previous.split(":")[1]), [])
            log.info("removed the slash commands previously synced (%s)", previous)
        async with self.db.transaction() as tx:
            await watch_store.set_setting(tx, COMMANDS_SCOPE_KEY, scope)

    async def on_ready(self) -> None:
        log.info("ready as %s in %d server(s)", self.user, len(self.guilds))

    # ---- services the cogs share ----------------------------------------------------------------

    def route(self, watched: Any) -> list[str]:
        """Pipeline router: an account's own channel, else the alerts channel, else nowhere yet."""
        hooks = webhook_destination(watched)  # the account's channel webhook, when it has one
        channel = getattr(watched, "channel_id", None) or self.alert_channel_id
        if not channel:
            if not hooks:
                log.warning("alert kept but not posted: no alert channel set (use /alerts channel)")
            return hooks
        return [f"discord:{channel}", *hooks]

    async def set_alert_channel(self, tx: Any, channel_id: int) -> None:
        await watch_store.set_setting(tx, ALERT_CHANNEL_KEY, str(channel_id))
        self.alert_channel_id = channel_id

    async def set_threshold(self, tx: Any, severity: str) -> None:
        if severity not in SEVERITIES:
            raise ValueError(severity)
        await watch_store.set_setting(tx, THRESHOLD_KEY, severity)
        self.min_severity = severity
        if self.pipeline is not None:
            self.pipeline.min_severity = severity

    async def watch_changed(self) -> None:
        """The watch list changed: re-plan the polling jobs and the pipeline's view of it."""
        if self.poller is not None:
            await self.poller.refresh()
        elif self.pipeline is not None:
            self.pipeline.set_watch_list(await watch_store.all_accounts(self.db))

    def poke_delivery(self) -> None:
        delivery = self.get_cog("Delivery")
        if delivery is not None:
            delivery.poke()  # type: ignore[attr-defined]

    async def on_verdict(self, tx: Any, alert: Alert, verdict: str, by: str, link: str | None = None) -> None:
        """A moderator's verdict reaches whoever learns from it (incident library, profile feedback), in
        the verdict's own transaction."""
        for hook in self.verdict_hooks:
            try:
                result = hook(tx, alert, verdict, by, link)
                if inspect.isawaitable(result):
                    await result
            except Exception:  # a failing hook must not lose the verdict, which is stored already
                log.exception("verdict hook %r failed for %s", hook, alert.id)
