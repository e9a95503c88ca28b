"""`diplowatch replay` commits batch by batch: a batch's activities, alerts and the baselines they taught
land together. A replay that fails in the middle of a batch (here: a fault injected at a database
statement) leaves the earlier batches whole and nothing of the failed one; run again, it finishes the
job: every activity stored once, every alert printed once, and the same end state whichever statement
of that batch failed. There is never a gap between what is stored and what the baselines learned."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from bot import replay
from bot.__main__ import main
from storage.db import Database
from tests.bot.test_atomic_polls import FaultAt

BATCH = 40
LEARN_UNTIL = "2020-11-01T00:00:00Z"


def _feed(path, account: str, offset: int) -> None:
    start = datetime(2020, 9, 1, tzinfo=timezone.utc)
    rows: list[dict[str, Any]] = []
    for i in range(120):
        at = start + timedelta(hours=12 * i, minutes=offset)
        rows.append(
            {
                "id": f"x:{account}-{i}",
                "platform": "x",
                "account": account,
                "kind": "post",
                "at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "lang": "en",
                "client": "Twitter Web App",
                "text": f"The ambassador met partners on trade, meeting {i}",
            }
        )
    night = datetime(2020, 11, 20, 3, 12, tzinfo=timezone.utc)
    rows.append(
        {
            "id": f"x:{account}-odd",
            "platform": "x",
            "account": account,
            "kind": "repost",
            "at": (night + timedelta(minutes=offset)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "target": {"id": "x:555", "account": "realDonaldTrump", "text": "Why was the election not overturned?"},
        }
    )
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def _state(db_path) -> dict:
    import sqlite3

    con = sqlite3.connect(db_path)
    try:
        activities = sorted(r[0] for r in con.execute("SELECT id FROM activities"))
        per_account = dict(con.execute("SELECT account, COUNT(*) FROM activities GROUP BY account"))
        baselines = {a: json.loads(s) for a, s in con.execute("SELECT account, state FROM baselines")}
        alerts = sorted(r[0] for r in con.execute("SELECT id FROM alerts"))
    finally:
        con.close()
    return {"activities": activities, "per_account": per_account, "baselines": baselines, "alerts": alerts}


def _run(tmp_path, feeds, db_path, capsys, monkeypatch, at: int | None) -> tuple[list[str], int]:
    """One replay with a fault at statement `at` (None: none); the alert ids it printed, and how many
    statements it ran."""
    real_open = Database.open.__func__  # type: ignore[attr-defined]
    counted = {}

    async def open_with_faults(cls, path):
        db = await real_open(cls, path)
        db.conn = counted["fault"] = FaultAt(db.conn, at, "error")
        return db

    monkeypatch.setattr(Database, "open", classmethod(open_with_faults))
    try:
        code = main(
            [
                "replay",
                *map(str, feeds),
                "--learn-until",
                LEARN_UNTIL,
                "--format",
                "json",
                "--quiet",
                "--db",
                str(db_path),
            ]
        )
        assert code == 0
    except OSError:
        pass  # the injected fault: the replay stops there
    finally:
        monkeypatch.undo()
    out = capsys.readouterr().out
    return [json.loads(line)["id"] for line in out.splitlines() if line.startswith("{")], counted["fault"].count


@pytest.fixture
def feeds(tmp_path):
    paths = [tmp_path / "ExampleMFA.jsonl", tmp_path / "ExampleEmb.jsonl"]
    for offset, path in enumerate(paths):
        _feed(path, path.stem, offset)
    return paths


def test_a_replay_failing_inside_a_batch_leaves_no_gap_and_finishes_on_the_next_run(
    tmp_path, feeds, capsys, monkeypatch
):
    clean_db = tmp_path / "clean.db"
    monkeypatch.setattr(replay, "BATCH", BATCH)  # small batches: several of them in a small replay
    printed, statements = _run(tmp_path, feeds, clean_db, capsys, monkeypatch, None)
    clean = _state(clean_db)
    assert clean["alerts"] and sorted(printed) == clean["alerts"]
    assert len(clean["activities"]) == 2 * 121

    ends: dict[int, dict] = {}  # activities committed before the fault -> the end state after the rerun
    for at in range(5, statements, max(1, statements // 24)):
        db_path = tmp_path / f"fault-{at}.db"
        monkeypatch.setattr(replay, "BATCH", BATCH)
        first, _ = _run(tmp_path, feeds, db_path, capsys, monkeypatch, at)
        partial = _state(db_path)
        # No gap: every stored activity is in its account's baseline (learned, or held out as alerted).
        for account, state in partial["baselines"].items():
            assert state["n"] + len(state["held"]) == partial["per_account"][account], (at, account)
        assert set(partial["per_account"]) == set(partial["baselines"]), at
        assert sorted(first) == partial["alerts"], at  # what was printed is exactly what was committed
        monkeypatch.setattr(replay, "BATCH", BATCH)
        second, _ = _run(tmp_path, feeds, db_path, capsys, monkeypatch, None)
        end = _state(db_path)
        assert end["activities"] == clean["activities"], at  # every activity, once
        printed_all = first + second
        assert len(printed_all) == len(set(printed_all)) and sorted(printed_all) == end["alerts"], at
        committed = len(partial["activities"])
        if committed in ends:  # failed elsewhere in the same batch: the same end state, to the byte
            assert end == ends[committed], f"fault at {at}: another statement of the same batch ended elsewhere"
        ends[committed] = end
    assert len(ends) >= 3  # faults in several batches were tried
