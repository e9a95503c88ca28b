"""The incident library in SQLite: the seeded cases plus every alert a moderator confirmed.

`seed_library` runs at every start-up and is idempotent (same file twice: nothing changes; an
edited entry is updated in place). `add_confirmed` turns a confirmed alert into an incident that
links back to the alert, so later alerts find it as a prior case and `/incident search` lists it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from bot.activity import STATUSES, Activity, ActivityError, parse_time
from bot.alerts import Alert
from bot.incidents.features import features_for
from bot.incidents.library import (
    DEFAULT_LIBRARY,
    Incident,
    IncidentError,
    LoadError,
    LoadResult,
    load_library,
    parse_incident,
)
from bot.incidents.similarity import SimilarityIndex
from bot.incidents.vocab import OUTCOMES, normalize_role
from storage import activities as activity_store
from storage.db import Transaction, writing

_VERBS = {
    "post": "posts",
    "reply": "replies to",
    "repost": "reposts",
    "quote": "quotes",
    "like": "likes",
    "unlike": "un-likes",
    "follow": "follows",
    "unfollow": "unfollows",
    "delete": "deletes a post",
    "profile": "changes its profile",
    "status": "status changes to",
}


@dataclass(slots=True)
class SeedResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


def _conn(db: Any):
    """storage.db.Database or a bare aiosqlite connection."""
    return getattr(db, "conn", db)


def _row(incident: Incident) -> tuple:
    return (
        incident.id,
        incident.source,
        incident.date,
        incident.platform,
        incident.account,
        incident.country,
        incident.role,
        json.dumps(list(incident.kinds)),
        incident.outcome,
        incident.to_json(),
        incident.alert_id,
        incident.alert_link,
    )


async def seed_library(tx: Transaction, incidents: Iterable[Incident]) -> SeedResult:
    """Store the library's incidents once; re-seeding the same file changes nothing."""
    conn = writing(tx)
    incidents = list(incidents)
    existing: dict[str, tuple[str, str]] = {}
    async with conn.execute("SELECT id, source, record FROM incidents") as cursor:
        async for ident, source, record in cursor:
            existing[ident] = (source, record)
    result = SeedResult()
    writes = []
    for incident in incidents:
        before = existing.get(incident.id)
        if before is None:
            result.added += 1
        elif before[0] != "library":
            continue  # a confirmed alert owns this id; never overwrite it from the file
        elif before[1] == incident.to_json():
            result.unchanged += 1
            continue
        else:
            result.updated += 1
        writes.append(_row(incident))
    if writes:
        await conn.executemany(
            "INSERT INTO incidents (id, source, date, platform, account, country, role, kinds, outcome, record,"
            " alert_id, alert_link) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET date = excluded.date, platform = excluded.platform,"
            " account = excluded.account, country = excluded.country, role = excluded.role,"
            " kinds = excluded.kinds, outcome = excluded.outcome, record = excluded.record,"
            " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE incidents.source = 'library'",
            writes,
        )
    return result


async def load_incidents(db: Any) -> LoadResult:
    """Every stored incident; a record that no longer parses is reported, not fatal."""
    result = LoadResult()
    async with _conn(db).execute("SELECT id, record FROM incidents ORDER BY source DESC, rowid") as cursor:
        async for ident, record in cursor:
            try:
                result.incidents.append(parse_incident(json.loads(record)))
            except (IncidentError, json.JSONDecodeError) as exc:
                result.errors.append(
                    LoadError("database:incidents", 0, getattr(exc, "field", "record"), f"{ident}: {exc}")
                )
    return result


async def get_incident(db: Any, ident: str) -> Incident | None:
    async with _conn(db).execute("SELECT record FROM incidents WHERE lower(id) = lower(?)", (ident,)) as cursor:
        row = await cursor.fetchone()
    return parse_incident(json.loads(row[0])) if row else None


async def open_library(db: Any, path: str | Path = DEFAULT_LIBRARY) -> tuple[SimilarityIndex, LoadResult]:
    """Start-up: seed the library file, then index everything stored (seeded and confirmed).

    Returns the index and the file's load result, whose errors the caller reports.
    """
    loaded = load_library(path)
    async with db.transaction() as tx:
        await seed_library(tx, loaded.incidents)
    stored = await load_incidents(db)
    loaded.errors.extend(stored.errors)
    return SimilarityIndex(stored.incidents), loaded


async def _stored_activity(db: Any, alert: Alert) -> Activity | None:
    """The alert's activity as the pipeline stored it (a bare connection has no activity store)."""
    if not hasattr(db, "conn"):
        return None
    try:
        return await activity_store.get(db, alert.platform, alert.activity_id)
    except (ActivityError, json.JSONDecodeError):
        return None


def _status_from(alert: Alert) -> str:
    words = " ".join([*alert.reasons, alert.text or ""]).lower()
    for status in STATUSES:
        if re.search(rf"\b{status}\b", words):
            return status
    return "deactivated"  # the account disappeared, the commonest status alert


async def add_confirmed(
    tx: Transaction,
    alert: Alert | dict,
    alert_link: str,
    *,
    outcome: str = "unexplained",
    confirmed_by: str | None = None,
) -> Incident:
    """Make a moderator-confirmed alert an incident of the library (once per alert) and store it."""
    if isinstance(alert, dict):
        alert = Alert.from_dict(alert)
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome {outcome!r} is not one of {', '.join(OUTCOMES)}")
    links = [link for link in (alert.url, alert_link) if link and link.startswith(("http://", "https://"))]
    if not links:
        raise ValueError(f"alert {alert.id}: a confirmed incident needs an http(s) link to the alert or the post")
    conn = writing(tx)
    async with conn.execute("SELECT record FROM incidents WHERE alert_id = ?", (alert.id,)) as cursor:
        row = await cursor.fetchone()
    if row:
        return parse_incident(json.loads(row[0]))

    activity = await _stored_activity(tx, alert)
    status = None
    if alert.kind == "status":
        status = activity.status if activity and activity.status else _status_from(alert)
    if activity is None:  # not stored here: the alert still says what was done and to whom
        activity = Activity(
            id=alert.activity_id,
            platform=alert.platform,
            account=alert.account,
            kind=alert.kind,
            at=parse_time(alert.at),
            text=alert.text,
            target={"account": alert.target_account} if alert.target_account else None,
        )
    meta = {"role": alert.role, "country": alert.country, "owner": alert.owner}
    targets = sorted(features_for(activity, meta, alert.reasons).targets)
    verb = _VERBS.get(alert.kind, alert.kind)
    what = f"{verb} {status}" if status else verb
    if alert.target_account:
        what += f" @{alert.target_account}"
    excerpt = f' "{alert.text[:200]}"' if alert.text else ""
    who = alert.owner or f"@{alert.account}"
    by = f" by {confirmed_by}" if confirmed_by else ""
    data = {
        "id": "C-" + alert.id.removeprefix("A-"),
        "title": f"@{alert.account} {what}"[:120],
        "date": alert.at[:10],
        "platform": alert.platform,
        "account": alert.account,
        "owner": who,
        "country": alert.country or "unknown",
        "role": normalize_role(alert.role) or "other",
        "kinds": [alert.kind],
        "status": status,
        "targets": targets,
        "summary": f"{who} {what} at {alert.at}.{excerpt} Flagged {alert.severity} (score {alert.score:.2f}): "
        + "; ".join(alert.reasons),
        "explanation": f"Confirmed as an incident by a moderator{by}; no explanation recorded yet.",
        "outcome": outcome,
        "tags": ["confirmed-alert", alert.severity],
        "source_url": links[0],
        "alert_id": alert.id,
        "alert_link": alert_link,
    }
    incident = parse_incident({key: value for key, value in data.items() if value is not None})
    await conn.execute(
        "INSERT INTO incidents (id, source, date, platform, account, country, role, kinds, outcome, record,"
        " alert_id, alert_link) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
        _row(incident),
    )
    return incident


async def load_index(
    db: Any, path: str | Path = DEFAULT_LIBRARY, *, warn: Callable[[str], None] | None = None
) -> SimilarityIndex | None:
    """`open_library` for the commands that raise alerts: a bad entry or even a missing library file
    is reported through `warn` and never stops them (alerts then simply list no prior incidents)."""
    try:
        index, loaded = await open_library(db, path)
    except OSError as exc:
        if warn:
            warn(f"incident library {path} cannot be read ({exc.strerror or exc}); alerts will list no prior incidents")
        return None
    if warn:
        for error in loaded.errors:
            warn(f"incident library: skipped {error}")
    return index
