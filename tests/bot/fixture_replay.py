"""`diplowatch replay` of the bundled feeds in a process of its own, as the replay tests run it, and the
environment every such process gets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The four founding incidents (alerts of every severity) and six real timelines scored after mid-2016.
FEEDS = sorted((ROOT / "fixtures" / "feeds").glob("*.jsonl")) + sorted(
    (ROOT / "fixtures" / "timelines").glob("*.jsonl")
)


def child_env(**extra: str) -> dict[str, str]:
    """A clean environment for a `python -m bot` child: this checkout, the suite's choice of detector
    (tests/conftest.py: a stale local build would otherwise warn on stderr), and `extra` on top."""
    return {
        "PYTHONPATH": str(ROOT),
        "PATH": "/usr/bin:/bin",
        "DIPLOWATCH_COMPILED": os.environ.get("DIPLOWATCH_COMPILED", "0"),
        **extra,
    }


def replay_fixtures(
    tmp_path: Path, feeds: list[Path], db: Path, *extra: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The feeds replayed with the founding incidents' watch list, learning until mid-2016, alerts as
    JSON lines on stdout; `extra` are more replay options, `env` more environment variables."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "replay",
            *map(str, feeds),
            "--accounts",
            str(ROOT / "fixtures" / "feeds" / "demo.json"),
            "--learn-until",
            "2016-06-01T00:00:00Z",
            "--format",
            "json",
            "--quiet",
            "--db",
            str(db),
            *extra,
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        env=child_env(**(env or {})),
    )
