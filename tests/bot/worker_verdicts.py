"""A trained embassy on the `fixture` platform, and the out-of-character post a moderator rules on, for the
tests of verdicts reaching the worker that holds the account (tests/bot/test_worker_verdicts.py and
tests/cogs/test_discord_gateway_workers.py)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from bot.activity import Activity, parse_activity
from bot.alerts import severity_for
from bot.profile import AccountMeta, ProfileBook
from storage import baselines as baseline_store
from storage.db import Database
from tests.profile.helpers import act, history, workday_after

HANDLE = "ExampleEmbassy"
KEY = ("fixture", HANDLE)
META = AccountMeta(platform="fixture", handle=HANDLE, role="embassy", country="CN", host_country="US")


def on_fixture(activity: Activity) -> Activity:
    """The same record under the `fixture` platform: the account's profile and its lease share one key."""
    return parse_activity({**activity.to_dict(with_raw=False), "platform": "fixture"})


def past() -> list[Activity]:
    """Weeks of ordinary behaviour: English and French, office hours, one client."""
    return [on_fixture(a) for a in history(400, account=HANDLE)]


def odd(at: datetime, n: int) -> Activity:
    """A post in Russian at 03:12 from another client: out of character until a moderator says otherwise."""
    text = "Посол встретился со студентами сегодня вечером"
    return on_fixture(act("post", at, HANDLE, ident=f"x:odd{n}", client="Twitter Web App", lang="ru", text=text))


def night(after: datetime) -> datetime:
    return workday_after(after, hour=3)


def append(feed: Path, *activities: Activity) -> None:
    with feed.open("a", encoding="utf-8") as out:
        for a in activities:
            out.write(json.dumps(a.to_dict(with_raw=False)) + "\n")


async def stored_profile(db: Database) -> ProfileBook:
    """The account's profile as its stored baseline has it: what a worker taking the account over loads."""
    book = ProfileBook()
    stored = await baseline_store.load_for(db, [KEY])
    book.load(*KEY, stored[KEY])
    return book


async def alerts_on(db: Database, activity_id: str) -> list[str]:
    async with db.conn.execute("SELECT id FROM alerts WHERE activity_id = ? ORDER BY id", (activity_id,)) as cur:
        return [r["id"] for r in await cur.fetchall()]


async def stored(db: Database, activity_id: str) -> bool:
    async with db.conn.execute("SELECT 1 FROM activities WHERE id = ?", (activity_id,)) as cur:
        return await cur.fetchone() is not None


def alerts_for(book: ProfileBook, activity: Activity) -> bool:
    return severity_for(book.score(activity, META).score) is not None
