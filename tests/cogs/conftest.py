"""Tier-3 harness: the real discord.py client, our bot and cogs, against tests.fakediscord on 127.0.0.1."""

from __future__ import annotations

import asyncio

import pytest
import pytest_asyncio

from bot.config import Settings
from cogs.endpoints import use_endpoints
from storage.db import Database
from tests.fakediscord.server import FakeDiscord


@pytest_asyncio.fixture
async def fake():
    server = await FakeDiscord().start()
    yield server
    await server.stop()
    use_endpoints(None, None)


@pytest.fixture
def settings(fake, tmp_path) -> Settings:
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    return Settings(
        discord_token=fake.token,
        database=tmp_path / "bot.db",
        poll_seconds=1.0,
        fixture_dir=feeds,
        api_base=fake.api_base,
        gateway_url=fake.gateway_url,
        moderator_role_id=fake.moderator_role_id,
        guild_ready_timeout=0.05,
        retry_seconds=0.05,
        _env_file=None,
    )


class Running:
    """A started bot (no scheduler): enough for commands, buttons and delivery."""

    def __init__(self, bot, db, task):
        self.bot, self.db, self.task = bot, db, task

    async def stop(self) -> None:
        await self.bot.close()
        try:
            await asyncio.wait_for(self.task, 5)
        except Exception:
            pass
        async with self.bot.settling:  # on_ready's writes end before the database closes
            pass
        await self.db.close()


async def start_bot(settings: Settings, **kwargs) -> Running:
    from cogs.bot import DiplowatchBot

    use_endpoints(settings.api_base, settings.gateway_url)
    db = await Database.open(settings.database)
    bot = DiplowatchBot(settings, db, **kwargs)
    await bot.login(settings.token())
    task = asyncio.create_task(bot.connect(reconnect=False))
    await asyncio.wait_for(bot.wait_until_ready(), 5)
    return Running(bot, db, task)


@pytest_asyncio.fixture
async def running(settings):
    run = await start_bot(settings)
    yield run
    await run.stop()
