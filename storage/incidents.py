"""The incident library in SQLite: the seeded cases plus every alert a moderator confirmed.

`seed_library` runs at every start-up and is idempotent (same file twice: nothing changes; an
edited entry is updated in place). `add_confirmed` turns a confirmed alert into an incident that
names the alert, so later alerts find it as a prior case and `/incident search` lists it.

The library is shared by every server: an incident never says which moderator confirmed it nor links to
one server's alert message, and its source is a clean public http(s) link (bot/embed_rules.py) or it is
not stored.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable

from bot.activity import STATUSES, Activity, ActivityError, parse_time
from bot.alerts import Alert
from bot.embed_rules import clean_link
from bot.handles import account_page
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
    refused: list[LoadError] = field(default_factory=list)  # entries whose source is not a clean link


# What confirmed incidents stored before the library was kept free of them carry: the confirming
# moderator's name and id, and a link to one server's alert message.
_NAMED_MODERATOR = re.compile(
    r"^(Confirmed as an incident by a moderator) by .*(; no explanation recorded yet\.)$", re.S
)
_DISCORD_MESSAGE = re.compile(r"^https?://([a-z]+\.)?discord(app)?\.com/channels/", re.I)


def _shared(incident: Incident) -> Incident:
    """An incident as every server may see it: a confirmed one stored before this rule loses the
    moderator's name and the message link (the data stays; it is not shown), and no source that is not
    a clean public link is offered as one."""
    if not incident.alert_id:
        return incident
    source = incident.source_url
    if not clean_link(source) or _DISCORD_MESSAGE.match(source):
        source = ""
    explanation = _NAMED_MODERATOR.sub(r"\1\2", incident.explanation)
    return replace(incident, alert_link=None, source_url=source, explanation=explanation)


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
        if not clean_link(incident.source_url):  # it would be offered as a link under every alert like it
            result.refused.append(
                LoadError("library", 0, "source_url", f"{incident.id}: not a clean http(s) link; entry not stored")
            )
            continue
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
                result.incidents.append(_shared(parse_incident(json.loads(record))))
            except (IncidentError, json.JSONDecodeError) as exc:
                result.errors.append(
                    LoadError("database:incidents", 0, getattr(exc, "field", "record"), f"{ident}: {exc}")
                )
    return result


async def get_incident(db: Any, ident: str) -> Incident | None:
    async with _conn(db).execute("SELECT record FROM incidents WHERE lower(id) = lower(?)", (ident,)) as cursor:
        row = await cursor.fetchone()
    return _shared(parse_incident(json.loads(row[0]))) if row else None


async def open_library(db: Any, path: str | Path = DEFAULT_LIBRARY) -> tuple[SimilarityIndex, LoadResult]:
    """Start-up: seed the library file, then index everything stored (seeded and confirmed).

    Returns the index and the file's load result, whose errors the caller reports.
    """
    loaded = load_library(path)
    async with db.transaction() as tx:
        seeded = await seed_library(tx, loaded.incidents)
    stored = await load_incidents(db)
    loaded.errors.extend(seeded.refused + stored.errors)
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


async def add_confirmed(tx: Transaction, alert: Alert | dict, *, outcome: str = "unexplained") -> Incident:
    """Make an alert every receiving server confirmed an incident of the library (once per alert) and
    store it. ValueError (nothing stored) when the alert has no clean public link to cite: a Discord
    message link is one server's, never a source."""
    if isinstance(alert, dict):
        alert = Alert.from_dict(alert)
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome {outcome!r} is not one of {', '.join(OUTCOMES)}")
    # its source: the post, or where it has none (an account deactivated, renamed) the account's page
    source = alert.url if clean_link(alert.url) else account_page(alert.platform, alert.account)
    if not clean_link(source):
        why = "it has none" if not alert.url else "its link is not a clean http(s) URL"
        raise ValueError(
            f"alert {alert.id}: a confirmed incident needs a public http(s) link to the post or the account "
            f"as source; {why}, and {alert.platform} has no account page to cite"
        )
    conn = writing(tx)
    async with conn.execute("SELECT record FROM incidents WHERE alert_id = ?", (alert.id,)) as cursor:
        row = await cursor.fetchone()
    if row:
        return _shared(parse_incident(json.loads(row[0])))

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
        "explanation": "Confirmed as an incident by a moderator; no explanation recorded yet.",
        "outcome": outcome,
        "tags": ["confirmed-alert", alert.severity],
        "source_url": source,
        "alert_id": alert.id,
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
