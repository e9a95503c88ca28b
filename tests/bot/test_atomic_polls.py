"""A poll is one transaction: failed or cancelled at any await point, it leaves no trace, neither in the
database nor in the profiles the pipeline keeps in memory.

The script below (two accounts: a backfill, then appended lines with ordinary activity, alerts and a
coordinated pair) is run once cleanly. It is then run again with a fault injected at every database await
point of the polls in turn, once as an exception and once as a cancellation (the task is cancelled while
SQLite works on the statement), with and without a restart after the fault. Each run must end with the same
activities (each stored once), the same alerts (each raised once, delivered once) and the same baselines as
a clean run. A restart reloads baselines from their stored form (rounded, see docs/storage.md), so the runs
with restarts are compared with a clean run that restarts before the same polls.
"""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone

import pytest

from bot.pipeline import Pipeline
from bot.scheduler import Poller
from bot.sources import SourceSettings
from bot.terminal import deliver_pending
from bot.watch import WatchedAccount
from storage import watch as watch_store
from storage.db import Database

ACCOUNTS = ("ExampleMFA", "ExampleEmb")
START = datetime(2021, 3, 1, 9, tzinfo=timezone.utc)


def _line(account: str, ident: str, at: datetime, kind: str = "post", **extra) -> str:
    record = {
        "id": f"x:{ident}",
        "platform": "x",
        "account": account,
        "kind": kind,
        "at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "lang": "en",
        "client": "Twitter Web App",
        **extra,
    }
    if kind == "post" and "text" not in extra:
        record["text"] = f"The minister met partners on trade and climate, meeting {ident}"
    return json.dumps(record) + "\n"


def _steps() -> list[dict[str, list[str]]]:
    """What is appended to each feed before each round of polls (the first round is the backfill)."""
    history = {
        a: [_line(a, f"{a}-{i}", START + timedelta(hours=6 * i, minutes=k)) for i in range(36)]
        for k, a in enumerate(ACCOUNTS)
    }
    later = START + timedelta(days=10)
    ordinary = {
        a: [_line(a, f"{a}-n{i}", later + timedelta(hours=3 * i, minutes=k)) for i in range(3)]
        for k, a in enumerate(ACCOUNTS)
    }
    night = later + timedelta(days=1, hours=17)  # 02:00 the next night
    odd = {
        "ExampleMFA": [
            _line(
                "ExampleMFA",
                "r1",
                night,
                "repost",
                target={"id": "x:777", "account": "realDonaldTrump", "text": "Why was the election not overturned?"},
            ),
            _line("ExampleMFA", "d1", night + timedelta(minutes=2), "delete", target={"id": "x:r1"}),
        ],
        "ExampleEmb": [
            _line(
                "ExampleEmb",
                "r2",
                night + timedelta(seconds=40),
                "repost",
                target={"id": "x:777", "account": "realDonaldTrump", "text": "Why was the election not overturned?"},
            ),
            _line(
                "ExampleEmb",
                "p2",
                night + timedelta(minutes=5),
                text="Bitcoin giveaway! Send 1 BTC to double it at https://btc-double.example/claim",
            ),
        ],
    }
    return [history, ordinary, odd]


class FaultAt:
    """Stands in for the aiosqlite connection: the n-th statement or commit (counting from 0) fails or
    has its task cancelled while SQLite runs it; everything else goes to the real connection."""

    def __init__(self, conn, at: int | None, mode: str):
        self._conn, self.at, self.mode, self.count = conn, at, mode, 0
        self.armed = True

    def __getattr__(self, name):
        return getattr(self._conn, name)

    def _point(self) -> None:
        if not self.armed:
            return
        n, self.count = self.count, self.count + 1
        if n != self.at:
            return
        if self.mode == "error":
            raise OSError("disk I/O error (injected)")
        task = asyncio.current_task()
        assert task is not None
        task.cancel()  # the statement still runs in SQLite's thread

    def execute(self, *args, **kwargs):
        self._point()
        return self._conn.execute(*args, **kwargs)

    def executemany(self, *args, **kwargs):
        self._point()
        return self._conn.executemany(*args, **kwargs)

    def commit(self):
        self._point()
        return self._conn.commit()


class Run:
    """The bot's live path for the script: watch list, poller and pipeline on one SQLite file."""

    def __init__(
        self,
        tmp_path,
        at: int | None = None,
        mode: str = "error",
        restart: bool = True,
        restart_before: set[int] | None = None,
    ):
        self.tmp, self.at, self.mode, self.restart = tmp_path, at, mode, restart
        self.restart_before = restart_before or set()
        self.restarted_before: set[int] = set()
        self.printed: list[str] = []
        self.faults = 0

    async def open(self) -> None:
        self.db = await Database.open(self.tmp / "live.db")
        self.fault = FaultAt(self.db.conn, None, self.mode)
        self.db.conn = self.fault
        self.pipeline = Pipeline(self.db)
        await self.pipeline.load_baselines()
        self.poller = Poller(self.pipeline, SourceSettings(fixture_dir=self.tmp), interval=3600)
        await self.poller.refresh()

    async def close(self) -> None:
        await self.poller.stop()
        self.db.conn = self.fault._conn
        await self.db.close()  # closing an open transaction rolls it back, as a crash would

    async def run(self) -> None:
        async with self._opened():
            async with self.db.transaction() as tx:
                for handle in ACCOUNTS:
                    await watch_store.add(tx, WatchedAccount("fixture", handle, role="embassy", country="XX"))
            await self.poller.refresh()
        await self.open()
        self.fault.at, poll = self.at, 0
        for step in _steps():
            for handle, lines in step.items():
                with (self.tmp / f"{handle}.jsonl").open("a") as feed:
                    feed.writelines(lines)
            for handle in ACCOUNTS:
                while True:
                    if poll in self.restart_before and poll not in self.restarted_before:
                        self.restarted_before.add(poll)
                        await self._restart()
                    before = await self._cursor(handle)
                    try:
                        outcome = await asyncio.create_task(self.poller.poll_account("fixture", handle))
                        if outcome.error is not None and "(injected)" in outcome.error:
                            # a fault while storing is recorded as the poll's failure, with a backoff: once
                            # it is over, the poll is tried again, as after a fault that propagated
                            await self._backoff_over(handle)
                            raise OSError(outcome.error)
                        assert outcome.error is None, outcome.error
                        break
                    except (OSError, asyncio.CancelledError):
                        self.faults += 1
                        # A cancellation that came while SQLite committed leaves the poll committed: the
                        # restart then comes after it (and polling it again finds nothing new).
                        committed = await self._cursor(handle) != before
                        self.restarted_before.add(poll + 1 if committed else poll)
                        if self.restart:
                            await self._restart()
                poll += 1
            self.fault.armed = False  # delivery is not under test here: it prints, then marks as sent
            self.printed += [alert.id for alert in await deliver_pending(self.db, write=lambda text: None)]
            self.fault.armed = True
        self.fault.armed = False
        await self.pipeline.close()
        await self.close()

    async def _cursor(self, handle: str) -> str | None:
        armed, self.fault.armed = self.fault.armed, False
        try:
            return (await watch_store.get_cursor(self.db, "fixture", handle) or {}).get("cursor")
        finally:
            self.fault.armed = armed

    async def _backoff_over(self, handle: str) -> None:
        armed, self.fault.armed = self.fault.armed, False
        try:
            async with self.db.transaction() as tx:
                await watch_store.save_cursor(tx, "fixture", handle, paused_until=None)
        finally:
            self.fault.armed = armed

    async def _restart(self) -> None:
        await self.close()
        await self.open()
        self.fault.at = None  # one fault per run

    def _opened(self):
        run = self

        class _Ctx:
            async def __aenter__(self):
                await run.open()

            async def __aexit__(self, *exc):
                await run.close()

        return _Ctx()

    async def outcome(self) -> dict:
        db = await Database.open(self.tmp / "live.db")
        try:

            async def rows(sql):
                async with db.conn.execute(sql) as cur:
                    return [tuple(r) for r in await cur.fetchall()]

            return {
                "activities": await rows("SELECT platform, id, record FROM activities ORDER BY platform, id"),
                "alerts": await rows("SELECT id, score, severity FROM alerts ORDER BY id"),
                "outbox": await rows("SELECT alert_id, destination, state FROM outbox ORDER BY alert_id"),
                "baselines": {
                    (p, a): json.loads(s) for p, a, s in await rows("SELECT platform, account, state FROM baselines")
                },
                "cursors": await rows("SELECT platform, handle, cursor FROM cursors ORDER BY handle"),
                "printed": sorted(self.printed),
            }
        finally:
            await db.close()


async def _clean(tmp_path, restart_before=frozenset()) -> tuple[dict, int]:
    run = Run(tmp_path, restart_before=set(restart_before))
    await run.run()
    return await run.outcome(), run.fault.count


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    outcome, points = asyncio.run(_clean(tmp_path_factory.mktemp("clean")))
    return outcome, points


def test_the_clean_run_alerts_and_delivers_each_alert_once(clean):
    outcome, points = clean
    assert len(outcome["activities"]) == 2 * 36 + 2 * 3 + 4
    assert outcome["alerts"], "the script must raise alerts, or it shows nothing"
    assert sorted({a[0] for a in outcome["alerts"]}) == outcome["printed"]  # each once, all delivered
    assert {state for _, _, state in outcome["outbox"]} == {"sent"}
    assert points > 20


@pytest.mark.parametrize("mode", ["error", "cancel"])
@pytest.mark.parametrize("restart", [True, False], ids=["restart", "same-process"])
async def test_a_fault_at_any_await_point_of_a_poll_leaves_no_trace(tmp_path, clean, mode, restart):
    expected, points = clean
    references: dict[frozenset, dict] = {}
    for at in range(points):
        where = tmp_path / f"{at}"
        where.mkdir()
        run = Run(where, at=at, mode=mode, restart=restart)
        await run.run()
        assert run.faults <= 1
        got = await run.outcome()
        want = expected
        if restart and run.restarted_before:
            key = frozenset(run.restarted_before)
            if key not in references:  # a clean run that restarts before the same poll
                ref = tmp_path / f"ref-{len(references)}"
                ref.mkdir()
                references[key], _ = await _clean(ref, key)
            want = references[key]
        for part in ("activities", "alerts", "outbox", "baselines", "cursors", "printed"):
            assert got[part] == want[part], f"{mode} at await point {at}: {part} differ from a clean run"
        assert len(got["printed"]) == len(set(got["printed"])), f"{mode} at {at}: an alert was delivered twice"
