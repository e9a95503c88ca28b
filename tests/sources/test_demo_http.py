"""`diplowatch demo --http`: the founding incidents caught over real HTTP and a real Jetstream WebSocket."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_demo_over_http_catches_every_founding_incident(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo", "--http", "--db", str(tmp_path / "demo.db")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "over HTTP" in result.stdout and "MISSED" not in result.stdout
    assert result.stdout.count("  caught: ") == 6
    assert "liked @hotclips_after_dark" in result.stdout  # a like, visible on Bluesky
    # After the backfill poll, the incidents came in through the Jetstream subscription; the last poll
    # of every account (reconciliation) found nothing the stream had missed.
    assert "through Jetstream: 6 of 6 incidents caught from streamed events" in result.stdout
    assert "reconciliation poll of 6 accounts: 0 activities the stream had missed" in result.stdout
    assert result.stderr == ""  # no scheduler warning, no traceback when the poller stops
