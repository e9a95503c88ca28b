"""The watch list and each feed's cursor and health."""

from __future__ import annotations

from bot.logredact import redact_webhook_tokens
from bot.watch import WatchedAccount
from storage.db import Database, Transaction, writing

redact_webhook_tokens("aiosqlite")  # it logs each statement's values at DEBUG, webhook URLs among them

_COLUMNS = ("platform", "handle", "channel_id", "owner", "role", "country", "host_country", "affiliation",
            "muted_until", "added_by", "webhook_url")


async def add(tx: Transaction, account: WatchedAccount) -> bool:
    """Add or update an account; True when it was not watched before."""
    async with writing(tx).execute(
        "SELECT 1 FROM watched WHERE platform = ? AND handle = ?", account.key
    ) as cur:
        existed = await cur.fetchone() is not None
    values = [getattr(account, c) for c in _COLUMNS]
    await writing(tx).execute(
        f"INSERT INTO watched ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
        " ON CONFLICT (platform, handle) DO UPDATE SET "
        + ", ".join(f"{c} = COALESCE(excluded.{c}, {c})" for c in _COLUMNS[2:]),
        values,
    )
    return not existed


async def get(db: Database, platform: str, handle: str) -> WatchedAccount | None:
    async with db.conn.execute("SELECT * FROM watched WHERE platform = ? AND handle = ?", (platform, handle)) as cur:
        row = await cur.fetchone()
    return None if row is None else WatchedAccount.from_row(row)


async def remove(tx: Transaction, platform: str, handle: str) -> bool:
    cursor = await writing(tx).execute("DELETE FROM watched WHERE platform = ? AND handle = ?", (platform, handle))
    await writing(tx).execute("DELETE FROM cursors WHERE platform = ? AND handle = ?", (platform, handle))
    return bool(cursor.rowcount)


async def all_accounts(db: Database) -> list[WatchedAccount]:
    async with db.conn.execute("SELECT * FROM watched ORDER BY platform, handle") as cur:
        return [WatchedAccount.from_row(row) for row in await cur.fetchall()]


async def find(db: Database, handle: str, platform: str | None = None) -> list[WatchedAccount]:
    handle = handle.lstrip("@")
    sql = "SELECT * FROM watched WHERE handle = ? COLLATE NOCASE"
    args: list = [handle]
    if platform:
        sql += " AND platform = ?"
        args.append(platform)
    async with db.conn.execute(sql, args) as cur:
        return [WatchedAccount.from_row(row) for row in await cur.fetchall()]


async def set_mute(tx: Transaction, platform: str, handle: str, until_iso: str | None) -> bool:
    cursor = await writing(tx).execute(
        "UPDATE watched SET muted_until = ? WHERE platform = ? AND handle = ?", (until_iso, platform, handle)
    )
    return bool(cursor.rowcount)


async def get_cursor(db: Database, platform: str, handle: str) -> dict | None:
    async with db.conn.execute(
        "SELECT * FROM cursors WHERE platform = ? AND handle = ?", (platform, handle)
    ) as cur:
        row = await cur.fetchone()
    return None if row is None else dict(row)


async def save_cursor(tx: Transaction, platform: str, handle: str, **values) -> None:
    """Upsert the given cursor columns (cursor, etag, last_modified, last_poll_at, last_ok_at, last_error,
    failures, paused_until). The caller commits, so a cursor moves only with the activities it covers."""
    columns = list(values)
    await writing(tx).execute(
        f"INSERT INTO cursors (platform, handle{''.join(', ' + c for c in columns)})"
        f" VALUES (?, ?{', ?' * len(columns)})"
        " ON CONFLICT (platform, handle) DO UPDATE SET "
        + (", ".join(f"{c} = excluded.{c}" for c in columns) if columns else "handle = handle"),
        [platform, handle, *values.values()],
    )


async def feed_health(db: Database) -> list[dict]:
    async with db.conn.execute(
        "SELECT w.platform, w.handle, c.last_poll_at, c.last_ok_at, c.last_error, c.failures, c.paused_until,"
        " c.backoff"
        " FROM watched w LEFT JOIN cursors c ON c.platform = w.platform AND c.handle = w.handle"
        " ORDER BY w.platform, w.handle"
    ) as cur:
        return [dict(row) for row in await cur.fetchall()]


async def get_setting(db: Database, key: str) -> str | None:
    async with db.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)) as cur:
        row = await cur.fetchone()
    return None if row is None else row["value"]


async def set_setting(tx: Transaction, key: str, value: str) -> None:
    await writing(tx).execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )
