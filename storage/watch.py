"""The watch list and each feed's cursor and health."""

from __future__ import annotations

from bot.logredact import redact_webhook_tokens
from bot.watch import WatchedAccount
from storage.db import Database, Transaction, writing

redact_webhook_tokens("aiosqlite")  # it logs each statement's values at DEBUG, webhook URLs among them

_COLUMNS = (
    "guild_id",
    "platform",
    "handle",
    "channel_id",
    "owner",
    "role",
    "country",
    "host_country",
    "affiliation",
    "muted_until",
    "added_by",
    "webhook_url",
    "tz",
)
_KEY = 3  # guild_id, platform, handle


async def add(tx: Transaction, account: WatchedAccount) -> bool:
    """Add or update an account in its scope (account.guild_id); True when that scope did not watch it."""
    conn = writing(tx)
    async with conn.execute(
        "SELECT 1 FROM watched WHERE guild_id = ? AND platform = ? AND handle = ?",
        (account.guild_id, *account.key),
    ) as cur:
        existed = await cur.fetchone() is not None
    values = [getattr(account, c) for c in _COLUMNS]
    await conn.execute(
        f"INSERT INTO watched ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
        " ON CONFLICT (guild_id, platform, handle) DO UPDATE SET "
        + ", ".join(f"{c} = COALESCE(excluded.{c}, watched.{c})" for c in _COLUMNS[_KEY:]),
        values,
    )
    return not existed


CLEARABLE = ("channel_id", "webhook_url")  # where alerts go: what `add` (empty fields keep) cannot unset


async def clear(tx: Transaction, guild: int, platform: str, handle: str, names: list[str]) -> bool:
    """Unset some of an entry's destinations (a leaked webhook URL, a channel no longer wanted)."""
    unknown = [n for n in names if n not in CLEARABLE]
    if unknown or not names:
        raise ValueError(f"cannot clear {sorted(unknown) or 'nothing'} (only {', '.join(CLEARABLE)})")
    cursor = await writing(tx).execute(
        f"UPDATE watched SET {', '.join(f'{n} = NULL' for n in names)}"
        " WHERE guild_id = ? AND platform = ? AND handle = ?",
        (guild, platform, handle),
    )
    return bool(cursor.rowcount)


async def get(db: Database, guild: int, platform: str, handle: str) -> WatchedAccount | None:
    async with db.conn.execute(
        "SELECT * FROM watched WHERE guild_id = ? AND platform = ? AND handle = ?", (guild, platform, handle)
    ) as cur:
        row = await cur.fetchone()
    return None if row is None else WatchedAccount.from_row(row)


async def remove(tx: Transaction, guild: int, platform: str, handle: str) -> bool:
    """Stop watching in one scope; the feed's cursor goes only when no scope watches the account any more."""
    conn = writing(tx)
    cursor = await conn.execute(
        "DELETE FROM watched WHERE guild_id = ? AND platform = ? AND handle = ?", (guild, platform, handle)
    )
    await conn.execute(
        "DELETE FROM cursors WHERE platform = ? AND handle = ? AND NOT EXISTS"
        " (SELECT 1 FROM watched w WHERE w.platform = ? AND w.handle = ?)",
        (platform, handle, platform, handle),
    )
    return bool(cursor.rowcount)


async def all_accounts(db: Database, guild: int | None = None) -> list[WatchedAccount]:
    """One scope's watch list, or (guild None) every scope's entries: what the poller polls."""
    sql, args = "SELECT * FROM watched", []
    if guild is not None:
        sql += " WHERE guild_id = ?"
        args.append(guild)
    async with db.conn.execute(sql + " ORDER BY platform, handle, guild_id", args) as cur:
        return [WatchedAccount.from_row(row) for row in await cur.fetchall()]


async def entries(db: Database, platform: str, handle: str) -> list[WatchedAccount]:
    """Every scope's entry for one account, spelled exactly as watched (an index lookup: each poll asks)."""
    async with db.conn.execute(
        "SELECT * FROM watched WHERE platform = ? AND handle = ? ORDER BY guild_id", (platform, handle)
    ) as cur:
        return [WatchedAccount.from_row(row) for row in await cur.fetchall()]


async def find(
    db: Database, handle: str, platform: str | None = None, guild: int | None = None
) -> list[WatchedAccount]:
    """Entries for a handle (any spelling), in one scope or (guild None) in every scope."""
    handle = handle.lstrip("@")
    sql = "SELECT * FROM watched WHERE lower(handle) = lower(?)"
    args: list = [handle]
    if platform:
        sql += " AND platform = ?"
        args.append(platform)
    if guild is not None:
        sql += " AND guild_id = ?"
        args.append(guild)
    async with db.conn.execute(sql + " ORDER BY guild_id", args) as cur:
        return [WatchedAccount.from_row(row) for row in await cur.fetchall()]


async def set_mute(tx: Transaction, guild: int, platform: str, handle: str, until_iso: str | None) -> bool:
    cursor = await writing(tx).execute(
        "UPDATE watched SET muted_until = ? WHERE guild_id = ? AND platform = ? AND handle = ?",
        (until_iso, guild, platform, handle),
    )
    return bool(cursor.rowcount)


# ---- each scope's routing: alerts channel and threshold -------------------------------------------


async def guild_settings(db: Database, guild: int | None = None) -> dict[int, dict]:
    """guild id -> {alert_channel_id, min_severity}, for one scope or all of them."""
    sql, args = "SELECT guild_id, alert_channel_id, min_severity FROM guild_settings", []
    if guild is not None:
        sql += " WHERE guild_id = ?"
        args.append(guild)
    async with db.conn.execute(sql, args) as cur:
        return {
            r["guild_id"]: {"alert_channel_id": r["alert_channel_id"], "min_severity": r["min_severity"]}
            for r in await cur.fetchall()
        }


async def set_guild_setting(tx: Transaction, guild: int, **values) -> None:
    """Set alert_channel_id and/or min_severity of one scope."""
    names = [n for n in values if n in ("alert_channel_id", "min_severity")]
    if len(names) != len(values) or not names:
        raise ValueError(f"unknown guild settings: {sorted(values)}")
    await writing(tx).execute(
        f"INSERT INTO guild_settings (guild_id, {', '.join(names)}) VALUES (?{', ?' * len(names)})"
        " ON CONFLICT (guild_id) DO UPDATE SET " + ", ".join(f"{n} = excluded.{n}" for n in names),
        [guild, *[values[n] for n in names]],
    )


async def adopt(tx: Transaction, source: int, guild: int) -> int:
    """Move one scope's rows (the legacy scope, say) to a guild; returns how many watch-list rows moved.
    A row the guild already has keeps the guild's own."""
    conn = writing(tx)
    # "Move unless the guild has that row already", spelled for both stores (SQLite's UPDATE OR IGNORE is its own).
    cursor = await conn.execute(
        "UPDATE watched SET guild_id = ? WHERE guild_id = ? AND NOT EXISTS (SELECT 1 FROM watched w"
        " WHERE w.guild_id = ? AND w.platform = watched.platform AND w.handle = watched.handle)",
        (guild, source, guild),
    )
    moved = cursor.rowcount
    await conn.execute("DELETE FROM watched WHERE guild_id = ?", (source,))
    await conn.execute(
        "UPDATE guild_settings SET guild_id = ? WHERE guild_id = ?"
        " AND NOT EXISTS (SELECT 1 FROM guild_settings g WHERE g.guild_id = ?)",
        (guild, source, guild),
    )
    await conn.execute("DELETE FROM guild_settings WHERE guild_id = ?", (source,))
    await conn.execute("UPDATE outbox SET guild_id = ? WHERE guild_id = ?", (guild, source))
    await conn.execute(
        "UPDATE verdicts SET guild_id = ? WHERE guild_id = ? AND NOT EXISTS (SELECT 1 FROM verdicts v"
        " WHERE v.guild_id = ? AND v.alert_id = verdicts.alert_id)",
        (guild, source, guild),
    )
    await conn.execute("DELETE FROM verdicts WHERE guild_id = ?", (source,))
    return moved


async def get_cursor(db: Database, platform: str, handle: str) -> dict | None:
    async with db.conn.execute("SELECT * FROM cursors WHERE platform = ? AND handle = ?", (platform, handle)) as cur:
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


async def feed_health(db: Database, guild: int | None = None) -> list[dict]:
    """Each watched feed's health, for one scope's watch list or (guild None) every scope's."""
    async with db.conn.execute(
        "SELECT DISTINCT w.platform, w.handle, c.last_poll_at, c.last_ok_at, c.last_error, c.failures,"
        " c.paused_until, c.backoff"
        " FROM watched w LEFT JOIN cursors c ON c.platform = w.platform AND c.handle = w.handle"
        + ("" if guild is None else " WHERE w.guild_id = ?")
        + " ORDER BY w.platform, w.handle",
        () if guild is None else (guild,),
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
