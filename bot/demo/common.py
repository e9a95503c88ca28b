"""What both demos share: the manifest of founding incidents, a fresh database watching their accounts,
and the count of what was caught."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
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
from storage.db import errors as db_errors

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "feeds"


@dataclass
class Scenario:
    handle: str
    platform: str
    source: Path
    incident_from: str
    entry: dict


class DemoError(Exception):
    """What the demo cannot start with (a file it cannot read, a path it will not overwrite): one line."""


def load_manifest(folder: Path) -> list[Scenario]:
    """The scenarios of `folder`/demo.json; DemoError naming the file and what is wrong with it."""
    manifest = folder / "demo.json"
    try:
        entries = json.loads(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DemoError(f"{manifest}: no such file (--fixtures is the folder with demo.json and the feeds)") from None
    except (OSError, ValueError) as exc:  # unreadable, not UTF-8, not JSON
        raise DemoError(f"{manifest}: cannot read: {exc}") from None
    if not isinstance(entries, list):
        raise DemoError(f"{manifest}: expected a JSON list of scenarios")
    scenarios = []
    for number, e in enumerate(entries, start=1):
        try:
            scenarios.append(Scenario(e["handle"], e["platform"], folder / e["file"], e["incident_from"], e))
        except (KeyError, TypeError) as exc:
            raise DemoError(
                f"{manifest}: scenario {number}: needs handle, platform, file and incident_from ({exc!r})"
            ) from None
    return scenarios


def fresh_file(path: Path) -> None:
    """Remove the demo database of an earlier run (and its -wal and -shm), after making sure it is one:
    DemoError, removing nothing, for any other file (a database of the user's must not be lost)."""
    mine = _demo_database(path)
    if mine is not True:
        raise DemoError(f"--db {path}: {mine}; the demo recreates its database each run, give a new file's path")
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def _demo_database(path: Path) -> bool | str:
    """True when `path` is absent, empty or a database only the demo wrote to (every account watched
    added by it, or none watched and no activity stored); else why it is not to be removed."""
    if not path.exists() and not path.is_symlink():
        return True
    if path.is_symlink() or not path.is_file():
        return "not a regular file"
    if path.stat().st_size == 0:
        return True
    try:
        with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            watched, others = conn.execute(
                "SELECT COUNT(*), COUNT(*) - COUNT(CASE WHEN added_by = 'demo' THEN 1 END) FROM watched"
            ).fetchone()
            stored = watched or conn.execute("SELECT EXISTS (SELECT 1 FROM activities)").fetchone()[0]
    except sqlite3.Error as exc:
        return f"exists and is not a diplowatch database ({exc})"
    if others or (not watched and stored):
        return "exists and is not the demo's database (it watches or stores what the demo did not add)"
    return True


async def open_demo_pipeline(db_path: Path, scenarios: list[Scenario], *, platform: str) -> tuple[Database, Pipeline]:
    """A fresh database watching the scenarios' accounts on `platform`, and the pipeline (with the
    incident library, so alerts list prior similar incidents) that both demos feed. DemoError when the
    database cannot be opened."""
    try:
        db = await Database.open(db_path)
    except db_errors() as exc:
        raise DemoError(f"cannot use the database {db_path}: {exc}") from None
    try:
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
    except BaseException:
        await db.close()  # an open connection's thread would keep the process alive after the error
        raise
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
