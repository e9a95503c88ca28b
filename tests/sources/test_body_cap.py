"""The body cap holds while the body streams (tier 4, a real local HTTP server): an endless or huge
body is cut off at the cap, not read whole first; a declared oversize body is refused unread; a
gzip body is capped by what it unpacks to; bodies under the cap arrive intact."""

from __future__ import annotations

import asyncio
import gzip

import pytest
from aiohttp import web

from bot.sources.http import BadPayload, Fetcher, HttpSettings, make_client

CAP = 64 * 1024
CHUNK = b"x" * 4096


@pytest.fixture
async def site():
    sent = {"endless": 0}

    async def endless(request):
        response = web.StreamResponse()  # chunked, no Content-Length: only the reader can stop it
        await response.prepare(request)
        while True:
            await response.write(CHUNK)
            sent["endless"] += len(CHUNK)

    async def declared(request):
        return web.Response(body=b"y" * (CAP + 1), content_type="application/json")

    async def bomb(request):  # 1 KB on the wire, 16 MB unpacked
        return web.Response(
            body=gzip.compress(b"0" * (16 * 1024 * 1024)),
            headers={"Content-Encoding": "gzip"},
            content_type="application/json",
        )

    async def small(request):
        return web.Response(
            body=gzip.compress(b'{"ok": true}'),
            content_type="application/json",
            headers={"Content-Encoding": "gzip", "ETag": '"v1"'},
        )

    app = web.Application()
    app.router.add_get("/endless", endless)
    app.router.add_get("/declared", declared)
    app.router.add_get("/bomb", bomb)
    app.router.add_get("/small", small)
    runner = web.AppRunner(app)
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", 0)
    await tcp.start()
    port = tcp._server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}", sent
    await runner.cleanup()


@pytest.fixture
async def fetcher():
    http = HttpSettings(timeout=30.0, max_body_bytes=CAP, default_budget=(1000, 1.0), loopback_budget=(1000, 1.0))
    made = Fetcher(make_client(http), http)
    yield made
    await made.client.aclose()


async def test_an_endless_body_is_cut_off_at_the_cap(site, fetcher):
    base, sent = site
    with pytest.raises(BadPayload, match="too large"):
        await asyncio.wait_for(fetcher.get(f"{base}/endless", where="endless"), timeout=60)
    # Stopped near the cap (plus what the socket buffers held), nowhere near reading it whole.
    assert sent["endless"] < 100 * CAP


async def test_a_declared_oversize_body_and_a_gzip_bomb_are_refused(site, fetcher):
    base, _ = site
    with pytest.raises(BadPayload, match=f"{CAP + 1:,} bytes is too large"):
        await fetcher.get(f"{base}/declared", where="declared")
    with pytest.raises(BadPayload, match="stopped reading"):
        await fetcher.get(f"{base}/bomb", where="bomb")


async def test_a_body_under_the_cap_arrives_decoded_with_its_headers(site, fetcher):
    base, _ = site
    response = await fetcher.get(f"{base}/small", where="small")
    assert response.status_code == 200 and response.json() == {"ok": True}
    assert response.headers["ETag"] == '"v1"'
