"""The Discord bot: default intents only, no pings ever, cogs from an explicit list, sync only on change."""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import json
import logging
from typing import Any, Awaitable, Callable

import discord
from discord.ext import commands

from bot.alerts import SEVERITIES, Alert
from bot.config import Settings
from bot.watch import LEGACY
from cogs import EXTENSIONS
from cogs.buttons import AlertButton
from cogs.tree import DiplowatchTree
from storage import watch as watch_store
from storage.db import Database

log = logging.getLogger(__name__)

COMMANDS_HASH_KEY = "discord.commands_hash"
COMMANDS_SCOPE_KEY = "discord.commands_scope"


class DiplowatchBot(commands.AutoShardedBot):
    def __init__(
        self,
        settings: Settings,
        db: Database,
        *,
        pipeline: Any = None,
        poller: Any = None,
        extensions: tuple[str, ...] = EXTENSIONS,
    ):
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
        self.allowed_guilds = settings.allowed_guild_ids()
        self.settling = asyncio.Lock()  # held while on_ready sorts out servers; close() waits for it
        self.last_sync: str | None = None  # "synced" / "unchanged", for tests and the start-up log
        # (transaction, alert, verdict) -> learn from it, in the transaction that stores the verdict; who
        # decided and the server's message are not passed: what learns is shared by every server
        self.verdict_hooks: list[Callable[[Any, Alert, str], Awaitable[None] | None]] = []

    @property
    def write_lock(self):
        """Held while a transaction writes (storage.db.Database.transaction)."""
        return self.db.write_lock

    # ---- start-up -------------------------------------------------------------------------------

    async def setup_hook(self) -> None:
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
        async with self.settling:
            for guild in list(self.guilds):
                await self._leave_unless_allowed(guild)
            await self.adopt_legacy_rows()
            await self._default_alert_channel()
        log.info("ready as %s in %d server(s)", self.user, len(self.guilds))

    async def on_guild_join(self, guild: discord.Guild) -> None:
        if await self._leave_unless_allowed(guild):
            return
        log.info("joined server %s (%s)", guild.id, guild.name)

    async def _leave_unless_allowed(self, guild: discord.Guild) -> bool:
        """Leave a server DIPLOWATCH_ALLOWED_GUILDS does not list; True when it left."""
        if not self.allowed_guilds or guild.id in self.allowed_guilds:
            return False
        log.warning("leaving server %s (%s): it is not in DIPLOWATCH_ALLOWED_GUILDS", guild.id, guild.name)
        try:
            await guild.leave()
        except discord.HTTPException as exc:
            log.error("could not leave server %s: %s %s", guild.id, exc.status, exc.text)
            return False
        return True

    async def adopt_legacy_rows(self) -> int:
        """The watch list, routing and verdicts from before servers were separate (scope -1, migration
        0006) move to the server that set the alerts channel; a bot in one server alone, or with
        DISCORD_GUILD_ID, knows it without a channel."""
        legacy = await watch_store.all_accounts(self.db, LEGACY)
        settings = (await watch_store.guild_settings(self.db, LEGACY)).get(LEGACY, {})
        if not legacy and not settings:
            return 0
        channels = [settings.get("alert_channel_id"), *[a.channel_id for a in legacy]]
        found = [getattr(self.get_channel(c), "guild", None) for c in channels if c]
        guild_id = next((g.id for g in found if g is not None), None) or self.settings.guild_id
        if guild_id is None and len(self.guilds) == 1:
            guild_id = self.guilds[0].id
        if guild_id is None:
            log.warning(
                "%d watched account(s) from before servers were separate wait for their server: set the "
                "alerts channel again with /alerts channel, or set DISCORD_GUILD_ID",
                len(legacy),
            )
            return 0
        async with self.db.transaction() as tx:
            moved = await watch_store.adopt(tx, LEGACY, guild_id)
        log.info(
            "moved %d watched account(s) and the alert routing to server %s (the server that set the alerts channel)",
            moved,
            guild_id,
        )
        await self.watch_changed()
        return moved

    async def _default_alert_channel(self) -> None:
        """DIPLOWATCH_ALERT_CHANNEL_ID: the alerts channel of its own server, until /alerts channel says
        otherwise there."""
        channel = self.get_channel(self.settings.alert_channel_id) if self.settings.alert_channel_id else None
        guild = getattr(channel, "guild", None)
        if guild is None:
            return
        if (await watch_store.guild_settings(self.db, guild.id)).get(guild.id, {}).get("alert_channel_id"):
            return
        async with self.db.transaction() as tx:
            await watch_store.set_guild_setting(tx, guild.id, alert_channel_id=channel.id)  # type: ignore[union-attr]
        await self.watch_changed()

    # ---- services the cogs share ----------------------------------------------------------------

    async def guild_config(self, guild_id: int) -> dict:
        """One server's alerts channel and threshold."""
        found = (await watch_store.guild_settings(self.db, guild_id)).get(guild_id, {})
        return {"alert_channel_id": found.get("alert_channel_id"), "min_severity": found.get("min_severity") or "low"}

    async def set_alert_channel(self, tx: Any, guild_id: int, channel_id: int) -> None:
        await watch_store.set_guild_setting(tx, guild_id, alert_channel_id=channel_id)

    async def set_threshold(self, tx: Any, guild_id: int, severity: str) -> None:
        if severity not in SEVERITIES:
            raise ValueError(severity)
        await watch_store.set_guild_setting(tx, guild_id, min_severity=severity)

    async def watch_changed(self) -> None:
        """The watch list changed: re-plan the polling jobs and the pipeline's view of it."""
        if self.poller is not None:
            await self.poller.refresh()
        elif self.pipeline is not None:
            self.pipeline.set_watch_list(
                await watch_store.all_accounts(self.db), await watch_store.guild_settings(self.db)
            )

    def poke_delivery(self) -> None:
        delivery = self.get_cog("Delivery")
        if delivery is not None:
            delivery.poke()  # type: ignore[attr-defined]

    async def on_verdict(self, tx: Any, alert: Alert, verdict: str) -> None:
        """A moderator's verdict reaches whoever learns from it (incident library, profile feedback), in
        the verdict's own transaction."""
        for hook in self.verdict_hooks:
            try:
                result = hook(tx, alert, verdict)
                if inspect.isawaitable(result):
                    await result
            except Exception:  # a failing hook must not lose the verdict, which is stored already
                log.exception("verdict hook %r failed for %s", hook, alert.id)
