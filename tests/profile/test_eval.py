"""`diplowatch eval` end to end on small generated timelines (the real ones live outside the repository)."""

import json
import subprocess
import sys
from pathlib import Path

from bot.eval_cases import INCIDENT_TYPES

from .helpers import history

ROOT = Path(__file__).resolve().parents[2]


def _run(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "bot", "eval", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=240,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


def test_eval_reports_every_system_and_type_as_json_and_table(tmp_path):
    data = tmp_path / "timelines"
    data.mkdir()
    for i, handle in enumerate(["EmbassyA", "EmbassyB", "EmbassyC", "EmbassyD", "EmbassyE"]):
        with (data / f"{handle}.jsonl").open("w") as out:
            for a in history(400, seed=i, account=handle):
                out.write(a.to_json() + "\n")
    result = _run("--data", data, "--out", tmp_path / "r.json", "--quick", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "recall by type" in result.stdout and "iforest" in result.stdout
    report = json.loads((tmp_path / "r.json").read_text())
    assert set(report["runs"]) == {"tune", "heldout"}
    for run in report["runs"].values():
        assert set(run["systems"]) == {"diplowatch", "rules", "iforest"}
        assert set(run["per_type"]) == set(INCIDENT_TYPES)
        assert run["incidents"] > 0 and run["real_replayed"] > 0
        for metrics in run["systems"].values():
            assert 0.0 <= metrics["recall"] <= 1.0 and 0.0 <= metrics["precision"] <= 1.0
    assert report["command"].startswith("diplowatch eval")


def test_eval_without_data_is_a_clear_error(tmp_path):
    result = _run("--data", tmp_path / "missing", "--out", tmp_path / "r.json", cwd=tmp_path)
    assert result.returncode == 2
    assert "does not exist" in result.stderr
