"""Activities, stored once each (idempotent on platform + id), and the malformed records kept aside."""

from __future__ import annotations

import json
from typing import Iterable

from bot.activity import Activity, escape_surrogates, parse_activity
from storage.db import Database, Transaction, writing

# Kinds a source dates at poll time: the same item seen again carries another time, not other content.
POLL_TIMED = ("status", "profile", "delete", "unlike", "unfollow")
CONFLICT_SOURCE = "storage: duplicate id"


def _dump(value) -> str:
    """JSON for a TEXT column: a lone surrogate (valid JSON, invalid UTF-8) is kept as an escape."""
    return escape_surrogates(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def _content(record: dict) -> dict:
    return {k: v for k, v in record.items() if not (k == "at" and record.get("kind") in POLL_TIMED)}


async def store_new(
    tx: Transaction, activities: list[Activity], conflicts: list[tuple[Activity, str]] | None = None
) -> list[Activity]:
    """Insert the activities not seen before; return exactly those (in the given order).

    An activity whose id is already stored with other content is not stored: it is kept aside in
    the rejects as a conflict (and added to `conflicts` with the reason, when given).
    Part of the caller's transaction: a batch and whatever it leads to (alerts, outbox) land together.
    """
    conn = writing(tx)
    if not activities:
        return []
    fresh: list[Activity] = []
    stored_in_batch: dict[tuple[str, str], dict] = {}
    for activity in activities:
        record = activity.to_dict(with_raw=False)
        earlier = stored_in_batch.get(activity.key)
        if earlier is None:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO activities (platform, id, account, kind, at, record, raw)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    activity.platform,
                    activity.id,
                    activity.account,
                    activity.kind,
                    activity.at_iso,
                    _dump(record),
                    None if activity.raw is None else _dump(activity.raw),
                ),
            )
            if cursor.rowcount:
                fresh.append(activity)
                stored_in_batch[activity.key] = record
                continue
            async with conn.execute("SELECT record FROM activities WHERE platform = ? AND id = ?", activity.key) as cur:
                row = await cur.fetchone()
            earlier = json.loads(row["record"]) if row else record
        if _content(earlier) != _content(json.loads(_dump(record))):
            changed = sorted(
                k for k in set(earlier) | set(record) if _content(earlier).get(k) != _content(record).get(k)
            )
            reason = (
                f"conflict: {activity.platform} id {activity.id!r} is already stored with other content"
                f" (differs in {', '.join(changed)}); the stored one is kept"
            )
            await keep_rejects(tx, [(CONFLICT_SOURCE, 0, reason, activity.to_json())])
            if conflicts is not None:
                conflicts.append((activity, reason))
    return fresh


async def count(db: Database, platform: str | None = None, account: str | None = None) -> int:
    sql, args = "SELECT COUNT(*) FROM activities", []
    if platform and account:
        sql += " WHERE platform = ? AND account = ?"
        args = [platform, account]
    async with db.conn.execute(sql, args) as cur:
        return (await cur.fetchone() or (0,))[0]  # an aggregate: always one row


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


async def keep_rejects(tx: Transaction, rejects: Iterable[tuple[str, int | None, str, str]]) -> int:
    """Keep malformed records: (source, line, reason, record text). The same reject twice is kept once."""
    conn = writing(tx)
    rows = [
        (escape_surrogates(str(source)), line, escape_surrogates(reason), escape_surrogates(record))
        for source, line, reason, record in rejects
    ]
    if rows:
        await conn.executemany("INSERT OR IGNORE INTO rejects (source, line, reason, record) VALUES (?, ?, ?, ?)", rows)
    return len(rows)


async def list_rejects(db: Database, limit: int = 100) -> list[dict]:
    async with db.conn.execute(
        "SELECT source, line, reason, record, kept_at FROM rejects ORDER BY seq LIMIT ?", (limit,)
    ) as cur:
        return [dict(row) for row in await cur.fetchall()]
