"""Alerts and the outbox: an alert is written once, then waits in the outbox until delivered."""

from __future__ import annotations

import json

from bot.alerts import Alert
from storage.db import Database, Transaction, writing


async def save(tx: Transaction, alert: Alert, destinations: list[str]) -> bool:
    """Store the alert and queue it for each destination; False when it existed already."""
    conn = writing(tx)
    cursor = await conn.execute(
        "INSERT OR IGNORE INTO alerts (id, activity_id, platform, account, kind, at, score, severity, body)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            alert.id, alert.activity_id, alert.platform, alert.account, alert.kind, alert.at,
            alert.score, alert.severity, json.dumps(alert.to_dict(), ensure_ascii=False),
        ),
    )
    if not cursor.rowcount:
        return False
    await conn.executemany(
        "INSERT OR IGNORE INTO outbox (alert_id, destination) VALUES (?, ?)",
        [(alert.id, destination) for destination in destinations],
    )
    return True


async def get(db: Database, alert_id: str) -> Alert | None:
    async with db.conn.execute("SELECT body FROM alerts WHERE id = ?", (alert_id,)) as cur:
        row = await cur.fetchone()
    return None if row is None else Alert.from_dict(json.loads(row["body"]))


async def set_verdict(tx: Transaction, alert_id: str, verdict: str, by: str) -> bool:
    if verdict not in ("confirmed", "false_alarm"):
        raise ValueError(f"verdict must be 'confirmed' or 'false_alarm', not {verdict!r}")
    cursor = await writing(tx).execute(
        "UPDATE alerts SET verdict = ?, verdict_by = ?, verdict_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
        " WHERE id = ?",
        (verdict, by, alert_id),
    )
    return bool(cursor.rowcount)


async def pending(db: Database, destination_prefix: str, now_iso: str, limit: int = 20) -> list[dict]:
    """Outbox rows due for delivery, oldest first, with their alert."""
    async with db.conn.execute(
        "SELECT o.seq, o.alert_id, o.destination, o.attempts, a.body FROM outbox o"
        " JOIN alerts a ON a.id = o.alert_id"
        " WHERE o.state = 'pending' AND o.destination LIKE ? AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?)"
        " ORDER BY o.seq LIMIT ?",
        (destination_prefix + "%", now_iso, limit),
    ) as cur:
        rows = await cur.fetchall()
    return [outbox_row(r) for r in rows]


def outbox_row(row) -> dict:
    """An outbox row joined with its alert's body -> what a delivery loop works with."""
    return {"seq": row["seq"], "alert_id": row["alert_id"], "destination": row["destination"],
            "attempts": row["attempts"], "alert": Alert.from_dict(json.loads(row["body"]))}


async def mark_sent(tx: Transaction, seq: int, message_id: str) -> None:
    await writing(tx).execute(
        "UPDATE outbox SET state = 'sent', message_id = ?, last_error = NULL,"
        " sent_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE seq = ?",
        (message_id, seq),
    )
