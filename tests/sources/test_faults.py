"""Every fault the mock server can produce, against every adapter over real sockets: the poll fails
with a FeedError naming what went wrong (never another exception), and once the server recovers the
next poll delivers what was pending, exactly once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from bot.mockfeed import FaultRule
from bot.sources import REGISTRY, SourceSettings
from bot.sources.http import (
    BadPayload,
    FeedError,
    FetchTimeout,
    Fetcher,
    HttpSettings,
    RateLimited,
    ServerError,
    make_client,
)
from tests.sources.conftest import act, advance

ACCOUNTS = {
    "bluesky": ("emb.bsky.example", "appview"),
    "mastodon": ("emb@mastodon.example", "mastodon"),
    "x": ("EmbassyX", "x"),
    "rss": ("mfa", "rss"),
}
EXPECTED = {
    "429": (RateLimited, "rate limited"),
    "500": (ServerError, "server error 500"),
    "html": (ServerError, "HTML error page"),
    "html200": (BadPayload, "HTML page"),
    "timeout": (FetchTimeout, "no answer in time"),
    "truncated": (BadPayload, "truncated"),
    "disconnect": (ServerError, "connection failed"),
    "malformed": (BadPayload, "malformed"),
    "empty": (BadPayload, ""),
}


@pytest.fixture
async def quick(server):
    """Sources that do not wait out rate limits. Their timeout is generous, so a loaded machine never
    turns a healthy answer into a timeout; `impatient` shortens it around the one poll that tests it."""
    http = HttpSettings(timeout=30.0, connect_timeout=30.0, default_budget=(100_000, 1.0), max_wait=0.0)
    settings = SourceSettings(base_urls=server.urls(), x_bearer_token="t", fetcher=Fetcher(make_client(http), http))
    yield settings
    await settings.fetcher.client.aclose()


@contextmanager
def impatient(settings: SourceSettings, fault: str) -> Iterator[None]:
    """For the `timeout` fault only: give up after 0.4 s, so the server's silence costs little."""
    assert settings.fetcher is not None
    client = settings.fetcher.client
    patient = client.timeout
    if fault == "timeout":
        client.timeout = httpx.Timeout(0.4)
    try:
        yield
    finally:
        client.timeout = patient


def pending(world, platform, handle):
    world.load(
        [act(platform, handle, "post", -5, text="before"), act(platform, handle, "post", 5, text="after the fault")]
    )


@pytest.mark.parametrize("platform", sorted(ACCOUNTS))
@pytest.mark.parametrize("fault", sorted(EXPECTED))
async def test_fault_fails_the_poll_cleanly_and_nothing_is_lost(world, server, quick, platform, fault):
    handle, service = ACCOUNTS[platform]
    pending(world, platform, handle)
    src = REGISTRY[platform](handle, quick)
    first = await src.poll(None)
    advance(world, 10)
    server.add_fault(FaultRule(fault, count=1, service=service, retry_after=0, delay=3.0))
    error_class, words = EXPECTED[fault]
    with impatient(quick, fault), pytest.raises(FeedError) as caught:
        await src.poll(first.cursor)
    assert isinstance(caught.value, error_class), caught.value
    assert words in str(caught.value)
    server.clear_faults()
    recovered = await src.poll(first.cursor)  # the cursor did not move past the failure
    assert [a.text for a in recovered.activities if a.kind == "post"] == ["after the fault"]
    assert (await src.poll(recovered.cursor)).activities == []


@pytest.mark.parametrize("endpoint", ["getAuthorFeed", "listRecords", "/plc/", "getPosts"])
async def test_bluesky_fault_on_any_endpoint_leaves_the_cursor_usable(world, server, quick, endpoint):
    world.load(
        [
            act("bluesky", "emb.bsky.example", "post", -5, text="before"),
            act("bluesky", "emb.bsky.example", "like", 5, target={"id": "p", "account": "x.example"}),
        ]
    )
    src = REGISTRY["bluesky"]("emb.bsky.example", quick)
    cursor = None
    if endpoint != "/plc/":  # the DID document is read on the first poll only
        cursor = (await src.poll(None)).cursor
    advance(world, 10)
    server.add_fault(FaultRule("malformed", count=1, match=endpoint))
    with pytest.raises(BadPayload):
        await src.poll(cursor)
    result = await src.poll(cursor)
    assert [a.kind for a in result.activities if a.kind == "like"] == ["like"]


async def test_slow_answer_within_the_timeout_is_just_slow(world, server, quick):
    pending(world, "rss", "mfa")
    server.add_fault(FaultRule("slow", count=1, service="rss", delay=0.1))
    result = await REGISTRY["rss"]("mfa", quick).poll(None)
    assert [a.text for a in result.activities] == ["before"]
    assert server.stats["faults"]["slow"] == 1


async def test_fault_by_query_parameter(world, server):
    async with httpx.AsyncClient() as client:
        response = await client.get(server.url("rss") + "/rss/mfa", params={"mockfault": "429"})
    assert response.status_code == 429 and response.headers["Retry-After"] == "1"
