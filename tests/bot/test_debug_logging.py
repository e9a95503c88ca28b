"""`-v` debug logging shows what happened, never SQL parameters nor feed content beyond a short excerpt."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONTENT = "UNIQUE-FEED-CONTENT-" + "lorem ipsum " * 20


def test_verbose_replay_logs_no_sql_parameters_and_no_feed_content(tmp_path):
    feed = tmp_path / "feed.jsonl"
    good = {"id": "x:1", "platform": "x", "account": "A", "kind": "post", "at": "2020-01-01T00:00:00Z", "text": CONTENT}
    bad = {**good, "id": "x:2", "text": {"nested": CONTENT}}  # rejected: the reason quotes a short excerpt
    feed.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "-v",
            "replay",
            str(feed),
            "--learn-until",
            "2021-01-01T00:00:00Z",
            "--db",
            str(tmp_path / "r.db"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert "DEBUG" in result.stderr or "1 rejected" in result.stderr  # it did log
    assert "executing functools.partial" not in result.stderr  # aiosqlite's statement-and-parameters lines
    assert CONTENT not in result.stderr and CONTENT[:60] not in result.stderr
    rejected = [line for line in result.stderr.splitlines() if line.startswith("rejected")]
    assert len(rejected) == 1 and len(rejected[0]) < len(str(feed)) + 120
