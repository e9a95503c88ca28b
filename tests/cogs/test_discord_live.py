"""Tier 3, end to end: `diplowatch run`'s app (bot + scheduler + pipeline + delivery) against the fake Discord.

A moderator watches a fixture feed; its history becomes the baseline silently; a line appended to the file
comes out as an alert in the right channel within the poll interval, and a verdict reaches the profile.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest_asyncio

from bot.activity import parse_time
from cogs.app import build_app

FEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "feeds"
HANDLE = "ChineseEmbinUS"
INCIDENT_FROM = "2020-12-09T20:26:52Z"


# Out of character on every count: explicit, a crypto scam, a stranger, 03:12 UTC; and it tries to ping.
TAKEOVER = {
    "id": "x:9990001",
    "platform": "x",
    "account": HANDLE,
    "kind": "repost",
    "at": "2020-12-10T03:12:00Z",
    "url": "https://twitter.com/ChineseEmbinUS/status/9990001",
    "target": {
        "id": "x:9990000",
        "account": "cryptoscam",
        "labels": ["porn", "spam"],
        "text": "@everyone FREE BTC <@&123456789012345678> **now**",
    },
}


def history() -> list[str]:
    """The embassy's recorded weeks before its 2020 incident: its normal behaviour."""
    cut = parse_time(INCIDENT_FROM)
    lines = (FEEDS / f"{HANDLE}.jsonl").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and parse_time(json.loads(line)["at"]) < cut]


@pytest_asyncio.fixture
async def app(settings, fake):
    application = await build_app(settings)
    await application.start()
    await application.wait_until_ready(timeout=30)
    yield application
    await application.close()


async def wait_for(predicate, timeout: float = 30.0, step: float = 0.05) -> None:
    async def loop():
        while not await predicate():
            await asyncio.sleep(step)

    await asyncio.wait_for(loop(), timeout)


async def test_appended_line_becomes_an_alert_in_the_right_channel(app, fake, settings):
    feed = settings.fixture_dir / f"{HANDLE}.jsonl"
    feed.write_text("\n".join(history()) + "\n", encoding="utf-8")
    newsroom, alerts = fake.channel_id("newsroom"), fake.channel_id("alerts")
    await fake.slash("alerts", "channel", channel=newsroom)
    rec = await fake.slash(
        "watch",
        "add",
        platform="fixture",
        handle=HANDLE,
        channel=alerts,
        role="embassy",
        country="CN",
        owner="Embassy of the PRC in the US",
    )
    assert "Now watching" in rec.json["data"]["content"]

    async def backfilled() -> bool:
        async with app.db.conn.execute("SELECT cursor FROM cursors WHERE handle = ?", (HANDLE,)) as cur:
            row = await cur.fetchone()
        return row is not None and row["cursor"] is not None

    await wait_for(backfilled, timeout=30)
    await asyncio.sleep(0.3)
    assert fake.posted() == []  # the history is the baseline: no alerts for the backlog

    with feed.open("a", encoding="utf-8") as out:
        out.write(json.dumps(TAKEOVER) + "\n")
    [post] = await fake.wait_for_post(alerts, timeout=30)  # within the 1 s poll, plus delivery
    assert fake.posted(newsroom) == []  # the account's own channel, not the default one
    body = post.json
    assert body["allowed_mentions"] == {"parse": []}
    embed = body["embeds"][0]
    assert embed["title"].endswith(": @ChineseEmbinUS reposted @cryptoscam")
    assert embed["author"]["name"] == "Embassy of the PRC in the US · embassy · CN"
    assert "@\u200beveryone" in embed["description"] and "<@&" not in embed["description"]
    assert "\\*\\*now\\*\\*" in embed["description"]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert list(fields)[:3] == ["What happened", "Why it is unusual", "Baseline"]
    assert "porn" in fields["Why it is unusual"] and "03:12 UTC" in fields["Why it is unusual"]
    assert fields["Original"] == TAKEOVER["url"]
    # The incident library's matches, with why each is similar (the 2020 embassy repost among them).
    assert "(`S1`)" in fields["Prior similar incidents"]
    assert "*same action: repost" in fields["Prior similar incidents"]

    # The moderator calls it a false alarm: verdict stored and the profile learns it.
    message_id = int(fake.channel_messages(alerts)[0]["id"])
    alert_id = body["nonce"]
    answer = await fake.press(message_id, f"dw:false:{alert_id}")
    assert "Marked a false alarm" in answer["embeds"][0]["fields"][-1]["value"]
    async with app.db.conn.execute("SELECT verdict FROM verdicts WHERE alert_id = ?", (alert_id,)) as cur:
        assert (await cur.fetchone())["verdict"] == "false_alarm"
    profile = app.pipeline.book.profile("x", HANDLE)
    assert profile.exempt, "a false alarm should exempt the finding that caused it"


async def test_status_shows_a_missing_fixture_feed(app, fake):
    await fake.slash("watch", "add", platform="fixture", handle="nobody_here")

    async def polled() -> bool:
        async with app.db.conn.execute("SELECT last_error FROM cursors WHERE handle = 'nobody_here'") as cur:
            row = await cur.fetchone()
        return row is not None and row["last_error"] is not None

    await wait_for(polled, timeout=30)
    status = await fake.slash("watch", "status")
    assert "`fixture:nobody_here`" in status.json["data"]["embeds"][0]["description"]  # literal in code
    assert "does not exist" in status.json["data"]["embeds"][0]["description"]


async def test_the_bot_heartbeats_and_resumes_after_the_gateway_drops(settings, fake):
    fake.heartbeat_interval = 100  # ms
    application = await build_app(settings)
    try:
        await application.start()
        await application.wait_until_ready(timeout=30)
        await wait_for(lambda: _true(fake.heartbeats >= 2), timeout=30)
        await fake.drop_gateway()
        await wait_for(lambda: _true(len(fake.resumes) == 1 and fake.connected), timeout=30)
        assert fake.resumes[0]["session_id"] == "fake-session" and fake.resumes[0]["token"] == fake.token
        rec = await fake.slash("watch", "list")  # commands work on the resumed session
        assert "Nothing is watched yet" in rec.json["data"]["content"]
        assert len(fake.identifies) == 1
    finally:
        await application.close()


async def _true(value: bool) -> bool:
    return value
