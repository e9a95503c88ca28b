"""`diplowatch replay` gives byte-identical alerts and baselines whatever Python's string hashing seed:
the same feeds replayed in two processes with different PYTHONHASHSEED (a score that summed a set in
hash order would differ in its last digits, and so would the bits a baseline keeps per item)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.bot.fixture_replay import FEEDS, replay_fixtures


def _replay(tmp_path: Path, seed: str) -> tuple[str, list[tuple[str, str, str]]]:
    db = tmp_path / f"seed-{seed}.db"
    done = replay_fixtures(tmp_path, FEEDS, db, env={"PYTHONHASHSEED": seed})
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(db) as conn:
        baselines = conn.execute("SELECT platform, account, state FROM baselines ORDER BY platform, account").fetchall()
    return done.stdout, baselines


def test_replay_alerts_and_baselines_do_not_depend_on_the_hash_seed(tmp_path):
    alerts_one, baselines_one = _replay(tmp_path, "1")
    alerts_two, baselines_two = _replay(tmp_path, "4242")
    assert alerts_one.count("\n") >= 10, "the founding incidents should alert"
    assert len(baselines_one) >= 10
    assert alerts_one == alerts_two
    assert baselines_one == baselines_two
