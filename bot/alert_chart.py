"""The usual-hours chart of a watched account or of an alert, from the stored activities.

bot/chart.py draws it; this reads what to draw: the account's activity times (for an alert, those before
the alerted activity, so the chart is the baseline it broke) and its time zone from the watch list.
"""

from __future__ import annotations

import logging
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.activity import format_time, parse_time
from bot.alerts import Alert
from bot.chart import chart, hour_counts, zone_label
from storage.account_summary import activity_times
from storage.db import Database

log = logging.getLogger(__name__)

CHART_NAME = "usual-hours.png"  # the attachment's name, which the embed's image refers to


@lru_cache(maxsize=256)
def zone(name: str | None) -> ZoneInfo | None:
    """The zone of a watch-list entry; None (UTC) when it has none or one this system does not know."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


async def zone_of(db: Database, platform: str, handle: str, guild: int | None = None) -> str | None:
    """The watch list's time zone for an account (a `fixture` entry carries records of the real platform):
    the one scope `guild` gave it (a server sees only its own settings), or with guild None the first
    scope's that gives one."""
    sql = "SELECT tz FROM watched WHERE lower(handle) = lower(?) AND tz IS NOT NULL"
    args: list[str | int] = [handle.lstrip("@")]
    if guild is not None:
        sql += " AND guild_id = ?"
        args.append(guild)
    async with db.conn.execute(sql + " ORDER BY platform = ? DESC, guild_id LIMIT 1", [*args, platform]) as cur:
        row = await cur.fetchone()
    return row[0] if row else None


async def account_chart(
    db: Database, platform: str, handle: str, tz: str | None, marked_at: datetime | None = None
) -> bytes:
    """The chart of an account's stored activity (before `marked_at`, whose hour it marks, when given)."""
    before = format_time(marked_at) if marked_at else None
    times = await activity_times(db, handle, platform, before=before)
    return chart(times, zone(tz), marked_at)


async def alert_chart(db: Database, alert: Alert, guild: int | None = None) -> bytes | None:
    """The chart for an alert: its account's hours before it, its own hour marked, in the zone the
    receiving scope (`guild`, see zone_of) gave the account. None when it cannot be drawn: the alert then
    goes out without it rather than not at all."""
    try:
        at = parse_time(alert.at)
        tz = await zone_of(db, alert.platform, alert.account, guild)
        return await account_chart(db, alert.platform, alert.account, tz, at)
    except Exception:
        log.exception("alert %s: no chart (the alert goes out without it)", alert.id)
        return None


async def account_hours(db: Database, platform: str, handle: str, tz: str | None) -> tuple[list[int], str]:
    """The account's activities per hour of day in its zone, and the zone's name as the chart shows it."""
    zone_ = zone(tz)
    return hour_counts(await activity_times(db, handle, platform), zone_), zone_label(zone_)
