"""The peak memory a replay reports is its own, whatever process started it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PARENT_MB = 300


def test_a_process_started_by_a_large_one_reports_its_own_peak_memory():
    # Linux hands the starting process's peak RSS on through fork and exec (ru_maxrss): a small replay
    # launched from a large test run or script said it peaked at the parent's size
    ballast = bytearray(PARENT_MB * 1024 * 1024)
    for i in range(0, len(ballast), 4096):
        ballast[i] = 1  # resident, not only reserved
    child = subprocess.run(
        [sys.executable, "-c", "from bot.stages import peak_memory_mb; print(peak_memory_mb())"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert 1 < float(child.stdout) < PARENT_MB / 2
