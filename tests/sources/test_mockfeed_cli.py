"""`diplowatch mockfeed` as a developer runs it: prints the settings to use, serves, stops cleanly."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def test_mockfeed_serves_the_recorded_feeds_and_stops_on_sigterm(tmp_path):
    feed = tmp_path / "mfa.jsonl"
    feed.write_text(
        json.dumps(
            {
                "id": "1",
                "platform": "rss",
                "account": "mfa",
                "kind": "post",
                "at": "2020-01-01T00:00:00Z",
                "text": "Statement",
            }
        )
        + "\n"
        + "not json\n",
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "mockfeed", str(feed), "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        settings = dict(process.stdout.readline().strip().split("=", 1) for _ in range(5))
        response = httpx.get(settings["DIPLOWATCH_RSS_BASE"] + "/mfa", timeout=5)
        assert response.status_code == 200 and "<title>Statement</title>" in response.text
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=10)
    assert process.returncode == 0
    assert f"{feed}:2: skipped" in err  # a bad line is named, the rest is served


def test_mockfeed_refuses_a_bad_start_time():
    result = subprocess.run(
        [sys.executable, "-m", "bot", "mockfeed", "--synthetic", "1", "--start", "yesterday"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2 and "--start" in result.stderr
