"""storage.watch.clear: unsetting an entry's destinations (what `add`, whose empty fields keep, cannot)."""

from __future__ import annotations

import asyncio

import pytest

from bot.watch import WatchedAccount
from storage import watch as watch_store
from storage.db import Database

WEBHOOK = "https://discord.com/api/webhooks/1/token"


def test_clear_unsets_only_the_named_destinations_of_one_scope(database):
    async def scenario():
        async with await Database.open(database) as db:
            async with db.transaction() as tx:
                for guild in (0, 111):
                    await watch_store.add(
                        tx, WatchedAccount("x", "mfa", channel_id=5, webhook_url=WEBHOOK, role="r", guild_id=guild)
                    )
            async with db.transaction() as tx:
                assert await watch_store.clear(tx, 0, "x", "mfa", ["webhook_url"])
                assert not await watch_store.clear(tx, 0, "x", "nobody", ["channel_id"])
                with pytest.raises(ValueError):
                    await watch_store.clear(tx, 0, "x", "mfa", ["role"])
            mine, theirs = await watch_store.get(db, 0, "x", "mfa"), await watch_store.get(db, 111, "x", "mfa")
            assert mine is not None and theirs is not None
            assert (mine.webhook_url, mine.channel_id, mine.role) == (None, 5, "r")
            assert theirs.webhook_url == WEBHOOK

    asyncio.run(scenario())
