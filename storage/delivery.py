"""Outbox state the Discord delivery loop needs beyond storage.alerts: paused destinations, due rows, counts."""

from __future__ import annotations

from storage.alerts import outbox_row
from storage.db import Database, Transaction, writing


async def due(db: Database, prefix: str, now_iso: str) -> list[dict]:
    """The oldest pending row of each destination, when it is due and the destination is not paused,
    oldest first. Only a destination's oldest row is ever offered, so nothing overtakes a row that waits
    for its retry."""
    async with db.conn.execute(
        "SELECT o.seq, o.alert_id, o.destination, o.attempts, o.guild_id, o.maybe_posted, a.body FROM outbox o"
        " JOIN (SELECT destination, MIN(seq) AS seq FROM outbox WHERE state = 'pending' AND destination LIKE ?"
        "       GROUP BY destination) head ON head.seq = o.seq"
        " JOIN alerts a ON a.id = o.alert_id"
        " LEFT JOIN destinations d ON d.destination = o.destination"
        " WHERE d.destination IS NULL AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?)"
        " ORDER BY o.seq",
        (prefix + "%", now_iso),
    ) as cur:
        rows = await cur.fetchall()
    return [outbox_row(r) for r in rows]


async def sent_message(db: Database, alert_id: str, destination: str) -> str | None:
    """The message an alert was posted as at a destination, once sent (None before, or if it never was)."""
    async with db.conn.execute(
        "SELECT message_id FROM outbox WHERE alert_id = ? AND destination = ? AND state = 'sent'",
        (alert_id, destination),
    ) as cur:
        row = await cur.fetchone()
    return None if row is None else row[0]


async def next_due_at(db: Database, prefix: str) -> str | None:
    """When the earliest waiting retry is due (None when nothing waits for a time)."""
    async with db.conn.execute(
        "SELECT MIN(o.next_attempt_at) FROM outbox o LEFT JOIN destinations d ON d.destination = o.destination"
        " WHERE o.state = 'pending' AND o.destination LIKE ? AND d.destination IS NULL",
        (prefix + "%",),
    ) as cur:
        return (await cur.fetchone() or (None,))[0]  # an aggregate: always one row


async def retry_later(
    tx: Transaction, seq: int, error: str, next_attempt_at: str | None, maybe_posted: bool = False
) -> None:
    """Count a failed attempt and say when to try again; `maybe_posted`: the request went out and its
    answer was lost, so the row may already be posted (kept through later failures until it is sent)."""
    await writing(tx).execute(
        "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?,"
        " maybe_posted = CASE WHEN ? = 1 THEN 1 ELSE maybe_posted END WHERE seq = ?",
        (error, next_attempt_at, int(maybe_posted), seq),
    )


async def give_up(tx: Transaction, seq: int, error: str) -> None:
    """A row Discord will never accept as it is (400): kept with its reason, shown in /watch status."""
    await writing(tx).execute(
        "UPDATE outbox SET attempts = attempts + 1, state = 'failed', last_error = ? WHERE seq = ?", (error, seq)
    )


async def pause(tx: Transaction, destination: str, reason: str) -> None:
    await writing(tx).execute(
        "INSERT INTO destinations (destination, reason) VALUES (?, ?)"
        " ON CONFLICT (destination) DO UPDATE SET reason = excluded.reason",
        (destination, reason),
    )


async def resume(tx: Transaction, destination: str | None = None) -> int:
    """Un-pause one destination (or all); returns how many were paused."""
    if destination is None:
        cursor = await writing(tx).execute("DELETE FROM destinations")
    else:
        cursor = await writing(tx).execute("DELETE FROM destinations WHERE destination = ?", (destination,))
    await writing(tx).execute(
        "UPDATE outbox SET next_attempt_at = NULL WHERE state = 'pending'"
        + ("" if destination is None else " AND destination = ?"),
        () if destination is None else (destination,),
    )
    return cursor.rowcount


async def destinations_of(db: Database, guild: int) -> set[str]:
    """Every destination an alert was ever queued to for one server (a deleted channel too)."""
    async with db.conn.execute("SELECT DISTINCT destination FROM outbox WHERE guild_id = ?", (guild,)) as cur:
        return {r[0] for r in await cur.fetchall()}


async def paused(db: Database, only: set[str] | None = None) -> list[dict]:
    """Paused destinations (only those in `only`, when given: one server's)."""
    async with db.conn.execute(
        "SELECT d.destination, d.paused_at, d.reason,"
        " (SELECT COUNT(*) FROM outbox o WHERE o.destination = d.destination AND o.state = 'pending') AS waiting"
        " FROM destinations d ORDER BY d.paused_at"
    ) as cur:
        return [dict(r) for r in await cur.fetchall() if only is None or r["destination"] in only]


async def backlog(db: Database, prefix: str, guild: int | None = None) -> dict:
    """Counts by state, the oldest waiting alert, and the last error, for /watch status (one server's
    rows when `guild` is given)."""
    where, args = "destination LIKE ?", list[str | int]([prefix + "%"])
    if guild is not None:
        where += " AND guild_id = ?"
        args.append(guild)
    async with db.conn.execute(f"SELECT state, COUNT(*) AS n FROM outbox WHERE {where} GROUP BY state", args) as cur:
        counts = {r["state"]: r["n"] for r in await cur.fetchall()}
    async with db.conn.execute(
        f"SELECT MIN(created_at) AS oldest, MAX(attempts) AS attempts FROM outbox WHERE state = 'pending' AND {where}",
        args,
    ) as cur:
        row = await cur.fetchone() or {"oldest": None, "attempts": None}  # an aggregate: always one row
    async with db.conn.execute(
        f"SELECT last_error FROM outbox WHERE {where} AND last_error IS NOT NULL"
        " AND state IN ('pending', 'failed') ORDER BY seq DESC LIMIT 1",
        args,
    ) as cur:
        err = await cur.fetchone()
    return {
        "counts": counts,
        "oldest_pending": row["oldest"],
        "max_attempts": row["attempts"] or 0,
        "last_error": err["last_error"] if err else None,
    }


async def queue(tx: Transaction, alert_id: str, destination: str) -> bool:
    """Queue an already stored alert for one more destination (e.g. /alerts test)."""
    cursor = await writing(tx).execute(
        "INSERT INTO outbox (alert_id, destination) VALUES (?, ?) ON CONFLICT DO NOTHING", (alert_id, destination)
    )
    return bool(cursor.rowcount)
