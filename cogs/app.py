"""The live process: Discord bot + polling scheduler + pipeline + delivery, sharing one database."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field

import discord

from bot.config import Settings
from bot.pipeline import Pipeline
from bot.realtime import Streams
from bot.scheduler import PollOutcome, Poller
from bot.sources import SourceSettings
from cogs.bot import DiplowatchBot
from cogs.endpoints import use_endpoints
from storage import activities as activity_store
from storage import profile_verdicts as verdict_store
from storage import watch as watch_store
from storage.db import Database

log = logging.getLogger(__name__)


@dataclass
class App:
    settings: Settings
    db: Database
    pipeline: Pipeline
    poller: Poller | None
    bot: DiplowatchBot
    streams: Streams | None = None
    started: float = field(default_factory=time.monotonic)
    _gateway: asyncio.Task | None = None

    async def start(self) -> None:
        """Log in (loads cogs, syncs commands if they changed), start polling, connect to the gateway."""
        await self.bot.login(self.settings.token())
        if self.poller is not None:
            await self.poller.refresh()
            self.poller.start()
        if self.streams is not None:
            self.streams.start()  # Bluesky in real time; polling reconciles
            log.info("%s", self.streams.describe())
        self._gateway = asyncio.create_task(self.bot.connect(reconnect=True), name="diplowatch-gateway")

    async def wait_until_ready(self, timeout: float | None = None) -> float:
        """Seconds from building the app to the bot being ready."""
        waiter = asyncio.ensure_future(self.bot.wait_until_ready())
        gateway = self._gateway
        assert gateway is not None  # start() made it
        done, _ = await asyncio.wait({waiter, gateway}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if waiter not in done:
            waiter.cancel()
            if gateway in done:
                gateway.result()  # the connection failed: raise why
            raise asyncio.TimeoutError("the bot did not become ready in time")
        return time.monotonic() - self.started

    async def run_forever(self) -> None:
        assert self._gateway is not None
        await self._gateway

    async def close(self) -> None:
        if self.streams is not None:
            await self.streams.stop()
        if self.poller is not None:
            await self.poller.stop()
        await self.bot.close()
        async with self.bot.settling:  # on_ready's writes end before the database closes
            pass
        if self._gateway is not None:
            try:
                await self._gateway
            except (discord.DiscordException, OSError):
                pass
        await self.pipeline.close()
        await self.db.close()


async def build_app(settings: Settings) -> App:
    started = time.monotonic()
    use_endpoints(settings.api_base, settings.gateway_url)
    db = await Database.open(settings.database)
    pipeline = Pipeline(db)
    await pipeline.load_baselines()
    if settings.workers:  # the workers poll (bot/worker.py); this process holds the gateway and posts
        if db.backend != "postgresql":
            log.warning("DIPLOWATCH_WORKERS is set but the database is a SQLite file: nothing will poll it")
        pipeline.set_watch_list(await watch_store.all_accounts(db), await watch_store.guild_settings(db))
        bot = DiplowatchBot(settings, db, pipeline=pipeline, poller=None)
        bot.verdict_hooks.append(_profile_feedback(pipeline, workers=True))
        return App(settings, db, pipeline, None, bot, streams=None, started=started)
    poller = Poller(pipeline, SourceSettings(fixture_dir=settings.fixture_dir), interval=settings.poll_seconds)
    bot = DiplowatchBot(settings, db, pipeline=pipeline, poller=poller)

    def after_poll(outcome: PollOutcome) -> None:
        if outcome.alerts:
            bot.poke_delivery()

    poller.on_poll = after_poll
    streams = Streams(poller)
    if streams.consumer is not None:
        streams.consumer.on_alerts = bot.poke_delivery  # a streamed alert goes out at once
    bot.verdict_hooks.append(_profile_feedback(pipeline))  # the incident cog adds its own hook
    return App(settings, db, pipeline, poller, bot, streams=streams, started=started)


def _profile_feedback(pipeline: Pipeline, *, workers: bool = False):
    """A verdict teaches the account's profile: a false alarm becomes normal, a confirmed incident never does.

    With workers the profile is the holding worker's, in its memory: the verdict is recorded for it to
    apply at its next poll of the account (storage/profile_verdicts.py), not taught to this process's copy,
    which no poll here would keep."""

    async def hook(tx, alert, verdict: str) -> None:
        activity = await activity_store.get(tx, alert.platform, alert.activity_id)
        if activity is None:
            return
        if workers:
            # The watched account (its lease, its worker), as the watch list has it now; a `fixture`
            # feed carries another platform's records, so the same platform first, then any.
            entries = await watch_store.find(tx.db, activity.account)
            entries.sort(key=lambda a: a.platform != activity.platform)
            platform, handle = entries[0].key if entries else (activity.platform, activity.account)
            await verdict_store.record(tx, platform, handle, activity.platform, activity.id, verdict)
            return
        await pipeline.feedback(tx, activity, verdict)  # commits with the verdict, or neither does

    return hook
