"""The four founding incidents, replayed from the project's own fixtures (fixtures/feeds)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.activity import parse_activity, parse_time
from bot.profile import AccountMeta

ROOT = Path(__file__).resolve().parents[2]
FEEDS = ROOT / "fixtures" / "feeds"
SCENARIOS = json.loads((FEEDS / "demo.json").read_text(encoding="utf-8"))


def first_incident_activity(scenario):
    cut = parse_time(scenario["incident_from"])
    for line in (FEEDS / scenario["file"]).read_text(encoding="utf-8").splitlines():
        if line.strip():
            activity = parse_activity(json.loads(line))
            if activity.at >= cut:
                return activity
    raise AssertionError(f"no incident in {scenario['file']}")


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["handle"] for s in SCENARIOS])
def test_founding_fixture_finds_its_real_case_first(index, scenario):
    activity = first_incident_activity(scenario)
    fields = AccountMeta.__dataclass_fields__
    meta = AccountMeta(**{k: v for k, v in scenario.items() if k in fields})
    matches = index.similar(activity, meta, [], k=3)
    assert matches[0].id == scenario["incident"], [(m.id, m.score, m.why) for m in matches]


def test_replay_json_lists_the_similar_incidents(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "replay",
            str(FEEDS / "realDonaldTrump.jsonl"),
            "--learn-until",
            "2017-11-02T22:45:00Z",
            "--accounts",
            str(FEEDS / "demo.json"),
            "--format",
            "json",
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
    alerts = [json.loads(line) for line in result.stdout.splitlines()]
    deactivation = next(a for a in alerts if a["kind"] == "status" and a["at"] == "2017-11-02T22:45:06Z")
    first = deactivation["similar"][0]
    assert first["id"] == "S3" and first["date"] == "2017-11-02"
    assert {"id", "title", "date", "score", "url"} <= set(first)
    assert 1 <= len(deactivation["similar"]) <= 3


def test_the_embassys_deletion_of_the_repost_also_recalls_s1(index):
    scenario = next(s for s in SCENARIOS if s["incident"] == "S1")
    deletion = next(
        a
        for a in (
            parse_activity(json.loads(line))
            for line in (FEEDS / scenario["file"]).read_text(encoding="utf-8").splitlines()
            if line.strip()
        )
        if a.kind == "delete" and a.at >= parse_time(scenario["incident_from"])
    )
    fields = AccountMeta.__dataclass_fields__
    meta = AccountMeta(**{k: v for k, v in scenario.items() if k in fields})
    matches = index.similar(deletion, meta, ["deleted its own post 14 minutes after posting"], k=3)
    assert matches[0].id == "S1", [(m.id, m.score, m.why) for m in matches]
