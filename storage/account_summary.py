"""A watched account's baseline in brief, computed from its stored activities (for /watch show).

Read-only aggregates: usual hours (UTC), action mix, languages, clients, and the accounts it interacts
with most. Reads at most the newest `limit` activities so the answer stays fast on long histories.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from bot.activity import parse_time
from storage.db import Database


@dataclass
class AccountSummary:
    total: int = 0
    first_at: str | None = None
    last_at: str | None = None
    hours: list[int] = field(default_factory=lambda: [0] * 24)  # activities per UTC hour
    kinds: Counter = field(default_factory=Counter)
    langs: Counter = field(default_factory=Counter)
    clients: Counter = field(default_factory=Counter)
    partners: Counter = field(default_factory=Counter)

    def usual_hours(self, share: float = 0.8) -> tuple[int, int] | None:
        """The shortest run of consecutive hours (wrapping midnight) holding `share` of the activity."""
        total = sum(self.hours)
        if not total:
            return None
        best = None
        for length in range(1, 25):
            for start in range(24):
                covered = sum(self.hours[(start + i) % 24] for i in range(length))
                if covered >= share * total:
                    best = (start, (start + length - 1) % 24)
                    break
            if best:
                return best
        return best


async def summarize(db: Database, handle: str, platform: str | None = None, limit: int = 20000) -> AccountSummary:
    """`platform` None (or 'fixture', whose records carry the real platform) matches the handle anywhere."""
    sql = "SELECT record FROM activities WHERE lower(account) = lower(?)"
    args: list = [handle.lstrip("@")]
    if platform and platform != "fixture":
        sql += " AND platform = ?"
        args.append(platform)
    sql += " ORDER BY at DESC LIMIT ?"
    args.append(limit)
    out = AccountSummary()
    async with db.conn.execute(sql, args) as cur:
        rows = await cur.fetchall()
    for row in rows:
        record = json.loads(row["record"])
        out.total += 1
        at = record.get("at")
        if at:
            out.first_at = at if out.first_at is None or at < out.first_at else out.first_at
            out.last_at = at if out.last_at is None or at > out.last_at else out.last_at
            try:
                out.hours[parse_time(at).hour] += 1
            except ValueError:
                pass
        out.kinds[record.get("kind", "?")] += 1
        if record.get("lang"):
            out.langs[record["lang"]] += 1
        if record.get("client"):
            out.clients[record["client"]] += 1
        target = (record.get("target") or {}).get("account")
        if target:
            out.partners[target] += 1
        for mention in record.get("mentions") or []:
            out.partners[mention] += 1
    return out


async def activity_times(
    db: Database, handle: str, platform: str | None = None, *, before: str | None = None, limit: int = 20000
) -> list[datetime]:
    """When the account's newest `limit` activities (those before `before`, RFC 3339, when given) happened."""
    sql = "SELECT at FROM activities WHERE lower(account) = lower(?)"
    args: list = [handle.lstrip("@")]
    if platform and platform != "fixture":
        sql += " AND platform = ?"
        args.append(platform)
    if before:
        sql += " AND at < ?"
        args.append(before)
    sql += " ORDER BY at DESC LIMIT ?"
    args.append(limit)
    async with db.conn.execute(sql, args) as cur:
        rows = await cur.fetchall()
    times = []
    for row in rows:
        try:
            times.append(parse_time(row[0]))
        except ValueError:
            continue
    return times
