"""`diplowatch demo` (what `make demo` runs first) reads as the success it is: every founding incident
caught, nothing on stderr (no scheduler warnings, no traceback), and the summary last."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_demo_catches_every_founding_incident_quietly_and_ends_with_the_summary(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo", "--db", str(tmp_path / "demo.db"), "--live-dir", str(tmp_path / "feeds")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert result.stderr == ""
    lines = result.stdout.rstrip().splitlines()
    summary = next(i for i, line in enumerate(lines) if line.startswith("demo done in"))
    assert [line.split(":")[0] for line in lines[summary + 1 :]] == ["  caught"] * 6
