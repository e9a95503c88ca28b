"""`diplowatch replay` gives byte-identical alerts and baselines whatever Python's string hashing seed:
the same feeds replayed in two processes with different PYTHONHASHSEED (a score that summed a set in
hash order would differ in its last digits, and so would the bits a baseline keeps per item)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The four founding incidents (alerts of every severity) and six real timelines scored after mid-2016.
FEEDS = sorted((ROOT / "fixtures" / "feeds").glob("*.jsonl")) + sorted(
    (ROOT / "fixtures" / "timelines").glob("*.jsonl")
)


def _replay(tmp_path: Path, seed: str) -> tuple[str, list[tuple[str, str, str]]]:
    db = tmp_path / f"seed-{seed}.db"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "replay",
            *map(str, FEEDS),
            "--accounts",
            str(ROOT / "fixtures" / "feeds" / "demo.json"),
            "--learn-until",
            "2016-06-01T00:00:00Z",
            "--format",
            "json",
            "--quiet",
            "--db",
            str(db),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "PYTHONHASHSEED": seed},
    )
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
