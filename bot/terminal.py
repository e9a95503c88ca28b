"""The terminal as a way out: alerts queued for 'terminal' are printed once, oldest first."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

from bot.activity import format_time
from bot.alerts import Alert
from bot.render_text import render
from storage import alerts as alert_store
from storage.db import Database


async def deliver_pending(
    db: Database, write: Callable[[str], None] = print, formatter: Callable[[Alert], str] = render
) -> list[Alert]:
    delivered: list[Alert] = []
    while True:
        async with db.committed():  # never print an alert whose poll may still roll back
            rows = await alert_store.pending(db, "terminal", format_time(datetime.now(timezone.utc)))
        if not rows:
            return delivered
        for row in rows:
            write(formatter(row["alert"]))
            async with db.transaction() as tx:
                await alert_store.mark_sent(tx, row["seq"], "terminal")
            delivered.append(row["alert"])
