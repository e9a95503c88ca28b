"""Leases and outbox claims: how several workers on one PostgreSQL database share the accounts and the
alerts without a coordinator of their own (docs/scaling.md).

A lease is a row of `leases`: (account, holder, expires_at, epoch). A worker renews its leases well before
they lapse; a worker that dies stops renewing, and its leases lapse within one lease period. Free and
lapsed rows are taken with `FOR UPDATE SKIP LOCKED`, so workers claiming at once never wait on each other
nor take the same row. Every time is the database's own clock (`clock_timestamp()`), so the workers'
clocks need not agree. Each takeover adds one to `epoch`; a poll's transaction ends with `fence`, which
commits the poll only while its worker still holds that epoch (and locks the row until the commit).

An outbox row is claimed the same way (`claim_outbox`): the oldest pending row of each destination, not
claimed or with a lapsed claim, for one worker at a time.

PostgreSQL only: a SQLite file is one process's, which needs none of this.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.alerts import outbox_row
from storage.db import Database, Transaction, writing

_NOW = "extract(epoch FROM clock_timestamp())"


class LeaseLost(Exception):
    """The worker no longer holds the lease it polled under: its poll must not commit."""


@dataclass(frozen=True, slots=True)
class Lease:
    platform: str
    handle: str
    epoch: int

    @property
    def key(self) -> tuple[str, str]:
        return (self.platform, self.handle)


def _leases(rows) -> list[Lease]:
    return [Lease(r["platform"], r["handle"], r["epoch"]) for r in rows]


async def sync(db: Database) -> None:
    """One lease row per watched account: rows for accounts added, none for accounts no scope watches."""
    async with db.transaction() as tx:
        conn = writing(tx)
        await conn.execute(
            "INSERT INTO leases (platform, handle) SELECT DISTINCT platform, handle FROM watched ON CONFLICT DO NOTHING"
        )
        await conn.execute(
            "DELETE FROM leases WHERE NOT EXISTS"
            " (SELECT 1 FROM watched w WHERE w.platform = leases.platform AND w.handle = leases.handle)"
        )


async def renew(db: Database, worker: str, seconds: float) -> list[Lease]:
    """Push back the expiry of every lease the worker still holds; those leases (one that lapsed and was
    taken by another worker is not among them)."""
    async with db.transaction() as tx:
        async with writing(tx).execute(
            f"UPDATE leases SET expires_at = {_NOW} + ? WHERE holder = ? AND expires_at > {_NOW}"
            " RETURNING platform, handle, epoch",
            (seconds, worker),
        ) as cur:
            return _leases(await cur.fetchall())


async def heartbeat(db: Database, worker: str, seconds: float) -> None:
    """The worker is alive for `seconds` more (and long-gone workers' rows go)."""
    async with db.transaction() as tx:
        conn = writing(tx)
        await conn.execute(
            f"INSERT INTO workers (name, expires_at) VALUES (?, {_NOW} + ?)"
            " ON CONFLICT (name) DO UPDATE SET expires_at = excluded.expires_at",
            (worker, seconds),
        )
        await conn.execute(f"DELETE FROM workers WHERE expires_at < {_NOW} - 3600")


async def leave(db: Database, worker: str) -> None:
    async with db.transaction() as tx:
        await writing(tx).execute("DELETE FROM workers WHERE name = ?", (worker,))


async def census(db: Database, worker: str) -> tuple[int, int]:
    """(accounts, other workers alive): what a fair share is computed from."""
    async with db.conn.execute(
        f"SELECT (SELECT COUNT(*) FROM leases) AS accounts,"
        f" (SELECT COUNT(*) FROM workers WHERE name <> ? AND expires_at > {_NOW}) AS others",
        (worker,),
    ) as cur:
        row = await cur.fetchone()
    return int(row["accounts"]), int(row["others"])


async def claim(db: Database, worker: str, seconds: float, limit: int) -> list[Lease]:
    """Take up to `limit` free or lapsed leases, those waiting longest first; the ones taken."""
    if limit <= 0:
        return []
    async with db.transaction() as tx:
        async with writing(tx).execute(
            f"UPDATE leases SET holder = ?, expires_at = {_NOW} + ?, epoch = leases.epoch + 1"
            " FROM (SELECT platform, handle FROM leases"
            f"       WHERE holder IS NULL OR expires_at IS NULL OR expires_at <= {_NOW}"
            "       ORDER BY COALESCE(expires_at, 0), platform, handle LIMIT ? FOR UPDATE SKIP LOCKED) free"
            " WHERE leases.platform = free.platform AND leases.handle = free.handle"
            " RETURNING leases.platform, leases.handle, leases.epoch",
            (worker, seconds, limit),
        ) as cur:
            return _leases(await cur.fetchall())


async def release(db: Database, worker: str, keys: list[tuple[str, str]]) -> int:
    """Give leases back at once (a worker above its fair share, or stopping): free for any other."""
    if not keys:
        return 0
    async with db.transaction() as tx:
        conn = writing(tx)
        released = 0
        for platform, handle in keys:
            cursor = await conn.execute(
                "UPDATE leases SET holder = NULL, expires_at = NULL WHERE platform = ? AND handle = ? AND holder = ?",
                (platform, handle, worker),
            )
            released += max(cursor.rowcount, 0)
        return released


async def fence(tx: Transaction, worker: str, lease: Lease) -> None:
    """In a poll's transaction, before it commits: the worker still holds this lease at this epoch, with
    time left; LeaseLost (the transaction rolls back) when not. The row stays locked until the commit, so
    no other worker can take the lease over in between."""
    async with writing(tx).execute(
        f"SELECT 1 FROM leases WHERE platform = ? AND handle = ? AND holder = ? AND epoch = ? AND expires_at > {_NOW}"
        " FOR UPDATE",
        (lease.platform, lease.handle, worker, lease.epoch),
    ) as cur:
        if await cur.fetchone() is None:
            raise LeaseLost(f"{lease.platform}:{lease.handle} is no longer leased to {worker} (epoch {lease.epoch})")


async def holders(db: Database) -> dict[tuple[str, str], str | None]:
    """Each account's live holder (None: free or lapsed), for status and tests."""
    async with db.conn.execute(
        f"SELECT platform, handle, CASE WHEN expires_at > {_NOW} THEN holder END AS holder FROM leases"
    ) as cur:
        return {(r["platform"], r["handle"]): r["holder"] for r in await cur.fetchall()}


# ---- the outbox -----------------------------------------------------------------------------------


async def claim_outbox(db: Database, worker: str, prefix: str, now_iso: str, seconds: float) -> list[dict]:
    """Claim the oldest pending row of each destination under `prefix` that is due, not paused, and not
    claimed by a live claim; those rows, as storage.alerts.outbox_row gives them. A destination whose
    oldest row another worker holds offers nothing, so its alerts still go out in order."""
    async with db.transaction() as tx:
        async with writing(tx).execute(
            f"UPDATE outbox SET claimed_by = ?, claimed_until = {_NOW} + ?"
            " FROM (SELECT o.seq FROM outbox o"
            "       JOIN (SELECT destination, MIN(seq) AS seq FROM outbox WHERE state = 'pending'"
            "             AND destination LIKE ? GROUP BY destination) head ON head.seq = o.seq"
            "       LEFT JOIN destinations d ON d.destination = o.destination"
            "       WHERE d.destination IS NULL AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?)"
            f"        AND (o.claimed_until IS NULL OR o.claimed_until <= {_NOW})"
            "       ORDER BY o.seq FOR UPDATE OF o SKIP LOCKED) due"
            " WHERE outbox.seq = due.seq"
            " RETURNING outbox.seq, outbox.alert_id, outbox.destination, outbox.attempts, outbox.guild_id, outbox.maybe_posted,"
            " (SELECT a.body FROM alerts a WHERE a.id = outbox.alert_id) AS body",
            (worker, seconds, prefix + "%", now_iso),
        ) as cur:
            rows = await cur.fetchall()
    return sorted((outbox_row(r) for r in rows), key=lambda r: r["seq"])


async def renew_claim(db: Database, seq: int, worker: str, seconds: float) -> bool:
    """Renew a claim just before its row is posted; False when it lapsed (another worker may hold the row
    now, or have sent it). Rows are claimed together and posted one after another, and a chart can take a
    while to draw on a busy machine: the claim's clock must start again for each post, or a row claimed
    with the first could lapse before its turn and be posted by two workers."""
    async with db.transaction() as tx:
        async with writing(tx).execute(
            f"UPDATE outbox SET claimed_until = {_NOW} + ?"
            f" WHERE seq = ? AND claimed_by = ? AND claimed_until > {_NOW} AND state = 'pending'"
            " RETURNING seq",
            (seconds, seq, worker),
        ) as cur:
            return await cur.fetchone() is not None


async def unclaim(tx: Transaction, seq: int, worker: str) -> None:
    """A claimed row's outcome is written (sent, retry later, failed): the claim ends with it."""
    await writing(tx).execute(
        "UPDATE outbox SET claimed_by = NULL, claimed_until = NULL WHERE seq = ? AND claimed_by = ?", (seq, worker)
    )
