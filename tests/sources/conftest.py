"""Shared pieces for the source tests: a real mock feed server on 127.0.0.1 and real sources on the
shared polite client (tier 4: real HTTP over real sockets)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.activity import Activity
from bot.mockfeed import Clock, MockFeedServer, World
from bot.sources import REGISTRY, SourceSettings
from bot.sources.http import Fetcher, HttpSettings, make_client

START = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)


def act(platform: str, account: str, kind: str, minutes: float, **fields) -> Activity:
    """An activity `minutes` after START (negative: history already visible when the server starts)."""
    ident = fields.pop("id", f"{account}:{kind}:{minutes}")
    return Activity(
        id=ident, platform=platform, account=account, kind=kind, at=START + timedelta(minutes=minutes), **fields
    )


@pytest.fixture
async def world():
    # speed 0: the feed clock only moves when a test advances it.
    return World(Clock(START, 0.0))


@pytest.fixture
async def server(world):
    async with MockFeedServer(world) as running:
        yield running


@pytest.fixture
async def settings(server):
    made = SourceSettings(base_urls=server.urls(), x_bearer_token="test-token-not-secret")
    http = HttpSettings(
        timeout=30.0, connect_timeout=30.0, per_host_connections=4, max_wait=0.5, default_budget=(100_000, 1.0)
    )
    made.fetcher = Fetcher(make_client(http), http)
    yield made
    await made.fetcher.client.aclose()


@pytest.fixture
def source(settings):
    def make(platform: str, handle: str):
        return REGISTRY[platform](handle, settings)

    return make


def advance(world: World, minutes: float) -> None:
    world.clock.advance(minutes * 60)
