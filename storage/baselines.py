"""Per-account profiles, persisted as the JSON that bot.profile serializes."""

from __future__ import annotations

import json

import orjson

from storage.db import Database, Transaction, writing


async def save_many(tx: Transaction, states: list[tuple[str, str, dict]]) -> None:
    conn = writing(tx)
    if states:
        await conn.executemany(
            "INSERT INTO baselines (platform, account, state) VALUES (?, ?, ?)"
            " ON CONFLICT (platform, account) DO UPDATE SET state = excluded.state,"
            " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
            [(p, a, _dump(s)) for p, a, s in states],
        )


def _dump(state: dict) -> str:
    """orjson writes a profile's state about 10x faster; the standard library takes what it refuses
    (a lone surrogate in a profile field, a number too large)."""
    try:
        return orjson.dumps(state).decode("utf-8")
    except (orjson.JSONEncodeError, TypeError):
        return json.dumps(state, separators=(",", ":"))


async def load_all(db: Database) -> list[tuple[str, str, dict]]:
    async with db.conn.execute("SELECT platform, account, state FROM baselines") as cur:
        return [(r["platform"], r["account"], json.loads(r["state"])) for r in await cur.fetchall()]


async def load_for(db: Database, keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict]:
    """The stored profiles of some accounts (a worker taking them over); an account without one is absent."""
    by_platform: dict[str, list[str]] = {}
    for platform, account in keys:
        by_platform.setdefault(platform, []).append(account)
    found: dict[tuple[str, str], dict] = {}
    for platform, accounts in by_platform.items():
        for i in range(0, len(accounts), 500):
            chunk = accounts[i : i + 500]
            async with db.conn.execute(
                f"SELECT account, state FROM baselines WHERE platform = ? AND account IN ({','.join('?' * len(chunk))})",
                (platform, *chunk),
            ) as cur:
                for row in await cur.fetchall():
                    found[(platform, row["account"])] = json.loads(row["state"])
    return found
