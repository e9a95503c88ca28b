"""Alerts and the outbox: an alert is written once, then waits in the outbox until delivered."""

from __future__ import annotations

import json
from typing import Sequence

from bot.alerts import Alert
from storage.db import Database, Transaction, writing


async def save(tx: Transaction, alert: Alert, destinations: Sequence[str | tuple[str, int | None]]) -> bool:
    """Store the alert and queue it for each destination, given as 'kind:id' or ('kind:id', guild id of
    the server it is for); False when it existed already."""
    conn = writing(tx)
    cursor = await conn.execute(
        "INSERT INTO alerts (id, activity_id, platform, account, kind, at, score, severity, body)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (
            alert.id,
            alert.activity_id,
            alert.platform,
            alert.account,
            alert.kind,
            alert.at,
            alert.score,
            alert.severity,
            json.dumps(alert.to_dict(), ensure_ascii=False),
        ),
    )
    if not cursor.rowcount:
        return False
    rows = [(d, None) if isinstance(d, str) else tuple(d) for d in destinations]
    await conn.executemany(
        "INSERT INTO outbox (alert_id, destination, guild_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        [(alert.id, destination, guild) for destination, guild in rows],
    )
    return True


async def get(db: Database, alert_id: str) -> Alert | None:
    async with db.conn.execute("SELECT body FROM alerts WHERE id = ?", (alert_id,)) as cur:
        row = await cur.fetchone()
    return None if row is None else Alert.from_dict(json.loads(row["body"]))


async def for_activity(tx: Transaction, platform: str, activity_id: str) -> list[Alert]:
    """The alerts raised on one activity (read inside the transaction that will add to them)."""
    async with writing(tx).execute(
        "SELECT body FROM alerts WHERE platform = ? AND activity_id = ? ORDER BY id", (platform, activity_id)
    ) as cur:
        rows = await cur.fetchall()
    return [Alert.from_dict(json.loads(row["body"])) for row in rows]


async def latest_on_account(tx: Transaction, platform: str, account: str, since: str, until: str) -> Alert | None:
    """The account's latest alert on an activity of `since` to `until` (RFC 3339 times, read inside the
    transaction that saves the next one): where a story of several alerts stands."""
    async with writing(tx).execute(
        "SELECT body FROM alerts WHERE platform = ? AND account = ? AND at >= ? AND at <= ? ORDER BY at DESC, id DESC"
        " LIMIT 1",
        (platform, account, since, until),
    ) as cur:
        row = await cur.fetchone()
    return None if row is None else Alert.from_dict(json.loads(row["body"]))


async def set_verdict(tx: Transaction, alert_id: str, verdict: str, by: str, guild: int = 0) -> bool:
    """A server's verdict on an alert (guild 0: the headless scope); the server's own, seen by no other."""
    if verdict not in ("confirmed", "false_alarm"):
        raise ValueError(f"verdict must be 'confirmed' or 'false_alarm', not {verdict!r}")
    conn = writing(tx)
    async with conn.execute("SELECT 1 FROM alerts WHERE id = ?", (alert_id,)) as cur:
        if await cur.fetchone() is None:
            return False
    await conn.execute(
        "INSERT INTO verdicts (alert_id, guild_id, verdict, verdict_by) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (alert_id, guild_id) DO UPDATE SET verdict = excluded.verdict,"
        " verdict_by = excluded.verdict_by, verdict_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
        (alert_id, guild, verdict, by),
    )
    return True


async def verdict_of(db, alert_id: str, guild: int = 0) -> tuple[str | None, str | None]:
    """(verdict, by) of one server on an alert; (None, None) before it decided."""
    async with db.conn.execute(
        "SELECT verdict, verdict_by FROM verdicts WHERE alert_id = ? AND guild_id = ?", (alert_id, guild)
    ) as cur:
        row = await cur.fetchone()
    return (row["verdict"], row["verdict_by"]) if row else (None, None)


async def agreed_verdict(db, alert_id: str) -> str | None:
    """The verdict every server that received the alert gave, once they all agree; None until then.

    What an alert teaches the parts the servers share (the account's profile, the incident library) is
    one server's business only when it is every receiving server's verdict."""
    async with db.conn.execute(
        "SELECT DISTINCT guild_id FROM outbox WHERE alert_id = ? AND guild_id IS NOT NULL AND guild_id != 0",
        (alert_id,),
    ) as cur:
        receivers = {r[0] for r in await cur.fetchall()}
    async with db.conn.execute("SELECT guild_id, verdict FROM verdicts WHERE alert_id = ?", (alert_id,)) as cur:
        given = {r[0]: r[1] for r in await cur.fetchall()}
    deciders = receivers or set(given)
    verdicts = {given.get(g) for g in deciders}
    return next(iter(verdicts)) if len(verdicts) == 1 and None not in verdicts else None


async def pending(db: Database, destination_prefix: str, now_iso: str, limit: int = 20) -> list[dict]:
    """Outbox rows due for delivery, oldest first, with their alert."""
    async with db.conn.execute(
        "SELECT o.seq, o.alert_id, o.destination, o.attempts, o.guild_id, o.maybe_posted, a.body FROM outbox o"
        " JOIN alerts a ON a.id = o.alert_id"
        " WHERE o.state = 'pending' AND o.destination LIKE ? AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?)"
        " ORDER BY o.seq LIMIT ?",
        (destination_prefix + "%", now_iso, limit),
    ) as cur:
        rows = await cur.fetchall()
    return [outbox_row(r) for r in rows]


def outbox_row(row) -> dict:
    """An outbox row joined with its alert's body -> what a delivery loop works with (guild_id: the scope
    it was queued for, None before migration 0006)."""
    return {
        "seq": row["seq"],
        "alert_id": row["alert_id"],
        "destination": row["destination"],
        "attempts": row["attempts"],
        "guild_id": row["guild_id"],
        "maybe_posted": bool(row["maybe_posted"]),  # an earlier attempt's answer was lost (migration 0010)
        "alert": Alert.from_dict(json.loads(row["body"])),
    }


async def mark_sent(tx: Transaction, seq: int, message_id: str) -> None:
    await writing(tx).execute(
        "UPDATE outbox SET state = 'sent', message_id = ?, last_error = NULL,"
        " sent_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE seq = ?",
        (message_id, seq),
    )
