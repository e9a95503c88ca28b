"""Three `diplowatch worker` processes on one real PostgreSQL server, polling hundreds of mock-feed accounts
over real HTTP, two of them killed with SIGKILL in the middle of a poll, then started again (tier 4).

What must hold, read from the mock feed server's request log and the database: a killed worker's accounts
were taken over by the others and every account was polled again after the restarts (waited on, not
timed: a loaded machine makes any bound on the gap a guess), no account was ever polled by two workers
at once, every activity was stored once, every alert raised once and delivered once to the (local)
webhook.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sys
import time
from collections import Counter, defaultdict
from dataclasses import replace
from functools import partial
from pathlib import Path


from bot.activity import parse_time
from bot.feeds import Rejected, read_feed
from bot.mockfeed import Clock, MockFeedServer, World
from bot.mockfeed.faults import FaultRule
from bot.mockfeed.scenario import synthetic
from bot.watch import WatchedAccount
from storage import watch as watch_store
from storage.db import Database
from tests.sources.fakewebhook import FakeWebhook
from tests import waiting

ROOT = Path(__file__).resolve().parents[2]
FEED = ROOT / "fixtures" / "feeds" / "ChineseEmbinUS.jsonl"
INCIDENT = parse_time("2020-12-09T20:26:52Z")  # the repost of a US president's election claim
RSS_ACCOUNTS = 300
INCIDENT_ACCOUNTS = 4  # the embassy's history under four Bluesky handles, each with its incident
INTERVAL = 12.0  # seconds between two polls of an account
LEASE = 4.0  # a dead worker's accounts are free within this
WAIT = 120.0  # generous: a loaded 2-core machine, three workers and PostgreSQL on it
until = partial(waiting.until, timeout=WAIT, every=0.05)
UA = re.compile(r"worker/(\S+)")


def incident_world(world: World) -> tuple[list[str], list]:
    """The embassy's history (released now) and its incident (released later) under several handles."""
    activities = [a for a in read_feed(FEED) if not isinstance(a, Rejected)]
    handles, later = [], []
    for n in range(INCIDENT_ACCOUNTS):
        handle = f"chineseembinus{n}.bsky.example"
        handles.append(handle)
        mine = [replace(a, id=f"{a.id}-{n}", account=handle) for a in activities]
        world.load([a for a in mine if a.at < INCIDENT], served_as="bluesky", release_now=True)
        later += [a for a in mine if a.at >= INCIDENT][:1]
    return handles, later


class Workers:
    def __init__(self, url: str, server: MockFeedServer, logs: Path):
        self.url, self.logs = url, logs
        self.env = dict(os.environ, PYTHONUNBUFFERED="1", DIPLOWATCH_HTTP_CONNECTIONS_PER_HOST="32")
        self.env.update({f"DIPLOWATCH_{name.upper()}": value for name, value in server.urls().items()})
        self.running: dict[str, asyncio.subprocess.Process] = {}
        self.started = 0

    async def start(self, name: str) -> None:
        self.started += 1
        log = (self.logs / f"{self.started}-{name}.log").open("wb")  # a moment's write: no thread needed
        self.running[name] = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "worker", "--db", self.url, "--poll", str(INTERVAL),
            "--lease", str(LEASE), "--name", name,
            cwd=ROOT, env=self.env, stdout=log, stderr=log,
        )  # fmt: skip
        log.close()

    def kill(self, name: str) -> None:
        self.running.pop(name).send_signal(signal.SIGKILL)

    async def stop_all(self) -> dict[str, int]:
        codes = {}
        for process in self.running.values():
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        for name, process in self.running.items():
            try:
                codes[name] = await asyncio.wait_for(process.wait(), 60)
            except asyncio.TimeoutError:
                process.kill()
                codes[name] = await process.wait()
        return codes


def account_of(entry: dict, dids: dict[str, str]) -> str | None:
    """The polled account a request is for: an RSS feed's handle, or the Bluesky actor of an author feed or
    repo listing (each Bluesky poll makes those). None for the requests about other accounts a poll makes
    (a reposted subject's profile or post), and for DID documents."""
    if entry["path"].startswith("/rss/"):
        return entry["path"].removeprefix("/rss/")
    if entry["path"].endswith(("app.bsky.feed.getAuthorFeed", "com.atproto.repo.listRecords")):
        who = entry["query"].get("actor") or entry["query"].get("repo")
        return dids.get(who, who)
    return None


async def test_three_workers_two_killed_mid_poll_then_restarted_lose_and_repeat_nothing(postgres, tmp_path):
    url = postgres.create()
    start = INCIDENT - (INCIDENT - parse_time("2020-12-09T00:00:00Z"))
    world = World(Clock(start, 0.0))
    volume = [a for a in synthetic(RSS_ACCOUNTS * 4, start=start, history=6, future=4) if a.platform == "rss"]
    world.load(volume)
    bluesky, incidents = incident_world(world)
    rss = sorted({a.account for a in volume})
    assert len(rss) == RSS_ACCOUNTS
    dids = {world.account("bluesky", h).did: h for h in bluesky}
    async with FakeWebhook() as hook, MockFeedServer(world) as server, await Database.open(url) as db:
        server.request_log = []
        # Some answers take a while, so that a poll is often in flight when a worker is killed.
        server.add_fault(FaultRule("slow", service="rss", probability=0.1, delay=0.25))
        async with db.transaction() as tx:
            for n, handle in enumerate(rss):  # one in ten with the webhook: the rest print to a terminal
                hooked = hook.url if n % 10 == 0 else None
                await watch_store.add(tx, WatchedAccount("rss", handle, role="ministry", webhook_url=hooked))
            for handle in bluesky:
                await watch_store.add(
                    tx, WatchedAccount("bluesky", handle, role="embassy", country="CN", host_country="US",
                                       webhook_url=hook.url),
                )  # fmt: skip
        workers = Workers(url, server, tmp_path)

        async def count(sql: str, *args) -> int:
            async with db.conn.execute(sql, args) as cur:
                return (await cur.fetchone())[0]

        async def holders() -> Counter:
            async with db.conn.execute(
                "SELECT holder, COUNT(*) FROM leases WHERE expires_at > extract(epoch FROM clock_timestamp())"
                " GROUP BY holder"
            ) as cur:
                return Counter({r[0]: r[1] for r in await cur.fetchall()})

        def in_flight(name: str) -> bool:
            return any(e["end"] is None and f"worker/{name}" in e["user_agent"] for e in server.request_log or [])

        killed: dict[str, float] = {}  # worker -> when its first process was killed
        restarted: dict[str, float] = {}  # worker -> when its second process started

        async def kill_mid_poll(name: str) -> None:
            async def polling():
                return in_flight(name)

            await until(polling, f"a poll by {name} in flight")
            workers.kill(name)
            killed[name] = time.monotonic()

            # its leases lapse and the others take every account over
            async def taken_over():
                held = await holders()
                return name not in held and sum(held.values()) == RSS_ACCOUNTS + INCIDENT_ACCOUNTS

            await until(taken_over, f"the accounts of {name} taken over")

        try:
            for name in ("w1", "w2", "w3"):
                await workers.start(name)

            async def backfilled():
                return await count("SELECT COUNT(*) FROM cursors WHERE last_ok_at IS NOT NULL") == len(rss) + len(
                    bluesky
                )

            await until(backfilled, "every account's first poll")

            async def shared():
                return len(await holders()) == 3

            await until(shared, "the accounts shared between the three")
            ready = time.monotonic()
            world.clock.advance(3600)  # new activity on every account, then the incidents
            world.load(incidents, served_as="bluesky", release_now=True)
            await kill_mid_poll("w1")
            world.clock.advance(3600)
            await kill_mid_poll("w2")
            for name in ("w1", "w2"):  # started again
                restarted[name] = time.monotonic()
                await workers.start(name)

            await until(shared, "the restarted workers taking their share")
            world.clock.advance(3 * 3600)  # the rest of every account's activity

            async def caught_up():
                stored = await count("SELECT COUNT(*) FROM activities WHERE platform = 'rss'")
                alerts = await count("SELECT COUNT(DISTINCT account) FROM alerts WHERE platform = 'bluesky'")
                waiting = await count(
                    "SELECT COUNT(*) FROM outbox WHERE destination LIKE 'webhook:%' AND state <> 'sent'"
                )
                return stored == len(volume) and alerts == len(bluesky) and waiting == 0

            await until(caught_up, "every activity stored and every alert delivered")
            since = max(restarted.values())

            async def all_polled_again():  # no account was left behind by the kills and restarts
                polled = {account_of(e, dids) for e in server.request_log or [] if e["start"] >= since}
                return polled >= set(rss) | set(bluesky)

            await until(all_polled_again, "every account polled after the restarts")
        finally:
            codes = await workers.stop_all()
        log = list(server.request_log)

        async with db.conn.execute("SELECT id, body FROM alerts") as cur:
            alerts = {r[0]: json.loads(r[1]) for r in await cur.fetchall()}
        async with db.conn.execute("SELECT alert_id FROM outbox WHERE destination LIKE 'webhook:%'") as cur:
            queued = [r[0] for r in await cur.fetchall()]
        rejects = await count("SELECT COUNT(*) FROM rejects")
        rss_stored = await count("SELECT COUNT(DISTINCT id) FROM activities WHERE platform = 'rss'")

    stderr = {p.stem: p.read_text() for p in tmp_path.glob("*.log")}
    assert all(code == 0 for code in codes.values()), (codes, {k: v[-2000:] for k, v in stderr.items()})
    assert not [k for k, v in stderr.items() if "Traceback" in v], {k: v[-3000:] for k, v in stderr.items()}
    # every activity stored once (none lost, none kept aside as a duplicate with other content)
    assert rss_stored == len(volume) and rejects == 0
    # every alert raised once (an activity's own alert, and at most one for the group it is in) and delivered once
    raised = Counter(
        (a["activity_id"], tuple(sorted(a.get("activity_ids") or [])), tuple(sorted(a.get("accounts") or [])))
        for a in alerts.values()
    )
    assert max(raised.values()) == 1, raised.most_common(3)
    assert {a["account"] for a in alerts.values()} >= set(bluesky)  # every incident caught
    posted = Counter(m["embeds"][0]["footer"]["text"].split()[1] for m in hook.messages)
    assert posted
    # Once, and only one way to twice: webhooks take no idempotency key, so a worker killed after Discord
    # took a message but before it wrote the message down leaves that row to be posted again (the window
    # docs/scaling.md describes). A second copy is allowed only when the first came from a worker's process
    # that was killed after it. The webhook receiver notes a message when it has read it, which can be just
    # after the kill for one sent just before it; a restarted process has the same name but only starts
    # once the others have taken its accounts over, so a first copy noted before the restart came from
    # the killed process. Any other is a real double post.
    first: dict[str, tuple[float, str]] = {}
    for message, (at, agent) in zip(hook.messages, hook.senders, strict=True):
        alert_id = message["embeds"][0]["footer"]["text"].split()[1]
        if alert_id not in first:
            first[alert_id] = (at, agent)
            continue
        at_first, agent_first = first[alert_id]
        sender = UA.search(agent_first)
        name = sender.group(1) if sender else agent_first
        assert posted[alert_id] == 2 and name in killed and at_first < restarted[name], (
            alert_id,
            posted[alert_id],
            agent_first,
            killed,
            restarted,
        )
    assert set(posted) == set(queued) and len(queued) == len(set(queued))

    by_account: dict[str, list[dict]] = defaultdict(list)
    for entry in log:
        who, worker = account_of(entry, dids), UA.search(entry["user_agent"])
        assert worker, entry
        if who is not None:
            by_account[who].append({**entry, "worker": worker.group(1)})
    assert set(rss) | set(bluesky) <= set(by_account)
    for who, entries in by_account.items():
        entries.sort(key=lambda e: e["start"])
        # never two workers at once: a request starts after every other worker's requests ended
        ended: dict[str, float] = {}
        for e in entries:
            others = [end for w, end in ended.items() if w != e["worker"]]
            assert all(end <= e["start"] for end in others), f"{who} polled by two workers at once: " + "; ".join(
                f"{x['worker']} {x['start'] - ready:.3f}-{(x['end'] or 0) - ready:.3f}" for x in entries
            )
            ended[e["worker"]] = max(ended.get(e["worker"], 0.0), e["end"] or float("inf"))
