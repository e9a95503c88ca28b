"""`diplowatch watch run` as a developer runs it: a subprocess polling the mock feed server over real HTTP,
printing each alert (here as JSON lines), and stopping cleanly on SIGTERM or Ctrl-C with nothing lost."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import sys
from pathlib import Path

from bot.activity import parse_time
from bot.alerts import Alert
from bot.feeds import Rejected, read_feed
from bot.mockfeed import Clock, MockFeedServer, World
from bot.watch import WatchedAccount
from storage import alerts as alert_store
from storage import watch as watch_store
from storage.db import Database
from tests.sources.fakewebhook import FakeWebhook

ROOT = Path(__file__).resolve().parents[2]
FEED = ROOT / "fixtures" / "feeds" / "ChineseEmbinUS.jsonl"
INCIDENT = parse_time("2020-12-09T20:26:52Z")  # the repost of a US president's election claim
TIMEOUT = 90  # generous: a loaded 2-core machine


async def start(db_path: Path, server: MockFeedServer | None, *extra: str) -> asyncio.subprocess.Process:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    if server is not None:
        env.update({f"DIPLOWATCH_{name.upper()}": url for name, url in server.urls().items()})
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "watch",
        "run",
        "--db",
        str(db_path),
        "--poll",
        "0.3",
        *extra,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def line_with(stream: asyncio.StreamReader, text: str) -> str:
    while True:
        line = (await stream.readline()).decode()
        assert line, f"the stream ended before a line with {text!r}"
        if text in line:
            return line


def cursor_ok(db_path: Path, handle: str) -> bool:
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        row = conn.execute("SELECT last_ok_at FROM cursors WHERE handle = ?", (handle,)).fetchone()
    return bool(row and row[0])


async def until(predicate) -> None:
    async def loop():
        while not predicate():
            await asyncio.sleep(0.1)

    await asyncio.wait_for(loop(), TIMEOUT)


async def test_watch_run_polls_over_http_prints_json_alerts_posts_the_webhook_and_stops_on_sigterm(tmp_path):
    activities = [a for a in read_feed(FEED) if not isinstance(a, Rejected)]
    history = [a for a in activities if a.at < INCIDENT]
    incident = [a for a in activities if a.at >= INCIDENT][:1]
    assert incident and incident[0].kind == "repost"
    world = World(Clock(history[-1].at, 0.0))
    world.load(history, served_as="bluesky")
    db_path = tmp_path / "live.db"
    async with FakeWebhook() as hook, MockFeedServer(world) as server:
        async with await Database.open(db_path) as db:
            # Served as a Bluesky account under its X handle, which `watch add` would refuse for Bluesky.
            async with db.transaction() as tx:
                await watch_store.add(
                    tx,
                    WatchedAccount(
                        "bluesky",
                        "ChineseEmbinUS",
                        role="embassy",
                        country="CN",
                        host_country="US",
                        webhook_url=hook.url,
                    ),
                )
        process = await start(db_path, server, "--format", "json")
        try:
            await asyncio.wait_for(line_with(process.stderr, "polling 1 account(s)"), TIMEOUT)
            await until(lambda: cursor_ok(db_path, "ChineseEmbinUS"))  # the backfill: history learned
            world.clock.advance((incident[0].at - world.clock.now()).total_seconds())
            world.load(incident, served_as="bluesky")
            line = await asyncio.wait_for(process.stdout.readline(), TIMEOUT)
            await asyncio.wait_for(hook.posted.wait(), TIMEOUT)
        finally:
            process.send_signal(signal.SIGTERM)
            rest, err = await asyncio.wait_for(process.communicate(), TIMEOUT)
    alert = json.loads(line)
    assert set(alert) == set(Alert.from_dict(alert).to_dict())  # the replay's alert contract
    assert alert["account"] == "ChineseEmbinUS" and alert["kind"] == "repost"
    assert alert["target_account"] == "realDonaldTrump" and alert["reasons"]
    printed = [json.loads(x) for x in rest.decode().splitlines() if x.strip()]
    assert process.returncode == 0, err.decode()[-2000:]
    text = err.decode()
    assert "Traceback" not in text and "WARNING" not in text and "ERROR" not in text, text[-2000:]
    assert "stopped;" in text and hook.token not in text
    with sqlite3.connect(db_path) as conn:
        states = dict(
            conn.execute("SELECT state, COUNT(*) FROM outbox WHERE destination = 'terminal' GROUP BY state").fetchall()
        )
        posted = conn.execute(
            "SELECT alert_id, message_id FROM outbox WHERE destination LIKE 'webhook:%' AND state = 'sent' ORDER BY seq"
        ).fetchall()
    assert states == {"sent": 1 + len(printed)}  # every stored alert was printed, once
    assert posted[0] == (alert["id"], hook.messages[0]["id"])  # and posted to the webhook, its message id kept
    assert hook.messages[0]["embeds"][0]["footer"]["text"].startswith(f"alert {alert['id']}")


async def test_an_unprinted_alert_comes_out_on_the_next_start_an_account_added_meanwhile_is_polled_ctrl_c_stops(
    tmp_path,
):
    db_path = tmp_path / "live.db"
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    (feeds / "mfa_china.jsonl").write_text(
        json.dumps(
            {
                "id": "1",
                "platform": "x",
                "account": "mfa_china",
                "kind": "post",
                "at": "2026-01-01T00:00:00Z",
                "text": "Statement",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    left = Alert(
        activity_id="x:1",
        account="mfa",
        platform="x",
        kind="post",
        at="2026-01-01T00:00:00Z",
        score=0.9,
        severity="high",
        reasons=["a post at 03:00, an hour it never posts at"],
    )
    async with await Database.open(db_path) as db:
        async with db.transaction() as tx:
            await alert_store.save(tx, left, ["terminal"])  # e.g. the process was killed before printing it
    process = await start(db_path, None, "--fixture-dir", str(feeds))
    try:
        first = await asyncio.wait_for(line_with(process.stdout, "[HIGH"), TIMEOUT)
        await asyncio.wait_for(line_with(process.stderr, "nothing is watched yet"), TIMEOUT)
        added = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "watch",
            "add",
            "fixture",
            "mfa_china",
            "--db",
            str(db_path),
            cwd=ROOT,
            stdout=asyncio.subprocess.DEVNULL,
        )
        assert await asyncio.wait_for(added.wait(), TIMEOUT) == 0
        await until(lambda: cursor_ok(db_path, "mfa_china"))  # picked up by the running process, and polled
    finally:
        process.send_signal(signal.SIGINT)
        _, err = await asyncio.wait_for(process.communicate(), TIMEOUT)
    assert "@mfa posted" in first
    assert process.returncode == 0 and "Traceback" not in err.decode(), err.decode()
    assert "1 new activities" in err.decode()
