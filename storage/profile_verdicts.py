"""Verdicts on their way to the worker holding the account (migration 0009, docs/scaling.md).

With workers, a moderator's verdict is taken by the gateway process, but the account's profile lives in
the memory of the worker holding its lease. The gateway `record`s the verdict in the verdict's own
transaction; the holding worker, in the transaction of its next poll of the account, reads the `pending`
ones, teaches its profile with them, and marks them `applied` with the baseline they changed: both
commit, or neither does.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Transaction, writing


@dataclass(frozen=True, slots=True)
class PendingVerdict:
    seq: int
    activity_platform: str
    activity_id: str
    verdict: str


async def record(
    tx: Transaction, platform: str, handle: str, activity_platform: str, activity_id: str, verdict: str
) -> None:
    """A verdict for the worker holding (platform, handle) to apply at its next poll of the account."""
    if verdict not in ("false_alarm", "confirmed"):
        raise ValueError(f"verdict must be 'false_alarm' or 'confirmed', got {verdict!r}")
    conn = writing(tx)
    # The account's lease row, locked until this commits (PostgreSQL): a poll under way commits before
    # (its fence holds the same row) or reads this row after, and the sequence numbers of one account's
    # verdicts are taken in the order they commit, so none is passed over as "before the last applied".
    if tx.db.backend == "postgresql":
        await conn.execute("SELECT 1 FROM leases WHERE platform = ? AND handle = ? FOR UPDATE", (platform, handle))
    await conn.execute(
        "INSERT INTO profile_verdicts (platform, handle, activity_platform, activity_id, verdict)"
        " VALUES (?, ?, ?, ?, ?)",
        (platform, handle, activity_platform, activity_id, verdict),
    )


async def pending(tx: Transaction, platform: str, handle: str) -> list[PendingVerdict]:
    """The account's verdicts after the last one applied to its stored baseline, oldest first."""
    async with writing(tx).execute(
        "SELECT seq, activity_platform, activity_id, verdict FROM profile_verdicts v"
        " WHERE platform = ? AND handle = ? AND seq > COALESCE((SELECT a.seq FROM profile_verdicts_applied a"
        "   WHERE a.platform = v.platform AND a.handle = v.handle), 0)"
        " ORDER BY seq",
        (platform, handle),
    ) as cur:
        rows = await cur.fetchall()
    return [PendingVerdict(r["seq"], r["activity_platform"], r["activity_id"], r["verdict"]) for r in rows]


async def applied(tx: Transaction, platform: str, handle: str, seq: int) -> None:
    """The account's baseline, written in this transaction, holds the verdicts up to `seq`."""
    await writing(tx).execute(
        "INSERT INTO profile_verdicts_applied (platform, handle, seq) VALUES (?, ?, ?)"
        " ON CONFLICT (platform, handle) DO UPDATE SET seq = excluded.seq",
        (platform, handle, seq),
    )
