"""Polite polling over real sockets: User-Agent, connections per host, Retry-After, rate-limit headers,
request budgets."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import httpx
import pytest

from bot.mockfeed import FaultRule
from bot.sources import REGISTRY, SourceSettings
from bot.sources.http import (
    USER_AGENT,
    Fetcher,
    HttpSettings,
    RateLimited,
    make_client,
    rate_limit_state,
    retry_after_seconds,
)
from tests.sources.conftest import act


def test_user_agent_names_the_project_and_where_to_find_it():
    assert USER_AGENT.startswith("diplowatch/") and "(+https://" in USER_AGENT


async def test_requests_carry_the_user_agent(world, server, source):
    world.load([act("rss", "mfa", "post", -5, text="hello")])
    await source("rss", "mfa").poll(None)
    assert set(server.stats["user_agents"]) == {USER_AGENT}


async def test_at_most_the_configured_connections_per_host(world, server):
    handles = [f"emb{i}.bsky.example" for i in range(40)]
    world.load([act("bluesky", h, "post", -5, text="hi") for h in handles])
    http = HttpSettings(per_host_connections=3, default_budget=(100_000, 1.0))
    settings = SourceSettings(base_urls=server.urls(), fetcher=Fetcher(make_client(http), http))
    sources = [REGISTRY["bluesky"](h, settings) for h in handles]
    results = await asyncio.gather(*(s.poll(None) for s in sources))
    await settings.fetcher.client.aclose()
    assert all(len(r.activities) == 1 for r in results)
    for service in ("appview", "pds"):
        # Concurrency was really there (40 accounts at once), and capped at 3 connections per host.
        assert 2 <= server.stats["services"][service]["max_open"] <= 3


async def test_retry_after_is_obeyed_for_that_host_only(world, server, source):
    world.load(
        [act("mastodon", "emb@mastodon.example", "post", -5, text="hi"), act("rss", "mfa", "post", -5, text="hello")]
    )
    server.add_fault(FaultRule("429", count=1, service="mastodon", retry_after=30))
    masto = source("mastodon", "emb@mastodon.example")
    with pytest.raises(RateLimited) as first:
        await masto.poll(None)
    assert first.value.retry_after == pytest.approx(30, abs=1)
    before = server.stats["services"]["mastodon"]["requests"]
    with pytest.raises(RateLimited, match="asked us to wait"):
        await masto.poll(None)
    assert server.stats["services"]["mastodon"]["requests"] == before  # not even sent
    assert len((await source("rss", "mfa").poll(None)).activities) == 1  # other hosts unaffected


async def test_platform_rate_limit_headers_stop_requests_until_reset(world, server, source):
    world.load([act("x", "EmbassyX", "post", -5, text="hi")])
    server.rate_limit = 3
    x = source("x", "EmbassyX")
    first = await x.poll(None)  # 2 requests, 1 left
    with pytest.raises(RateLimited) as caught:
        await x.poll(first.cursor)  # user lookup leaves 0: the timeline is not requested
    assert caught.value.retry_after > 60 and caught.value.counts_as_failure is False
    assert server.stats["services"]["x"]["requests"] == 3


async def test_request_budget_per_host(world, server):
    world.load([act("rss", f"mfa{i}", "post", -5, text="hello") for i in range(3)])
    http = HttpSettings(default_budget=(2, 600.0))
    settings = SourceSettings(base_urls=server.urls(), fetcher=Fetcher(make_client(http), http))
    feeds = [REGISTRY["rss"](f"mfa{i}", settings) for i in range(3)]
    await feeds[0].poll(None)
    await feeds[1].poll(None)
    with pytest.raises(RateLimited, match="budget"):
        await feeds[2].poll(None)
    await settings.fetcher.client.aclose()
    assert server.stats["services"]["rss"]["requests"] == 2


def test_rate_limit_header_families():
    now = datetime.now(timezone.utc)
    epoch = str(int(now.timestamp()) + 120)
    bluesky = httpx.Headers({"RateLimit-Remaining": "0", "RateLimit-Reset": epoch})
    mastodon = httpx.Headers(
        {
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": (now + timedelta(seconds=120)).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        }
    )
    x = httpx.Headers({"x-rate-limit-remaining": "0", "x-rate-limit-reset": epoch})
    for headers in (bluesky, mastodon, x):
        remaining, reset = rate_limit_state(headers)
        assert remaining == 0 and 115 <= reset <= 121
    assert retry_after_seconds(httpx.Headers({"Retry-After": "7"})) == 7
    date = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert 85 <= retry_after_seconds(httpx.Headers({"Retry-After": date})) <= 91
    assert retry_after_seconds(httpx.Headers({})) is None
