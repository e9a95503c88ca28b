"""Activities, stored once each (idempotent on platform + id), and the malformed records kept aside."""

from __future__ import annotations

import json
from typing import Iterable

from bot.activity import Activity, parse_activity
from storage.db import Database


async def store_new(db: Database, activities: list[Activity]) -> list[Activity]:
    """Insert the activities not seen before; return exactly those (in the given order).

    The caller commits: a batch and whatever it leads to (alerts, outbox) land together.
    """
    if not activities:
        return []
    fresh: list[Activity] = []
    seen_in_batch: set[tuple[str, str]] = set()
    for activity in activities:
        if activity.key in seen_in_batch:
            continue
        cursor = await db.conn.execute(
            "INSERT OR IGNORE INTO activities (platform, id, account, kind, at, record, raw)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                activity.platform, activity.id, activity.account, activity.kind, activity.at_iso,
                activity.to_json(with_raw=False),
                None if activity.raw is None else json.dumps(activity.raw, ensure_ascii=False),
            ),
        )
        if cursor.rowcount:
            fresh.append(activity)
            seen_in_batch.add(activity.key)
    return fresh


async def count(db: Database, platform: str | None = None, account: str | None = None) -> int:
    sql, args = "SELECT COUNT(*) FROM activities", []
    if platform and account:
        sql += " WHERE platform = ? AND account = ?"
        args = [platform, account]
    async with db.conn.execute(sql, args) as cur:
        return (await cur.fetchone())[0]


async def get(db: Database, platform: str, activity_id: str) -> Activity | None:
    async with db.conn.execute(
        "SELECT record, raw FROM activities WHERE platform = ? AND id = ?", (platform, activity_id)
    ) as cur:
        row = await cur.fetchone()
    if row is None:
        return None
    data = json.loads(row["record"])
    if row["raw"] is not None:
        data["raw"] = json.loads(row["raw"])
    return parse_activity(data)


async def keep_rejects(db: Database, rejects: Iterable[tuple[str, int | None, str, str]]) -> int:
    """Keep malformed records: (source, line, reason, record text). The same reject twice is kept once."""
    rows = list(rejects)
    if rows:
        await db.conn.executemany(
            "INSERT OR IGNORE INTO rejects (source, line, reason, record) VALUES (?, ?, ?, ?)", rows
        )
    return len(rows)


async def list_rejects(db: Database, limit: int = 100) -> list[dict]:
    async with db.conn.execute(
        "SELECT source, line, reason, record, kept_at FROM rejects ORDER BY seq LIMIT ?", (limit,)
    ) as cur:
        return [dict(row) for row in await cur.fetchall()]
