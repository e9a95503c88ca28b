"""What both demos share: the manifest of founding incidents, a fresh database watching their accounts,
and the count of what was caught."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bot.activity import parse_time
from bot.pipeline import Pipeline
from bot.watch import WatchedAccount
from storage import incidents as incident_store
from storage import watch as watch_store
from storage.db import Database

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "feeds"


@dataclass
class Scenario:
    handle: str
    platform: str
    source: Path
    incident_from: str
    entry: dict


def load_manifest(folder: Path) -> list[Scenario]:
    entries = json.loads((folder / "demo.json").read_text(encoding="utf-8"))
    return [Scenario(e["handle"], e["platform"], folder / e["file"], e["incident_from"], e) for e in entries]


def fresh_file(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


async def open_demo_pipeline(db_path: Path, scenarios: list[Scenario], *, platform: str) -> tuple[Database, Pipeline]:
    """A fresh database watching the scenarios' accounts on `platform`, and the pipeline (with the
    incident library, so alerts list prior similar incidents) that both demos feed."""
    db = await Database.open(db_path)
    library = await incident_store.load_index(db, warn=lambda message: print(message, file=sys.stderr))
    pipeline = Pipeline(db, similar=library.finder(k=3) if library else None)
    async with db.transaction() as tx:
        for sc in scenarios:
            e = sc.entry
            await watch_store.add(
                tx,
                WatchedAccount(
                    platform=platform,
                    handle=sc.handle,
                    owner=e.get("owner"),
                    role=e.get("role"),
                    country=e.get("country"),
                    host_country=e.get("host_country"),
                    affiliation=e.get("affiliation"),
                    added_by="demo",
                ),
            )
    return db, pipeline


async def incidents_caught(
    db: Database, scenarios: list[Scenario], *, first_act: bool = True
) -> list[tuple[Scenario, int]]:
    """Each scenario with its number of alerts from the incident on. With `first_act`, 0 unless the
    incident's first act itself alerted (a later alert alone does not count as catching it)."""
    caught = []
    for sc in scenarios:
        async with db.conn.execute(
            "SELECT COUNT(*), SUM(at = ?) FROM alerts WHERE account = ? AND at >= ?",
            (parse_time(sc.incident_from).strftime("%Y-%m-%dT%H:%M:%SZ"), sc.handle, sc.incident_from),
        ) as cur:
            total, first = await cur.fetchone() or (0, 0)  # an aggregate: always one row
        caught.append((sc, total if first or not first_act else 0))
    return caught


def print_caught(caught: list[tuple[Scenario, int]], out) -> None:
    for sc, n in caught:
        mark = "caught" if n else "MISSED"
        print(
            f"  {mark}: {sc.entry.get('incident', '')} @{sc.handle} ({n} alert(s) from {sc.incident_from}) "
            f"{sc.entry.get('expect', '')}",
            file=out,
        )


async def wait_until(predicate, timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await predicate():
            return True
        await asyncio.sleep(step)
    return False
