"""Activities, stored once each (idempotent on platform + id), and the malformed records kept aside."""

from __future__ import annotations

import json
from typing import Iterable

import orjson

from bot.activity import Activity, escape_surrogates, parse_activity
from storage.db import Database, Transaction, writing

# Kinds a source dates at poll time: the same item seen again carries another time, not other content.
POLL_TIMED = ("status", "profile", "delete", "unlike", "unfollow")
CONFLICT_SOURCE = "storage: duplicate id"


def _dump(value) -> str:
    """JSON for a TEXT column: a lone surrogate (valid JSON, invalid UTF-8) is kept as an escape.
    orjson writes the usual record about 5x faster than the standard library; it refuses a lone
    surrogate, which the standard library then writes and escape_surrogates makes storable."""
    try:
        return orjson.dumps(value).decode("utf-8")
    except (orjson.JSONEncodeError, TypeError):
        return escape_surrogates(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def _content(record: dict) -> dict:
    return {k: v for k, v in record.items() if not (k == "at" and record.get("kind") in POLL_TIMED)}


# ids asked about in one query: well under SQLite's limit on bound parameters (32,766 since 3.32)
_CHUNK = 500


async def _stored_records(conn, keys: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(platform, id) -> record JSON, for the keys already stored."""
    by_platform: dict[str, list[str]] = {}
    for platform, ident in keys:
        by_platform.setdefault(platform, []).append(ident)
    found: dict[tuple[str, str], str] = {}
    for platform, idents in by_platform.items():
        for i in range(0, len(idents), _CHUNK):
            chunk = idents[i : i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            async with conn.execute(
                f"SELECT id, record FROM activities WHERE platform = ? AND id IN ({marks})", (platform, *chunk)
            ) as cur:
                for row in await cur.fetchall():
                    found[(platform, row[0])] = row[1]
    return found


async def store_new(
    tx: Transaction, activities: list[Activity], conflicts: list[tuple[Activity, str]] | None = None
) -> list[Activity]:
    """Insert the activities not seen before; return exactly those (in the given order).

    An activity whose id is already stored with other content is not stored: it is kept aside in
    the rejects as a conflict (and added to `conflicts` with the reason, when given).
    Part of the caller's transaction: a batch and whatever it leads to (alerts, outbox) land together.
    One query finds the ids already stored and one executemany inserts the rest: a thread round-trip
    per batch, not per activity.
    """
    conn = writing(tx)
    if not activities:
        return []
    stored = await _stored_records(conn, list({a.key for a in activities}))
    fresh: list[Activity] = []
    rows: list[tuple] = []
    kept: dict[tuple[str, str], dict] = {}  # stored by this batch: its record
    clashes: list[tuple[Activity, dict, dict]] = []
    for activity in activities:
        key = activity.key
        record = activity.to_dict(with_raw=False)
        earlier = kept.get(key)
        if earlier is None:
            text = stored.get(key)
            if text is None:
                at = record["at"]
                rows.append(
                    (
                        activity.platform,
                        activity.id,
                        activity.account,
                        activity.kind,
                        at,
                        _dump(record),
                        None if activity.raw is None else _dump(activity.raw),
                    )
                )
                fresh.append(activity)
                kept[key] = record
                continue
            earlier = json.loads(text)
        clashes.append((activity, earlier, record))
    if rows:
        await conn.executemany(
            "INSERT INTO activities (platform, id, account, kind, at, record, raw) VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    for activity, earlier, record in clashes:
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
    rows = [(_text(str(source)), line, _text(reason), _text(record)) for source, line, reason, record in rejects]
    if rows:
        await conn.executemany(
            "INSERT INTO rejects (source, line, reason, record) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", rows
        )
    return len(rows)


def _text(value: str) -> str:
    """Storable in either store: lone surrogates and NUL (which PostgreSQL's text refuses) as JSON escapes."""
    return escape_surrogates(value).replace("\x00", "\\u0000")


async def list_rejects(db: Database, limit: int = 100) -> list[dict]:
    async with db.conn.execute(
        "SELECT source, line, reason, record, kept_at FROM rejects ORDER BY seq LIMIT ?", (limit,)
    ) as cur:
        return [dict(row) for row in await cur.fetchall()]
